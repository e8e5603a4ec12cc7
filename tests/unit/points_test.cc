// Unit tests for the credit points projections (points.h) and their
// ApplyEvent handlers (apply_points.cc): FIFO lots and debts, expiry,
// review, caps, reversals, ranking, periods, and that a rejected event
// writes nothing.
#include "vledger/projections/points.h"

#include <gtest/gtest.h>

#include "points_harness.h"
#include "vledger/projections/accounts.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/names.h"
#include "vledger/projections/verify.h"

namespace vledger {
namespace {

using testing::TestLedger;

// One village V1 with households H1 (R1, R2; head R1) and H2 (R3), a
// collector, a reviewer, and rules AW (+5), RG (+1..10, cap 12 per month)
// and DD (-4).
class PointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t.Must("admin", VillageRegistered{"V1", "甲村"});
    t.Must("admin", VillageRegistered{"V2", "乙村"});
    t.AddKey("col", "collector", {"V1"});
    t.AddKey("col2", "collector", {"V2"});
    t.AddKey("rev", "reviewer", {"V1"});
    t.Must("col", HouseholdRegistered{"H1", "V1", testing::RefOf("H1")});
    t.Must("col", HouseholdRegistered{"H2", "V1", testing::RefOf("H2")});
    t.Must("col", ResidentRegistered{"R1", "V1", "H1", false, testing::RefOf("R1")});
    t.Must("col", ResidentRegistered{"R2", "V1", "H1", false, testing::RefOf("R2")});
    t.Must("col", ResidentRegistered{"R3", "V1", "H2", false, testing::RefOf("R3")});
    t.Must("col", HouseholdHeadSet{"H1", "R1"});
    t.Must("admin", RuleDefined{"AW", "", "孝老爱亲", "", 5, false, 0, 0, 0, ""});
    t.Must("admin", RuleDefined{"RG", "V1", "志愿服务", "", 2, true, 1, 10, 12, "month"});
    t.Must("admin", RuleDefined{"DD", "", "环境整治", "", -4, false, 0, 0, 0, ""});
  }

  static PointsAwarded Award(const std::string& resident, const std::string& rule, int64_t points,
                             const std::string& date) {
    PointsAwarded a;
    a.resident = resident;
    a.rule = rule;
    a.points = points;
    a.occurred_on = date;
    return a;
  }
  static PointsDeducted Deduct(const std::string& resident, const std::string& rule, int64_t points,
                               const std::string& date) {
    PointsDeducted d;
    d.resident = resident;
    d.rule = rule;
    d.points = points;
    d.occurred_on = date;
    return d;
  }

  PointsBalance Balance(const std::string& resident) {
    auto view = t.View();
    return LoadBalance(*view, resident);
  }
  std::vector<std::pair<std::string, int64_t>> Lots(const std::string& resident) {
    auto view = t.View();
    std::vector<std::pair<std::string, int64_t>> out;
    const ResidentState* r = FindResident(*view, resident);
    if (r == nullptr) return out;
    for (const Lot& lot : ListLots(*r)) out.emplace_back(lot.date, lot.remaining);
    return out;
  }
  int64_t Account(const std::string& account) {
    auto view = t.View();
    return AccountBalance(*view, kPointsUnit, account);
  }
  void Rejected(const std::string& who, EventBody body, const std::string& field) {
    Status st = t.Append(who, std::move(body));
    EXPECT_TRUE(st.is_refusal()) << st.message();
    EXPECT_NE(st.message().find(field), std::string::npos) << st.message();
    EXPECT_EQ(t.rejected_writes(), 0u);
  }
  void ExpectVerifies() {
    auto outcome = VerifyLedger(t.ledger());
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    EXPECT_TRUE(outcome->ok) << outcome->problem;
  }

  TestLedger t;
};

