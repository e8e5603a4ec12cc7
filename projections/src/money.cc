#include "vledger/projections/money.h"

#include <limits>
#include <vector>

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

std::string RmbCapitals(int64_t fen) {
  static const char* const kDigits[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
  static const char* const kUnits[] = {"", "拾", "佰", "仟"};
  static const char* const kGroups[] = {"", "万", "亿", "万亿", "亿亿"};
  uint64_t magnitude = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  uint64_t yuan = magnitude / 100;
  uint32_t jiao = static_cast<uint32_t>(magnitude / 10 % 10);
  uint32_t cents = static_cast<uint32_t>(magnitude % 10);
  std::string out = fen < 0 ? "负" : "";
  if (magnitude == 0) return "零元整";
  // The yuan: groups of four digits, high first; one 零 for each run of
  // zeros between non-zero digits, also across groups.
  std::vector<uint32_t> groups;
  for (uint64_t v = yuan; v > 0; v /= 10000) groups.push_back(static_cast<uint32_t>(v % 10000));
  bool any = false, zero_pending = false;
  for (size_t g = groups.size(); g-- > 0;) {
    uint32_t group = groups[g];
    bool group_written = false;
    for (int pos = 3; pos >= 0; pos--) {
      uint32_t digit = group / (pos == 3 ? 1000u : pos == 2 ? 100u : pos == 1 ? 10u : 1u) % 10;
      if (digit == 0) {
        zero_pending = any;
        continue;
      }
      if (zero_pending) out += kDigits[0];
      zero_pending = false;
      out += kDigits[digit];
      out += kUnits[pos];
      any = group_written = true;
    }
    if (group_written) out += kGroups[g];
  }
  if (yuan > 0) out += "元";
  if (jiao == 0 && cents == 0) return out + "整";
  if (jiao != 0) {
    out += kDigits[jiao];
    out += "角";
  } else if (yuan > 0) {
    out += kDigits[0];  // 壹拾元零贰分
  }
  if (cents != 0) {
    out += kDigits[cents];
    out += "分";
  }
  return out;
}

}  // namespace vledger
