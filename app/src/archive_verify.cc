// verify --archive (archive.h): checking an archive with no ledger, as
// `verify` checks a ledger (projections/src/verify.cc: ChainVerifier).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "archive_internal.h"
#include "guard.h"
#include "vledger/app/archive.h"
#include "vledger/app/audit.h"
#include "vledger/ledger/archive.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/accounts.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// ------------------------------------------------------ verify --archive

// Earlier events of the archive being verified, for replay (reversals and
// reviews read the events they name). Keeps the byte offset of every
// 256th event entry — 8 bytes per 256 events, ~300 KiB at 10M events — and
// re-reads a block of up to 256 events from the file on a miss; the last
// block read stays cached, since lookups cluster.
class ArchiveEvents {
 public:
  static constexpr uint64_t kBlockEvents = 256;

  explicit ArchiveEvents(std::string path) : path_(std::move(path)) {}

  // Called for each event entry in order, with the offset it was read at.
  void Note(uint64_t seq, uint64_t offset) {
    if (seq % kBlockEvents == 0) offsets_.push_back(offset);
    known_ = seq + 1;
  }

  Result<Event> Read(uint64_t seq) {
    if (seq >= known_) {
      return Status::VerificationFailed(Msg("event {} is not earlier in the archive", seq));
    }
    uint64_t block = seq / kBlockEvents;
    if (block != cached_block_ || seq - block * kBlockEvents >= cached_.size()) {
      VLEDGER_TRY(Load(block));
    }
    auto event = DecodeEvent(cached_[seq - block * kBlockEvents]);
    if (!event.ok()) return event.status().WithPrefix(Msg("seq {}", seq));
    return event;
  }

 private:
  Status Load(uint64_t block) {
    if (!reader_) {
      VLEDGER_ASSIGN_OR_RETURN(ArchiveReader r, ArchiveReader::Open(path_));
      reader_.emplace(std::move(r));
    }
    VLEDGER_TRY(reader_->Seek(offsets_[block]));
    cached_.clear();
    cached_block_ = block;
    uint64_t next = block * kBlockEvents;
    while (cached_.size() < kBlockEvents && next < known_) {
      VLEDGER_ASSIGN_OR_RETURN(auto entry, reader_->Next());
      if (!entry) break;
      if (std::holds_alternative<CommitRecord>(*entry)) continue;
      auto* e = std::get_if<ArchiveEvent>(&*entry);
      if (e == nullptr || e->seq != next) {
        return Status::VerificationFailed("archive changed while it was read");
      }
      cached_.push_back(std::move(e->canonical));
      next++;
    }
    return Status::Ok();
  }

  std::string path_;
  std::vector<uint64_t> offsets_;
  uint64_t known_ = 0;
  std::optional<ArchiveReader> reader_;
  uint64_t cached_block_ = UINT64_MAX;
  std::vector<std::string> cached_;
};

// What an archive check found: the first fault (and its seq) or the totals.
struct ArchiveOutcome {
  bool ok = true;
  std::optional<uint64_t> seq;
  Status fault;         // the first fault
  std::string problem;  // its message in English
  ArchiveHeader header;
  uint64_t events = 0, commits = 0, persons = 0;
  vledger::Checkpoint head;
  std::string signed_by;  // key id that signed the checkpoint
};

class ArchiveCheck {
 public:
  ArchiveCheck(std::string path, const PublicKey* trusted, const ArchiveProgress& progress)
      : path_(std::move(path)),
        trusted_(trusted),
        progress_(progress),
        events_(path_),
        chain_([this](uint64_t seq) { return events_.Read(seq); }) {}

  // Refused when the file cannot be read; every fault in it is an outcome.
  Result<ArchiveOutcome> Run() {
    VLEDGER_ASSIGN_OR_RETURN(ArchiveReader reader, ArchiveReader::Open(path_));
    Status st = Stream(reader);
    if (st.is_refusal()) return st;
    if (st.ok()) st = CheckHead();
    if (st.ok()) st = CheckTotals();
    if (!st.ok()) {
      out_.ok = false;
      out_.fault = st;
      out_.problem = st.message();
    }
    return out_;
  }

 private:
  Status Fail(std::optional<uint64_t> seq, Msg problem) {
    out_.seq = seq;
    return Status::VerificationFailed(std::move(problem));
  }
  Status Chain(Status st) {
    if (!st.ok()) out_.seq = chain_.fault_seq();
    return st;
  }

