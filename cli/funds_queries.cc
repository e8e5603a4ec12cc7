// Printing of the fund queries (app/funds.h): `balance --fund`, `fund
// list`, `allowance list`, `statement` and `donor`.
#include "funds_cli.h"
#include "vledger/app/funds.h"
#include "vledger/projections/money.h"

namespace vledger::cli {
namespace {

std::string PurposeLabel(const std::string& purpose) {
  return purpose.empty() ? "(unrestricted)" : purpose;
}

std::string ReversedText(const std::optional<uint64_t>& reversed_by) {
  return reversed_by ? "  (reversed at seq " + std::to_string(*reversed_by) + ")" : "";
}

std::string PaymentText(const app::StatementPayment& p) {
  return "  seq " + std::to_string(p.seq) + "  " + p.date + "  for " +
         (p.for_period.empty() ? "-" : p.for_period) + "  " + p.to + "  " +
         FormatYuan(p.amount_fen) + "  " + PurposeLabel(p.purpose) +
         (p.advance ? "  (paid in advance)" : "") + ReversedText(p.reversed_by);
}

void PrintStatement(Context& ctx, const app::StatementResult& s) {
  ctx.PrintLine("fund " + s.fund + " (" + s.name + ")  statement " + s.period +
                " (by recording date)");
  ctx.PrintLine("opening balance  " + FormatYuan(s.opening_fen));
  ctx.PrintLine("income");
  for (const auto& i : s.income) ctx.PrintLine("  " + i.donor + "  " + FormatYuan(i.amount_fen));
  if (!s.donations.empty()) ctx.PrintLine("donations");
  for (const auto& d : s.donations) {
    ctx.PrintLine("  seq " + std::to_string(d.seq) + "  " + d.date + "  receipt " + d.receipt +
                  "  " + d.donor + "  " + FormatYuan(d.amount_fen) + "  " +
                  PurposeLabel(d.purpose) + ReversedText(d.reversed_by));
  }
  ctx.PrintLine("payments");
  for (const auto& p : s.payments) {
    ctx.PrintLine("  " + PurposeLabel(p.purpose) + "  " + std::to_string(p.count) + " payments  " +
                  FormatYuan(p.amount_fen));
  }
  if (!s.payment_list.empty()) ctx.PrintLine("payment list");
  for (const auto& p : s.payment_list) ctx.PrintLine(PaymentText(p));
  if (s.released_fen != 0) ctx.PrintLine("released restrictions  " + FormatYuan(s.released_fen));
  for (const auto& c : s.corrections) {
    ctx.PrintLine("correction: seq " + std::to_string(c.seq) + " reverses seq " +
                  std::to_string(c.reverses));
  }
  ctx.PrintLine("closing balance  " + FormatYuan(s.closing_fen));
}

void PrintStatementFor(Context& ctx, const app::StatementForResult& r) {
  ctx.PrintLine("fund " + r.fund + " (" + r.name + ")  payments for " + r.for_period);
  for (const auto& p : r.payments) ctx.PrintLine(PaymentText(p));
  ctx.PrintLine("total  " + FormatYuan(r.total_fen) + " (" + std::to_string(r.count) +
                (r.count == 1 ? " payment" : " payments") + ", reversed ones left out)");
}

}  // namespace

Status FundBalanceCommand(Context& ctx, const std::string& fund, std::optional<uint64_t> at_seq) {
  VLEDGER_ASSIGN_OR_RETURN(app::FundBalanceResult r,
                           app::FundBalance(ctx.Session(), {fund, at_seq}));
  if (ctx.options.json) {
    ctx.PrintLine(app::FundBalanceJson(r));
    return Status::Ok();
  }
  ctx.PrintLine("fund " + r.fund + " (" + r.name + ")  balance " + FormatYuan(r.balance_fen));
  for (const auto& [purpose, fen] : r.purposes) {
    ctx.PrintLine("  " + PurposeLabel(purpose) + "  " + FormatYuan(fen));
  }
  return Status::Ok();
}

Status RunFundList(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(app::FundListResult r, app::FundList(ctx.Session(), {}));
  if (ctx.options.json) {
    ctx.PrintLine(app::FundListJson(r));
    return Status::Ok();
  }
  for (const app::FundLine& f : r.funds) {
    ctx.PrintLine(f.code + "  " + std::string(Name(f.kind)) + "  " +
                  (f.village.empty() ? "*" : f.village) + "  " + f.name + "  " +
                  FormatYuan(f.balance_fen));
  }
  return Status::Ok();
}

Status RunAllowanceList(Context& ctx, const std::string& fund) {
  VLEDGER_ASSIGN_OR_RETURN(app::AllowanceListResult r, app::AllowanceList(ctx.Session(), {fund}));
  if (ctx.options.json) {
    ctx.PrintLine(app::AllowanceListJson(r));
    return Status::Ok();
  }
  for (const app::AllowanceLine& a : r.allowances) {
    ctx.PrintLine(std::to_string(a.seq) + "  " + a.fund + "  " + a.to + "  " +
                  FormatYuan(a.amount_fen) + "/month  " + a.from + ".." + a.until +
                  (a.purpose.empty() ? "" : "  " + a.purpose) +
                  (a.stopped_seq ? "  stopped at seq " + std::to_string(a.stopped_seq) : ""));
  }
  return Status::Ok();
}

Status RunStatement(Context& ctx, const std::string& fund, const std::string& period,
                    const std::string& for_period) {
  if (period.empty() == for_period.empty()) {
    return Status::Usage("statement: give one of --period PER and --for PER");
  }
  if (!for_period.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(app::StatementForResult r,
                             app::StatementFor(ctx.Session(), {fund, for_period}));
    if (ctx.options.json) {
      ctx.PrintLine(app::StatementForJson(r));
    } else {
      PrintStatementFor(ctx, r);
    }
    return Status::Ok();
  }
  VLEDGER_ASSIGN_OR_RETURN(app::StatementResult r, app::Statement(ctx.Session(), {fund, period}));
  if (ctx.options.json) {
    ctx.PrintLine(app::StatementJson(r));
  } else {
    PrintStatement(ctx, r);
  }
  return Status::Ok();
}

Status RunDonor(Context& ctx, const std::string& name) {
  VLEDGER_ASSIGN_OR_RETURN(app::DonorResult r, app::Donor(ctx.Session(), {name}));
  if (ctx.options.json) {
    ctx.PrintLine(app::DonorJson(r));
    return Status::Ok();
  }
  for (const app::DonorGift& g : r.gifts) {
    ctx.PrintLine("seq " + std::to_string(g.seq) + "  " + g.date + "  " + g.fund + "  receipt " +
                  g.receipt + "  " + FormatYuan(g.amount_fen) + "  " +
                  (g.purpose.empty() ? "unrestricted" : "restricted to " + g.purpose) +
                  (g.reversed ? "  (reversed)" : ""));
    for (const app::GiftUse& u : g.uses) {
      ctx.PrintLine("  " + u.type + " seq " + std::to_string(u.seq) + "  " + u.date +
                    (u.to ? "  to " + *u.to : "") + "  " + FormatYuan(u.amount_fen));
    }
    if (!g.purpose.empty()) ctx.PrintLine("  unspent  " + FormatYuan(g.unspent_fen));
  }
  return Status::Ok();
}

}  // namespace vledger::cli
