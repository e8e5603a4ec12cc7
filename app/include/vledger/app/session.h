// What every command of the application layer works with: which ledger,
// which signing key, how long to wait for the writer lock, and the clock.
// A front end builds one Session from its own inputs (the CLI from its
// options and environment, a server from its configuration); the
// application layer reads no environment variable and no terminal itself.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"

namespace vledger::app {

// Asks a person for the passphrase of the encrypted key at `key_path`
// (the CLI: on the terminal). Refused (a Status) when nobody can be asked.
using PassphrasePrompt = std::function<Result<std::string>(const std::string& key_path)>;

struct SessionOptions {
  std::string ledger_dir;  // the ledger folder
  std::string key_path;    // the signing key (PKCS#8 PEM); empty: none given
  int wait_seconds = 0;    // how long to wait for another writer
  // A fixed time (2021-09-30T10:00:00Z or with .123 milliseconds), honoured
  // only by a ledger made with `init --test-clock`; empty: the system clock.
  std::string fixed_now;
  // The key's passphrase when the front end was given one.
  std::optional<std::string> key_passphrase;
};

class Session {
 public:
  Session() = default;
  explicit Session(SessionOptions options, PassphrasePrompt prompt = {})
      : options_(std::move(options)), prompt_(std::move(prompt)) {}

  const SessionOptions& options() const { return options_; }

  // UTC milliseconds for a command on `ledger`: the fixed time when the
  // ledger was made with `init --test-clock`, else the system clock. A
  // fixed time on any other ledger is refused: the recorded time is no key
  // holder's to choose.
  Result<int64_t> NowMs(const Ledger& ledger) const;
  // NowMs for an append: also refused when it is behind the recordedAt of
  // the ledger's last event (equal is fine).
  Result<int64_t> AppendNowMs(const Ledger& ledger) const;
  // The clock of `init`: the fixed time only with `test_clock`.
  Result<int64_t> InitNowMs(bool test_clock) const;

  Result<std::unique_ptr<Ledger>> OpenReader() const;
  // The one writer, its projections caught up with the log (unless
  // `catch_up` is false: for `rebuild`, which recomputes them anyway).
  Result<std::unique_ptr<Ledger>> OpenWriter(bool catch_up = true) const;
  // The signing key (refused when missing, unreadable or malformed).
  Result<PrivateKey> SigningKey() const;
  // Whether SigningKey may ask for the key's passphrase: an encrypted key,
  // no passphrase given, and a prompt to ask with.
  bool SigningKeyMayPrompt() const;

 private:
  SessionOptions options_;
  PassphrasePrompt prompt_;
};

// Parses a fixed time as SessionOptions::fixed_now spells it; `field`
// names where it came from (e.g. "VLEDGER_NOW").
Result<int64_t> ParseFixedNow(std::string_view field, const std::string& text);

}  // namespace vledger::app
