// `log` filters and `summary` of the application layer (app/log.h), and
// the summaries an append answers with (app/append.h, AppendResult::recorded).
#include <gtest/gtest.h>

#include "app_fixture.h"
#include "vledger/app/funds.h"
#include "vledger/app/log.h"
#include "vledger/app/points.h"

namespace vledger {
namespace {

using testing::AppLedger;

// A village with two residents, two rules, and a collector's entries over
// two months; one award reversed.
class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l_.Vl("village add V1 --name 曲家村");
    l_.Vl("village add V2 --name 乙村");
    l_.Vl("rule add VOL --category 志愿服务 --points 3 --desc 义务理发");
    l_.Vl("rule add ENV --category 环境整治 --points=-2");
    l_.Vl("household add H1 --village V1 --head 曲建国");
    l_.Vl("household add H2 --village V2 --head 李大山");
    l_.Vl("resident add R1 --village V1 --household H1 --name 曲建国 --adult");
    l_.Vl("resident add R2 --village V2 --household H2 --name 李大山 --adult");
    l_.Vl("award R1 VOL --on 2021-09-01 --note 第一次");
    l_.Vl("award R1 VOL --on 2021-09-02");
    l_.Vl("award R2 VOL --on 2021-08-31");
    l_.Vl("deduct R2 ENV --on 2021-09-03");
    l_.Vl("reverse 10 --reason 重复");
  }

  app::LogResult LogOf(const app::LogRequest& request) {
    auto r = app::Log(l_.AdminSession(), request);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : app::LogResult{};
  }

  AppLedger l_;
};

TEST_F(LogTest, KindTakesTypeNamesAndAliases) {
  app::LogRequest request;
  request.kind = "award";
  EXPECT_EQ(LogOf(request).events.size(), 3u);
  request.kind = "pointsDeducted";
  ASSERT_EQ(LogOf(request).events.size(), 1u);
  EXPECT_EQ(LogOf(request).events[0].summary.points, -2);
  request.kind = "awards";
  auto bad = app::Log(l_.AdminSession(), request);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "--kind");
}

TEST_F(LogTest, FiltersCombine) {
  app::LogRequest request;
  request.resident = "R1";
  request.village = "V1";
  request.kind = "reverse";
  auto r = LogOf(request);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].summary.target, 10u);
  EXPECT_EQ(r.events[0].summary.target_type, "pointsAwarded");
  EXPECT_EQ(r.events[0].summary.points, -3);
  request.kind.clear();
  request.village = "V2";
  EXPECT_TRUE(LogOf(request).events.empty());
}

TEST_F(LogTest, VillageAndDates) {
  app::LogRequest request;
  request.village = "V2";
  std::vector<std::string> types;
  for (const auto& e : LogOf(request).events) types.push_back(e.type);
  EXPECT_EQ(types,
            (std::vector<std::string>{"villageRegistered", "householdRegistered",
                                      "residentRegistered", "pointsAwarded", "pointsDeducted"}));
  request = {};
  request.since = "2021-10-01";
  EXPECT_TRUE(LogOf(request).events.empty());
  request = {};
  request.today = true;
  EXPECT_EQ(LogOf(request).events.size(), 14u);  // every event was recorded today
}

TEST_F(LogTest, ByMeIsTheSessionKey) {
  app::LogRequest request;
  request.by = "me";
  EXPECT_EQ(LogOf(request).events.size(), 14u);
  app::SessionOptions o;
  o.ledger_dir = l_.ledger();
  o.fixed_now = AppLedger::kNow;
  auto r = app::Log(app::Session(o), request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "--by");
}

TEST_F(LogTest, NamesOnlyForAKeyThatMaySeeThem) {
  app::LogRequest request;
  request.resident = "R1";
  request.kind = "award";
  auto with_key = LogOf(request);
  ASSERT_FALSE(with_key.events.empty());
  EXPECT_EQ(with_key.events[0].summary.resident_name, "曲建国");
  EXPECT_EQ(with_key.events[0].summary.rule_name, "义务理发");
  EXPECT_EQ(with_key.events[0].summary.note, "第一次");
  app::SessionOptions o;
  o.ledger_dir = l_.ledger();
  o.fixed_now = AppLedger::kNow;
  auto without = app::Log(app::Session(o), request);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->events[0].summary.resident, "R1");
  EXPECT_EQ(without->events[0].summary.resident_name, "");
}

