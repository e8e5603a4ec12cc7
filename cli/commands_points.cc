// Credit points commands: the rule catalogue, awards, deductions,
// redemptions, the yearly expiry, reversals and reviews, and the queries
// balance, history, rank and pending (each with --at SEQ). The commands
// themselves are in app/ (vledger/app/points.h); this file registers their
// options and prints their results.
#include <memory>

#include "actions.h"
#include "event_names.h"
#include "funds_cli.h"
#include "i18n.h"
#include "vledger/app/names.h"
#include "vledger/app/points.h"

namespace vledger::cli {
namespace {

// ------------------------------------------------------------- printing

void PrintRules(const Context& ctx, const app::RuleListResult& result) {
  for (size_t i = 0; i < result.rules.size(); i++) {
    const RuleRecord& r = result.rules[i];
    std::string amount = r.has_range ? std::to_string(r.min) + ".." + std::to_string(r.max)
                                     : std::to_string(r.points);
    std::string line = r.code;
    if (!result.names[i].empty()) line += "  " + result.names[i];
    line += "  " + (r.village.empty() ? "*" : r.village) + "  " + result.category_names[i] + "  " +
            Tr("{} points", amount);
    if (r.cap > 0) line += Tr("  cap {}/{}", r.cap, Word(Name(r.cap_period)));
    if (r.retired_seq) line += Tr("  (retired at seq {})", *r.retired_seq);
    if (!r.description.empty()) line += "  " + r.description;
    ctx.PrintLine(line);
  }
}

std::string BalanceLine(const app::ResidentBalance& b) {
  std::string line =
      Tr("{}  credit score {}  spendable {}", b.resident, b.credit_score, b.spendable_points);
  if (!b.grade.empty()) line += Tr("  grade {}", b.grade);
  for (const BenefitRecord& x : b.benefits) {
    line += Tr("  qualifies for {} ({}, {})", x.name, x.code, x.partner);
  }
  return line;
}

void PrintBalance(const Context& ctx, const app::BalanceResult& result) {
  using Scope = app::BalanceResult::Scope;
  switch (result.scope) {
    case Scope::kResident:
    case Scope::kVillage:
      for (const app::ResidentBalance& b : result.residents) ctx.PrintLine(BalanceLine(b));
      return;
    case Scope::kCounty:
      for (const app::ResidentBalance& b : result.residents) {
        ctx.PrintLine(b.village + "  " + BalanceLine(b));
      }
      return;
    case Scope::kHousehold: {
      const app::HouseholdBalance& h = result.household;
      ctx.PrintLine(Tr("{}  credit score {}  spendable {}  ({} residents)", h.household,
                       h.credit_score, h.spendable_points, h.residents.size()));
      return;
    }
  }
}

std::string HistoryLine(const app::HistoryRow& row) {
  using Kind = app::HistoryRow::Kind;
  std::string line = std::to_string(row.seq) + "  " + row.date + "  " + EventName(row.type);
  if (row.kind == Kind::kEntry) line += "  " + (row.rule_name.empty() ? row.rule : row.rule_name);
  if (row.kind == Kind::kEntry || row.kind == Kind::kRedemption || row.kind == Kind::kExpiry) {
    line += "  " + std::to_string(row.points);
  }
  if (row.kind == Kind::kEntry) line += "  " + Word(EntryStatusName(row.status));
  if (row.kind == Kind::kRedemption) {
    line += Tr("  {} x{} at {}", row.item, row.quantity,
               row.shop_name.empty() ? row.shop : row.shop_name);
  }
  if (row.kind == Kind::kReversal) line += Tr("  of seq {}: {}", row.target, row.reason);
  if (row.kind == Kind::kEntry && !row.note.empty()) line += "  " + row.note;
  if (row.reversed_by) line += Tr("  (reversed at seq {})", *row.reversed_by);
  return line;
}

void PrintHistory(const Context& ctx, const app::HistoryResult& result) {
  ctx.PrintLine(BalanceLine(result.balance));
  for (const app::HistoryRow& row : result.rows) ctx.PrintLine(HistoryLine(row));
}

void PrintRanking(const Context& ctx, const app::RankResult& result) {
  for (size_t n = 0; n < result.ranking.size(); n++) {
    const RankRow& r = result.ranking[n];
    std::string stars;
    for (uint32_t i = 0; i < r.stars; i++) stars += "★";
    std::string grade;
    if (n < result.grades.size() && !result.grades[n].empty()) grade = "  " + result.grades[n];
    ctx.PrintLine(std::to_string(r.rank) + "  " + r.id + "  " + std::to_string(r.points) + "  " +
                  stars + (r.red_flag ? "  红旗" : "") + grade);  // i18n-ok: the board's own word
  }
  if (result.ranking.empty()) {
    ctx.PrintLine(Tr("no points in {} for {}", result.village, result.period));
  }
}

void PrintPending(const Context& ctx, const app::PendingResult& result) {
  for (const EntryRecord& e : result.pending) {
    ctx.PrintLine(Tr("{}  {}  {}  {}  {}  by {}", e.seq, e.resident, e.rule, e.points,
                     e.occurred_on, e.key_id));
  }
  if (result.pending.empty()) ctx.PrintLine(Tr("nothing pending in {}", result.village));
}

// ---------------------------------------------------------- registration

void RegisterRuleCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* rule = AddCommand(app, "rule", _("the village rule catalogue (村规民约)"));
  rule->require_subcommand(1);
  {
    auto o = std::make_shared<app::RuleAddRequest>();
    CLI::App* cmd = AddCommand(*rule, "add", _("define a rule (admin)"));
    cmd->add_option("CODE", o->code, _("rule code"))->required();
    cmd->add_option("--category", o->category, _("e.g. 孝老爱亲, 环境整治, 志愿服务, 移风易俗"))
        ->required();
    cmd->add_option("--points", o->points, _("default points; negative for a deduction rule"))
        ->required();
    cmd->add_option("--village", o->village, _("village code (default: every village)"));
    cmd->add_option("--min", o->min, _("smallest amount a collector may give"));
    cmd->add_option("--max", o->max, _("largest amount a collector may give"));
    cmd->add_option("--cap", o->cap, _("most points per resident per --cap-period"));
    cmd->add_option("--cap-period", o->cap_period, _("month|quarter|year"));
    cmd->add_option("--desc", o->desc, _("description"));
    cmd->add_option("--name", o->name, _("the rule's display name, e.g. 志愿服务理发"));
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::RuleAdd, app::RuleAddJson);
  }
  {
    auto o = std::make_shared<app::RuleRetireRequest>();
    CLI::App* cmd = AddCommand(*rule, "retire", _("retire a rule; entries already made keep it"));
    cmd->add_option("CODE", o->code, _("rule code"))->required();
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::RuleRetire, app::RuleRetireJson);
  }
  {
    auto o = std::make_shared<app::RuleListRequest>();
    CLI::App* cmd = AddCommand(*rule, "list", _("list rules"));
    cmd->add_option("--village", o->village, _("rules that apply in this village"));
    cmd->add_option("--at", o->at, _("as of just after event SEQ"));
    OnQuery(cmd, ctx, action, o, app::RuleList, app::RuleListJson, PrintRules);
  }
}

