#include "vledger/projections/money.h"

#include <limits>

namespace vledger {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status NotAnAmount(std::string_view field, std::string_view text) {
  return Status::InvalidInput(
      field, Msg("\"{}\" is not an amount in yuan (digits, optionally a point and one or two "
                 "decimals, e.g. 500.50)",
                 text));
}

}  // namespace

Result<int64_t> ParseYuan(std::string_view field, std::string_view text) {
  size_t point = text.find('.');
  std::string_view whole = text.substr(0, point);
  std::string_view frac =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (whole.empty() || (whole.size() > 1 && whole[0] == '0')) return NotAnAmount(field, text);
  for (char c : whole) {
    if (!IsDigit(c)) return NotAnAmount(field, text);
  }
  if (point != std::string_view::npos) {
    if (frac.empty() || frac.size() > 2) return NotAnAmount(field, text);
    for (char c : frac) {
      if (!IsDigit(c)) return NotAnAmount(field, text);
    }
  }
  if (whole.size() > kYuanIntegerDigitsMax)
    return Status::InvalidInput(field, Msg("\"{}\" is too large", text));
  // At most 17 digits: the yuan fit in uint64 with room to multiply by 100.
  uint64_t yuan = 0;
  for (char c : whole) yuan = yuan * 10 + static_cast<uint64_t>(c - '0');
  uint64_t cents = 0;
  if (!frac.empty()) {
    cents = static_cast<uint64_t>(frac[0] - '0') * 10;
    if (frac.size() == 2) cents += static_cast<uint64_t>(frac[1] - '0');
  }
  uint64_t fen = yuan * 100 + cents;  // < 10^19 < 2^64
  if (fen > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Status::InvalidInput(
        field, Msg("\"{}\" is too large (at most 92233720368547758.07 yuan)", text));
  }
  if (fen == 0) return Status::InvalidInput(field, Msg("\"{}\" must be greater than zero", text));
  return static_cast<int64_t>(fen);
}

std::string FormatYuan(int64_t fen) {
  // Through uint64, so that INT64_MIN has a magnitude too.
  uint64_t magnitude = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string out = fen < 0 ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  uint64_t cents = magnitude % 100;
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

}  // namespace vledger
