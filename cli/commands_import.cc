// `vledger import FILE --kind K [--batch N] [--source S] [--encoding E]
// [--again]` (SPEC section 9): the options, the progress bar and the
// printing. The import engine is app::Import (vledger/app/import.h).
#include <memory>

#include "context.h"
#include "i18n.h"
#include "progress.h"
#include "vledger/app/import.h"

namespace vledger::cli {
namespace {

// Imports smaller than this finish before a progress bar would help.
constexpr uint64_t kProgressRowsMin = 1'000;

void PrintImportResult(Context& ctx, const app::ImportResult& r) {
  if (ctx.options.json) {
    ctx.PrintLine(app::ImportJson(r));
    return;
  }
  if (r.completed_before) {
    ctx.PrintLine("already imported: \"" + r.label + "\" (this file) completed earlier; " +
                  "nothing appended");
    return;
  }
  if (r.appended == 0) {
    ctx.PrintLine("nothing appended: all " + std::to_string(r.repeated) +
                  " rows are already in the ledger");
    return;
  }
  ctx.PrintLine("appended " + std::to_string(r.appended) + " " + r.kind + " rows as seqs " +
                std::to_string(*r.first) + ".." + std::to_string(*r.last) + " in " +
                std::to_string(r.commits) + (r.commits == 1 ? " commit" : " commits") + ", head " +
                r.hash);
  if (r.repeated > 0) {
    ctx.PrintLine(std::to_string(r.repeated) + " rows were already in the ledger and were skipped");
  }
}

Status RunImport(Context& ctx, app::ImportRequest request) {
  // A bar while a large file is checked; none with --json.
  std::unique_ptr<ProgressBar> bar;
  bool drawing = !ctx.options.json;
  request.progress = [&](const app::ImportProgress& p) {
    if (p.stage != app::ImportStage::kChecking) {
      bar.reset();
      return Status::Ok();
    }
    if (!bar && drawing && p.total >= kProgressRowsMin) {
      bar = std::make_unique<ProgressBar>("checking", p.total);
    }
    if (bar) bar->Update(p.done);
    return Status::Ok();
  };
  std::vector<Status> bad_rows;
  request.bad_row = [&](const Status& st) { bad_rows.push_back(st); };
  Result<app::ImportResult> result = app::Import(ctx.Session(), request);
  bar.reset();
  if (!result.ok()) {
    // Several bad rows: the summary, then a line each.
    if (bad_rows.size() > 1) ctx.more_errors = std::move(bad_rows);
    return result.status();
  }
  PrintImportResult(ctx, *result);
  for (const Msg& w : result->warnings) ctx.Warn(Tr(w));
  return Status::Ok();
}

}  // namespace

void RegisterImportCommand(CLI::App& app, Context& ctx, Action* action) {
  auto o = std::make_shared<app::ImportRequest>();
  CLI::App* cmd = AddCommand(app, "import", "import rows from a CSV file (Excel export)");
  cmd->add_option("FILE", o->file, "CSV file: UTF-8 (BOM or not) or GB18030")->required();
  cmd->add_option("--kind", o->kind, "what the rows are")
      ->required()
      ->check(CLI::IsMember(app::ImportKindNames()));
  cmd->add_option("--batch", o->batch, "commit every N new rows (default: one commit)");
  cmd->add_option("--source", o->source, "label that resumes this import (default: file name)");
  cmd->add_option("--encoding", o->encoding, "utf-8|gb18030 (default: detect)");
  cmd->add_flag("--allow-names", o->allow_names,
                _("notes and items may name a registered person (they go into the public log)"));
  cmd->add_flag("--again", o->again,
                "import content already imported (wholly or in part) under another --source");
  cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return RunImport(ctx, *o); }; });
}

}  // namespace vledger::cli
