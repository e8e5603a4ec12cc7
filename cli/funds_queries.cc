// Fund queries: `balance --fund`, `fund list`, `allowance list`,
// `statement` and `donor`. They read the last whole commit (or, for
// balance, the state at --at SEQ) and never take the writer lock.
#include <algorithm>
#include <map>
#include <set>

#include "funds_cli.h"
#include "vledger/projections/age.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/money.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {
namespace {

constexpr const char* kAnonymousDonor = "爱心人士";

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

Result<FundRecord> FundOf(StateStore& state, const std::string& field, const std::string& code) {
  VLEDGER_TRY(CheckId(field, code));
  auto f = LoadFund(state, code);
  if (!f) return Status::Rejected(field + ": unknown fund " + Quoted(code));
  return *f;
}

// A person record, or nullopt when erased or unreadable.
std::optional<Person> PersonOf(const Ledger& ledger, std::string_view ref) {
  auto record = ledger.LoadPerson(ref);
  if (!record.ok() || !*record) return std::nullopt;
  return (*record)->person;
}

// The name of a person record, or nullopt when erased or unreadable.
std::optional<std::string> PersonNameOf(const Ledger& ledger, std::string_view ref) {
  auto person = PersonOf(ledger, ref);
  if (!person) return std::nullopt;
  return person->name;
}

// How a donor appears in a statement: by name only with consent
// (公益事业捐赠法 Art. 8), else as 爱心人士. Organisations are named.
std::string DonorLabel(const Ledger& ledger, const FundMovement& m) {
  if (m.donor.rfind("org:", 0) == 0) return m.donor.substr(4);
  if (m.donor.rfind("ref:", 0) == 0 && m.public_name) {
    auto ref = Unhex(m.donor.substr(4));
    if (ref) {
      if (auto name = PersonNameOf(ledger, *ref)) return *name;
    }
  }
  return kAnonymousDonor;
}

// The first day of a period: 2021Q3 -> 2021-07-01.
std::string PeriodStart(const std::string& period) {
  if (period.size() == 4) return period + "-01-01";
  if (period.size() == 7) return period + "-01";
  int month = (period[5] - '1') * 3 + 1;
  return period.substr(0, 4) + (month < 10 ? "-0" : "-") + std::to_string(month) + "-01";
}

std::string PurposeLabel(const std::string& purpose) {
  return purpose.empty() ? "(unrestricted)" : purpose;
}

Json BalanceJson(StateStore& state, const FundRecord& fund) {
  Json purposes = Json::object();
  for (const std::string& p : ListPurposes(state, fund.code)) {
    purposes[p] = PurposeBalance(state, fund.code, p);
  }
  purposes[""] = PurposeBalance(state, fund.code, "");
  return Json{{"fund", fund.code}, {"balanceFen", FundTotal(state, fund.code)}, {"purposes", purposes}};
}

}  // namespace

// ------------------------------------------------------------- balance

Status FundBalanceCommand(Context& ctx, const std::string& fund, std::optional<uint64_t> at_seq) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  std::unique_ptr<StateStore> state;
  if (at_seq) {
    VLEDGER_ASSIGN_OR_RETURN(state, StateAt(*ledger, *at_seq));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(state, StoredState(*ledger));
  }
  VLEDGER_ASSIGN_OR_RETURN(FundRecord f, FundOf(*state, "--fund", fund));
  Json j = BalanceJson(*state, f);
  if (ctx.options.json) {
    ctx.PrintJson(j);
    return Status::Ok();
  }
  ctx.PrintLine("fund " + f.code + " (" + f.name + ")  balance " +
                FormatYuan(j["balanceFen"].get<int64_t>()));
  for (const auto& [purpose, fen] : j["purposes"].items()) {
    ctx.PrintLine("  " + PurposeLabel(purpose) + "  " + FormatYuan(fen.get<int64_t>()));
  }
  return Status::Ok();
}

Status FundListCommand(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  Json out = Json::array();
  for (const FundRecord& f : ListFunds(*state)) {
    int64_t total = FundTotal(*state, f.code);
    out.push_back(Json{{"code", f.code}, {"name", f.name}, {"kind", f.kind},
                       {"village", f.village}, {"listBeneficiaries", f.list_beneficiaries},
                       {"balanceFen", total}});
    if (!ctx.options.json) {
      ctx.PrintLine(f.code + "  " + f.kind + "  " + (f.village.empty() ? "*" : f.village) + "  " +
                    f.name + "  " + FormatYuan(total));
    }
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"funds", out}});
  return Status::Ok();
}

