// The fund write commands (funds.h): fund open, donate, disburse, release,
// dividend, allowance add/stop/run. Amounts are read as yuan (money.h) and
// travel as integer fen.
#include "vledger/app/funds.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "guard.h"
#include "internal.h"
#include "vledger/projections/dividend.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/money.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// The payments as a result document lists them: by payee id, then in the
// order paid.
Json PaymentsJson(std::vector<FundPayment> payments) {
  std::stable_sort(payments.begin(), payments.end(),
                   [](const FundPayment& a, const FundPayment& b) { return a.to < b.to; });
  Json out = Json::array();
  for (const FundPayment& p : payments) {
    out.push_back(Json{{"to", p.to}, {"amountFen", p.amount_fen}});
  }
  return out;
}

// The payments a stored result document lists (a repeated request).
std::vector<FundPayment> PaymentsOf(const Json& doc) {
  std::vector<FundPayment> out;
  if (!doc.contains("payments") || !doc["payments"].is_array()) return out;
  for (const Json& p : doc["payments"]) {
    out.push_back(FundPayment{p.value("to", std::string()), p.value("amountFen", int64_t{0})});
  }
  return out;
}

// The stored result document of an append (with its members).
Json DocOf(const AppendResult& r) { return Json::parse(r.json, nullptr, false); }

// A seq as `allowance stop` takes it: digits only.
Result<uint64_t> ParseSeqArg(std::string_view field, const std::string& text) {
  if (text.empty() || text.size() > 19 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidInput(field, Msg("\"{}\" is not a seq", text));
  }
  return std::stoull(text);
}

// Whether the key may pay from `fund`: what the payment handlers check
// (RequireRole with the treasurer role and the fund's village).
bool KeyMayPay(const std::optional<KeyRecord>& key, const FundRecord& fund) {
  if (!key) return false;
  if (key->role == Role::kAdmin) return true;
  if (key->role != Role::kTreasurer) return false;
  if (key->villages.empty()) return true;
  return std::find(key->villages.begin(), key->villages.end(), fund.village) != key->villages.end();
}

// Checks that every fund can cover all of its due payments; otherwise
// names each fund that falls short, by how much and which allowances.
Status CheckCoverage(StateStore& state, const std::vector<DueAllowance>& due,
                     const std::string& month) {
  std::map<std::string, std::map<std::string, int64_t>> balance;  // fund -> purpose -> fen
  std::map<std::string, std::pair<int64_t, std::vector<uint64_t>>> short_of;
  for (const DueAllowance& a : due) {
    auto& purposes = balance[a.fund];
    for (const std::string& p : {a.purpose, std::string()}) {
      if (!purposes.count(p)) purposes[p] = PurposeBalance(state, a.fund, p);
    }
    int64_t left = a.amount_fen;
    for (const std::string& p : {a.purpose, std::string()}) {
      int64_t take = std::min(left, purposes[p]);
      purposes[p] -= take;
      left -= take;
    }
    if (left > 0) {
      short_of[a.fund].first += left;
      short_of[a.fund].second.push_back(a.seq);
    }
  }
  if (short_of.empty()) return Status::Ok();
  // Each fund: its code, the amount short, the allowances' seqs.
  std::vector<std::string> a;
  for (const auto& [fund, s] : short_of) {
    std::string seqs;
    for (uint64_t seq : s.second) seqs += (seqs.empty() ? "" : " ") + std::to_string(seq);
    a.insert(a.end(), {fund, FormatYuan(s.first), seqs});
  }
  switch (short_of.size()) {
    case 1:
      return Status::FailedPrecondition(
          Msg("allowances due in {} were not paid: fund {} is short by {} (allowances {})", month,
              a[0], a[1], a[2]));
    case 2:
      return Status::FailedPrecondition(
          Msg("allowances due in {} were not paid: fund {} is short by {} (allowances {}); fund "
              "{} is short by {} (allowances {})",
              month, a[0], a[1], a[2], a[3], a[4], a[5]));
    default: {
      // Three funds or more: each fund's shortfall in a part of its own.
      size_t n = short_of.size();
      Status st = Status::FailedPrecondition(
          Msg("fund {} is short by {} (allowances {})", a[3 * n - 3], a[3 * n - 2], a[3 * n - 1]));
      for (size_t i = n - 1; i-- > 0;) {
        st = st.WithPrefix(
            Msg("fund {} is short by {} (allowances {})", a[3 * i], a[3 * i + 1], a[3 * i + 2]));
      }
      return st.WithPrefix(Msg("allowances due in {} were not paid", month));
    }
  }
}

