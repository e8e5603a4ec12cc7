#include "vledger/verify.h"

#include "vledger/accounts.h"
#include "vledger/apply.h"
#include "vledger/codec.h"
#include "vledger/funds.h"
#include "vledger/points.h"
#include "vledger/registry.h"

namespace vledger {

bool IsIndexRow(std::string_view key) {
  return key.starts_with(kHistoryPrefix) || key.starts_with(kMovementPrefix);
}

ChainVerifier::ChainVerifier(EventSource earlier_events)
    : state_(nullptr, std::move(earlier_events)) {
  state_.SetIndexRows(IndexRows::kDrop);
}

Status ChainVerifier::Fail(std::optional<uint64_t> seq, const std::string& problem) {
  fault_seq_ = seq;
  return Status::Fault(problem);
}

Status ChainVerifier::AddEvent(uint64_t seq, std::string_view canonical, const Hash* stored_hash) {
  if (seq != size_) {
    return Fail(size_, "event " + std::to_string(size_) + " is missing (next stored is seq " +
                           std::to_string(seq) + ")");
  }
  Hash h = RecordHash(hasher_, seq, head_, canonical);
  if (stored_hash != nullptr && *stored_hash != h) {
    return Fail(seq, "record hash of seq " + std::to_string(seq) +
                         " does not match its stored bytes (event altered)");
  }
  auto event = DecodeEvent(canonical);
  if (!event.ok()) return Fail(seq, "seq " + std::to_string(seq) + ": " + event.status().message());
  if (seq == commit_first_) {
    commit_key_id_ = event->key_id;
  } else if (event->key_id != commit_key_id_) {
    return Fail(seq, "seq " + std::to_string(seq) + " is by key " + event->key_id +
                         " but shares a commit with events by key " + commit_key_id_);
  }
  Status applied = ApplyEvent(state_, seq, *event);
  if (!applied.ok()) {
    return Fail(seq, "seq " + std::to_string(seq) + " (" + EventTypeName(event->body) +
                         ") is invalid: " + applied.message());
  }
  if (seq == commit_first_) {
    const KeyRecord* key = FindKey(state_, commit_key_id_);
    VLEDGER_ASSERT(key != nullptr);  // ApplyEvent checked the author
    commit_public_key_ = key->public_key;
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
  return Status::Ok();
}

Status ChainVerifier::AddCommit(const CommitRecord& c) {
  std::string range = std::to_string(c.first) + ".." + std::to_string(c.last);
  if (c.first != commit_first_ || c.last + 1 != size_ || c.first > c.last) {
    return Fail(commit_first_, "commit " + range + " does not close the events from seq " +
                                   std::to_string(commit_first_) + " to " +
                                   std::to_string(size_ - 1));
  }
  if (c.key_id != commit_key_id_) {
    return Fail(c.first, "commit " + range + " names key " + c.key_id + " but its events are by " +
                             commit_key_id_);
  }
  auto pub = PublicKey::FromRaw(commit_public_key_);
  if (!pub.ok() || !pub->Verify(CommitMessage(c.first, c.last, head_), c.signature)) {
    return Fail(c.first, "commit " + range + ": signature does not verify");
  }
  commit_first_ = c.last + 1;
  return Status::Ok();
}

Status ChainVerifier::Finish() {
  if (commit_first_ != size_) {
    return Fail(commit_first_, "events from seq " + std::to_string(commit_first_) +
                                   " are in no signed commit");
  }
  if (size_ == 0) return Fail(std::nullopt, "the log is empty (no genesis)");
  return Status::Ok();
}

namespace {

VerifyOutcome Faulted(std::optional<uint64_t> seq, std::string problem) {
  VerifyOutcome out;
  out.ok = false;
  out.seq = seq;
  out.problem = std::move(problem);
  return out;
}

// Events and commits, interleaved in log order; memory stays flat however
// many commits there are (one per event for interactive use).
// `at_proj` runs once the verifier has applied the first proj_size events
// (the size the stored projections are as of), before the next one.
Status StreamChain(const Ledger& ledger, ChainVerifier& v, const std::function<void()>& at_proj) {
  uint64_t proj = ledger.proj_size();
  if (proj == 0) at_proj();
  return ledger.ScanLog(
      ledger.size(),
      [&](const StoredEvent& e) {
        Status st = v.AddEvent(e.seq, e.canonical, &e.hash);
        if (st.ok() && v.size() == proj) at_proj();
        return st;
      },
      [&](const CommitRecord& c) { return v.AddCommit(c); });
}

// Checks each stored person record against its commitment.
Status CheckPersons(const Ledger& ledger, StateStore& state, std::optional<uint64_t>* seq) {
  return ledger.ScanPersons([&](std::string_view ref, std::string_view value) -> Status {
    if (value.size() < 16 || PersonRef(value.substr(0, 16), value.substr(16)) != ref) {
      return Status::Fault("person record " + Hex(ref) + " does not match its commitment");
    }
    if (!DecodePerson(value.substr(16)).ok()) {
      return Status::Fault("person record " + Hex(ref) + " is malformed");
    }
    auto owner = LoadPersonOwner(state, ref);
    if (!owner) return Status::Fault("person record " + Hex(ref) + " is referenced by no event");
    if (owner->erased) {
      *seq = owner->erased_seq;
      return Status::Fault("person record " + Hex(ref) + " was erased at seq " +
                           std::to_string(owner->erased_seq) + " but is still stored");
    }
    return Status::Ok();
  });
}

// Compares the stored projection rows with the replayed ones (entity and
// plain rows; index rows are checked by CheckIndexRows).
Status CompareProjections(const Ledger& ledger, StateStore& state) {
  auto stored = ledger.NewStateCursor();
  auto skip = [&] {
    while (stored->Valid() && IsIndexRow(stored->key())) {
      stored->Next();
    }
  };
  skip();
  Status result;
  state.ForEachRow([&](std::string_view key, std::string_view value) {
    if (!result.ok()) return;
    if (!stored->Valid() || stored->key() > key) {
      result = Status::Fault("projection row " + std::string(key) + " is missing");
      return;
    }
    if (stored->key() < key) {
      result = Status::Fault("projection row " + std::string(stored->key()) +
                             " is not produced by replay");
      return;
    }
    if (stored->value() != value) {
      result = Status::Fault("projection row " + std::string(key) + " differs from replay");
      return;
    }
    stored->Next();
    skip();
  });
  VLEDGER_TRY(stored->status());
  VLEDGER_TRY(result);
  if (stored->Valid()) {
    return Status::Fault("projection row " + std::string(stored->key()) +
                         " is not produced by replay");
  }
  return Status::Ok();
}

// The rows of one index kind, grouped by owner: key = prefix <owner> "/"
// <u64be seq>. Calls done(owner, rows, chain) after each owner's rows.
Status ScanIndex(const Ledger& ledger, std::string_view prefix,
                 const std::function<Hash(const Hash&, std::string_view)>& link,
                 const std::function<Status(std::string_view key, std::string_view value)>& check,
                 const std::function<Status(const std::string& owner, uint64_t rows,
                                            const Hash& chain)>& done) {
  std::string owner;
  uint64_t rows = 0;
  Hash chain{};
  Status result;
  Status scan = ledger.ScanState(prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() < prefix.size() + 10 || key[key.size() - 9] != '/') {
      result = Status::Fault("index row " + Hex(key) + " is malformed");
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
          return Status::Fault("history row " + std::string(key.substr(0, key.size() - 9)) +
                               " is malformed");
        }
        return Status::Ok();
      },
      [&](const std::string& id, uint64_t rows, const Hash& chain) -> Status {
        const ResidentState* r = FindResident(state, id);
        if (r == nullptr || r->hist_chunks != rows || r->hist_chain != chain) {
          return Status::Fault("history rows of resident " + id + " differ from replay");
        }
        owners++;
        return Status::Ok();
      }));
  uint64_t expected = 0;
  state.table<ResidentState>().ForEachUnordered(
      [&](std::string_view, const ResidentState& r) { expected += r.hist_chunks > 0; });
  if (owners != expected) return Status::Fault("history rows are missing (run `vledger rebuild`)");

