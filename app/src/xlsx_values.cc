// Cell values of an .xlsx sheet (xlsx.h): Excel's date serials and number
// text.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "vledger/app/xlsx.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
bool LooksLikeZip(std::string_view bytes) { return bytes.substr(0, 4) == "PK\x03\x04"; }

std::optional<std::string> ExcelSerialDate(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > 3'000'000) return std::nullopt;
  auto day = static_cast<int64_t>(std::floor(serial));
  int64_t days = 0;
  if (date1904) {
    days = DaysFromCivil("1904-01-01") + day;
  } else {
    // Excel counts 1900 as a leap year (as Lotus 1-2-3 did): day 60 is its
    // 1900-02-29, so from day 61 on a serial is one more than the days
    // since 1899-12-31.
    if (day < 1 || day == 60) return std::nullopt;
    days = DaysFromCivil("1899-12-31") + day - (day > 60 ? 1 : 0);
  }
  if (days > DaysFromCivil("9999-12-31")) return std::nullopt;
  return CivilFromDays(days);
}

std::string ExcelNumberText(std::string_view raw) {
  std::string s(raw);
  char* end = nullptr;
  double d = s.empty() ? 0 : std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(d)) return s;
  // 15 significant digits, as Excel shows a number: "d.dddddddddddddde±x".
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14e", std::fabs(d));
  std::string digits(1, buf[0]);
  digits.append(buf + 2, 14);
  int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (digits == "0") return "0";
  std::string out = d < 0 ? "-" : "";
  int point = exponent + 1;  // digits before the decimal point
  auto size = static_cast<int>(digits.size());
  if (point <= 0) {
    out += "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (point >= size) {
    out += digits + std::string(static_cast<size_t>(point - size), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(point)) + "." +
           digits.substr(static_cast<size_t>(point));
  }
  return out;
}

}  // namespace vledger::app
