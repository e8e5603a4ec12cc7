// ApplyBody for rules, point entries, reviews, redemptions, expiries and
// reversals. Every handler validates everything first and only then
// writes; the writes themselves cannot fail (amounts are bounded by
// kEntryPointsMax, so no sum can overflow).
#include <algorithm>
#include <cstdlib>
#include <set>

#include "apply_internal.h"
#include "row_damage.h"
#include "vledger/projections/accounts.h"
#include "vledger/projections/points.h"
#include "vledger/projections/validate.h"

namespace vledger::detail {
namespace {

constexpr size_t kReviewSeqsMax = 10'000;

// Points move between accounts (accounts.h) held by entities: the
// village's issued:/expired:/redeemed: accounts and the resident's
// spendable points (resident:<id>). Amounts are bounded, so no balance
// can overflow.
void CheckPointAmount(int64_t amount) { VLEDGER_ASSERT(amount > 0 && amount <= kEntryPointsMax); }

Status CheckMagnitude(std::string_view field, int64_t v) {
  if (v == 0) return Status::InvalidInput(field, "must not be zero");
  if (v < -kEntryPointsMax || v > kEntryPointsMax) {
    return Status::InvalidInput(
        field, Msg("{} is beyond the limit of {} points", Num(v), Num(kEntryPointsMax)));
  }
  return Status::Ok();
}

// ------------------------------------------------------------ entries

// Makes an approved entry count: credit score, turnover, spendable points,
// the rule's use and the postings issued:<village> <-> resident:<id>.
void CountEntry(StateStore& state, const EntryRecord& e) {
  ResidentState* r = MutableResident(state, e.resident);
  VillageState* v = MutableVillage(state, e.village);
  CheckExists(r, e.resident);
  CheckExists(v, e.village);
  if (e.points > 0) {
    CheckPointAmount(e.points);
    v->issued_pt -= e.points;
    CreditSpendable(*r, e.points, e.occurred_on);
  } else {
    CheckPointAmount(-e.points);
    v->issued_pt -= e.points;
    DebitSpendable(*r, -e.points);
  }
  r->bal.credit_score += e.points;
  AddTurnover(*r, e.household, e.occurred_on, e.points);
  AddRuleUse(*v, e.occurred_on, e.rule, 1, e.points);
}

// Validates the rule and the amount of a new entry.
Status CheckRuleAndPoints(StateStore& state, const PointsEntry& b, bool deduction,
                          const ResidentRecord& r, const RuleRecord** rule_out) {
  const RuleRecord* rule = FindRule(state, b.rule);
  if (rule == nullptr) {
    VLEDGER_TRY(CheckId("rule", b.rule));
    return Status::NotFound("rule", Msg("unknown rule \"{}\"", b.rule));
  }
  if (rule->retired_seq) {
    return Status::FailedPrecondition(
        "rule", Msg("rule \"{}\" was retired at seq {}", b.rule, *rule->retired_seq));
  }
  if (!rule->village.empty() && rule->village != r.village) {
    return Status::InvalidInput("rule", Msg("rule \"{}\" belongs to village \"{}\", not \"{}\"",
                                            b.rule, rule->village, r.village));
  }
  if (deduction && rule->points > 0) {
    return Status::InvalidInput("rule", Msg("rule \"{}\" is an award rule; use `award`", b.rule));
  }
  if (!deduction && rule->points < 0) {
    return Status::InvalidInput("rule",
                                Msg("rule \"{}\" is a deduction rule; use `deduct`", b.rule));
  }
  VLEDGER_TRY(CheckMagnitude("points", b.points));
  if (deduction != (b.points < 0)) {
    if (deduction) return Status::InvalidInput("points", "a deduction records negative points");
    return Status::InvalidInput("points", "an award records positive points");
  }
  if (rule->has_range && (b.points < rule->min || b.points > rule->max)) {
    return Status::InvalidInput("points", Msg("{} is outside rule {}'s range {}..{}", Num(b.points),
                                              rule->code, Num(rule->min), Num(rule->max)));
  }
  if (!rule->has_range && b.points != rule->points) {
    return Status::InvalidInput("points", Msg("{} differs from rule {}'s fixed points {}",
                                              Num(b.points), rule->code, Num(rule->points)));
  }
  *rule_out = rule;
  return Status::Ok();
}

Status CheckCap(const ResidentState& r, const RuleRecord& rule, const PointsEntry& b) {
  if (rule.cap == 0) return Status::Ok();
  std::string period = CapPeriodOf(b.occurred_on, rule.cap_period);
  int64_t used = CapUsage(r, rule.code, period);
  int64_t magnitude = b.points < 0 ? -b.points : b.points;
  if (used + magnitude > rule.cap) {
    switch (rule.cap_period) {
      case CapPeriod::kMonth:
        return Status::FailedPrecondition(
            "cap", Msg("rule {} allows at most {} points per resident per month; resident \"{}\" "
                       "already has {} in {}, so {} more would exceed it",
                       rule.code, rule.cap, b.resident, used, period, magnitude));
      case CapPeriod::kQuarter:
        return Status::FailedPrecondition(
            "cap", Msg("rule {} allows at most {} points per resident per quarter; resident "
                       "\"{}\" already has {} in {}, so {} more would exceed it",
                       rule.code, rule.cap, b.resident, used, period, magnitude));
      case CapPeriod::kYear:
        break;
    }
    return Status::FailedPrecondition(
        "cap", Msg("rule {} allows at most {} points per resident per year; resident \"{}\" "
                   "already has {} in {}, so {} more would exceed it",
                   rule.code, rule.cap, b.resident, used, period, magnitude));
  }
  return Status::Ok();
}

// Resolves a household-level deduction: borne by the household head.
Status CheckHousehold(StateStore& state, const PointsEntry& b, bool deduction,
                      const ResidentRecord& r) {
  if (b.household.empty()) return Status::Ok();
  if (!deduction)
    return Status::InvalidInput("household", "only deductions can be household-level");
  VLEDGER_ASSIGN_OR_RETURN(const HouseholdState* household,
                           RequireHousehold(state, "household", b.household));
  const HouseholdRecord& h = household->rec;
  if (h.head_resident.empty()) {
    return Status::FailedPrecondition(
        "household",
        Msg("household \"{}\" has no head (户主) set; use `household head` first", h.id));
  }
  if (h.head_resident != r.id) {
    return Status::InvalidInput(
        "resident", Msg("a deduction for household \"{}\" is borne by its head \"{}\", not \"{}\"",
                        h.id, h.head_resident, r.id));
  }
  return Status::Ok();
}

// "Today" for a pure handler: the CST date the event was recorded on.
// Cached, since a commit's events share their recordedAt.
const std::string& RecordedDate(const ApplyCtx& ctx) {
  thread_local int64_t cached_ms = -1;
  thread_local std::string cached;
  if (ctx.event.recorded_at_ms != cached_ms) {
    cached = CstDate(ctx.event.recorded_at_ms);
    cached_ms = ctx.event.recorded_at_ms;
  }
  return cached;
}

Status ApplyEntry(ApplyCtx& ctx, const PointsEntry& b, bool deduction) {
  StateStore& state = ctx.state;
  VLEDGER_ASSIGN_OR_RETURN(const ResidentState* resident,
                           RequireResident(state, "resident", b.resident));
  const ResidentRecord& r = resident->rec;
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, r.village));
  if (r.status != ResidentStatus::kActive) {
    return Status::FailedPrecondition("resident", NotActive(r));
  }
  VLEDGER_TRY(CheckHousehold(state, b, deduction, r));
  const RuleRecord* rule = nullptr;
  VLEDGER_TRY(CheckRuleAndPoints(state, b, deduction, r, &rule));
  VLEDGER_TRY(CheckDate("date", b.occurred_on));
  const std::string& today = RecordedDate(ctx);
  if (b.occurred_on > today) {
    return Status::InvalidInput(
        "date", Msg("{} is after the day the entry was recorded ({})", b.occurred_on, today));
  }
  VLEDGER_TRY(CheckText("note", b.note, true));
  if (!b.evidence.empty() && b.evidence.size() != 32) {
    return Status::InvalidInput("evidence", "must be a SHA-256 (32 bytes)");
  }
  VLEDGER_TRY(CheckCap(*resident, *rule, b));
  const VillageState* village = FindVillage(state, r.village);
  CheckExists(village, r.village);

