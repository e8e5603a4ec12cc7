#include "vledger/projections/age.h"

#include <fmt/format.h>

#include "vledger/projections/validate.h"

namespace vledger {
namespace {

int YearOf(std::string_view date) {
  int year = 0;
  for (char c : date.substr(0, 4)) year = year * 10 + (c - '0');
  return year;
}

}  // namespace

std::string BirthDateText(uint32_t yyyymmdd) {
  return fmt::format("{:04d}-{:02d}-{:02d}", yyyymmdd / 10000, yyyymmdd / 100 % 100,
                     yyyymmdd % 100);
}

uint32_t BirthDateNumber(std::string_view date) {
  uint32_t n = 0;
  for (char c : date) {
    if (c != '-') n = n * 10 + static_cast<uint32_t>(c - '0');
  }
  return n;
}

AgeFacts AgeFactsOf(const ResidentRecord& resident, const std::optional<Person>& person) {
  AgeFacts facts;
  if (person) {
    if (person->birth_date != 0) facts.birth_date = BirthDateText(person->birth_date);
    facts.birth_year = person->birth_year;
  }
  facts.declared_minor = resident.minor;
  facts.declared_adult = resident.adult;
  return facts;
}

AgeClass AgeFromBirth(const AgeFacts& facts, std::string_view date) {
  if (facts.birth_date.size() == 10) {
    // The 18th birthday as YYYY-MM-DD; a 29 February birthday falls on
    // 1 March in a common year, since "YYYY-02-29" sorts between 28 and 1.
    std::string birthday = fmt::format("{:04d}", YearOf(facts.birth_date) + kAdultAgeYears) +
                           facts.birth_date.substr(4);
    return date >= birthday ? AgeClass::kAdult : AgeClass::kMinor;
  }
  if (facts.birth_year != 0) {
    return YearOf(date) > facts.birth_year + kAdultAgeYears ? AgeClass::kAdult : AgeClass::kMinor;
  }
  return AgeClass::kUnknown;
}

AgeClass AgeOn(const AgeFacts& facts, std::string_view date) {
  AgeClass age = AgeFromBirth(facts, date);
  if (age != AgeClass::kUnknown) return age;
  if (facts.declared_minor) return AgeClass::kMinor;
  if (facts.declared_adult) return AgeClass::kAdult;
  return AgeClass::kUnknown;
}

Status CheckAgeDeclaration(const AgeFacts& facts, std::string_view date) {
  if (facts.declared_minor && facts.declared_adult) {
    return Status::InvalidInput("--minor", "give --minor or --adult, not both");
  }
  AgeClass born = AgeFromBirth(facts, date);
  bool by_year = facts.birth_date.empty();
  if (facts.declared_minor && born == AgeClass::kAdult) {
    if (by_year) {
      return Status::InvalidInput(
          "--minor",
          Msg("by the birth year {} the resident is an adult on {}", facts.birth_year, date));
    }
    return Status::InvalidInput("--minor",
                                Msg("by the ID card's birth date {} the resident is an adult on {}",
                                    facts.birth_date, date));
  }
  if (facts.declared_adult && born == AgeClass::kMinor) {
    if (by_year) {
      return Status::InvalidInput(
          "--adult",
          Msg("by the birth year {} the resident is a minor on {}", facts.birth_year, date));
    }
    return Status::InvalidInput("--adult",
                                Msg("by the ID card's birth date {} the resident is a minor on {}",
                                    facts.birth_date, date));
  }
  return Status::Ok();
}

Status CheckBirthYear(std::string_view field, int year, std::string_view date) {
  if (year < kBirthYearMin || year > YearOf(date)) {
    return Status::InvalidInput(
        field, Msg("{} is not a birth year ({} to {})", year, kBirthYearMin, YearOf(date)));
  }
  return Status::Ok();
}

Result<std::string> IdCardBirthDate(std::string_view field, std::string_view id_card,
                                    std::string_view date) {
  bool shape = id_card.size() == 18 &&
               id_card.substr(0, 17).find_first_not_of("0123456789") == std::string_view::npos &&
               std::string_view("0123456789Xx").find(id_card[17]) != std::string_view::npos;
  if (!shape) return Status::InvalidInput(field, "not an 18-character ID-card number");
  // GB 11643 check digit: weights 2^(17-i) mod 11, the sum mod 11 indexes "10X98765432".
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; i++) sum += (id_card[i] - '0') * kWeights[i];
  char check = id_card[17] == 'x' ? 'X' : id_card[17];
  if ("10X98765432"[sum % 11] != check) {
    return Status::InvalidInput(field, "the check digit does not match (a typo?)");
  }
  std::string birth = std::string(id_card.substr(6, 4)) + "-" + std::string(id_card.substr(10, 2)) +
                      "-" + std::string(id_card.substr(12, 2));
  if (!CheckCalendarDate(field, birth).ok() || birth < "1900-01-01" || birth > date) {
    return Status::InvalidInput(field, "digits 7-14 are not a birth date from 1900 up to today");
  }
  return birth;
}

}  // namespace vledger
