#include "vledger/projections/verify.h"

#include <malloc.h>

#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "vledger/ledger/channel.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/restate.h"
#include "vledger/projections/accounts.h"
#include "vledger/projections/apply.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger {

bool IsIndexRow(std::string_view key) {
  return key.starts_with(kHistoryPrefix) || key.starts_with(kMovementPrefix);
}

// ------------------------------------------------------------ ChainHasher

Status ChainHasher::Fail(uint64_t seq, Msg problem) {
  fault_seq_ = seq;
  return Status::VerificationFailed(std::move(problem));
}

Status ChainHasher::Add(uint64_t seq, std::string_view canonical, const Hash* stored_hash,
                        Hash* hash) {
  if (seq != size_) {
    return Fail(size_, Msg("event {} is missing (next stored is seq {})", size_, seq));
  }
  Hash h = RecordHash(hasher_, seq, head_, canonical);
  if (stored_hash != nullptr && *stored_hash != h) {
    return Fail(seq,
                Msg("record hash of seq {} does not match its stored bytes (event altered)", seq));
  }
  completed_.clear();
  merkle_.AddLeafHash(MerkleLeafHash(h), &completed_);
  for (const MerkleNode& n : completed_) {
    if (n.level < kStoredMerkleLevelMin) continue;
    NodeChain& c = node_chains_[n.level];
    c.chain = ChainHistory(c.chain, AsView(n.hash));
    c.nodes++;
  }
  head_ = h;
  size_ = seq + 1;
  *hash = h;
  return Status::Ok();
}

// --------------------------------------------------------- ChainReplayer

Status SignatureCheck::Run() const {
  auto pub = PublicKey::FromRaw(public_key);
  if (pub.ok() && pub->Verify(message, signature)) return Status::Ok();
  return Status::VerificationFailed(Msg("commit {}..{}: signature does not verify", first, last));
}

ChainReplayer::ChainReplayer(EventSource earlier_events)
    : state_(nullptr, std::move(earlier_events)) {
  state_.SetIndexRows(IndexRows::kDrop);
}

ChainReplayer::ChainReplayer(std::unique_ptr<RowSource> rows, EventSource earlier_events)
    : state_(std::move(rows), std::move(earlier_events)) {}

Result<std::unique_ptr<ChainReplayer>> ChainReplayer::Resume(const Ledger& ledger,
                                                             EventSource earlier_events) {
  if (ledger.proj_size() != ledger.size()) {
    return Status::FailedPrecondition(
        Msg("the projections are as of {} events, the log holds {} (run `vledger rebuild`)",
            ledger.proj_size(), ledger.size()));
  }
  std::unique_ptr<ChainReplayer> r(new ChainReplayer(ledger.Rows(), std::move(earlier_events)));
  r->size_ = r->commit_first_ = ledger.size();
  if (ledger.size() > 0) {
    VLEDGER_ASSIGN_OR_RETURN(Event genesis, ledger.ReadDecoded(0));
    const Genesis* g = std::get_if<Genesis>(&genesis.body);
    r->monotonic_time_ = g != nullptr && g->monotonic_time;
    VLEDGER_ASSIGN_OR_RETURN(Event last, ledger.ReadDecoded(ledger.size() - 1));
    r->last_recorded_at_ms_ = last.recorded_at_ms;
  }
  return r;
}

Status ChainReplayer::Fail(std::optional<uint64_t> seq, Msg problem) {
  fault_seq_ = seq;
  return Status::VerificationFailed(std::move(problem));
}

Status ChainReplayer::AddEvent(uint64_t seq, std::string_view canonical) {
  return AddDecoded(seq, DecodeEvent(canonical));
}

Status ChainReplayer::AddDecoded(uint64_t seq, Result<Event> event) {
  VLEDGER_ASSERT(seq == size_);
  if (!event.ok()) {
    fault_seq_ = seq;
    return Restated(event.status(), Code::kVerificationFailed).WithSeq(seq);
  }
  return Add(seq, *event);
}

Status ChainReplayer::Add(uint64_t seq, const Event& event) {
  VLEDGER_ASSERT(seq == size_);
  if (seq == commit_first_) {
    commit_key_id_ = event.key_id;
  } else if (event.key_id != commit_key_id_) {
    return Fail(seq, Msg("seq {} is by key {} but shares a commit with events by key {}", seq,
                         event.key_id, commit_key_id_));
  }
  VLEDGER_TRY(CheckRecordedAt(seq, event));
  Status applied = ApplyEvent(state_, seq, event);
  if (!applied.ok()) {
    fault_seq_ = seq;
    return Restated(applied, Code::kVerificationFailed)
        .WithPrefix(Msg("seq {} ({}) is invalid", seq, EventTypeName(event.body)));
  }
  if (seq == commit_first_) {
    const KeyRecord* key = FindKey(state_, commit_key_id_);
    VLEDGER_ASSERT(key != nullptr);  // ApplyEvent checked the author
    commit_public_key_ = key->public_key;
  }
  size_ = seq + 1;
  return Status::Ok();
}

Status ChainReplayer::CheckRecordedAt(uint64_t seq, const Event& event) {
  if (seq == 0) {
    const Genesis* genesis = std::get_if<Genesis>(&event.body);
    monotonic_time_ = genesis != nullptr && genesis->monotonic_time;
  } else if (monotonic_time_ && event.recorded_at_ms < last_recorded_at_ms_) {
    return Fail(
        seq, Msg("seq {} is recorded at {}, before seq {} ({}): recorded times go backwards", seq,
                 UtcTimestamp(event.recorded_at_ms), seq - 1, UtcTimestamp(last_recorded_at_ms_)));
  }
  last_recorded_at_ms_ = event.recorded_at_ms;
  return Status::Ok();
}

Status ChainReplayer::CloseCommit(const CommitRecord& c, const Hash& last_hash,
                                  SignatureCheck* check) {
  if (c.first != commit_first_ || c.last + 1 != size_ || c.first > c.last) {
    return Fail(commit_first_, Msg("commit {}..{} does not close the events from seq {} to {}",
                                   c.first, c.last, commit_first_, size_ - 1));
  }
  if (c.key_id != commit_key_id_) {
    return Fail(c.first, Msg("commit {}..{} names key {} but its events are by {}", c.first, c.last,
                             c.key_id, commit_key_id_));
  }
  *check = SignatureCheck{c.first, c.last, commit_public_key_,
                          CommitMessage(c.first, c.last, last_hash), c.signature};
  commit_first_ = c.last + 1;
  return Status::Ok();
}