  EntryRecord e;
  e.seq = ctx.seq;
  e.deduction = deduction;
  e.resident = r.id;
  e.household = r.household;
  e.village = r.village;
  e.rule = rule->code;
  e.points = b.points;
  e.occurred_on = b.occurred_on;
  e.status = village->rec.review ? EntryStatus::kPending : EntryStatus::kApproved;
  ResidentState* mutable_resident = MutableResident(state, r.id);
  AddHistory(state, *mutable_resident, ctx.seq);
  if (rule->cap > 0) {
    AddCapUsage(*mutable_resident, rule->code, CapPeriodOf(b.occurred_on, rule->cap_period),
                b.points < 0 ? -b.points : b.points);
  }
  if (e.status == EntryStatus::kPending) {
    SetPending(state, e.village, e.seq, true);
  } else {
    CountEntry(state, e);
  }
  return Status::Ok();
}

// Frees what an entry held against its rule's cap.
void ReleaseCap(StateStore& state, const EntryRecord& e) {
  const RuleRecord* rule = FindRule(state, e.rule);
  CheckExists(rule, e.rule);
  if (rule->cap == 0) return;
  ResidentState* r = MutableResident(state, e.resident);
  CheckExists(r, e.resident);
  AddCapUsage(*r, e.rule, CapPeriodOf(e.occurred_on, rule->cap_period),
              -(e.points < 0 ? -e.points : e.points));
}

