// The fund commands of the application layer (app/funds.h): statement
// accounting, first-in-first-out attribution of restricted gifts, which
// allowances are due, dividend allocation, and their refusals.
#include <gtest/gtest.h>

#include <algorithm>

#include "app_fixture.h"
#include "vledger/app/funds.h"
#include "vledger/projections/state.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

using testing::AppLedger;

constexpr const char* kOctober = "2021-10-10T02:00:00Z";
constexpr const char* kDecember = "2021-12-01T02:00:00Z";

class FundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V01 --name 曲家村");
    l.Vl("household add H001 --village V01 --head 曲建国");
    l.Vl("household add H002 --village V01 --head 曲建军");
    l.Vl("resident add R001 --village V01 --household H001 --name 曲建国 --adult");
    l.Vl("resident add R002 --village V01 --household H002 --name 曲建军 --adult");
    l.Vl("resident add R003 --village V01 --household H002 --name 曲小雨 --minor");
    l.Vl("resident add R004 --village V01 --household H001 --name 曲建民 --adult");
    l.Vl("fund open CF --name 信用基金 --kind credit --village V01");
    l.Vl("fund open CH --name 关爱基金 --kind charity --village V01 --list-beneficiaries full");
  }

  // Runs a command at `now` (after the fixture's clock), expecting exit 0.
  void VlAt(const std::string& now, const std::string& args) {
    ASSERT_EQ(l.Run(args, true, now), 0) << "vledger " << args;
  }

  // The allowances due in `month` for fund CH, by seq.
  std::vector<uint64_t> DueSeqs(const std::string& month, std::vector<Msg>* warnings = nullptr) {
    auto ledger = l.AdminSession().OpenReader();
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    auto state = StoredState(**ledger);
    EXPECT_TRUE(state.ok()) << state.status().message();
    auto due = app::DueAllowances(**state, "", month, "CH", warnings);
    EXPECT_TRUE(due.ok()) << due.status().message();
    std::vector<uint64_t> out;
    for (const app::DueAllowance& a : *due) {
      out.push_back(a.seq);
    }
    return out;
  }

  AppLedger l;
};

// ------------------------------------------------------------ statement

TEST_F(FundsTest, StatementAccountsIncomePaymentsAndBalancesByPeriod) {
  l.Vl("donate CH --amount 500 --donor 张三 --public-name --purpose edu");
  l.Vl("donate CH --amount 200 --donor 李四");  // no consent: 爱心人士
  l.Vl("donate CH --amount 50 --anonymous");
  VlAt(kOctober, "disburse CH --to R001 --amount 300 --purpose edu --period 2021-10");
  VlAt(kOctober, "donate CH --amount 100 --donor-org 某公司");
  VlAt(kOctober, "disburse CH --to R003 --amount 10");
  app::Session s = l.AdminSession(kDecember);

  auto q3 = app::Statement(s, {"CH", "2021Q3"});
  ASSERT_TRUE(q3.ok()) << q3.status().message();
  EXPECT_EQ(q3->opening_fen, 0);
  ASSERT_EQ(q3->income.size(), 2u);
  EXPECT_EQ(q3->income[0].donor, "张三");
  EXPECT_EQ(q3->income[0].amount_fen, 50000);
  EXPECT_EQ(q3->income[1].donor, "爱心人士");
  EXPECT_EQ(q3->income[1].amount_fen, 25000);
  EXPECT_TRUE(q3->payments.empty());
  EXPECT_EQ(q3->donations.size(), 3u);
  EXPECT_EQ(q3->closing_fen, 75000);

  auto q4 = app::Statement(s, {"CH", "2021Q4"});
  ASSERT_TRUE(q4.ok()) << q4.status().message();
  EXPECT_EQ(q4->opening_fen, q3->closing_fen);
  ASSERT_EQ(q4->income.size(), 1u);
  EXPECT_EQ(q4->income[0].donor, "某公司");
  ASSERT_EQ(q4->payments.size(), 2u);  // by purpose: unrestricted first
  EXPECT_EQ(q4->payments[0].purpose, "");
  EXPECT_EQ(q4->payments[0].amount_fen, 1000);
  EXPECT_EQ(q4->payments[1].purpose, "edu");
  EXPECT_EQ(q4->payments[1].count, 1);
  EXPECT_EQ(q4->payments[1].amount_fen, 30000);
  EXPECT_EQ(q4->closing_fen, 75000 + 10000 - 30000 - 1000);
  ASSERT_EQ(q4->payment_list.size(), 2u);
  EXPECT_EQ(q4->payment_list[0].to, "曲建国");     // the fund lists in full
  EXPECT_EQ(q4->payment_list[1].to, "(a minor)");  // never a minor's name
  EXPECT_FALSE(q4->payment_list[0].advance);

  // A month of the quarter: the same October movements.
  auto october = app::Statement(s, {"CH", "2021-10"});
  ASSERT_TRUE(october.ok());
  EXPECT_EQ(october->closing_fen, q4->closing_fen);
  auto november = app::Statement(s, {"CH", "2021-11"});
  ASSERT_TRUE(november.ok());
  EXPECT_EQ(november->opening_fen, november->closing_fen);
  EXPECT_TRUE(november->income.empty());

  EXPECT_NE(app::StatementJson(*q4).find("\"closingFen\":54000"), std::string::npos);
}