TEST_F(PointsTest, AwardCountsInScoreSpendableLotsAndPostings) {
  t.Must("col", Award("R1", "AW", 5, "2021-07-05"));
  EXPECT_EQ(Balance("R1").credit_score, 5);
  EXPECT_EQ(Balance("R1").spendable, 5);
  EXPECT_EQ(Account("resident:R1"), 5);
  EXPECT_EQ(Account("issued:V1"), -5);
  using Lots_ = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(Lots("R1"), (Lots_{{"2021-07-05", 5}}));
  auto view = t.View();
  EXPECT_EQ(PeriodPoints(*view, "2021-07", "R1"), 5);
  EXPECT_EQ(PeriodPoints(*view, "2021Q3", "R1"), 5);
  EXPECT_EQ(PeriodPoints(*view, "2021", "R1"), 5);
  EXPECT_EQ(PeriodPoints(*view, "2021Q2", "R1"), 0);
  EXPECT_EQ(HouseholdScore(*view, "H1"), 5);
  ExpectVerifies();
}

TEST_F(PointsTest, DeductionsConsumeOldestLotsThenLeaveADebtThatAwardsRepay) {
  t.Must("col", Award("R1", "AW", 5, "2021-07-05"));
  t.Must("col", Award("R1", "RG", 3, "2021-06-01"));  // older lot, recorded later
  t.Must("col", Deduct("R1", "DD", -4, "2021-08-01"));
  using Lots_ = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(Lots("R1"), (Lots_{{"2021-07-05", 4}}));
  t.Must("col", Deduct("R1", "DD", -4, "2021-08-02"));
  t.Must("col", Deduct("R1", "DD", -4, "2021-08-03"));
  EXPECT_EQ(Balance("R1").spendable, -4);
  EXPECT_EQ(Balance("R1").credit_score, -4);
  EXPECT_TRUE(Lots("R1").empty());
  t.Must("col", Award("R1", "RG", 7, "2021-08-04"));
  EXPECT_EQ(Balance("R1").spendable, 3);
  EXPECT_EQ(Lots("R1"), (Lots_{{"2021-08-04", 3}}));
  EXPECT_EQ(Account("resident:R1"), 3);
  ExpectVerifies();
}

// Dates of acts lie in 1970-2200 (a date before 1970 once gave a negative
// day number and stopped the process on an assertion); the earliest ones
// make ordinary lots.
TEST_F(PointsTest, DatesFrom1970MakeOrdinaryLotsEarlierOnesAreRefused) {
  Rejected("col", Award("R1", "RG", 3, "1900-01-01"), "date");
  Rejected("col", Award("R1", "RG", 3, "1969-12-31"), "date");
  t.Must("col", Award("R1", "AW", 5, "1972-02-29"));
  t.Must("col", Award("R1", "RG", 3, "1970-01-01"));
  using Lots_ = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(Lots("R1"), (Lots_{{"1970-01-01", 3}, {"1972-02-29", 5}}));
  t.Must("col", Deduct("R1", "DD", -4, "1973-01-01"));
  EXPECT_EQ(Lots("R1"), (Lots_{{"1972-02-29", 4}}));
  ExpectVerifies();
}

TEST_F(PointsTest, RedemptionNeverGoesBelowZero) {
  t.Must("col", Award("R1", "AW", 5, "2021-07-05"));
  Rejected("col", PointsRedeemed{"R1", "default", "盐", 1, 6}, "points");
  t.Must("col", PointsRedeemed{"R1", "S1", "盐", 2, 5});
  EXPECT_EQ(Balance("R1").spendable, 0);
  EXPECT_EQ(Balance("R1").credit_score, 5);
  EXPECT_EQ(Account("redeemed:V1:S1"), 5);
  Rejected("col", PointsRedeemed{"R1", "default", "盐", 1, 1}, "points");
  Rejected("col", PointsRedeemed{"R1", "default", "盐", 0, 1}, "quantity");
  Rejected("col2", PointsRedeemed{"R1", "default", "盐", 1, 1}, "village scope");
}