Status AllowanceListCommand(Context& ctx, const std::string& fund) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  if (!fund.empty()) VLEDGER_TRY(FundOf(*state, "--fund", fund).status());
  Json out = Json::array();
  for (const AllowanceRecord& a : ListAllowances(*state)) {
    if (!fund.empty() && a.fund != fund) continue;
    Json stopped = a.stopped_seq ? Json(a.stopped_seq) : Json(nullptr);
    out.push_back(Json{{"seq", a.seq}, {"fund", a.fund}, {"to", a.beneficiary},
                       {"household", a.household}, {"amountFen", a.amount_fen},
                       {"purpose", a.purpose}, {"from", a.from_month}, {"until", a.until_month},
                       {"stopped", stopped}});
    if (!ctx.options.json) {
      std::string until = a.until_month.empty() ? "" : a.until_month;
      ctx.PrintLine(std::to_string(a.seq) + "  " + a.fund + "  " + a.beneficiary + "  " +
                    FormatYuan(a.amount_fen) + "/month  " + a.from_month + ".." + until +
                    (a.purpose.empty() ? "" : "  " + a.purpose) +
                    (a.stopped_seq ? "  stopped at seq " + std::to_string(a.stopped_seq) : ""));
    }
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"allowances", out}});
  return Status::Ok();
}

// ----------------------------------------------------------- statement

namespace {

struct PurposePayments {
  int64_t count = 0, amount_fen = 0;
};

struct Statement {
  std::string fund;
  int64_t opening = 0, closing = 0, released = 0;
  std::vector<std::pair<std::string, int64_t>> income;  // label, fen; first-seen order
  std::map<std::string, PurposePayments> payments;
  Json corrections = Json::array();
};

void AddIncome(Statement& s, const std::string& label, int64_t fen) {
  for (auto& [l, v] : s.income) {
    if (l == label) {
      v += fen;
      return;
    }
  }
  s.income.emplace_back(label, fen);
}

// Adds one in-period movement to the statement.
void Account(const Ledger& ledger, StateStore& state, const FundMovement& m, Statement& s) {
  int64_t total = m.restricted_delta + m.unrestricted_delta;
  if (m.type == "donation") {
    AddIncome(s, DonorLabel(ledger, m), total);
  } else if (m.type == "payment") {
    s.payments[m.purpose].count++;
    s.payments[m.purpose].amount_fen -= total;
  } else if (m.type == "release") {
    s.released += m.unrestricted_delta;
  } else {  // a reversal: of a gift (has a donor), a payment or dividend, or a release
    s.corrections.push_back(Json{{"seq", m.seq}, {"reverses", m.target}, {"amountFen", total}});
    if (!m.donor.empty()) {
      AddIncome(s, DonorLabel(ledger, m), total);
    } else if (total > 0) {
      auto dividend = LoadDividend(state, s.fund, m.target);
      s.payments[m.purpose].count -= dividend ? static_cast<int64_t>(dividend->payments) : 1;
      s.payments[m.purpose].amount_fen -= total;
    } else {
      s.released -= m.restricted_delta;
    }
  }
}

}  // namespace