// ----------------------------------------------------------- reversals

Status UndoEntry(ApplyCtx& ctx, uint64_t target_seq) {
  StateStore& state = ctx.state;
  auto e = LoadEntry(state, target_seq);
  VLEDGER_ASSERT(e.has_value());
  if (e->status == EntryStatus::kPending) {
    return Status::FailedPrecondition("target", Msg("seq {} is pending review and moves no value "
                                                    "yet; reject it with `review --reject` instead",
                                                    target_seq));
  }
  if (e->status == EntryStatus::kRejected) {
    return Status::FailedPrecondition(
        "target", Msg("seq {} was rejected at review and moves no value", target_seq));
  }
  const ResidentState* current = FindResident(state, e->resident);
  CheckExists(current, e->resident);
  if (e->points > 0 && current->bal.spendable < e->points) {
    return Status::FailedPrecondition(
        "target", Msg("reversing seq {} would take resident \"{}\"'s spendable points below zero "
                      "({} spendable, {} to take back)",
                      target_seq, e->resident, Num(current->bal.spendable), Num(e->points)));
  }
  ResidentState* r = MutableResident(state, e->resident);
  VillageState* v = MutableVillage(state, e->village);
  CheckExists(r, e->resident);
  CheckExists(v, e->village);
  if (e->points > 0) {
    CheckPointAmount(e->points);
    v->issued_pt += e->points;
    DebitSpendable(*r, e->points, e->occurred_on);
  } else {
    CheckPointAmount(-e->points);
    v->issued_pt += e->points;
    CreditSpendable(*r, -e->points, RecordedDate(ctx));
  }
  r->bal.credit_score -= e->points;
  AddTurnover(*r, e->household, e->occurred_on, -e->points);
  AddRuleUse(*v, e->occurred_on, e->rule, -1, -e->points);
  ReleaseCap(state, *e);
  AddHistory(state, *r, ctx.seq);
  return Status::Ok();
}

Status UndoRedemption(ApplyCtx& ctx, uint64_t target_seq, const PointsRedeemed& b) {
  StateStore& state = ctx.state;
  ResidentState* r = MutableResident(state, b.resident);
  CheckExists(r, b.resident);
  VillageState* v = MutableVillage(state, r->rec.village);
  CheckExists(v, r->rec.village);
  CheckPointAmount(b.points);
  AddToSorted(v->redeemed_pt, b.shop, -b.points, false);
  ReturnToShelf(ctx, target_seq, r->rec.village, b);
  CreditSpendable(*r, b.points, RecordedDate(ctx));
  r->bal.redeemed -= b.points;
  AddHistory(state, *r, ctx.seq);
  return Status::Ok();
}

Status UndoExpiry(ApplyCtx& ctx, uint64_t target_seq, const PointsExpired& b) {
  StateStore& state = ctx.state;
  auto amounts = ExpiredAmounts(state, target_seq);
  if (amounts.empty()) {
    return Status::FailedPrecondition(
        "target", Msg("seq {} expired no points and moves no value", target_seq));
  }
  VillageState* v = MutableVillage(state, b.village);
  CheckExists(v, b.village);
  for (const auto& [resident, amount] : amounts) {
    ResidentState* r = MutableResident(state, resident);
    CheckExists(r, resident);
    CheckPointAmount(amount);
    v->expired_pt -= amount;
    CreditSpendable(*r, amount, RecordedDate(ctx));
    r->bal.expired -= amount;
    AddHistory(state, *r, ctx.seq);
  }
  return Status::Ok();
}