  owners = 0;
  VLEDGER_TRY(ScanIndex(
      ledger, kMovementPrefix, ChainMovement,
      [](std::string_view key, std::string_view value) -> Status {
        auto m = DecodeMovement(value);
        if (!m || m->seq != GetU64be(key.substr(key.size() - 8))) {
          return Status::Fault("fund movement row " +
                               std::string(key.substr(0, key.size() - 9)) + " is malformed");
        }
        return Status::Ok();
      },
      [&](const std::string& code, uint64_t rows, const Hash& chain) -> Status {
        const FundState* f = FindFund(state, code);
        if (f == nullptr || f->movements != rows || f->movement_chain != chain) {
          return Status::Fault("fund movement rows of fund " + code + " differ from replay");
        }
        owners++;
        return Status::Ok();
      }));
  expected = 0;
  state.table<FundState>().ForEachUnordered(
      [&](std::string_view, const FundState& f) { expected += f.movements > 0; });
  if (owners != expected) {
    return Status::Fault("fund movement rows are missing (run `vledger rebuild`)");
  }
  return Status::Ok();
}

// Every stored Merkle node must be the one the log gives: per level, the
// same count and chain as the nodes the verifier's stream completed.
Status CheckStoredNodes(const Ledger& ledger, const ChainVerifier& v) {
  std::array<ChainVerifier::NodeChain, kMerkleLevelsMax> stored{};
  uint64_t next_index = 0;
  int level_seen = -1;
  VLEDGER_TRY(ledger.ScanMerkleNodes([&](int level, uint64_t index, const Hash& hash) -> Status {
    if (level < kStoredMerkleLevelMin || level >= kMerkleLevelsMax) {
      return Status::Fault("the stored Merkle tree has a node at level " + std::to_string(level));
    }
    if (level != level_seen) {
      level_seen = level;
      next_index = 0;
    }
    if (index != next_index++) {
      return Status::Fault("the stored Merkle tree misses node " + std::to_string(level) + "/" +
                           std::to_string(next_index - 1));
    }
    stored[level].chain = ChainHistory(stored[level].chain, AsView(hash));
    stored[level].nodes++;
    return Status::Ok();
  }));
  for (int level = kStoredMerkleLevelMin; level < kMerkleLevelsMax; level++) {
    const auto& want = v.node_chains()[level];
    if (stored[level].nodes != want.nodes || stored[level].chain != want.chain) {
      return Status::Fault("the stored Merkle tree does not match the log at level " +
                           std::to_string(level));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<VerifyOutcome> VerifyLedger(const Ledger& ledger) {
  VLEDGER_TRY(ledger.VerifyStorage());
  ChainVerifier v([&ledger](uint64_t seq) { return ledger.ReadDecoded(seq); });
  // The stored projections are compared with the replay at the size they
  // are as of; a fault there is reported after the chain's own.
  Status projections;
  Status chain = StreamChain(ledger, v, [&] {
    projections = CompareProjections(ledger, v.state());
    if (projections.ok()) projections = CheckIndexRows(ledger, v.state());
  });
  if (chain.code() == Code::kUnavailable) return chain;
  if (!chain.ok()) {
    // A fault found by the storage scan (a missing row) belongs to the
    // next event the verifier expected.
    return Faulted(v.fault_seq() ? v.fault_seq() : std::optional<uint64_t>(v.size()),
                   chain.message());
  }
  Status finish = v.Finish();
  if (!finish.ok()) return Faulted(v.fault_seq(), finish.message());
  if (v.size() != ledger.size() || v.head() != ledger.head()) {
    return Faulted(std::nullopt, "the stored head does not match the log");
  }
  VLEDGER_ASSIGN_OR_RETURN(Hash stored_root, ledger.MerkleRootAt(ledger.size()));
  if (stored_root != v.MerkleRoot()) {
    return Faulted(std::nullopt, "the stored Merkle tree does not match the log");
  }
  Status nodes = CheckStoredNodes(ledger, v);
  if (nodes.code() == Code::kUnavailable) return nodes;
  if (!nodes.ok()) return Faulted(std::nullopt, nodes.message());
  std::optional<uint64_t> person_seq;
  Status persons = CheckPersons(ledger, v.state(), &person_seq);
  if (persons.code() == Code::kUnavailable) return persons;
  if (!persons.ok()) return Faulted(person_seq, persons.message());
  if (projections.code() == Code::kUnavailable) return projections;
  if (!projections.ok()) {
    return Faulted(std::nullopt, projections.message() + " (run `vledger rebuild`)");
  }
  for (const auto& [unit, total] : UnitTotals(v.state())) {
    if (total != 0) {
      return Faulted(std::nullopt, "postings in unit " + unit + " sum to " +
                                       std::to_string(total) + ", not zero");
    }
  }
  VerifyOutcome out;
  out.events = v.size();
  out.root = v.MerkleRoot();
  return out;
}

Status ReplayRange(const Ledger& ledger, uint64_t from, uint64_t to, StateStore& state) {
  return ledger.ScanEvents(from, to, [&](const StoredEvent& e) -> Status {
    VLEDGER_ASSIGN_OR_RETURN(Event event, DecodeEvent(e.canonical));
    Status applied = ApplyEvent(state, e.seq, event);
    if (applied.ok()) applied = state.io_status();
    if (!applied.ok()) {
      if (applied.code() == Code::kUnavailable) return applied;
      return Status::Fault("seq " + std::to_string(e.seq) + " does not replay: " +
                           applied.message() + " (run `vledger verify`)");
    }
    return Status::Ok();
  });
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
    return Status::Rejected("--at: seq " + std::to_string(seq) + " is past the log (size " +
                            std::to_string(ledger.size()) + ")");
  }
  if (seq + 1 == ledger.size()) return StoredState(ledger);
  auto state = std::make_unique<StateStore>(nullptr, LedgerEvents(ledger));
  VLEDGER_TRY(Replay(ledger, seq + 1, *state));
  return state;
}

Result<uint64_t> RebuildProjections(Ledger& ledger) {
  VLEDGER_TRY(ledger.ClearProjections());
  StateStore state(nullptr, LedgerEvents(ledger));
  // Rows go to the ledger in batches of about kRowBatchBytes, so memory
  // holds the state and one batch, not every row.
  constexpr size_t kRowBatchBytes = 8 << 20;
  std::vector<std::pair<std::string, std::string>> batch;
  size_t bytes = 0;
  uint64_t rows = 0;
  Status io;
  auto add = [&](std::string_view key, std::string_view value) {
    batch.emplace_back(std::string(key), std::string(value));
    bytes += key.size() + value.size();
    rows++;
    if (bytes < kRowBatchBytes) return;
    if (io.ok()) io = ledger.PutProjectionRows(batch);
    batch.clear();
    bytes = 0;
  };
  state.SetIndexRows(IndexRows::kSink, add);
  VLEDGER_TRY(Replay(ledger, ledger.size(), state));
  state.ForEachRow(add);
  if (io.ok() && !batch.empty()) io = ledger.PutProjectionRows(batch);
  VLEDGER_TRY(io);
  VLEDGER_TRY(ledger.FinishProjections(ledger.size()));
  return rows;
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

}  // namespace vledger
