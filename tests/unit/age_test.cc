// A resident's age (SPEC section 12, "Age"): ID-card birth date first, then
// birth year, then the declaration; public output names known adults only.
#include "vledger/projections/age.h"

#include <gtest/gtest.h>

namespace vledger {
namespace {

AgeFacts Born(std::string date, int year = 0) {
  AgeFacts f;
  f.birth_date = std::move(date);
  f.birth_year = year;
  return f;
}

TEST(Age, BirthDateMakesAnAdultFromThe18thBirthday) {
  AgeFacts f = Born("2003-06-15");
  EXPECT_EQ(AgeOn(f, "2021-06-14"), AgeClass::kMinor);
  EXPECT_EQ(AgeOn(f, "2021-06-15"), AgeClass::kAdult);
}

TEST(Age, BornOn29FebruaryIsAnAdultOn1MarchOfACommonYear) {
  AgeFacts f = Born("2004-02-29");
  EXPECT_EQ(AgeOn(f, "2022-02-28"), AgeClass::kMinor);
  EXPECT_EQ(AgeOn(f, "2022-03-01"), AgeClass::kAdult);
}

TEST(Age, BirthYearAloneKeepsAMinorThroughTheYearOfThe18thBirthday) {
  AgeFacts f = Born("", 2003);
  EXPECT_EQ(AgeOn(f, "2021-12-31"), AgeClass::kMinor);
  EXPECT_EQ(AgeOn(f, "2022-01-01"), AgeClass::kAdult);
}

TEST(Age, BirthDataOverrideTheDeclaration) {
  AgeFacts f = Born("", 1950);
  f.declared_minor = true;
  EXPECT_EQ(AgeOn(f, "2021-09-30"), AgeClass::kAdult);
  f = Born("2016-01-01", 2016);
  f.declared_adult = true;
  EXPECT_EQ(AgeOn(f, "2021-09-30"), AgeClass::kMinor);
}

TEST(Age, WithoutBirthDataTheDeclarationDecidesElseUnknown) {
  AgeFacts f;
  EXPECT_EQ(AgeOn(f, "2021-09-30"), AgeClass::kUnknown);
  EXPECT_FALSE(KnownAdultOn(f, "2021-09-30"));
  f.declared_adult = true;
  EXPECT_TRUE(KnownAdultOn(f, "2021-09-30"));
  f = AgeFacts{};
  f.declared_minor = true;
  EXPECT_EQ(AgeOn(f, "2099-01-01"), AgeClass::kMinor);
}

TEST(Age, FactsComeFromThePersonRecordAndTheResident) {
  ResidentRecord r;
  r.adult = true;
  Person p;
  p.birth_year = 2010;
  p.birth_date = 20100704;
  AgeFacts f = AgeFactsOf(r, p);
  EXPECT_EQ(f.birth_date, "2010-07-04");
  EXPECT_EQ(f.birth_year, 2010);
  EXPECT_TRUE(f.declared_adult);
  EXPECT_EQ(AgeOn(f, "2021-09-30"), AgeClass::kMinor);
  // An erased record leaves only the declaration.
  EXPECT_EQ(AgeOn(AgeFactsOf(r, std::nullopt), "2021-09-30"), AgeClass::kAdult);
}

TEST(Age, DeclarationContradictingTheBirthDataIsRejected) {
  AgeFacts f = Born("", 1950);
  f.declared_minor = true;
  Status st = CheckAgeDeclaration(f, "2021-09-30");
  EXPECT_EQ(st.code(), Code::kInvalidInput);
  EXPECT_NE(st.message().find("--minor"), std::string::npos);
  f = Born("", 2016);
  f.declared_adult = true;
  st = CheckAgeDeclaration(f, "2021-09-30");
  EXPECT_EQ(st.code(), Code::kInvalidInput);
  EXPECT_NE(st.message().find("--adult"), std::string::npos);
  // Agreeing declarations and declarations without birth data pass.
  f = Born("", 2016);
  f.declared_minor = true;
  EXPECT_TRUE(CheckAgeDeclaration(f, "2021-09-30").ok());
  f = AgeFacts{};
  f.declared_adult = true;
  EXPECT_TRUE(CheckAgeDeclaration(f, "2021-09-30").ok());
}

TEST(Age, BirthYearFrom1900UpToThisYear) {
  EXPECT_TRUE(CheckBirthYear("--birth-year", 1900, "2021-09-30").ok());
  EXPECT_TRUE(CheckBirthYear("--birth-year", 2021, "2021-09-30").ok());
  EXPECT_EQ(CheckBirthYear("--birth-year", 1899, "2021-09-30").code(), Code::kInvalidInput);
  Status future = CheckBirthYear("--birth-year", 2099, "2021-09-30");
  EXPECT_EQ(future.code(), Code::kInvalidInput);
  EXPECT_EQ(future.message().rfind("--birth-year: ", 0), 0u);
}

TEST(Age, IdCardGivesItsBirthDate) {
  auto birth = IdCardBirthDate("--id-card", "11010519491231002X", "2021-09-30");
  ASSERT_TRUE(birth.ok()) << birth.status().message();
  EXPECT_EQ(*birth, "1949-12-31");
  EXPECT_EQ(*IdCardBirthDate("--id-card", "11010519491231002x", "2021-09-30"), "1949-12-31");
  EXPECT_EQ(*IdCardBirthDate("--id-card", "371081200802290011", "2021-09-30"), "2008-02-29");
}

TEST(Age, IdCardWithBadShapeCheckDigitOrDateIsRejected) {
  for (const char* bad : {"11010519491231002", "1101051949123100XX", "11010519491231002Y",
                          "110105194912310021",     // wrong check digit
                          "371081200302290015",     // 2003-02-29 is no date
                          "371081201603010018"}) {  // born after the day given
    auto birth = IdCardBirthDate("--id-card", bad, "2015-01-01");
    ASSERT_FALSE(birth.ok()) << bad;
    EXPECT_EQ(birth.status().code(), Code::kInvalidInput);
    EXPECT_EQ(birth.status().message().find(bad), std::string::npos) << "the number is quoted";
  }
}

TEST(Age, BirthDateNumberRoundTrips) {
  EXPECT_EQ(BirthDateNumber("1962-03-15"), 19620315u);
  EXPECT_EQ(BirthDateText(19620315), "1962-03-15");
}

}  // namespace
}  // namespace vledger
