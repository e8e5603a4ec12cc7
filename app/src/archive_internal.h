// Shared by the archive commands of app/src (not part of the application
// layer's interface): the archive check (archive_verify.cc) and restoring
// from an archive (archive.cc, for Restore in backup.cc).
#pragma once

#include <string>

#include "vledger/app/archive.h"
#include "vledger/ledger/crypto.h"

namespace vledger::app {

// Reports a stage's progress, when the caller asked for it.
inline void Tell(const ArchiveProgress& progress, const Msg& stage, uint64_t done, uint64_t total) {
  if (progress) progress(stage, done, total);
}

// The check of VerifyArchive without --checkpoint: signed by `trusted`
// when given, else by an active admin key of the archived ledger. Refused
// when the file cannot be read; a fault found in it is the result's.
Result<VerifyArchiveResult> CheckArchive(const std::string& path, const PublicKey* trusted,
                                         const ArchiveProgress& progress);

// Checks `archive` (CheckArchive: a failed verification naming the
// problem), then writes it into the new folder `ledger_dir`: each commit
// with its recorded signature, the person records of a full archive, the
// checkpoint, and the projections by replay. A failure removes the folder.
// Returns the check's result. Verifying the new ledger is the caller's job.
Result<VerifyArchiveResult> RestoreArchive(const std::string& archive,
                                           const std::string& ledger_dir,
                                           const ArchiveProgress& progress);

}  // namespace vledger::app
