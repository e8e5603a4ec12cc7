#include "cli11_words.h"

#include <memory>
#include <regex>
#include <sstream>
#include <string_view>
#include <vector>

#include "i18n.h"

namespace vledger::cli {
namespace {

// Columns a string takes on a terminal: a character of three or four
// bytes in UTF-8 (Chinese, full-width punctuation) takes two.
size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    auto lead = static_cast<unsigned char>(s[i]);
    size_t bytes = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    width += bytes >= 3 ? 2 : 1;
    i += bytes;
  }
  return width;
}

// CLI11's type names (and the value names of WholeNumber) in an option's
// "TEXT REQUIRED", "UINT:seq", "INT:INT in [0 - 86400]".
std::string TranslateTypes(const std::string& opts) {
  static const std::regex kWord(
      R"(\b(TEXT|INT|UINT|FLOAT|BOOLEAN|ENUM)\b|:(seq|size|number)\b|in \[(\S+) - (\S+)\])");
  std::string out;
  auto begin = std::sregex_iterator(opts.begin(), opts.end(), kWord);
  size_t at = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out.append(opts, at, static_cast<size_t>(m.position(0)) - at);
    at = static_cast<size_t>(m.position(0) + m.length(0));
    if (m[3].matched) {  // CLI::Range
      out += Tr("in [{} - {}]", m[3].str(), m[4].str());
      continue;
    }
    std::string word = m[1].matched ? m[1].str() : m[2].str();
    std::string translated;
    if (word == "TEXT") translated = _("TEXT");
    if (word == "INT") translated = _("INT");
    if (word == "UINT") translated = _("UINT");
    if (word == "FLOAT") translated = _("FLOAT");
    if (word == "BOOLEAN") translated = _("BOOLEAN");
    if (word == "ENUM") translated = _("ENUM");
    if (m[2].matched) translated = ":" + std::string(_(word.c_str()));  // N_ in WholeNumber
    out += translated;
  }
  out.append(opts, at);
  return out;
}

// `text` with its heading line "HEADING:" ended by the language's colon.
std::string Colon(std::string text, const std::string& heading) {
  std::string line = "\n" + heading + ":\n";
  if (size_t at = text.find(line); at != std::string::npos) {
    text.replace(at, line.size(), "\n" + Tr("{}:", heading) + "\n");
  }
  return text;
}

class TranslatedFormatter : public CLI::Formatter {
 public:
  TranslatedFormatter() {
    label("Usage", _("Usage"));
    label("OPTIONS", _("OPTIONS"));
    label("SUBCOMMAND", _("SUBCOMMAND"));
    label("SUBCOMMANDS", _("SUBCOMMANDS"));
    label("Positionals", _("Positionals"));
    label("REQUIRED", _("REQUIRED"));
    label("Excludes", _("Excludes"));
    label("Needs", _("Needs"));
    label("Env", _("Env"));
  }

  // Headings end in a colon of the language ("Options:", "选项：").
  std::string make_group(std::string group, bool is_positional,
                         std::vector<const CLI::Option*> opts) const override {
    return Colon(CLI::Formatter::make_group(group, is_positional, opts), group);
  }
  std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override {
    return Colon(CLI::Formatter::make_subcommands(app, mode), app->get_group());
  }
  std::string make_usage(const CLI::App* app, std::string name) const override {
    std::string usage = CLI::Formatter::make_usage(app, name);
    std::string label = get_label("Usage");
    if (usage.starts_with(label + ": ")) usage.replace(0, label.size() + 2, Tr("{}: ", label));
    return usage;
  }

  std::string make_option_opts(const CLI::Option* opt) const override {
    return TranslateTypes(CLI::Formatter::make_option_opts(opt));
  }