namespace {

// How a payment's beneficiary appears in a statement, as the fund's
// --list-beneficiaries policy says: "full" by name, "masked" as 张*明,
// "none" not at all; a resident not known to be an adult on the payment's
// date is never named (SPEC sections 8 and 12, "Age").
std::string BeneficiaryLabel(const Ledger& ledger, StateStore& state, const FundRecord& fund,
                             const std::string& date, const PaymentRecord& p) {
  std::string ref;
  if (!p.household) {
    auto r = LoadResident(state, p.beneficiary);
    if (!r || !KnownAdultOn(AgeFactsOf(*r, PersonOf(ledger, r->person_ref)), date)) {
      return "(a minor)";
    }
    ref = r->person_ref;
  } else if (auto h = LoadHousehold(state, p.beneficiary)) {
    ref = h->head_ref;
  }
  if (fund.list_beneficiaries != "masked" && fund.list_beneficiaries != "full") {
    return "(not listed)";
  }
  std::optional<std::string> name = PersonNameOf(ledger, ref);
  if (!name) return "(erased)";
  return fund.list_beneficiaries == "masked" ? MaskName(*name) : *name;
}

// One payment listed in a statement: recorded on `date`, for `period` (the
// month or period it pays for; empty when none was given). Paid in advance
// when its period begins after the day it was recorded.
Json PaymentLine(const Ledger& ledger, StateStore& state, const FundRecord& fund, uint64_t seq,
                 const std::string& date, const PaymentRecord& p) {
  auto reversed = ReversedBy(state, seq);
  return Json{{"seq", seq},
              {"date", date},
              {"for", p.period},
              {"to", BeneficiaryLabel(ledger, state, fund, date, p)},
              {"amountFen", p.from_purpose_fen + p.from_unrestricted_fen},
              {"purpose", p.purpose},
              {"advance", !p.period.empty() && PeriodStart(p.period) > date},
              {"reversedBy", reversed ? Json(*reversed) : Json(nullptr)}};
}

std::string PaymentText(const Json& line) {
  std::string period = line["for"].get<std::string>();
  std::string text = "  seq " + std::to_string(line["seq"].get<uint64_t>()) + "  " +
                     line["date"].get<std::string>() + "  for " + (period.empty() ? "-" : period) +
                     "  " + line["to"].get<std::string>() + "  " +
                     FormatYuan(line["amountFen"].get<int64_t>()) + "  " +
                     PurposeLabel(line["purpose"].get<std::string>());
  if (line["advance"].get<bool>()) text += "  (paid in advance)";
  if (!line["reversedBy"].is_null()) {
    text += "  (reversed at seq " + std::to_string(line["reversedBy"].get<uint64_t>()) + ")";
  }
  return text;
}

// `statement FUND --for PER`: every payment for the period (by the
// period it pays for, else by its recording date), whenever recorded.
Status PaymentsForCommand(Context& ctx, const Ledger& ledger, StateStore& state,
                          const FundRecord& f, const std::string& period) {
  Json lines = Json::array();
  int64_t total = 0, count = 0;
  for (const FundMovement& m : ListMovements(state, f.code)) {
    if (m.type != "payment") continue;
    auto p = LoadPayment(state, m.seq);
    VLEDGER_ASSERT(p.has_value());
    if (!DateInPeriod(p->period.empty() ? m.date : PeriodStart(p->period), period)) continue;
    Json line = PaymentLine(ledger, state, f, m.seq, m.date, *p);
    if (line["reversedBy"].is_null()) {
      total += line["amountFen"].get<int64_t>();
      count++;
    }
    lines.push_back(std::move(line));
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"fund", f.code},
                       {"name", f.name},
                       {"for", period},
                       {"paymentList", lines},
                       {"count", count},
                       {"totalFen", total}});
    return Status::Ok();
  }
  ctx.PrintLine("fund " + f.code + " (" + f.name + ")  payments for " + period);
  for (const Json& line : lines) ctx.PrintLine(PaymentText(line));
  ctx.PrintLine("total  " + FormatYuan(total) + " (" + std::to_string(count) +
                (count == 1 ? " payment" : " payments") + ", reversed ones left out)");
  return Status::Ok();
}

}  // namespace

