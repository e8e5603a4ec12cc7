#include "event_summary.h"

#include <variant>

#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/names.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

struct Summarizer {
  StateStore& state;
  const PersonNameFn& person_name;
  EventSummary& s;

  void Resident(const std::string& id) {
    if (id.empty()) return;
    s.resident = id;
    auto r = LoadResident(state, id);
    if (!r) return;
    if (s.village.empty()) s.village = r->village;
    if (s.household.empty()) s.household = r->household;
    s.resident_name = person_name(std::string(r->person_ref), std::string(r->village));
  }
  void Household(const std::string& id) {
    if (id.empty()) return;
    s.household = id;
    auto h = LoadHousehold(state, id);
    if (!h) return;
    if (s.village.empty()) s.village = h->village;
    if (!h->head_resident.empty() && s.resident.empty()) Resident(std::string(h->head_resident));
  }
  void Rule(const std::string& code) {
    s.rule = code;
    if (auto r = LoadRule(state, code)) {
      RuleNames(code, r->description, r->category);
    }
  }
  // The rule's display name (else its description) and its category's.
  void RuleNames(const std::string& code, const std::string& description,
                 const std::string& category) {
    s.rule_name = DisplayName(state, NameKind::kRule, "", code);
    if (s.rule_name.empty()) s.rule_name = description;
    s.category = category;
    s.category_name =
        category.empty() ? "" : DisplayName(state, NameKind::kCategory, s.village, category);
  }
  void Purpose(const std::string& purpose) {
    s.purpose = purpose;
    if (!purpose.empty())
      s.purpose_name = DisplayName(state, NameKind::kPurpose, s.village, purpose);
  }
  void Shop(const std::string& shop) {
    s.shop = shop;
    if (!shop.empty()) s.shop_name = DisplayName(state, NameKind::kShop, s.village, shop);
  }
  void Fund(const std::string& code) {
    s.fund = code;
    if (auto f = LoadFund(state, code)) {
      s.fund_name = f->name;
      if (s.village.empty()) s.village = f->village;
    }
  }
  void Entry(const PointsEntry& e) {
    if (!e.occurred_on.empty()) s.date = e.occurred_on;
    Resident(e.resident);
    if (!e.household.empty()) s.household = e.household;
    Rule(e.rule);
    s.points = e.points;
    s.note = e.note;
    s.pending = IsPending(state, s.village, s.seq);
  }
  // The reversed (or objected to) event's own subject.
  void Target(uint64_t seq) {
    s.target = seq;
    auto target = state.ReadEvent(seq);
    if (!target.ok()) return;
    EventSummary of = Summarize(state, seq, *target, person_name);
    s.target_type = of.type;
    s.village = of.village;
    s.resident = of.resident;
    s.resident_name = of.resident_name;
    s.household = of.household;
    s.rule = of.rule;
    s.rule_name = of.rule_name;
    s.category = of.category;
    s.category_name = of.category_name;
    s.purpose_name = of.purpose_name;
    s.shop_name = of.shop_name;
    s.fund = of.fund;
    s.fund_name = of.fund_name;
    if (of.points) s.points = -*of.points;
    if (of.amount_fen) s.amount_fen = of.amount_fen;
  }

