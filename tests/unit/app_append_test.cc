// The shared write path (app/append.h): request ids and what a repeat,
// another command or another key gets back.
#include <gtest/gtest.h>

#include "app_fixture.h"
#include "vledger/app/append.h"
#include "vledger/app/builders.h"

namespace vledger {
namespace {

using testing::AppLedger;

class AppendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V01 --name 曲家村");
    l.Vl("household add H001 --village V01 --head 曲建国");
    l.Vl("resident add R001 --village V01 --household H001 --name 曲建国 --birth-year 1962");
    l.Vl("rule add VOL --category 志愿服务 --points 2 --min 1 --max 10");
  }

  Result<app::AppendResult> Award(const app::Session& s, const std::string& request_id,
                                  const std::string& fingerprint, const std::string& points) {
    app::AwardArgs a;
    a.resident = "R001";
    a.rule = "VOL";
    a.points = points;
    return app::Append(s, {request_id, fingerprint},
                       [&](app::CommitBuilder& b) { return app::BuildAward(b, a); });
  }

  AppLedger l;
};

TEST_F(AppendTest, ARepeatAnswersTheFirstResultAndAppendsNothing) {
  auto first = Award(l.AdminSession(), "req-1", "award R001 VOL", "3");
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(first->first.has_value());
  EXPECT_FALSE(first->repeated);
  auto again = Award(l.AdminSession(), "req-1", "award R001 VOL", "3");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(again->first, first->first);
  EXPECT_EQ(again->hash, first->hash);
  EXPECT_NE(again->json.find("\"repeated\":true"), std::string::npos);
  // Nothing more was appended: a new award lands right after the first.
  auto next = Award(l.AdminSession(), "", "award R001 VOL", "1");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next->first, *first->last + 1);
}

TEST_F(AppendTest, TheSameIdForAnotherCommandIsAConflict) {
  ASSERT_TRUE(Award(l.AdminSession(), "req-2", "award R001 VOL --points 3", "3").ok());
  auto other = Award(l.AdminSession(), "req-2", "award R001 VOL --points 4", "4");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), Code::kConflict);
  EXPECT_EQ(other.status().field(), "--request-id");
  EXPECT_NE(other.status().message().find("different command"), std::string::npos);
}

TEST_F(AppendTest, TheSameIdFromAnotherKeyIsAConflictThatTellsNothing) {
  l.Vl("key new --out c.key", false);
  l.Vl("key register --pub c.key.pub --role collector --village V01 --label 采集员");
  ASSERT_TRUE(Award(l.AdminSession(), "req-3", "award R001 VOL", "3").ok());
  auto other = Award(l.SessionFor(l.File("c.key")), "req-3", "award R001 VOL", "3");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), Code::kConflict);
  EXPECT_EQ(other.status().message(), "--request-id: \"req-3\" was already used by another key");
}

TEST_F(AppendTest, ARefusedEventWritesNothingAndNamesItsField) {
  auto bad = Award(l.AdminSession(), "req-4", "award R001 VOL --points 0", "0");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidInput);
  EXPECT_EQ(bad.status().field(), "--points");
  // The request id was not used up: the corrected command goes through.
  auto good = Award(l.AdminSession(), "req-4", "award R001 VOL --points 2", "2");
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_FALSE(good->repeated);
}

TEST_F(AppendTest, ImpIdsAreKeptForImports) {
  auto st = Award(l.AdminSession(), "imp-1", "award R001 VOL", "1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), Code::kInvalidInput);
  EXPECT_EQ(st.status().field(), "--request-id");
}

}  // namespace
}  // namespace vledger