TEST_F(PointsTest, ExpiryTakesWhatRemainsOfLotsEarnedBeforeTheCutOff) {
  t.Must("col", Award("R1", "AW", 5, "2021-01-05"));
  t.Must("col", Award("R1", "RG", 6, "2021-03-01"));
  t.Must("col", Award("R2", "AW", 5, "2021-02-01"));
  t.Must("col", PointsRedeemed{"R1", "default", "油", 1, 7});  // 5 from Jan, 2 from Mar
  uint64_t expiry = t.size();
  t.Must("col", PointsExpired{"V1", "2021-03-02"});
  EXPECT_EQ(Balance("R1").spendable, 0);
  EXPECT_EQ(Balance("R1").expired, 4);
  EXPECT_EQ(Balance("R1").credit_score, 11);
  EXPECT_EQ(Balance("R2").spendable, 0);
  EXPECT_EQ(Account("expired:V1"), 9);
  auto view = t.View();
  EXPECT_EQ(ExpiredAmounts(*view, expiry),
            (std::vector<std::pair<std::string, int64_t>>{{"R1", 4}, {"R2", 5}}));
  Rejected("col", PointsExpired{"V1", "2021-10-01"}, "before");
  t.Must("col", EventReversed{expiry, "清零有误"});
  EXPECT_EQ(Balance("R1").spendable, 4);
  EXPECT_EQ(Balance("R2").spendable, 5);
  EXPECT_EQ(Account("expired:V1"), 0);
  ExpectVerifies();
}

TEST_F(PointsTest, PendingEntriesCountForNothingUntilApproved) {
  t.Must("admin", VillagePolicySet{"V1", true, 20, 5, 10, {}, {}, {}, {}, 0, 0, {}, {}});
  uint64_t a = t.size();
  t.Must("col", Award("R1", "RG", 10, "2021-07-05"));
  uint64_t b = t.size();
  t.Must("col", Award("R1", "RG", 2, "2021-07-06"));
  EXPECT_EQ(Balance("R1").credit_score, 0);
  {
    auto view = t.View();
    EXPECT_EQ(ListPending(*view, "V1"), (std::vector<uint64_t>{a, b}));
    EXPECT_EQ(PeriodPoints(*view, "2021-07", "R1"), 0);
  }
  // Pending entries hold their cap: 12 of 12 used in 2021-07.
  Rejected("col", Award("R1", "RG", 1, "2021-07-07"), "cap");
  Rejected("col", EntriesReviewed{"V1", {a}, {}}, "may not write");
  Rejected("rev", EntriesReviewed{"V1", {a, a}, {}}, "twice");
  Rejected("rev", EntriesReviewed{"V1", {}, {Rejection{b, ""}}}, "reason");
  t.Must("rev", EntriesReviewed{"V1", {a}, {Rejection{b, "证据不足"}}});
  EXPECT_EQ(Balance("R1").credit_score, 10);
  Rejected("rev", EntriesReviewed{"V1", {b}, {}}, "not pending");
  // The rejected 2 points no longer hold the cap.
  t.Must("admin", VillagePolicySet{"V1", false, 20, 5, 10, {}, {}, {}, {}, 0, 0, {}, {}});
  t.Must("col", Award("R1", "RG", 2, "2021-07-07"));
  EXPECT_EQ(Balance("R1").credit_score, 12);
  ExpectVerifies();
}

TEST_F(PointsTest, AnEntrysAuthorMayNotReviewIt) {
  t.Must("admin", VillagePolicySet{"V1", true, 20, 5, 10, {}, {}, {}, {}, 0, 0, {}, {}});
  uint64_t a = t.size();
  t.Must("admin", Award("R1", "AW", 5, "2021-07-05"));
  Rejected("admin", EntriesReviewed{"V1", {a}, {}}, "own author");
  t.Must("rev", EntriesReviewed{"V1", {a}, {}});
}

