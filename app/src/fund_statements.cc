// Fund statements (funds.h): `statement FUND --period PER` (money in and
// out by recording date) and `statement FUND --for PER` (the payments for
// a period, whenever recorded), with the privacy rules of SPEC sections 8
// and 12: donors named only with consent, beneficiaries as the fund's
// --list-beneficiaries policy says, minors never.
#include <map>
#include <nlohmann/json.hpp>

#include "guard.h"
#include "internal.h"
#include "vledger/app/funds.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/age.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/names.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"
#include "vledger/projections/state.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kAnonymousDonor = "爱心人士";

// The name of a person record, or nullopt when erased.
std::optional<std::string> PersonNameOf(const Ledger& ledger, std::string_view ref) {
  std::optional<Person> person = PersonOf(ledger.LoadPerson(ref));
  if (!person) return std::nullopt;
  return person->name;
}

// How a donor appears in a statement: by name only with consent
// (NamedDonor), else as 爱心人士. Organisations are named.
std::string DonorLabel(const Ledger& ledger, const FundMovement& m) {
  std::string named = NamedDonor(m);
  if (named.rfind("org:", 0) == 0) return named.substr(4);
  if (named.rfind("ref:", 0) == 0) {
    if (auto ref = Unhex(named.substr(4))) {
      if (auto name = PersonNameOf(ledger, *ref)) return *name;
    }
  }
  return kAnonymousDonor;
}

// How a payment's beneficiary appears in a statement (StatementPayment).
std::string BeneficiaryLabel(const Ledger& ledger, StateStore& state, const FundRecord& fund,
                             const std::string& date, const PaymentRecord& p) {
  std::string ref;
  if (!p.household) {
    auto r = LoadResident(state, p.beneficiary);
    if (!r || !KnownAdultOn(AgeFactsOf(*r, PersonOf(ledger.LoadPerson(r->person_ref))), date)) {
      return "(a minor)";
    }
    ref = r->person_ref;
  } else if (auto h = LoadHousehold(state, p.beneficiary)) {
    ref = h->head_ref;
  }
  if (fund.list_beneficiaries == BeneficiaryList::kNone) {
    return "(not listed)";
  }
  std::optional<std::string> name = PersonNameOf(ledger, ref);
  if (!name) return "(erased)";
  return fund.list_beneficiaries == BeneficiaryList::kMasked ? MaskName(*name) : *name;
}

// The payment of the movement `m`.
Result<PaymentRecord> PaymentOf(StateStore& state, const FundMovement& m) {
  std::optional<PaymentRecord> p = LoadPayment(state, m.seq);
  if (!p) return Status::Corruption("fund movement of a payment that is not one").WithSeq(m.seq);
  return *p;
}

// The payment movement `m` as a statement lists it.
Result<StatementPayment> PaymentLine(const Ledger& ledger, StateStore& state,
                                     const FundRecord& fund, const FundMovement& m) {
  VLEDGER_ASSIGN_OR_RETURN(PaymentRecord p, PaymentOf(state, m));
  return StatementPayment{m.seq,
                          m.date,
                          p.period,
                          BeneficiaryLabel(ledger, state, fund, m.date, p),
                          p.from_purpose_fen + p.from_unrestricted_fen,
                          p.purpose,
                          !p.period.empty() && PeriodStart(p.period) > m.date,
                          ReversedBy(state, m.seq)};
}

Json PaymentJson(const StatementPayment& p) {
  return Json{{"seq", p.seq},
              {"date", p.date},
              {"for", p.for_period},
              {"to", p.to},
              {"amountFen", p.amount_fen},
              {"purpose", p.purpose},
              {"advance", p.advance},
              {"reversedBy", p.reversed_by ? Json(*p.reversed_by) : Json(nullptr)}};
}

void AddIncome(StatementResult& s, const std::string& label, int64_t fen) {
  for (StatementIncome& line : s.income) {
    if (line.donor == label) {
      line.amount_fen += fen;
      return;
    }
  }
  s.income.push_back(StatementIncome{label, fen});
}

// Statement accounting: adds one in-period movement to the statement's
// income, payments by purpose, releases and corrections.
void Account(const Ledger& ledger, StateStore& state, const FundMovement& m,
             std::map<std::string, StatementPurposePayments>& payments, StatementResult& s) {
  int64_t total = m.restricted_delta + m.unrestricted_delta;
  if (m.type == "donation") {
    AddIncome(s, DonorLabel(ledger, m), total);
  } else if (m.type == "payment") {
    payments[m.purpose].count++;
    payments[m.purpose].amount_fen -= total;
  } else if (m.type == "release") {
    s.released_fen += m.unrestricted_delta;
  } else {  // a reversal: of a gift (has a donor), a payment or dividend, or a release
    s.corrections.push_back(StatementCorrection{m.seq, m.target, total});
    if (!m.donor.empty()) {
      AddIncome(s, DonorLabel(ledger, m), total);
    } else if (total > 0) {
      auto dividend = LoadDividend(state, s.fund, m.target);
      payments[m.purpose].count -= dividend ? static_cast<int64_t>(dividend->payments) : 1;
      payments[m.purpose].amount_fen -= total;
    } else {
      s.released_fen -= m.restricted_delta;
    }
  }
}

