// Public reports and the question ledger (SPEC sections 7 and 8):
//   report points|funds|bulletin --village V --period P [--format F] [--lang L] [--edition E]
//     [--window-days N] [--site-url URL] [--at SIZE] [--out F]
//   report cards --village V [--resident R]... [--size a4|card] [--site-url URL] [--at SIZE]
//     [--out F]
//   report receipt SEQ [--size a4|card] [--out F]
//   report shop SHOP --village V --period YYYY-MM [--json]
//   publish --village V --period P [--kind K] [--format F] [--lang L] [--edition E]
//     [--site-url URL] [--window-days N] --out F
//   verify-report FILE
//   objection file (--event SEQ|--report SHA256) --by RESIDENT --text T [--due DATE]
//   objection resolve SEQ --upheld|--dismissed --answer T [--reversal SEQ]
//   objection list [--open|--overdue] [--village V]
// Their work is app/report.h's; here they are registered and printed.
#include <iostream>
#include <memory>

#include "actions.h"
#include "append.h"
#include "context.h"
#include "i18n.h"
#include "vledger/app/report.h"
#include "vledger/app/shop.h"

namespace vledger::cli {
namespace {

constexpr size_t kReportBytesMax = 64u << 20;

// ---------------------------------------------- report, publish, verify-report

Status RunReport(Context& ctx, const app::ReportRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::ReportResult r, app::Report(ctx.Session(), request));
  if (r.out.empty()) {
    ctx.PrintRaw(r.bytes);
    return Status::Ok();
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::ReportJson(r)));
  } else {
    ctx.PrintLine(
        Tr("wrote {}: {} bytes, sha256 {}, at size {}", r.out, r.bytes.size(), r.sha256, r.size));
  }
  return Status::Ok();
}

// The options a kind of report takes, as a usage error (exit 2) like a
// missing option of a command: --village and --period for the public
// reports, --village for cards, neither for a receipt.
Status CheckReportOptions(const CLI::App& cmd, const app::ReportRequest& o) {
  const bool cards = o.kind == "cards", receipt = o.kind == "receipt";
  if (!receipt && o.village.empty()) return Status::Usage(Msg("report {} needs --village", o.kind));
  if (!cards && !receipt && o.period.empty()) {
    return Status::Usage(Msg("report {} needs --period", o.kind));
  }
  if ((cards || receipt) && cmd.count("--window-days") > 0) {
    return Status::Usage(Msg("report {} takes no {}", o.kind, "--window-days"));
  }
  return Status::Ok();
}

// `report shop SHOP --village V --period YYYY-MM`: the shop's monthly
// statement, on the terminal (or --json); not a published report.
Status RunShopStatement(Context& ctx, const std::string& shop, const app::ReportRequest& o) {
  if (shop.empty()) return Status::Usage("report shop: give SHOP");
  if (!o.out.empty()) return Status::Usage("report shop: prints the statement; no --out");
  app::ShopStatementRequest request{shop, o.village, o.period, o.at};
  VLEDGER_ASSIGN_OR_RETURN(app::ShopStatementResult r, app::ShopStatement(ctx.Session(), request));
  if (ctx.options.json || o.format == "json") {
    ctx.PrintLine(app::ShopStatementJson(r));
    return Status::Ok();
  }
  ctx.PrintLine(Tr("{} ({}), village {}, {}", r.shop_name.empty() ? r.shop : r.shop_name, r.shop,
                   r.village, r.period));
  for (const ShelfMonthLine& l : r.lines) {
    ctx.PrintLine(Tr("  {}  {} points a unit  received {}  redeemed {}  points taken {}  left {}",
                     l.item, l.points, l.received, l.sold, l.taken, l.stock));
  }
  ctx.PrintLine(Tr("redeemed {} units for {} points", r.sold, r.taken));
  return Status::Ok();
}

Status RunPublish(Context& ctx, const app::PublishRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::PublishResult r, app::Publish(ctx.Session(), request));
  PrintAppendResult(ctx, r.append);
  return Status::Ok();
}

