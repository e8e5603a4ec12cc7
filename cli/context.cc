#include "context.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <span>

#include "i18n.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {

app::Session Context::Session() const {
  app::SessionOptions o;
  o.ledger_dir = options.ledger_dir;
  o.key_path = options.key_path;
  o.wait_seconds = options.wait_seconds;
  if (serving != nullptr) {
    // The server's ledger and writer; the client's signer. A client's
    // --wait is honoured up to the bound of a lease queue.
    o.ledger_dir = serving->ledger_dir;
    o.key_path.clear();
    o.shared_writer = serving->writer;
    o.signer = serving->signer;
    o.people_view = serving->people_view;
    o.wait_seconds = std::clamp(options.wait_seconds, kServedWaitSeconds, 60);
  }
  if (const char* now = std::getenv("VLEDGER_NOW"); now != nullptr) o.fixed_now = now;
  if (const char* pass = std::getenv("VLEDGER_KEY_PASSPHRASE"); pass != nullptr) {
    o.key_passphrase = pass;
  }
  return app::Session(std::move(o), [](const std::string& key_path) -> Result<std::string> {
    if (::isatty(STDIN_FILENO) == 0) {
      return Status::InvalidInput("--key", Msg("{} is encrypted: set VLEDGER_KEY_PASSPHRASE, or "
                                               "run on a terminal to be asked for the passphrase",
                                               key_path));
    }
    return PromptPassphrase(Tr("passphrase for {}: ", key_path));
  });
}

std::string UtcTime(int64_t ms) {
  time_t t = static_cast<time_t>(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::string> PromptPassphrase(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return Status::FailedPrecondition(
        "no terminal to ask for the passphrase (set VLEDGER_KEY_PASSPHRASE)");
  }
  struct termios saved;
  bool restore = ::tcgetattr(fd, &saved) == 0;
  if (restore) {
    struct termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  (void)!::write(fd, prompt.data(), prompt.size());
  std::string line;
  char c;
  while (line.size() < kPassphraseBytesMax + 1 && ::read(fd, &c, 1) == 1 && c != '\n') {
    line.push_back(c);
  }
  if (restore) ::tcsetattr(fd, TCSAFLUSH, &saved);
  ::close(fd);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Status::InvalidInput("no passphrase given");
  if (line.size() > kPassphraseBytesMax) {
    return Status::InvalidInput(Msg("passphrase longer than {} bytes", kPassphraseBytesMax));
  }
  return line;
}

void Context::PrintJson(const Json& doc) const {
  if (sink != nullptr) return PrintRaw(doc.dump() + "\n");
  std::cout << doc.dump() << "\n";
}

void Context::PrintLine(const std::string& line) const {
  if (sink != nullptr) return PrintRaw(line + "\n");
  std::cout << line << "\n";
}

void Context::PrintRaw(const std::string& bytes) const {
  if (sink != nullptr) {
    sink->out += bytes;
  } else {
    std::cout << bytes << std::flush;
  }
}

void Context::PrintErrorLine(const std::string& line) const {
  if (sink != nullptr) {
    sink->err += line + "\n";
  } else {
    std::cerr << line << "\n";
  }
}

void Context::Warn(const std::string& line) const {
  PrintErrorLine(_("vledger: warning: ") + EscapeControls(line));
}

void Context::Warn(const Msg& msg) const { Warn(Tr(msg)); }

CLI::App* AddCommand(CLI::App& parent, const std::string& name, const std::string& help) {
  CLI::App* cmd = parent.add_subcommand(name, help);
  // CLI11 makes a subcommand's help flag before it copies the option
  // defaults: made again, it is in the (translated) group of the others.
  cmd->set_help_flag("-h,--help", _("Print this help message and exit"));
  cmd->fallthrough();  // global options may follow the command
  return cmd;
}

namespace {

// Options whose values are numbers, by name across every appending command:
// integers (points, quantities, seqs, bounds) and amounts in yuan. Their
// values are compared as numbers, so that `--points 01` and `--points 1`,
// or `--amount 500` and `--amount 500.00`, are the same command.
constexpr std::string_view kIntegerOptions[] = {
    "SEQ",         "--points",         "--qty",         "--min",       "--max",
    "--cap",       "--reversal",       "--event",       "--approve",   "--star-points",
    "--max-stars", "--red-flag-share", "--window-days", "--birth-year"};
constexpr std::string_view kYuanOptions[] = {"--amount"};

bool Listed(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string WithoutLeadingZeros(std::string_view digits) {
  size_t nonzero = digits.find_first_not_of('0');
  return nonzero == std::string_view::npos ? "0" : std::string(digits.substr(nonzero));
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The canonical text of a number as the commands read it (a signed decimal
// integer, or yuan with an optional fraction); anything else unchanged, for
// the command itself to reject.
std::string CanonicalValue(std::string_view name, const std::string& value) {
  if (Listed(kIntegerOptions, name)) {
    bool negative = value.starts_with('-');
    std::string_view digits = std::string_view(value).substr(negative ? 1 : 0);
    if (!AllDigits(digits)) return value;
    std::string magnitude = WithoutLeadingZeros(digits);
    return negative && magnitude != "0" ? "-" + magnitude : magnitude;
  }
  if (Listed(kYuanOptions, name)) {
    size_t dot = value.find('.');
    std::string_view whole = std::string_view(value).substr(0, dot);
    std::string_view fraction =
        dot == std::string::npos ? std::string_view() : std::string_view(value).substr(dot + 1);
    if (!AllDigits(whole) || (dot != std::string::npos && !AllDigits(fraction))) return value;
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    std::string canonical = WithoutLeadingZeros(whole);
    if (!fraction.empty()) canonical += "." + std::string(fraction);
    return canonical;
  }
  return value;
}

}  // namespace

CLI::Validator WholeNumber(const char* what) {
  auto check = [what](std::string& s) -> std::string {
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
      return Tr("\"{}\" is not a {}", s, _(what));
    }
    s.erase(0, std::min(s.find_first_not_of('0'), s.size() - 1));
    return "";
  };
  return CLI::Validator(check, what);
}

std::string Fingerprint(const CLI::App& cmd) {
  std::map<std::string, std::vector<std::string>> given;
  for (const CLI::Option* opt : cmd.get_options()) {
    if (opt->count() == 0) continue;
    std::string name = opt->get_name();
    if (name == "--request-id" || name == "--help" || name == "-h") continue;
    std::vector<std::string>& values = given[name];
    for (const std::string& v : opt->results()) values.push_back(CanonicalValue(name, v));
  }
  std::string fp;
  for (const CLI::App* p = &cmd; p != nullptr; p = p->get_parent()) {
    if (p->get_parent() != nullptr) fp = p->get_name() + " " + fp;
  }
  for (const auto& [name, values] : given) {
    fp += name;
    for (const auto& v : values) {
      fp += '\x1f';
      fp += v;
    }
    fp += '\x1e';
  }
  return fp;
}

}  // namespace vledger::cli