  // Header, events and commits, persons, checkpoint — in that order.
  Status Stream(ArchiveReader& reader) {
    std::error_code ec;
    uint64_t file_bytes = std::filesystem::file_size(path_, ec);
    if (ec) file_bytes = 0;
    enum { kStart, kLog, kPersons, kEnd } phase = kStart;
    while (true) {
      uint64_t at = reader.offset();
      VLEDGER_ASSIGN_OR_RETURN(auto entry, reader.Next());
      if (!entry) break;
      if (phase == kEnd) {
        return Fail(std::nullopt, Msg("the entry at byte {} follows the checkpoint", at));
      }
      if (auto* h = std::get_if<ArchiveHeader>(&*entry)) {
        if (phase != kStart) {
          return Fail(std::nullopt, Msg("the entry at byte {} is a second header", at));
        }
        if (h->format_version != kArchiveFormatVersion) {
          return Fail(std::nullopt, Msg("archive format version {} is not 1", h->format_version));
        }
        out_.header = *h;
        phase = kLog;
        continue;
      }
      if (phase == kStart) return Fail(std::nullopt, "the archive does not start with a header");
      if (auto* e = std::get_if<ArchiveEvent>(&*entry)) {
        if (phase != kLog) {
          return Fail(e->seq, Msg("the entry at byte {} is an event after the person records", at));
        }
        VLEDGER_TRY(AddEvent(*e, at));
        if ((e->seq & 0xfff) == 0) Tell(progress_, Msg("verify"), at, file_bytes);
      } else if (auto* c = std::get_if<CommitRecord>(&*entry)) {
        if (phase != kLog) {
          return Fail(c->first,
                      Msg("the entry at byte {} is a commit after the person records", at));
        }
        VLEDGER_TRY(Chain(chain_.AddCommit(*c)));
        out_.commits++;
      } else if (auto* p = std::get_if<ArchivePerson>(&*entry)) {
        if (phase == kLog) VLEDGER_TRY(Chain(chain_.Finish()));
        phase = kPersons;
        VLEDGER_TRY(CheckPerson(*p));
      } else {
        if (phase == kLog) VLEDGER_TRY(Chain(chain_.Finish()));
        phase = kEnd;
        checkpoint_text_ = std::get<ArchiveCheckpoint>(*entry).text;
      }
    }
    if (phase == kStart) return Fail(std::nullopt, "the archive is empty");
    if (phase != kEnd) {
      return Fail(std::nullopt, "the archive ends without its checkpoint (truncated)");
    }
    return OwnersBefore("");
  }

  Status AddEvent(const ArchiveEvent& e, uint64_t at) {
    auto hash = HashFrom(e.hash);
    if (!hash) return Fail(e.seq, Msg("seq {}: hash is not 32 bytes", e.seq));
    VLEDGER_TRY(Chain(chain_.AddEvent(e.seq, e.canonical, &*hash)));
    events_.Note(e.seq, at);
    out_.events++;
    return Status::Ok();
  }

  Status CheckPerson(const ArchivePerson& p) {
    std::string ref = Hex(p.person_ref);
    if (out_.header.is_public) {
      return Fail(std::nullopt, Msg("a public archive holds person record {}", ref));
    }
    if (p.person_ref.size() != 32 || p.salt.size() != 16) {
      return Fail(std::nullopt,
                  Msg("person record {}: reference or salt has the wrong length", ref));
    }
    if (!last_person_ref_.empty() && p.person_ref <= last_person_ref_) {
      return Fail(std::nullopt, Msg("person record {} is out of order or repeated", ref));
    }
    last_person_ref_ = p.person_ref;
    VLEDGER_TRY(OwnersBefore(p.person_ref));
    if (PersonRef(p.salt, p.record) != p.person_ref) {
      return Fail(std::nullopt, Msg("person record {} does not match its commitment", ref));
    }
    if (!DecodePerson(p.record).ok()) {
      return Fail(std::nullopt, Msg("person record {} is malformed", ref));
    }
    auto owner = LoadPersonOwner(chain_.state(), p.person_ref);
    if (!owner) return Fail(std::nullopt, Msg("person record {} is referenced by no event", ref));
    if (owner->erased) {
      return Fail(owner->erased_seq, Msg("person record {} was erased at seq {} but is present",
                                         ref, owner->erased_seq));
    }
    out_.persons++;
    return Status::Ok();
  }

