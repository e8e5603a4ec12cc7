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
    ctx.PrintLine(Tr("backed up {} events (head {}) to {}", r.events, Hex(r.head), dir));
  }
  return Status::Ok();
}

// `source` is a backup folder or an archive file.
Status RunRestore(Context& ctx, const std::string& source) {
  StageProgress progress;
  auto r = app::Restore(ctx.Session(), app::RestoreRequest{source, progress.Callback()});
  progress.Finish();
  if (!r.ok()) return r.status();
  for (const Msg& w : r->warnings) ctx.Warn(w);
  if (ctx.options.json) {
    ctx.PrintLine(app::RestoreJson(*r));
  } else {
    ctx.PrintLine(Tr("restored {} events into {}; verified, Merkle root {}", r->events,
                     r->ledger_dir, Hex(r->root)));
  }
  return Status::Ok();
}

}  // namespace

void RegisterReliabilityCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "backup",
                               _("copy the last whole commit into DIR (absent or empty); "
                                 "runs beside a writer"));
    cmd->add_option("DIR", *dir, _("backup folder"))->required();
    cmd->callback([&ctx, action, dir] { *action = [&ctx, dir] { return RunBackup(ctx, *dir); }; });
  }
  {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "restore",
                               _("create the --ledger folder from backup DIR (or an archive "
                                 "FILE) and verify it"));
    cmd->add_option("DIR", *dir,
                    _("backup folder written by `vledger backup`, or an archive "
                      "written by `vledger export`"))
        ->required();
    cmd->callback([&ctx, action, dir] { *action = [&ctx, dir] { return RunRestore(ctx, *dir); }; });
  }
}

}  // namespace vledger::cli