enum class Reversible { kPoints, kFunds, kNo };

Reversible Classify(const EventBody& body) {
  if (std::holds_alternative<PointsAwarded>(body) || std::holds_alternative<PointsDeducted>(body) ||
      std::holds_alternative<PointsRedeemed>(body) || std::holds_alternative<PointsExpired>(body)) {
    return Reversible::kPoints;
  }
  if (std::holds_alternative<DonationReceived>(body) ||
      std::holds_alternative<FundDisbursed>(body) ||
      std::holds_alternative<RestrictionReleased>(body) ||
      std::holds_alternative<DividendDeclared>(body)) {
    return Reversible::kFunds;
  }
  return Reversible::kNo;
}

// The author of a reversal must be allowed to write the target itself.
// Fund targets are checked by UndoFundEvent, which knows the fund rows.
Status RequireMayWrite(ApplyCtx& ctx, const Event& target) {
  StateStore& state = ctx.state;
  std::string village;
  if (const auto* e = std::get_if<PointsAwarded>(&target.body)) {
    village = FindResident(state, e->resident)->rec.village;
  } else if (const auto* d = std::get_if<PointsDeducted>(&target.body)) {
    village = FindResident(state, d->resident)->rec.village;
  } else if (const auto* r = std::get_if<PointsRedeemed>(&target.body)) {
    village = FindResident(state, r->resident)->rec.village;
  } else if (const auto* x = std::get_if<PointsExpired>(&target.body)) {
    village = x->village;
  } else {
    return Status::Ok();
  }
  return RequireRole(ctx, {Role::kCollector}, village);
}

}  // namespace

// ---------------------------------------------------------------- rules

Status ApplyBody(ApplyCtx& ctx, const RuleDefined& b) {
  VLEDGER_TRY(CheckId("code", b.code));
  if (!b.village.empty()) VLEDGER_TRY(RequireVillage(ctx.state, "village", b.village).status());
  VLEDGER_TRY(RequireRole(ctx, {}, b.village));
  VLEDGER_TRY(CheckName("category", b.category));
  VLEDGER_TRY(CheckText("description", b.description, true));
  VLEDGER_TRY(CheckMagnitude("points", b.points));
  if (b.has_range) {
    VLEDGER_TRY(CheckMagnitude("min", b.min));
    VLEDGER_TRY(CheckMagnitude("max", b.max));
    if ((b.min < 0) != (b.points < 0) || (b.max < 0) != (b.points < 0)) {
      if (b.points < 0) {
        return Status::InvalidInput(
            "min", "a range must have the sign of the points (negative for a deduction rule)");
      }
      return Status::InvalidInput(
          "min", "a range must have the sign of the points (positive for an award rule)");
    }
    if (!(b.min <= b.points && b.points <= b.max)) {
      return Status::InvalidInput("min", Msg("the range {}..{} must contain the default points {}",
                                             Num(b.min), Num(b.max), Num(b.points)));
    }
  } else if (b.min != 0 || b.max != 0) {
    return Status::InvalidInput("min", "give both --min and --max, or neither");
  }
  if (b.cap < 0 || b.cap > kEntryPointsMax)
    return Status::InvalidInput("cap", Msg("must be 1 to {}", Num(kEntryPointsMax)));
  if ((b.cap == 0) != b.cap_period.empty()) {
    return Status::InvalidInput("cap-period", "give both --cap and --cap-period, or neither");
  }
  CapPeriod cap_period = CapPeriod::kMonth;
  if (b.cap > 0) {
    VLEDGER_ASSIGN_OR_RETURN(cap_period, Parse<CapPeriod>("cap-period", b.cap_period));
    int64_t smallest =
        b.has_range ? std::min(std::abs(b.min), std::abs(b.max)) : std::abs(b.points);
    if (b.cap < smallest) {
      return Status::InvalidInput("cap", Msg("{} is below the smallest amount the rule gives ({})",
                                             Num(b.cap), Num(smallest)));
    }
  }
  if (const RuleRecord* existing = FindRule(ctx.state, b.code)) {
    return Status::AlreadyExists(
        "code", Msg("rule \"{}\" exists (defined at seq {}); a changed rule needs a new code",
                    b.code, existing->seq));
  }
  RuleRecord rule;
  rule.code = b.code;
  rule.village = b.village;
  rule.category = b.category;
  rule.description = b.description;
  rule.points = b.points;
  rule.has_range = b.has_range;
  rule.min = b.min;
  rule.max = b.max;
  rule.cap = b.cap;
  rule.cap_period = cap_period;
  rule.seq = ctx.seq;
  StoreRule(ctx.state, rule);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const RuleRetired& b) {
  VLEDGER_TRY(CheckId("code", b.code));
  auto rule = LoadRule(ctx.state, b.code);
  if (!rule) return Status::NotFound("code", Msg("unknown rule \"{}\"", b.code));
  VLEDGER_TRY(RequireRole(ctx, {}, rule->village));
  if (rule->retired_seq) {
    return Status::FailedPrecondition(
        "code", Msg("rule \"{}\" was already retired at seq {}", b.code, *rule->retired_seq));
  }
  rule->retired_seq = ctx.seq;
  StoreRule(ctx.state, *rule);
  return Status::Ok();
}