TEST_F(PointsTest, HouseholdDeductionIsBorneByTheHead) {
  PointsDeducted d = Deduct("R1", "DD", -4, "2021-07-05");
  d.household = "H1";
  t.Must("col", d);
  EXPECT_EQ(Balance("R1").credit_score, -4);
  d.resident = "R2";
  Rejected("col", d, "head");
  d.household = "H2";
  d.resident = "R3";
  Rejected("col", d, "no head");
  PointsAwarded a = Award("R1", "AW", 5, "2021-07-05");
  a.household = "H1";
  Rejected("col", a, "household");
}

TEST_F(PointsTest, RuleChecks) {
  Rejected("col", Award("R9", "AW", 5, "2021-07-05"), "resident");
  Rejected("col", Award("R1", "XX", 5, "2021-07-05"), "rule");
  Rejected("col", Award("R1", "AW", 6, "2021-07-05"), "fixed points 5");
  Rejected("col", Award("R1", "RG", 11, "2021-07-05"), "outside rule RG's range 1..10");
  Rejected("col", Award("R1", "DD", 4, "2021-07-05"), "deduction rule");
  Rejected("col", Deduct("R1", "AW", -5, "2021-07-05"), "award rule");
  Rejected("col", Award("R1", "AW", 5, "2021-02-30"), "date");
  Rejected("col", Award("R1", "AW", 5, "2021-10-01"), "date");
  t.Must("admin", RuleRetired{"AW"});
  Rejected("col", Award("R1", "AW", 5, "2021-07-05"), "retired");
  Rejected("admin", RuleRetired{"AW"}, "already retired");
  Rejected("col", RuleDefined{"C1", "V1", "孝老爱亲", "", 5, false, 0, 0, 0, ""}, "may not write");
  Rejected("admin", RuleDefined{"RG", "", "孝老爱亲", "", 5, false, 0, 0, 0, ""}, "exists");
  Rejected("admin", RuleDefined{"C2", "", "孝老爱亲", "", 5, false, 0, 0, 3, "month"}, "cap");
  Rejected("admin", RuleDefined{"C3", "", "孝老爱亲", "", 5, true, 1, 4, 0, ""}, "min");
  t.Must("admin", RuleDefined{"V2ONLY", "V2", "孝老爱亲", "", 5, false, 0, 0, 0, ""});
  Rejected("col", Award("R1", "V2ONLY", 5, "2021-07-05"), "village");
}

TEST_F(PointsTest, DisplayNamesAreCheckedAndTheVillagesOwnWins) {
  auto name = [](std::string kind, std::string code, std::string village, std::string text) {
    return DisplayNameSet{std::move(kind), std::move(code), std::move(village), std::move(text)};
  };
  Rejected("admin", name("rule", "AW", "", ""), "name: must not be empty");
  std::string long_name;
  for (int i = 0; i < 65; i++) long_name += "名";
  Rejected("admin", name("rule", "AW", "", long_name), "at most 64");
  Rejected("admin", name("rule", "AW", "", "敬老\x07"), "name");
  Rejected("admin", name("rule", "XX", "", "某规则"), "unknown rule");
  Rejected("admin", name("rule", "AW", "V1", "某规则"), "village");
  Rejected("admin", name("fund", "NOPE", "", "某基金"), "unknown fund");
  Rejected("admin", name("category", "nosuch", "", "某类"), "no rule has category");
  Rejected("admin", name("colour", "AW", "", "红"), "kind");
  Rejected("admin", name("shop", "S 1", "V1", "超市"), "code");
  Rejected("admin", name("shop", "S1", "V9", "超市"), "unknown village");
  Rejected("col", name("shop", "S1", "V1", "超市"),
           "(role collector) may not write displayNameSet");
  t.Must("admin", name("rule", "AW", "", "敬老"));
  t.Must("admin", name("shop", "S1", "", "县超市"));
  t.Must("admin", name("shop", "S1", "V1", "甲村超市"));
  auto view = t.View();
  EXPECT_EQ(DisplayName(*view, NameKind::kRule, "V2", "AW"), "敬老");
  EXPECT_EQ(DisplayName(*view, NameKind::kShop, "V1", "S1"), "甲村超市");
  EXPECT_EQ(DisplayName(*view, NameKind::kShop, "V2", "S1"), "县超市");
  EXPECT_EQ(DisplayName(*view, NameKind::kShop, "", "S1"), "县超市");
  EXPECT_EQ(DisplayName(*view, NameKind::kPurpose, "V1", "edu"), "");
  EXPECT_EQ(NameOrCode(*view, NameKind::kPurpose, "V1", "edu"), "edu");
  EXPECT_EQ(DisplayNames(*view, NameKind::kShop, "V1"),
            (std::map<std::string, std::string>{{"S1", "甲村超市"}}));
}

