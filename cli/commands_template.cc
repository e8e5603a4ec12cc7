// `vledger template KIND --village V --out F.xlsx` (SPEC section 12,
// "Excel"): the options and the printing. The workbook is
// app::Template's (vledger/app/template.h).
#include <memory>

#include "actions.h"
#include "i18n.h"
#include "vledger/app/template.h"

namespace vledger::cli {
namespace {

void PrintTemplate(const Context& ctx, const app::TemplateResult& r) {
  ctx.PrintLine(
      Tr("wrote {}: the {} template of village {} ({} residents, {} households, {} "
         "rules, {} funds listed; ledger size {})",
         r.out, r.kind, r.village, r.residents, r.households, r.rules, r.funds, r.size));
}

Status RunTemplate(Context& ctx, const app::TemplateRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::TemplateResult r, app::Template(ctx.Session(), request));
  if (ctx.options.json) {
    ctx.PrintLine(app::TemplateJson(r));
  } else {
    PrintTemplate(ctx, r);
  }
  for (const std::string& column : r.lists_left_out) {
    ctx.Warn(
        Tr("column {}: more than {} entries, so it has no drop-down list (the helper sheet "
           "lists them all)",
           column, request.list_entries_max));
  }
  if (r.residents + r.households > 0) {
    ctx.Warn(Tr("{} holds residents' names: keep it for your own use, do not publish it", r.out));
  }
  return Status::Ok();
}

}  // namespace

void RegisterTemplateCommand(CLI::App& app, Context& ctx, Action* action) {
  auto o = std::make_shared<app::TemplateRequest>();
  CLI::App* cmd = AddCommand(
      app, "template",
      _("write an Excel workbook to fill in and import, with drop-down lists of the village's "
        "residents and rules (it holds personal data: do not publish it)"));
  cmd->add_option("KIND", o->kind,
                  _("what the rows record: residents, households, rules, awards, deductions, "
                    "redemptions, donations or disbursements"))
      ->required();
  cmd->add_option("--village", o->village, _("the village whose lists the workbook offers"))
      ->required();
  cmd->add_option("--out", o->out, _("the .xlsx file to write"))->required();
  cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return RunTemplate(ctx, *o); }; });
}

}  // namespace vledger::cli