Status ChainReplayer::Finish() {
  if (commit_first_ != size_) {
    return Fail(commit_first_, Msg("events from seq {} are in no signed commit", commit_first_));
  }
  if (size_ == 0) return Fail(std::nullopt, "the log is empty (no genesis)");
  return Status::Ok();
}

// --------------------------------------------------------- ChainVerifier

ChainVerifier::ChainVerifier(EventSource earlier_events) : replayer_(std::move(earlier_events)) {}

Status ChainVerifier::AddEvent(uint64_t seq, std::string_view canonical, const Hash* stored_hash) {
  Hash h;
  Status st = hasher_.Add(seq, canonical, stored_hash, &h);
  if (!st.ok()) {
    fault_seq_ = hasher_.fault_seq();
    return st;
  }
  st = replayer_.AddEvent(seq, canonical);
  if (!st.ok()) fault_seq_ = replayer_.fault_seq();
  return st;
}

Status ChainVerifier::AddCommit(const CommitRecord& c) {
  SignatureCheck check;
  Status st = replayer_.CloseCommit(c, hasher_.head(), &check);
  if (st.ok()) st = check.Run();
  if (!st.ok()) fault_seq_ = replayer_.fault_seq() ? replayer_.fault_seq() : c.first;
  return st;
}

Status ChainVerifier::Finish() {
  Status st = replayer_.Finish();
  if (!st.ok()) fault_seq_ = replayer_.fault_seq();
  return st;
}

// -------------------------------------------------- stored checkpoints

namespace {

Status CheckHeadSignatures(StateStore& state, const std::string& origin, uint64_t size,
                           std::string_view text) {
  VLEDGER_ASSIGN_OR_RETURN(std::vector<NoteSigner> signers, NoteSigners(text));
  std::vector<KeyRecord> keys = ListKeys(state);
  int verified = 0;
  for (const NoteSigner& signer : signers) {
    if (signer.name != origin) continue;  // a witness's line
    std::optional<PublicKey> by;
    for (const KeyRecord& key : keys) {
      if (!SignsCheckpointsAt(key, size)) continue;
      auto pub = PublicKey::FromRaw(key.public_key);
      if (pub.ok() && NoteKeyId(origin, *pub) == signer.key_id) by.emplace(std::move(pub).value());
    }
    if (!by) {
      char id[9];
      std::snprintf(id, sizeof id, "%08x", signer.key_id);
      return Status::VerificationFailed(
          Msg("signed by key {}+{}, which was no active admin or checkpointer key at this size",
              origin, id));
    }
    VLEDGER_TRY(VerifyCheckpoint(text, *by, nullptr));
    verified++;
  }
  if (verified == 0)
    return Status::VerificationFailed(Msg("no signature under the origin {}", origin));
  return Status::Ok();
}

Result<Checkpoint> CheckHead(const Ledger& ledger, StateStore& state, const std::string& origin,
                             uint64_t size, std::string_view text) {
  VLEDGER_ASSIGN_OR_RETURN(Checkpoint head, ParseCheckpoint(text));
  if (head.size != size) return Status::VerificationFailed(Msg("the note says size {}", head.size));
  if (head.origin != origin) {
    return Status::VerificationFailed(Msg("origin {}, not the ledger's {}", head.origin, origin));
  }
  VLEDGER_TRY(CheckHeadSignatures(state, origin, size, text));
  if (size > ledger.size()) {
    return Status::VerificationFailed(
        Msg("past the end of the log (size {}): the log was truncated", ledger.size()));
  }
  VLEDGER_ASSIGN_OR_RETURN(Hash root, ledger.MerkleRootAt(size));
  if (root != head.root) {
    return Status::VerificationFailed(
        Msg("root {} but the log's tree of {} events has root {}: the log was altered since it was "
            "signed",
            Hex(head.root), size, Hex(root)));
  }
  return head;
}

}  // namespace

Result<Checkpoint> CheckStoredCheckpoint(const Ledger& ledger, StateStore& state,
                                         const std::string& origin, uint64_t size,
                                         std::string_view text) {
  Result<Checkpoint> head = CheckHead(ledger, state, origin, size, text);
  if (!head.ok() && head.status().code() == Code::kVerificationFailed) {
    return head.status().WithPrefix(Msg("checkpoint at size {}", size));
  }
  return head;
}

Status CheckStoredCheckpoints(const Ledger& ledger, StateStore& state, const std::string& origin) {
  return ledger.ScanCheckpoints([&](uint64_t size, std::string_view text) -> Status {
    return CheckStoredCheckpoint(ledger, state, origin, size, text).status();
  });
}