// --------------------------------------------------------------- points

Status ApplyBody(ApplyCtx& ctx, const PointsAwarded& b) { return ApplyEntry(ctx, b, false); }

Status ApplyBody(ApplyCtx& ctx, const PointsDeducted& b) { return ApplyEntry(ctx, b, true); }

Status ApplyBody(ApplyCtx& ctx, const EntriesReviewed& b) {
  StateStore& state = ctx.state;
  VLEDGER_TRY(RequireVillage(state, "village", b.village).status());
  VLEDGER_TRY(RequireRole(ctx, {Role::kReviewer}, b.village));
  size_t total = b.approved.size() + b.rejected.size();
  if (total == 0)
    return Status::InvalidInput("seq", "give at least one entry to approve or reject");
  if (total > kReviewSeqsMax) {
    return Status::InvalidInput("seq", Msg("at most {} entries per review", kReviewSeqsMax));
  }
  std::vector<uint64_t> seqs(b.approved);
  for (const Rejection& r : b.rejected) {
    VLEDGER_TRY(CheckText("reason", r.reason, false));
    seqs.push_back(r.seq);
  }
  std::set<uint64_t> seen;
  for (uint64_t seq : seqs) {
    if (!seen.insert(seq).second)
      return Status::InvalidInput("seq", Msg("seq {} is given twice", seq));
    auto e = LoadEntry(state, seq);
    if (!e) return Status::NotFound("seq", Msg("seq {} is not a points entry", seq));
    if (e->village != b.village) {
      return Status::InvalidInput(
          "seq", Msg("seq {} belongs to village \"{}\", not \"{}\"", seq, e->village, b.village));
    }
    if (e->status == EntryStatus::kApproved) {
      return Status::FailedPrecondition("seq", Msg("seq {} is not pending (approved)", seq));
    }
    if (e->status == EntryStatus::kRejected) {
      return Status::FailedPrecondition("seq", Msg("seq {} is not pending (rejected)", seq));
    }
    if (e->key_id == ctx.event.key_id) {
      return Status::PermissionDenied(
          "seq", Msg("seq {} was recorded by key {}; an entry's own author may not review it", seq,
                     e->key_id));
    }
  }
  for (uint64_t seq : b.approved) {
    EntryRecord e = *LoadEntry(state, seq);
    e.status = EntryStatus::kApproved;
    SetPending(state, e.village, seq, false);
    CountEntry(state, e);
  }
  for (const Rejection& r : b.rejected) {
    EntryRecord e = *LoadEntry(state, r.seq);
    e.status = EntryStatus::kRejected;
    SetPending(state, e.village, r.seq, false);
    SetRejected(state, r.seq, ctx.seq);
    ReleaseCap(state, e);
  }
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const PointsRedeemed& b) {
  StateStore& state = ctx.state;
  VLEDGER_ASSIGN_OR_RETURN(const ResidentState* resident,
                           RequireResident(state, "resident", b.resident));
  const ResidentRecord& r = resident->rec;
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, r.village));
  if (r.status != ResidentStatus::kActive) {
    return Status::FailedPrecondition("resident", NotActive(r));
  }
  VLEDGER_TRY(CheckId("shop", b.shop));
  VLEDGER_TRY(CheckText("item", b.item, false));
  if (b.quantity < 1 || b.quantity > kRedeemQuantityMax) {
    return Status::InvalidInput("quantity", Msg("must be 1 to {}", kRedeemQuantityMax));
  }
  VLEDGER_TRY(CheckMagnitude("points", b.points));
  if (b.points < 0) return Status::InvalidInput("points", "must be greater than zero");
  if (resident->bal.spendable < b.points) {
    return Status::FailedPrecondition(
        "points", Msg("resident \"{}\" has {} spendable points; cannot redeem {}", r.id,
                      Num(resident->bal.spendable), Num(b.points)));
  }
  VLEDGER_TRY(TakeFromShelf(ctx, r.village, b));
  ResidentState* m = MutableResident(state, r.id);
  VillageState* v = MutableVillage(state, m->rec.village);
  CheckExists(v, m->rec.village);
  CheckPointAmount(b.points);
  AddToSorted(v->redeemed_pt, b.shop, b.points, false);
  DebitSpendable(*m, b.points);
  m->bal.redeemed += b.points;
  AddHistory(state, *m, ctx.seq);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const PointsExpired& b) {
  StateStore& state = ctx.state;
  VLEDGER_TRY(RequireVillage(state, "village", b.village).status());
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, b.village));
  VLEDGER_TRY(CheckDate("before", b.before));
  const std::string& today = RecordedDate(ctx);
  if (b.before > today) {
    return Status::InvalidInput(
        "before", Msg("{} is after the day the expiry was recorded ({})", b.before, today));
  }
  // Per resident in id order, what remains of lots earned before the cut-off.
  const std::vector<SmallBytes>& in_village = FindVillage(state, b.village)->residents;
  std::vector<std::string> ids(in_village.begin(), in_village.end());
  state.table<ResidentState>().Prefetch(ids);
  for (const std::string& id : ids) {
    const ResidentState* c = FindResident(state, id);
    CheckExists(c, id);
    if (c->lots.empty() || ListLots(*c).front().date >= b.before) continue;
    ResidentState* r = MutableResident(state, id);
    int64_t amount = ExpireLots(*r, b.before);
    VLEDGER_ASSERT(amount > 0);
    VillageState* v = MutableVillage(state, b.village);
    v->expired_pt += amount;
    r->bal.spendable -= amount;
    r->bal.expired += amount;
    VLEDGER_ASSERT(r->bal.spendable >= 0);
    StoreExpiredAmount(state, ctx.seq, id, amount);
    AddHistory(state, *r, ctx.seq);
  }
  return Status::Ok();
}

