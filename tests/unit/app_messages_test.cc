// The application layer's messages are patterns with their arguments apart
// (message.h), so that a front end can show them in its user's language:
// a refusal, a warning and an import's summary carry a literal pattern (the
// catalog's key, which never holds the values the request gave) and the
// values as arguments, and render in English as they always did.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "app_fixture.h"
#include "vledger/app/funds.h"
#include "vledger/app/import.h"
#include "vledger/app/points.h"

namespace vledger {
namespace {

using testing::AppLedger;

class AppMessagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V01 --name 曲家村");
    l.Vl("household add H001 --village V01 --head 曲建国");
    l.Vl("resident add R001 --village V01 --household H001 --name 曲建国 --adult");
    l.Vl("rule add VOL --category 志愿服务 --points 2 --min 1 --max 10");
  }

  AppLedger l;
};

TEST_F(AppMessagesTest, AnUnknownResidentIsAPatternAndItsArgument) {
  app::BalanceRequest r;
  r.resident = "R999";
  auto refused = app::Balance(l.AdminSession(), r);
  ASSERT_FALSE(refused.ok());
  const Status& st = refused.status();
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_STREQ(st.msg().pattern(), "unknown resident \"{}\"");
  EXPECT_EQ(st.msg().args(), std::vector<std::string>{"R999"});
  EXPECT_TRUE(st.prefixes().empty());
  EXPECT_EQ(st.field(), "RESIDENT");
  EXPECT_EQ(st.message(), "RESIDENT: unknown resident \"R999\"");
}

TEST_F(AppMessagesTest, AnUnknownFundIsAPatternAndItsArgument) {
  app::DisburseRequest r;
  r.disbursement.fund = "NOSUCH";
  r.disbursement.to = "R001";
  r.disbursement.amount = "10";
  auto refused = app::Disburse(l.AdminSession(), r);
  ASSERT_FALSE(refused.ok());
  const Status& st = refused.status();
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_STREQ(st.msg().pattern(), "unknown fund \"{}\"");
  EXPECT_EQ(st.msg().args(), std::vector<std::string>{"NOSUCH"});
  EXPECT_EQ(st.message(), st.field() + ": unknown fund \"NOSUCH\"");
}

TEST_F(AppMessagesTest, ANumberIsAnArgumentToo) {
  app::AwardRequest r;
  r.resident = "R001";
  r.rule = "VOL";
  r.points = "99999999999999999999";
  r.on = "2021-09-01";
  auto refused = app::Award(l.AdminSession(), r);
  ASSERT_FALSE(refused.ok());
  const Status& st = refused.status();
  EXPECT_STREQ(st.msg().pattern(), "\"{}\" is not an integer");
  EXPECT_EQ(st.msg().args(), std::vector<std::string>{"99999999999999999999"});
  EXPECT_EQ(st.message(), "--points: \"99999999999999999999\" is not an integer");
}

TEST_F(AppMessagesTest, AWarningIsAPatternAndItsArgument) {
  app::AwardRequest r;
  r.resident = "R001";
  r.rule = "VOL";
  r.points = "2";
  r.on = "2021-09-01";
  r.note = "义务理发";
  auto ok = app::Award(l.AdminSession(), r);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->warnings.size(), 1u);
  EXPECT_STREQ(ok->warnings[0].pattern(),
               "{} is part of the public log: keep personal details out of it");
  EXPECT_EQ(ok->warnings[0].args(), std::vector<std::string>{"--note"});
}

TEST_F(AppMessagesTest, AnImportsSummaryCountsAsAnArgument) {
  std::string file = l.File("bad.csv");
  std::ofstream(file) << "resident,rule,points,date\n"
                         "R404,VOL,2,2021-09-01\n"
                         "R405,VOL,2,2021-09-01\n";
  app::ImportRequest r;
  r.file = file;
  r.kind = "awards";
  std::vector<Status> bad;
  r.bad_row = [&](const Status& st) { bad.push_back(st); };
  auto refused = app::Import(l.AdminSession(), r);
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(bad.size(), 2u);
  const Status& st = refused.status();
  EXPECT_STREQ(st.msg().pattern(), "{} rows are refused; nothing was appended");
  EXPECT_EQ(st.msg().args(), std::vector<std::string>{"2"});
  EXPECT_EQ(st.message(), "FILE: 2 rows are refused; nothing was appended");
}

TEST_F(AppMessagesTest, NoPatternHoldsTheValuesItWasGiven) {
  // A handful of refusals of different commands: the values the request
  // gave are never in the pattern (that would be text built at run time).
  std::vector<Status> refusals;
  app::BalanceRequest b;
  b.household = "H404";
  refusals.push_back(app::Balance(l.AdminSession(), b).status());
  app::BalanceRequest v;
  v.village = "V404";
  refusals.push_back(app::Balance(l.AdminSession(), v).status());
  app::AllowanceRunRequest run;
  run.month = "2099-01";
  refusals.push_back(app::AllowanceRun(l.AdminSession(), run).status());
  for (const Status& st : refusals) {
    ASSERT_FALSE(st.ok());
    std::string pattern = st.msg().pattern();
    ASSERT_FALSE(st.msg().args().empty()) << st.message();
    for (const std::string& arg : st.msg().args()) {
      EXPECT_EQ(pattern.find(arg), std::string::npos) << pattern << " holds " << arg;
    }
    EXPECT_EQ(Msg::FormatPattern(pattern, st.msg().args()), st.msg().English());
  }
}

}  // namespace
}  // namespace vledger