TEST_F(FundsTest, StatementForListsPaymentsByThePeriodTheyPayFor) {
  l.Vl("donate CH --amount 1000");
  l.Vl("allowance add CH --to R001 --amount 100 --from 2021-09");
  // October's allowance, paid on 30 September in advance.
  auto run = app::AllowanceRun(l.AdminSession(), {{"", "run-oct"}, "2021-10", "", true});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_TRUE(run->in_advance);
  l.Vl("disburse CH --to R002 --amount 5");  // no period: by its date

  auto october = app::StatementFor(l.AdminSession(), {"CH", "2021-10"});
  ASSERT_TRUE(october.ok()) << october.status().message();
  ASSERT_EQ(october->payments.size(), 1u);
  EXPECT_EQ(october->payments[0].for_period, "2021-10");
  EXPECT_EQ(october->payments[0].date, "2021-09-30");
  EXPECT_TRUE(october->payments[0].advance);
  EXPECT_EQ(october->total_fen, 10000);
  auto september = app::StatementFor(l.AdminSession(), {"CH", "2021-09"});
  ASSERT_TRUE(september.ok());
  ASSERT_EQ(september->payments.size(), 1u);
  EXPECT_EQ(september->payments[0].amount_fen, 500);
  EXPECT_EQ(september->payments[0].for_period, "");
}

TEST(PeriodStart, IsTheFirstDayOfThePeriod) {
  EXPECT_EQ(PeriodStart("2021"), "2021-01-01");
  EXPECT_EQ(PeriodStart("2021-07"), "2021-07-01");
  EXPECT_EQ(PeriodStart("2021Q1"), "2021-01-01");
  EXPECT_EQ(PeriodStart("2021Q3"), "2021-07-01");
  EXPECT_EQ(PeriodStart("2021Q4"), "2021-10-01");
}

TEST_F(FundsTest, BalanceListsEveryPurposeThenUnrestrictedMoney) {
  l.Vl("donate CH --amount 500 --purpose edu");
  l.Vl("donate CH --amount 200");
  l.Vl("disburse CH --to R001 --amount 500 --purpose edu");
  auto r = app::FundBalance(l.AdminSession(), {"CH", std::nullopt});
  ASSERT_TRUE(r.ok()) << r.status().message();
  // A purpose spent to zero is still listed.
  EXPECT_EQ(app::FundBalanceJson(*r),
            R"({"fund":"CH","balanceFen":20000,"purposes":{"edu":0,"":20000}})");
}

// ---------------------------------------------------------------- donor