namespace {

VerifyOutcome Faulted(std::optional<uint64_t> seq, const Status& fault) {
  VerifyOutcome out;
  out.ok = false;
  out.seq = seq;
  out.fault = Restated(fault, Code::kVerificationFailed);
  out.problem = out.fault.message();
  return out;
}

// The seq that registered a person record's owner.
std::optional<uint64_t> OwnerSeq(StateStore& state, const PersonOwner& owner) {
  if (owner.kind == PersonOwnerKind::kResident) {
    if (auto r = LoadResident(state, owner.id)) return r->seq;
  } else if (owner.kind == PersonOwnerKind::kHousehold) {
    if (auto h = LoadHousehold(state, owner.id)) return h->seq;
  } else if (owner.kind == PersonOwnerKind::kDonor) {
    uint64_t seq = 0;
    auto [end, err] = std::from_chars(owner.id.data(), owner.id.data() + owner.id.size(), seq);
    if (err == std::errc() && end == owner.id.data() + owner.id.size()) return seq;
  }
  return std::nullopt;
}

// "the person record REF of OWNER is missing, ...".
Msg MissingPersonMsg(std::string_view ref_hex, const PersonOwner& owner,
                     std::optional<uint64_t> seq) {
  if (owner.kind == PersonOwnerKind::kDonor) {
    if (seq) {
      return Msg(
          "the person record {} of the donor (seq {}) is missing, and no personErased "
          "erased it",
          ref_hex, *seq);
    }
    return Msg("the person record {} of the donor is missing, and no personErased erased it",
               ref_hex);
  }
  if (owner.kind == PersonOwnerKind::kHousehold) {
    if (seq) {
      return Msg(
          "the person record {} of household {} (seq {}) is missing, and no "
          "personErased erased it",
          ref_hex, owner.id, *seq);
    }
    return Msg("the person record {} of household {} is missing, and no personErased erased it",
               ref_hex, owner.id);
  }
  if (seq) {
    return Msg(
        "the person record {} of resident {} (seq {}) is missing, and no personErased "
        "erased it",
        ref_hex, owner.id, *seq);
  }
  return Msg("the person record {} of resident {} is missing, and no personErased erased it",
             ref_hex, owner.id);
}

// A person record that an event commits to and no personErased erased,
// but that is not stored.
struct MissingPerson {
  std::string_view ref;
  const PersonOwner* owner;
};

// Checks each stored person record against its commitment, and lists in
// *missing the records the events commit to that are neither stored nor
// erased. Both go in ref order: the store's keys and the owners' ids are
// the refs. Reads only the PersonOwner table of `state` (it runs beside
// other readers of it).
Status CheckPersons(const Ledger& ledger, StateStore& state, std::optional<uint64_t>* seq,
                    std::vector<MissingPerson>* missing) {
  using Owners = Table<PersonOwner>;
  std::vector<TableBase::Sorted> owners = state.table<PersonOwner>().SortedEntities();
  size_t next = 0;
  // The owners before `ref` (all, when empty) have no stored record.
  auto owners_before = [&](std::string_view ref) {
    for (; next < owners.size() && (ref.empty() || Owners::IdOf(owners[next]) < ref); next++) {
      const PersonOwner& owner = Owners::EntityOf(owners[next]);
      if (!owner.erased) missing->push_back(MissingPerson{Owners::IdOf(owners[next]), &owner});
    }
  };
  VLEDGER_TRY(ledger.ScanPersonRecords([&](const Ledger::StoredPerson& stored) -> Status {
    if (!stored.matches_ref) {
      return Status::VerificationFailed(
          Msg("person record {} does not match its commitment", Hex(stored.ref)));
    }
    if (!stored.record.ok()) {
      return Status::VerificationFailed(Msg("person record {} is malformed", Hex(stored.ref)));
    }
    owners_before(stored.ref);
    if (next == owners.size() || Owners::IdOf(owners[next]) != stored.ref) {
      return Status::VerificationFailed(
          Msg("person record {} is referenced by no event", Hex(stored.ref)));
    }
    const PersonOwner& owner = Owners::EntityOf(owners[next]);
    next++;
    if (owner.erased) {
      *seq = owner.erased_seq;
      return Status::VerificationFailed(
          Msg("person record {} was erased at seq {} but is still stored", Hex(stored.ref),
              owner.erased_seq));
    }
    return Status::Ok();
  }));
  owners_before("");
  return Status::Ok();
}

// The first record of `missing` that should be there: all of them but,
// in a ledger restored from a public archive, those of the archive's events.
std::optional<VerifyOutcome> FirstMissingPerson(StateStore& state, uint64_t withheld,
                                                const std::vector<MissingPerson>& missing) {
  for (const MissingPerson& m : missing) {
    std::optional<uint64_t> seq = OwnerSeq(state, *m.owner);
    if (withheld > 0 && seq && *seq < withheld) continue;
    return Faulted(seq, Status::VerificationFailed(MissingPersonMsg(Hex(m.ref), *m.owner, seq)));
  }
  return std::nullopt;
}

// Where verify splits the projection rows, to compare the ranges at once:
// the residents' rows and those after them (most of a county's bytes),
// the person refs' (most of its rows), and those before (households,
// funds, plain rows).
constexpr std::array<std::string_view, 2> kProjectionsSplits = {"pref/", "res/"};

// Compares the stored projection rows with the replayed ones (entity and
// plain rows; index rows are checked by CheckIndexRows): those from `from`
// on and, when `to` is not empty, before `to`. Reads the state only.
Status CompareProjections(const Ledger& ledger, const StateStore& state, std::string_view from = {},
                          std::string_view to = {}) {
  auto stored = ledger.NewStateCursor(from, to);
  auto skip = [&] {
    while (stored->Valid() && IsIndexRow(stored->key())) {
      stored->Next();
    }
  };
  skip();
  Status result;
  state.ForEachRow(
      [&](std::string_view key, std::string_view value) {
        if (!result.ok()) return;
        if (!stored->Valid() || stored->key() > key) {
          result = Status::VerificationFailed(
              Msg("projection row {} is missing (run `vledger rebuild`)", key));
          return;
        }
        if (stored->key() < key) {
          result = Status::VerificationFailed(
              Msg("projection row {} is not produced by replay (run `vledger rebuild`)",
                  stored->key()));
          return;
        }
        if (stored->value() != value) {
          result = Status::VerificationFailed(
              Msg("projection row {} differs from replay (run `vledger rebuild`)", key));
          return;
        }
        stored->Next();
        skip();
      },
      from, to);
  VLEDGER_TRY(stored->status());
  VLEDGER_TRY(result);
  if (stored->Valid()) {
    return Status::VerificationFailed(
        Msg("projection row {} is not produced by replay (run `vledger rebuild`)", stored->key()));
  }
  return Status::Ok();
}

// The rows of one index kind, grouped by owner: key = prefix <owner> "/"
// <u64be seq>. Calls done(owner, rows, chain) after each owner's rows.
Status ScanIndex(
    const Ledger& ledger, std::string_view prefix,
    const std::function<Hash(const Hash&, std::string_view)>& link,
    const std::function<Status(std::string_view key, std::string_view value)>& check,
    const std::function<Status(const std::string& owner, uint64_t rows, const Hash& chain)>& done) {
  std::string owner;
  uint64_t rows = 0;
  Hash chain{};
  Status result;
  Status scan = ledger.ScanState(prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() < prefix.size() + 10 || key[key.size() - 9] != '/') {
      result = Status::VerificationFailed(
          Msg("index row {} is malformed (run `vledger rebuild`)", Hex(key)));
      return false;
    }
    std::string_view id = key.substr(prefix.size(), key.size() - prefix.size() - 9);
    if (rows > 0 && id != owner) {
      result = done(owner, rows, chain);
      if (!result.ok()) return false;
      rows = 0;
      chain = Hash{};
    }
    owner.assign(id);
    result = check(key, value);
    if (!result.ok()) return false;
    chain = link(chain, value);
    rows++;
    return true;
  });
  VLEDGER_TRY(scan);
  VLEDGER_TRY(result);
  if (rows > 0) VLEDGER_TRY(done(owner, rows, chain));
  return Status::Ok();
}

