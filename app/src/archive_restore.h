// Restoring a ledger from an archive (archive.cc), for Restore (backup.cc).
#pragma once

#include <string>

#include "vledger/app/archive.h"

namespace vledger::app {

// Checks `archive` as VerifyArchive does (a failed verification naming the
// problem), then writes it into the new folder `ledger_dir`: each commit
// with its recorded signature, the person records of a full archive, the
// checkpoint, and the projections by replay. A failure removes the folder.
// Returns the check's result. Verifying the new ledger is the caller's job.
Result<VerifyArchiveResult> RestoreArchive(const std::string& archive,
                                           const std::string& ledger_dir,
                                           const ArchiveProgress& progress);

}  // namespace vledger::app