// The dividend's events: the declaration, then one payment per share.
Status BuildDividend(CommitBuilder& b, const DividendRequest& r, DividendResult& out) {
  VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--amount", r.amount));
  VLEDGER_ASSIGN_OR_RETURN(FundRecord fund, FundOf(b.state(), "FUND", r.fund));
  // The handler validates and computes the same allocation; it rejects a
  // period without positive points before anything is paid.
  VLEDGER_ASSIGN_OR_RETURN(uint64_t declared, b.Add(DividendDeclared{fund.code, r.village, r.period,
                                                                     fen, /*active_only=*/true}));
  if (!r.again) {
    if (auto seq = UnreversedDividend(b.state(), fund.code, r.village, r.period, declared)) {
      return Status::Conflict(
          "--period", Msg("fund {} already paid a dividend for village \"{}\" and {} at seq {} "
                          "(reverse it, or give --again to pay another)",
                          fund.code, r.village, r.period, *seq));
    }
  }
  VLEDGER_ASSIGN_OR_RETURN(
      auto shares, AllocateDividend(fen, DividendPointsList(b.state(), r.village, r.period, true,
                                                            &out.skipped)));
  for (const DividendShare& s : shares) {
    if (s.amount_fen == 0) continue;
    VLEDGER_TRY(b.Add(FundDisbursed{fund.code, s.resident, "", s.amount_fen, "", r.period, "", 0})
                    .status());
    out.payments.push_back(FundPayment{s.resident, s.amount_fen});
  }
  return Status::Ok();
}

// The allowance run's payments, after the month and coverage checks.
Status BuildAllowanceRun(CommitBuilder& b, const AllowanceRunRequest& r, AllowanceRunResult& out) {
  VLEDGER_TRY(CheckMonth("--month", r.month));
  // The current month is the clock's, in China Standard Time.
  std::string current = CstDate(b.now_ms()).substr(0, 7);
  out.in_advance = r.month > current;
  if (out.in_advance && !r.advance) {
    return Status::FailedPrecondition(
        "--month", Msg("{} is after the current month {} (give --advance to pay it in advance)",
                       r.month, current));
  }
  if (!r.fund.empty()) VLEDGER_TRY(FundOf(b.state(), "--fund", r.fund).status());
  VLEDGER_ASSIGN_OR_RETURN(std::vector<DueAllowance> due,
                           DueAllowances(b.state(), b.key_id(), r.month, r.fund, &out.warnings));
  VLEDGER_TRY(CheckCoverage(b.state(), due, r.month));
  for (const DueAllowance& al : due) {
    FundDisbursed d{al.fund, "", "", al.amount_fen, al.purpose, r.month, "", al.seq};
    (al.household ? d.to_household : d.to_resident) = al.beneficiary;
    VLEDGER_TRY(b.Add(std::move(d)).status());
    out.payments.push_back(FundPayment{al.beneficiary, al.amount_fen});
  }
  return Status::Ok();
}

}  // namespace

// ------------------------------------------------------------ fund open