// The donation movement `m` as a statement lists it (its receipt is read
// from the log).
Result<StatementDonation> DonationLine(const Ledger& ledger, StateStore& state,
                                       const FundMovement& m) {
  VLEDGER_ASSIGN_OR_RETURN(Event e, ledger.ReadDecoded(m.seq));
  const auto* d = std::get_if<DonationReceived>(&e.body);
  if (d == nullptr) {
    return Status::Corruption("fund movement of a donation that is not one").WithSeq(m.seq);
  }
  return StatementDonation{m.seq,
                           m.date,
                           d->receipt,
                           DonorLabel(ledger, m),
                           m.restricted_delta + m.unrestricted_delta,
                           m.purpose,
                           ReversedBy(state, m.seq)};
}

}  // namespace

Result<StatementResult> Statement(const Session& session, const StatementRequest& r) try {
  VLEDGER_TRY(CheckPeriod("--period", r.period));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  VLEDGER_ASSIGN_OR_RETURN(FundRecord f, FundOf(*state, "FUND", r.fund));
  std::string start = PeriodStart(r.period);
  StatementResult s;
  s.fund = f.code;
  s.name = f.name;
  s.period = r.period;
  s.purpose_names = DisplayNames(*state, NameKind::kPurpose, f.village);
  std::map<std::string, StatementPurposePayments> payments;
  int64_t moved = 0;
  for (const FundMovement& m : ListMovements(*state, f.code)) {
    int64_t total = m.restricted_delta + m.unrestricted_delta;
    if (m.date < start) {
      s.opening_fen += total;
    } else if (DateInPeriod(m.date, r.period)) {
      moved += total;
      Account(*ledger, *state, m, payments, s);
      if (m.type == "payment") {
        VLEDGER_ASSIGN_OR_RETURN(StatementPayment line, PaymentLine(*ledger, *state, f, m));
        s.payment_list.push_back(std::move(line));
      } else if (m.type == "donation") {
        VLEDGER_ASSIGN_OR_RETURN(StatementDonation line, DonationLine(*ledger, *state, m));
        s.donations.push_back(std::move(line));
      }
    }
  }
  s.closing_fen = s.opening_fen + moved;
  for (auto& [purpose, p] : payments) {
    s.payments.push_back(StatementPurposePayments{purpose, p.count, p.amount_fen});
  }
  return s;
} catch (...) {
  return CaughtStatus();
}

std::string StatementJson(const StatementResult& s) {
  Json income = Json::array();
  for (const StatementIncome& i : s.income) {
    income.push_back(Json{{"donor", i.donor}, {"amountFen", i.amount_fen}});
  }
  Json payments = Json::array();
  for (const StatementPurposePayments& p : s.payments) {
    payments.push_back(
        Json{{"purpose", p.purpose}, {"count", p.count}, {"amountFen", p.amount_fen}});
  }
  Json corrections = Json::array();
  for (const StatementCorrection& c : s.corrections) {
    corrections.push_back(
        Json{{"seq", c.seq}, {"reverses", c.reverses}, {"amountFen", c.amount_fen}});
  }
  Json donations = Json::array();
  for (const StatementDonation& d : s.donations) {
    donations.push_back(Json{{"seq", d.seq},
                             {"date", d.date},
                             {"receipt", d.receipt},
                             {"donor", d.donor},
                             {"amountFen", d.amount_fen},
                             {"purpose", d.purpose},
                             {"reversedBy", d.reversed_by ? Json(*d.reversed_by) : Json(nullptr)}});
  }
  Json payment_list = Json::array();
  for (const StatementPayment& p : s.payment_list) payment_list.push_back(PaymentJson(p));
  return Json{{"fund", s.fund},
              {"name", s.name},
              {"period", s.period},
              {"openingFen", s.opening_fen},
              {"income", income},
              {"payments", payments},
              {"releasedFen", s.released_fen},
              {"corrections", corrections},
              {"closingFen", s.closing_fen},
              {"donationList", donations},
              {"paymentList", payment_list}}
      .dump();
}

Result<StatementForResult> StatementFor(const Session& session, const StatementForRequest& r) try {
  VLEDGER_TRY(CheckPeriod("--for", r.for_period));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  VLEDGER_ASSIGN_OR_RETURN(FundRecord f, FundOf(*state, "FUND", r.fund));
  StatementForResult out;
  out.fund = f.code;
  out.name = f.name;
  out.for_period = r.for_period;
  out.purpose_names = DisplayNames(*state, NameKind::kPurpose, f.village);
  for (const FundMovement& m : ListMovements(*state, f.code)) {
    if (m.type != "payment") continue;
    VLEDGER_ASSIGN_OR_RETURN(PaymentRecord p, PaymentOf(*state, m));
    if (!DateInPeriod(p.period.empty() ? m.date : PeriodStart(p.period), r.for_period)) continue;
    VLEDGER_ASSIGN_OR_RETURN(StatementPayment line, PaymentLine(*ledger, *state, f, m));
    if (!line.reversed_by) {
      out.total_fen += line.amount_fen;
      out.count++;
    }
    out.payments.push_back(std::move(line));
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string StatementForJson(const StatementForResult& r) {
  Json lines = Json::array();
  for (const StatementPayment& p : r.payments) lines.push_back(PaymentJson(p));
  return Json{{"fund", r.fund},       {"name", r.name},   {"for", r.for_period},
              {"paymentList", lines}, {"count", r.count}, {"totalFen", r.total_fen}}
      .dump();
}

}  // namespace vledger::app
