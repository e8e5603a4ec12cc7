// Reliability commands (SPEC section 7; app/archive.h): `backup DIR`
// copies the last whole commit into a new folder beside a live writer;
// `restore DIR|ARCHIVE` makes the --ledger folder from a backup or an
// archive and verifies it, leaving nothing behind when that fails.
#include <memory>

#include "audit.h"
#include "context.h"
#include "i18n.h"

namespace vledger::cli {
namespace {

Status RunBackup(Context& ctx, const std::string& dir) {
  VLEDGER_ASSIGN_OR_RETURN(app::BackupResult r,
                           app::Backup(ctx.Session(), app::BackupRequest{dir}));
  if (ctx.options.json) {
    ctx.PrintLine(app::BackupJson(r));
  } else {
    ctx.PrintLine("backed up " + std::to_string(r.events) + " events (head " + Hex(r.head) +
                  ") to " + dir);
  }
  return Status::Ok();
}

// `source` is a backup folder or an archive file.
Status RunRestore(Context& ctx, const std::string& source) {
  StageProgress progress;
  auto r = app::Restore(ctx.Session(), app::RestoreRequest{source, progress.Callback()});
  progress.Finish();
  if (!r.ok()) return r.status();
  for (const Msg& w : r->warnings) ctx.Warn(Tr(w));
  if (ctx.options.json) {
    ctx.PrintLine(app::RestoreJson(*r));
  } else {
    ctx.PrintLine("restored " + std::to_string(r->events) + " events into " + r->ledger_dir +
                  "; verified, Merkle root " + Hex(r->root));
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
    cmd->callback([&ctx, action, dir] { *action = [&ctx, dir] { return RunBackup(ctx, *dir); }; });
  }
  {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "restore",
                               "create the --ledger folder from backup DIR (or an archive "
                               "FILE) and verify it");
    cmd->add_option("DIR", *dir,
                    "backup folder written by `vledger backup`, or an archive "
                    "written by `vledger export`")
        ->required();
    cmd->callback([&ctx, action, dir] { *action = [&ctx, dir] { return RunRestore(ctx, *dir); }; });
  }
}

}  // namespace vledger::cli