Result<FundOpenResult> FundOpen(const Session& session, const FundOpenRequest& r) try {
  FundOpenResult out;
  VLEDGER_ASSIGN_OR_RETURN(
      out.append, Append(session, r.append, [&r](CommitBuilder& b) {
        return b.Add(FundOpened{r.code, r.name, r.kind, r.village, r.list_beneficiaries}).status();
      }));
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string FundOpenJson(const FundOpenResult& result) { return result.append.json; }

// --------------------------------------------------------------- donate

Result<DonateResult> Donate(const Session& session, const DonateRequest& r) try {
  DonateResult out;
  VLEDGER_ASSIGN_OR_RETURN(
      out.append, Append(
                      session, r.append,
                      [&](CommitBuilder& b) { return BuildDonation(b, r.donation, &out.receipt); },
                      [&out]() -> JsonMembers {
                        return {{"receipt", Json(out.receipt).dump()}};
                      }));
  if (out.append.repeated) out.receipt = DocOf(out.append).value("receipt", std::string());
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string DonateJson(const DonateResult& result) { return result.append.json; }

// ------------------------------------------------------------- disburse

Result<DisburseResult> Disburse(const Session& session, const DisburseRequest& r) try {
  DisburseResult out;
  VLEDGER_ASSIGN_OR_RETURN(out.append, Append(session, r.append, [&r](CommitBuilder& b) {
                             return BuildDisbursement(b, r.disbursement);
                           }));
  if (!r.disbursement.note.empty()) {
    out.warnings.push_back("--note is public: keep personal details out of it");
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string DisburseJson(const DisburseResult& result) { return result.append.json; }

// -------------------------------------------------------------- release

Result<ReleaseResult> Release(const Session& session, const ReleaseRequest& r) try {
  ReleaseResult out;
  VLEDGER_ASSIGN_OR_RETURN(
      out.append, Append(session, r.append, [&r](CommitBuilder& b) -> Status {
        VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--amount", r.amount));
        VLEDGER_ASSIGN_OR_RETURN(FundRecord fund, FundOf(b.state(), "FUND", r.fund));
        return b.Add(RestrictionReleased{fund.code, r.purpose, fen, r.consent}).status();
      }));
  out.warnings.push_back("--consent is public: keep personal details out of it");
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string ReleaseJson(const ReleaseResult& result) { return result.append.json; }

// ------------------------------------------------------------- dividend

Result<DividendResult> Dividend(const Session& session, const DividendRequest& r) try {
  DividendResult out;
  VLEDGER_ASSIGN_OR_RETURN(
      out.append, Append(
                      session, r.append, [&](CommitBuilder& b) { return BuildDividend(b, r, out); },
                      [&out]() -> JsonMembers {
                        return {{"payments", PaymentsJson(out.payments).dump()},
                                {"skipped", Json(out.skipped).dump()}};
                      }));
  if (out.append.repeated) {
    Json doc = DocOf(out.append);
    out.payments = PaymentsOf(doc);
    out.skipped.clear();
    if (doc.contains("skipped") && doc["skipped"].is_array()) {
      for (const Json& id : doc["skipped"]) {
        if (id.is_string()) out.skipped.push_back(id.get<std::string>());
      }
    }
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string DividendJson(const DividendResult& result) { return result.append.json; }

// ------------------------------------------------------------ allowances

Result<AllowanceAddResult> AllowanceAdd(const Session& session, const AllowanceAddRequest& r) try {
  AllowanceAddResult out;
  VLEDGER_ASSIGN_OR_RETURN(
      out.append, Append(session, r.append, [&r](CommitBuilder& b) -> Status {
        VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--amount", r.amount));
        VLEDGER_ASSIGN_OR_RETURN(FundRecord fund, FundOf(b.state(), "FUND", r.fund));
        VLEDGER_ASSIGN_OR_RETURN(auto to, ResolveTo(b, "--to", r.to));
        VLEDGER_TRY(CheckPurposeHeld(b.state(), fund, r.purpose));
        return b
            .Add(AllowanceAdded{fund.code, to.first, to.second, fen, r.purpose, r.from, r.until})
            .status();
      }));
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string AllowanceAddJson(const AllowanceAddResult& result) { return result.append.json; }

Result<AllowanceStopResult> AllowanceStop(const Session& session,
                                          const AllowanceStopRequest& r) try {
  AllowanceStopResult out;
  VLEDGER_ASSIGN_OR_RETURN(out.append, Append(session, r.append, [&r](CommitBuilder& b) -> Status {
                             VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeqArg("SEQ", r.seq));
                             return b.Add(AllowanceStopped{seq}).status();
                           }));
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string AllowanceStopJson(const AllowanceStopResult& result) { return result.append.json; }

Result<std::vector<DueAllowance>> DueAllowances(StateStore& state, const std::string& key_id,
                                                const std::string& month, const std::string& fund,
                                                std::vector<Msg>* warnings) try {
  std::optional<KeyRecord> key = LoadKey(state, key_id);
  std::map<std::string, bool> may_pay;
  std::vector<DueAllowance> due;
  for (const AllowanceRecord& a : ListAllowances(state)) {
    if (!fund.empty() && a.fund != fund) continue;
    if (!AllowanceDue(state, a, month)) continue;
    if (fund.empty()) {
      auto it = may_pay.find(a.fund);
      if (it == may_pay.end()) {
        std::optional<FundRecord> f = LoadFund(state, a.fund);
        it = may_pay.emplace(a.fund, f && KeyMayPay(key, *f)).first;
      }
      if (!it->second) continue;
    }
    if (!a.household) {
      auto r = LoadResident(state, a.beneficiary);
      if (r && r->status != ResidentStatus::kActive) {
        if (warnings != nullptr) {
          warnings->push_back(
              r->status == ResidentStatus::kDeceased
                  ? Msg("allowance {0}: resident {1} is deceased; not paid (stop it with "
                        "`allowance stop {0}`)",
                        a.seq, a.beneficiary)
                  : Msg("allowance {0}: resident {1} is departed; not paid (stop it with "
                        "`allowance stop {0}`)",
                        a.seq, a.beneficiary));
        }
        continue;
      }
    }
    due.push_back(DueAllowance{a.seq, a.fund, a.beneficiary, a.purpose, a.household, a.amount_fen});
  }
  return due;
} catch (...) {
  return CaughtStatus();
}

Result<AllowanceRunResult> AllowanceRun(const Session& session, const AllowanceRunRequest& r) try {
  AllowanceRunResult out;
  VLEDGER_ASSIGN_OR_RETURN(
      out.append,
      Append(
          session, r.append, [&](CommitBuilder& b) { return BuildAllowanceRun(b, r, out); },
          [&out]() -> JsonMembers {
            return {{"payments", PaymentsJson(out.payments).dump()}};
          }));
  if (out.append.repeated) out.payments = PaymentsOf(DocOf(out.append));
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string AllowanceRunJson(const AllowanceRunResult& result) { return result.append.json; }

}  // namespace vledger::app
