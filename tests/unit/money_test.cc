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

}  // namespace
}  // namespace vledger
