// Validation of user-given values (SPEC section 3). Each returns InvalidInput
// naming `field` when the value is malformed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vledger/ledger/status.h"

namespace vledger {

inline constexpr size_t kIdCharsMax = 64;
inline constexpr size_t kNameCodePointsMax = 64;
inline constexpr size_t kTextBytesMax = 4096;  // notes, reasons, item names

// 1-64 chars of [A-Za-z0-9_.-].
Status CheckId(std::string_view field, std::string_view value);
// UTF-8, 1-64 code points, no control characters (general category Cc),
// no bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E,
// U+200F, U+061C), no noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF),
// and not blank: not only spaces (U+3000 too) and zero-width characters.
Status CheckName(std::string_view field, std::string_view value);
// Free text: valid UTF-8, at most kTextBytesMax bytes, the characters
// CheckName takes; may be empty when `optional`, never blank.
Status CheckText(std::string_view field, std::string_view value, bool optional);

// `text` made safe to print on a terminal: control characters (C0, DEL,
// C1) and bytes that are not UTF-8 become \x1b or \u{85}, bidirectional
// controls \u{202e}; everything else is kept.
std::string EscapeControls(std::string_view text);

// Dates (of acts, cut-offs, reply dues) lie in these years: a date before
// 1970 or after 2200 is a typing mistake, not a village's act.
inline constexpr int kDateYearMin = 1970;
inline constexpr int kDateYearMax = 2200;

// YYYY-MM-DD, a real calendar date from kDateYearMin-01-01 to
// kDateYearMax-12-31: the date of an act, a cut-off or a reply due.
Status CheckDate(std::string_view field, std::string_view value);
// YYYY-MM-DD, a real calendar date of any year (a birth date may be older
// than 1970).
Status CheckCalendarDate(std::string_view field, std::string_view value);
// YYYY-MM.
Status CheckMonth(std::string_view field, std::string_view value);
// 2021Q3, 2021-07 or 2021.
Status CheckPeriod(std::string_view field, std::string_view value);

// Whether `date` (YYYY-MM-DD) falls in `period`.
bool DateInPeriod(std::string_view date, std::string_view period);
// The first day of a valid period: 2021Q3 -> 2021-07-01, 2021-07 ->
// 2021-07-01, 2021 -> 2021-01-01.
std::string PeriodStart(std::string_view period);

// The China Standard Time (UTC+8) date of a UTC millisecond timestamp.
std::string CstDate(int64_t utc_ms);
// A UTC millisecond timestamp as 2021-09-30T10:00:00Z (milliseconds shown
// only when not zero: 2021-09-30T10:00:00.250Z).
std::string UtcTimestamp(int64_t utc_ms);

// Days from 1970-01-01 to a valid YYYY-MM-DD date (negative before it),
// and back (Howard Hinnant's civil-day algorithms).
int64_t DaysFromCivil(std::string_view date);
std::string CivilFromDays(int64_t days);

}  // namespace vledger