TEST_F(FundsTest, RestrictedGiftsAreSpentFirstInFirstOut) {
  l.Vl("donate CH --amount 100 --donor 王五 --purpose edu");
  l.Vl("donate CH --amount 100 --donor 王五 --purpose edu");
  l.Vl("disburse CH --to R001 --amount 150 --purpose edu");
  l.Vl("disburse CH --to R003 --amount 30 --purpose edu");
  l.Vl("donate CH --amount 7 --donor 王五");

  auto r = app::Donor(l.AdminSession(), {"王五"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->gifts.size(), 3u);
  const app::DonorGift& first = r->gifts[0];
  const app::DonorGift& second = r->gifts[1];
  ASSERT_EQ(first.uses.size(), 1u);  // the oldest gift is spent first
  EXPECT_EQ(first.uses[0].amount_fen, 10000);
  EXPECT_EQ(first.uses[0].to, "R001");
  EXPECT_EQ(first.unspent_fen, 0);
  ASSERT_EQ(second.uses.size(), 2u);
  EXPECT_EQ(second.uses[0].amount_fen, 5000);  // the rest of the first payment
  EXPECT_EQ(second.uses[1].amount_fen, 3000);
  EXPECT_FALSE(second.uses[1].to.has_value());  // a minor, not even by id
  EXPECT_EQ(second.unspent_fen, 2000);
  EXPECT_TRUE(r->gifts[2].uses.empty());  // unrestricted: not attributed
  EXPECT_EQ(r->gifts[2].unspent_fen, 0);
}

// ----------------------------------------------------------- allowances

TEST_F(FundsTest, AllowancesAreDueInTheirMonthsUntilPaidOrStopped) {
  l.Vl("donate CH --amount 1000");
  l.Vl("allowance add CH --to R001 --amount 10 --from 2021-07 --until 2021-08");
  l.Vl("allowance add CH --to H002 --amount 20 --from 2021-08");
  auto list = app::AllowanceList(l.AdminSession(), {"CH"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->allowances.size(), 2u);
  uint64_t a1 = list->allowances[0].seq, a2 = list->allowances[1].seq;

  EXPECT_EQ(DueSeqs("2021-06"), std::vector<uint64_t>{});
  EXPECT_EQ(DueSeqs("2021-07"), std::vector<uint64_t>{a1});
  EXPECT_EQ(DueSeqs("2021-08"), (std::vector<uint64_t>{a1, a2}));
  EXPECT_EQ(DueSeqs("2021-09"), std::vector<uint64_t>{a2});

  auto run = app::AllowanceRun(l.AdminSession(), {{}, "2021-08", "", false});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_FALSE(run->in_advance);
  ASSERT_EQ(run->payments.size(), 2u);
  // The result document lists them by payee.
  EXPECT_NE(app::AllowanceRunJson(*run).find("\"payments\":[{\"to\":\"H002\",\"amountFen\":2000},"
                                             "{\"to\":\"R001\",\"amountFen\":1000}]"),
            std::string::npos);
  EXPECT_EQ(DueSeqs("2021-08"), std::vector<uint64_t>{});  // paid once

  l.Vl("allowance stop " + std::to_string(a2));
  EXPECT_EQ(DueSeqs("2021-09"), std::vector<uint64_t>{});
}

TEST_F(FundsTest, AllowanceRunPaysALaterMonthOnlyInAdvance) {
  l.Vl("donate CH --amount 1000");
  l.Vl("allowance add CH --to R001 --amount 10 --from 2021-09");
  auto refused = app::AllowanceRun(l.AdminSession(), {{}, "2021-10", "", false});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(refused.status().field(), "--month");
  EXPECT_NE(refused.status().message().find("after the current month 2021-09"), std::string::npos);

  auto ahead = app::AllowanceRun(l.AdminSession(), {{"", "x"}, "2021-10", "", true});
  ASSERT_TRUE(ahead.ok()) << ahead.status().message();
  EXPECT_TRUE(ahead->in_advance);
  ASSERT_EQ(ahead->payments.size(), 1u);
  // The clock's own month needs no --advance.
  auto now = app::AllowanceRun(l.AdminSession(), {{}, "2021-09", "", false});
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_EQ(now->payments.size(), 1u);
}

TEST_F(FundsTest, AllowancesOfResidentsNoLongerActiveAreLeftOutWithAWarning) {
  l.Vl("donate CH --amount 1000");
  l.Vl("allowance add CH --to R004 --amount 10 --from 2021-09");
  l.Vl("allowance add CH --to R001 --amount 10 --from 2021-09");
  l.Vl("resident update R004 --status departed");
  std::vector<Msg> warnings;
  EXPECT_EQ(DueSeqs("2021-09", &warnings).size(), 1u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].English().find("resident R004 is departed"), std::string::npos);

  auto run = app::AllowanceRun(l.AdminSession(), {{}, "2021-09", "CH", false});
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_EQ(run->payments.size(), 1u);
  EXPECT_EQ(run->payments[0].to, "R001");
  EXPECT_EQ(run->warnings.size(), 1u);
}

TEST_F(FundsTest, AFundThatCannotCoverItsAllowancesPaysNone) {
  l.Vl("donate CH --amount 15");
  l.Vl("allowance add CH --to R001 --amount 10 --from 2021-09");
  l.Vl("allowance add CH --to R002 --amount 10 --from 2021-09");
  auto run = app::AllowanceRun(l.AdminSession(), {{}, "2021-09", "", false});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(run.status().message().find("fund CH is short by 5.00"), std::string::npos);
  auto balance = app::FundBalance(l.AdminSession(), {"CH", std::nullopt});
  ASSERT_TRUE(balance.ok());
  EXPECT_EQ(balance->balance_fen, 1500);
}

// ------------------------------------------------------------- dividend

class DividendTest : public FundsTest {
 protected:
  void SetUp() override {
    FundsTest::SetUp();
    l.Vl("rule add AW --category 志愿服务 --points 10");
    l.Vl("award R001 AW --on 2021-07-05");
    l.Vl("award R002 AW --on 2021-07-06");
    l.Vl("award R002 AW --on 2021-08-06");
    l.Vl("award R004 AW --on 2021-08-07");
    l.Vl("resident update R004 --status departed");
    l.Vl("donate CF --amount 150");
  }

  Result<app::DividendResult> Pay(const std::string& amount, bool again = false,
                                  const std::string& request_id = "") {
    app::DividendRequest r;
    r.append = {request_id, "dividend CF " + amount + (again ? " --again" : "")};
    r.fund = "CF";
    r.village = "V01";
    r.period = "2021Q3";
    r.amount = amount;
    r.again = again;
    return app::Dividend(l.AdminSession(), r);
  }
};

TEST_F(DividendTest, PaysInProportionToPointsAndSkipsDepartedResidents) {
  // 100 fen over 10 and 20 points: floors 33 and 66; the fen left goes to
  // the larger remainder (R002: 2000 mod 30 = 20 > 1000 mod 30 = 10).
  auto r = Pay("1");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->payments.size(), 2u);
  EXPECT_EQ(r->payments[0].to, "R001");
  EXPECT_EQ(r->payments[0].amount_fen, 33);
  EXPECT_EQ(r->payments[1].to, "R002");
  EXPECT_EQ(r->payments[1].amount_fen, 67);
  EXPECT_EQ(r->skipped, std::vector<std::string>{"R004"});
  std::string json = app::DividendJson(*r);
  EXPECT_NE(json.find("\"payments\":[{\"to\":\"R001\",\"amountFen\":33},"
                      "{\"to\":\"R002\",\"amountFen\":67}],\"skipped\":[\"R004\"]"),
            std::string::npos)
      << json;
}

