// Verification of a whole log: every record hash recomputed from the stored
// bytes, every commit signature, every event's authorization and validity
// by replay, the Merkle tree, the person records, and the projections.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/merkle.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/state.h"

namespace vledger {

// What verify found: ok, or the first fault and the seq it belongs to
// (none when it belongs to no single event).
struct VerifyOutcome {
  bool ok = true;
  std::optional<uint64_t> seq;
  std::string problem;  // in English: fault.message()
  Status fault;         // the fault (VerificationFailed), for a front end to show
  uint64_t events = 0;
  Hash root{};  // Merkle root of all events
};

// The integrity half of verification: event seqs without gaps, every
// record hash recomputed (and compared with the stored one), the Merkle
// tree. Each call returns VerificationFailed naming the problem; it is then spent.
class ChainHasher {
 public:
  // The next event; its record hash goes to *hash.
  Status Add(uint64_t seq, std::string_view canonical, const Hash* stored_hash, Hash* hash);

  uint64_t size() const { return size_; }
  const Hash& head() const { return head_; }
  Hash MerkleRoot() const { return merkle_.Root(); }
  // The Merkle nodes a ledger stores (store.h, levels kStoredMerkleLevelMin
  // and up), as the stream completed them: per level, how many and a chain
  // H(chain || node) over them in index order.
  struct NodeChain {
    uint64_t nodes = 0;
    Hash chain{};
  };
  const std::array<NodeChain, kMerkleLevelsMax>& node_chains() const { return node_chains_; }
  // The seq the last VerificationFailed belongs to.
  std::optional<uint64_t> fault_seq() const { return fault_seq_; }

 private:
  Status Fail(uint64_t seq, Msg problem);
  Sha256Hasher hasher_;
  StreamingMerkleRoot merkle_;
  std::vector<MerkleNode> completed_;
  std::array<NodeChain, kMerkleLevelsMax> node_chains_{};
  uint64_t size_ = 0;
  Hash head_{};
  std::optional<uint64_t> fault_seq_;
};

// A commit signature still to check: what was signed, with which key.
struct SignatureCheck {
  uint64_t first = 0, last = 0;
  std::string public_key, message, signature;
  // VerificationFailed of a signature that does not verify.
  Status Run() const;
};

// The replay half: every event decoded, its author and commit checked, and
// applied to a StateStore held in memory.
class ChainReplayer {
 public:
  explicit ChainReplayer(EventSource earlier_events);
  // Continues after the events `ledger` holds, over its stored projection
  // rows (which must be as of its last event): the state is live, each
  // change kept in state() until TakeWrites hands it to a commit. For a
  // replica applying the commits its server sends (app/feed.h).
  static Result<std::unique_ptr<ChainReplayer>> Resume(const Ledger& ledger,
                                                       EventSource earlier_events);

  // The next event (which the ChainHasher saw as `seq`).
  Status AddEvent(uint64_t seq, std::string_view canonical);
  // The same, decoded already (DecodeEvent of its canonical form, which
  // may have failed): for a caller that decodes on another thread.
  Status AddDecoded(uint64_t seq, Result<Event> event);
  // The same, decoded without fault: `event` is only read, so a caller
  // that decodes batch after batch can decode into it again.
  Status Add(uint64_t seq, const Event& event);
  // A commit, right after its last event whose hash is `last_hash`: its
  // range and key are checked here; its signature is left to *check.
  Status CloseCommit(const CommitRecord& commit, const Hash& last_hash, SignatureCheck* check);
  // The end of the stream: every event must be in a commit.
  Status Finish();

  uint64_t size() const { return size_; }
  StateStore& state() { return state_; }
  // The seq the last VerificationFailed belongs to, if any.
  std::optional<uint64_t> fault_seq() const { return fault_seq_; }

 private:
  Status Fail(std::optional<uint64_t> seq, Msg problem);
  // In a ledger whose genesis says monotonicTime, no recordedAt is below
  // its predecessor's (SPEC §12, test clock). Older ledgers lack the flag.
  Status CheckRecordedAt(uint64_t seq, const Event& event);
  ChainReplayer(std::unique_ptr<RowSource> rows, EventSource earlier_events);
  StateStore state_;
  bool monotonic_time_ = false;
  int64_t last_recorded_at_ms_ = 0;
  uint64_t size_ = 0;
  uint64_t commit_first_ = 0;      // first seq not yet in a commit
  std::string commit_key_id_;      // author of the events since commit_first_
  std::string commit_public_key_;  // that author's key, as registered
  std::optional<uint64_t> fault_seq_;
};

// Checks a stream of events and commits in log order, one after the other:
// both halves above. Used by `verify --archive`. Each call returns VerificationFailed
// naming the problem; the verifier is then spent.
class ChainVerifier {
 public:
  explicit ChainVerifier(EventSource earlier_events);

