// Canonical encoding of events and person records (SPEC section 5).
//
// The plain structs of event.h are copied field by field into Cap'n Proto
// builders and out of readers; the bytes that get hashed are
// capnp::canonicalize() of the root. Decoding accepts only bytes that encode
// back to themselves, so "decode then re-encode" is always the identity and a
// stored event is exactly the bytes that were hashed.
//
// Encoding rule worth knowing when writing events by other means: every
// pointer field (Text, Data, List) is always set, even when empty, so an empty
// text is a pointer to an empty string, never a null pointer. The exception
// is a pointer field appended to a struct after events of it were written
// (ResidentUpdated.personRef): it is set only when not empty, so the older
// events keep their encoding (canonical form drops a trailing null pointer).
//
// event.capnp has no $Cxx.namespace, so the generated types live in the global
// namespace: below, `::Genesis` is the wire struct and `Genesis` the plain one.
#include "vledger/ledger/codec.h"

#include <capnp/dynamic.h>
#include <capnp/message.h>
#include <capnp/schema.h>
#include <kj/debug.h>
#include <kj/exception.h>

#include <array>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "capnp_blobs.h"
#include "event.capnp.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/crypto.h"

namespace vledger {
namespace {

// Every union member of Event.body: the plain type (whose name is also the
// member's UpperCamel name in the generated code) and its `Which` constant.
#define VLEDGER_EVENT_BODIES(X)                \
  X(Genesis, GENESIS)                          \
  X(KeyRegistered, KEY_REGISTERED)             \
  X(KeyRevoked, KEY_REVOKED)                   \
  X(VillageRegistered, VILLAGE_REGISTERED)     \
  X(HouseholdRegistered, HOUSEHOLD_REGISTERED) \
  X(HouseholdHeadSet, HOUSEHOLD_HEAD_SET)      \
  X(VillagePolicySet, VILLAGE_POLICY_SET)      \
  X(ResidentRegistered, RESIDENT_REGISTERED)   \
  X(ResidentUpdated, RESIDENT_UPDATED)         \
  X(PersonErased, PERSON_ERASED)               \
  X(RuleDefined, RULE_DEFINED)                 \
  X(RuleRetired, RULE_RETIRED)                 \
  X(PointsAwarded, POINTS_AWARDED)             \
  X(PointsDeducted, POINTS_DEDUCTED)           \
  X(EntriesReviewed, ENTRIES_REVIEWED)         \
  X(PointsRedeemed, POINTS_REDEEMED)           \
  X(PointsExpired, POINTS_EXPIRED)             \
  X(FundOpened, FUND_OPENED)                   \
  X(DonationReceived, DONATION_RECEIVED)       \
  X(FundDisbursed, FUND_DISBURSED)             \
  X(AllowanceAdded, ALLOWANCE_ADDED)           \
  X(AllowanceStopped, ALLOWANCE_STOPPED)       \
  X(RestrictionReleased, RESTRICTION_RELEASED) \
  X(DividendDeclared, DIVIDEND_DECLARED)       \
  X(EventReversed, EVENT_REVERSED)             \
  X(DisclosurePublished, DISCLOSURE_PUBLISHED) \
  X(ObjectionFiled, OBJECTION_FILED)           \
  X(ObjectionResolved, OBJECTION_RESOLVED)     \
  X(DisplayNameSet, DISPLAY_NAME_SET)          \
  X(ShopItemAdded, SHOP_ITEM_ADDED)            \
  X(ShopRestocked, SHOP_RESTOCKED)             \
  X(GradePolicySet, GRADE_POLICY_SET)          \
  X(BenefitAdded, BENEFIT_ADDED)               \
  X(BenefitWithdrawn, BENEFIT_WITHDRAWN)       \
  X(AttestationIssued, ATTESTATION_ISSUED)     \
  X(AttestationRevoked, ATTESTATION_REVOKED)

// EventTypeName and EventBodyJson index the union by the variant's index, so
// the variant's order must be the schema's ordinal order.
#define VLEDGER_CHECK_ORDER(Type, WHICH)                                                           \
  static_assert(std::is_same_v<std::variant_alternative_t<::Event::Body::WHICH, EventBody>, Type>, \
                #Type " must sit at the variant index of its union ordinal");
VLEDGER_EVENT_BODIES(VLEDGER_CHECK_ORDER)
#undef VLEDGER_CHECK_ORDER
static_assert(std::variant_size_v<EventBody> == ::Event::Body::ATTESTATION_REVOKED + 1,
              "EventBody must have exactly one alternative per union member");

// Far above any real event or person record; bounds the copy a corrupt row
// can cause.
constexpr size_t kEncodedBytesMax = 16u << 20;
// Struct nesting in event.capnp is at most Event > body > list > Rejection.
constexpr int kNestingLimit = 16;
// Decoding reads each word a few times (canonical check, then the fields);
// anything beyond this is an amplification attack, not an event.
constexpr uint64_t kTraversalWordsPerWord = 8;
constexpr uint64_t kTraversalWordsSlack = 1024;

// ---------------------------------------------------------------- blobs

// Sized views: a std::string may hold NUL bytes, so never go through c_str().
capnp::Text::Reader AsText(const std::string& s) { return {s.data(), s.size()}; }
using blob::AsData;
using blob::Str;
// Into a string that may hold a value already: its memory is reused.
void Assign(std::string* out, capnp::Text::Reader t) { out->assign(t.begin(), t.size()); }
void Assign(std::string* out, capnp::Data::Reader d) {
  out->assign(reinterpret_cast<const char*>(d.begin()), d.size());
}

capnp::uint ListSize(size_t n) {
  constexpr size_t kListElementsMax = (1u << 29) - 1;  // Cap'n Proto's own limit
  VLEDGER_ASSERT(n <= kListElementsMax);
  return static_cast<capnp::uint>(n);
}

void FillTexts(capnp::List<capnp::Text>::Builder out, const std::vector<std::string>& in) {
  for (capnp::uint i = 0; i < out.size(); ++i) out.set(i, AsText(in[i]));
}
std::vector<std::string> ReadTexts(capnp::List<capnp::Text>::Reader in) {
  std::vector<std::string> out;
  out.reserve(in.size());
  for (capnp::Text::Reader t : in) out.push_back(Str(t));
  return out;
}

// ---------------------------------------------------------------- ledger
// Each Fill writes every field of the plain struct; the Read beside it reads
// every field back, in declaration order (designated initializers enforce it).
// The kinds most of a log holds are read by ReadInto instead, field by field
// into a struct that may hold an earlier event of the same kind, reusing its
// strings' memory (DecodeEventInto). Codec.FlatKindsAreWrittenAsTheBuilder-
// WritesThem checks that each sets every field (random events decoded into
// the last of their kind), Codec.DecodingIntoAnEventReusesIt the reuse.

void Fill(::Genesis::Builder out, const Genesis& in) {
  out.setName(AsText(in.name));
  out.setOrigin(AsText(in.origin));
  out.setPublicKey(AsData(in.public_key));
  out.setTestClock(in.test_clock);
  out.setMonotonicTime(in.monotonic_time);
}
Genesis Read(::Genesis::Reader in) {
  return {.name = Str(in.getName()),
          .origin = Str(in.getOrigin()),
          .public_key = Str(in.getPublicKey()),
          .test_clock = in.getTestClock(),
          .monotonic_time = in.getMonotonicTime()};
}

void Fill(::KeyRegistered::Builder out, const KeyRegistered& in) {
  out.setPublicKey(AsData(in.public_key));
  out.setRole(AsText(in.role));
  FillTexts(out.initVillages(ListSize(in.villages.size())), in.villages);
  out.setLabel(AsText(in.label));
}
KeyRegistered Read(::KeyRegistered::Reader in) {
  return {.public_key = Str(in.getPublicKey()),
          .role = Str(in.getRole()),
          .villages = ReadTexts(in.getVillages()),
          .label = Str(in.getLabel())};
}

void Fill(::KeyRevoked::Builder out, const KeyRevoked& in) { out.setKeyId(AsText(in.key_id)); }
KeyRevoked Read(::KeyRevoked::Reader in) { return {.key_id = Str(in.getKeyId())}; }

// -------------------------------------------------------------- registry

void Fill(::VillageRegistered::Builder out, const VillageRegistered& in) {
  out.setCode(AsText(in.code));
  out.setName(AsText(in.name));
}
void ReadInto(::VillageRegistered::Reader in, VillageRegistered* out) {
  Assign(&out->code, in.getCode());
  Assign(&out->name, in.getName());
}

void Fill(::HouseholdRegistered::Builder out, const HouseholdRegistered& in) {
  out.setId(AsText(in.id));
  out.setVillage(AsText(in.village));
  out.setHeadRef(AsData(in.head_ref));
}
void ReadInto(::HouseholdRegistered::Reader in, HouseholdRegistered* out) {
  Assign(&out->id, in.getId());
  Assign(&out->village, in.getVillage());
  Assign(&out->head_ref, in.getHeadRef());
}

void Fill(::HouseholdHeadSet::Builder out, const HouseholdHeadSet& in) {
  out.setHousehold(AsText(in.household));
  out.setResident(AsText(in.resident));
}
HouseholdHeadSet Read(::HouseholdHeadSet::Reader in) {
  return {.household = Str(in.getHousehold()), .resident = Str(in.getResident())};
}

void Fill(::VillagePolicySet::Builder out, const VillagePolicySet& in) {
  out.setVillage(AsText(in.village));
  out.setReview(in.review);
  out.setStarPoints(in.star_points);
  out.setMaxStars(in.max_stars);
  out.setRedFlagSharePct(in.red_flag_share_pct);
  // Fields appended after the first release are set only when not empty,
  // so an event written before them re-encodes to its own bytes.
  if (!in.objection_office.empty()) out.setObjectionOffice(AsText(in.objection_office));
  if (!in.objection_phone.empty()) out.setObjectionPhone(AsText(in.objection_phone));
  if (!in.public_names.empty()) out.setPublicNames(AsText(in.public_names));
  if (!in.site_url.empty()) out.setSiteUrl(AsText(in.site_url));
  out.setBoardTop(in.board_top);
  out.setStarHouseholdStars(in.star_household_stars);
  if (!in.holidays.empty()) {
    FillTexts(out.initHolidays(ListSize(in.holidays.size())), in.holidays);
  }
  if (!in.workdays.empty()) {
    FillTexts(out.initWorkdays(ListSize(in.workdays.size())), in.workdays);
  }
}
VillagePolicySet Read(::VillagePolicySet::Reader in) {
  return {.village = Str(in.getVillage()),
          .review = in.getReview(),
          .star_points = in.getStarPoints(),
          .max_stars = in.getMaxStars(),
          .red_flag_share_pct = in.getRedFlagSharePct(),
          .objection_office = Str(in.getObjectionOffice()),
          .objection_phone = Str(in.getObjectionPhone()),
          .public_names = Str(in.getPublicNames()),
          .site_url = Str(in.getSiteUrl()),
          .board_top = in.getBoardTop(),
          .star_household_stars = in.getStarHouseholdStars(),
          .holidays = ReadTexts(in.getHolidays()),
          .workdays = ReadTexts(in.getWorkdays())};
}

void Fill(::ResidentRegistered::Builder out, const ResidentRegistered& in) {
  out.setId(AsText(in.id));
  out.setVillage(AsText(in.village));
  out.setHousehold(AsText(in.household));
  out.setMinor(in.minor);
  out.setPersonRef(AsData(in.person_ref));
  out.setAdult(in.adult);
}
void ReadInto(::ResidentRegistered::Reader in, ResidentRegistered* out) {
  Assign(&out->id, in.getId());
  Assign(&out->village, in.getVillage());
  Assign(&out->household, in.getHousehold());
  out->minor = in.getMinor();
  Assign(&out->person_ref, in.getPersonRef());
  out->adult = in.getAdult();
}

void Fill(::ResidentUpdated::Builder out, const ResidentUpdated& in) {
  out.setId(AsText(in.id));
  out.setHousehold(AsText(in.household));
  out.setStatus(AsText(in.status));
  // Appended after events of this kind were written: set only when given,
  // so an event without it keeps the encoding it always had.
  if (!in.person_ref.empty()) out.setPersonRef(AsData(in.person_ref));
  out.setMinor(in.minor);
  out.setAdult(in.adult);
}
ResidentUpdated Read(::ResidentUpdated::Reader in) {
  return {.id = Str(in.getId()),
          .household = Str(in.getHousehold()),
          .status = Str(in.getStatus()),
          .person_ref = Str(in.getPersonRef()),
          .minor = in.getMinor(),
          .adult = in.getAdult()};
}

void Fill(::PersonErased::Builder out, const PersonErased& in) {
  out.setPersonRef(AsData(in.person_ref));
  out.setReason(AsText(in.reason));
}
PersonErased Read(::PersonErased::Reader in) {
  return {.person_ref = Str(in.getPersonRef()), .reason = Str(in.getReason())};
}

// ----------------------------------------------------------------- rules

void Fill(::RuleDefined::Builder out, const RuleDefined& in) {
  out.setCode(AsText(in.code));
  out.setVillage(AsText(in.village));
  out.setCategory(AsText(in.category));
  out.setDescription(AsText(in.description));
  out.setPoints(in.points);
  out.setHasRange(in.has_range);
  out.setMin(in.min);
  out.setMax(in.max);
  out.setCap(in.cap);
  out.setCapPeriod(AsText(in.cap_period));
}
RuleDefined Read(::RuleDefined::Reader in) {
  return {.code = Str(in.getCode()),
          .village = Str(in.getVillage()),
          .category = Str(in.getCategory()),
          .description = Str(in.getDescription()),
          .points = in.getPoints(),
          .has_range = in.getHasRange(),
          .min = in.getMin(),
          .max = in.getMax(),
          .cap = in.getCap(),
          .cap_period = Str(in.getCapPeriod())};
}

void Fill(::RuleRetired::Builder out, const RuleRetired& in) { out.setCode(AsText(in.code)); }
RuleRetired Read(::RuleRetired::Reader in) { return {.code = Str(in.getCode())}; }

void Fill(::DisplayNameSet::Builder out, const DisplayNameSet& in) {
  out.setKind(AsText(in.kind));
  out.setCode(AsText(in.code));
  out.setVillage(AsText(in.village));
  out.setName(AsText(in.name));
}
DisplayNameSet Read(::DisplayNameSet::Reader in) {
  return {.kind = Str(in.getKind()),
          .code = Str(in.getCode()),
          .village = Str(in.getVillage()),
          .name = Str(in.getName())};
}

// ---------------------------------------------------------------- grades

void Fill(::GradePolicySet::Builder out, const GradePolicySet& in) {
  out.setVillage(AsText(in.village));
  out.setEffectiveFrom(AsText(in.effective_from));
  out.setBasis(AsText(in.basis));
  FillTexts(out.initGrades(ListSize(in.grades.size())), in.grades);
  out.setMinimums(kj::arrayPtr(in.minimums.data(), in.minimums.size()));
  out.setHouseholdMinimums(
      kj::arrayPtr(in.household_minimums.data(), in.household_minimums.size()));
}
GradePolicySet Read(::GradePolicySet::Reader in) {
  GradePolicySet out;
  out.village = Str(in.getVillage());
  out.effective_from = Str(in.getEffectiveFrom());
  out.basis = Str(in.getBasis());
  out.grades = ReadTexts(in.getGrades());
  for (int64_t v : in.getMinimums()) out.minimums.push_back(v);
  for (int64_t v : in.getHouseholdMinimums()) out.household_minimums.push_back(v);
  return out;
}

// -------------------------------------------------------------- benefits

void Fill(::BenefitAdded::Builder out, const BenefitAdded& in) {
  out.setCode(AsText(in.code));
  out.setName(AsText(in.name));
  out.setPartner(AsText(in.partner));
  out.setMinGrade(AsText(in.min_grade));
  if (!in.villages.empty()) {
    FillTexts(out.initVillages(ListSize(in.villages.size())), in.villages);
  }
}
BenefitAdded Read(::BenefitAdded::Reader in) {
  return {.code = Str(in.getCode()),
          .name = Str(in.getName()),
          .partner = Str(in.getPartner()),
          .min_grade = Str(in.getMinGrade()),
          .villages = ReadTexts(in.getVillages())};
}

void Fill(::BenefitWithdrawn::Builder out, const BenefitWithdrawn& in) {
  out.setCode(AsText(in.code));
}
BenefitWithdrawn Read(::BenefitWithdrawn::Reader in) { return {.code = Str(in.getCode())}; }

void Fill(::AttestationIssued::Builder out, const AttestationIssued& in) {
  out.setResident(AsText(in.resident));
  out.setBenefit(AsText(in.benefit));
  out.setCertificateHash(AsData(in.certificate_hash));
  out.setValidUntil(AsText(in.valid_until));
  out.setGrade(AsText(in.grade));
  out.setCheckpointSize(in.checkpoint_size);
}
AttestationIssued Read(::AttestationIssued::Reader in) {
  return {.resident = Str(in.getResident()),
          .benefit = Str(in.getBenefit()),
          .certificate_hash = Str(in.getCertificateHash()),
          .valid_until = Str(in.getValidUntil()),
          .grade = Str(in.getGrade()),
          .checkpoint_size = in.getCheckpointSize()};
}

void Fill(::AttestationRevoked::Builder out, const AttestationRevoked& in) {
  out.setCertificateHash(AsData(in.certificate_hash));
  out.setReason(AsText(in.reason));
}
AttestationRevoked Read(::AttestationRevoked::Reader in) {
  return {.certificate_hash = Str(in.getCertificateHash()), .reason = Str(in.getReason())};
}

// ------------------------------------------------------------------ shop

void Fill(::ShopItemAdded::Builder out, const ShopItemAdded& in) {
  out.setVillage(AsText(in.village));
  out.setShop(AsText(in.shop));
  out.setItem(AsText(in.item));
  out.setPoints(in.points);
  out.setStock(in.stock);
}
ShopItemAdded Read(::ShopItemAdded::Reader in) {
  return {.village = Str(in.getVillage()),
          .shop = Str(in.getShop()),
          .item = Str(in.getItem()),
          .points = in.getPoints(),
          .stock = in.getStock()};
}

void Fill(::ShopRestocked::Builder out, const ShopRestocked& in) {
  out.setVillage(AsText(in.village));
  out.setShop(AsText(in.shop));
  out.setItem(AsText(in.item));
  out.setQuantity(in.quantity);
}
ShopRestocked Read(::ShopRestocked::Reader in) {
  return {.village = Str(in.getVillage()),
          .shop = Str(in.getShop()),
          .item = Str(in.getItem()),
          .quantity = in.getQuantity()};
}

// ---------------------------------------------------------------- points

// pointsAwarded and pointsDeducted share this shape (both PointsEntry).
void Fill(::PointsEntry::Builder out, const PointsEntry& in) {
  out.setResident(AsText(in.resident));
  out.setRule(AsText(in.rule));
  out.setPoints(in.points);
  out.setOccurredOn(AsText(in.occurred_on));
  out.setNote(AsText(in.note));
  out.setEvidence(AsData(in.evidence));
  out.setHousehold(AsText(in.household));
}
void ReadInto(::PointsEntry::Reader in, PointsEntry* out) {
  Assign(&out->resident, in.getResident());
  Assign(&out->rule, in.getRule());
  out->points = in.getPoints();
  Assign(&out->occurred_on, in.getOccurredOn());
  Assign(&out->note, in.getNote());
  Assign(&out->evidence, in.getEvidence());
  Assign(&out->household, in.getHousehold());
}

void Fill(::EntriesReviewed::Builder out, const EntriesReviewed& in) {
  out.setVillage(AsText(in.village));
  out.setApproved(kj::arrayPtr(in.approved.data(), in.approved.size()));
  auto rejected = out.initRejected(ListSize(in.rejected.size()));
  for (capnp::uint i = 0; i < rejected.size(); ++i) {
    rejected[i].setSeq(in.rejected[i].seq);
    rejected[i].setReason(AsText(in.rejected[i].reason));
  }
}
EntriesReviewed Read(::EntriesReviewed::Reader in) {
  EntriesReviewed out;
  out.village = Str(in.getVillage());
  for (uint64_t seq : in.getApproved()) out.approved.push_back(seq);
  for (::EntriesReviewed::Rejection::Reader r : in.getRejected()) {
    out.rejected.push_back({.seq = r.getSeq(), .reason = Str(r.getReason())});
  }
  return out;
}

void Fill(::PointsRedeemed::Builder out, const PointsRedeemed& in) {
  out.setResident(AsText(in.resident));
  out.setShop(AsText(in.shop));
  out.setItem(AsText(in.item));
  out.setQuantity(in.quantity);
  out.setPoints(in.points);
}
void ReadInto(::PointsRedeemed::Reader in, PointsRedeemed* out) {
  Assign(&out->resident, in.getResident());
  Assign(&out->shop, in.getShop());
  Assign(&out->item, in.getItem());
  out->quantity = in.getQuantity();
  out->points = in.getPoints();
}

void Fill(::PointsExpired::Builder out, const PointsExpired& in) {
  out.setVillage(AsText(in.village));
  out.setBefore(AsText(in.before));
}
PointsExpired Read(::PointsExpired::Reader in) {
  return {.village = Str(in.getVillage()), .before = Str(in.getBefore())};
}

// ----------------------------------------------------------------- funds

void Fill(::FundOpened::Builder out, const FundOpened& in) {
  out.setCode(AsText(in.code));
  out.setName(AsText(in.name));
  out.setKind(AsText(in.kind));
  out.setVillage(AsText(in.village));
  out.setListBeneficiaries(AsText(in.list_beneficiaries));
}
FundOpened Read(::FundOpened::Reader in) {
  return {.code = Str(in.getCode()),
          .name = Str(in.getName()),
          .kind = Str(in.getKind()),
          .village = Str(in.getVillage()),
          .list_beneficiaries = Str(in.getListBeneficiaries())};
}

void Fill(::DonationReceived::Builder out, const DonationReceived& in) {
  out.setFund(AsText(in.fund));
  out.setDonorRef(AsData(in.donor_ref));
  out.setDonorOrg(AsText(in.donor_org));
  out.setAnonymous(in.anonymous);
  out.setPublicName(in.public_name);
  out.setAmountFen(in.amount_fen);
  out.setPurpose(AsText(in.purpose));
  out.setReceipt(AsText(in.receipt));
}
void ReadInto(::DonationReceived::Reader in, DonationReceived* out) {
  Assign(&out->fund, in.getFund());
  Assign(&out->donor_ref, in.getDonorRef());
  Assign(&out->donor_org, in.getDonorOrg());
  out->anonymous = in.getAnonymous();
  out->public_name = in.getPublicName();
  out->amount_fen = in.getAmountFen();
  Assign(&out->purpose, in.getPurpose());
  Assign(&out->receipt, in.getReceipt());
}

void Fill(::FundDisbursed::Builder out, const FundDisbursed& in) {
  out.setFund(AsText(in.fund));
  out.setToResident(AsText(in.to_resident));
  out.setToHousehold(AsText(in.to_household));
  out.setAmountFen(in.amount_fen);
  out.setPurpose(AsText(in.purpose));
  out.setPeriod(AsText(in.period));
  out.setNote(AsText(in.note));
  out.setAllowance(in.allowance);
}
void ReadInto(::FundDisbursed::Reader in, FundDisbursed* out) {
  Assign(&out->fund, in.getFund());
  Assign(&out->to_resident, in.getToResident());
  Assign(&out->to_household, in.getToHousehold());
  out->amount_fen = in.getAmountFen();
  Assign(&out->purpose, in.getPurpose());
  Assign(&out->period, in.getPeriod());
  Assign(&out->note, in.getNote());
  out->allowance = in.getAllowance();
}

void Fill(::AllowanceAdded::Builder out, const AllowanceAdded& in) {
  out.setFund(AsText(in.fund));
  out.setToResident(AsText(in.to_resident));
  out.setToHousehold(AsText(in.to_household));
  out.setAmountFen(in.amount_fen);
  out.setPurpose(AsText(in.purpose));
  out.setFromMonth(AsText(in.from_month));
  out.setUntilMonth(AsText(in.until_month));
}
AllowanceAdded Read(::AllowanceAdded::Reader in) {
  return {.fund = Str(in.getFund()),
          .to_resident = Str(in.getToResident()),
          .to_household = Str(in.getToHousehold()),
          .amount_fen = in.getAmountFen(),
          .purpose = Str(in.getPurpose()),
          .from_month = Str(in.getFromMonth()),
          .until_month = Str(in.getUntilMonth())};
}

void Fill(::AllowanceStopped::Builder out, const AllowanceStopped& in) {
  out.setAllowance(in.allowance);
}
AllowanceStopped Read(::AllowanceStopped::Reader in) { return {.allowance = in.getAllowance()}; }

void Fill(::RestrictionReleased::Builder out, const RestrictionReleased& in) {
  out.setFund(AsText(in.fund));
  out.setPurpose(AsText(in.purpose));
  out.setAmountFen(in.amount_fen);
  out.setConsent(AsText(in.consent));
}
RestrictionReleased Read(::RestrictionReleased::Reader in) {
  return {.fund = Str(in.getFund()),
          .purpose = Str(in.getPurpose()),
          .amount_fen = in.getAmountFen(),
          .consent = Str(in.getConsent())};
}

void Fill(::DividendDeclared::Builder out, const DividendDeclared& in) {
  out.setFund(AsText(in.fund));
  out.setVillage(AsText(in.village));
  out.setPeriod(AsText(in.period));
  out.setAmountFen(in.amount_fen);
  out.setActiveOnly(in.active_only);
}
DividendDeclared Read(::DividendDeclared::Reader in) {
  return {.fund = Str(in.getFund()),
          .village = Str(in.getVillage()),
          .period = Str(in.getPeriod()),
          .amount_fen = in.getAmountFen(),
          .active_only = in.getActiveOnly()};
}

// ----------------------------------------------------------- corrections

void Fill(::EventReversed::Builder out, const EventReversed& in) {
  out.setTarget(in.target);
  out.setReason(AsText(in.reason));
}
EventReversed Read(::EventReversed::Reader in) {
  return {.target = in.getTarget(), .reason = Str(in.getReason())};
}

// ------------------------------------------------------------ disclosure

void Fill(::DisclosurePublished::Builder out, const DisclosurePublished& in) {
  out.setVillage(AsText(in.village));
  out.setPeriod(AsText(in.period));
  out.setKind(AsText(in.kind));
  out.setReportSha256(AsData(in.report_sha256));
  out.setTreeSize(in.tree_size);
  out.setWindowEnd(AsText(in.window_end));
  out.setFormat(AsText(in.format));
  out.setLang(AsText(in.lang));
}
DisclosurePublished Read(::DisclosurePublished::Reader in) {
  return {.village = Str(in.getVillage()),
          .period = Str(in.getPeriod()),
          .kind = Str(in.getKind()),
          .report_sha256 = Str(in.getReportSha256()),
          .tree_size = in.getTreeSize(),
          .window_end = Str(in.getWindowEnd()),
          .format = Str(in.getFormat()),
          .lang = Str(in.getLang())};
}

// The `about` union: an event seq when about_event is set, else a report hash.
void Fill(::ObjectionFiled::Builder out, const ObjectionFiled& in) {
  ::ObjectionFiled::About::Builder about = out.initAbout();
  if (in.about_event.has_value()) {
    about.setEvent(*in.about_event);
  } else {
    about.setReport(AsData(in.about_report));
  }
  out.setByResident(AsText(in.by_resident));
  out.setByRef(AsData(in.by_ref));
  out.setText(AsText(in.text));
  out.setReplyDue(AsText(in.reply_due));
}
ObjectionFiled Read(::ObjectionFiled::Reader in) {
  ObjectionFiled out;
  out.by_resident = Str(in.getByResident());
  out.by_ref = Str(in.getByRef());
  out.text = Str(in.getText());
  out.reply_due = Str(in.getReplyDue());
  ::ObjectionFiled::About::Reader about = in.getAbout();
  switch (about.which()) {
    case ::ObjectionFiled::About::EVENT:
      out.about_event = about.getEvent();
      return out;
    case ::ObjectionFiled::About::REPORT:
      out.about_report = Str(about.getReport());
      return out;
  }
  KJ_FAIL_REQUIRE("unknown objectionFiled.about member", static_cast<int>(about.which()));
}

void Fill(::ObjectionResolved::Builder out, const ObjectionResolved& in) {
  out.setObjection(in.objection);
  out.setUpheld(in.upheld);
  out.setAnswer(AsText(in.answer));
  out.setReversal(in.reversal);
}
ObjectionResolved Read(::ObjectionResolved::Reader in) {
  return {.objection = in.getObjection(),
          .upheld = in.getUpheld(),
          .answer = Str(in.getAnswer()),
          .reversal = in.getReversal()};
}

// ------------------------------------------------------ envelope, person

// One FillBody per alternative: selects the union member, then fills it.
#define VLEDGER_FILL_BODY(Type, WHICH) \
  void FillBody(::Event::Body::Builder body, const Type& value) { Fill(body.init##Type(), value); }
VLEDGER_EVENT_BODIES(VLEDGER_FILL_BODY)
#undef VLEDGER_FILL_BODY

// Reads a body of kind Type into `out`: into the alternative it holds
// when that is Type and the kind has a ReadInto, else as a new value.
template <typename Type, typename Reader>
void ReadBodyAs(Reader in, EventBody* out) {
  if constexpr (requires(Type * value) { ReadInto(in, value); }) {
    Type* value = std::get_if<Type>(out);
    if (value == nullptr) value = &out->emplace<Type>();
    ReadInto(in, value);  // (PointsAwarded and -Deducted as their PointsEntry)
  } else {
    // Type{...} also turns the shared PointsEntry into PointsAwarded/-Deducted.
    *out = Type{Read(in)};
  }
}

void ReadInto(::Event::Body::Reader body, EventBody* out) {
  switch (body.which()) {
#define VLEDGER_READ_BODY(Type, WHICH)       \
  case ::Event::Body::WHICH:                 \
    ReadBodyAs<Type>(body.get##Type(), out); \
    return;
    VLEDGER_EVENT_BODIES(VLEDGER_READ_BODY)
#undef VLEDGER_READ_BODY
  }
  // A member added by a newer schema: this version cannot model it.
  KJ_FAIL_REQUIRE("unknown event body member", static_cast<int>(body.which()));
}

void Fill(::Event::Builder out, const Event& in) {
  out.setRecordedAt(in.recorded_at_ms);
  out.setKeyId(AsText(in.key_id));
  out.setRequestId(AsText(in.request_id));
  std::visit([&](const auto& body) { FillBody(out.getBody(), body); }, in.body);
}
void ReadInto(::Event::Reader in, Event* out) {
  out->recorded_at_ms = in.getRecordedAt();
  Assign(&out->key_id, in.getKeyId());
  Assign(&out->request_id, in.getRequestId());
  ReadInto(in.getBody(), &out->body);
}

void Fill(::Person::Builder out, const Person& in) {
  out.setName(AsText(in.name));
  out.setBirthYear(in.birth_year);
  out.setPhone(AsText(in.phone));
  out.setIdCardHash(AsData(in.id_card_hash));
  out.setBirthDate(in.birth_date);
}
Person Read(::Person::Reader in) {
  return {.name = Str(in.getName()),
          .birth_year = in.getBirthYear(),
          .phone = Str(in.getPhone()),
          .id_card_hash = Str(in.getIdCardHash()),
          .birth_date = in.getBirthDate()};
}
void ReadInto(::Person::Reader in, Person* out) { *out = Read(in); }

// ------------------------------------------------------ canonical bytes

// C(x): the canonical form of the root struct built from `value`.
template <typename Root, typename T>
std::string EncodeCanonical(const T& value) {
  // The first segment is reused message after message: zeroed once, and
  // zeroed again by the builder's destructor where it was written.
  thread_local kj::Array<capnp::word> first_segment =
      kj::heapArray<capnp::word>(capnp::SUGGESTED_FIRST_SEGMENT_WORDS);
  thread_local bool zeroed = [] {
    std::memset(first_segment.begin(), 0, first_segment.size() * sizeof(capnp::word));
    return true;
  }();
  (void)zeroed;
  capnp::MallocMessageBuilder message(first_segment.asPtr());
  Fill(message.initRoot<Root>(), value);
  kj::Array<capnp::word> words = capnp::canonicalize(message.getRoot<Root>().asReader());
  std::string bytes(reinterpret_cast<const char*>(words.begin()),
                    words.size() * sizeof(capnp::word));
  VLEDGER_ASSERT(!bytes.empty() && bytes.size() % sizeof(capnp::word) == 0);
  return bytes;
}

capnp::ReaderOptions HostileInputOptions(size_t words) {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = words * kTraversalWordsPerWord + kTraversalWordsSlack;
  options.nestingLimit = kNestingLimit;
  return options;
}

// Whether a struct is laid out as vledger writes one of type `Wire` whose
// fields are all scalars, Text or Data (but for one struct pointer): no
// section beyond the schema's (no field of a newer schema), every pointer
// set (an empty value is written as an empty blob, never as a null pointer)
// and of its kind.
//
// The bits of the data section that the schema's fields (and a union's
// discriminant) use, from the schema itself; any other bit set belongs to
// a field this version does not know.
template <typename Wire>
const std::vector<uint8_t>& DataBitsUsed() {
  static const std::vector<uint8_t> mask = [] {
    constexpr capnp::_::StructSize size = capnp::_::structSize<Wire>();
    std::vector<uint8_t> bits(size.data * sizeof(capnp::word), 0);
    auto mark = [&](uint64_t first_bit, uint64_t width) {
      for (uint64_t b = first_bit; b < first_bit + width; b++)
        bits[b / 8] |= uint8_t(1u << (b % 8));
    };
    // A group (a named union, like Event.body) keeps its discriminant and
    // fields in its parent's sections.
    std::function<void(capnp::StructSchema)> mark_struct = [&](capnp::StructSchema schema) {
      if (schema.getProto().getStruct().getDiscriminantCount() > 0) {
        mark(uint64_t{16} * schema.getProto().getStruct().getDiscriminantOffset(), 16);
      }
      for (capnp::StructSchema::Field field : schema.getFields()) {
        auto proto = field.getProto();
        if (proto.isGroup()) {
          mark_struct(field.getType().asStruct());
          continue;
        }
        uint64_t width = 0;
        switch (proto.getSlot().getType().which()) {
          case capnp::schema::Type::BOOL:
            width = 1;
            break;
          case capnp::schema::Type::INT8:
          case capnp::schema::Type::UINT8:
            width = 8;
            break;
          case capnp::schema::Type::INT16:
          case capnp::schema::Type::UINT16:
          case capnp::schema::Type::ENUM:
            width = 16;
            break;
          case capnp::schema::Type::INT32:
          case capnp::schema::Type::UINT32:
          case capnp::schema::Type::FLOAT32:
            width = 32;
            break;
          case capnp::schema::Type::INT64:
          case capnp::schema::Type::UINT64:
          case capnp::schema::Type::FLOAT64:
            width = 64;
            break;
          default:
            continue;  // a pointer
        }
        mark(width * proto.getSlot().getOffset(), width);
      }
    };
    mark_struct(capnp::Schema::from<Wire>());
    return bits;
  }();
  return mask;
}

template <typename Wire>
bool WrittenAsVledgerDoes(typename Wire::Reader reader, capnp::uint struct_pointer = UINT32_MAX) {
  capnp::AnyStruct::Reader any = reader;
  constexpr capnp::_::StructSize size = capnp::_::structSize<Wire>();
  auto data = any.getDataSection();
  if (data.size() > size.data * sizeof(capnp::word)) return false;
  const std::vector<uint8_t>& used = DataBitsUsed<Wire>();
  for (size_t i = 0; i < data.size(); i++) {
    if ((data[i] & ~used[i]) != 0) return false;
  }
  auto pointers = any.getPointerSection();
  if (pointers.size() != size.pointers) return false;
  for (capnp::uint i = 0; i < pointers.size(); i++) {
    capnp::AnyPointer::Reader p = pointers[i];
    if (i == struct_pointer) {
      if (p.getPointerType() != capnp::PointerType::STRUCT) return false;
      continue;
    }
    // Text and Data: a list of bytes (an empty one of another element size
    // reads as empty too, but would be written differently).
    if (p.getPointerType() != capnp::PointerType::LIST ||
        p.getAs<capnp::AnyList>().getElementSize() != capnp::ElementSize::BYTE) {
      return false;
    }
  }
  return true;
}

// Cap'n Proto's canonical check leaves one freedom: where an empty list
// points. This walks a struct's pointers as canonicalize() lays their
// contents out (pre-order: each pointer's content, wholly, before the next
// one's) and checks every one points exactly there. Pointers are byte lists,
// but for `struct_pointer`, a struct whose own pointers are byte lists.
bool LaidOutInPreOrder(const uint8_t* data, uint64_t data_words, uint64_t pointers,
                       uint64_t struct_pointer, const uint8_t** running) {
  const uint8_t* section = data + data_words * sizeof(capnp::word);
  if (*running == nullptr) *running = section + pointers * sizeof(capnp::word);
  for (uint64_t i = 0; i < pointers; i++) {
    const uint8_t* at = section + i * sizeof(capnp::word);
    uint64_t raw;
    std::memcpy(&raw, at, sizeof raw);  // little-endian, as the format is
    int64_t offset = static_cast<int32_t>(static_cast<uint32_t>(raw)) >> 2;
    const uint8_t* target = at + sizeof(capnp::word) + offset * int64_t{sizeof(capnp::word)};
    if (target != *running) return false;
    if (i == struct_pointer) {
      if ((raw & 3) != 0) return false;
      uint64_t words = (raw >> 32) & 0xffff, ptrs = raw >> 48;
      *running = target + (words + ptrs) * sizeof(capnp::word);
      if (!LaidOutInPreOrder(target, words, ptrs, UINT64_MAX, running)) return false;
      continue;
    }
    if ((raw & 3) != 1 || ((raw >> 32) & 7) != 2) return false;  // a list of bytes
    uint64_t bytes = raw >> 35;
    *running = target + (bytes + 7) / 8 * sizeof(capnp::word);
  }
  return true;
}

template <typename Wire>
bool ListsInPreOrder(typename Wire::Reader reader, uint64_t struct_pointer = UINT64_MAX) {
  capnp::AnyStruct::Reader any = reader;
  auto data = any.getDataSection();
  const uint8_t* running = nullptr;
  return LaidOutInPreOrder(data.begin(), data.size() / sizeof(capnp::word),
                           any.getPointerSection().size(), struct_pointer, &running);
}

// For a canonical Event whose body is one of the common flat kinds, the
// layout check above stands in for re-encoding: re-encoding such an event
// gives back its bytes exactly when it holds. Other kinds (with lists or
// unions inside) are re-encoded.
bool KnownToReencode(::Event::Reader event) {
  if (!WrittenAsVledgerDoes<::Event>(event, /*body=*/2) ||
      !ListsInPreOrder<::Event>(event, /*body=*/2)) {
    return false;
  }
  auto body = event.getBody();
  switch (body.which()) {
    case ::Event::Body::VILLAGE_REGISTERED:
      return WrittenAsVledgerDoes<::VillageRegistered>(body.getVillageRegistered());
    case ::Event::Body::HOUSEHOLD_REGISTERED:
      return WrittenAsVledgerDoes<::HouseholdRegistered>(body.getHouseholdRegistered());
    case ::Event::Body::RESIDENT_REGISTERED:
      return WrittenAsVledgerDoes<::ResidentRegistered>(body.getResidentRegistered());
    case ::Event::Body::POINTS_AWARDED:
      return WrittenAsVledgerDoes<::PointsEntry>(body.getPointsAwarded());
    case ::Event::Body::POINTS_DEDUCTED:
      return WrittenAsVledgerDoes<::PointsEntry>(body.getPointsDeducted());
    case ::Event::Body::POINTS_REDEEMED:
      return WrittenAsVledgerDoes<::PointsRedeemed>(body.getPointsRedeemed());
    case ::Event::Body::DONATION_RECEIVED:
      return WrittenAsVledgerDoes<::DonationReceived>(body.getDonationReceived());
    case ::Event::Body::FUND_DISBURSED:
      return WrittenAsVledgerDoes<::FundDisbursed>(body.getFundDisbursed());
    default:
      return false;
  }
}

// ---- the same checks on the bytes alone, for the common flat kinds
//
// A replay decodes every event of the log, and Cap'n Proto's own canonical
// check (isCanonical) and the reader-based checks above cost more than the
// rest of decoding. For an event whose body is one of the flat kinds
// (KnownToReencode), the bytes alone say all of it: the root pointer at
// word 0, each struct's sections no larger than the schema's and its data
// section using only the schema's bits and not ending in a zero word
// (canonical truncation), every pointer a byte list (the body's, a
// struct) pointing exactly where canonical pre-order puts its content,
// with zero padding, and the content ending the message. Each of these is
// a condition that isCanonical, WrittenAsVledgerDoes or ListsInPreOrder
// checks; bytes that fail any of them take the checks above, so what is
// accepted or rejected, and the error, are the same either way.

uint64_t WordAt(const uint8_t* bytes, uint64_t index) {
  uint64_t w;
  std::memcpy(&w, bytes + index * sizeof(capnp::word),
              sizeof w);  // little-endian, as the format is
  return w;
}

// The target word of the pointer at word `at` (a struct or list pointer).
int64_t PointerTarget(uint64_t at, uint64_t raw) {
  return static_cast<int64_t>(at) + 1 + (static_cast<int32_t>(static_cast<uint32_t>(raw)) >> 2);
}

// A data section of `words` words at word `at`: within the schema's and
// its bits, and its last word not zero.
bool DataSectionFits(const uint8_t* bytes, uint64_t at, uint64_t words,
                     const std::vector<uint8_t>& used) {
  if (words * sizeof(capnp::word) > used.size()) return false;
  const uint8_t* data = bytes + at * sizeof(capnp::word);
  for (size_t i = 0; i < words * sizeof(capnp::word); i++) {
    if ((data[i] & ~used[i]) != 0) return false;
  }
  return words == 0 || WordAt(bytes, at + words - 1) != 0;
}

// The pointer at word `at` is a byte list whose content starts at word
// `*running` with zero padding; moves `*running` past it.
bool ByteListAt(const uint8_t* bytes, uint64_t words, uint64_t at, uint64_t* running) {
  uint64_t raw = WordAt(bytes, at);
  if ((raw & 3) != 1 || ((raw >> 32) & 7) != 2) return false;
  if (PointerTarget(at, raw) != static_cast<int64_t>(*running)) return false;
  uint64_t size = raw >> 35;
  uint64_t padded = (size + 7) / 8;
  if (padded > words - *running) return false;
  const uint8_t* content = bytes + *running * sizeof(capnp::word);
  for (uint64_t i = size; i < padded * sizeof(capnp::word); i++) {
    if (content[i] != 0) return false;
  }
  *running += padded;
  return true;
}

// The layout of a flat body kind; pointers == 0 for the others.
struct FlatBody {
  uint64_t data_words = 0, pointers = 0;
  const std::vector<uint8_t>* used = nullptr;
};

template <typename Wire>
FlatBody FlatBodyOf() {
  constexpr capnp::_::StructSize size = capnp::_::structSize<Wire>();
  return FlatBody{size.data, size.pointers, &DataBitsUsed<Wire>()};
}

constexpr capnp::uint kEventBodyPointer = 2;

// By the body's discriminant: the kinds KnownToReencode takes without
// re-encoding.
const std::vector<FlatBody>& FlatBodies() {
  static const std::vector<FlatBody> bodies = [] {
    std::vector<FlatBody> b(capnp::Schema::from<::Event::Body>().getUnionFields().size());
    b[::Event::Body::VILLAGE_REGISTERED] = FlatBodyOf<::VillageRegistered>();
    b[::Event::Body::HOUSEHOLD_REGISTERED] = FlatBodyOf<::HouseholdRegistered>();
    b[::Event::Body::RESIDENT_REGISTERED] = FlatBodyOf<::ResidentRegistered>();
    b[::Event::Body::POINTS_AWARDED] = FlatBodyOf<::PointsEntry>();
    b[::Event::Body::POINTS_DEDUCTED] = FlatBodyOf<::PointsEntry>();
    b[::Event::Body::POINTS_REDEEMED] = FlatBodyOf<::PointsRedeemed>();
    b[::Event::Body::DONATION_RECEIVED] = FlatBodyOf<::DonationReceived>();
    b[::Event::Body::FUND_DISBURSED] = FlatBodyOf<::FundDisbursed>();
    return b;
  }();
  return bodies;
}

// The byte offset of the body's discriminant in Event's data section.
size_t BodyDiscriminantByte() {
  static const size_t at =
      2 *
      size_t{capnp::Schema::from<::Event::Body>().getProto().getStruct().getDiscriminantOffset()};
  return at;
}

bool FlatEventCanonical(const uint8_t* bytes, uint64_t words) {
  constexpr capnp::_::StructSize event = capnp::_::structSize<::Event>();
  if (words == 0) return false;
  uint64_t root = WordAt(bytes, 0);
  // A struct pointer whose content starts right after it.
  if (static_cast<uint32_t>(root) != 0) return false;
  uint64_t data_words = (root >> 32) & 0xffff, pointers = root >> 48;
  if (pointers != event.pointers || 1 + data_words + pointers > words) return false;
  if (!DataSectionFits(bytes, 1, data_words, DataBitsUsed<::Event>())) return false;
  size_t at = BodyDiscriminantByte();
  if (at + 2 > data_words * sizeof(capnp::word)) return false;  // genesis: not flat
  uint16_t which;
  std::memcpy(&which, bytes + sizeof(capnp::word) + at, sizeof which);
  const std::vector<FlatBody>& bodies = FlatBodies();
  if (which >= bodies.size() || bodies[which].pointers == 0) return false;
  const FlatBody& body = bodies[which];

  const uint64_t section = 1 + data_words;
  uint64_t running = section + pointers;
  for (uint64_t i = 0; i < pointers; i++) {
    if (i != kEventBodyPointer) {
      if (!ByteListAt(bytes, words, section + i, &running)) return false;
      continue;
    }
    uint64_t raw = WordAt(bytes, section + i);
    if ((raw & 3) != 0 || PointerTarget(section + i, raw) != static_cast<int64_t>(running)) {
      return false;
    }
    uint64_t body_data = (raw >> 32) & 0xffff, body_pointers = raw >> 48;
    if (body_pointers != body.pointers || body_data + body_pointers > words - running) return false;
    if (!DataSectionFits(bytes, running, body_data, *body.used)) return false;
    const uint64_t body_section = running + body_data;
    running = body_section + body_pointers;
    for (uint64_t j = 0; j < body_pointers; j++) {
      if (!ByteListAt(bytes, words, body_section + j, &running)) return false;
    }
  }
  return running == words;
}

// ---- the common flat kinds written straight into their canonical bytes
//
// The mirror of the check above. An import encodes every event it adds,
// and filling a Cap'n Proto builder then canonicalize() copying it out
// cost more than the rest of building the event. For a flat kind the
// canonical bytes are simple to lay out: the root pointer, the event's
// data section without its trailing zero words, its three pointers, then
// each pointer's content in pre-order (a text's bytes with their NUL, a
// data's bytes, the body's sections and its own texts), padded with zeros
// to a word. Where each field sits comes from the compiled-in schema, as
// the check above takes it, so the two cannot drift apart from each
// other or from Cap'n Proto; tests compare the bytes with the builder's.

// Where a field of a flat struct sits: a pointer's index, or a scalar's
// bit offset and width in the data section.
struct FlatSlot {
  enum class Kind : uint8_t { kText, kData, kScalar } kind = Kind::kScalar;
  uint32_t pointer = 0;         // kText, kData
  uint32_t bit = 0, width = 0;  // kScalar
};

// Wire's fields by ordinal. Scalars with a default other than zero are
// stored XORed with it; no flat kind has one, and none may get one
// unnoticed.
template <typename Wire>
const std::vector<FlatSlot>& FlatSlots() {
  static const std::vector<FlatSlot> slots = [] {
    capnp::StructSchema schema = capnp::Schema::from<Wire>();
    std::vector<FlatSlot> out;
    for (capnp::StructSchema::Field field : schema.getNonUnionFields()) {
      auto proto = field.getProto();
      if (proto.isGroup()) continue;  // Event's body, which the caller lays out
      VLEDGER_ASSERT(!proto.getSlot().getHadExplicitDefault());
      const uint16_t ordinal = proto.getOrdinal().getExplicit();
      if (out.size() <= ordinal) out.resize(ordinal + 1u);
      const uint32_t offset = proto.getSlot().getOffset();
      FlatSlot& slot = out[ordinal];
      switch (proto.getSlot().getType().which()) {
        case capnp::schema::Type::TEXT:
          slot = {.kind = FlatSlot::Kind::kText, .pointer = offset};
          break;
        case capnp::schema::Type::DATA:
          slot = {.kind = FlatSlot::Kind::kData, .pointer = offset};
          break;
        case capnp::schema::Type::BOOL:
          slot = {.bit = offset, .width = 1};
          break;
        case capnp::schema::Type::UINT32:
        case capnp::schema::Type::INT32:
          slot = {.bit = 32 * offset, .width = 32};
          break;
        case capnp::schema::Type::UINT64:
        case capnp::schema::Type::INT64:
          slot = {.bit = 64 * offset, .width = 64};
          break;
        default:
          VLEDGER_ASSERT(!"a field type no flat kind has");
      }
    }
    return out;
  }();
  return slots;
}

// One struct's sections as they are filled: the data words, and what each
// pointer holds (a text, a data, or the body struct, written by the caller).
class FlatStruct {
 public:
  static constexpr size_t kDataWordsMax = 4, kPointersMax = 8;

  template <typename Wire>
  static FlatStruct Of() {
    constexpr capnp::_::StructSize size = capnp::_::structSize<Wire>();
    static_assert(size.data <= kDataWordsMax && size.pointers <= kPointersMax);
    return FlatStruct(FlatSlots<Wire>(), size.data, size.pointers);
  }

  // The next field in ordinal order.
  FlatStruct& Text(std::string_view s) { return Blob(FlatSlot::Kind::kText, s); }
  FlatStruct& Data(std::string_view s) { return Blob(FlatSlot::Kind::kData, s); }
  template <typename Int>
  FlatStruct& Scalar(Int value) {
    static_assert(std::is_integral_v<Int>);
    const FlatSlot& slot = Next(FlatSlot::Kind::kScalar);
    VLEDGER_ASSERT(slot.width == (std::is_same_v<Int, bool> ? 1 : 8 * sizeof(Int)));
    uint64_t bits = static_cast<uint64_t>(value);
    if (slot.width < 64) bits &= (uint64_t{1} << slot.width) - 1;
    data_[slot.bit / 64] |= bits << (slot.bit % 64);
    return *this;
  }
  void SetBits16(size_t byte, uint16_t value) {
    data_[byte / 8] |= uint64_t{value} << (8 * (byte % 8));
  }
  bool complete() const { return next_ == slots_->size(); }

  // Canonical form drops trailing zero words of a data section.
  uint64_t data_words() const {
    uint64_t n = data_words_;
    while (n > 0 && data_[n - 1] == 0) n--;
    return n;
  }
  uint64_t pointers() const { return pointers_; }
  uint64_t data(size_t i) const { return data_[i]; }
  // A pointer's blob; `text` is false for a data blob, `set` false for a
  // pointer no field filled (Event's body).
  struct BlobAt {
    std::string_view bytes;
    bool text = false, set = false;
  };
  const BlobAt& blob(size_t pointer) const { return blobs_[pointer]; }

  // Content words of every blob: a text's NUL included, padded to a word.
  uint64_t blob_words() const {
    uint64_t n = 0;
    for (size_t i = 0; i < pointers_; i++) {
      if (blobs_[i].set) n += (blobs_[i].bytes.size() + blobs_[i].text + 7) / 8;
    }
    return n;
  }

 private:
  FlatStruct(const std::vector<FlatSlot>& slots, uint64_t data_words, uint64_t pointers)
      : slots_(&slots), data_words_(data_words), pointers_(pointers) {}
  const FlatSlot& Next(FlatSlot::Kind kind) {
    VLEDGER_ASSERT(next_ < slots_->size() && (*slots_)[next_].kind == kind);
    return (*slots_)[next_++];
  }
  FlatStruct& Blob(FlatSlot::Kind kind, std::string_view s) {
    const FlatSlot& slot = Next(kind);
    blobs_[slot.pointer] = {.bytes = s, .text = kind == FlatSlot::Kind::kText, .set = true};
    return *this;
  }

  const std::vector<FlatSlot>* slots_;
  uint64_t data_words_, pointers_;
  size_t next_ = 0;
  std::array<uint64_t, kDataWordsMax> data_{};
  std::array<BlobAt, kPointersMax> blobs_{};
};

// Each flat kind's fields in ordinal order, as its Fill above sets them;
// false for the other kinds.
template <typename T>
bool PutFlat(const T&, FlatStruct*) {
  return false;
}
bool PutFlat(const VillageRegistered& in, FlatStruct* out) {
  *out = FlatStruct::Of<::VillageRegistered>();
  out->Text(in.code).Text(in.name);
  return true;
}
bool PutFlat(const HouseholdRegistered& in, FlatStruct* out) {
  *out = FlatStruct::Of<::HouseholdRegistered>();
  out->Text(in.id).Text(in.village).Data(in.head_ref);
  return true;
}
bool PutFlat(const ResidentRegistered& in, FlatStruct* out) {
  *out = FlatStruct::Of<::ResidentRegistered>();
  out->Text(in.id).Text(in.village).Text(in.household).Scalar(in.minor);
  out->Data(in.person_ref).Scalar(in.adult);
  return true;
}
bool PutPointsEntry(const PointsEntry& in, FlatStruct* out) {
  *out = FlatStruct::Of<::PointsEntry>();
  out->Text(in.resident).Text(in.rule).Scalar(in.points).Text(in.occurred_on);
  out->Text(in.note).Data(in.evidence).Text(in.household);
  return true;
}
bool PutFlat(const PointsAwarded& in, FlatStruct* out) { return PutPointsEntry(in, out); }
bool PutFlat(const PointsDeducted& in, FlatStruct* out) { return PutPointsEntry(in, out); }
bool PutFlat(const PointsRedeemed& in, FlatStruct* out) {
  *out = FlatStruct::Of<::PointsRedeemed>();
  out->Text(in.resident).Text(in.shop).Text(in.item).Scalar(in.quantity).Scalar(in.points);
  return true;
}
bool PutFlat(const DonationReceived& in, FlatStruct* out) {
  *out = FlatStruct::Of<::DonationReceived>();
  out->Text(in.fund).Data(in.donor_ref).Text(in.donor_org).Scalar(in.anonymous);
  out->Scalar(in.public_name).Scalar(in.amount_fen).Text(in.purpose).Text(in.receipt);
  return true;
}
bool PutFlat(const FundDisbursed& in, FlatStruct* out) {
  *out = FlatStruct::Of<::FundDisbursed>();
  out->Text(in.fund).Text(in.to_resident).Text(in.to_household).Scalar(in.amount_fen);
  out->Text(in.purpose).Text(in.period).Text(in.note).Scalar(in.allowance);
  return true;
}

uint64_t PointerOffsetBits(uint64_t at, uint64_t target) {
  const int64_t offset = static_cast<int64_t>(target) - static_cast<int64_t>(at) - 1;
  return static_cast<uint32_t>(static_cast<int32_t>(offset) * 4);
}
uint64_t StructPointer(uint64_t at, uint64_t target, uint64_t data_words, uint64_t pointers) {
  return PointerOffsetBits(at, target) | data_words << 32 | pointers << 48;
}
uint64_t ByteListPointer(uint64_t at, uint64_t target, uint64_t count) {
  return PointerOffsetBits(at, target) | 1 | uint64_t{2} << 32 | count << 35;
}

// C(event) for a flat kind, into *out; false for the other kinds, and for
// an event too large for the limits below (the builder then refuses it as
// it always did).
bool EncodeFlatEvent(const Event& event, std::string* out) {
  FlatStruct body = FlatStruct::Of<::Event>();  // replaced by the body's
  if (!std::visit([&](const auto& b) { return PutFlat(b, &body); }, event.body)) return false;
  VLEDGER_ASSERT(body.complete());
  FlatStruct envelope = FlatStruct::Of<::Event>();
  envelope.Scalar(event.recorded_at_ms).Text(event.key_id).Text(event.request_id);
  envelope.SetBits16(BodyDiscriminantByte(), static_cast<uint16_t>(event.body.index()));
  VLEDGER_ASSERT(envelope.complete() && !envelope.blob(kEventBodyPointer).set);

  const uint64_t event_data = envelope.data_words(), body_data = body.data_words();
  const uint64_t words = 1 + event_data + envelope.pointers() + envelope.blob_words() + body_data +
                         body.pointers() + body.blob_words();
  if (words * sizeof(capnp::word) > kEncodedBytesMax) return false;
  out->assign(words * sizeof(capnp::word), '\0');
  char* base = out->data();
  auto put = [&](uint64_t at, uint64_t value) {  // little-endian, as the format is
    std::memcpy(base + at * sizeof(capnp::word), &value, sizeof value);
  };
  uint64_t running = 1;  // past the root pointer
  // Data words at `running`, then the pointer section; returns its word.
  auto sections = [&](const FlatStruct& s, uint64_t data_words) {
    for (uint64_t i = 0; i < data_words; i++) put(running + i, s.data(i));
    const uint64_t section = running + data_words;
    running = section + s.pointers();
    return section;
  };
  auto blob = [&](uint64_t at, const FlatStruct::BlobAt& b) {
    const uint64_t count = b.bytes.size() + b.text;
    put(at, ByteListPointer(at, running, count));
    if (!b.bytes.empty()) {
      std::memcpy(base + running * sizeof(capnp::word), b.bytes.data(), b.bytes.size());
    }
    running += (count + 7) / 8;
  };
  put(0, StructPointer(0, 1, event_data, envelope.pointers()));
  const uint64_t section = sections(envelope, event_data);
  for (uint64_t i = 0; i < envelope.pointers(); i++) {
    if (i != kEventBodyPointer) {
      blob(section + i, envelope.blob(i));
      continue;
    }
    put(section + i, StructPointer(section + i, running, body_data, body.pointers()));
    const uint64_t body_section = sections(body, body_data);
    for (uint64_t j = 0; j < body.pointers(); j++) blob(body_section + j, body.blob(j));
  }
  VLEDGER_ASSERT(running == words);
  return true;
}

template <typename Root>
bool FlatCanonical(const uint8_t*, uint64_t) {
  return false;
}
template <>
bool FlatCanonical<::Event>(const uint8_t* bytes, uint64_t words) {
  return FlatEventCanonical(bytes, words);
}

template <typename Root>
bool KnownToReencode(typename Root::Reader) {
  return false;
}
template <>
bool KnownToReencode<::Event>(::Event::Reader event) {
  return KnownToReencode(event);
}
template <>
bool KnownToReencode<::Person>(::Person::Reader person) {
  return WrittenAsVledgerDoes<::Person>(person) && ListsInPreOrder<::Person>(person);
}

// Reads `bytes` (one unframed segment, as canonicalize() writes it) as a
// `Root` into *value, which may hold an earlier value (ReadInto reuses its
// memory). Any Cap'n Proto failure, a non-canonical layout, or a message
// that does not re-encode to exactly `bytes` is VerificationFailed naming
// `what`, and leaves *value unspecified.
template <typename Root, typename T>
Status DecodeCanonical(std::string_view bytes, const Msg& what, T* value) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    return Status::VerificationFailed(
               Msg("length {} is not a positive multiple of 8 bytes", bytes.size()))
        .WithPrefix(what);
  }
  if (bytes.size() > kEncodedBytesMax) {
    return Status::VerificationFailed(Msg("{} bytes is over the limit", bytes.size()))
        .WithPrefix(what);
  }
  // Copy: Cap'n Proto needs word alignment, which a std::string_view lacks.
  // The buffer is reused, grown as needed.
  thread_local std::vector<uint64_t> words;  // capnp::word is not movable; same layout
  static_assert(sizeof(capnp::word) == sizeof(uint64_t));
  words.resize(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.data(), bytes.data(), bytes.size());
  kj::ArrayPtr<const capnp::word> segment(reinterpret_cast<const capnp::word*>(words.data()),
                                          words.size());
  capnp::SegmentArrayMessageReader message(kj::arrayPtr(&segment, 1),
                                           HostileInputOptions(words.size()));
  const bool flat =
      FlatCanonical<Root>(reinterpret_cast<const uint8_t*>(words.data()), words.size());
  bool reencodes = flat;
  try {
    if (!flat && !message.isCanonical()) {
      return Status::VerificationFailed("not in canonical form").WithPrefix(what);
    }
    auto root = message.getRoot<Root>();
    ReadInto(root, value);
    if (!flat) reencodes = KnownToReencode<Root>(root);
  } catch (const kj::Exception& e) {
    return Status::VerificationFailed(Msg("malformed: {}", e.getDescription().cStr()))
        .WithPrefix(what);
  }
  // Canonical but not what this version writes: null pointers where vledger
  // writes empty values, or fields of a newer schema that T cannot hold.
  if (!reencodes && EncodeCanonical<Root>(*value) != bytes) {
    return Status::VerificationFailed("not the encoding vledger writes for its content")
        .WithPrefix(what);
  }
  return Status::Ok();
}

template <typename Root, typename T>
Result<T> DecodeCanonical(std::string_view bytes, const Msg& what) {
  T value;
  VLEDGER_TRY(DecodeCanonical<Root>(bytes, what, &value));
  return value;
}

// ------------------------------------------------------------------ JSON

using Json = nlohmann::ordered_json;

Json ValueJson(const capnp::DynamicValue::Reader& value);

bool IsInactiveUnionMember(const capnp::DynamicStruct::Reader& value,
                           const capnp::StructSchema::Field& field) {
  if (field.getProto().getDiscriminantValue() == capnp::schema::Field::NO_DISCRIMINANT) {
    return false;
  }
  KJ_IF_MAYBE (active, value.which()) {
    return !(*active == field);
  }
  return true;
}

// Every field in schema order, under its schema name; of a union, only the
// member that is set (so `about` becomes {"event":N} or {"report":"hex"}).
Json StructJson(const capnp::DynamicStruct::Reader& value) {
  Json out = Json::object();
  for (capnp::StructSchema::Field field : value.getSchema().getFields()) {
    if (IsInactiveUnionMember(value, field)) continue;
    out[field.getProto().getName().cStr()] = ValueJson(value.get(field));
  }
  return out;
}

Json ValueJson(const capnp::DynamicValue::Reader& value) {
  switch (value.getType()) {
    case capnp::DynamicValue::BOOL:
      return value.as<bool>();
    case capnp::DynamicValue::INT:
      return value.as<int64_t>();
    case capnp::DynamicValue::UINT:
      return value.as<uint64_t>();
    case capnp::DynamicValue::TEXT:
      return Str(value.as<capnp::Text>());
    case capnp::DynamicValue::DATA:
      return Hex(Str(value.as<capnp::Data>()));
    case capnp::DynamicValue::LIST: {
      Json out = Json::array();
      for (capnp::DynamicValue::Reader element : value.as<capnp::DynamicList>()) {
        out.push_back(ValueJson(element));
      }
      return out;
    }
    case capnp::DynamicValue::STRUCT:
      return StructJson(value.as<capnp::DynamicStruct>());
    default:
      break;
  }
  // Floats, enums, interfaces and AnyPointer do not occur in event.capnp.
  VLEDGER_ASSERT(!"field type not used by event.capnp");
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------- public

std::string EncodeEvent(const Event& event) {
  std::string bytes;
  if (EncodeFlatEvent(event, &bytes)) return bytes;
  return EncodeCanonical<::Event>(event);
}

std::string EncodeEventWithBuilder(const Event& event) { return EncodeCanonical<::Event>(event); }

bool EncodesByBytesAlone(const Event& event) {
  std::string bytes;
  return EncodeFlatEvent(event, &bytes);
}

Result<Event> DecodeEvent(std::string_view canonical) {
  return DecodeCanonical<::Event, Event>(canonical, Msg("event bytes"));
}

Status DecodeEventInto(std::string_view canonical, Event* event) {
  return DecodeCanonical<::Event>(canonical, Msg("event bytes"), event);
}

bool DecodesByBytesAlone(std::string_view canonical) {
  if (canonical.size() % sizeof(capnp::word) != 0) return false;
  std::vector<uint64_t> words(canonical.size() / sizeof(capnp::word));
  std::memcpy(words.data(), canonical.data(), canonical.size());
  return FlatEventCanonical(reinterpret_cast<const uint8_t*>(words.data()), words.size());
}

std::string EncodePerson(const Person& person) { return EncodeCanonical<::Person>(person); }

Result<Person> DecodePerson(std::string_view canonical) {
  return DecodeCanonical<::Person, Person>(canonical, Msg("person record bytes"));
}

std::string PersonRef(std::string_view salt, std::string_view person_canonical) {
  // The domain tag is hashed with its trailing NUL (chain.h).
  Sha256Hasher hasher;
  hasher.Update(kPersonDomain);
  hasher.Update(salt);
  hasher.Update(person_canonical);
  return AsString(hasher.Finish());
}

const char* EventTypeName(const EventBody& body) {
  // Union members ordered by discriminant, which the static_asserts above tie
  // to the variant index. The name lives in the compiled-in schema, so the
  // pointer stays valid for the life of the program.
  capnp::StructSchema union_schema = capnp::Schema::from<::Event::Body>();
  return union_schema.getUnionFields()[body.index()].getProto().getName().cStr();
}

std::string EventBodyJson(const EventBody& body) {
  // Build the body as Cap'n Proto, then walk it by reflection: one walker
  // for every body type, with names and order straight from the schema.
  capnp::MallocMessageBuilder message;
  ::Event::Builder event = message.initRoot<::Event>();
  std::visit([&](const auto& value) { FillBody(event.getBody(), value); }, body);
  capnp::DynamicStruct::Reader group = capnp::toDynamic(event.asReader().getBody());
  capnp::StructSchema::Field member = group.getSchema().getUnionFields()[body.index()];
  Json json = StructJson(group.get(member).as<capnp::DynamicStruct>());
  // Text from a decoded event may be invalid UTF-8; show U+FFFD, never throw.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace vledger
