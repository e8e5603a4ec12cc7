// The portable archive (archive.h): export, and the archive half of
// restore. Verification is in archive_verify.cc.
#include "vledger/app/archive.h"

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "archive_internal.h"
#include "guard.h"
#include "vledger/app/checkpoint.h"
#include "vledger/ledger/archive.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/merkle.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// ------------------------------------------------------------- export

// The personRefs an event commits to (the person store's keys).
void CollectPersonRefs(const Event& e, std::unordered_set<std::string>* refs) {
  if (auto* r = std::get_if<ResidentRegistered>(&e.body)) refs->insert(r->person_ref);
  if (auto* u = std::get_if<ResidentUpdated>(&e.body)) {
    if (!u->person_ref.empty()) refs->insert(u->person_ref);
  }
  if (auto* h = std::get_if<HouseholdRegistered>(&e.body)) refs->insert(h->head_ref);
  if (auto* d = std::get_if<DonationReceived>(&e.body)) refs->insert(d->donor_ref);
  if (auto* o = std::get_if<ObjectionFiled>(&e.body)) refs->insert(o->by_ref);
}

struct ExportCounts {
  uint64_t events = 0, commits = 0, persons = 0;
};

// Events and commits of the first `size` events, re-hashed on the way out
// so a damaged store never ships as a valid-looking archive.
Status ExportLog(const Ledger& ledger, const vledger::Checkpoint& head, ArchiveWriter& out,
                 std::unordered_set<std::string>* refs, ExportCounts* counts,
                 const ArchiveProgress& progress) {
  Sha256Hasher hasher;
  StreamingMerkleRoot tree;
  Hash prev = kZeroHash;
  VLEDGER_TRY(ledger.ScanLog(
      head.size,
      [&](const StoredEvent& e) -> Status {
        if (RecordHash(hasher, e.seq, prev, e.canonical) != e.hash) {
          return Status::VerificationFailed(
                     "stored hash does not match the event (run `vledger verify`)")
              .WithSeq(e.seq);
        }
        if (refs != nullptr) {
          VLEDGER_ASSIGN_OR_RETURN(Event event, DecodeEvent(e.canonical));
          CollectPersonRefs(event, refs);
        }
        tree.Add(e.hash);
        prev = e.hash;
        counts->events++;
        if ((e.seq & 0xfff) == 0) Tell(progress, Msg("export"), e.seq, head.size);
        return out.Write(ArchiveEvent{e.seq, AsString(e.hash), e.canonical});
      },
      [&](const CommitRecord& c) -> Status {
        counts->commits++;
        return out.Write(c);
      }));
  if (counts->events != head.size || tree.Root() != head.root) {
    return Status::VerificationFailed(
        "the stored events do not give the checkpoint's root (run `vledger verify`)");
  }
  return Status::Ok();
}

// A full archive at an older size holds the records of its events; one
// erased since (after the archive's last event) cannot be in it, and an
// archive without it would not verify.
Status CheckErasedSince(const Ledger& ledger, const vledger::Checkpoint& head,
                        const std::unordered_set<std::string>& refs) {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(ledger));
  for (const std::string& ref : refs) {
    auto owner = LoadPersonOwner(*state, ref);
    if (!owner || !owner->erased || owner->erased_seq < head.size) continue;
    uint64_t seq = PersonOwnerSeq(*state, *owner).value_or(0);
    if (owner->kind == PersonOwnerKind::kDonor) {
      return Status::FailedPrecondition(
          "--size", Msg("the person record of the donor of seq {0} was erased at seq {1}, after "
                        "size {2}; a full archive at size {2} cannot hold it (export --public, or "
                        "--full at a size above {1})",
                        seq, owner->erased_seq, head.size));
    }
    if (owner->kind == PersonOwnerKind::kHousehold) {
      return Status::FailedPrecondition(
          "--size", Msg("the person record of household {3} (seq {0}) was erased at seq {1}, "
                        "after size {2}; a full archive at size {2} cannot hold it (export "
                        "--public, or --full at a size above {1})",
                        seq, owner->erased_seq, head.size, owner->id));
    }
    return Status::FailedPrecondition(
        "--size", Msg("the person record of resident {3} (seq {0}) was erased at seq {1}, after "
                      "size {2}; a full archive at size {2} cannot hold it (export --public, or "
                      "--full at a size above {1})",
                      seq, owner->erased_seq, head.size, owner->id));
  }
  return Status::Ok();
}

Status ExportPersons(const Ledger& ledger, ArchiveWriter& out,
                     const std::unordered_set<std::string>* refs, ExportCounts* counts) {
  return ledger.ScanPersonRecords([&](const Ledger::StoredPerson& stored) -> Status {
    if (refs != nullptr && refs->count(std::string(stored.ref)) == 0) return Status::Ok();
    if (!stored.record.ok()) {
      return Status::VerificationFailed(
          Msg("person record {} is malformed (run `vledger verify`)", Hex(stored.ref)));
    }
    counts->persons++;
    return out.Write(ArchivePerson{std::string(stored.ref), stored.record->salt,
                                   EncodePerson(stored.record->person)});
  });
}

// ------------------------------------------------------------- restore