// Checks the stored index rows (history chunks, fund movements) against
// the chains their owners keep: every owner's rows, in seq order, must
// hash to its chain, and no owner may miss rows or have stray ones.
Status CheckIndexRows(const Ledger& ledger, StateStore& state) {
  uint64_t owners = 0;
  VLEDGER_TRY(ScanIndex(
      ledger, kHistoryPrefix, ChainHistory,
      [](std::string_view key, std::string_view value) -> Status {
        auto seqs = DecodeHistoryChunk(value);
        if (!seqs || seqs->front() != GetU64be(key.substr(key.size() - 8))) {
          return Status::VerificationFailed(
              Msg("history row {} is malformed (run `vledger rebuild`)",
                  key.substr(0, key.size() - 9)));
        }
        return Status::Ok();
      },
      [&](const std::string& id, uint64_t rows, const Hash& chain) -> Status {
        const ResidentState* r = FindResident(state, id);
        if (r == nullptr || r->rare->hist_chunks != rows || r->rare->hist_chain != chain) {
          return Status::VerificationFailed(
              Msg("history rows of resident {} differ from replay (run `vledger rebuild`)", id));
        }
        owners++;
        return Status::Ok();
      }));
  uint64_t expected = 0;
  state.table<ResidentState>().ForEachUnordered(
      [&](std::string_view, const ResidentState& r) { expected += r.rare->hist_chunks > 0; });
  if (owners != expected)
    return Status::VerificationFailed("history rows are missing (run `vledger rebuild`)");

  owners = 0;
  VLEDGER_TRY(ScanIndex(
      ledger, kMovementPrefix, ChainMovement,
      [](std::string_view key, std::string_view value) -> Status {
        auto m = DecodeMovement(value);
        if (!m || m->seq != GetU64be(key.substr(key.size() - 8))) {
          return Status::VerificationFailed(
              Msg("fund movement row {} is malformed (run `vledger rebuild`)",
                  key.substr(0, key.size() - 9)));
        }
        return Status::Ok();
      },
      [&](const std::string& code, uint64_t rows, const Hash& chain) -> Status {
        const FundState* f = FindFund(state, code);
        if (f == nullptr || f->movements != rows || f->movement_chain != chain) {
          return Status::VerificationFailed(Msg(
              "fund movement rows of fund {} differ from replay (run `vledger rebuild`)", code));
        }
        owners++;
        return Status::Ok();
      }));
  expected = 0;
  state.table<FundState>().ForEachUnordered(
      [&](std::string_view, const FundState& f) { expected += f.movements > 0; });
  if (owners != expected) {
    return Status::VerificationFailed("fund movement rows are missing (run `vledger rebuild`)");
  }
  return Status::Ok();
}

// Every stored Merkle node must be the one the log gives: per level, the
// same count and chain as the nodes the verifier's stream completed.
Status CheckStoredNodes(const Ledger& ledger, const ChainHasher& v) {
  std::array<ChainHasher::NodeChain, kMerkleLevelsMax> stored{};
  uint64_t next_index = 0;
  int level_seen = -1;
  VLEDGER_TRY(ledger.ScanMerkleNodes([&](int level, uint64_t index, const Hash& hash) -> Status {
    if (level < kStoredMerkleLevelMin || level >= kMerkleLevelsMax) {
      return Status::VerificationFailed(
          Msg("the stored Merkle tree has a node at level {}", level));
    }
    if (level != level_seen) {
      level_seen = level;
      next_index = 0;
    }
    if (index != next_index++) {
      return Status::VerificationFailed(
          Msg("the stored Merkle tree misses node {}/{}", level, next_index - 1));
    }
    stored[level].chain = ChainHistory(stored[level].chain, AsView(hash));
    stored[level].nodes++;
    return Status::Ok();
  }));
  for (int level = kStoredMerkleLevelMin; level < kMerkleLevelsMax; level++) {
    const auto& want = v.node_chains()[level];
    if (stored[level].nodes != want.nodes || stored[level].chain != want.chain) {
      return Status::VerificationFailed(
          Msg("the stored Merkle tree does not match the log at level {}", level));
    }
  }
  return Status::Ok();
}

}  // namespace

namespace {

// Where a step of verification sits in log order: the event (or a commit's
// last event) and, for that seq, hash < replay < commit < signature. The
// first fault in this order is the one reported, as a one-by-one check
// would report it.
struct Position {
  uint64_t seq = UINT64_MAX;
  int step = 0;
  bool operator<(const Position& o) const { return seq != o.seq ? seq < o.seq : step < o.step; }
};
enum Step { kHashStep = 0, kReplayStep = 1, kCommitStep = 2, kSignatureStep = 3 };

struct FoundFault {
  Position at;
  std::optional<uint64_t> seq;
  Status status;
};

// Keeps the earliest fault, from either thread.
class FaultBox {
 public:
  void Offer(Position at, std::optional<uint64_t> seq, Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    if (status.is_storage_fault()) {
      if (unavailable_.ok()) unavailable_ = std::move(status);
      return;
    }
    if (!fault_ || at < fault_->at) fault_ = FoundFault{at, seq, std::move(status)};
  }
  std::optional<FoundFault> fault() const {
    std::lock_guard<std::mutex> lock(mu_);
    return fault_;
  }
  Status unavailable() const {
    std::lock_guard<std::mutex> lock(mu_);
    return unavailable_;
  }

