// The outbox of an offline village (SPEC section 12, `--outbox` and
// `sync`): a command that appends, kept on the collector's machine when
// the county server cannot be reached, as the server would get it, with
// the act's date fixed when it was entered, and signed by the collector's
// key so that a file altered on disk is refused. `sync` sends each entry
// later through the normal prepare -> sign -> commit.
//
// An entry is one file `OUTBOX/<entered, UTC>-<request id>.json`: a JSON
// object with the members below and `signature`, the Ed25519 signature by
// the entry's key of "VLEDGER-OUTBOX-V1\n" followed by the canonical form
// (OutboxCanonical: the same object without `signature`, keys sorted, no
// spaces). The private key never goes in the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vledger/app/remote.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// A file sent with the command (its placeholder name, its bytes).
struct OutboxFile {
  std::string name;
  std::string bytes;
};

struct OutboxEntry {
  std::string entered_at;         // when it was entered, UTC: 2026-12-02T09:30:00.123Z
  std::string on;                 // the act's date fixed then (China Standard Time), YYYY-MM-DD
  std::string command;            // its words: "award", "fund open"
  std::string server;             // the server URL it was meant for
  std::string key_id;             // the key that signed the entry and signs the commit
  std::string request_id;         // fixed: a resend gets the original answer
  std::vector<std::string> args;  // the command line as the server gets it
  std::vector<OutboxFile> files;
  CommitExpectation expect;  // what the prepared commit must say
};

// Where the outbox is: $XDG_DATA_HOME/vledger/outbox, else
// $HOME/.local/share/vledger/outbox (empty arguments: not set).
Result<std::string> OutboxDir(const std::string& xdg_data_home, const std::string& home);

// The signed bytes of `entry`: "VLEDGER-OUTBOX-V1\n" + canonical JSON.
std::string OutboxSignedBytes(const OutboxEntry& entry);
// The file's bytes: the canonical members and the signature by `key`
// (InvalidInput when the entry's key id is not the key's).
Result<std::string> EncodeOutboxEntry(const OutboxEntry& entry, const PrivateKey& key);
// Parses a file's bytes and checks the signature with `key` (the public
// half of the key that is to sign the commit): VerificationFailed when the
// file is not a well-formed entry or its signature does not hold (an
// altered file); PermissionDenied when it was entered with another key.
Result<OutboxEntry> DecodeOutboxEntry(std::string_view bytes, const PublicKey& key);

// Writes `entry` into `dir` (made with mode 0700 when missing), signed by
// `key`, as a new file of mode 0600 written atomically; returns its name.
Result<std::string> WriteOutboxEntry(const std::string& dir, const OutboxEntry& entry,
                                     const PrivateKey& key);

// One kept entry, read without its signature checked (for `sync --list`;
// `sync` checks it with DecodeOutboxEntry before sending).
struct OutboxListing {
  std::string name;  // file name in the outbox
  std::string entered_at, on, command, server, request_id;
  std::vector<std::string> args;
  Status fault;  // not ok: the file cannot be read or does not parse (why)
};
// The entries of `dir`, oldest first (by file name); none when `dir` does
// not exist.
Result<std::vector<OutboxListing>> ListOutbox(const std::string& dir);
// The bytes of entry `name` of `dir`.
Result<std::string> ReadOutboxFile(const std::string& dir, const std::string& name);
// Removes entry `name` (after its answer came) and syncs the folder.
Status RemoveOutboxEntry(const std::string& dir, const std::string& name);
// Moves entry `name` to `dir/refused/` with `error` beside it in
// `refused/<name>.error`; returns the path it went to.
Result<std::string> RefuseOutboxEntry(const std::string& dir, const std::string& name,
                                      const std::string& error);

// Holds `dir/.lock` (flock) while a sync runs; Unavailable when another
// sync holds it.
class OutboxLock {
 public:
  static Result<OutboxLock> Take(const std::string& dir);
  OutboxLock(OutboxLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  OutboxLock& operator=(OutboxLock&&) = delete;
  ~OutboxLock();

 private:
  explicit OutboxLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace vledger::app
