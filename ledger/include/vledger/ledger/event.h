// The event model: plain C++ mirrors of schemas/event.capnp.
//
// Callers build and read these; only the codec (codec.h) knows Cap'n Proto.
// Field names follow the schema in snake_case; binary fields (keys, refs,
// hashes) are std::string holding raw bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vledger {

// ledger
struct Genesis {
  std::string name, origin, public_key;
  bool test_clock = false;      // commands honour VLEDGER_NOW (init --test-clock)
  bool monotonic_time = false;  // recordedAt never goes backwards (verify checks)
};
struct KeyRegistered {
  std::string public_key, role;
  std::vector<std::string> villages;
  std::string label;
};
struct KeyRevoked {
  std::string key_id;
};

// registry
struct VillageRegistered {
  std::string code, name;
};
struct HouseholdRegistered {
  std::string id, village, head_ref;
};
struct HouseholdHeadSet {
  std::string household, resident;
};
struct VillagePolicySet {
  std::string village;
  bool review = false;
  int64_t star_points = 20;
  uint32_t max_stars = 5;
  uint32_t red_flag_share_pct = 10;
  std::string objection_office, objection_phone;
  std::string public_names;  // "", full, masked, none
  std::string site_url;
  uint32_t board_top = 0;                       // 0: 10
  uint32_t star_household_stars = 0;            // 0: max_stars
  std::vector<std::string> holidays, workdays;  // YYYY-MM-DD, ascending
};
// A village's credit grades from a date (schema: GradePolicySet).
struct GradePolicySet {
  std::string village, effective_from, basis;  // basis: "score" or "year"
  std::vector<std::string> grades;             // best first
  std::vector<int64_t> minimums, household_minimums;
};
// A benefit of a credit grade (schema: BenefitAdded); villages empty: all.
struct BenefitAdded {
  std::string code, name, partner, min_grade;
  std::vector<std::string> villages;
};
struct BenefitWithdrawn {
  std::string code;
};
// A credit certificate issued (schema: AttestationIssued); benefit "":
// the grade alone. certificate_hash: SHA-256 of the note, 32 bytes.
struct AttestationIssued {
  std::string resident, benefit, certificate_hash, valid_until, grade;
  uint64_t checkpoint_size = 0;
};
struct AttestationRevoked {
  std::string certificate_hash, reason;
};
struct ResidentRegistered {
  std::string id, village, household;
  bool minor = false;
  std::string person_ref;
  bool adult = false;
};
struct ResidentUpdated {
  std::string id, household, status;
  std::string person_ref;  // the new person record's, or empty
  bool minor = false, adult = false;
};
struct PersonErased {
  std::string person_ref, reason;
};

// rules
struct RuleDefined {
  std::string code, village, category, description;
  int64_t points = 0;
  bool has_range = false;
  int64_t min = 0, max = 0;
  int64_t cap = 0;
  std::string cap_period;
};
struct RuleRetired {
  std::string code;
};
// The display name of a code (kind: rule, purpose, shop, fund, category).
struct DisplayNameSet {
  std::string kind, code, village, name;
};

// points
struct PointsEntry {
  std::string resident, rule;
  int64_t points = 0;
  std::string occurred_on, note, evidence, household;
};
struct PointsAwarded : PointsEntry {};
struct PointsDeducted : PointsEntry {};
struct Rejection {
  uint64_t seq = 0;
  std::string reason;
};
struct EntriesReviewed {
  std::string village;
  std::vector<uint64_t> approved;
  std::vector<Rejection> rejected;
};
struct PointsRedeemed {
  std::string resident, shop, item;
  uint32_t quantity = 1;
  int64_t points = 0;
};
struct PointsExpired {
  std::string village, before;
};
// The credit supermarket's shelf: an item and its price (stock added), a restock.
struct ShopItemAdded {
  std::string village, shop, item;
  int64_t points = 0;  // a unit
  uint32_t stock = 0;
};
struct ShopRestocked {
  std::string village, shop, item;
  uint32_t quantity = 0;
};

// funds
struct FundOpened {
  std::string code, name, kind, village, list_beneficiaries;
};
struct DonationReceived {
  std::string fund, donor_ref, donor_org;
  bool anonymous = false, public_name = false;
  int64_t amount_fen = 0;
  std::string purpose, receipt;
};
struct FundDisbursed {
  std::string fund, to_resident, to_household;
  int64_t amount_fen = 0;
  std::string purpose, period, note;
  uint64_t allowance = 0;
};
struct AllowanceAdded {
  std::string fund, to_resident, to_household;
  int64_t amount_fen = 0;
  std::string purpose, from_month, until_month;
};
struct AllowanceStopped {
  uint64_t allowance = 0;
};
struct RestrictionReleased {
  std::string fund, purpose;
  int64_t amount_fen = 0;
  std::string consent;
};
struct DividendDeclared {
  std::string fund, village, period;
  int64_t amount_fen = 0;
  bool active_only = false;  // departed and deceased residents are skipped
};

// corrections
struct EventReversed {
  uint64_t target = 0;
  std::string reason;
};

// disclosure
struct DisclosurePublished {
  std::string village, period, kind, report_sha256;
  uint64_t tree_size = 0;
  std::string window_end, format, lang;
};
struct ObjectionFiled {
  std::optional<uint64_t> about_event;  // else about_report is set
  std::string about_report;             // SHA-256 of a published report
  std::string by_resident, by_ref, text, reply_due;
};
struct ObjectionResolved {
  uint64_t objection = 0;
  bool upheld = false;
  std::string answer;
  uint64_t reversal = 0;
};

// Order matches the schema's union ordinals (genesis first).
using EventBody =
    std::variant<Genesis, KeyRegistered, KeyRevoked, VillageRegistered, HouseholdRegistered,
                 HouseholdHeadSet, VillagePolicySet, ResidentRegistered, ResidentUpdated,
                 PersonErased, RuleDefined, RuleRetired, PointsAwarded, PointsDeducted,
                 EntriesReviewed, PointsRedeemed, PointsExpired, FundOpened, DonationReceived,
                 FundDisbursed, AllowanceAdded, AllowanceStopped, RestrictionReleased,
                 DividendDeclared, EventReversed, DisclosurePublished, ObjectionFiled,
                 ObjectionResolved, DisplayNameSet, ShopItemAdded, ShopRestocked, GradePolicySet,
                 BenefitAdded, BenefitWithdrawn, AttestationIssued, AttestationRevoked>;

struct Event {
  int64_t recorded_at_ms = 0;
  std::string key_id;
  std::string request_id;
  EventBody body;
};

// The schema's union member name of the body: "genesis", "pointsAwarded", ...
const char* EventTypeName(const EventBody& body);

// A person record kept beside the chain (never in the log).
struct Person {
  std::string name;
  uint16_t birth_year = 0;
  std::string phone;
  std::string id_card_hash;
  uint32_t birth_date = 0;  // YYYYMMDD from the ID-card number, or 0

  bool operator==(const Person&) const = default;
};

}  // namespace vledger