// Writes the archive `path` (verified just before) into the new, empty
// ledger: each commit with its recorded signature, the person records, the
// checkpoint; then the projections by replay, as `rebuild` makes them.
Status WriteArchive(Ledger& ledger, const std::string& path, const ArchiveProgress& progress) {
  VLEDGER_ASSIGN_OR_RETURN(ArchiveReader reader, ArchiveReader::Open(path));
  std::unique_ptr<WriteTxn> txn = ledger.BeginWrite();
  std::vector<ArchivePerson> persons;
  std::error_code ec;
  uint64_t file_bytes = std::filesystem::file_size(path, ec);
  if (ec) file_bytes = 0;
  while (true) {
    uint64_t at = reader.offset();
    VLEDGER_ASSIGN_OR_RETURN(auto entry, reader.Next());
    if (!entry) break;
    if (auto* e = std::get_if<ArchiveEvent>(&*entry)) {
      VLEDGER_ASSIGN_OR_RETURN(Event event, DecodeEvent(e->canonical));
      uint64_t seq = txn->AddEvent(std::move(e->canonical), std::move(event));
      if (seq != e->seq || AsView(txn->HashOf(seq)) != e->hash) {
        return Status::VerificationFailed("changed while it was read").WithSeq(e->seq);
      }
      if ((seq & 0xfff) == 0) Tell(progress, Msg("restore"), at, file_bytes);
    } else if (auto* c = std::get_if<CommitRecord>(&*entry)) {
      VLEDGER_ASSIGN_OR_RETURN(CommitRecord written, txn->CommitSigned(*c));
      (void)written;
    } else if (auto* p = std::get_if<ArchivePerson>(&*entry)) {
      persons.push_back(std::move(*p));
      if (persons.size() >= 10'000) {
        VLEDGER_TRY(ledger.RestorePersons(persons));
        persons.clear();
      }
    } else if (auto* cp = std::get_if<ArchiveCheckpoint>(&*entry)) {
      VLEDGER_ASSIGN_OR_RETURN(vledger::Checkpoint head, ParseCheckpoint(cp->text));
      VLEDGER_TRY(ledger.PutCheckpoint(head.size, cp->text));
    }
  }
  if (txn->pending_events() != 0)
    return Status::VerificationFailed("the archive ends inside a commit");
  txn.reset();
  if (!persons.empty()) VLEDGER_TRY(ledger.RestorePersons(persons));
  return RebuildProjections(ledger).status();
}

}  // namespace

// ---------------------------------------------------------------- export

Result<ExportResult> Export(const Session& session, const ExportRequest& request) try {
  const bool full = request.kind == ArchiveKind::kFull;
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(SignedHead head, CheckpointForUse(session, *ledger, request.size));
  VLEDGER_ASSIGN_OR_RETURN(CommitRecord last, ledger->CommitOf(head.head.size - 1));
  if (last.last + 1 != head.head.size) {
    return Status::FailedPrecondition(
        Msg("the checkpoint of size {} splits commit {}..{}; sign one at a commit boundary",
            head.head.size, last.first, last.last));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  auto meta = LoadMeta(*state);
  if (!meta) return Status::Corruption(Msg("{}: the ledger has no genesis", ledger->dir()));
  VLEDGER_ASSIGN_OR_RETURN(uint64_t withheld, ledger->PersonsWithheld());
  if (full && withheld > 0) {
    return Status::FailedPrecondition(
        "--full", Msg("this ledger was restored from a public archive and holds no person "
                      "records of its first {} events (export --public)",
                      withheld));
  }
  VLEDGER_ASSIGN_OR_RETURN(ArchiveWriter out,
                           ArchiveWriter::Create(request.path, full ? 0600 : 0644));
  VLEDGER_TRY(out.Write(ArchiveHeader{meta->origin, meta->name, kArchiveFormatVersion, !full}));
  // A full archive holds the records its events commit to. At the current
  // size that is every stored record; at an older size, only those of the
  // archived events, found by decoding them (a set bounded by persons).
  std::unordered_set<std::string> refs;
  bool filter = full && head.head.size < ledger->size();
  ExportCounts counts;
  VLEDGER_TRY(
      ExportLog(*ledger, head.head, out, filter ? &refs : nullptr, &counts, request.progress));
  if (filter) VLEDGER_TRY(CheckErasedSince(*ledger, head.head, refs));
  if (full) VLEDGER_TRY(ExportPersons(*ledger, out, filter ? &refs : nullptr, &counts));
  VLEDGER_TRY(out.Write(ArchiveCheckpoint{head.text}));
  VLEDGER_TRY(out.Finish());
  ExportResult r;
  r.path = request.path;
  r.kind = request.kind;
  r.events = counts.events;
  r.commits = counts.commits;
  r.persons = counts.persons;
  r.head = head.head;
  r.bytes = out.bytes_written();
  return r;
} catch (...) {
  return CaughtStatus();
}

std::string ExportJson(const ExportResult& r) {
  return Json{
      {"file", r.path},           {"kind", r.kind == ArchiveKind::kFull ? "full" : "public"},
      {"events", r.events},       {"commits", r.commits},
      {"persons", r.persons},     {"size", r.head.size},
      {"root", Hex(r.head.root)}, {"bytes", r.bytes}}
      .dump();
}

// ------------------------------------------------------------- restore

Result<VerifyArchiveResult> RestoreArchive(const std::string& archive,
                                           const std::string& ledger_dir,
                                           const ArchiveProgress& progress) {
  // The whole archive is checked before anything is written.
  VLEDGER_ASSIGN_OR_RETURN(VerifyArchiveResult checked, CheckArchive(archive, nullptr, progress));
  if (!checked.fault.ok()) return checked.fault;
  Status st;
  {
    auto ledger = Ledger::Create(ledger_dir);
    st = ledger.ok() ? WriteArchive(**ledger, archive, progress) : ledger.status();
    // Its person records were never there: verify must not ask for them.
    if (st.ok() && checked.is_public) st = (*ledger)->SetPersonsWithheld(checked.head.size);
  }
  if (!st.ok()) {
    std::error_code ec;
    std::filesystem::remove_all(ledger_dir, ec);
    return st.WithPrefix(Msg("archive {}", archive));
  }
  return checked;
}

}  // namespace vledger::app