// `deduct ARGS…`: RESIDENT RULE, or RULE with --household.
struct DeductOpts : app::DeductRequest {
  std::vector<std::string> args;
};

Result<app::DeductResult> RunDeduct(const app::Session& session, const DeductOpts& o) {
  app::DeductRequest request = o;
  if (!o.household.empty()) {
    if (o.args.size() != 1) return Status::Usage("deduct: with --household give only RULE");
    request.rule = o.args[0];
  } else {
    if (o.args.size() != 2) return Status::Usage("deduct: give RESIDENT RULE");
    request.resident = o.args[0];
    request.rule = o.args[1];
  }
  return app::Deduct(session, request);
}

Result<app::ReviewResult> RunReview(const app::Session& session, const app::ReviewRequest& o) {
  if (o.approve.empty() && o.reject.empty()) {
    return Status::Usage("review: give --approve SEQ or --reject SEQ:REASON");
  }
  return app::Review(session, o);
}

void RegisterEntryCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto o = std::make_shared<app::AwardRequest>();
    CLI::App* cmd = AddCommand(app, "award", _("award points under a rule"));
    cmd->add_option("RESIDENT", o->resident, _("resident id"))->required();
    cmd->add_option("RULE", o->rule, _("rule code"))->required();
    cmd->add_option("--points", o->points,
                    _("amount, when the rule has a range (default: its points)"));
    cmd->add_option("--on", o->on, _("date of the act, YYYY-MM-DD (default: today, CST)"));
    cmd->add_option("--note", o->note, _("public note"));
    cmd->add_option("--evidence", o->evidence, _("SHA-256 (hex) of a photo or certificate"));
    AddAllowNames(cmd, o->allow_names);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::Award, app::AwardJson);
  }
  {
    auto o = std::make_shared<DeductOpts>();
    CLI::App* cmd = AddCommand(app, "deduct", _("deduct points under a deduction rule"));
    cmd->add_option("ARGS", o->args, _("RESIDENT RULE, or RULE with --household"))->required();
    cmd->add_option("--household", o->household, _("household-level: borne by the head (户主)"));
    cmd->add_option("--points", o->points, _("magnitude, when the rule has a range"));
    cmd->add_option("--on", o->on, _("date of the act, YYYY-MM-DD (default: today, CST)"));
    cmd->add_option("--note", o->note, _("public note"));
    cmd->add_option("--evidence", o->evidence, _("SHA-256 (hex) of a photo or certificate"));
    AddAllowNames(cmd, o->allow_names);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, RunDeduct, app::DeductJson);
  }
  {
    auto o = std::make_shared<app::RedeemRequest>();
    CLI::App* cmd =
        AddCommand(app, "redeem", _("spend points at the credit supermarket (信用超市)"));
    cmd->add_option("RESIDENT", o->resident, _("resident id"))->required();
    cmd->add_option("--points", o->points,
                    _("spendable points taken (default: the shelf's price times --qty)"));
    cmd->add_option("--item", o->item, _("item (public)"))->required();
    cmd->add_option("--shop", o->shop, _("shop code (default: default)"));
    cmd->add_option("--qty", o->qty, _("quantity (default 1)"));
    AddAllowNames(cmd, o->allow_names);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::Redeem, app::RedeemJson);
  }
  {
    auto o = std::make_shared<app::ExpireRequest>();
    CLI::App* cmd =
        AddCommand(app, "expire", _("yearly clearing: lots earned before a date lapse"));
    cmd->add_option("--village", o->village, _("village code"))->required();
    cmd->add_option("--before", o->before, _("cut-off date YYYY-MM-DD"))->required();
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::Expire, app::ExpireJson);
  }
  {
    auto o = std::make_shared<app::ReverseRequest>();
    CLI::App* cmd =
        AddCommand(app, "reverse", _("undo a value event (once), with a public reason"));
    cmd->add_option("SEQ", o->seq, _("seq of the event to reverse"))->required();
    cmd->add_option("--reason", o->reason, _("why (public, listed as 更正说明)"))->required();
    AddAllowNames(cmd, o->allow_names);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::Reverse, app::ReverseJson);
  }
  {
    auto o = std::make_shared<app::ReviewRequest>();
    CLI::App* cmd = AddCommand(app, "review", _("approve or reject pending entries (reviewer)"));
    cmd->add_option("--approve", o->approve, _("SEQ of an entry to approve"))->expected(1, -1);
    cmd->add_option("--reject", o->reject, _("SEQ:REASON of an entry to reject"))->expected(1, -1);
    AddAllowNames(cmd, o->allow_names);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, RunReview, app::ReviewJson);
  }
}

