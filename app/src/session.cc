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
  // A server's reads: a snapshot of its writer's database (a new instance
  // for each would cost more than most reads themselves).
  if (options_.shared_writer) return Ledger::OpenView(options_.shared_writer->ledger());
  return Ledger::Open(options_.ledger_dir, {Ledger::Access::kReader, 0});
} catch (...) {
  return CaughtStatus();
}

Result<std::unique_lock<std::timed_mutex>> SharedWriter::Acquire(int wait_seconds) {
  std::unique_lock<std::timed_mutex> lease(lease_, std::defer_lock);
  if (!lease.try_lock_for(std::chrono::seconds(wait_seconds))) {
    return Status::Unavailable(Msg(
        "ledger {} is in use by another writer (try again, or --wait SECONDS)", ledger_->dir()));
  }
  return lease;
}

Result<WriterHandle> Session::OpenWriter(bool catch_up) const try {
  std::optional<WriterHandle> writer;
  if (options_.shared_writer) {
    VLEDGER_ASSIGN_OR_RETURN(auto lease, options_.shared_writer->Acquire(options_.wait_seconds));
    writer.emplace(options_.shared_writer->ledger(), std::move(lease));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(
        auto ledger,
        Ledger::Open(options_.ledger_dir, {Ledger::Access::kWriter, options_.wait_seconds}));
    writer.emplace(std::move(ledger));
  }
  // Projections left behind the log (an import cut short) are brought up
  // to date before anything is written after it.
  if (catch_up) VLEDGER_TRY(CatchUp(**writer));
  return std::move(*writer);
} catch (...) {
  return CaughtStatus();
}

Result<std::shared_ptr<SharedWriter>> Session::OpenSharedWriter() const try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(options_.ledger_dir, {Ledger::Access::kWriter,
                                                                           options_.wait_seconds}));
  VLEDGER_TRY(CatchUp(*ledger));
  return std::make_shared<SharedWriter>(std::move(ledger));
} catch (...) {
  return CaughtStatus();
}

Result<std::shared_ptr<Signer>> Session::CommitSigner() const try {
  if (options_.signer) return options_.signer;
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, SigningKey());
  return std::shared_ptr<Signer>(std::make_shared<LocalSigner>(std::move(key)));
} catch (...) {
  return CaughtStatus();
}

Result<PrivateKey> Session::SigningKey() const try {
  if (options_.signer) {
    return Status::FailedPrecondition(
        "this command signs with the key itself and cannot be run remotely yet (run it on the "
        "server's machine)");
  }
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

Session Session::WithoutSigner() const {
  SessionOptions options = options_;
  options.key_path.clear();
  options.key_passphrase.reset();
  options.signer.reset();
  return Session(std::move(options));
}

bool Session::SigningKeyMayPrompt() const {
  return !options_.key_passphrase && prompt_ && IsEncryptedKeyFile(options_.key_path);
}

}  // namespace vledger::app
