#include "i18n.h"

#include <libintl.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <utility>

namespace vledger::cli {
namespace {

constexpr const char* kDomain = "vledger";

// The language of this thread: a server renders each client's command
// in the client's language. The catalog's binding is the process's, made
// once (UseLanguage).
thread_local Language g_language = Language::kEnglish;
std::once_flag g_catalog_bound;
void BindCatalogOnce();

// Where the catalogs are: VLEDGER_LOCALEDIR, else `locale/` beside the
// program (the build tree), else `../share/locale` from it (an installed
// program: /usr/bin/vledger reads /usr/share/locale).
std::string CatalogDir() {
  if (const char* dir = std::getenv("VLEDGER_LOCALEDIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "/usr/share/locale";
  std::filesystem::path beside = exe.parent_path() / "locale";
  if (std::filesystem::is_directory(beside, ec)) return beside.string();
  return (exe.parent_path().parent_path() / "share" / "locale").string();
}

}  // namespace

std::optional<Language> LanguageNamed(std::string_view value) {
  while (!value.empty()) {
    size_t colon = value.find(':');
    std::string_view entry = value.substr(0, colon);
    if (entry.starts_with("zh")) return Language::kChinese;
    if (entry.starts_with("en") || entry == "C" || entry == "POSIX" || entry.starts_with("C.")) {
      return Language::kEnglish;
    }
    if (colon == std::string_view::npos) break;
    value.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

Result<Language> ChooseLanguage(const std::vector<std::string>& args,
                                const std::function<const char*(const char*)>& env) {
  for (size_t i = 0; i < args.size(); i++) {
    std::string_view a = args[i];
    if (a == "--") break;
    std::optional<std::string_view> value;
    if (a == "--lang" && i + 1 < args.size()) value = args[i + 1];
    if (a.starts_with("--lang=")) value = a.substr(7);
    if (!value) continue;
    if (*value == "zh") return Language::kChinese;
    if (*value == "en") return Language::kEnglish;
    return Status::Usage(Msg("--lang: \"{}\" is not a language (zh or en)", *value));
  }
  if (const char* v = env("VLEDGER_LANG"); v != nullptr && *v != '\0') {
    if (std::optional<Language> lang = LanguageNamed(v)) return *lang;
    return Status::Usage(Msg("VLEDGER_LANG: \"{}\" is not a language (zh or en)", v));
  }
  for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
    if (const char* v = env(name); v != nullptr && *v != '\0') {
      if (std::optional<Language> lang = LanguageNamed(v)) return *lang;
    }
  }
  return Language::kEnglish;
}

void UseLanguage(Language lang) {
  g_language = lang;
  if (lang == Language::kEnglish) return;
  BindCatalog();
}

void BindCatalog() { std::call_once(g_catalog_bound, BindCatalogOnce); }

namespace {
void BindCatalogOnce() {
  // glibc's gettext translates nothing in the "C" locale and a fresh Debian
  // has no zh_CN locale to switch to, but it honours LANGUAGE in the
  // C.UTF-8 locale, which every glibc has built in. Only LC_MESSAGES
  // changes: numbers and dates stay as they are.
  std::setlocale(LC_MESSAGES, "C.UTF-8");
  ::setenv("LANGUAGE", "zh_CN", 1);
  ::bindtextdomain(kDomain, CatalogDir().c_str());
  ::bind_textdomain_codeset(kDomain, "UTF-8");
  // strerror's texts come from the C library's own catalog, converted to
  // the LC_CTYPE charset: in the "C" locale that is ASCII, and every Chinese
  // character would print as "?".
  ::bind_textdomain_codeset("libc", "UTF-8");
}
}  // namespace

Language CurrentLanguage() { return g_language; }

const char* _(const char* msgid) {
  if (g_language == Language::kEnglish || *msgid == '\0') return msgid;
  return ::dgettext(kDomain, msgid);
}

const char* P_(const char* context, const char* msgid) {
  if (g_language == Language::kEnglish) return msgid;
  std::string key = std::string(context) + '\004' + msgid;
  const char* translated = ::dgettext(kDomain, key.c_str());
  // dgettext returns its argument when there is no translation: a pointer
  // into `key`, which dies here.
  return translated == key.c_str() ? msgid : translated;
}

std::string Word(std::string_view english) {
  if (g_language == Language::kEnglish) return std::string(english);
  const std::pair<std::string_view, const char*> words[] = {
      {"admin", P_("vocab", "admin")},         {"collector", P_("vocab", "collector")},
      {"treasurer", P_("vocab", "treasurer")}, {"reviewer", P_("vocab", "reviewer")},
      {"auditor", P_("vocab", "auditor")},     {"checkpointer", P_("vocab", "checkpointer")},
      {"attestor", P_("vocab", "attestor")},   {"active", P_("vocab", "active")},
      {"departed", P_("vocab", "departed")},   {"deceased", P_("vocab", "deceased")},
      {"credit", P_("vocab", "credit")},       {"charity", P_("vocab", "charity")},
      {"month", P_("vocab", "month")},         {"quarter", P_("vocab", "quarter")},
      {"year", P_("vocab", "year")},           {"pending", P_("vocab", "pending")},
      {"approved", P_("vocab", "approved")},   {"rejected", P_("vocab", "rejected")},
      {"payment", P_("vocab", "payment")},     {"release", P_("vocab", "release")},
      {"rule", P_("vocab", "rule")},           {"purpose", P_("vocab", "purpose")},
      {"shop", P_("vocab", "shop")},           {"fund", P_("vocab", "fund")},
      {"category", P_("vocab", "category")},
  };
  for (const auto& [en, translated] : words) {
    if (en == english) return translated;
  }
  return std::string(english);
}

std::string Tr(const Msg& msg) { return Msg::FormatPattern(_(msg.pattern()), msg.args()); }

std::string Tr(const Status& status) {
  std::string line;
  if (status.row()) line += Tr("row {}: ", *status.row());
  if (status.seq()) line += Tr("seq {}: ", *status.seq());
  if (!status.field().empty()) line += Tr("{}: ", status.field());
  for (const Msg& p : status.prefixes()) line += Tr("{}: ", Tr(p));
  return line + Tr(status.msg());
}

}  // namespace vledger::cli
