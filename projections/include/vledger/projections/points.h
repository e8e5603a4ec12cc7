// Credit points projections: rules, entries, balances, lots, turnover by
// month, history and rankings (SPEC section 3).
//
// Most of it lives in the resident's entity (ResidentState, registry.h):
// both balances, the lots, the turnover, cap use and recent history. The
// rest (u64be = 8-byte big-endian seq, so rows sort by seq):
//   rule/<code>                       RuleRecord (an entity)
//   pend/<village>/<u64be seq>        (plain, empty) entry waiting for review
//   rej/<u64be seq>                   (plain) u64 seq of the review that rejected it
//   expd/<u64be seq>/<resident>       (plain) points one pointsExpired took
//   rev/<u64be seq>                   (plain) seq of the eventReversed that undid it
//   hist/<resident>/<u64be first>     (index) kHistoryChunk seqs of the resident's history
// An entry (pointsAwarded or pointsDeducted) is read back from the log;
// it is approved unless a pend/ or rej/ row says otherwise.
//
// Periods: an approved entry counts in the month of its occurred-on date;
// quarters and years add up their months. Turnover is kept by month and by
// the household the resident was in when the entry was made, so household
// rankings and scores are sums over the village's residents.
//
// Balances: the credit score is approved, unreversed awards minus
// deductions; spendable points are the same minus redemptions and
// expiries, always equal to the balance of account resident:<id> in "pt".
// When spendable >= 0 the lots sum to it; below zero (a debt left by a
// deduction) there are no lots, and later credits repay the debt first.
// A lot is the spendable points earned on one day: spending takes the
// oldest first, a reversed award takes back from its own day first, and
// an expiry takes the days before its cut-off.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/state.h"

namespace vledger {

// Largest magnitude of one entry, redemption or rule amount. With at most
// ~10^9 events, sums of such amounts cannot overflow int64.
inline constexpr int64_t kEntryPointsMax = 1'000'000'000;
inline constexpr uint32_t kRedeemQuantityMax = 1'000'000;
// Seqs a resident's entity keeps before they go to a history row.
inline constexpr size_t kHistoryChunk = 8;

// ---------------------------------------------------------------- rules

struct RuleRecord {
  std::string code, village, category, description;
  int64_t points = 0;
  bool has_range = false;
  int64_t min = 0, max = 0;
  int64_t cap = 0;                           // 0: no cap
  CapPeriod cap_period = CapPeriod::kMonth;  // when cap > 0 (the row stores "" without a cap)
  uint64_t seq = 0;
  std::optional<uint64_t> retired_seq;

