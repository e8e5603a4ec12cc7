#include "vledger/projections/validate.h"

#include <fmt/format.h>

#include <cstring>
#include <ctime>

namespace vledger {
namespace {

// Decodes one UTF-8 code point at s[i]; returns its length, 0 if invalid.
size_t Utf8Next(std::string_view s, size_t i, uint32_t* cp) {
  auto b = static_cast<uint8_t>(s[i]);
  size_t len;
  uint32_t c;
  if (b < 0x80) {
    *cp = b;
    return 1;
  } else if ((b & 0xe0) == 0xc0) {
    len = 2;
    c = b & 0x1f;
  } else if ((b & 0xf0) == 0xe0) {
    len = 3;
    c = b & 0x0f;
  } else if ((b & 0xf8) == 0xf0) {
    len = 4;
    c = b & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; k++) {
    auto cb = static_cast<uint8_t>(s[i + k]);
    if ((cb & 0xc0) != 0x80) return 0;
    c = c << 6 | (cb & 0x3f);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMin[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
  *cp = c;
  return len;
}

bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

// Characters that reorder the text around them on screen (Unicode bidi
// embeddings, overrides, isolates and marks): a name or note holding one
// can show something else than what is stored.
bool IsBidiControl(uint32_t cp) {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
         cp == 0x200f || cp == 0x061c;
}

// Unicode noncharacters: U+FDD0..U+FDEF and the last two of every plane.
bool IsNoncharacter(uint32_t cp) {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

// Characters that show as nothing or as blank space: White_Space, the
// zero-width ones, and the fillers that render blank.
bool IsBlank(uint32_t cp) {
  switch (cp) {
    case 0x20:
    case 0xa0:
    case 0x1680:
    case 0x180e:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x2060:
    case 0x3000:
    case 0xfeff:
    case 0x115f:  // Hangul fillers
    case 0x1160:
    case 0x3164:
    case 0xffa0:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200d;  // spaces, then U+200B..U+200D zero-width
  }
}

// Whether each of the eight bytes of `w` is printable ASCII (0x20..0x7E):
// none has its high bit set, none is under 0x20 and none is 0x7F (the
// byte-wise tests of "Bit Twiddling Hacks", exact as a whole).
bool PrintableAscii8(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  uint64_t del = w ^ (0x7f * kOnes);
  return ((w & kHigh) | ((w - 0x20 * kOnes) & ~w & kHigh) | ((del - kOnes) & ~del & kHigh)) == 0;
}

// What is wrong with a name's or a text's characters, or nullopt when
// nothing. Sets *count to the number of code points.
std::optional<Msg> BadCharacters(std::string_view s, long* count) {
  constexpr uint64_t kSpaces = 0x2020202020202020;
  long n = 0;
  bool blank = true;
  for (size_t i = 0; i < s.size();) {
    // Printable ASCII (ids, request ids), eight bytes at a time.
    if (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (PrintableAscii8(w)) {
        blank = blank && w == kSpaces;
        i += 8;
        n += 8;
        continue;
      }
    }
    // ASCII, most of what is checked, without decoding: as below for a
    // code point under U+0080.
    auto b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7f) return Msg("must be UTF-8 text without control characters");
      blank = blank && b == 0x20;
      i++;
      n++;
      continue;
    }
    // Chinese text, most of the rest: a lead byte E4..EC starts a code
    // point in U+4000..U+CFFF, which holds no control, bidi control,
    // noncharacter or blank (all below U+4000 or from U+FDD0), and can be
    // neither overlong nor a surrogate: only its two continuation bytes
    // need checking.
    if (b >= 0xe4 && b <= 0xec && i + 2 < s.size() &&
        (static_cast<uint8_t>(s[i + 1]) & 0xc0) == 0x80 &&
        (static_cast<uint8_t>(s[i + 2]) & 0xc0) == 0x80) {
      blank = false;
      i += 3;
      n++;
      continue;
    }
    uint32_t cp;
    size_t len = Utf8Next(s, i, &cp);
    if (len == 0 || IsControl(cp)) return Msg("must be UTF-8 text without control characters");
    if (IsBidiControl(cp)) {
      return Msg("has the bidirectional control character U+{}", fmt::format("{:04X}", cp));
    }
    if (IsNoncharacter(cp)) {
      return Msg("has the Unicode noncharacter U+{}", fmt::format("{:04X}", cp));
    }
    blank = blank && IsBlank(cp);
    i += len;
    n++;
  }
  *count = n;
  if (n > 0 && blank) return Msg("must not be blank (only spaces or invisible characters)");
  return std::nullopt;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

Status CheckId(std::string_view field, std::string_view value) {
  if (value.empty() || value.size() > kIdCharsMax) {
    return Status::InvalidInput(field,
                                Msg("\"{}\" must be 1-64 characters of [A-Za-z0-9_.-]", value));
  }
  for (char c : value) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) {
      return Status::InvalidInput(field,
                                  Msg("\"{}\" must be 1-64 characters of [A-Za-z0-9_.-]", value));
    }
  }
  return Status::Ok();
}

Status CheckName(std::string_view field, std::string_view value) {
  long n = 0;
  std::optional<Msg> bad = BadCharacters(value, &n);
  if (bad) return Status::InvalidInput(field, std::move(*bad));
  if (n == 0) return Status::InvalidInput(field, "must not be empty");
  if (n > static_cast<long>(kNameCodePointsMax)) {
    return Status::InvalidInput(field, Msg("is {} characters long; at most 64 allowed", n));
  }
  return Status::Ok();
}

Status CheckText(std::string_view field, std::string_view value, bool optional) {
  if (value.empty()) {
    return optional ? Status::Ok() : Status::InvalidInput(field, "must not be empty");
  }
  if (value.size() > kTextBytesMax) {
    return Status::InvalidInput(
        field, Msg("is {} bytes long; at most {} allowed", value.size(), kTextBytesMax));
  }
  long n = 0;
  std::optional<Msg> bad = BadCharacters(value, &n);
  if (bad) return Status::InvalidInput(field, std::move(*bad));
  return Status::Ok();
}

Status CheckCalendarDate(std::string_view field, std::string_view value) {
  if (value.size() != 10 || value[4] != '-' || value[7] != '-' || !AllDigits(value.substr(0, 4)) ||
      !AllDigits(value.substr(5, 2)) || !AllDigits(value.substr(8, 2))) {
    return Status::InvalidInput(field, Msg("\"{}\" is not a date YYYY-MM-DD", value));
  }
  int y = ToInt(value.substr(0, 4)), m = ToInt(value.substr(5, 2)), d = ToInt(value.substr(8, 2));
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return Status::InvalidInput(field, Msg("\"{}\" is not a calendar date", value));
  }
  return Status::Ok();
}

Status CheckDate(std::string_view field, std::string_view value) {
  VLEDGER_TRY(CheckCalendarDate(field, value));
  int y = ToInt(value.substr(0, 4));
  if (y < kDateYearMin || y > kDateYearMax) {
    return Status::InvalidInput(
        field, Msg("\"{}\" is outside {}-01-01..{}-12-31", value, kDateYearMin, kDateYearMax));
  }
  return Status::Ok();
}

Status CheckMonth(std::string_view field, std::string_view value) {
  if (value.size() != 7 || value[4] != '-' || !AllDigits(value.substr(0, 4)) ||
      !AllDigits(value.substr(5, 2))) {
    return Status::InvalidInput(field, Msg("\"{}\" is not a month YYYY-MM", value));
  }
  int y = ToInt(value.substr(0, 4)), m = ToInt(value.substr(5, 2));
  if (y < 1900 || m < 1 || m > 12) {
    return Status::InvalidInput(field, Msg("\"{}\" is not a month YYYY-MM", value));
  }
  return Status::Ok();
}

Status CheckPeriod(std::string_view field, std::string_view value) {
  bool year_ok =
      value.size() >= 4 && AllDigits(value.substr(0, 4)) && ToInt(value.substr(0, 4)) >= 1900;
  if (value.size() == 4 && year_ok) return Status::Ok();
  if (value.size() == 6 && year_ok && value[4] == 'Q' && value[5] >= '1' && value[5] <= '4') {
    return Status::Ok();
  }
  if (value.size() == 7 && CheckMonth(field, value).ok()) return Status::Ok();
  return Status::InvalidInput(field,
                              Msg("\"{}\" is not a period (2021Q3, 2021-07 or 2021)", value));
}

bool DateInPeriod(std::string_view date, std::string_view period) {
  if (date.size() != 10 || date.substr(0, 4) != period.substr(0, 4)) return false;
  if (period.size() == 4) return true;
  if (period.size() == 7) return date.substr(0, 7) == period;
  int month = ToInt(date.substr(5, 2));
  return period.size() == 6 && (month - 1) / 3 + 1 == period[5] - '0';
}

std::string PeriodStart(std::string_view period) {
  std::string year(period.substr(0, 4));
  if (period.size() == 4) return year + "-01-01";
  if (period.size() == 7) return std::string(period) + "-01";
  int month = (period[5] - '1') * 3 + 1;
  return year + (month < 10 ? "-0" : "-") + std::to_string(month) + "-01";
}

std::string CstDate(int64_t utc_ms) {
  // Floor division, so times before 1970 also land on the right day.
  int64_t secs = utc_ms / 1000 - ((utc_ms % 1000 < 0) ? 1 : 0) + 8 * 3600;
  time_t t = static_cast<time_t>(secs);
  struct tm tm;
  gmtime_r(&t, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string UtcTimestamp(int64_t utc_ms) {
  int64_t ms = utc_ms % 1000 < 0 ? utc_ms % 1000 + 1000 : utc_ms % 1000;
  time_t t = static_cast<time_t>((utc_ms - ms) / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  std::string text = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", tm.tm_year + 1900,
                                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (ms != 0) text += fmt::format(".{:03d}", ms);
  return text + "Z";
}

int64_t DaysFromCivil(std::string_view date) {
  auto digits = [&](size_t at, size_t n) {
    int v = 0;
    for (char c : date.substr(at, n)) v = v * 10 + (c - '0');
    return v;
  };
  int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

std::string EscapeControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    size_t len = Utf8Next(text, i, &cp);
    if (len == 0 || (len == 1 && IsControl(cp))) {
      out += fmt::format("\\x{:02x}", static_cast<uint8_t>(text[i]));
      i++;
      continue;
    }
    if (IsControl(cp) || IsBidiControl(cp)) {
      out += fmt::format("\\u{{{:x}}}", cp);
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

}  // namespace vledger