  // The next event. `stored_hash`, when the source keeps one, must equal
  // the recomputed h[seq].
  Status AddEvent(uint64_t seq, std::string_view canonical, const Hash* stored_hash);
  // A commit, right after its last event.
  Status AddCommit(const CommitRecord& commit);
  // The end of the stream: every event must be in a commit.
  Status Finish();

  uint64_t size() const { return hasher_.size(); }
  const Hash& head() const { return hasher_.head(); }
  Hash MerkleRoot() const { return hasher_.MerkleRoot(); }
  StateStore& state() { return replayer_.state(); }
  // The seq a VerificationFailed belongs to, if any.
  std::optional<uint64_t> fault_seq() const { return fault_seq_; }

 private:
  ChainHasher hasher_;
  ChainReplayer replayer_;
  std::optional<uint64_t> fault_seq_;
};

// Verifies a ledger. The Result fails (a storage error) only for storage damage;
// a fault in the data is an outcome with ok == false.
Result<VerifyOutcome> VerifyLedger(const Ledger& ledger);

// Checks the checkpoint stored at `size` (the text of its `checkpoints`
// row): it parses, says `size` and the ledger's `origin`, its root is the
// Merkle root of the log's first `size` events, and it is signed under the
// origin's key name by a key that was an active admin (or checkpointer,
// SPEC section 12) at that size: registered before event `size`, not
// revoked before it. Every signature line under the origin's name must be
// by such a key and verify; lines under other names (witnesses) are left
// alone. `state` holds the key records (the stored projections or a
// replay of the whole log). VerificationFailed "checkpoint at size N: …".
Result<Checkpoint> CheckStoredCheckpoint(const Ledger& ledger, StateStore& state,
                                         const std::string& origin, uint64_t size,
                                         std::string_view text);
// CheckStoredCheckpoint of every stored checkpoint, in size order.
Status CheckStoredCheckpoints(const Ledger& ledger, StateStore& state, const std::string& origin);

// The seq that registered a person record's owner (a resident, a
// household, or the donation of a donor), when known. Messages name the
// owner by kind, id and this seq, each kind with its own pattern.
std::optional<uint64_t> PersonOwnerSeq(StateStore& state, const PersonOwner& owner);

// Replays the first `size` events of the ledger into `state` (a replay
// StateStore). VerificationFailed when an event does not apply.
Status Replay(const Ledger& ledger, uint64_t size, StateStore& state);

// Recomputes every projection row by replaying the log and replaces the
// stored ones with them (`rebuild`; writer only), written in batches of
// about `batch_bytes`. Returns the number of rows written. `replayed`, when
// given, is called with the replayed state once its rows are written and
// before it is freed (to take from it what a later step would otherwise
// read back from the rows), its indexes by id already dropped
// (StateStore::DropIndexes: it can list entities, not find them); it may
// free parts of it first (StateStore::FreeAllBut), nothing else reads it
// after.
inline constexpr size_t kRebuildBatchBytes = 1 << 20;
Result<uint64_t> RebuildProjections(Ledger& ledger, size_t batch_bytes = kRebuildBatchBytes,
                                    const std::function<void(StateStore&)>& replayed = {});

// Calls fn(seq, event) for the events [from, to) in order, read and decoded
// on a second thread when there are many. Stops at the first error. With
// `hints`, the entities of the events ahead are hinted in it (PrefetchAhead).
Status ScanDecoded(const Ledger& ledger, uint64_t from, uint64_t to,
                   const std::function<Status(uint64_t seq, const Event& event)>& fn,
                   StateStore* hints = nullptr);

// Applies events [from, to) to `state` (live or replay). VerificationFailed when an
// event does not apply.
Status ReplayRange(const Ledger& ledger, uint64_t from, uint64_t to, StateStore& state);

// Brings the stored projections up to the log when they are behind it
// (proj_size < size: an import cut short), by replaying the rest of the
// log onto them; from nothing (proj_size 0: a rebuild cut short), by a
// rebuild. Writer only.
Status CatchUp(Ledger& ledger);
// Index rows: written once, checked through their owners' chains.
bool IsIndexRow(std::string_view key);

}  // namespace vledger