  void operator()(const Genesis& b) { s.name = b.name; }
  void operator()(const KeyRegistered& b) {
    s.villages = b.villages;
    s.name = b.label;
    s.role = b.role;
    s.code = KeyIdOf(b.public_key);
  }
  void operator()(const KeyRevoked& b) { s.code = b.key_id; }
  void operator()(const VillageRegistered& b) {
    s.village = s.code = b.code;
    s.name = b.name;
  }
  void operator()(const HouseholdRegistered& b) {
    s.code = b.id;
    s.village = b.village;
    s.household = b.id;
    s.name = person_name(b.head_ref, b.village);
  }
  void operator()(const HouseholdHeadSet& b) {
    s.household = b.household;
    Resident(b.resident);
  }
  void operator()(const VillagePolicySet& b) { s.village = b.village; }
  void operator()(const ResidentRegistered& b) {
    s.code = b.id;
    Resident(b.id);
    s.village = b.village;
    s.household = b.household;
    if (s.resident_name.empty()) s.resident_name = person_name(b.person_ref, b.village);
  }
  void operator()(const ResidentUpdated& b) {
    s.code = b.id;
    Resident(b.id);
  }
  void operator()(const PersonErased& b) { s.note = b.reason; }
  void operator()(const RuleDefined& b) {
    s.code = b.code;
    s.village = b.village;
    s.rule = b.code;
    RuleNames(b.code, b.description, b.category);
    s.points = b.points;
  }
  void operator()(const RuleRetired& b) {
    s.code = b.code;
    Rule(b.code);
  }
  void operator()(const PointsAwarded& b) { Entry(b); }
  void operator()(const PointsDeducted& b) { Entry(b); }
  void operator()(const EntriesReviewed& b) {
    s.village = b.village;
    s.quantity = static_cast<uint32_t>(b.approved.size() + b.rejected.size());
  }
  void operator()(const PointsRedeemed& b) {
    Resident(b.resident);
    Shop(b.shop);
    s.item = b.item;
    s.quantity = b.quantity;
    s.points = -b.points;
  }
  void operator()(const PointsExpired& b) {
    s.village = b.village;
    s.period = b.before;
  }
  void operator()(const FundOpened& b) {
    s.code = s.fund = b.code;
    s.name = s.fund_name = b.name;
    s.village = b.village;
  }
  void operator()(const DonationReceived& b) {
    Fund(b.fund);
    s.amount_fen = b.amount_fen;
    Purpose(b.purpose);
    s.receipt = b.receipt;
    s.name = b.donor_org;
  }
  void operator()(const FundDisbursed& b) {
    Resident(b.to_resident);
    Household(b.to_household);
    Fund(b.fund);
    s.amount_fen = b.amount_fen;
    Purpose(b.purpose);
    s.period = b.period;
    s.note = b.note;
    s.target = b.allowance;
  }
  void operator()(const AllowanceAdded& b) {
    Resident(b.to_resident);
    Household(b.to_household);
    Fund(b.fund);
    s.amount_fen = b.amount_fen;
    Purpose(b.purpose);
    s.period = b.from_month;
  }
  void operator()(const AllowanceStopped& b) {
    s.target = b.allowance;
    if (auto a = LoadAllowance(state, b.allowance)) {
      if (a->household) {
        Household(a->beneficiary);
      } else {
        Resident(a->beneficiary);
      }
      Fund(a->fund);
    }
  }
  void operator()(const RestrictionReleased& b) {
    Fund(b.fund);
    Purpose(b.purpose);
    s.amount_fen = b.amount_fen;
    s.note = b.consent;
  }
  void operator()(const DividendDeclared& b) {
    s.village = b.village;
    Fund(b.fund);
    s.period = b.period;
    s.amount_fen = b.amount_fen;
  }
  void operator()(const EventReversed& b) {
    Target(b.target);
    s.note = b.reason;
  }
  void operator()(const DisclosurePublished& b) {
    s.village = b.village;
    s.period = b.period;
    s.code = b.kind;
  }
  void operator()(const ObjectionFiled& b) {
    Resident(b.by_resident);
    if (b.about_event) s.target = *b.about_event;
    s.note = b.text;
  }
  void operator()(const ObjectionResolved& b) {
    s.target = b.objection;
    s.note = b.answer;
  }
  void operator()(const BenefitAdded& b) {
    s.code = b.code;
    s.name = b.name;
    s.villages = b.villages;
  }
  void operator()(const BenefitWithdrawn& b) { s.code = b.code; }
  void operator()(const AttestationIssued& b) {
    Resident(b.resident);
    s.code = b.benefit;
    s.period = b.valid_until;
  }
  void operator()(const AttestationRevoked& b) { s.note = b.reason; }
  void operator()(const GradePolicySet& b) {
    s.village = b.village;
    s.period = b.effective_from;
  }
  void operator()(const ShopItemAdded& b) {
    s.village = b.village;
    Shop(b.shop);
    s.item = b.item;
    s.points = b.points;
    s.quantity = b.stock;
  }
  void operator()(const ShopRestocked& b) {
    s.village = b.village;
    Shop(b.shop);
    s.item = b.item;
    s.quantity = b.quantity;
  }
  void operator()(const DisplayNameSet& b) {
    s.name_kind = b.kind;
    s.code = b.code;
    s.name = b.name;
    s.village = b.village;
  }
};

}  // namespace

EventSummary Summarize(StateStore& state, uint64_t seq, const Event& event,
                       const PersonNameFn& person_name) {
  EventSummary s;
  s.seq = seq;
  s.type = EventTypeName(event.body);
  s.recorded_at_ms = event.recorded_at_ms;
  s.key_id = event.key_id;
  s.date = CstDate(event.recorded_at_ms);
  std::visit(Summarizer{state, person_name, s}, event.body);
  return s;
}

void AddBalances(StateStore& state, EventSummary& s) {
  if (!s.resident.empty() && LoadResident(state, s.resident)) {
    PointsBalance b = LoadBalance(state, s.resident);
    s.credit_score = b.credit_score;
    s.spendable_points = b.spendable;
  }
  if (!s.fund.empty() && FindFund(state, s.fund) != nullptr) {
    s.fund_balance_fen = FundTotal(state, s.fund);
  }
}

}  // namespace vledger::app