 private:
  mutable std::mutex mu_;
  std::optional<FoundFault> fault_;
  Status unavailable_;
};

// What the reading thread hands the replaying one: events in order, each
// commit right after its last event.
struct LogItem {
  enum class Holds { kEncoded, kDecoded, kCommit } holds = Holds::kEncoded;
  uint64_t seq = 0;
  std::string canonical;  // kEncoded: an event's bytes
  Event event;            // kDecoded: the event, when `decoded` is ok
  Status decoded;         // kDecoded: why the bytes are not an event
  CommitRecord commit;    // kCommit: a commit ...
  Hash last_hash{};       // ... and the record hash of its last event

  // Decodes `canonical` in place.
  void Decode(std::string_view bytes) {
    holds = Holds::kDecoded;
    decoded = DecodeEventInto(bytes, &event);
  }
  const Event* decoded_event() const {
    return holds == Holds::kDecoded && decoded.ok() ? &event : nullptr;
  }
};
// A batch of items, the first `n` in use. Once replayed, a batch goes back
// to the reading thread to be filled again: its items keep their strings'
// and events' memory (DecodeEventInto), so reading the log allocates next
// to nothing per event, and nothing is freed by a thread other than the
// one that allocated it.
struct LogBatch {
  std::vector<LogItem> items;
  size_t n = 0;

  LogItem& Next() {
    if (n == items.size()) items.emplace_back();
    return items[n++];
  }
};

constexpr size_t kLogBatchEvents = 2048;
constexpr size_t kLogBatchesQueued = 8;

struct Signature {
  Position at;
  SignatureCheck check;
};

// Commit signatures waiting past this many are checked by the reading
// thread even when the replaying one is not behind.
constexpr size_t kSignaturesWaitingMax = 256;

void RunSignature(const Signature& s, FaultBox& faults) {
  Status st = s.check.Run();
  if (!st.ok()) faults.Offer(s.at, s.check.first, std::move(st));
}

// Runs the signature checks it is given, offering faults to `faults`.
void RunSignatures(Channel<Signature>& signatures, FaultBox& faults, bool wait) {
  while (std::optional<Signature> s = wait ? signatures.Pop() : signatures.TryPop()) {
    RunSignature(*s, faults);
  }
}

// The reading thread: events and commits from storage, hashed and passed
// on in batches. When the replaying thread is behind (half the queue or
// more waiting), it also decodes the events of a batch and checks the
// commit signatures waiting; the replaying thread checks them while it
// waits for a batch. So decoding and signatures go to whichever thread
// has time.
void ReadAndHash(const Ledger& ledger, ChainHasher& hasher, Channel<LogBatch>& out,
                 Channel<LogBatch>& spent, Channel<Signature>& signatures, FaultBox& faults,
                 std::atomic<bool>& stop) {
  LogBatch batch;
  bool decode = false;
  auto flush = [&]() -> bool {
    if (out.size() >= kLogBatchesQueued / 2 || signatures.size() > kSignaturesWaitingMax) {
      RunSignatures(signatures, faults, false);
    }
    if (batch.n == 0) return true;
    bool pushed = out.Push(std::move(batch));
    batch = spent.TryPop().value_or(LogBatch());
    batch.n = 0;
    batch.items.reserve(kLogBatchEvents + 16);
    decode = out.size() >= kLogBatchesQueued / 2;
    return pushed;
  };
  batch.items.reserve(kLogBatchEvents + 16);
  Status scan = ledger.ScanLog(
      ledger.size(),
      [&](const StoredEvent& e) -> Status {
        if (stop.load(std::memory_order_relaxed)) return Status::Internal("stopped");
        Hash h;
        Status st = hasher.Add(e.seq, e.canonical, &e.hash, &h);
        if (!st.ok()) {
          faults.Offer({e.seq, kHashStep}, hasher.fault_seq(), st);
          return st;
        }
        LogItem& item = batch.Next();
        item.seq = e.seq;
        if (decode) {
          item.Decode(e.canonical);
        } else {
          item.holds = LogItem::Holds::kEncoded;
          item.canonical.assign(e.canonical);
        }
        if (batch.n >= kLogBatchEvents && !flush()) return Status::Internal("stopped");
        return Status::Ok();
      },
      [&](const CommitRecord& c) -> Status {
        LogItem& item = batch.Next();
        item.holds = LogItem::Holds::kCommit;
        item.seq = c.last;
        item.commit = c;
        item.last_hash = hasher.head();
        return Status::Ok();
      });
  // A fault of the hasher was offered already (at the same position); a
  // row missing in storage belongs to the next event expected.
  if (!scan.ok() && scan.code() != Code::kInternal) {
    faults.Offer({hasher.size(), kHashStep}, hasher.size(), scan);
  }
  flush();
  out.Close();
}

// The next batch of `in`, or nullopt once it is closed and empty. While
// none is ready (the reading thread is behind), the commit signatures
// waiting are checked here.
std::optional<LogBatch> NextBatch(Channel<LogBatch>& in, Channel<Signature>& signatures,
                                  FaultBox& faults) {
  while (true) {
    if (std::optional<LogBatch> batch = in.TryPop()) return batch;
    std::optional<Signature> s = signatures.TryPop();
    if (!s) return in.Pop();
    RunSignature(*s, faults);
  }
}

// The replaying thread: every item in order; `at_proj` once the first
// proj_size events are applied.
void Replay(Channel<LogBatch>& in, Channel<LogBatch>& spent, ChainReplayer& replayer, uint64_t proj,
            const std::function<void()>& at_proj, Channel<Signature>& signatures, FaultBox& faults,
            std::atomic<bool>& stop) {
  if (proj == 0) at_proj();
  while (std::optional<LogBatch> batch = NextBatch(in, signatures, faults)) {
    // Decoded first, so that the entities of the events ahead can be
    // hinted (a fault found here is reported in its turn, below).
    const size_t n = batch->n;
    std::vector<LogItem>& items = batch->items;
    for (size_t i = 0; i < n; i++) {
      if (items[i].holds == LogItem::Holds::kEncoded) items[i].Decode(items[i].canonical);
    }
    for (size_t i = 0; i < n; i++) {
      PrefetchAhead(replayer.state(), i, n, [&](size_t j) { return items[j].decoded_event(); });
      const LogItem& item = items[i];
      if (item.holds == LogItem::Holds::kCommit) {
        SignatureCheck check;
        Status st = replayer.CloseCommit(item.commit, item.last_hash, &check);
        if (!st.ok()) {
          faults.Offer({item.seq, kCommitStep}, replayer.fault_seq(), st);
          stop = true;
          return;
        }
        signatures.Push(Signature{{item.seq, kSignatureStep}, std::move(check)});
        continue;
      }
      Status st = item.decoded.ok() ? replayer.Add(item.seq, item.event)
                                    : replayer.AddDecoded(item.seq, item.decoded);
      if (!st.ok()) {
        faults.Offer({item.seq, kReplayStep}, replayer.fault_seq(), st);
        stop = true;
        return;
      }
      if (replayer.size() == proj) at_proj();
    }
    // Back to the reading thread, to be filled again.
    spent.Push(std::move(*batch));
  }
}

}  // namespace