  // A full archive holds every person record its events commit to that no
  // personErased erased. Records come in ref order, as the owners' ids
  // (the refs) sort: the owners before `person_ref` (all, when empty) have
  // no record in the archive.
  Status OwnersBefore(std::string_view person_ref) {
    if (out_.header.is_public) return Status::Ok();
    if (!owners_) owners_ = chain_.state().table<PersonOwner>().SortedEntities();
    using Owners = Table<PersonOwner>;
    for (; next_owner_ < owners_->size() &&
           (person_ref.empty() || Owners::IdOf((*owners_)[next_owner_]) < person_ref);
         next_owner_++) {
      const PersonOwner& owner = Owners::EntityOf((*owners_)[next_owner_]);
      if (owner.erased) continue;
      std::optional<uint64_t> seq = PersonOwnerSeq(chain_.state(), owner);
      const std::string ref = Hex(Owners::IdOf((*owners_)[next_owner_]));
      if (owner.kind == PersonOwnerKind::kDonor) {
        return Fail(seq, Msg("the full archive lacks the person record {} of the donor of seq {}, "
                             "and no personErased erased it",
                             ref, seq.value_or(0)));
      }
      if (owner.kind == PersonOwnerKind::kHousehold) {
        return Fail(seq, Msg("the full archive lacks the person record {} of household {} (seq "
                             "{}), and no personErased erased it",
                             ref, owner.id, seq.value_or(0)));
      }
      return Fail(seq, Msg("the full archive lacks the person record {} of resident {} (seq {}), "
                           "and no personErased erased it",
                           ref, owner.id, seq.value_or(0)));
    }
    if (next_owner_ < owners_->size() && Owners::IdOf((*owners_)[next_owner_]) == person_ref) {
      next_owner_++;
    }
    return Status::Ok();
  }

  // Signed by --pub when given, else by a key of the archive that could
  // sign its checkpoint (an admin or checkpointer key, SignsCheckpointsAt).
  Status CheckSignature() {
    if (trusted_ != nullptr) {
      Status st = VerifyCheckpoint(checkpoint_text_, *trusted_, nullptr);
      if (!st.ok()) return st.WithPrefix("the archive's checkpoint signature does not verify");
      out_.signed_by = trusted_->key_id();
      return Status::Ok();
    }
    for (const KeyRecord& key : ListKeys(chain_.state())) {
      if (!SignsCheckpointsAt(key, chain_.size())) continue;
      auto pub = PublicKey::FromRaw(key.public_key);
      if (pub.ok() && VerifyCheckpoint(checkpoint_text_, *pub, nullptr).ok()) {
        out_.signed_by = key.key_id;
        return Status::Ok();
      }
    }
    return Status::VerificationFailed(
        "the archive's checkpoint signature does not verify under any active admin or "
        "checkpointer key of the archived ledger");
  }

  Status CheckHead() {
    auto head = ParseCheckpoint(checkpoint_text_);
    if (!head.ok()) return head.status().WithPrefix("the archive's checkpoint is malformed");
    out_.head = *head;
    VLEDGER_TRY(CheckSignature());
    auto meta = LoadMeta(chain_.state());
    VLEDGER_ASSERT(meta.has_value());  // the chain verified, so it has a genesis
    if (out_.header.origin != meta->origin || head->origin != meta->origin) {
      return Status::VerificationFailed(Msg("origins differ: ledger {}, header {}, checkpoint {}",
                                            meta->origin, out_.header.origin, head->origin));
    }
    if (out_.header.ledger_name != meta->name) {
      return Status::VerificationFailed(
          Msg("the header names the ledger \"{}\" but its genesis \"{}\"", out_.header.ledger_name,
              meta->name));
    }
    if (head->size != chain_.size()) {
      return Status::VerificationFailed(Msg(
          "the checkpoint covers {} events but the archive holds {}", head->size, chain_.size()));
    }
    if (head->root != chain_.MerkleRoot()) {
      return Status::VerificationFailed(
          Msg("the Merkle root of the archived events {} is not the checkpoint's root {}",
              Hex(chain_.MerkleRoot()), Hex(head->root)));
    }
    return Status::Ok();
  }

