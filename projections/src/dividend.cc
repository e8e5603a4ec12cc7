#include "vledger/projections/dividend.h"

#include <algorithm>
#include <numeric>

namespace vledger {

Result<std::vector<DividendShare>> AllocateDividend(
    int64_t total_fen, const std::vector<std::pair<std::string, int64_t>>& points) {
  __extension__ typedef unsigned __int128 u128;  // GCC and Clang; -Wpedantic-clean
  if (total_fen <= 0) return Status::InvalidInput("amount", "a dividend must be greater than zero");
  std::vector<DividendShare> shares;
  for (const auto& [resident, p] : points) {
    if (p > 0) shares.push_back(DividendShare{resident, p, 0});
  }
  if (shares.empty()) {
    return Status::FailedPrecondition("period",
                                      "no resident has positive points in the period (P = 0)");
  }
  std::sort(shares.begin(), shares.end(),
            [](const DividendShare& a, const DividendShare& b) { return a.resident < b.resident; });
  for (size_t i = 1; i < shares.size(); i++) {
    VLEDGER_ASSERT(shares[i - 1].resident != shares[i].resident);
  }
  // P < n * 2^63 and T * p_i < 2^126: both fit in 128 bits for any n < 2^64.
  u128 total_points = 0;
  for (const DividendShare& s : shares) total_points += static_cast<u128>(s.points);
  const u128 total = static_cast<u128>(total_fen);
  std::vector<u128> remainders(shares.size());
  u128 allocated = 0;
  for (size_t i = 0; i < shares.size(); i++) {
    u128 product = total * static_cast<u128>(shares[i].points);
    u128 floor_share = product / total_points;  // <= T, fits int64
    remainders[i] = product % total_points;
    shares[i].amount_fen = static_cast<int64_t>(floor_share);
    allocated += floor_share;
  }
  VLEDGER_ASSERT(allocated <= total);
  // Each remainder is < P, so the fen left over are fewer than the shares.
  u128 left = total - allocated;
  VLEDGER_ASSERT(left < static_cast<u128>(shares.size()));
  std::vector<size_t> order(shares.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Largest remainder first; ties to the smaller id (shares are in id order).
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t k = 0; k < static_cast<size_t>(left); k++) shares[order[k]].amount_fen += 1;
  return shares;
}

}  // namespace vledger
