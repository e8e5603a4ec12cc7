// ParseYuan / FormatYuan: strict yuan input, integer fen, two-decimal output.
#include "vledger/projections/money.h"

#include <gtest/gtest.h>

#include <limits>

namespace vledger {
namespace {

TEST(ParseYuan, AcceptsWholeAndOneOrTwoDecimals) {
  struct Case {
    const char* text;
    int64_t fen;
  } cases[] = {
      {"500", 50000},
      {"500.5", 50050},
      {"500.50", 50050},
      {"0.01", 1},
      {"0.1", 10},
      {"1", 100},
      {"10.05", 1005},
      {"0.99", 99},
      {"92233720368547758.07", std::numeric_limits<int64_t>::max()},
      {"92233720368547758", 9223372036854775800},
  };
  for (const Case& c : cases) {
    auto r = ParseYuan("--amount", c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().message();
    EXPECT_EQ(*r, c.fen) << c.text;
  }
}

TEST(ParseYuan, RejectsEverythingElseNamingTheField) {
  const char* bad[] = {"1.234",
                       "-5",
                       "1e3",
                       "5,000",
                       "0",
                       "0.00",
                       "0.0",
                       "+5",
                       " 5",
                       "5 ",
                       "05",
                       "5.",
                       ".5",
                       "",
                       "abc",
                       "5.a",
                       "1.2.3",
                       "０",
                       "5元",
                       "0x10",
                       "00",
                       "007",
                       "5..0",
                       "inf",
                       "92233720368547758.08",
                       "92233720368547759",
                       "100000000000000000",
                       "99999999999999999999999",
                       "1.-5"};
  for (const char* text : bad) {
    auto r = ParseYuan("--amount", text);
    EXPECT_FALSE(r.ok()) << "accepted " << text;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Code::kInvalidInput) << text;
      EXPECT_EQ(r.status().message().rfind("--amount: ", 0), 0u) << r.status().message();
    }
  }
}

TEST(FormatYuan, PrintsTwoDecimals) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(1), "0.01");
  EXPECT_EQ(FormatYuan(10), "0.10");
  EXPECT_EQ(FormatYuan(50050), "500.50");
  EXPECT_EQ(FormatYuan(-5), "-0.05");
  EXPECT_EQ(FormatYuan(-12345), "-123.45");
  EXPECT_EQ(FormatYuan(std::numeric_limits<int64_t>::max()), "92233720368547758.07");
  EXPECT_EQ(FormatYuan(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
}

TEST(FormatYuan, RoundTripsThroughParseYuan) {
  for (int64_t fen : {int64_t{1}, int64_t{99}, int64_t{100}, int64_t{123456789},
                      std::numeric_limits<int64_t>::max()}) {
    auto r = ParseYuan("x", FormatYuan(fen));
    ASSERT_TRUE(r.ok()) << fen;
    EXPECT_EQ(*r, fen);
  }
}

TEST(RmbCapitals, WritesAmountsAsAReceiptDoes) {
  struct Case {
    int64_t fen;
    const char* text;
  } cases[] = {
      {0, "零元整"},
      {1, "壹分"},
      {10, "壹角"},
      {55, "伍角伍分"},
      {100, "壹元整"},
      {1000, "壹拾元整"},  // 壹拾, not 拾
      {1002, "壹拾元零贰分"},
      {1500, "壹拾伍元整"},
      {120000, "壹仟贰佰元整"},
      {123450, "壹仟贰佰叁拾肆元伍角"},
      {140950, "壹仟肆佰零玖元伍角"},
      {168032, "壹仟陆佰捌拾元叁角贰分"},
      {1640902, "壹万陆仟肆佰零玖元零贰分"},
      {10000000, "壹拾万元整"},
      {10000001, "壹拾万元零壹分"},
      {10070000, "壹拾万零柒佰元整"},
      {10700053, "壹拾万零柒仟元伍角叁分"},
      {100000100, "壹佰万零壹元整"},
      {10000000000, "壹亿元整"},
      {10001000000, "壹亿零壹万元整"},
      {20304050607, "贰亿零叁佰零肆万零伍佰零陆元零柒分"},
      {-120000, "负壹仟贰佰元整"},
  };
  for (const Case& c : cases) EXPECT_EQ(RmbCapitals(c.fen), c.text) << c.fen;
  // The extremes have a magnitude too.
  EXPECT_TRUE(RmbCapitals(std::numeric_limits<int64_t>::max()).ends_with("元零柒分"));
  EXPECT_TRUE(RmbCapitals(std::numeric_limits<int64_t>::min()).starts_with("负玖"));
}

}  // namespace
}  // namespace vledger