Result<VerifyOutcome> VerifyLedger(const Ledger& ledger) {
  VLEDGER_TRY(ledger.VerifyStorage());
  ChainHasher hasher;
  ChainReplayer replayer([&ledger](uint64_t seq) { return ledger.ReadDecoded(seq); });
  FaultBox faults;
  // The stored projections are compared with the replay at the size they
  // are as of; a fault there is reported after the chain's own.
  Status projections;
  auto at_proj = [&] {
    projections = CompareProjections(ledger, replayer.state());
    if (projections.ok()) projections = CheckIndexRows(ledger, replayer.state());
  };
  // Projections as of the whole log (the usual case) are compared after
  // the replay, beside the person and Merkle node checks; projections
  // behind the log, when the replay reaches their size.
  const uint64_t proj = ledger.proj_size();
  const bool proj_at_end = proj > 0 && proj == ledger.size();
  {
    // One thread reads and hashes, this one replays; decoding and commit
    // signatures go to whichever has time. Once the log is read, the
    // reading thread checks signatures until the replay ends, and then
    // the two threads check those left.
    Channel<LogBatch> log(kLogBatchesQueued), spent(SIZE_MAX);
    Channel<Signature> signatures(SIZE_MAX);
    std::atomic<bool> stop{false};
    std::thread reader([&] {
      ReadAndHash(ledger, hasher, log, spent, signatures, faults, stop);
      RunSignatures(signatures, faults, true);
    });
    Replay(log, spent, replayer, proj_at_end ? UINT64_MAX : proj, at_proj, signatures, faults,
           stop);
    log.Close();  // unblocks the reader if this thread stopped early
    signatures.Close();
    RunSignatures(signatures, faults, true);
    reader.join();
  }
  // The person owners are listed from here on (CheckPersons), never looked
  // up by id: their index (4 MB on a county) goes.
  replayer.state().DropIndex<PersonOwner>();
  // The log's batches were made and freed in the reading thread's heap,
  // which keeps their memory for reuse; it goes back to the system before
  // the comparison below, whose sorted lists come on top of the replayed
  // state and make verify's peak.
  malloc_trim(0);
  VLEDGER_TRY(faults.unavailable());
  if (auto f = faults.fault()) return Faulted(f->seq, f->status);
  Status finish = replayer.Finish();
  if (!finish.ok()) return Faulted(replayer.fault_seq(), finish);
  if (hasher.size() != ledger.size() || hasher.head() != ledger.head()) {
    return Faulted(std::nullopt,
                   Status::VerificationFailed("the stored head does not match the log"));
  }
  VLEDGER_ASSIGN_OR_RETURN(Hash stored_root, ledger.MerkleRootAt(ledger.size()));
  if (stored_root != hasher.MerkleRoot()) {
    return Faulted(std::nullopt,
                   Status::VerificationFailed("the stored Merkle tree does not match the log"));
  }
  // The checks after the replay, each on its own: the person records, the
  // stored Merkle nodes, the projection rows in key ranges, the index rows
  // and the totals, taken in turn by two threads, the longest first. All
  // of them only read the state: the tables they read are created here,
  // before two threads use it, and the one write left, a table's
  // last-found entry (Table::Find, in the index rows' check alone), is
  // read by no other check.
  replayer.state().table<PersonOwner>();
  replayer.state().table<ResidentState>();
  replayer.state().table<HouseholdState>();
  replayer.state().table<VillageState>();
  replayer.state().table<FundState>();
  std::optional<uint64_t> person_seq;
  std::vector<MissingPerson> missing_persons;
  Status persons, nodes, index;
  std::vector<Status> rows(kProjectionsSplits.size() + 1);
  std::map<std::string, int64_t> totals;
  std::vector<std::function<void()>> checks;
  checks.push_back(
      [&] { persons = CheckPersons(ledger, replayer.state(), &person_seq, &missing_persons); });
  if (proj_at_end) {
    for (size_t i = rows.size(); i-- > 0;) {  // the residents' rows first
      std::string_view from = i == 0 ? std::string_view() : kProjectionsSplits[i - 1];
      std::string_view to = i < kProjectionsSplits.size() ? kProjectionsSplits[i] : "";
      checks.push_back(
          [&, i, from, to] { rows[i] = CompareProjections(ledger, replayer.state(), from, to); });
    }
    checks.push_back([&] { index = CheckIndexRows(ledger, replayer.state()); });
  }
  checks.push_back([&] { nodes = CheckStoredNodes(ledger, hasher); });
  checks.push_back([&] { totals = UnitTotals(replayer.state()); });
  std::atomic<size_t> next_check{0};
  auto run_checks = [&] {
    for (size_t i; (i = next_check++) < checks.size();) checks[i]();
  };
  std::thread side(run_checks);
  run_checks();
  side.join();
  if (proj_at_end) {
    // The first fault in key order, as one pass over every row finds it.
    projections = index;
    for (size_t i = rows.size(); i-- > 0;) {
      if (!rows[i].ok()) projections = rows[i];
    }
  }
  if (nodes.is_storage_fault()) return nodes;
  if (!nodes.ok()) return Faulted(std::nullopt, nodes);
  if (persons.is_storage_fault()) return persons;
  if (!persons.ok()) return Faulted(person_seq, persons);
  if (!missing_persons.empty()) {
    Result<uint64_t> withheld = ledger.PersonsWithheld();
    if (!withheld.ok() && withheld.status().is_storage_fault()) {
      return withheld.status();
    }
    if (!withheld.ok()) return Faulted(std::nullopt, withheld.status());
    if (auto fault = FirstMissingPerson(replayer.state(), *withheld, missing_persons)) {
      return *fault;
    }
  }
  // The tree is the log's (above), so every signed head must be its.
  if (auto meta = LoadMeta(replayer.state())) {
    Status heads = CheckStoredCheckpoints(ledger, replayer.state(), meta->origin);
    if (heads.is_storage_fault()) return heads;
    if (!heads.ok()) return Faulted(std::nullopt, heads);
  }
  if (projections.is_storage_fault()) return projections;
  if (!projections.ok()) {
    return Faulted(std::nullopt, projections);  // its message says to run `vledger rebuild`
  }
  for (const auto& [unit, total] : totals) {
    if (total != 0) {
      return Faulted(std::nullopt, Status::VerificationFailed(Msg(
                                       "postings in unit {} sum to {}, not zero", unit, total)));
    }
  }
  VerifyOutcome out;
  out.events = hasher.size();
  out.root = hasher.MerkleRoot();
  return out;
}

