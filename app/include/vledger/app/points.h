// The credit points commands (SPEC section 9): the rule catalogue, awards,
// deductions, redemptions, the yearly expiry, reversals and reviews; and
// the queries balance, history, rank and pending.
//
// Writes take the values as the command line spells them (an empty string:
// not given) plus the request id and fingerprint of the shared write path
// (append.h); their result is the append and the warnings to show once it
// succeeded (public free text that may hold personal details). Queries
// answer from the stored state, or with `at` (a seq, as typed) from the
// log prefix 0..at replayed. Each command's `--json` document is
// XJson(result).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vledger/app/append.h"
#include "vledger/app/builders.h"
#include "vledger/app/session.h"
#include "vledger/projections/benefits.h"
#include "vledger/projections/points.h"

namespace vledger::app {

// ---------------------------------------------------------------- rules

// `rule add CODE --category C --points P …`
struct RuleAddRequest : AppendRequest, RuleArgs {};
struct RuleAddResult {
  AppendResult append;
};
Result<RuleAddResult> RuleAdd(const Session& session, const RuleAddRequest& request);
std::string RuleAddJson(const RuleAddResult& result);

// `rule retire CODE`
struct RuleRetireRequest : AppendRequest {
  std::string code;
};
struct RuleRetireResult {
  AppendResult append;
};
Result<RuleRetireResult> RuleRetire(const Session& session, const RuleRetireRequest& request);
std::string RuleRetireJson(const RuleRetireResult& result);

// `rule list [--village V] [--at SEQ]`: rules in code order; with a village
// (unknown: not found, "--village"), those that apply there.
struct RuleListRequest {
  std::string village, at;
};
struct RuleListResult {
  std::vector<RuleRecord> rules;
  std::vector<std::string> names;  // each rule's display name, or ""
  // Each rule's category as people read it: its display name, else itself.
  std::vector<std::string> category_names;
};
Result<RuleListResult> RuleList(const Session& session, const RuleListRequest& request);
std::string RuleListJson(const RuleListResult& result);

// -------------------------------------------------------------- entries

// `award RESIDENT RULE [--points P] [--on DATE] [--note T] [--evidence H]`;
// a note is warned about.
struct AwardRequest : AppendRequest, AwardArgs {};
struct AwardResult {
  AppendResult append;
  std::vector<Msg> warnings;
};
Result<AwardResult> Award(const Session& session, const AwardRequest& request);
std::string AwardJson(const AwardResult& result);

// `deduct RESIDENT RULE …` or `deduct --household H RULE …` (exactly one of
// resident and household); a note is warned about.
struct DeductRequest : AppendRequest, DeductionArgs {};
struct DeductResult {
  AppendResult append;
  std::vector<Msg> warnings;
};
Result<DeductResult> Deduct(const Session& session, const DeductRequest& request);
std::string DeductJson(const DeductResult& result);

// `redeem RESIDENT --points P --item T [--shop S] [--qty Q]`; the item is
// warned about.
struct RedeemRequest : AppendRequest, RedemptionArgs {};
struct RedeemResult {
  AppendResult append;
  std::vector<Msg> warnings;
};
Result<RedeemResult> Redeem(const Session& session, const RedeemRequest& request);
std::string RedeemJson(const RedeemResult& result);

// `expire --village V --before DATE`
struct ExpireRequest : AppendRequest {
  std::string village, before;
};
struct ExpireResult {
  AppendResult append;
};
Result<ExpireResult> Expire(const Session& session, const ExpireRequest& request);
std::string ExpireJson(const ExpireResult& result);

// `reverse SEQ --reason R`; the reason is warned about.
struct ReverseRequest : AppendRequest {
  std::string seq, reason;
};
struct ReverseResult {
  AppendResult append;
  std::vector<Msg> warnings;
};
Result<ReverseResult> Reverse(const Session& session, const ReverseRequest& request);
std::string ReverseJson(const ReverseResult& result);

// `review [--approve SEQ …] [--reject SEQ:REASON …]`: at least one; every
// seq a points entry (else not found, "seq"), all of one village (else
// invalid input, "seq"). Rejection reasons are warned about.
struct ReviewRequest : AppendRequest {
  std::vector<std::string> approve, reject;
};
struct ReviewResult {
  AppendResult append;
  std::vector<Msg> warnings;
};
Result<ReviewResult> Review(const Session& session, const ReviewRequest& request);
std::string ReviewJson(const ReviewResult& result);

// -------------------------------------------------------------- queries

// A query's `--at SEQ` as typed: none when empty, else a seq (malformed:
// invalid input, "--at").
Result<std::optional<uint64_t>> ParseAtSeq(const std::string& at);

// One resident's points.
struct ResidentBalance {
  std::string resident;
  std::string village;  // set by `balance --all` only
  int64_t credit_score = 0, spendable_points = 0;
  std::string grade;  // the credit grade (grades.h); "" without one
  // The benefits the resident qualifies for (benefits.h), in code order.
  std::vector<BenefitRecord> benefits;
};

// A household's points: its credit score, and the spendable points of its
// residents summed.
struct HouseholdBalance {
  std::string household;
  int64_t credit_score = 0, spendable_points = 0;
  std::vector<std::string> residents;  // in id order
};

// `balance RESIDENT | --village V | --household H | --all [--at SEQ]`
// (exactly one; `balance --fund` is a funds query). Unknown resident,
// household or village: not found, naming "RESIDENT", "--household" or
// "--village".
struct BalanceRequest {
  std::string resident, village, household, at;
  bool all = false;
};
struct BalanceResult {
  enum class Scope { kResident, kHousehold, kVillage, kCounty };
  Scope scope = Scope::kResident;
  std::string village;                     // kVillage
  std::vector<ResidentBalance> residents;  // kResident (one), kVillage, kCounty
  HouseholdBalance household;              // kHousehold
};
Result<BalanceResult> Balance(const Session& session, const BalanceRequest& request);
std::string BalanceJson(const BalanceResult& result);
// The same JSON handed to `write` in pieces of about `piece_bytes` (a
// piece ends after a whole resident's row): a county's is some 80 bytes a
// resident, tens of megabytes that a command writing it out need not hold.
void WriteBalanceJson(const BalanceResult& result,
                      const std::function<void(std::string_view)>& write,
                      size_t piece_bytes = size_t{64} << 10);

// One row of a resident's history: what an event did to its points.
struct HistoryRow {
  // kEntry: an award or deduction; kOther: an event that touched the
  // resident otherwise (only seq, type and reversed_by are set).
  enum class Kind { kEntry, kRedemption, kExpiry, kReversal, kOther };
  Kind kind = Kind::kOther;
  uint64_t seq = 0;
  std::string type;    // the event's type name
  std::string date;    // the entry's date, else the recording date (CST)
  int64_t points = 0;  // kEntry: signed as recorded; kRedemption, kExpiry: taken (negative)
  // kEntry
  std::string rule, household, note;
  std::string rule_name;  // the rule's display name, else ""
  EntryStatus status = EntryStatus::kPending;
  // kRedemption
  std::string shop, item;
  std::string shop_name;  // the shop's display name, else ""
  uint32_t quantity = 0;
  // kExpiry
  std::string before;
  // kReversal
  uint64_t target = 0;
  std::string reason;
  std::optional<uint64_t> reversed_by;
};

// `history RESIDENT [--at SEQ]`: the balance, then the events touching the
// resident in log order.
struct HistoryRequest {
  std::string resident, at;
};
struct HistoryResult {
  ResidentBalance balance;
  std::vector<HistoryRow> rows;
};
Result<HistoryResult> History(const Session& session, const HistoryRequest& request);
std::string HistoryJson(const HistoryResult& result);

// `rank --village V --period PER [--households] [--at SEQ]`: the points
// earned in the period, ranked (ComputeRanking, the village's policy).
struct RankRequest {
  std::string village, period, at;
  bool households = false;
};
struct RankResult {
  std::string village, period;
  bool households = false;  // rows name households, else residents
  std::vector<RankRow> ranking;
  // Each row's credit grade on the state's day (grades.h), "" without one;
  // empty when the village has no grade policy in force.
  std::vector<std::string> grades;
};
Result<RankResult> Rank(const Session& session, const RankRequest& request);
std::string RankJson(const RankResult& result);

// `pending --village V [--at SEQ]`: entries waiting for review, in seq
// order.
struct PendingRequest {
  std::string village, at;
};
struct PendingResult {
  std::string village;
  std::vector<EntryRecord> pending;
};
Result<PendingResult> Pending(const Session& session, const PendingRequest& request);
std::string PendingJson(const PendingResult& result);

}  // namespace vledger::app
