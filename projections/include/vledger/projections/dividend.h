// Credit-fund dividend allocation (SPEC section 7, normative).
//
// A total T fen is split over the residents with positive points p_i
// earned in the period, P = sum of p_i: each gets floor(T * p_i / P), then
// the fen left over go one each to the largest remainders (T * p_i mod P),
// ties to the smaller resident id in byte order. The shares sum to T
// exactly. All products and sums are 128-bit, so any int64 inputs are
// exact.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vledger/ledger/status.h"

namespace vledger {

struct DividendShare {
  std::string resident;
  int64_t points = 0;      // p_i, > 0
  int64_t amount_fen = 0;  // the share, >= 0
};

// Allocates `total_fen` (> 0) over `points` (resident id, points in the
// period; any order, ids distinct). Residents with zero or negative points
// are left out. Returns one share per resident with positive points, in id
// byte order, including 0-fen shares (callers neither pay nor list those).
// InvalidInput when total_fen <= 0, FailedPrecondition when no resident has
// positive points (P = 0).
Result<std::vector<DividendShare>> AllocateDividend(
    int64_t total_fen, const std::vector<std::pair<std::string, int64_t>>& points);

}  // namespace vledger