TEST_F(DividendTest, ARepeatedDividendIsAConflictUnlessAgain) {
  auto first = Pay("1");
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto repeat = Pay("0.5");
  ASSERT_FALSE(repeat.ok());
  EXPECT_EQ(repeat.status().code(), Code::kConflict);
  EXPECT_EQ(repeat.status().field(), "--period");
  EXPECT_NE(repeat.status().message().find("at seq " + std::to_string(*first->append.first)),
            std::string::npos);
  EXPECT_NE(repeat.status().message().find("--again"), std::string::npos);

  auto again = Pay("0.5", true, "div-again");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->payments.size(), 2u);
  // The same request id answers the same payments, appending nothing.
  auto retry = Pay("0.5", true, "div-again");
  ASSERT_TRUE(retry.ok()) << retry.status().message();
  EXPECT_TRUE(retry->append.repeated);
  EXPECT_EQ(retry->append.first, again->append.first);
  ASSERT_EQ(retry->payments.size(), 2u);
  EXPECT_EQ(retry->payments[1].amount_fen, again->payments[1].amount_fen);
  EXPECT_EQ(retry->skipped, again->skipped);
  auto balance = app::FundBalance(l.AdminSession(), {"CF", std::nullopt});
  ASSERT_TRUE(balance.ok());
  EXPECT_EQ(balance->balance_fen, 15000 - 100 - 50);
}