Status RunVerifyReport(Context& ctx, const std::string& path) {
  VLEDGER_ASSIGN_OR_RETURN(app::VerifyReportResult r, app::VerifyReport(ctx.Session(), {path}));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::VerifyReportJson(r)));
  } else if (r.ok) {
    ctx.PrintLine(Tr("ok: {} matches the ledger at size {} ({})", path, r.size, r.footer) +
                  (r.published_seq ? Tr("; published at seq {}", *r.published_seq) : ""));
  }
  return r.verdict;
}

// ------------------------------------------------------------ objections

Status RunObjectionList(Context& ctx, const app::ObjectionListRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::ObjectionListResult r, app::ObjectionList(ctx.Session(), request));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::ObjectionListJson(r)));
    return Status::Ok();
  }
  for (const app::ObjectionItem& o : r.objections) {
    std::string about = o.about_event ? Tr("seq {}", *o.about_event)
                                      : Tr("report {}", o.about_report.substr(0, 16));
    std::string status = !o.resolved ? _("open")
                         : o.upheld  ? _("closed (upheld)")
                                     : _("closed (dismissed)");
    if (o.overdue) status += _(" OVERDUE");
    ctx.PrintLine(Tr("seq {}  {}  {}  due {}  about {}  {}", o.seq, o.village, status, o.reply_due,
                     about, o.text));
  }
  return Status::Ok();
}

// Prints an objection's append, then (only after it succeeded, so that a
// refusal stays one stderr line) its warnings.
Status PrintObjectionChange(Context& ctx, const Result<app::ObjectionChangeResult>& r) {
  if (!r.ok()) return r.status();
  PrintAppendResult(ctx, r->append);
  for (const Msg& warning : r->warnings) ctx.Warn(warning);
  return Status::Ok();
}

void RegisterObjectionCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* obj = AddCommand(app, "objection", _("the question ledger (问题台账) of objections"));
  obj->require_subcommand(1);
  {
    auto o = std::make_shared<app::ObjectionFileRequest>();
    CLI::App* cmd = AddCommand(*obj, "file", _("file an objection about an event or a report"));
    cmd->add_option("--event", o->event, _("seq of the event objected to"));
    cmd->add_option("--report", o->report,
                    _("SHA-256 of the published report objected to, or its 16-hex short id"));
    cmd->add_option("--by", o->by, _("the objector: a resident id or name"))->required();
    cmd->add_option("--text", o->text, _("the objection (public)"))->required();
    AddAllowNames(cmd, o->append.allow_names);
    cmd->add_option("--due", o->due, _("reply due date (default 7 working days)"));
    cmd->add_option("--request-id", o->append.request_id, _("idempotency key"));
    cmd->callback([&ctx, action, o, cmd] {
      o->append.fingerprint = Fingerprint(*cmd);
      *action = [&ctx, o] {
        return PrintObjectionChange(ctx, app::ObjectionFile(ctx.Session(), *o));
      };
    });
  }
  {
    auto o = std::make_shared<app::ObjectionResolveRequest>();
    CLI::App* cmd = AddCommand(*obj, "resolve", _("answer an objection and close it (销号)"));
    cmd->add_option("SEQ", o->seq, _("seq of the objection"))->required();
    cmd->add_flag("--upheld", o->upheld, _("the objection is upheld"));
    cmd->add_flag("--dismissed", o->dismissed, _("the objection is dismissed"));
    cmd->add_option("--answer", o->answer, _("the written answer (public)"))->required();
    AddAllowNames(cmd, o->append.allow_names);
    cmd->add_option("--reversal", o->reversal, _("seq of the eventReversed it caused"));
    cmd->add_option("--request-id", o->append.request_id, _("idempotency key"));
    cmd->callback([&ctx, action, o, cmd] {
      o->append.fingerprint = Fingerprint(*cmd);
      *action = [&ctx, o] {
        return PrintObjectionChange(ctx, app::ObjectionResolve(ctx.Session(), *o));
      };
    });
  }
  {
    auto o = std::make_shared<app::ObjectionListRequest>();
    CLI::App* cmd = AddCommand(*obj, "list", _("list objections"));
    cmd->add_flag("--open", o->open, _("only open ones"));
    cmd->add_flag("--overdue", o->overdue, _("only open ones past their reply date"));
    cmd->add_option("--village", o->village, _("only this village's"));
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return RunObjectionList(ctx, *o); }; });
  }
}

}  // namespace

void RegisterReportCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto o = std::make_shared<app::ReportRequest>();
    auto shop = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "report", _("write a public report (公示) at a checkpoint"));
    cmd->add_option("KIND", o->kind,
                    _("points|funds|bulletin, cards|receipt (printables) or shop (a statement)"))
        ->required();
    cmd->add_option("SEQ|SHOP", *shop,
                    _("report receipt: the seq of the donation; report shop: the shop"));
    cmd->add_option("--village", o->village, _("village code"));
    cmd->add_option("--period", o->period, _("2021Q3, 2021-07 or 2021"));
    cmd->add_option("--format", o->format, _("html|md|csv|json (default html; printables: html)"));
    cmd->add_option("--lang", o->lang, _("zh|en (default zh)"));
    cmd->add_option("--edition", o->edition,
                    _("board|full: the one-page board bulletin or the full one (default full)"));
    cmd->add_option("--window-days", o->window_days,
                    _("objection window the notice prints, in working days (default 7)"));
    cmd->add_option("--site-url", o->site_url,
                    _("the villager site's address for the QR code (default: the village's)"));
    cmd->add_option("--resident", o->residents,
                    _("report cards: a card for this resident only (repeatable)"))
        ->allow_extra_args(false);
    cmd->add_option("--size", o->paper,
                    _("report cards|receipt: a4 (cards 10 to a sheet) or card (85.6×54 mm)"));
    cmd->add_option("--at", o->at, _("the first SIZE events (a stored checkpoint's size)"));
    cmd->add_option("--out", o->out, _("write to FILE (default: stdout)"));
    cmd->callback([&ctx, action, o, shop, cmd] {
      *action = [&ctx, o, shop, cmd]() -> Status {
        if (o->kind == "shop") {
          if (o->village.empty()) return Status::Usage(Msg("report {} needs --village", o->kind));
          if (o->period.empty()) return Status::Usage(Msg("report {} needs --period", o->kind));
          return RunShopStatement(ctx, *shop, *o);
        }
        if (o->kind == "receipt") {
          o->seq = *shop;
        } else if (!shop->empty()) {
          return Status::Usage(Msg("report {} takes no {}", o->kind, "SEQ|SHOP"));
        }
        VLEDGER_TRY(CheckReportOptions(*cmd, *o));
        return RunReport(ctx, *o);
      };
    });
  }
  {
    auto o = std::make_shared<app::PublishRequest>();
    CLI::App* cmd = AddCommand(app, "publish",
                               _("write a report and record its publication (opens objections)"));
    cmd->add_option("--village", o->village, _("village code"))->required();
    cmd->add_option("--period", o->period, _("2021Q3, 2021-07 or 2021"))->required();
    cmd->add_option("--kind", o->kind, _("bulletin|points|funds (default bulletin)"));
    cmd->add_option("--format", o->format, _("html|md|csv|json (default html)"));
    cmd->add_option("--lang", o->lang, _("zh|en (default zh)"));
    cmd->add_option("--edition", o->edition,
                    _("board|full: the one-page board bulletin or the full one (default full)"));
    cmd->add_option("--site-url", o->site_url,
                    _("the villager site's address for the QR code (default: the village's)"));
    cmd->add_option("--window-days", o->window_days,
                    _("objection window in working days (default 7)"));
    cmd->add_option("--out", o->out, _("the report file"))->required();
    cmd->add_option("--request-id", o->append.request_id, _("idempotency key"));
    cmd->callback([&ctx, action, o, cmd] {
      o->append.fingerprint = Fingerprint(*cmd);
      *action = [&ctx, o] { return RunPublish(ctx, *o); };
    });
  }
  {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd =
        AddCommand(app, "verify-report", _("regenerate a report and compare its bytes"));
    cmd->add_option("FILE", *path, _("the report file"))->required();
    cmd->callback(
        [&ctx, action, path] { *action = [&ctx, path] { return RunVerifyReport(ctx, *path); }; });
  }
  RegisterObjectionCommands(app, ctx, action);
}

}  // namespace vledger::cli