  Status CheckTotals() {
    for (const auto& [unit, total] : UnitTotals(chain_.state())) {
      if (total != 0) {
        return Status::VerificationFailed(
            Msg("postings in unit {} sum to {}, not zero", unit, total));
      }
    }
    return Status::Ok();
  }

  std::string path_;
  const PublicKey* trusted_;
  const ArchiveProgress& progress_;
  ArchiveEvents events_;
  ChainVerifier chain_;
  ArchiveOutcome out_;
  std::string checkpoint_text_;
  std::string last_person_ref_;
  // The PersonOwners, in ref order, and the first not yet matched with a record.
  std::optional<std::vector<TableBase::Sorted>> owners_;
  size_t next_owner_ = 0;
};

// The failed verification of an archive's first fault: "archive PATH does
// not verify: seq N: PROBLEM".
Status ArchiveFault(const std::string& path, std::optional<uint64_t> seq, const Status& problem) {
  Status st = Flattened(Code::kVerificationFailed, problem);
  if (seq) st = st.WithPrefix(Msg("seq {}", *seq));
  return st.WithPrefix(Msg("archive {} does not verify", path));
}

}  // namespace

Result<VerifyArchiveResult> CheckArchive(const std::string& path, const PublicKey* trusted,
                                         const ArchiveProgress& progress) {
  ArchiveCheck check(path, trusted, progress);
  VLEDGER_ASSIGN_OR_RETURN(ArchiveOutcome out, check.Run());
  VerifyArchiveResult r;
  if (!out.ok) r.fault = ArchiveFault(path, out.seq, out.fault);
  r.seq = out.seq;
  r.problem = out.problem;
  r.is_public = out.header.is_public;
  r.events = out.events;
  r.commits = out.commits;
  r.persons = out.persons;
  r.head = out.head;
  r.signed_by = out.signed_by;
  return r;
}

Result<VerifyArchiveResult> VerifyArchive(const Session& /*session*/,
                                          const VerifyArchiveRequest& request) try {
  std::optional<PublicKey> trusted;
  if (!request.pub.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(PublicKey pub, LoadPub(request.pub));
    trusted.emplace(std::move(pub));
  }
  std::optional<vledger::Checkpoint> expected;
  if (!request.checkpoint.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(std::string text,
                             ReadEvidenceFile("--checkpoint", request.checkpoint, kNoteBytesMax));
    auto head = ParseCheckpoint(text);
    if (!head.ok()) {
      return head.status().WithPrefix(Msg("--checkpoint {} is malformed", request.checkpoint));
    }
    if (trusted) {
      Status st = VerifyCheckpoint(text, *trusted, nullptr);
      if (!st.ok()) return st.WithPrefix("--checkpoint: checkpoint signature does not verify");
    }
    expected = *head;
  }
  std::error_code ec;
  if (!std::filesystem::exists(request.archive, ec) && !ec) {
    return Status::NotFound(
        Msg("cannot open archive {}: {}", request.archive, std::strerror(ENOENT)));
  }
  VLEDGER_ASSIGN_OR_RETURN(
      VerifyArchiveResult r,
      CheckArchive(request.archive, trusted ? &*trusted : nullptr, request.progress));
  if (r.fault.ok() && expected && !(*expected == r.head)) {
    Status problem = Status::VerificationFailed(Msg(
        "--checkpoint {} (size {}, root {}) is not the archive's checkpoint (size {}, root {})",
        request.checkpoint, expected->size, Hex(expected->root), r.head.size, Hex(r.head.root)));
    r.problem = problem.message();
    r.fault = ArchiveFault(request.archive, std::nullopt, problem);
  }
  if (!trusted) {
    r.warnings.push_back(
        Msg("no --pub: the checkpoints are checked only against the archive's own admin keys"));
  }
  return r;
} catch (...) {
  return CaughtStatus();
}

std::string VerifyArchiveJson(const VerifyArchiveResult& r) {
  if (!r.fault.ok()) {
    Json seq = r.seq ? Json(*r.seq) : Json(nullptr);
    return Json{{"ok", false}, {"seq", seq}, {"problem", r.problem}}.dump();
  }
  return Json{{"ok", true},
              {"events", r.events},
              {"root", Hex(r.head.root)},
              {"origin", r.head.origin},
              {"public", r.is_public},
              {"commits", r.commits},
              {"persons", r.persons},
              {"signedBy", r.signed_by}}
      .dump();
}

}  // namespace vledger::app
