// The portable archive (SPEC section 5) and copies of a ledger (SPEC
// section 7):
//   export FILE --public|--full [--size N]   write an archive at a checkpoint
//   verify --archive FILE [--checkpoint F] [--pub KEY]
//                                            check one with no ledger at all
//   backup DIR                               copy the last whole commit
//   restore DIR|ARCHIVE                      a new ledger from either, verified
// Export and verification stream: memory stays flat in the log's length.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/app/session.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// Told how far long work has come: `stage` (Msg "export", "verify" or
// "restore": the label of a progress bar, for a front end to translate),
// `done` of `total` (events or archive bytes). Front ends draw a progress
// bar; it may be empty.
using ArchiveProgress = std::function<void(const Msg& stage, uint64_t done, uint64_t total)>;

// ---------------------------------------------------------------- export

enum class ArchiveKind { kPublic, kFull };

struct ExportRequest {
  std::string path;  // the archive file to write
  ArchiveKind kind = ArchiveKind::kPublic;
  std::optional<uint64_t> size;  // default: the newest checkpoint (or now, with an admin key)
  ArchiveProgress progress;
};
struct ExportResult {
  std::string path;
  ArchiveKind kind = ArchiveKind::kPublic;
  uint64_t events = 0, commits = 0, persons = 0;
  vledger::Checkpoint head;  // the checkpoint it was written at
  uint64_t bytes = 0;        // the file's size
};

// Writes the events and commits of the checkpoint chosen by
// CheckpointForUse (re-hashed on the way out: a failed verification when
// the store does not give the checkpoint's root), with a full archive the
// person records its events commit to, then the checkpoint. Refused
// (failed precondition) when the checkpoint splits a commit, when a full
// archive cannot hold a record erased since, or when the ledger was
// restored from a public archive and --full is asked for.
Result<ExportResult> Export(const Session& session, const ExportRequest& request);
std::string ExportJson(const ExportResult& result);

// ------------------------------------------------------ verify --archive

struct VerifyArchiveRequest {
  std::string archive;     // the archive file
  std::string checkpoint;  // --checkpoint: a checkpoint file it must match (may be empty)
  std::string pub;         // --pub: the admin key that must have signed (may be empty)
  ArchiveProgress progress;
};
struct VerifyArchiveResult {
  // Ok, or a failed verification naming the first fault ("archive FILE
  // does not verify: seq N: …"); the members below say the same.
  Status fault;
  std::optional<uint64_t> seq;  // where the first fault is, when at an event
  std::string problem;          // the first fault
  bool is_public = false;
  uint64_t events = 0, commits = 0, persons = 0;
  vledger::Checkpoint head;  // the archive's checkpoint
  std::string signed_by;     // key id that signed it
  std::vector<Msg> warnings;
};

// Checks an archive with no ledger: the header, every record hash, commit
// signature and event (replayed as `verify` replays a ledger), the person
// records of a full archive against their commitments, the checkpoint
// (signed by --pub, else by an active admin key of the archived ledger;
// equal to --checkpoint when given) and the postings' totals. A file that
// cannot be read is refused (the Status); every fault in it is a result
// with `fault` set.
Result<VerifyArchiveResult> VerifyArchive(const Session& session,
                                          const VerifyArchiveRequest& request);
// {"ok":true,…} or {"ok":false,"seq":…,"problem":…}.
std::string VerifyArchiveJson(const VerifyArchiveResult& result);

// ---------------------------------------------------------------- backup

struct BackupRequest {
  std::string dir;  // a new or empty folder
};
struct BackupResult {
  std::string dir;
  uint64_t events = 0;
  Hash head{};  // the record hash of the last event copied
  uint64_t rows = 0;
};

// Copies the last whole commit the session's ledger shows into a new
// ledger folder (as a reader: it runs beside a writer).
Result<BackupResult> Backup(const Session& session, const BackupRequest& request);
std::string BackupJson(const BackupResult& result);

// --------------------------------------------------------------- restore

struct RestoreRequest {
  std::string source;  // a backup folder or an archive file
  ArchiveProgress progress;
};
struct RestoreResult {
  std::string ledger_dir;  // the new ledger folder (the session's)
  bool from_archive = false;
  uint64_t events = 0;
  Hash root{};  // the Merkle root of all events, as verified
  std::vector<Msg> warnings;
};

// Makes the session's ledger folder (already existing: refused) from a
// backup folder or an archive (checked whole before anything is written),
// then verifies it in full. A failure of any kind removes the new folder:
// nothing is left behind.
Result<RestoreResult> Restore(const Session& session, const RestoreRequest& request);
std::string RestoreJson(const RestoreResult& result);

}  // namespace vledger::app
