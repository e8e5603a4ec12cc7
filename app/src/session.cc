#include "vledger/app/session.h"

#include <chrono>
#include <ctime>

#include "guard.h"
#include "vledger/projections/clock.h"
#include "vledger/projections/validate.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
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

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Exactly 2021-09-30T10:00:00Z or 2021-09-30T10:00:00.123Z, a time of day
// that exists (seconds 0-59) on a calendar date in CheckDate's years, since
// the value becomes recorded times.
Result<int64_t> ParseFixedNow(std::string_view field, const std::string& now) try {
  auto malformed = [&] {
    return Status::InvalidInput(field, Msg("\"{}\" is not like 2021-09-30T10:00:00Z", now));
  };
  int h = 0, mi = 0, sec = 0, ms = 0;
  bool shape = (now.size() == 20 || (now.size() == 24 && now[19] == '.')) && now[10] == 'T' &&
               now[13] == ':' && now[16] == ':' && now.back() == 'Z' && Digits(now, 11, 2, &h) &&
               Digits(now, 14, 2, &mi) && Digits(now, 17, 2, &sec) &&
               (now.size() == 20 || Digits(now, 20, 3, &ms));
  if (!shape || h > 23 || mi > 59 || sec > 59) return malformed();
  VLEDGER_TRY(CheckDate(field, now.substr(0, 10)));
  struct tm tm = {};
  tm.tm_year = std::stoi(now.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(now.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(now.substr(8, 2));
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
} catch (...) {
  return CaughtStatus();
}

Result<int64_t> Session::InitNowMs(bool test_clock) const try {
  if (options_.fixed_now.empty()) return SystemNowMs();
  VLEDGER_ASSIGN_OR_RETURN(int64_t fixed, ParseFixedNow("VLEDGER_NOW", options_.fixed_now));
  if (!test_clock) {
    return Status::FailedPrecondition(
        "VLEDGER_NOW is set: it is honoured only by a ledger made with init --test-clock "
        "(give --test-clock for a test ledger, or unset VLEDGER_NOW)");
  }
  return fixed;
} catch (...) {
  return CaughtStatus();
}

Result<int64_t> Session::NowMs(const Ledger& ledger) const try {
  if (options_.fixed_now.empty()) return SystemNowMs();
  VLEDGER_ASSIGN_OR_RETURN(int64_t fixed, ParseFixedNow("VLEDGER_NOW", options_.fixed_now));
  VLEDGER_ASSIGN_OR_RETURN(bool test_clock, HasTestClock(ledger));
  if (!test_clock) {
    return Status::FailedPrecondition(
        "VLEDGER_NOW is honoured only by a ledger made with init --test-clock "
        "(unset it: this ledger records the system clock)");
  }
  return fixed;
} catch (...) {
  return CaughtStatus();
}

Result<int64_t> Session::AppendNowMs(const Ledger& ledger) const try {
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, NowMs(ledger));
  VLEDGER_TRY(CheckClockNotBehind(ledger, now_ms));
  return now_ms;
} catch (...) {
  return CaughtStatus();
}

Result<std::unique_ptr<Ledger>> Session::OpenReader() const try {
  return Ledger::Open(options_.ledger_dir, {Ledger::Access::kReader, 0});
} catch (...) {
  return CaughtStatus();
}

Result<std::unique_ptr<Ledger>> Session::OpenWriter(bool catch_up) const try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(options_.ledger_dir, {Ledger::Access::kWriter,
                                                                           options_.wait_seconds}));
  // Projections left behind the log (an import cut short) are brought up
  // to date before anything is written after it.
  if (catch_up) VLEDGER_TRY(CatchUp(*ledger));
  return ledger;
} catch (...) {
  return CaughtStatus();
}

Result<PrivateKey> Session::SigningKey() const try {
  if (options_.key_path.empty()) {
    return Status::InvalidInput("--key",
                                "no signing key given (use --key FILE or set VLEDGER_KEY)");
  }
  auto key = PrivateKey::LoadPem(options_.key_path, options_.key_passphrase.value_or(""));
  if (!key.ok() && CheckPrivateKeyFile(options_.key_path).ok() && SigningKeyMayPrompt()) {
    VLEDGER_ASSIGN_OR_RETURN(std::string typed, prompt_(options_.key_path));
    key = PrivateKey::LoadPem(options_.key_path, typed);
  }
  if (!key.ok()) return key.status().WithPrefix("--key");
  return key;
} catch (...) {
  return CaughtStatus();
}

bool Session::SigningKeyMayPrompt() const {
  return !options_.key_passphrase && prompt_ && IsEncryptedKeyFile(options_.key_path);
}

}  // namespace vledger::app
