// Fund commands: fund open/list, donate, disburse, release, dividend,
// allowance add/stop/run/list, and the queries donor and statement
// (printed in funds_queries.cc). The commands are in app/funds.h; here
// they are registered, run and printed.
#include <array>
#include <memory>

#include "actions.h"
#include "append.h"
#include "context.h"
#include "funds_cli.h"
#include "i18n.h"
#include "vledger/app/funds.h"
#include "vledger/projections/money.h"

namespace vledger::cli {
namespace {

// Registers the action of an appending command: `run` gets the request
// (its AppendRequest filled in from --request-id and the command line)
// and the context, runs the app command and prints its result.
template <typename Request>
void OnAppend(CLI::App* cmd, Context& ctx, Action* action, std::shared_ptr<Request> request,
              std::shared_ptr<std::string> request_id,
              std::function<Status(Context&, const Request&)> run) {
  cmd->callback([&ctx, action, cmd, request, request_id, run] {
    request->append = app::AppendRequest{*request_id, Fingerprint(*cmd)};
    *action = [&ctx, request, run] { return run(ctx, *request); };
  });
}

// Adds --request-id to `cmd`; its value once parsed.
std::shared_ptr<std::string> RequestIdOption(CLI::App* cmd) {
  auto id = std::make_shared<std::string>();
  cmd->add_option("--request-id", *id, "idempotency key");
  return id;
}

void PrintPayments(Context& ctx, const std::vector<app::FundPayment>& payments) {
  for (const app::FundPayment& p : payments) {
    ctx.PrintLine("  " + p.to + "  " + FormatYuan(p.amount_fen));
  }
}

void PrintWarnings(Context& ctx, const std::vector<Msg>& warnings) {
  for (const Msg& w : warnings) ctx.Warn(Tr(w));
}

// ------------------------------------------------------------- commands

Status RunFundOpen(Context& ctx, const app::FundOpenRequest& r) {
  VLEDGER_ASSIGN_OR_RETURN(app::FundOpenResult result, app::FundOpen(ctx.Session(), r));
  PrintAppendResult(ctx, result.append);
  return Status::Ok();
}

Status RunDonate(Context& ctx, const app::DonateRequest& r) {
  VLEDGER_ASSIGN_OR_RETURN(app::DonateResult result, app::Donate(ctx.Session(), r));
  PrintAppendResult(ctx, result.append);  // its sentence names the receipt
  return Status::Ok();
}

Status RunDisburse(Context& ctx, const app::DisburseRequest& r) {
  VLEDGER_ASSIGN_OR_RETURN(app::DisburseResult result, app::Disburse(ctx.Session(), r));
  PrintAppendResult(ctx, result.append);
  PrintWarnings(ctx, result.warnings);
  return Status::Ok();
}

Status RunRelease(Context& ctx, const app::ReleaseRequest& r) {
  VLEDGER_ASSIGN_OR_RETURN(app::ReleaseResult result, app::Release(ctx.Session(), r));
  PrintAppendResult(ctx, result.append);
  PrintWarnings(ctx, result.warnings);
  return Status::Ok();
}

Status RunDividend(Context& ctx, const app::DividendRequest& r) {
  VLEDGER_ASSIGN_OR_RETURN(app::DividendResult result, app::Dividend(ctx.Session(), r));
  PrintAppendResult(ctx, result.append);
  if (ctx.options.json || result.append.repeated) return Status::Ok();
  PrintPayments(ctx, result.payments);
  if (result.skipped.empty()) return Status::Ok();
  std::string ids;
  for (const std::string& id : result.skipped) ids += " " + id;
  ctx.PrintLine("skipped " + std::to_string(result.skipped.size()) +
                (result.skipped.size() == 1 ? " resident" : " residents") +
                ": departed or deceased (" + ids.substr(1) + ")");
  return Status::Ok();
}

Status RunAllowanceAdd(Context& ctx, const app::AllowanceAddRequest& r) {
  VLEDGER_ASSIGN_OR_RETURN(app::AllowanceAddResult result, app::AllowanceAdd(ctx.Session(), r));
  PrintAppendResult(ctx, result.append);
  return Status::Ok();
}

Status RunAllowanceStop(Context& ctx, const app::AllowanceStopRequest& r) {
  VLEDGER_ASSIGN_OR_RETURN(app::AllowanceStopResult result, app::AllowanceStop(ctx.Session(), r));
  PrintAppendResult(ctx, result.append);
  return Status::Ok();
}

Status RunAllowanceRun(Context& ctx, const app::AllowanceRunRequest& r) {
  VLEDGER_ASSIGN_OR_RETURN(app::AllowanceRunResult result, app::AllowanceRun(ctx.Session(), r));
  PrintAppendResult(ctx, result.append);
  if (!ctx.options.json && !result.append.repeated) {
    PrintPayments(ctx, result.payments);
    if (result.in_advance && !result.payments.empty()) {
      ctx.PrintLine("paid in advance for " + r.month);
    }
  }
  PrintWarnings(ctx, result.warnings);
  return Status::Ok();
}

// --------------------------------------------------------- registration

void RegisterFundOpen(CLI::App& fund, Context& ctx, Action* action) {
  auto r = std::make_shared<app::FundOpenRequest>();
  CLI::App* cmd = AddCommand(fund, "open", "open a credit or charity fund (admin)");
  cmd->add_option("CODE", r->code, "fund code")->required();
  cmd->add_option("--name", r->name, "fund name, e.g. 曲家村信用基金")->required();
  cmd->add_option("--kind", r->kind, "credit|charity")->required();
  cmd->add_option("--village", r->village, "village scope (none: county level)");
  cmd->add_option("--list-beneficiaries", r->list_beneficiaries,
                  "none|masked|full in public reports");
  OnAppend<app::FundOpenRequest>(cmd, ctx, action, r, RequestIdOption(cmd), RunFundOpen);
}

void RegisterDonate(CLI::App& app, Context& ctx, Action* action) {
  auto r = std::make_shared<app::DonateRequest>();
  app::DonationArgs& o = r->donation;
  CLI::App* cmd = AddCommand(app, "donate", "record a donation to a fund, with a receipt number");
  cmd->add_option("FUND", o.fund, "fund code")->required();
  cmd->add_option("--amount", o.amount, "yuan, e.g. 500 or 500.50")->required();
  cmd->add_option("--donor", o.donor, "an individual donor's name (kept beside the chain)");
  cmd->add_flag("--public-name", o.public_name, "the donor consents to be named in public");
  cmd->add_option("--donor-org", o.donor_org, "a donating organisation's name");
  cmd->add_flag("--anonymous", o.anonymous, "an anonymous gift, shown as 爱心人士 (default)");
  cmd->add_option("--phone", o.phone, "the donor's phone (kept beside the chain)");
  cmd->add_option("--purpose", o.purpose, "restricted purpose (定向/限定性); none: unrestricted");
  cmd->add_option("--receipt", o.receipt, "receipt number (default: the fund's next <FUND>-<n>)");
  OnAppend<app::DonateRequest>(cmd, ctx, action, r, RequestIdOption(cmd), RunDonate);
}

void RegisterDisburse(CLI::App& app, Context& ctx, Action* action) {
  auto r = std::make_shared<app::DisburseRequest>();
  app::DisbursementArgs& o = r->disbursement;
  CLI::App* cmd = AddCommand(app, "disburse", "pay a resident or household from a fund");
  cmd->add_option("FUND", o.fund, "fund code")->required();
  cmd->add_option("--to", o.to, "resident or household id")->required();
  cmd->add_option("--amount", o.amount, "yuan")->required();
  cmd->add_option("--purpose", o.purpose, "draw on this purpose's restricted money first");
  cmd->add_option("--period", o.period, "the period paid for (2021Q3, 2021-07, 2021)");
  cmd->add_option("--note", o.note, "public note");
  AddAllowNames(cmd, r->append.allow_names);
  OnAppend<app::DisburseRequest>(cmd, ctx, action, r, RequestIdOption(cmd), RunDisburse);
}

void RegisterRelease(CLI::App& app, Context& ctx, Action* action) {
  auto r = std::make_shared<app::ReleaseRequest>();
  CLI::App* cmd =
      AddCommand(app, "release", "lift a restriction with the donor's consent (慈善法 Art. 56)");
  cmd->add_option("FUND", r->fund, "fund code")->required();
  cmd->add_option("--purpose", r->purpose, "the restricted purpose")->required();
  cmd->add_option("--amount", r->amount, "yuan")->required();
  cmd->add_option("--consent", r->consent, "the donor's consent note (public)")->required();
  OnAppend<app::ReleaseRequest>(cmd, ctx, action, r, RequestIdOption(cmd), RunRelease);
}

void RegisterDividend(CLI::App& app, Context& ctx, Action* action) {
  auto r = std::make_shared<app::DividendRequest>();
  CLI::App* cmd = AddCommand(app, "dividend",
                             "pay a credit fund's dividend in proportion to the period's points");
  cmd->add_option("FUND", r->fund, "credit fund code")->required();
  cmd->add_option("--village", r->village, "village")->required();
  cmd->add_option("--period", r->period, "2021Q3, 2021-07 or 2021")->required();
  cmd->add_option("--amount", r->amount, "total in yuan")->required();
  cmd->add_flag("--again", r->again,
                "pay although the fund already paid a dividend for this village and period");
  OnAppend<app::DividendRequest>(cmd, ctx, action, r, RequestIdOption(cmd), RunDividend);
}

void RegisterAllowanceWrites(CLI::App& allowance, Context& ctx, Action* action) {
  {
    auto r = std::make_shared<app::AllowanceAddRequest>();
    CLI::App* cmd = AddCommand(allowance, "add", "add a monthly allowance");
    cmd->add_option("FUND", r->fund, "fund code")->required();
    cmd->add_option("--to", r->to, "resident or household id")->required();
    cmd->add_option("--amount", r->amount, "yuan per month")->required();
    cmd->add_option("--from", r->from, "first month, YYYY-MM")->required();
    cmd->add_option("--until", r->until, "last month, YYYY-MM (default: until stopped)");
    cmd->add_option("--purpose", r->purpose, "restricted purpose it draws on first");
    OnAppend<app::AllowanceAddRequest>(cmd, ctx, action, r, RequestIdOption(cmd), RunAllowanceAdd);
  }
  {
    auto r = std::make_shared<app::AllowanceStopRequest>();
    CLI::App* cmd = AddCommand(allowance, "stop", "stop a monthly allowance");
    cmd->add_option("SEQ", r->seq, "seq of the allowance (its `allowance add`)")->required();
    OnAppend<app::AllowanceStopRequest>(cmd, ctx, action, r, RequestIdOption(cmd),
                                        RunAllowanceStop);
  }
  {
    auto r = std::make_shared<app::AllowanceRunRequest>();
    CLI::App* cmd = AddCommand(allowance, "run", "pay every allowance due in a month, once");
    cmd->add_option("--month", r->month, "YYYY-MM")->required();
    cmd->add_option("--fund", r->fund, "only this fund");
    cmd->add_flag("--advance", r->advance, "pay a month after the current one (in advance)");
    OnAppend<app::AllowanceRunRequest>(cmd, ctx, action, r, RequestIdOption(cmd), RunAllowanceRun);
  }
}

}  // namespace

void RegisterFundCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* fund = AddCommand(app, "fund", "open and list credit and charity funds");
  fund->require_subcommand(1);
  RegisterFundOpen(*fund, ctx, action);
  {
    CLI::App* cmd = AddCommand(*fund, "list", "list funds and their balances");
    cmd->callback([&ctx, action] { *action = [&ctx] { return RunFundList(ctx); }; });
  }
  RegisterDonate(app, ctx, action);
  RegisterDisburse(app, ctx, action);
  RegisterRelease(app, ctx, action);
  RegisterDividend(app, ctx, action);

