// The fund commands (SPEC sections 3 and 8): fund open, donate, disburse,
// release, dividend, allowance add/stop/run, and the fund queries: balance
// --fund, fund list, allowance list, statement (--period, --for) and donor.
//
// Each command is one function `Result<XResult> X(const Session&, const
// XRequest&)`, and `XJson(result)` is its --json document. Requests hold
// the values as the command line spells them (amounts in yuan, seqs and
// months as text); results are typed, money in integer fen. A write's
// result carries its AppendResult; what a write adds to its result
// document ("receipt", "payments", "skipped") is kept with the request id,
// so a repeat answers the same (and the typed members are read back from
// it).
//
// Writes are in app/src/funds.cc, queries in app/src/fund_queries.cc and
// app/src/fund_statements.cc.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vledger/app/append.h"
#include "vledger/app/builders.h"
#include "vledger/app/session.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/vocab.h"

namespace vledger::app {

// ------------------------------------------------------------- writes

// A payment listed in a dividend's or an allowance run's result.
struct FundPayment {
  std::string to;  // resident (or, for an allowance, household) id
  int64_t amount_fen = 0;
};

// `fund open CODE --name N --kind credit|charity [--village V]
// [--list-beneficiaries none|masked|full]`
struct FundOpenRequest {
  AppendRequest append;
  std::string code, name, kind, village, list_beneficiaries = "none";
};
struct FundOpenResult {
  AppendResult append;
};
Result<FundOpenResult> FundOpen(const Session& session, const FundOpenRequest& request);
std::string FundOpenJson(const FundOpenResult& result);

// `donate FUND --amount Y …` (DonationArgs). The result names the receipt
// number recorded, given or assigned (the fund's next <FUND>-<n>).
struct DonateRequest {
  AppendRequest append;
  DonationArgs donation;
};
struct DonateResult {
  AppendResult append;
  std::string receipt;
};
Result<DonateResult> Donate(const Session& session, const DonateRequest& request);
std::string DonateJson(const DonateResult& result);

// `disburse FUND --to R|H --amount Y [--purpose P] [--period PER] [--note T]`
struct DisburseRequest {
  AppendRequest append;
  DisbursementArgs disbursement;
};
struct DisburseResult {
  AppendResult append;
  std::vector<Msg> warnings;  // to show once appended
};
Result<DisburseResult> Disburse(const Session& session, const DisburseRequest& request);
std::string DisburseJson(const DisburseResult& result);

// `release FUND --purpose P --amount Y --consent NOTE`: lifts a
// restriction with the donor's consent (慈善法 Art. 56).
struct ReleaseRequest {
  AppendRequest append;
  std::string fund, purpose, amount, consent;
};
struct ReleaseResult {
  AppendResult append;
  std::vector<Msg> warnings;
};
Result<ReleaseResult> Release(const Session& session, const ReleaseRequest& request);
std::string ReleaseJson(const ReleaseResult& result);

// `dividend FUND --village V --period PER --amount Y [--again]`: pays the
// amount in proportion to the period's points (dividend.h), departed and
// deceased residents left out. A second unreversed dividend of the fund
// for the village and period is a conflict unless `again`.
struct DividendRequest {
  AppendRequest append;
  std::string fund, village, period, amount;
  bool again = false;
};
struct DividendResult {
  AppendResult append;
  std::vector<FundPayment> payments;  // in the order paid (the JSON: by id)
  std::vector<std::string> skipped;   // departed or deceased, with positive points
};
Result<DividendResult> Dividend(const Session& session, const DividendRequest& request);
std::string DividendJson(const DividendResult& result);

// `allowance add FUND --to R|H --amount Y --from YYYY-MM [--until YYYY-MM]
// [--purpose P]`
struct AllowanceAddRequest {
  AppendRequest append;
  std::string fund, to, amount, from, until, purpose;
};
struct AllowanceAddResult {
  AppendResult append;
};
Result<AllowanceAddResult> AllowanceAdd(const Session& session, const AllowanceAddRequest& request);
std::string AllowanceAddJson(const AllowanceAddResult& result);

// `allowance stop SEQ`
struct AllowanceStopRequest {
  AppendRequest append;
  std::string seq;
};
struct AllowanceStopResult {
  AppendResult append;
};
Result<AllowanceStopResult> AllowanceStop(const Session& session,
                                          const AllowanceStopRequest& request);
std::string AllowanceStopJson(const AllowanceStopResult& result);

// `allowance run --month YYYY-MM [--fund F] [--advance]`: pays every
// allowance due in the month (DueAllowances), once. A month after the
// clock's (China Standard Time) needs `advance`. Nothing is paid unless
// every fund covers all of its due payments.
struct AllowanceRunRequest {
  AppendRequest append;
  std::string month, fund;
  bool advance = false;
};
struct AllowanceRunResult {
  AppendResult append;
  std::vector<FundPayment> payments;  // in allowance seq order (the JSON: by id)
  bool in_advance = false;            // the month is after the current one
  // Allowances left out because their resident is no longer active.
  std::vector<Msg> warnings;
};
Result<AllowanceRunResult> AllowanceRun(const Session& session, const AllowanceRunRequest& request);
std::string AllowanceRunJson(const AllowanceRunResult& result);

// What `allowance run` pays for `month`: the allowances due (AllowanceDue)
// in seq order, of `fund` when not empty, else of every fund that
// `key_id` may pay from (a treasurer's village scope). Allowances of
// residents no longer active are left out, each with a line in
// `*warnings`.
struct DueAllowance {
  uint64_t seq = 0;  // the allowance's `allowance add`
  std::string fund, beneficiary, purpose;
  bool household = false;
  int64_t amount_fen = 0;
};
Result<std::vector<DueAllowance>> DueAllowances(StateStore& state, const std::string& key_id,
                                                const std::string& month, const std::string& fund,
                                                std::vector<Msg>* warnings);

// ------------------------------------------------------------ queries

// `balance --fund F [--at SEQ]`: the fund's total and each purpose that
// ever held money (zero included), "" being unrestricted money.
struct FundBalanceRequest {
  std::string fund;
  std::optional<uint64_t> at_seq;
};
struct FundBalanceResult {
  std::string fund, name;
  int64_t balance_fen = 0;
  std::vector<std::pair<std::string, int64_t>> purposes;  // purpose, fen; "" last
  std::map<std::string, std::string> purpose_names;       // display names (names.h)
};
Result<FundBalanceResult> FundBalance(const Session& session, const FundBalanceRequest& request);
std::string FundBalanceJson(const FundBalanceResult& result);

// `fund list`
struct FundListRequest {};
struct FundLine {
  std::string code, name;
  FundKind kind = FundKind::kCredit;
  std::string village;
  BeneficiaryList list_beneficiaries = BeneficiaryList::kNone;
  int64_t balance_fen = 0;
};
struct FundListResult {
  std::vector<FundLine> funds;
};
Result<FundListResult> FundList(const Session& session, const FundListRequest& request);
std::string FundListJson(const FundListResult& result);

// `allowance list [--fund F]`
struct AllowanceListRequest {
  std::string fund;  // empty: every fund
};
struct AllowanceLine {
  uint64_t seq = 0;
  std::string fund, to;
  bool household = false;
  int64_t amount_fen = 0;
  std::string purpose, from, until;  // until empty: until stopped
  uint64_t stopped_seq = 0;          // 0 while active
};
struct AllowanceListResult {
  std::vector<AllowanceLine> allowances;
  std::map<std::string, std::string> purpose_names;  // county-wide display names
};
Result<AllowanceListResult> AllowanceList(const Session& session,
                                          const AllowanceListRequest& request);
std::string AllowanceListJson(const AllowanceListResult& result);

// One payment listed in a statement: recorded on `date`, for `for_period`
// (the month or period it pays for; empty when none was given). Paid in
// advance when its period begins after the day it was recorded. `to` is
// the beneficiary as the fund's --list-beneficiaries policy shows it: by
// name ("full"), masked ("masked"), "(not listed)"; a resident not known
// to be an adult on the payment's date is "(a minor)"; an erased person
// "(erased)".
struct StatementPayment {
  uint64_t seq = 0;
  std::string date, for_period, to;
  int64_t amount_fen = 0;
  std::string purpose;
  bool advance = false;
  std::optional<uint64_t> reversed_by;
};

// `statement FUND --period PER`: money in and out by recording date.
// Donors are named only with their consent (else 爱心人士); organisations
// are named.
struct StatementRequest {
  std::string fund, period;
};
struct StatementDonation {
  uint64_t seq = 0;
  std::string date, receipt, donor;
  int64_t amount_fen = 0;
  std::string purpose;
  std::optional<uint64_t> reversed_by;
};
struct StatementIncome {
  std::string donor;  // the label
  int64_t amount_fen = 0;
};
struct StatementPurposePayments {
  std::string purpose;  // "" unrestricted
  int64_t count = 0, amount_fen = 0;
};
struct StatementCorrection {
  uint64_t seq = 0, reverses = 0;
  int64_t amount_fen = 0;
};
struct StatementResult {
  std::string fund, name, period;
  int64_t opening_fen = 0, closing_fen = 0, released_fen = 0;
  std::vector<StatementIncome> income;               // by donor label, first seen first
  std::vector<StatementPurposePayments> payments;    // by purpose
  std::vector<StatementCorrection> corrections;      // reversals, in seq order
  std::vector<StatementDonation> donations;          // in seq order
  std::vector<StatementPayment> payment_list;        // in seq order
  std::map<std::string, std::string> purpose_names;  // display names in the fund's village
};
Result<StatementResult> Statement(const Session& session, const StatementRequest& request);
std::string StatementJson(const StatementResult& result);

// `statement FUND --for PER`: every payment for the period (by the period
// it pays for, else by its recording date), whenever recorded; `count` and
// `total_fen` leave reversed ones out.
struct StatementForRequest {
  std::string fund, for_period;
};
struct StatementForResult {
  std::string fund, name, for_period;
  std::vector<StatementPayment> payments;
  int64_t count = 0, total_fen = 0;
  std::map<std::string, std::string> purpose_names;  // display names in the fund's village
};
Result<StatementForResult> StatementFor(const Session& session, const StatementForRequest& request);
std::string StatementForJson(const StatementForResult& result);

// `donor NAME`: where a donor's gifts went (慈善法 Art. 42). Restricted
// money of one purpose is spent first in, first out: each payment or
// release drawing on it is attributed to the oldest gifts with money left.
// A resident paid is shown by id only when the fund lists beneficiaries
// and the resident is known to be an adult today.
struct DonorRequest {
  std::string name;
};
struct GiftUse {
  uint64_t seq = 0;
  std::string date, type;         // "payment" or "release"
  std::optional<std::string> to;  // the payee's id, when it may be shown
  int64_t amount_fen = 0;
};
struct DonorGift {
  uint64_t seq = 0;
  std::string fund, receipt, date;
  int64_t amount_fen = 0;
  std::string purpose;
  bool reversed = false;
  std::vector<GiftUse> uses;  // restricted gifts only
  int64_t unspent_fen = 0;
};
struct DonorResult {
  std::string name;
  std::vector<DonorGift> gifts;  // in seq order
};
Result<DonorResult> Donor(const Session& session, const DonorRequest& request);
std::string DonorJson(const DonorResult& result);

}  // namespace vledger::app
