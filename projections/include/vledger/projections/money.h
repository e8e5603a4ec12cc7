// Money: integer fen (分) everywhere, never floating point (SPEC section 3).
//
// The CLI reads yuan strictly, matching ^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$,
// greater than zero and at most 2^63-1 fen, and prints yuan with two
// decimals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vledger/ledger/status.h"

namespace vledger {

// Most yuan digits before the point that can possibly fit in int64 fen.
inline constexpr size_t kYuanIntegerDigitsMax = 17;

// Parses yuan ("500", "500.5", "500.50") into fen. InvalidInput, naming
// `field`, for anything else: "1.234", "-5", "1e3", "5,000", "0", "+5",
// " 5", "05", "5.", ".5" and amounts above 2^63-1 fen.
Result<int64_t> ParseYuan(std::string_view field, std::string_view text);

// Fen as yuan with two decimals: 50050 -> "500.50", -5 -> "-0.05".
std::string FormatYuan(int64_t fen);

// Fen in Chinese capitals (人民币大写) as a receipt writes them: 120000 ->
// 壹仟贰佰元整, 123450 -> 壹仟贰佰叁拾肆元伍角, 1 -> 壹分, 1002 -> 壹拾元零贰分,
// 0 -> 零元整; 壹拾 is written out, one 零 stands for a run of zeros, 整
// follows 元 only; a negative amount starts with 负.
std::string RmbCapitals(int64_t fen);

}  // namespace vledger
