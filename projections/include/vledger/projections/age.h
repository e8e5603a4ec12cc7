// A resident's age as public output needs it (SPEC section 12, "Age"): from
// the birth date of the ID-card number when one was given, else from the
// birth year, else from what a clerk declared (`--minor`, `--adult`).
// Public output names only residents known to be adults on the report's
// date; a resident of unknown age counts as a minor, in totals only.
//
// Birth data are personal data: they come from the person record beside
// the chain (never the log); the declarations come from the log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"
#include "vledger/projections/registry.h"

namespace vledger {

inline constexpr int kAdultAgeYears = 18;
inline constexpr int kBirthYearMin = 1900;

enum class AgeClass { kUnknown, kMinor, kAdult };

// What decides a resident's age.
struct AgeFacts {
  std::string birth_date;  // "YYYY-MM-DD", from the ID-card number; "" when unknown
  int birth_year = 0;      // 0 when unknown
  bool declared_minor = false, declared_adult = false;
};

// A person record's birth date (YYYYMMDD as a number) as YYYY-MM-DD, and back.
std::string BirthDateText(uint32_t yyyymmdd);
uint32_t BirthDateNumber(std::string_view date);

// The facts of a resident: birth data from its person record (nullopt once
// erased), declarations from its record.
AgeFacts AgeFactsOf(const ResidentRecord& resident, const std::optional<Person>& person);

// Age on `date` (YYYY-MM-DD) from the birth data alone: with a birth date,
// an adult from the 18th birthday on; with a birth year alone, a minor
// through the calendar year of the 18th birthday. kUnknown without either.
AgeClass AgeFromBirth(const AgeFacts& facts, std::string_view date);
// The same, falling back on the declaration when the birth data are unknown.
AgeClass AgeOn(const AgeFacts& facts, std::string_view date);
// Whether public output on `date` may name the resident.
inline bool KnownAdultOn(const AgeFacts& facts, std::string_view date) {
  return AgeOn(facts, date) == AgeClass::kAdult;
}

// InvalidInput, naming --minor or --adult, when a declaration contradicts the
// birth data on `date`.
Status CheckAgeDeclaration(const AgeFacts& facts, std::string_view date);

// A birth year given on `date`: kBirthYearMin up to the year of `date`.
// InvalidInput naming `field`.
Status CheckBirthYear(std::string_view field, int year, std::string_view date);

// The birth date of an 18-character PRC ID-card number (GB 11643): digits
// 7-14 are the birth date YYYYMMDD, a calendar date from 1900 up to `date`;
// the 18th character is the check digit (0-9 or X, x taken as X). InvalidInput
// naming `field`, never quoting the number.
Result<std::string> IdCardBirthDate(std::string_view field, std::string_view id_card,
                                    std::string_view date);

}  // namespace vledger