TEST_F(LogTest, SummaryCountsByActDateWithReversalsApart) {
  app::SummaryRequest request;
  request.month = "2021-09";
  auto r = app::Summary(l_.AdminSession(), request);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->total.awards.count, 1);
  EXPECT_EQ(r->total.awards.points, 3);
  EXPECT_EQ(r->total.deductions.count, 1);
  EXPECT_EQ(r->total.deductions.points, -2);
  EXPECT_EQ(r->total.reversed.count, 1);
  EXPECT_EQ(r->total.reversed.points, 3);
  ASSERT_EQ(r->collectors.size(), 1u);
  EXPECT_EQ(r->collectors[0].role, "admin");
  ASSERT_EQ(r->categories.size(), 2u);
  EXPECT_EQ(r->categories[0].category, "志愿服务");  // in byte order
  EXPECT_EQ(r->categories[0].reversed.count, 1);
  EXPECT_EQ(r->categories[1].category, "环境整治");
  EXPECT_EQ(r->categories[1].deductions.points, -2);
  request.village = "V2";
  r = app::Summary(l_.AdminSession(), request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total.awards.count, 0);
  EXPECT_EQ(r->total.deductions.count, 1);
  request.month = "2021-08";
  r = app::Summary(l_.AdminSession(), request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total.awards.points, 3);
  request.month = "2021-8";
  EXPECT_EQ(app::Summary(l_.AdminSession(), request).status().field(), "--month");
}

TEST_F(LogTest, AnAwardAnswersWithWhatItRecorded) {
  app::AwardRequest request;
  request.resident = "R1";
  request.rule = "VOL";
  request.on = "2021-09-05";
  auto r = app::Award(l_.AdminSession(), request);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->append.recorded.size(), 1u);
  const app::EventSummary& s = r->append.recorded[0];
  EXPECT_EQ(s.type, "pointsAwarded");
  EXPECT_EQ(s.resident_name, "曲建国");
  EXPECT_EQ(s.category, "志愿服务");
  EXPECT_EQ(s.points, 3);
  EXPECT_EQ(s.credit_score, 6);  // 3, the reversed 3 not counted, and 3 now
  EXPECT_EQ(s.spendable_points, 6);
}

// A dividend to more residents than an answer summarises: the first
// kRecordedSummariesMax events, the fund's balance after the whole commit.
TEST(RecordedTest, AnAppendSummarisesAtMostRecordedSummariesMax) {
  AppLedger l;
  l.Vl("village add V1 --name 曲家村");
  l.Vl("rule add VOL --category 志愿服务 --points 3");
  l.Vl("household add H1 --village V1 --head 曲建国");
  for (int i = 1; i <= 9; i++) {
    std::string id = "R" + std::to_string(i);
    l.Vl("resident add " + id + " --village V1 --household H1 --name 村民" + std::to_string(i) +
         " --adult");
    l.Vl("award " + id + " VOL --on 2021-09-01");
  }
  l.Vl("fund open CF --name 信用基金 --kind credit --village V1");
  l.Vl("donate CF --amount 1000 --donor-org 公司");
  app::DividendRequest request;
  request.fund = "CF";
  request.village = "V1";
  request.period = "2021-09";
  request.amount = "900";
  auto r = app::Dividend(l.AdminSession(), request);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(*r->append.last - *r->append.first + 1, 10u);  // the declaration and 9 payments
  ASSERT_EQ(r->append.recorded.size(), app::kRecordedSummariesMax);
  EXPECT_EQ(r->append.recorded[0].type, "dividendDeclared");
  EXPECT_EQ(r->append.recorded[1].type, "fundDisbursed");
  EXPECT_EQ(r->append.recorded[1].resident, "R1");
  EXPECT_EQ(r->append.recorded[1].amount_fen, 10000);
  EXPECT_EQ(r->append.recorded[0].fund_balance_fen, 10000);  // 1000 yuan less 900
}

}  // namespace
}  // namespace vledger
