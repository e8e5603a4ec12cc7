// Shared by the auditors' commands (commands_audit.cc: checkpoint, prove,
// consistency and their verifiers; audit_archive.cc: export and
// verify --archive): choosing the checkpoint a command works at, reading
// small evidence files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "context.h"
#include "vledger/app/checkpoint.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/store.h"

namespace vledger::cli {

using app::SignedHead;

// app::CheckpointForUse with the CLI's session (--key given: sign).
inline Result<SignedHead> CheckpointForUse(Context& ctx, const Ledger& ledger,
                                           std::optional<uint64_t> size) {
  return app::CheckpointForUse(ctx.Session(), ledger, size);
}

// `restore ARCHIVE`: checks the archive as `verify --archive` does (Fault
// naming the problem), then writes it into the new folder `ledger_dir`
// (Rejected when it exists): each commit with its recorded signature, the
// person records of a full archive, the checkpoint, and the projections by
// replay. A failure removes the folder. Returns whether the archive was a
// public one (no person records). Verifying the result is the caller's job.
Result<bool> RestoreArchive(const std::string& archive, const std::string& ledger_dir);

// Reads a small evidence file whole (checkpoint, proof): Rejected when it
// cannot be read, Fault when it is larger than `bytes_max`.
Result<std::string> ReadEvidenceFile(const std::string& what, const std::string& path,
                                     size_t bytes_max);

}  // namespace vledger::cli
