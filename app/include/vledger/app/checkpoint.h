// Signed tree heads: which checkpoint a command works at, and the policy
// for signing one (SPEC section 5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vledger/app/session.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/store.h"

namespace vledger::app {

// A tree head the ledger has signed, with its note text.
struct SignedHead {
  Checkpoint head;
  std::string text;  // the signed note to hand out
};

// The checkpoint `prove`, `export`, the reports (and `checkpoint` itself)
// work at:
//  - when the session has a signing key (it must be a registered, unrevoked
//    admin key of this ledger, registered before `size`; else permission
//    denied or failed precondition): signs a fresh checkpoint at `size`
//    (default the current size) and stores it beside the log. Before
//    signing, every stored checkpoint is re-checked against the stored tree
//    (a failed verification refuses to sign when one no longer matches), so
//    the ledger never signs two inconsistent heads. Only this store takes
//    the writer lock.
//  - without one: the stored checkpoint at `size`, or the newest stored
//    one; refused when there is none. Its root is checked against the tree.
// Checkpoints are signed at commit boundaries only (`size` inside a commit
// is invalid input), so every checkpoint can be exported as an archive of
// whole, signed commits.
Result<SignedHead> CheckpointForUse(const Session& session, const Ledger& ledger,
                                    std::optional<uint64_t> size);

// For a process that holds the writer (the server, `serve --checkpoint-key`):
// signs the tree of the writer's whole log with `key` and stores the note
// beside the log, merged with the signatures already stored at that size.
// The key must be an admin or checkpointer key registered before the
// current size and not revoked (SignsCheckpointsAt; permission denied or
// failed precondition otherwise). Cheap when nothing changed: when the
// newest stored checkpoint is of the current size and carries this key's
// signature it is returned as stored, and nothing is signed or written.
// Before storing, the newest stored checkpoint's root is checked against
// the tree (a failed verification refuses to sign), so the new head is
// consistent with it; unlike CheckpointForUse it does not re-check every
// stored checkpoint, whose number grows with every head a server signs
// (`verify` checks them all).
Result<SignedHead> SignCheckpoint(const PrivateKey& key, Ledger& writer);
// The same with the session's --key (loaded on every call).
Result<SignedHead> SignCheckpoint(const Session& session, Ledger& writer);

}  // namespace vledger::app
