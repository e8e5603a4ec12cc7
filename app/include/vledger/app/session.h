// What every command of the application layer works with: which ledger,
// which signing key, how long to wait for the writer lock, and the clock.
// A front end builds one Session from its own inputs (the CLI from its
// options and environment, a server from its configuration); the
// application layer reads no environment variable and no terminal itself.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "vledger/app/signer.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"

namespace vledger::app {

// Asks a person for the passphrase of the encrypted key at `key_path`
// (the CLI: on the terminal). Refused (a Status) when nobody can be asked.
using PassphrasePrompt = std::function<Result<std::string>(const std::string& key_path)>;

// The one writer of a ledger that a server opens once and holds for its
// life. Commands take it in turn: a lease is the mutex, held from the
// open of a write to its end (commit or refusal). What a Ledger shares
// between threads: its read methods, each a RocksDB read of the last
// whole commit, may run on any thread; BeginWrite and everything that
// writes only under the lease. A StateStore is one thread's.
class SharedWriter {
 public:
  explicit SharedWriter(std::unique_ptr<Ledger> ledger) : ledger_(std::move(ledger)) {}
  Ledger& ledger() { return *ledger_; }
  // Waits up to `wait_seconds` for the writer; Unavailable ("in use by
  // another writer") after.
  Result<std::unique_lock<std::timed_mutex>> Acquire(int wait_seconds);

 private:
  std::unique_ptr<Ledger> ledger_;
  std::timed_mutex lease_;
};

// The ledger opened for writing: owned (a command's own open of the
// folder), or a server's shared writer under its lease.
class WriterHandle {
 public:
  explicit WriterHandle(std::unique_ptr<Ledger> owned)
      : owned_(std::move(owned)), ledger_(owned_.get()) {}
  WriterHandle(Ledger& shared, std::unique_lock<std::timed_mutex> lease)
      : ledger_(&shared), lease_(std::move(lease)) {}
  Ledger* get() const { return ledger_; }
  Ledger* operator->() const { return ledger_; }
  Ledger& operator*() const { return *ledger_; }
  // Closes an owned ledger, or gives the shared writer back.
  void reset() {
    ledger_ = nullptr;
    owned_.reset();
    if (lease_.owns_lock()) lease_.unlock();
  }

 private:
  std::unique_ptr<Ledger> owned_;
  Ledger* ledger_ = nullptr;
  std::unique_lock<std::timed_mutex> lease_;
};

struct SessionOptions {
  std::string ledger_dir;  // the ledger folder
  std::string key_path;    // the signing key (PKCS#8 PEM); empty: none given
  int wait_seconds = 0;    // how long to wait for another writer
  // A fixed time (2021-09-30T10:00:00Z or with .123 milliseconds), honoured
  // only by a ledger made with `init --test-clock`; empty: the system clock.
  std::string fixed_now;
  // The key's passphrase when the front end was given one.
  std::optional<std::string> key_passphrase;
  // A signer the front end made (a server's remote signer); none: the key
  // at key_path signs.
  std::shared_ptr<Signer> signer;
  // The writer a server holds; none: a write opens the folder itself.
  std::shared_ptr<SharedWriter> shared_writer;
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
  Result<WriterHandle> OpenWriter(bool catch_up = true) const;
  // The writer a server holds for its life (caught up, as OpenWriter's).
  Result<std::shared_ptr<SharedWriter>> OpenSharedWriter() const;
  // The signing key (refused when missing, unreadable or malformed). A
  // session with a remote signer holds no key: refused, naming the command
  // as one that cannot be run remotely yet.
  Result<PrivateKey> SigningKey() const;
  // Who signs commits: the session's signer, else the key.
  Result<std::shared_ptr<Signer>> CommitSigner() const;
  // Whether the session signs: a key given, or a signer the front end
  // made (a server's remote signer).
  bool HasSigner() const { return options_.signer != nullptr || !options_.key_path.empty(); }
  // The same session without its key or signer (commands that then use
  // stored checkpoints).
  Session WithoutSigner() const;
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