// `balance`: a resident, village, household or the county (app::Balance),
// or with --fund a fund's balance (the funds commands).
struct BalanceOpts : app::BalanceRequest {
  std::string fund;
};

Status RunBalance(Context& ctx, const BalanceOpts& o) {
  int given =
      !o.resident.empty() + !o.village.empty() + !o.household.empty() + !o.fund.empty() + o.all;
  if (given != 1) {
    return Status::Usage(
        "balance: give one of RESIDENT, --village V, --household H, --fund F, --all");
  }
  if (!o.fund.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(std::optional<uint64_t> at, app::ParseAtSeq(o.at));
    return FundBalanceCommand(ctx, o.fund, at);
  }
  VLEDGER_ASSIGN_OR_RETURN(app::BalanceResult result, app::Balance(ctx.Session(), o));
  if (ctx.options.json) {
    // Written as it is made: a county's is tens of megabytes.
    app::WriteBalanceJson(result,
                          [&ctx](std::string_view piece) { ctx.PrintRaw(std::string(piece)); });
    ctx.PrintRaw("\n");
  } else {
    PrintBalance(ctx, result);
  }
  return Status::Ok();
}

void RegisterQueryCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto o = std::make_shared<BalanceOpts>();
    CLI::App* cmd = AddCommand(app, "balance", _("credit score and spendable points (or a fund)"));
    cmd->add_option("RESIDENT", o->resident, _("resident id"));
    cmd->add_option("--village", o->village, _("every resident of a village"));
    cmd->add_option("--household", o->household, _("a household's totals"));
    cmd->add_option("--fund", o->fund, _("a fund's balance"));
    cmd->add_flag("--all", o->all, _("every resident of the county, by village"));
    cmd->add_option("--at", o->at, _("as of just after event SEQ"));
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return RunBalance(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<app::HistoryRequest>();
    CLI::App* cmd = AddCommand(app, "history", _("a resident's entries, redemptions and expiries"));
    cmd->add_option("RESIDENT", o->resident, _("resident id"))->required();
    cmd->add_option("--at", o->at, _("as of just after event SEQ"));
    OnQuery(cmd, ctx, action, o, app::History, app::HistoryJson, PrintHistory);
  }
  {
    auto o = std::make_shared<app::RankRequest>();
    CLI::App* cmd = AddCommand(app, "rank", _("a village's points ranking for a period"));
    cmd->add_option("--village", o->village, _("village code"))->required();
    cmd->add_option("--period", o->period, _("2021Q3, 2021-07 or 2021"))->required();
    cmd->add_flag("--households", o->households, _("rank households instead of residents"));
    cmd->add_option("--at", o->at, _("as of just after event SEQ"));
    OnQuery(cmd, ctx, action, o, app::Rank, app::RankJson, PrintRanking);
  }
  {
    auto o = std::make_shared<app::PendingRequest>();
    CLI::App* cmd = AddCommand(app, "pending", _("entries waiting for review in a village"));
    cmd->add_option("--village", o->village, _("village code"))->required();
    cmd->add_option("--at", o->at, _("as of just after event SEQ"));
    OnQuery(cmd, ctx, action, o, app::Pending, app::PendingJson, PrintPending);
  }
}

}  // namespace

void RegisterNameCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* name = AddCommand(
      app, "name", _("display names of codes: rules, purposes, shops, funds, categories"));
  name->require_subcommand(1);
  auto o = std::make_shared<app::NameSetRequest>();
  CLI::App* cmd = AddCommand(*name, "set", _("name a code (admin); a later name replaces it"));
  cmd->add_option("KIND", o->kind, _("rule|purpose|shop|fund|category"))->required();
  cmd->add_option("CODE", o->code, _("the code, e.g. edu or CS01"))->required();
  cmd->add_option("NAME", o->name, _("the name people read, e.g. 助学 or 信用超市"))->required();
  cmd->add_option("--village", o->village,
                  _("the name holds in this village only (purposes, shops, categories)"));
  AddRequestId(cmd, o->request_id);
  OnWrite(cmd, ctx, action, o, app::NameSet, app::NameSetJson);
}

void RegisterPointsCommands(CLI::App& app, Context& ctx, Action* action) {
  RegisterRuleCommands(app, ctx, action);
  RegisterNameCommands(app, ctx, action);
  RegisterEntryCommands(app, ctx, action);
  RegisterQueryCommands(app, ctx, action);
}

}  // namespace vledger::cli
