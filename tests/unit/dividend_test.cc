// AllocateDividend: SPEC section 7's normative dividend rule.
#include "vledger/projections/dividend.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace vledger {
namespace {

using Points = std::vector<std::pair<std::string, int64_t>>;
using Shares = std::vector<std::pair<std::string, int64_t>>;  // resident, fen

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

Shares Allocate(int64_t total, const Points& points) {
  auto r = AllocateDividend(total, points);
  EXPECT_TRUE(r.ok()) << r.status().message();
  Shares out;
  if (!r.ok()) return out;
  for (const DividendShare& s : *r) out.emplace_back(s.resident, s.amount_fen);
  return out;
}

int64_t Sum(const Shares& shares) {
  i128 sum = 0;
  for (const auto& s : shares) sum += s.second;
  return static_cast<int64_t>(sum);
}

struct Case {
  const char* name;
  int64_t total;
  Points points;
  Shares want;
};

TEST(AllocateDividend, TableOfEdgeCases) {
  const Case cases[] = {
      {"one resident takes all", 500000, {{"R1", 7}}, {{"R1", 500000}}},
      {"exact proportions",
       600,
       {{"R1", 1}, {"R2", 2}, {"R3", 3}},
       {{"R1", 100}, {"R2", 200}, {"R3", 300}}},
      // 100 over 3 equal: 33 each, 1 left; tied remainders go to the smaller id.
      {"tie in remainders to smaller id",
       100,
       {{"R3", 5}, {"R1", 5}, {"R2", 5}},
       {{"R1", 34}, {"R2", 33}, {"R3", 33}}},
      // 200 over 3 equal: 66 each, 2 left: R1 and R2.
      {"two ties", 200, {{"R1", 1}, {"R2", 1}, {"R3", 1}}, {{"R1", 67}, {"R2", 67}, {"R3", 66}}},
      // Byte order, not numeric: "R10" < "R2".
      {"ties by id bytes", 1, {{"R2", 1}, {"R10", 1}}, {{"R10", 1}, {"R2", 0}}},
      // Largest remainder wins over a smaller id: 10*1/3=3.33, 10*2/3=6.67.
      {"largest remainder first", 10, {{"A", 1}, {"B", 2}}, {{"A", 3}, {"B", 7}}},
      // Total smaller than the number of residents: 2 fen over 5 equal.
      {"total below resident count",
       2,
       {{"R1", 3}, {"R2", 3}, {"R3", 3}, {"R4", 3}, {"R5", 3}},
       {{"R1", 1}, {"R2", 1}, {"R3", 0}, {"R4", 0}, {"R5", 0}}},
      // 3 fen over points 1,1,10: T*p = 3,3,30, P = 12; floors 0,0,2;
      // remainders 3,3,6; the one fen left goes to R3.
      {"small total unequal",
       3,
       {{"R1", 1}, {"R2", 1}, {"R3", 10}},
       {{"R1", 0}, {"R2", 0}, {"R3", 3}}},
      {"zero and negative get nothing",
       90,
       {{"R1", 0}, {"R2", -5}, {"R3", 1}, {"R4", 2}},
       {{"R3", 30}, {"R4", 60}}},
      {"total near int64 max",
       kMax,
       {{"R1", 1}, {"R2", 1}},
       {{"R1", kMax / 2 + 1}, {"R2", kMax / 2}}},
      {"points near int64 max",
       1000,
       {{"R1", kMax}, {"R2", kMax}, {"R3", kMax}},
       {{"R1", 334}, {"R2", 333}, {"R3", 333}}},
      {"both near int64 max",
       kMax,
       {{"R1", kMax}, {"R2", kMax - 1}},
       // Floors are both 4611686018427387903; R1's remainder is larger.
       {{"R1", 4611686018427387904}, {"R2", 4611686018427387903}}},
      {"one fen", 1, {{"R1", 2}, {"R2", 3}}, {{"R1", 0}, {"R2", 1}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Shares got = Allocate(c.total, c.points);
    EXPECT_EQ(got, c.want);
    EXPECT_EQ(Sum(got), c.total);
  }
}

TEST(AllocateDividend, RejectsWithoutPositivePoints) {
  EXPECT_EQ(AllocateDividend(100, {}).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(AllocateDividend(100, {{"R1", 0}, {"R2", -3}}).status().code(),
            Code::kFailedPrecondition);
}

TEST(AllocateDividend, RejectsNonPositiveTotal) {
  EXPECT_EQ(AllocateDividend(0, {{"R1", 1}}).status().code(), Code::kInvalidInput);
  EXPECT_EQ(AllocateDividend(-1, {{"R1", 1}}).status().code(), Code::kInvalidInput);
}

// Brute-force reference: the rule as written, with exact 128-bit integers.
Shares Reference(int64_t total, Points points) {
  std::erase_if(points, [](const auto& p) { return p.second <= 0; });
  std::sort(points.begin(), points.end());
  u128 P = 0;
  for (const auto& p : points) P += static_cast<u128>(p.second);
  Shares out;
  std::vector<u128> rem;
  int64_t given = 0;
  for (const auto& p : points) {
    u128 prod = static_cast<u128>(total) * static_cast<u128>(p.second);
    out.emplace_back(p.first, static_cast<int64_t>(prod / P));
    rem.push_back(prod % P);
    given += out.back().second;
  }
  for (int64_t left = total - given; left > 0; left--) {
    size_t best = 0;
    for (size_t i = 1; i < rem.size(); i++) {
      if (rem[i] > rem[best]) best = i;  // first (smallest id) among equals
    }
    out[best].second += 1;
    rem[best] = 0;  // each resident gets at most one extra fen
  }
  return out;
}

TEST(AllocateDividend, SharesAlwaysSumToTotalAndMatchReference) {
  std::mt19937_64 rng(20210930);
  for (int round = 0; round < 2000; round++) {
    size_t n = 1 + rng() % 40;
    Points points;
    for (size_t i = 0; i < n; i++) {
      int64_t p;
      switch (rng() % 4) {
        case 0:
          p = static_cast<int64_t>(rng() % 5) - 2;
          break;  // ties, zero, negative
        case 1:
          p = static_cast<int64_t>(rng() % 100);
          break;
        case 2:
          p = static_cast<int64_t>(rng() >> 1);
          break;  // near int64 max
        default:
          p = static_cast<int64_t>(rng() % 3) + 1;
          break;
      }
      points.emplace_back("R" + std::to_string(i), p);
    }
    bool any_positive =
        std::any_of(points.begin(), points.end(), [](auto& p) { return p.second > 0; });
    int64_t total = (rng() % 3 == 0) ? static_cast<int64_t>(rng() >> 1) + 1
                                     : static_cast<int64_t>(rng() % 1000) + 1;
    auto r = AllocateDividend(total, points);
    if (!any_positive) {
      EXPECT_FALSE(r.ok());
      continue;
    }
    ASSERT_TRUE(r.ok());
    Shares got;
    for (const DividendShare& s : *r) {
      EXPECT_GE(s.amount_fen, 0);
      EXPECT_GT(s.points, 0);
      got.emplace_back(s.resident, s.amount_fen);
    }
    EXPECT_EQ(Sum(got), total) << "round " << round;
    EXPECT_EQ(got, Reference(total, points)) << "round " << round;
  }
}

}  // namespace
}  // namespace vledger
