// Unit tests for the typed vocabularies (ledger/vocab.h, PersonOwnerKind in
// projections/registry.h): every name parses back to its enumerator, a
// text outside the vocabulary is refused naming the field with the message
// the commands have always given, and a projection row holding an unknown
// value is Corruption naming the row.
#include "vledger/ledger/vocab.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/rows.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"

namespace vledger {
namespace {

template <typename E>
void ExpectRoundTrips(const std::vector<E>& all, const std::vector<std::string_view>& names) {
  ASSERT_EQ(all.size(), names.size());
  for (size_t i = 0; i < all.size(); i++) {
    EXPECT_EQ(Name(all[i]), names[i]);
    Result<E> parsed = Parse<E>("f", Name(all[i]));
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_EQ(*parsed, all[i]);
  }
}

TEST(Vocab, EveryNameParsesBackToItsEnumerator) {
  ExpectRoundTrips<Role>(
      {Role::kAdmin, Role::kCollector, Role::kTreasurer, Role::kReviewer, Role::kAuditor,
       Role::kCheckpointer, Role::kAttestor},
      {"admin", "collector", "treasurer", "reviewer", "auditor", "checkpointer", "attestor"});
  ExpectRoundTrips<ResidentStatus>(
      {ResidentStatus::kActive, ResidentStatus::kDeparted, ResidentStatus::kDeceased},
      {"active", "departed", "deceased"});
  ExpectRoundTrips<FundKind>({FundKind::kCredit, FundKind::kCharity}, {"credit", "charity"});
  ExpectRoundTrips<BeneficiaryList>(
      {BeneficiaryList::kNone, BeneficiaryList::kMasked, BeneficiaryList::kFull},
      {"none", "masked", "full"});
  ExpectRoundTrips<CapPeriod>({CapPeriod::kMonth, CapPeriod::kQuarter, CapPeriod::kYear},
                              {"month", "quarter", "year"});
  ExpectRoundTrips<ReportKind>({ReportKind::kBulletin, ReportKind::kPoints, ReportKind::kFunds},
                               {"bulletin", "points", "funds"});
  ExpectRoundTrips<ReportFormat>(
      {ReportFormat::kHtml, ReportFormat::kMd, ReportFormat::kCsv, ReportFormat::kJson},
      {"html", "md", "csv", "json"});
  ExpectRoundTrips<ReportLang>({ReportLang::kZh, ReportLang::kEn}, {"zh", "en"});
  ExpectRoundTrips<PersonOwnerKind>(
      {PersonOwnerKind::kResident, PersonOwnerKind::kHousehold, PersonOwnerKind::kDonor},
      {"resident", "household", "donor"});
}

template <typename E>
void ExpectRefused(std::string_view field, std::string_view text, const std::string& message) {
  Result<E> parsed = Parse<E>(field, text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Code::kInvalidInput);
  EXPECT_EQ(parsed.status().field(), field);
  EXPECT_EQ(parsed.status().message(), message);
}

TEST(Vocab, UnknownTextIsInvalidInputNamingTheField) {
  ExpectRefused<Role>("role", "boss",
                      "role: \"boss\" is not admin, collector, treasurer, reviewer, auditor, "
                      "checkpointer or attestor");
  ExpectRefused<ResidentStatus>("status", "moved",
                                "status: \"moved\" is not active, departed or deceased");
  ExpectRefused<FundKind>("kind", "loan", "kind: \"loan\" is not credit or charity");
  ExpectRefused<BeneficiaryList>("list-beneficiaries", "",
                                 "list-beneficiaries: \"\" is not none, masked or full");
  ExpectRefused<CapPeriod>("cap-period", "week",
                           "cap-period: \"week\" is not month, quarter or year");
  ExpectRefused<ReportKind>("kind", "all", "kind: \"all\" is not one of bulletin|points|funds");
  ExpectRefused<ReportFormat>("--format", "pdf",
                              "--format: \"pdf\" is not one of html|md|csv|json");
  ExpectRefused<ReportLang>("--lang", "fr", "--lang: \"fr\" is not one of zh|en");
  ExpectRefused<PersonOwnerKind>("kind", "village",
                                 "kind: \"village\" is not resident, household or donor");
  // Names are exact: no case folding, no surrounding space.
  EXPECT_FALSE(Parse<Role>("role", "Admin").ok());
  EXPECT_FALSE(Parse<Role>("role", "admin ").ok());
}

// `row` with the first `from` replaced by `to` (of the same length, so the
// length prefix stays right).
std::string Damaged(std::string row, std::string_view from, std::string_view to) {
  EXPECT_EQ(from.size(), to.size());
  size_t at = row.find(from);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) row.replace(at, from.size(), to);
  return row;
}

template <typename F>
void ExpectCorruption(F&& decode, std::string_view row_name) {
  try {
    decode();
    ADD_FAILURE() << "decoded " << row_name;
  } catch (const RowReadError& e) {
    EXPECT_EQ(e.status().code(), Code::kCorruption);
    EXPECT_NE(e.status().message().find(std::string(row_name)), std::string::npos)
        << e.status().message();
  }
}

TEST(Vocab, RowsStoreTheNamesAndKeepTheirBytes) {
  KeyRecord key;
  key.key_id = "K1";
  key.role = Role::kTreasurer;
  std::string row = key.EncodeRow();
  EXPECT_NE(row.find("treasurer"), std::string::npos);
  EXPECT_EQ(KeyRecord::DecodeRow("K1", row).role, Role::kTreasurer);
  EXPECT_EQ(KeyRecord::DecodeRow("K1", row).EncodeRow(), row);

  RuleRecord rule;
  rule.code = "R1";
  std::string uncapped = rule.EncodeRow();
  EXPECT_EQ(RuleRecord::DecodeRow("R1", uncapped).EncodeRow(), uncapped);
  rule.cap = 10;
  rule.cap_period = CapPeriod::kQuarter;
  std::string capped = rule.EncodeRow();
  EXPECT_NE(capped.find("quarter"), std::string::npos);
  EXPECT_EQ(RuleRecord::DecodeRow("R1", capped).cap_period, CapPeriod::kQuarter);
}

TEST(Vocab, UnknownStoredValueIsCorruptionNamingTheRow) {
  KeyRecord key;
  key.key_id = "K1";
  key.role = Role::kAdmin;
  std::string key_row = Damaged(key.EncodeRow(), "admin", "boss!");
  ExpectCorruption([&] { KeyRecord::DecodeRow("K1", key_row); }, "key/K1");

  ResidentState resident;
  resident.rec.id = "R1";
  resident.rec.status = ResidentStatus::kDeparted;
  std::string resident_row = Damaged(resident.EncodeRow(), "departed", "departex");
  ExpectCorruption([&] { ResidentState::DecodeRow("R1", resident_row); }, "res/R1");

  PersonOwner owner{.id = "7", .kind = PersonOwnerKind::kDonor};
  std::string owner_row = Damaged(owner.EncodeRow(), "donor", "donee");
  ExpectCorruption([&] { PersonOwner::DecodeRow("ab", owner_row); }, "pref/ab");

  FundState fund;
  fund.rec.code = "F1";
  fund.rec.kind = FundKind::kCharity;
  fund.rec.list_beneficiaries = BeneficiaryList::kMasked;
  std::string kind_row = Damaged(fund.EncodeRow(), "charity", "chariTy");
  ExpectCorruption([&] { FundState::DecodeRow("F1", kind_row); }, "fund/F1");
  std::string list_row = Damaged(fund.EncodeRow(), "masked", "hidden");
  ExpectCorruption([&] { FundState::DecodeRow("F1", list_row); }, "fund/F1");

  RuleRecord rule;
  rule.code = "R1";
  rule.cap = 10;
  rule.cap_period = CapPeriod::kMonth;
  std::string rule_row = Damaged(rule.EncodeRow(), "month", "week!");
  ExpectCorruption([&] { RuleRecord::DecodeRow("R1", rule_row); }, "rule/R1");
}

}  // namespace
}  // namespace vledger
