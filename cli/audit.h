// Shared by the auditors' commands (commands_audit.cc: checkpoint, prove,
// consistency and their verifiers; audit_archive.cc: export and
// verify --archive): choosing the checkpoint a command works at, reading
// small evidence files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "context.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/store.h"

namespace vledger::cli {

// A tree head the ledger has signed, with its note text.
struct SignedHead {
  Checkpoint head;
  std::string text;  // the signed note to hand out
};

// The checkpoint `prove`, `export` (and `checkpoint` itself) work at, per
// SPEC section 5:
//  - with a --key (it must be a registered, unrevoked admin key of this
//    ledger, else Rejected): signs a fresh checkpoint at `size` (default the
//    current size) and stores it beside the log. Before signing, every
//    stored checkpoint is re-checked against the stored tree (a Fault
//    refuses to sign when one no longer matches), so the ledger never signs
//    two inconsistent heads. Only this store takes the writer lock.
//  - without one: the stored checkpoint at `size`, or the newest stored one;
//    Rejected when there is none. Its root is checked against the tree.
// Checkpoints are signed at commit boundaries only (`--size` inside a
// commit is Rejected), so every checkpoint can be exported as an archive of
// whole, signed commits.
Result<SignedHead> CheckpointForUse(Context& ctx, const Ledger& ledger,
                                    std::optional<uint64_t> size);

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