  CLI::App* allowance = AddCommand(app, "allowance", "monthly allowances paid by a fund");
  allowance->require_subcommand(1);
  RegisterAllowanceWrites(*allowance, ctx, action);
  {
    auto fund_code = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(*allowance, "list", "list allowances");
    cmd->add_option("--fund", *fund_code, "only this fund");
    cmd->callback([&ctx, action, fund_code] {
      *action = [&ctx, fund_code] { return RunAllowanceList(ctx, *fund_code); };
    });
  }
  {
    auto name = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "donor", "where a donor's gifts went (慈善法 Art. 42)");
    cmd->add_option("NAME", *name, "donor or organisation name")->required();
    cmd->callback(
        [&ctx, action, name] { *action = [&ctx, name] { return RunDonor(ctx, *name); }; });
  }
  {
    auto a = std::make_shared<std::array<std::string, 3>>();  // fund, --period, --for
    CLI::App* cmd = AddCommand(app, "statement", "a fund's statement for a period");
    cmd->add_option("FUND", (*a)[0], "fund code")->required();
    CLI::Option* period = cmd->add_option(
        "--period", (*a)[1], "2021Q3, 2021-07 or 2021: money in and out, by recording date");
    CLI::Option* for_period = cmd->add_option(
        "--for", (*a)[2], "the payments for this period, whenever they were recorded");
    period->excludes(for_period);
    cmd->callback([&ctx, action, a] {
      *action = [&ctx, a] { return RunStatement(ctx, (*a)[0], (*a)[1], (*a)[2]); };
    });
  }
}

}  // namespace vledger::cli
