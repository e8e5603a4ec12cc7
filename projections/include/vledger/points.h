// Credit points projections: rules, entries, balances, FIFO lots, per-period
// turnover and rankings (SPEC section 3). Rows live in a StateStore under
// these prefixes (u64be = 8-byte big-endian seq, so rows sort by seq):
//   rule/<code>                          RuleRecord
//   ent/<u64be seq>                      EntryRecord of a pointsAwarded/pointsDeducted
//   pend/<village>/<u64be seq>           (empty) entry waiting for review
//   capu/<rule>/<resident>/<period>      cap usage: points (magnitude) counted
//                                        against the rule's cap, pending included
//   pts/<resident>                       PointsBalance
//   hpts/<household>                     household credit score
//   turn/<village>/<period>/<resident>   net approved points in the period
//   hturn/<village>/<period>/<household> the same, rolled up by household
//   lot/<village>/<resident>/<date>/<u64be seq>  remaining spendable points
//                                        of one earned lot
//   expd/<u64be seq>/<resident>          points one pointsExpired took
//   rev/<u64be seq>                      seq of the eventReversed that undid it
//   hist/<resident>/<u64be seq>          (empty) events touching a resident
// Periods: each approved entry counts in its month (2021-07), quarter
// (2021Q3) and year (2021) of its occurred-on date. Rows whose amount
// falls to zero are deleted, so replay and live state stay byte-equal.
//
// Balances: the credit score is approved, unreversed awards minus
// deductions; spendable points are the same minus redemptions and
// expiries, always equal to the balance of account resident:<id> in "pt".
// When spendable >= 0 the lots sum to it; below zero (a debt left by a
// deduction) there are no lots, and later credits repay the debt first.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vledger/registry.h"
#include "vledger/state.h"
#include "vledger/status.h"
#include "vledger/store.h"

namespace vledger {

// Largest magnitude of one entry, redemption or rule amount. With at most
// ~10^9 events, sums of such amounts cannot overflow int64.
inline constexpr int64_t kEntryPointsMax = 1'000'000'000;
inline constexpr uint32_t kRedeemQuantityMax = 1'000'000;

// ---------------------------------------------------------------- rules

struct RuleRecord {
  std::string code, village, category, description;
  int64_t points = 0;
  bool has_range = false;
  int64_t min = 0, max = 0;
  int64_t cap = 0;          // 0: no cap
  std::string cap_period;   // month, quarter, year, or empty
  uint64_t seq = 0;
  std::optional<uint64_t> retired_seq;
};

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
  uint64_t review_seq = 0;  // the entriesReviewed that decided it, or 0
};

std::optional<EntryRecord> LoadEntry(StateStore& state, uint64_t seq);
void StoreEntry(StateStore& state, const EntryRecord& entry);

// Pending entries of a village, in seq order.
std::vector<uint64_t> ListPending(StateStore& state, std::string_view village);
void SetPending(StateStore& state, std::string_view village, uint64_t seq, bool pending);

// Cap usage of (rule, resident, period).
int64_t CapUsage(StateStore& state, std::string_view rule, std::string_view resident,
                 std::string_view period);
void AddCapUsage(StateStore& state, std::string_view rule, std::string_view resident,
                 std::string_view period, int64_t delta);

// ------------------------------------------------------------- balances

struct PointsBalance {
  int64_t credit_score = 0;
  int64_t spendable = 0;
  int64_t redeemed = 0;  // redemptions net of reversed ones
  int64_t expired = 0;   // expiries net of reversed ones
};

PointsBalance LoadBalance(StateStore& state, std::string_view resident);
void StoreBalance(StateStore& state, std::string_view resident, const PointsBalance& balance);

int64_t HouseholdScore(StateStore& state, std::string_view household);
void AddHouseholdScore(StateStore& state, std::string_view household, int64_t delta);

// ----------------------------------------------------------------- lots

struct Lot {
  std::string key;   // the row key
  std::string date;  // YYYY-MM-DD the points were earned
  uint64_t seq = 0;  // the event that created the lot
  int64_t remaining = 0;
};

// One resident's lots, oldest first (date, then seq).
std::vector<Lot> ListLots(StateStore& state, std::string_view village, std::string_view resident);
// Every lot of a village: (resident, lot), by resident then age.
std::vector<std::pair<std::string, Lot>> ListVillageLots(StateStore& state,
                                                         std::string_view village);
std::string LotKey(std::string_view village, std::string_view resident, std::string_view date,
                   uint64_t seq);
// Sets a lot's remaining points; 0 deletes it.
void PutLot(StateStore& state, const std::string& key, int64_t remaining);

// ------------------------------------------------------------- periods

// The month, quarter and year a date belongs to: {"2021-07","2021Q3","2021"}.
std::vector<std::string> PeriodsOf(std::string_view date);
// The period of `date` for a cap period (month, quarter or year).
std::string CapPeriodOf(std::string_view date, std::string_view cap_period);

// Net approved points of a resident in a period (0 when none).
int64_t PeriodPoints(StateStore& state, std::string_view village, std::string_view period,
                     std::string_view resident);
// Residents (households) with non-zero points in the period, in id order;
// negative totals are included (a dividend keeps only p > 0).
std::vector<std::pair<std::string, int64_t>> PeriodPointsList(StateStore& state,
                                                              std::string_view village,
                                                              std::string_view period);
std::vector<std::pair<std::string, int64_t>> HouseholdPeriodPointsList(StateStore& state,
                                                                       std::string_view village,
                                                                       std::string_view period);
// Adds `delta` to the resident's and the household's rows of every period
// the date belongs to.
void AddTurnover(StateStore& state, std::string_view village, std::string_view resident,
                 std::string_view household, std::string_view date, int64_t delta);

// ---------------------------------------------------- expiries, reversals

// What one pointsExpired took, by resident in id order.
std::vector<std::pair<std::string, int64_t>> ExpiredAmounts(StateStore& state, uint64_t seq);
void StoreExpiredAmount(StateStore& state, uint64_t seq, std::string_view resident,
                        int64_t amount);

// The eventReversed that undid `seq`, if any.
std::optional<uint64_t> ReversedBy(StateStore& state, uint64_t seq);
void StoreReversal(StateStore& state, uint64_t target, uint64_t reversal_seq);

// Per-resident index of events that touch the resident (history).
void AddHistory(StateStore& state, std::string_view resident, uint64_t seq);
std::vector<uint64_t> ListHistory(StateStore& state, std::string_view resident);

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

// ---------------------------------------------------------------- --at

// The projection rows just after event `seq` was applied. At the last
// event that is the stored projections (which `verify` proves equal to a
// replay); earlier, the log prefix 0..seq replayed into memory. Rejected
// when seq is past the log.
Result<std::unique_ptr<StateStore>> StateAt(const Ledger& ledger, uint64_t seq);

}  // namespace vledger
