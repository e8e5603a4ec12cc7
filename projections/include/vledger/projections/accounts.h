// Double entry (SPEC section 4). Every value-moving event posts balanced
// amounts between accounts, per unit ("pt" for points, "fen" for money):
//   points: issued:<village> -> resident:<id>            (awards; back on deductions)
//           resident:<id> -> redeemed:<village>:<shop>   (redemptions)
//           resident:<id> -> expired:<village>           (yearly clearing)
//   money:  donations:<fund> -> fund:<fund>[:<purpose>] -> paid:<fund>:<beneficiary>
// Balances live in the entities that own them: a village's point accounts
// in VillageState, resident:<id> is the resident's spendable points, a
// fund's accounts in FundState, paid:<fund>:<id> in the beneficiary's
// entity. For every unit the balances sum to zero at every seq; verify
// checks it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "vledger/ledger/status.h"
#include "vledger/projections/state.h"

namespace vledger {

inline constexpr std::string_view kPointsUnit = "pt";
inline constexpr std::string_view kMoneyUnit = "fen";

// Balance of one account by its name (0 when it never moved).
int64_t AccountBalance(StateStore& state, std::string_view unit, std::string_view account);

// Sum of all balances per unit; each must be zero. Reads every entity.
std::map<std::string, int64_t> UnitTotals(StateStore& state);

}  // namespace vledger