namespace {

// Decoded events of a log range, read and decoded on a second thread; the
// first `n` in use. Once applied, a batch goes back to be filled again
// (as LogBatch does).
struct DecodedBatch {
  std::vector<std::pair<uint64_t, Event>> events;
  size_t n = 0;
  Status status;  // the reading thread's error, with the last batch
};

constexpr uint64_t kPipelinedEventsMin = 4096;  // fewer: one thread is faster

}  // namespace

Status ScanDecoded(const Ledger& ledger, uint64_t from, uint64_t to,
                   const std::function<Status(uint64_t seq, const Event& event)>& fn,
                   StateStore* hints) {
  to = std::min(to, ledger.size());
  if (from >= to) return Status::Ok();
  if (to - from < kPipelinedEventsMin) {
    return ledger.ScanEvents(from, to, [&](const StoredEvent& e) -> Status {
      VLEDGER_ASSIGN_OR_RETURN(Event event, DecodeEvent(e.canonical));
      return fn(e.seq, event);
    });
  }
  Channel<DecodedBatch> batches(kLogBatchesQueued), spent(SIZE_MAX);
  std::thread reader([&] {
    DecodedBatch batch;
    Status scan = ledger.ScanEvents(from, to, [&](const StoredEvent& e) -> Status {
      if (batch.n == batch.events.size()) batch.events.emplace_back();
      auto& [seq, event] = batch.events[batch.n];
      Status decoded = DecodeEventInto(e.canonical, &event);
      if (!decoded.ok()) return decoded.WithSeq(e.seq);
      seq = e.seq;
      batch.n++;
      if (batch.n >= kLogBatchEvents) {
        if (!batches.Push(std::move(batch))) return Status::Internal("stopped");
        batch = spent.TryPop().value_or(DecodedBatch());
        batch.n = 0;
      }
      return Status::Ok();
    });
    if (scan.code() != Code::kInternal) {
      batch.status = scan;
      batches.Push(std::move(batch));
    }
    batches.Close();
  });
  Status result;
  while (std::optional<DecodedBatch> batch = batches.Pop()) {
    const auto& events = batch->events;
    for (size_t i = 0; i < batch->n; i++) {
      if (hints != nullptr) {
        PrefetchAhead(*hints, i, batch->n, [&](size_t j) { return &events[j].second; });
      }
      result = fn(events[i].first, events[i].second);
      if (!result.ok()) break;
    }
    if (result.ok()) result = batch->status;
    if (!result.ok()) break;
    spent.Push(std::move(*batch));
  }
  batches.Close();
  reader.join();
  return result;
}

Status ReplayRange(const Ledger& ledger, uint64_t from, uint64_t to, StateStore& state) {
  return ScanDecoded(
      ledger, from, to,
      [&](uint64_t seq, const Event& event) -> Status {
        Status applied = ApplyEvent(state, seq, event);
        if (!applied.ok()) {
          if (applied.is_storage_fault()) return applied;
          return Status::VerificationFailed(
              Msg("seq {} does not replay: {} (run `vledger verify`)", seq, applied.message()));
        }
        return Status::Ok();
      },
      &state);
}

Status Replay(const Ledger& ledger, uint64_t size, StateStore& state) {
  VLEDGER_ASSERT(state.replay());
  return ReplayRange(ledger, 0, size, state);
}

namespace {

EventSource LedgerEvents(const Ledger& ledger) {
  return [&ledger](uint64_t seq) { return ledger.ReadDecoded(seq); };
}

}  // namespace

Result<std::unique_ptr<StateStore>> StoredState(const Ledger& ledger) {
  auto state = std::make_unique<StateStore>(ledger.Rows(), LedgerEvents(ledger));
  // Projections behind the log (an import in progress, or one cut short):
  // the rest of the log applied in memory.
  if (ledger.proj_size() < ledger.size()) {
    if (ledger.proj_size() == 0) {
      state = std::make_unique<StateStore>(nullptr, LedgerEvents(ledger));
    }
    VLEDGER_TRY(ReplayRange(ledger, ledger.proj_size(), ledger.size(), *state));
  }
  return state;
}

Result<std::unique_ptr<StateStore>> StateAt(const Ledger& ledger, uint64_t seq) {
  if (seq >= ledger.size()) {
    return Status::InvalidInput("--at",
                                Msg("seq {} is past the log (size {})", seq, ledger.size()));
  }
  if (seq + 1 == ledger.size()) return StoredState(ledger);
  auto state = std::make_unique<StateStore>(nullptr, LedgerEvents(ledger));
  VLEDGER_TRY(Replay(ledger, seq + 1, *state));
  return state;
}