Status StatementCommand(Context& ctx, const std::string& fund, const std::string& period,
                        const std::string& for_period) {
  if (period.empty() == for_period.empty()) {
    return Status::Usage("statement: give one of --period PER and --for PER");
  }
  VLEDGER_TRY(for_period.empty() ? CheckPeriod("--period", period)
                                 : CheckPeriod("--for", for_period));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  VLEDGER_ASSIGN_OR_RETURN(FundRecord f, FundOf(*state, "FUND", fund));
  if (!for_period.empty()) return PaymentsForCommand(ctx, *ledger, *state, f, for_period);
  std::string start = PeriodStart(period);
  Statement s;
  s.fund = f.code;
  int64_t moved = 0;
  Json donation_list = Json::array(), payment_list = Json::array();
  for (const FundMovement& m : ListMovements(*state, f.code)) {
    int64_t total = m.restricted_delta + m.unrestricted_delta;
    if (m.date < start) {
      s.opening += total;
    } else if (DateInPeriod(m.date, period)) {
      moved += total;
      Account(*ledger, *state, m, s);
      if (m.type == "payment") {
        auto p = LoadPayment(*state, m.seq);
        VLEDGER_ASSERT(p.has_value());
        payment_list.push_back(PaymentLine(*ledger, *state, f, m.seq, m.date, *p));
      } else if (m.type == "donation") {
        VLEDGER_ASSIGN_OR_RETURN(Event e, ledger->ReadDecoded(m.seq));
        const auto* d = std::get_if<DonationReceived>(&e.body);
        VLEDGER_ASSERT(d != nullptr);
        auto reversed = ReversedBy(*state, m.seq);
        donation_list.push_back(Json{{"seq", m.seq},
                                     {"date", m.date},
                                     {"receipt", d->receipt},
                                     {"donor", DonorLabel(*ledger, m)},
                                     {"amountFen", total},
                                     {"purpose", m.purpose},
                                     {"reversedBy", reversed ? Json(*reversed) : Json(nullptr)}});
      }
    }
  }
  s.closing = s.opening + moved;
  Json income = Json::array();
  for (const auto& [label, fen] : s.income) income.push_back(Json{{"donor", label}, {"amountFen", fen}});
  Json payments = Json::array();
  for (const auto& [purpose, p] : s.payments) {
    payments.push_back(Json{{"purpose", purpose}, {"count", p.count}, {"amountFen", p.amount_fen}});
  }
  Json doc{{"fund", f.code},
           {"name", f.name},
           {"period", period},
           {"openingFen", s.opening},
           {"income", income},
           {"payments", payments},
           {"releasedFen", s.released},
           {"corrections", s.corrections},
           {"closingFen", s.closing},
           {"donationList", donation_list},
           {"paymentList", payment_list}};
  if (ctx.options.json) {
    ctx.PrintJson(doc);
    return Status::Ok();
  }
  ctx.PrintLine("fund " + f.code + " (" + f.name + ")  statement " + period +
                " (by recording date)");
  ctx.PrintLine("opening balance  " + FormatYuan(s.opening));
  ctx.PrintLine("income");
  for (const auto& [label, fen] : s.income) ctx.PrintLine("  " + label + "  " + FormatYuan(fen));
  if (!donation_list.empty()) ctx.PrintLine("donations");
  for (const Json& d : donation_list) {
    ctx.PrintLine(
        "  seq " + std::to_string(d["seq"].get<uint64_t>()) + "  " + d["date"].get<std::string>() +
        "  receipt " + d["receipt"].get<std::string>() + "  " + d["donor"].get<std::string>() +
        "  " + FormatYuan(d["amountFen"].get<int64_t>()) + "  " +
        PurposeLabel(d["purpose"].get<std::string>()) +
        (d["reversedBy"].is_null()
             ? ""
             : "  (reversed at seq " + std::to_string(d["reversedBy"].get<uint64_t>()) + ")"));
  }
  ctx.PrintLine("payments");
  for (const auto& [purpose, p] : s.payments) {
    ctx.PrintLine("  " + PurposeLabel(purpose) + "  " + std::to_string(p.count) + " payments  " +
                  FormatYuan(p.amount_fen));
  }
  if (!payment_list.empty()) ctx.PrintLine("payment list");
  for (const Json& line : payment_list) ctx.PrintLine(PaymentText(line));
  if (s.released != 0) ctx.PrintLine("released restrictions  " + FormatYuan(s.released));
  for (const auto& c : s.corrections) {
    ctx.PrintLine("correction: seq " + std::to_string(c["seq"].get<uint64_t>()) + " reverses seq " +
                  std::to_string(c["reverses"].get<uint64_t>()));
  }
  ctx.PrintLine("closing balance  " + FormatYuan(s.closing));
  return Status::Ok();
}

// --------------------------------------------------------------- donor

namespace {

struct Use {
  uint64_t seq = 0;
  std::string date, type;
  Json to;
  int64_t amount_fen = 0;
};

// Restricted money of one purpose is spent first in, first out: each
// payment or release drawing on it is attributed to the oldest gifts with
// money left. Reversed gifts, payments and releases are left out.
// A resident paid is shown by id only when known to be an adult `today`.
std::map<uint64_t, std::pair<std::vector<Use>, int64_t>> AttributeUses(
    const Ledger& ledger, StateStore& state, const FundRecord& fund, const std::string& purpose,
    const std::string& today) {
  std::vector<FundMovement> rows = ListMovements(state, fund.code);
  std::set<uint64_t> reversed;
  for (const FundMovement& m : rows) {
    if (m.type == "reversal") reversed.insert(m.target);
  }
  std::map<uint64_t, std::pair<std::vector<Use>, int64_t>> gifts;  // seq -> uses, unspent
  std::vector<uint64_t> queue;
  size_t head = 0;
  for (const FundMovement& m : rows) {
    if (m.purpose != purpose || m.restricted_delta == 0 || m.type == "reversal" ||
        reversed.count(m.seq)) {
      continue;
    }
    if (m.restricted_delta > 0) {
      gifts[m.seq].second = m.restricted_delta;
      queue.push_back(m.seq);
      continue;
    }
    Json to = nullptr;
    if (fund.list_beneficiaries != "none" && m.beneficiary.size() > 2) {
      std::string id = m.beneficiary.substr(2);
      auto r = m.beneficiary[0] == 'R' ? LoadResident(state, id) : std::nullopt;
      // Minors and residents of unknown age never appear, not even by id.
      if (!r || KnownAdultOn(AgeFactsOf(*r, PersonOf(ledger, r->person_ref)), today)) to = id;
    }
    int64_t left = -m.restricted_delta;
    while (left > 0 && head < queue.size()) {
      auto& gift = gifts[queue[head]];
      int64_t take = std::min(left, gift.second);
      gift.first.push_back(Use{m.seq, m.date, m.type, to, take});
      gift.second -= take;
      left -= take;
      if (gift.second == 0) head++;
    }
  }
  return gifts;
}

}  // namespace

