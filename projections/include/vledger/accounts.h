// Double entry (SPEC section 4). Every value-moving event posts balanced
// amounts between accounts, per unit ("pt" for points, "fen" for money):
//   points: issued:<village> -> resident:<id>            (awards; back on deductions)
//           resident:<id> -> redeemed:<village>:<shop>   (redemptions)
//           resident:<id> -> expired:<village>           (yearly clearing)
//   money:  donations:<fund> -> fund:<fund>[:<purpose>] -> paid:<fund>:<beneficiary>
// Rows: acct/<unit>/<account> -> zigzag varint balance. For every unit the
// balances sum to zero at every seq; verify checks it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "vledger/state.h"
#include "vledger/status.h"

namespace vledger {

inline constexpr std::string_view kPointsUnit = "pt";
inline constexpr std::string_view kMoneyUnit = "fen";

// Moves `amount` (> 0) of `unit` from account `from` to account `to`.
// Rejected on int64 overflow, with nothing written.
Status Post(StateStore& state, std::string_view unit, std::string_view from, std::string_view to,
            int64_t amount);

// Balance of one account (0 when it never moved).
int64_t AccountBalance(StateStore& state, std::string_view unit, std::string_view account);

// Sum of all balances per unit; each must be zero.
std::map<std::string, int64_t> UnitTotals(StateStore& state);

}  // namespace vledger