TEST_F(PointsTest, ReversalsUndoOnceAndNeverTakeSpendableBelowZero) {
  uint64_t a = t.size();
  t.Must("col", Award("R1", "AW", 5, "2021-07-05"));
  uint64_t d = t.size();
  t.Must("col", Deduct("R1", "DD", -4, "2021-07-06"));
  uint64_t r = t.size();
  t.Must("col", PointsRedeemed{"R1", "default", "油", 1, 1});
  EXPECT_EQ(Balance("R1").spendable, 0);
  Rejected("col", EventReversed{a, "错"}, "spendable");
  uint64_t rd = t.size();
  t.Must("col", EventReversed{d, "误记"});
  EXPECT_EQ(Balance("R1").credit_score, 5);
  EXPECT_EQ(Balance("R1").spendable, 4);
  Rejected("col", EventReversed{d, "again"}, "already reversed");
  Rejected("col", EventReversed{rd, "x"}, "moves no value");
  Rejected("col", EventReversed{0, "x"}, "moves no value");
  Rejected("col", EventReversed{t.size() + 5, "x"}, "target");
  Rejected("col2", EventReversed{r, "x"}, "village scope");
  t.Must("col", EventReversed{r, "退货"});
  t.Must("col", EventReversed{a, "错"});
  EXPECT_EQ(Balance("R1").credit_score, 0);
  EXPECT_EQ(Balance("R1").spendable, 0);
  auto view = t.View();
  EXPECT_EQ(PeriodPoints(*view, "2021-07", "R1"), 0);
  EXPECT_TRUE(PeriodPointsList(*view, "V1", "2021Q3").empty());
  EXPECT_EQ(ReversedBy(*view, d), rd);
  ExpectVerifies();
}

// A village's lists of ids (SmallBytes, in place up to 15 bytes) stay in
// byte order whatever order the ids come in, short and long alike, and
// rebuild to the same rows.
TEST_F(PointsTest, AVillagesIdsAreKeptInByteOrder) {
  const std::string long_id = "R-0123456789-abcdefghij";  // 23 bytes: on the heap
  for (const std::string id : {"R9", "R10", long_id.c_str(), "R0", "R-", "R99999999999999"}) {
    t.Must("col", ResidentRegistered{id, "V1", "H2", false, testing::RefOf(id)});
  }
  t.Must("col",
         HouseholdRegistered{"H0-with-a-long-id", "V1", testing::RefOf("H0-with-a-long-id")});
  auto view = t.View();
  std::vector<std::string> residents, households;
  for (const ResidentRecord& r : ListResidents(*view, "V1")) residents.emplace_back(r.id);
  for (const HouseholdRecord& h : ListHouseholds(*view, "V1")) households.emplace_back(h.id);
  EXPECT_EQ(residents, (std::vector<std::string>{"R-", long_id, "R0", "R1", "R10", "R2", "R3", "R9",
                                                 "R99999999999999"}));
  EXPECT_EQ(households, (std::vector<std::string>{"H0-with-a-long-id", "H1", "H2"}));
  ExpectVerifies();  // the village's row as a rebuild writes it
}