// ----------------------------------------------------------- reversals

Status ApplyBody(ApplyCtx& ctx, const EventReversed& b) {
  VLEDGER_TRY(CheckText("reason", b.reason, false));
  if (b.target >= ctx.seq) {
    return Status::InvalidInput("target", Msg("seq {} is not an earlier event", b.target));
  }
  Result<Event> target = ctx.state.ReadEvent(b.target);
  if (!target.ok()) {
    if (target.status().is_storage_fault()) return target.status();
    return Status::InvalidInput(
        "target", Msg("seq {} cannot be read: {}", b.target, target.status().message()));
  }
  if (auto by = ReversedBy(ctx.state, b.target)) {
    return Status::FailedPrecondition("target",
                                      Msg("seq {} was already reversed at seq {}", b.target, *by));
  }
  std::string type = EventTypeName(target->body);
  switch (Classify(target->body)) {
    case Reversible::kNo:
      if (std::holds_alternative<EntriesReviewed>(target->body)) {
        return Status::InvalidInput(
            "target", Msg("seq {} is a review; reverse the approved entries themselves", b.target));
      }
      return Status::InvalidInput(
          "target", Msg("seq {} ({}) moves no value and cannot be reversed", b.target, type));
    case Reversible::kPoints:
      VLEDGER_TRY(RequireMayWrite(ctx, *target));
      VLEDGER_TRY(UndoEvent(ctx, b.target, *target));
      break;
    case Reversible::kFunds:
      VLEDGER_TRY(UndoFundEvent(ctx, b.target, *target));
      break;
  }
  StoreReversal(ctx.state, b.target, ctx.seq);
  return Status::Ok();
}

Status UndoEvent(ApplyCtx& ctx, uint64_t target_seq, const Event& target) {
  if (std::holds_alternative<PointsAwarded>(target.body) ||
      std::holds_alternative<PointsDeducted>(target.body)) {
    return UndoEntry(ctx, target_seq);
  }
  if (const auto* r = std::get_if<PointsRedeemed>(&target.body))
    return UndoRedemption(ctx, target_seq, *r);
  if (const auto* x = std::get_if<PointsExpired>(&target.body)) {
    return UndoExpiry(ctx, target_seq, *x);
  }
  return Status::InvalidInput("target", Msg("seq {} is not a points event", target_seq));
}

}  // namespace vledger::detail