  static constexpr int kTableId = 5;
  static constexpr std::string_view kPrefix = "rule/";
  std::string EncodeRow() const;
  static RuleRecord DecodeRow(std::string_view id, std::string_view row);
};

const RuleRecord* FindRule(StateStore& state, std::string_view code);
std::optional<RuleRecord> LoadRule(StateStore& state, std::string_view code);
void StoreRule(StateStore& state, const RuleRecord& rule);
// Rules in code order; with a village, those that apply there (its own and
// county-wide ones).
std::vector<RuleRecord> ListRules(StateStore& state, std::string_view village);

// -------------------------------------------------------------- entries

enum class EntryStatus : uint8_t { kPending = 0, kApproved = 1, kRejected = 2 };
const char* EntryStatusName(EntryStatus status);

struct EntryRecord {
  uint64_t seq = 0;
  bool deduction = false;
  std::string resident, household, village, rule;
  int64_t points = 0;  // signed, as recorded
  std::string occurred_on, key_id;
  EntryStatus status = EntryStatus::kPending;
};

// The entry at `seq`, read from the log; nullopt when that event is not a
// pointsAwarded or pointsDeducted (or cannot be read).
std::optional<EntryRecord> LoadEntry(StateStore& state, uint64_t seq);

// Pending entries of a village, in seq order.
std::vector<uint64_t> ListPending(StateStore& state, std::string_view village);
void SetPending(StateStore& state, std::string_view village, uint64_t seq, bool pending);
bool IsPending(StateStore& state, std::string_view village, uint64_t seq);
// Entries rejected at review.
void SetRejected(StateStore& state, uint64_t seq, uint64_t review_seq);
bool IsRejected(StateStore& state, uint64_t seq);

// Cap use of (rule, period) by the resident.
int64_t CapUsage(const ResidentState& r, std::string_view rule, std::string_view period);
void AddCapUsage(ResidentState& r, std::string_view rule, std::string_view period, int64_t delta);

// ------------------------------------------------------------- balances

PointsBalance LoadBalance(StateStore& state, std::string_view resident);
// Approved, unreversed points of entries made while the resident was in
// the household, over the household's village.
int64_t HouseholdScore(StateStore& state, std::string_view household);

// ----------------------------------------------------------------- lots

// The day number of a valid YYYY-MM-DD date (days since 0000-03-01, so
// never negative), and back.
uint32_t DayNumber(std::string_view date);
std::string DateOfDay(uint32_t day);

struct Lot {
  std::string date;  // YYYY-MM-DD the points were earned
  int64_t remaining = 0;
};
// A resident's lots, oldest first.
std::vector<Lot> ListLots(const ResidentState& r);
// Adds `amount` spendable points: a debt is repaid first, the rest joins
// the lot of `date`.
void CreditSpendable(ResidentState& r, int64_t amount, std::string_view date);
// Takes `amount` spendable points from the lots, oldest first (the lot of
// `first_date` before all others, when given). What the lots cannot cover
// becomes a debt: spendable goes below zero.
void DebitSpendable(ResidentState& r, int64_t amount, std::string_view first_date = {});
// Takes every lot earned before `before`; returns how many points they held.
int64_t ExpireLots(ResidentState& r, std::string_view before);

// ------------------------------------------------------------- periods

// Months since year 0: 12 * year + month - 1.
uint32_t MonthIndex(std::string_view date_or_month);
std::string MonthName(uint32_t month);  // "2021-07"
// The months [first, last] of a period (2021Q3, 2021-07, 2021).
std::pair<uint32_t, uint32_t> PeriodMonths(std::string_view period);
// The month, quarter and year a date belongs to: {"2021-07","2021Q3","2021"}.
std::vector<std::string> PeriodsOf(std::string_view date);
// The period of `date` for a cap period (month, quarter or year).
std::string CapPeriodOf(std::string_view date, CapPeriod cap_period);

// Adds `delta` to the resident's turnover of the date's month, under the
// household `household` (which the resident is or was in).
void AddTurnover(ResidentState& r, std::string_view household, std::string_view date,
                 int64_t delta);
// Net approved points of a resident in a period (0 when none).
int64_t PeriodPoints(const ResidentState& r, std::string_view period);
int64_t PeriodPoints(StateStore& state, std::string_view period, std::string_view resident);
// Residents (households) of a village with non-zero points in the period,
// in id order; negative totals are included (a dividend keeps only p > 0).
std::vector<std::pair<std::string, int64_t>> PeriodPointsList(StateStore& state,
                                                              std::string_view village,
                                                              std::string_view period);
std::vector<std::pair<std::string, int64_t>> HouseholdPeriodPointsList(StateStore& state,
                                                                       std::string_view village,
                                                                       std::string_view period);
// What a dividend divides: PeriodPointsList, without departed and deceased
// residents when `active_only` (as allowances skip them). Those left out
// with positive points, who would otherwise have had a share, go to
// `skipped` (id order) when given.
std::vector<std::pair<std::string, int64_t>> DividendPointsList(
    StateStore& state, std::string_view village, std::string_view period, bool active_only,
    std::vector<std::string>* skipped = nullptr);
// The village's use of each rule in the period: entries and points of
// approved, unreversed entries, by rule code.
std::vector<RuleMonthUse> RuleUseInPeriod(const VillageState& v, std::string_view period);
void AddRuleUse(VillageState& v, std::string_view date, std::string_view rule, int64_t entries,
                int64_t points);

// ---------------------------------------------------- expiries, reversals

// What one pointsExpired took, by resident in id order.
std::vector<std::pair<std::string, int64_t>> ExpiredAmounts(StateStore& state, uint64_t seq);
void StoreExpiredAmount(StateStore& state, uint64_t seq, std::string_view resident, int64_t amount);

// The eventReversed that undid `seq`, if any.
std::optional<uint64_t> ReversedBy(StateStore& state, uint64_t seq);
void StoreReversal(StateStore& state, uint64_t target, uint64_t reversal_seq);

// ---------------------------------------------------------------- history

// Records that the event at `seq` touches the resident.
void AddHistory(StateStore& state, ResidentState& r, uint64_t seq);
// Every event that touched the resident, in seq order.
std::vector<uint64_t> ListHistory(StateStore& state, std::string_view resident);
// The next link of a history chain: H(chain || value of the chunk row).
Hash ChainHistory(const Hash& chain, std::string_view chunk_value);
// The seqs of a history chunk row's value; nullopt when malformed.
std::optional<std::vector<uint64_t>> DecodeHistoryChunk(std::string_view value);
constexpr std::string_view kHistoryPrefix = "hist/";

// -------------------------------------------------------------- ranking

struct RankRow {
  uint64_t rank = 0;  // 1-based; ties share a rank (1, 2, 2, 4)
  std::string id;     // resident or household
  int64_t points = 0;
  uint32_t stars = 0;  // min(max_stars, points / star_points), 0 unless positive
  bool red_flag = false;
};

// Ranks (id, points) by points descending, ties by id bytes. Red flags go
// to rows with positive points whose rank is within the top
// ceil(n * share / 100), n the number of rows with positive points; rows
// tied at that boundary all get one.
std::vector<RankRow> ComputeRanking(std::vector<std::pair<std::string, int64_t>> points,
                                    const VillageRecord& policy);

}  // namespace vledger
