// Printing of the fund queries (app/funds.h): `balance --fund`, `fund
// list`, `allowance list`, `statement` and `donor`.
#include <map>

#include "funds_cli.h"
#include "vledger/app/funds.h"
#include "vledger/projections/money.h"

namespace vledger::cli {
namespace {

using PurposeNames = std::map<std::string, std::string>;

// A purpose as people read it: its display name, else its code.
std::string PurposeLabel(const PurposeNames& names, const std::string& purpose) {
  if (purpose.empty()) return _("(unrestricted)");
  auto it = names.find(purpose);
  return it == names.end() ? purpose : it->second;
}

std::string ReversedText(const std::optional<uint64_t>& reversed_by) {
  return reversed_by ? Tr("  (reversed at seq {})", *reversed_by) : "";
}

std::string PaymentText(const PurposeNames& names, const app::StatementPayment& p) {
  return Tr("  seq {}  {}  for {}  {}  {}  {}", p.seq, p.date,
            p.for_period.empty() ? "-" : p.for_period, p.to, FormatYuan(p.amount_fen),
            PurposeLabel(names, p.purpose)) +
         (p.advance ? _("  (paid in advance)") : "") + ReversedText(p.reversed_by);
}

void PrintStatement(Context& ctx, const app::StatementResult& s) {
  ctx.PrintLine(Tr("fund {} ({})  statement {} (by recording date)", s.fund, s.name, s.period));
  ctx.PrintLine(Tr("opening balance  {}", FormatYuan(s.opening_fen)));
  ctx.PrintLine(_("income"));
  for (const auto& i : s.income) ctx.PrintLine("  " + i.donor + "  " + FormatYuan(i.amount_fen));
  if (!s.donations.empty()) ctx.PrintLine(_("donations"));
  for (const auto& d : s.donations) {
    ctx.PrintLine(Tr("  seq {}  {}  receipt {}  {}  {}  {}", d.seq, d.date, d.receipt, d.donor,
                     FormatYuan(d.amount_fen), PurposeLabel(s.purpose_names, d.purpose)) +
                  ReversedText(d.reversed_by));
  }
  ctx.PrintLine(_("payments"));
  for (const auto& p : s.payments) {
    ctx.PrintLine(Tr("  {}  {} payments  {}", PurposeLabel(s.purpose_names, p.purpose), p.count,
                     FormatYuan(p.amount_fen)));
  }
  if (!s.payment_list.empty()) ctx.PrintLine(_("payment list"));
  for (const auto& p : s.payment_list) ctx.PrintLine(PaymentText(s.purpose_names, p));
  if (s.released_fen != 0) {
    ctx.PrintLine(Tr("released restrictions  {}", FormatYuan(s.released_fen)));
  }
  for (const auto& c : s.corrections) {
    ctx.PrintLine(Tr("correction: seq {} reverses seq {}", c.seq, c.reverses));
  }
  ctx.PrintLine(Tr("closing balance  {}", FormatYuan(s.closing_fen)));
}

void PrintStatementFor(Context& ctx, const app::StatementForResult& r) {
  ctx.PrintLine(Tr("fund {} ({})  payments for {}", r.fund, r.name, r.for_period));
  for (const auto& p : r.payments) ctx.PrintLine(PaymentText(r.purpose_names, p));
  ctx.PrintLine(r.count == 1
                    ? Tr("total  {} (1 payment, reversed ones left out)", FormatYuan(r.total_fen))
                    : Tr("total  {} ({} payments, reversed ones left out)", FormatYuan(r.total_fen),
                         r.count));
}

}  // namespace

Status FundBalanceCommand(Context& ctx, const std::string& fund, std::optional<uint64_t> at_seq) {
  VLEDGER_ASSIGN_OR_RETURN(app::FundBalanceResult r,
                           app::FundBalance(ctx.Session(), {fund, at_seq}));
  if (ctx.options.json) {
    ctx.PrintLine(app::FundBalanceJson(r));
    return Status::Ok();
  }
  ctx.PrintLine(Tr("fund {} ({})  balance {}", r.fund, r.name, FormatYuan(r.balance_fen)));
  for (const auto& [purpose, fen] : r.purposes) {
    ctx.PrintLine("  " + PurposeLabel(r.purpose_names, purpose) + "  " + FormatYuan(fen));
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
    ctx.PrintLine(f.code + "  " + Word(Name(f.kind)) + "  " +
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
    ctx.PrintLine(Tr("{}  {}  {}  {}/month  {}..{}", a.seq, a.fund, a.to, FormatYuan(a.amount_fen),
                     a.from, a.until) +
                  (a.purpose.empty() ? "" : "  " + PurposeLabel(r.purpose_names, a.purpose)) +
                  (a.stopped_seq ? Tr("  stopped at seq {}", a.stopped_seq) : ""));
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
    ctx.PrintLine(Tr("seq {}  {}  {}  receipt {}  {}  {}", g.seq, g.date, g.fund, g.receipt,
                     FormatYuan(g.amount_fen),
                     g.purpose.empty() ? _("unrestricted") : Tr("restricted to {}", g.purpose)) +
                  (g.reversed ? _("  (reversed)") : ""));
    for (const app::GiftUse& u : g.uses) {
      ctx.PrintLine(Tr("  {} seq {}  {}", Word(u.type), u.seq, u.date) +
                    (u.to ? Tr("  to {}", *u.to) : "") + "  " + FormatYuan(u.amount_fen));
    }
    if (!g.purpose.empty()) ctx.PrintLine(Tr("  unspent  {}", FormatYuan(g.unspent_fen)));
  }
  return Status::Ok();
}

}  // namespace vledger::cli