namespace {

// The rows of a rebuild, written to the ledger in batches of about
// `batch_bytes` on a thread of their own, so that RocksDB's inserts of one
// batch run beside the encoding of the next. Memory holds the state and
// its batches (one filling, one queued, one being written, and the ones
// written, which are filled again: four at most), not every row.
class RowWriter {
 public:
  // `sorted`: the rows come in ascending key order (PutSortedProjectionRows).
  RowWriter(Ledger& ledger, size_t batch_bytes, bool sorted)
      : ledger_(ledger), batch_bytes_(batch_bytes), sorted_(sorted), thread_([this] { Run(); }) {
    batch_.bytes.reserve(batch_bytes_ + kRowRoom);
  }
  ~RowWriter() {
    queue_.Close();
    if (thread_.joinable()) thread_.join();
  }
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;

  void Add(std::string_view key, std::string_view value) {
    // Into one buffer a batch, filled again once written: a rebuild's
    // 850,000 rows would otherwise be two allocations each here and two
    // frees on the writing thread.
    batch_.bytes.append(key);
    batch_.bytes.append(value);
    batch_.sizes.emplace_back(static_cast<uint32_t>(key.size()),
                              static_cast<uint32_t>(value.size()));
    rows_++;
    if (batch_.bytes.size() >= batch_bytes_) Send();
  }
  // Writes what is left and waits for every batch: the first failure. The
  // batches' memory is freed (the rows that come after come on top).
  Status Finish() {
    Send();
    queue_.Close();
    thread_.join();
    batch_ = Batch();
    while (spent_.TryPop()) {
    }
    return status_;
  }
  uint64_t rows() const { return rows_; }

 private:
  // Room in a batch's bytes past batch_bytes_ for the row that fills it
  // (a larger one makes the string grow), so that it never doubles.
  static constexpr size_t kRowRoom = 64 << 10;
  struct Batch {
    std::string bytes;                                 // each row's key, then its value
    std::vector<std::pair<uint32_t, uint32_t>> sizes;  // each row's key and value sizes
    std::vector<std::pair<std::string_view, std::string_view>> rows;  // into `bytes`, by Send
  };

  void Send() {
    if (!batch_.sizes.empty()) {
      batch_.rows.clear();
      const char* at = batch_.bytes.data();
      for (auto [key, value] : batch_.sizes) {
        batch_.rows.emplace_back(std::string_view(at, key), std::string_view(at + key, value));
        at += key + value;
      }
      queue_.Push(std::move(batch_));
    }
    batch_ = spent_.TryPop().value_or(Batch());
    batch_.bytes.clear();
    batch_.bytes.reserve(batch_bytes_ + kRowRoom);
    batch_.sizes.clear();
  }
  void Run() {
    while (std::optional<Batch> batch = queue_.Pop()) {
      if (!status_.ok()) continue;
      Ledger::ProjectionRows rows(batch->rows);
      status_ = sorted_ ? ledger_.PutSortedProjectionRows(rows) : ledger_.PutProjectionRows(rows);
      spent_.Push(std::move(*batch));
    }
  }

  Ledger& ledger_;
  const size_t batch_bytes_;
  const bool sorted_;
  Channel<Batch> queue_{1};
  Channel<Batch> spent_{SIZE_MAX};  // written, to be filled again
  Batch batch_;
  uint64_t rows_ = 0;
  Status status_;       // the writing thread's, read after it ends
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace

Result<uint64_t> RebuildProjections(Ledger& ledger, size_t batch_bytes,
                                    const std::function<void(StateStore&)>& replayed) {
  VLEDGER_TRY(ledger.ClearProjections());
  uint64_t written = 0;
  {
    StateStore state(nullptr, LedgerEvents(ledger));
    {
      // The index rows come during the replay, in no order; the others
      // after it, in key order, so they can go straight into table files.
      RowWriter index_rows(ledger, batch_bytes, false);
      state.SetIndexRows(IndexRows::kSink,
                         [&index_rows](std::string_view key, std::string_view value) {
                           index_rows.Add(key, value);
                         });
      VLEDGER_TRY(Replay(ledger, ledger.size(), state));
      VLEDGER_TRY(index_rows.Finish());
      state.SetIndexRows(IndexRows::kDrop);  // the sink goes with this scope
      // Nothing is looked up by id from here on: the tables' indexes (10 MB
      // on a county) go before the rows' sorted lists and batches come on
      // top of the state, the peak of a rebuild.
      state.DropIndexes();
      // Freed memory goes back to the system at each step: heaps keep it
      // for reuse, so the peak would be what every step ever held. Here
      // the log's batches (freed in the reading thread's heap) and the
      // indexes.
      malloc_trim(0);
      RowWriter rows(ledger, batch_bytes, true);
      state.ForEachRow(
          [&rows](std::string_view key, std::string_view value) { rows.Add(key, value); });
      VLEDGER_TRY(rows.Finish());
      written = index_rows.rows() + rows.rows();
    }
    if (replayed) {
      malloc_trim(0);  // the rows' batches, before what `replayed` keeps
      replayed(state);
    }
  }
  // Then the state, freed in hundreds of thousands of pieces: the name
  // index that `rebuild` makes next would otherwise add its own memory to
  // what those pieces keep.
  malloc_trim(0);
  VLEDGER_TRY(ledger.FinishProjections(ledger.size()));
  return written;
}

Status CatchUp(Ledger& ledger) {
  uint64_t from = ledger.proj_size(), to = ledger.size();
  if (from == to) return Status::Ok();
  if (from == 0) return RebuildProjections(ledger).status();
  StateStore state(ledger.Rows(), LedgerEvents(ledger));
  VLEDGER_TRY(ReplayRange(ledger, from, to, state));
  Ledger::RowChanges rows;
  state.TakeWrites([&](const std::string& key, const std::optional<std::string>& value) {
    rows.emplace_back(key, value);
  });
  return ledger.WriteProjections(rows, to);
}

std::optional<uint64_t> PersonOwnerSeq(StateStore& state, const PersonOwner& owner) {
  return OwnerSeq(state, owner);
}

}  // namespace vledger