// ------------------------------------------------------------- refusals

TEST_F(FundsTest, RefusalsNameTheirFieldAndCode) {
  app::DonateRequest donate;
  donate.donation.fund = "NOPE";
  donate.donation.amount = "5";
  auto unknown = app::Donate(l.AdminSession(), donate);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EXPECT_EQ(unknown.status().field(), "FUND");

  auto balance = app::FundBalance(l.AdminSession(), {"NOPE", std::nullopt});
  ASSERT_FALSE(balance.ok());
  EXPECT_EQ(balance.status().code(), Code::kNotFound);
  EXPECT_EQ(balance.status().field(), "--fund");

  auto donor = app::Donor(l.AdminSession(), {"无名氏"});
  ASSERT_FALSE(donor.ok());
  EXPECT_EQ(donor.status().code(), Code::kNotFound);
  EXPECT_EQ(donor.status().field(), "NAME");
  EXPECT_EQ(donor.status().message(), "NAME: no donor named \"无名氏\"");

  auto stop = app::AllowanceStop(l.AdminSession(), {{}, "x1"});
  ASSERT_FALSE(stop.ok());
  EXPECT_EQ(stop.status().code(), Code::kInvalidInput);
  EXPECT_EQ(stop.status().field(), "SEQ");
  EXPECT_EQ(stop.status().message(), "SEQ: \"x1\" is not a seq");

  app::AllowanceAddRequest add;
  add.fund = "CH";
  add.to = "R999";
  add.amount = "1";
  add.from = "2021-09";
  auto nobody = app::AllowanceAdd(l.AdminSession(), add);
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.status().code(), Code::kNotFound);
  EXPECT_EQ(nobody.status().field(), "--to");

  auto period = app::Statement(l.AdminSession(), {"CH", "2021Q5"});
  ASSERT_FALSE(period.ok());
  EXPECT_EQ(period.status().code(), Code::kInvalidInput);
  EXPECT_EQ(period.status().message().rfind("--period", 0), 0u);
}

TEST_F(FundsTest, DonateAnswersItsReceiptAgainOnARepeat) {
  app::DonateRequest r;
  r.append = {"gift-1", "donate CH --amount 5"};
  r.donation.fund = "CH";
  r.donation.amount = "5";
  auto first = app::Donate(l.AdminSession(), r);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->receipt, "CH-1");
  auto again = app::Donate(l.AdminSession(), r);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again->append.repeated);
  EXPECT_EQ(again->receipt, "CH-1");
  EXPECT_NE(app::DonateJson(*again).find("\"receipt\":\"CH-1\""), std::string::npos);
}

}  // namespace
}  // namespace vledger