// Turnover is kept by the index of the household an entry was counted
// in: a household the resident's row never had (a damaged row) is
// refused as a damaged row, naming it, whether or not the resident moved.
TEST(PointsTurnover, AHouseholdTheResidentNeverHadIsADamagedRow) {
  ResidentState r;
  r.rec.id = "R1";
  r.rec.household = "H1";
  AddTurnover(r, "H1", "2021-05-01", 5);
  EXPECT_EQ(PeriodPoints(r, "2021"), 5);
  for (bool moved : {false, true}) {
    if (moved) r.rare.mut().households = {{"H1", 1}, {"H2", 7}};
    try {
      AddTurnover(r, "H9", "2021-05-02", 5);
      ADD_FAILURE() << "no error, moved " << moved;
    } catch (const RowReadError& e) {
      EXPECT_NE(e.status().message().find("res/R1"), std::string::npos) << e.status().message();
    }
  }
  AddTurnover(r, "H2", "2021-06-01", 2);
  EXPECT_EQ(PeriodPoints(r, "2021"), 7);
}

TEST(PointsRanking, TiesShareARankAndTheRedFlagShare) {
  VillageRecord policy;
  policy.star_points = 5;
  policy.max_stars = 3;
  policy.red_flag_share_pct = 10;
  auto rows = ComputeRanking({{"R3", 13}, {"R1", 13}, {"R2", 30}, {"R4", 0}, {"R5", -2}, {"R6", 5}},
                             policy);
  std::vector<std::tuple<uint64_t, std::string, int64_t, uint32_t, bool>> got;
  for (const auto& r : rows) got.emplace_back(r.rank, r.id, r.points, r.stars, r.red_flag);
  using Row = std::tuple<uint64_t, std::string, int64_t, uint32_t, bool>;
  EXPECT_EQ(got, (std::vector<Row>{{1, "R2", 30, 3, true},
                                   {2, "R1", 13, 2, false},
                                   {2, "R3", 13, 2, false},
                                   {4, "R6", 5, 1, false},
                                   {5, "R4", 0, 0, false},
                                   {6, "R5", -2, 0, false}}));
  policy.red_flag_share_pct = 40;  // ceil(4 * 0.4) = 2: R1 and R3 tie at rank 2
  rows = ComputeRanking({{"R3", 13}, {"R1", 13}, {"R2", 30}, {"R6", 5}}, policy);
  EXPECT_TRUE(rows[1].red_flag && rows[2].red_flag);
  EXPECT_FALSE(rows[3].red_flag);
  policy.red_flag_share_pct = 0;
  rows = ComputeRanking({{"R1", 13}}, policy);
  EXPECT_FALSE(rows[0].red_flag);
}

TEST(PointsLots, DayNumbersRoundTripAndKeepDateOrder) {
  EXPECT_EQ(DayNumber("1970-01-01"), 719468u);
  EXPECT_LT(DayNumber("1900-01-01"), DayNumber("1969-12-31"));
  EXPECT_EQ(DayNumber("2000-03-01") - DayNumber("2000-02-28"), 2u);  // 2000 is a leap year
  EXPECT_EQ(DayNumber("1900-03-01") - DayNumber("1900-02-28"), 1u);  // 1900 is not
  for (const char* date : {"1900-01-01", "1969-12-31", "1970-01-01", "2024-02-29", "9999-12-31"}) {
    EXPECT_EQ(DateOfDay(DayNumber(date)), date);
  }
}

