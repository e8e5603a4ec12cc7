#include "vledger/verify.h"

#include "vledger/accounts.h"
#include "vledger/apply.h"
#include "vledger/codec.h"
#include "vledger/registry.h"

namespace vledger {

bool IsKeptRow(std::string_view key) { return key.starts_with("req/") || key.starts_with("imp/"); }

ChainVerifier::ChainVerifier(MemoryState::EventSource earlier_events)
    : state_(std::move(earlier_events)) {}

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
    auto key = LoadKey(state_, commit_key_id_);
    VLEDGER_ASSERT(key.has_value());  // ApplyEvent checked the author
    commit_public_key_ = key->public_key;
  }
  merkle_.Add(h);
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
Status StreamChain(const Ledger& ledger, ChainVerifier& v) {
  return ledger.ScanLog(
      ledger.size(),
      [&](const StoredEvent& e) { return v.AddEvent(e.seq, e.canonical, &e.hash); },
      [&](const CommitRecord& c) { return v.AddCommit(c); });
}

// Checks each stored person record against its commitment.
Status CheckPersons(const Ledger& ledger, MemoryState& state, std::optional<uint64_t>* seq) {
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

// Compares the stored projection rows with the replayed ones.
Status CompareProjections(const Ledger& ledger, MemoryState& state) {
  const auto& replayed = state.rows();
  auto it = replayed.begin();
  Status result;
  Status scan = ledger.ScanState("", [&](std::string_view key, std::string_view value) {
    if (IsKeptRow(key)) return true;
    if (it == replayed.end() || it->first > key) {
      result = Status::Fault("projection row " + std::string(key) + " is not produced by replay");
      return false;
    }
    if (it->first < key) {
      result = Status::Fault("projection row " + it->first + " is missing");
      return false;
    }
    if (it->second != value) {
      result = Status::Fault("projection row " + std::string(key) + " differs from replay");
      return false;
    }
    ++it;
    return true;
  });
  VLEDGER_TRY(scan);
  VLEDGER_TRY(result);
  if (it != replayed.end()) return Status::Fault("projection row " + it->first + " is missing");
  return Status::Ok();
}

}  // namespace

Result<VerifyOutcome> VerifyLedger(const Ledger& ledger) {
  VLEDGER_TRY(ledger.VerifyStorage());
  ChainVerifier v([&ledger](uint64_t seq) { return ledger.ReadDecoded(seq); });
  Status chain = StreamChain(ledger, v);
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
  std::optional<uint64_t> person_seq;
  Status persons = CheckPersons(ledger, v.state(), &person_seq);
  if (persons.code() == Code::kUnavailable) return persons;
  if (!persons.ok()) return Faulted(person_seq, persons.message());
  Status projections = CompareProjections(ledger, v.state());
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

Result<std::map<std::string, std::string, std::less<>>> ReplayProjections(const Ledger& ledger,
                                                                          uint64_t size) {
  MemoryState state([&ledger](uint64_t seq) { return ledger.ReadDecoded(seq); });
  Status scan = ledger.ScanEvents(0, size, [&](const StoredEvent& e) -> Status {
    VLEDGER_ASSIGN_OR_RETURN(Event event, DecodeEvent(e.canonical));
    Status applied = ApplyEvent(state, e.seq, event);
    if (!applied.ok()) {
      return Status::Fault("seq " + std::to_string(e.seq) + " does not replay: " +
                           applied.message() + " (run `vledger verify`)");
    }
    return Status::Ok();
  });
  VLEDGER_TRY(scan);
  return state.rows();
}

}  // namespace vledger
