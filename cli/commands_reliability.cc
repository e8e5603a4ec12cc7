// Reliability commands: `backup DIR` and `restore DIR` (SPEC section 7).
//
// backup  opens the ledger as a reader — no writer lock, so it runs beside a
//         live writer — and copies the last whole commit it sees, row by
//         row, into a new ledger folder DIR (Ledger::Backup). A reader's
//         view never changes while it is open, so the copy is consistent
//         across the log, the person store and the checkpoints.
// restore copies a backup into the --ledger folder (which must not exist),
//         then runs the full `verify` on the copy; if that fails in any way
//         the new folder is removed, so nothing is left behind. Given an
//         archive file (`export --full`, or `--public` without names)
//         instead of a backup folder, it rebuilds the ledger from the
//         archive (audit_archive.cc).
#include <filesystem>
#include <memory>

#include "audit.h"
#include "context.h"
#include "vledger/projections/verify.h"

namespace vledger::cli {
namespace {

namespace fs = std::filesystem;

Status Backup(Context& ctx, const std::string& dir) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(uint64_t rows, ledger->Backup(dir));
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"backup", dir}, {"events", ledger->size()}, {"hash", Hex(ledger->head())},
                       {"rows", rows}});
  } else {
    ctx.PrintLine("backed up " + std::to_string(ledger->size()) + " events (head " +
                  Hex(ledger->head()) + ") to " + dir);
  }
  return Status::Ok();
}

// The full verify of a freshly restored ledger folder.
Result<VerifyOutcome> VerifyRestored(const std::string& ledger_dir) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(ledger_dir, {Ledger::Access::kReader, 0}));
  return VerifyLedger(*ledger);
}

// `source` is a backup folder or an archive file.
Status Restore(Context& ctx, const std::string& source) {
  const std::string& ledger_dir = ctx.options.ledger_dir;
  std::error_code file_ec;
  const bool archive = fs::is_regular_file(source, file_ec);
  if (archive) {
    auto is_public = RestoreArchive(source, ledger_dir);
    if (!is_public.ok()) return is_public.status().WithPrefix("restore (nothing was restored)");
    if (*is_public) {
      ctx.Warn("a public archive holds no person records: the restored ledger shows no names");
    }
  } else {
    VLEDGER_ASSIGN_OR_RETURN(uint64_t rows, Ledger::Restore(source, ledger_dir));
    (void)rows;
  }
  auto outcome = VerifyRestored(ledger_dir);
  Status st;
  if (!outcome.ok()) {
    st = outcome.status().WithPrefix("restored copy of " + source);
  } else if (!outcome->ok) {
    std::string where = outcome->seq ? "seq " + std::to_string(*outcome->seq) + ": " : "";
    st = Status::Fault(std::string(archive ? "archive " : "backup ") + source +
                       " fails verification at " + where + outcome->problem);
  }
  if (!st.ok()) {
    std::error_code ec;
    fs::remove_all(ledger_dir, ec);
    return st.WithPrefix("restore (nothing was restored)");
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"ledger", ledger_dir}, {"events", outcome->events},
                       {"root", Hex(outcome->root)}, {"verified", true}});
  } else {
    ctx.PrintLine("restored " + std::to_string(outcome->events) + " events into " + ledger_dir +
                  "; verified, Merkle root " + Hex(outcome->root));
  }
  return Status::Ok();
}

}  // namespace

void RegisterReliabilityCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "backup",
                               "copy the last whole commit into DIR (absent or empty); "
                               "runs beside a writer");
    cmd->add_option("DIR", *dir, "backup folder")->required();
    cmd->callback([&ctx, action, dir] { *action = [&ctx, dir] { return Backup(ctx, *dir); }; });
  }
  {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "restore",
                               "create the --ledger folder from backup DIR (or an archive "
                               "FILE) and verify it");
    cmd->add_option("DIR", *dir, "backup folder written by `vledger backup`, or an archive "
                    "written by `vledger export`")->required();
    cmd->callback([&ctx, action, dir] { *action = [&ctx, dir] { return Restore(ctx, *dir); }; });
  }
}

}  // namespace vledger::cli