TEST(PointsPeriods, DatesBelongToTheirMonthQuarterAndYear) {
  EXPECT_EQ(PeriodsOf("2021-07-31"), (std::vector<std::string>{"2021-07", "2021Q3", "2021"}));
  EXPECT_EQ(PeriodsOf("2021-12-01"), (std::vector<std::string>{"2021-12", "2021Q4", "2021"}));
  EXPECT_EQ(CapPeriodOf("2021-04-01", CapPeriod::kQuarter), "2021Q2");
  EXPECT_EQ(CapPeriodOf("2021-04-01", CapPeriod::kMonth), "2021-04");
  EXPECT_EQ(CapPeriodOf("2021-04-01", CapPeriod::kYear), "2021");
}

// A dividend skips departed and deceased residents (their points are not
// in P) when its dividendDeclared says activeOnly, as every one vledger
// writes now does; one recorded before that field existed reads false and
// still pays them, so ledgers written before keep verifying.
TEST_F(PointsTest, DividendSkipsDepartedAndDeceasedResidentsWhenActiveOnly) {
  auto paid = [](const std::string& to, int64_t fen) {
    FundDisbursed d;
    d.fund = "CF";
    d.to_resident = to;
    d.amount_fen = fen;
    d.period = "2021Q3";
    return d;
  };
  t.Must("admin", FundOpened{"CF", "信用基金", "credit", "V1", "none"});
  DonationReceived gift;
  gift.fund = "CF";
  gift.anonymous = true;
  gift.amount_fen = 1000;
  gift.receipt = "CF-1";
  t.Must("admin", gift);
  t.Must("col", Award("R1", "AW", 5, "2021-07-05"));
  t.Must("col", Award("R2", "AW", 5, "2021-07-06"));
  t.Must("col", Award("R3", "AW", 5, "2021-07-07"));
  t.Must("col", ResidentUpdated{"R3", "", "deceased", "", false, false});
  {
    auto view = t.View();
    std::vector<std::string> skipped;
    auto list = DividendPointsList(*view, "V1", "2021Q3", true, &skipped);
    EXPECT_EQ(list, (std::vector<std::pair<std::string, int64_t>>{{"R1", 5}, {"R2", 5}}));
    EXPECT_EQ(skipped, std::vector<std::string>{"R3"});
    EXPECT_EQ(DividendPointsList(*view, "V1", "2021Q3", false).size(), 3u);
  }

  // activeOnly: 300 fen over R1 and R2 (P = 10), nothing for R3.
  const uint64_t first = t.size();
  t.Must("admin", DividendDeclared{"CF", "V1", "2021Q3", 300, true});
  Rejected("admin", paid("R3", 100), "dividend");
  t.Must("admin", paid("R1", 150));
  t.Must("admin", paid("R2", 150));

  // Without it (a dividend recorded before the field): R3 is paid as well.
  const uint64_t second = t.size();
  t.Must("admin", DividendDeclared{"CF", "V1", "2021Q3", 300, false});
  t.Must("admin", paid("R1", 100));
  t.Must("admin", paid("R2", 100));
  t.Must("admin", paid("R3", 100));

  // What makes a third one a repeat: an unreversed one of the same fund,
  // village and period.
  EXPECT_EQ(UnreversedDividend(*t.View(), "CF", "V1", "2021Q3", 0), first);
  EXPECT_EQ(UnreversedDividend(*t.View(), "CF", "V1", "2021Q3", first), second);
  EXPECT_EQ(UnreversedDividend(*t.View(), "CF", "V1", "2021-07", 0), std::nullopt);
  t.Must("admin", EventReversed{first, "重复发放"});
  EXPECT_EQ(UnreversedDividend(*t.View(), "CF", "V1", "2021Q3", 0), second);

  // With every resident of the period gone, activeOnly is a rejection.
  t.Must("col", ResidentUpdated{"R1", "", "departed", "", false, false});
  t.Must("col", ResidentUpdated{"R2", "", "deceased", "", false, false});
  Rejected("admin", DividendDeclared{"CF", "V1", "2021Q3", 100, true}, "period");
  ExpectVerifies();
}

}  // namespace
}  // namespace vledger