  // CLI11's layout, the left column padded by display width, not bytes.
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    std::string name = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
    std::string description = make_option_desc(opt);
    std::ostringstream out;
    out << name;
    size_t width = DisplayWidth(name);
    if (!description.empty()) {
      if (width >= column_width_) {
        out << "\n";
        width = 0;
      }
      out << std::string(column_width_ - width, ' ');
      for (char c : description) {
        out.put(c);
        if (c == '\n') out << std::string(column_width_, ' ');
      }
    } else if (width < column_width_) {
      out << std::string(column_width_ - width, ' ');
    }
    out << "\n";
    return out.str();
  }
};

}  // namespace

void UseTranslatedHelp(CLI::App& app) {
  app.formatter(std::make_shared<TranslatedFormatter>());
  app.option_defaults()->group(_("Options"));
  app.group(_("Subcommands"));
  app.set_help_flag("-h,--help", _("Print this help message and exit"));
}

std::string ParseErrorText(const CLI::ParseError& error) {
  const std::string what = error.what();
  std::smatch m;
  auto is = [&](const char* pattern) { return std::regex_match(what, m, std::regex(pattern)); };
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    if (what == "A subcommand is required") return _("A subcommand is required");
    if (is(R"((\S+) is required)")) return Tr("{} is required", m[1].str());
  } else if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    if (is(R"(The following argument was not expected: (.*))")) {
      return Tr("The following argument was not expected: {}", m[1].str());
    }
    if (is(R"(The following arguments were not expected: (.*))")) {
      return Tr("The following arguments were not expected: {}", m[1].str());
    }
  } else if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    if (is(R"(Could not convert: (\S+) = (.*))")) {
      return Tr("Could not convert: {} = {}", m[1].str(), m[2].str());
    }
    if (is(R"(The value (.*) is not an allowed value for (\S+))")) {
      return Tr("The value {} is not an allowed value for {}", m[1].str(), m[2].str());
    }
    if (is(R"((\S+): too many inputs for a flag)")) {
      return Tr("{}: too many inputs for a flag", m[1].str());
    }
  } else if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) {
    // "NAME: DETAIL"; our own validators' details are translated already.
    if (is(R"((\S+): Value (.*) not in range (.*) to (.*))")) {
      return Tr("{}: Value {} not in range {} to {}", m[1].str(), m[2].str(), m[3].str(),
                m[4].str());
    }
    if (is(R"((\S+): (.*) not in (\{.*\}))")) {
      return Tr("{}: {} not in {}", m[1].str(), m[2].str(), m[3].str());
    }
    if (is(R"((\S+): Value (.*) could not be converted)")) {
      return Tr("{}: Value {} could not be converted", m[1].str(), m[2].str());
    }
    if (is(R"((\S+): (.*))")) return Tr("{}: {}", m[1].str(), m[2].str());
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    if (is(R"(Expected exactly (\d+) arguments to (\S+), got (\d+))")) {
      return Tr("{1}: expected exactly {0} arguments, got {2}", m[1].str(), m[2].str(), m[3].str());
    }
    if (is(R"(Expected at least (\d+) arguments to (\S+), got (\d+))")) {
      return Tr("{1}: expected at least {0} arguments, got {2}", m[1].str(), m[2].str(),
                m[3].str());
    }
    if (is(R"((\S+): (\d+) required (\S+) missing)")) {
      return Tr("{}: a value is required", m[1].str());
    }
    if (is(R"((\S+): At Most (\d+) required but received (\d+))")) {
      return Tr("{}: at most {} values, received {}", m[1].str(), m[2].str(), m[3].str());
    }
    if (is(R"((\S+): At least (\d+) required but received (\d+))")) {
      return Tr("{}: at least {} values, received {}", m[1].str(), m[2].str(), m[3].str());
    }
  } else if (dynamic_cast<const CLI::ExcludesError*>(&error) != nullptr) {
    if (is(R"((\S+) excludes (\S+))")) return Tr("{} excludes {}", m[1].str(), m[2].str());
  } else if (dynamic_cast<const CLI::RequiresError*>(&error) != nullptr) {
    if (is(R"((\S+) requires (\S+))")) return Tr("{} requires {}", m[1].str(), m[2].str());
  }
  return what;
}

}  // namespace vledger::cli
