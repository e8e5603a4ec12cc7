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

#include "vledger/clock.h"
#include "vledger/validate.h"
#include "vledger/verify.h"

namespace vledger::cli {
namespace {

// Whether s[at, at + n) are n ASCII digits; their value in *out.
bool Digits(const std::string& s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// VLEDGER_NOW when set (not empty): exactly 2021-09-30T10:00:00Z or
// 2021-09-30T10:00:00.123Z, a time of day that exists (seconds 0-59) on a
// calendar date in CheckDate's years, since the value becomes recorded
// times. A malformed value is rejected (exit 3): it is not the command line.
Result<std::optional<int64_t>> FixedNowMs() {
  const char* env = std::getenv("VLEDGER_NOW");
  if (env == nullptr || *env == '\0') return std::optional<int64_t>();
  const std::string now(env);
  auto malformed = [&] {
    return Status::Rejected("VLEDGER_NOW: \"" + now + "\" is not like 2021-09-30T10:00:00Z");
  };
  int h = 0, mi = 0, sec = 0, ms = 0;
  bool shape = (now.size() == 20 || (now.size() == 24 && now[19] == '.')) && now[10] == 'T' &&
               now[13] == ':' && now[16] == ':' && now.back() == 'Z' && Digits(now, 11, 2, &h) &&
               Digits(now, 14, 2, &mi) && Digits(now, 17, 2, &sec) &&
               (now.size() == 20 || Digits(now, 20, 3, &ms));
  if (!shape || h > 23 || mi > 59 || sec > 59) return malformed();
  VLEDGER_TRY(CheckDate("VLEDGER_NOW", now.substr(0, 10)));
  struct tm tm = {};
  tm.tm_year = std::stoi(now.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(now.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(now.substr(8, 2));
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return std::optional<int64_t>(static_cast<int64_t>(timegm(&tm)) * 1000 + ms);
}

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<int64_t> Context::InitNowMs(bool test_clock) const {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<int64_t> fixed, FixedNowMs());
  if (!fixed) return SystemNowMs();
  if (!test_clock) {
    return Status::Rejected(
        "VLEDGER_NOW is set: it is honoured only by a ledger made with init --test-clock "
        "(give --test-clock for a test ledger, or unset VLEDGER_NOW)");
  }
  return *fixed;
}

Result<int64_t> Context::NowMs(const Ledger& ledger) const {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<int64_t> fixed, FixedNowMs());
  if (!fixed) return SystemNowMs();
  VLEDGER_ASSIGN_OR_RETURN(bool test_clock, HasTestClock(ledger));
  if (!test_clock) {
    return Status::Rejected(
        "VLEDGER_NOW is honoured only by a ledger made with init --test-clock "
        "(unset it: this ledger records the system clock)");
  }
  return *fixed;
}

Result<int64_t> Context::AppendNowMs(const Ledger& ledger) const {
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, NowMs(ledger));
  VLEDGER_TRY(CheckClockNotBehind(ledger, now_ms));
  return now_ms;
}

Result<std::unique_ptr<Ledger>> Context::OpenReader() const {
  return Ledger::Open(options.ledger_dir, {Ledger::Access::kReader, 0});
}

Result<std::unique_ptr<Ledger>> Context::OpenWriter(bool catch_up) const {
  VLEDGER_ASSIGN_OR_RETURN(
      auto ledger, Ledger::Open(options.ledger_dir, {Ledger::Access::kWriter, options.wait_seconds}));
  // Projections left behind the log (an import cut short) are brought up
  // to date before anything is written after it.
  if (catch_up) VLEDGER_TRY(CatchUp(*ledger));
  return ledger;
}

Result<PrivateKey> Context::SigningKey() const {
  if (options.key_path.empty()) {
    return Status::Rejected("--key: no signing key given (use --key FILE or set VLEDGER_KEY)");
  }
  const char* pass = std::getenv("VLEDGER_KEY_PASSPHRASE");
  auto key = PrivateKey::LoadPem(options.key_path, pass ? pass : "");
  if (!key.ok() && CheckPrivateKeyFile(options.key_path).ok() && SigningKeyMayPrompt()) {
    if (::isatty(STDIN_FILENO) == 0) {
      return Status::Rejected("--key: " + options.key_path +
                              " is encrypted: set VLEDGER_KEY_PASSPHRASE, or run on a terminal "
                              "to be asked for the passphrase");
    }
    VLEDGER_ASSIGN_OR_RETURN(std::string typed,
                             PromptPassphrase("passphrase for " + options.key_path + ": "));
    key = PrivateKey::LoadPem(options.key_path, typed);
  }
  if (!key.ok()) return key.status().WithPrefix("--key");
  return key;
}

bool Context::SigningKeyMayPrompt() const {
  return std::getenv("VLEDGER_KEY_PASSPHRASE") == nullptr && IsEncryptedKeyFile(options.key_path);
}

Result<std::string> PromptPassphrase(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return Status::Rejected("no terminal to ask for the passphrase (set VLEDGER_KEY_PASSPHRASE)");
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
  if (line.empty()) return Status::Rejected("no passphrase given");
  if (line.size() > kPassphraseBytesMax) {
    return Status::Rejected("passphrase longer than " + std::to_string(kPassphraseBytesMax) +
                            " bytes");
  }
  return line;
}

void Context::PrintJson(const Json& doc) const {
  if (quiet) return;
  std::cout << doc.dump() << "\n";
}

void Context::PrintLine(const std::string& line) const {
  if (quiet) return;
  std::cout << line << "\n";
}

void Context::Warn(const std::string& line) const {
  if (quiet) return;
  std::cerr << "vledger: warning: " << EscapeControls(line) << "\n";
}

CLI::App* AddCommand(CLI::App& parent, const std::string& name, const std::string& help) {
  CLI::App* cmd = parent.add_subcommand(name, help);
  cmd->fallthrough();  // global options may follow the command
  return cmd;
}

namespace {

// Options whose values are numbers, by name across every appending command:
// integers (points, quantities, seqs, bounds) and amounts in yuan. Their
// values are compared as numbers, so that `--points 01` and `--points 1`,
// or `--amount 500` and `--amount 500.00`, are the same command.
constexpr std::string_view kIntegerOptions[] = {
    "SEQ",         "--points",    "--qty",       "--min",          "--max",
    "--cap",       "--reversal",  "--event",     "--approve",      "--star-points",
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

CLI::Validator WholeNumber(const std::string& what) {
  auto check = [what](std::string& s) -> std::string {
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
      return "\"" + s + "\" is not a " + what;
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
