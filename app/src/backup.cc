// Copies of a ledger (archive.h): `backup DIR` and `restore DIR|ARCHIVE`.
//
// backup  opens the ledger as a reader — no writer lock, so it runs beside
//         a live writer — and copies the last whole commit it sees, row by
//         row, into a new ledger folder (Ledger::Backup). A reader's view
//         never changes while it is open, so the copy is consistent across
//         the log, the person store and the checkpoints.
// restore copies a backup into the session's ledger folder (which must not
//         exist), or rebuilds the ledger from an archive (archive.cc), then
//         runs the full `verify` on the copy; if that fails in any way the
//         new folder is removed, so nothing is left behind.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "archive_internal.h"
#include "guard.h"
#include "vledger/app/archive.h"
#include "vledger/app/people.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// The full verify of a freshly restored ledger folder.
Result<VerifyOutcome> VerifyRestored(const std::string& ledger_dir) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(ledger_dir, {Ledger::Access::kReader, 0}));
  return VerifyLedger(*ledger);
}

}  // namespace

Result<BackupResult> Backup(const Session& session, const BackupRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  BackupResult r;
  r.dir = request.dir;
  VLEDGER_ASSIGN_OR_RETURN(r.rows, ledger->Backup(request.dir));
  r.events = ledger->size();
  r.head = ledger->head();
  return r;
} catch (...) {
  return CaughtStatus();
}

std::string BackupJson(const BackupResult& r) {
  return Json{{"backup", r.dir}, {"events", r.events}, {"hash", Hex(r.head)}, {"rows", r.rows}}
      .dump();
}

Result<RestoreResult> Restore(const Session& session, const RestoreRequest& request) try {
  const std::string& source = request.source;
  RestoreResult r;
  r.ledger_dir = session.options().ledger_dir;
  std::error_code ec;
  if (fs::exists(r.ledger_dir, ec)) {
    return Status::AlreadyExists(
        "--ledger", Msg("{} already exists; restore makes a new ledger folder", r.ledger_dir));
  }
  r.from_archive = fs::is_regular_file(source, ec);
  if (r.from_archive) {
    auto checked = RestoreArchive(source, r.ledger_dir, request.progress);
    if (!checked.ok()) return checked.status().WithPrefix("restore (nothing was restored)");
    if (checked->is_public) {
      r.warnings.push_back(
          Msg("a public archive holds no person records: the restored ledger shows no names"));
    }
  } else {
    VLEDGER_ASSIGN_OR_RETURN(uint64_t rows, Ledger::Restore(source, r.ledger_dir));
    (void)rows;
  }
  auto outcome = VerifyRestored(r.ledger_dir);
  Status st;
  if (!outcome.ok()) {
    st = outcome.status().WithPrefix(Msg("restored copy of {}", source));
  } else if (!outcome->ok) {
    // The fault itself (translatable), not its English text.
    Status fault = Flattened(Code::kVerificationFailed, outcome->fault);
    if (outcome->seq) {
      st = fault.WithPrefix(
          r.from_archive ? Msg("archive {} fails verification at seq {}", source, *outcome->seq)
                         : Msg("backup {} fails verification at seq {}", source, *outcome->seq));
    } else {
      st = fault.WithPrefix(r.from_archive ? Msg("archive {} fails verification", source)
                                           : Msg("backup {} fails verification", source));
    }
  }
  if (!st.ok()) {
    fs::remove_all(r.ledger_dir, ec);
    return st.WithPrefix("restore (nothing was restored)");
  }
  r.events = outcome->events;
  r.root = outcome->root;
  {
    // The name index is never copied: built again from the person records.
    Ledger::OpenOptions writer;
    writer.access = Ledger::Access::kWriter;
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(r.ledger_dir, writer));
    VLEDGER_TRY(RebuildNames(*ledger).status());
  }
  return r;
} catch (...) {
  return CaughtStatus();
}

std::string RestoreJson(const RestoreResult& r) {
  return Json{
      {"ledger", r.ledger_dir}, {"events", r.events}, {"root", Hex(r.root)}, {"verified", true}}
      .dump();
}

}  // namespace vledger::app
