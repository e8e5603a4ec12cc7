// The auditors' commands over signed tree heads and proofs (SPEC section 5):
//   checkpoint [--size N]                      sign and store a C2SP checkpoint
//   prove SEQ [--size N]                       c2sp.org/tlog-proof@v1 of one event
//   verify-proof FILE --pub KEY                check one offline (no ledger)
//   consistency OLD [NEW]                      RFC 9162 consistency proof
//   verify-consistency OLD NEW PROOF --pub KEY check one offline
// Archives (export, verify --archive) and backup/restore are in archive.h.
// Which checkpoint a command works at, and who may sign one: checkpoint.h.
// (`Checkpoint` below is the command; the tree head type is
// vledger::Checkpoint.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vledger/app/checkpoint.h"
#include "vledger/app/session.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// Reads a small evidence file whole (a checkpoint, a proof, a report),
// `what` naming it in errors (the field): not found when it does not
// exist, invalid input when it cannot be read, a failed verification when
// it is larger than `bytes_max`.
Result<std::string> ReadEvidenceFile(const std::string& what, const std::string& path,
                                     size_t bytes_max);

// The public key file given as --pub (its errors name --pub).
Result<PublicKey> LoadPub(const std::string& path);

// ------------------------------------------------------------ checkpoint

struct CheckpointRequest {
  std::optional<uint64_t> size;  // default: the whole log
};
using CheckpointResult = SignedHead;  // the note is the command's output

// Signs and stores a checkpoint with the session's key (CheckpointForUse);
// invalid input when the session has no key.
Result<CheckpointResult> Checkpoint(const Session& session, const CheckpointRequest& request);

// ----------------------------------------------------------------- prove

struct ProveRequest {
  uint64_t seq = 0;
  std::optional<uint64_t> size;  // the tree size (signing one needs an admin key)
};
struct ProveResult {
  uint64_t index = 0;  // the event's seq
  uint64_t size = 0;   // the checkpoint's tree size
  std::string proof;   // the c2sp.org/tlog-proof@v1 text
};

// A proof that event `seq` is in the tree of the checkpoint chosen by
// CheckpointForUse. Not found when seq is past the end of the log; invalid
// input when it is not below --size; failed precondition when the newest
// stored checkpoint does not cover it. The proof is checked before it is
// handed out (a failed verification when the stored tree does not prove
// the stored event).
Result<ProveResult> Prove(const Session& session, const ProveRequest& request);
std::string ProveJson(const ProveResult& result);  // {"index","size","proof"}

// ---------------------------------------------------------- verify-proof

struct VerifyProofRequest {
  std::string proof_path;  // the .tlog-proof file
  std::string pub_path;    // the admin public key that signed its checkpoint
};
struct VerifyProofResult {
  uint64_t seq = 0;
  Hash hash{};  // the event's record hash
  std::string type;
  int64_t recorded_at_ms = 0;
  std::string key_id;
  std::string request_id;    // empty: none
  std::string body_json;     // the event body as a JSON object
  vledger::Checkpoint head;  // the checkpoint the proof leads to
};

// Checks a tlog-proof offline: the checkpoint's signature under --pub,
// the inclusion path to its root, and that the proven event decodes.
// Every check that fails is a failed verification naming it.
Result<VerifyProofResult> VerifyProof(const Session& session, const VerifyProofRequest& request);
std::string VerifyProofJson(const VerifyProofResult& result);

// ----------------------------------------------------------- consistency

struct ConsistencyRequest {
  uint64_t old_size = 0;
  std::optional<uint64_t> new_size;  // default: the whole log
};
struct ConsistencyResult {
  uint64_t old_size = 0, new_size = 0;
  std::vector<Hash> proof;
  std::string text;  // the proof as base64 lines (what `consistency` prints)
};

// An RFC 9162 consistency proof between two tree sizes: not found when
// NEW_SIZE is past the end of the log, invalid input when OLD_SIZE is
// larger than it.
Result<ConsistencyResult> Consistency(const Session& session, const ConsistencyRequest& request);
std::string ConsistencyJson(const ConsistencyResult& result);  // {"oldSize","newSize","proof"}

// ---------------------------------------------------- verify-consistency

struct VerifyConsistencyRequest {
  std::string old_path, new_path;  // checkpoint files
  std::string proof_path;          // what `consistency` printed (text or --json)
  std::string pub_path;            // the admin public key that signed them
};
struct VerifyConsistencyResult {
  vledger::Checkpoint old_head, new_head;
};

// Checks offline that the old checkpoint's tree is a prefix of the new
// one's; every check that fails is a failed verification naming it.
Result<VerifyConsistencyResult> VerifyConsistency(const Session& session,
                                                  const VerifyConsistencyRequest& request);
std::string VerifyConsistencyJson(const VerifyConsistencyResult& result);

}  // namespace vledger::app