Status DonorCommand(Context& ctx, const std::string& name) {
  VLEDGER_TRY(CheckName("NAME", name));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  std::vector<uint64_t> seqs = ListOrgDonations(*state, name);
  VLEDGER_TRY(ledger->ScanPersonRecords([&](const Ledger::StoredPerson& stored) -> Status {
    if (!stored.record.ok() || stored.record->person.name != name) return Status::Ok();
    auto owner = LoadPersonOwner(*state, stored.ref);
    if (owner && owner->kind == "donor") seqs.push_back(std::stoull(owner->id));
    return Status::Ok();
  }));
  if (seqs.empty()) return Status::Rejected("NAME: no donor named " + Quoted(name));
  std::sort(seqs.begin(), seqs.end());
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, ctx.NowMs(*ledger));
  std::string today = CstDate(now_ms);
  std::map<std::pair<std::string, std::string>, std::map<uint64_t, std::pair<std::vector<Use>, int64_t>>>
      cache;
  Json gifts = Json::array();
  for (uint64_t seq : seqs) {
    VLEDGER_ASSIGN_OR_RETURN(Event e, ledger->ReadDecoded(seq));
    const auto* d = std::get_if<DonationReceived>(&e.body);
    VLEDGER_ASSERT(d != nullptr);
    auto fund = LoadFund(*state, d->fund);
    VLEDGER_ASSERT(fund.has_value());
    Json gift{{"seq", seq},           {"fund", d->fund},     {"receipt", d->receipt},
              {"date", CstDate(e.recorded_at_ms)}, {"amountFen", d->amount_fen},
              {"purpose", d->purpose}, {"reversed", ReversedBy(*state, seq).has_value()}};
    Json uses = Json::array();
    int64_t unspent = 0;
    if (!d->purpose.empty()) {
      auto key = std::make_pair(d->fund, d->purpose);
      if (!cache.count(key)) cache[key] = AttributeUses(*ledger, *state, *fund, d->purpose, today);
      auto it = cache[key].find(seq);
      if (it != cache[key].end()) {
        for (const Use& u : it->second.first) {
          uses.push_back(Json{{"seq", u.seq}, {"date", u.date}, {"type", u.type}, {"to", u.to},
                              {"amountFen", u.amount_fen}});
        }
        unspent = it->second.second;
      }
    }
    gift["uses"] = uses;
    gift["unspentFen"] = unspent;
    if (!ctx.options.json) {
      ctx.PrintLine("seq " + std::to_string(seq) + "  " + gift["date"].get<std::string>() + "  " +
                    d->fund + "  receipt " + d->receipt + "  " + FormatYuan(d->amount_fen) + "  " +
                    (d->purpose.empty() ? "unrestricted" : "restricted to " + d->purpose) +
                    (gift["reversed"].get<bool>() ? "  (reversed)" : ""));
      for (const auto& u : uses) {
        std::string to = u["to"].is_null() ? "" : "  to " + u["to"].get<std::string>();
        ctx.PrintLine("  " + u["type"].get<std::string>() + " seq " +
                      std::to_string(u["seq"].get<uint64_t>()) + "  " +
                      u["date"].get<std::string>() + to + "  " +
                      FormatYuan(u["amountFen"].get<int64_t>()));
      }
      if (!d->purpose.empty()) ctx.PrintLine("  unspent  " + FormatYuan(unspent));
    }
    gifts.push_back(std::move(gift));
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"donor", name}, {"gifts", gifts}});
  return Status::Ok();
}

}  // namespace vledger::cli
