// ApplyBody for fund events, and UndoFundEvent for their reversals. Every
// handler validates everything first (references, scope, amounts, that no
// fund or purpose goes below zero) and only then writes: the postings
// themselves cannot fail, because every amount was in the fund before.
#include <limits>

#include "apply_internal.h"
#include "row_damage.h"
#include "vledger/projections/accounts.h"
#include "vledger/projections/dividend.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/money.h"
#include "vledger/projections/points.h"
#include "vledger/projections/validate.h"

namespace vledger::detail {
namespace {

std::string Yuan(int64_t fen) { return FormatYuan(fen); }

// Money moves between accounts (accounts.h) held by entities: the fund's
// own (FundState) and paid:<fund>:<id> (the beneficiary's). Validation
// showed every amount is there, so no balance can overflow.
void AddPurpose(FundState& f, std::string_view purpose, int64_t delta) {
  AddToSorted(f.purposes_fen, purpose, delta, false);
  VLEDGER_ASSERT(SortedAmount(f.purposes_fen, purpose) >= 0);
}

// Adds `delta` to paid:<fund>:<beneficiary>.
void AddPaid(StateStore& state, std::string_view fund, const std::string& id, bool household,
             int64_t delta) {
  PaidByFund* paid = nullptr;
  if (household) {
    HouseholdState* h = MutableHousehold(state, id);
    CheckExists(h, id);
    paid = &h->paid_fen;
  } else {
    ResidentState* r = MutableResident(state, id);
    CheckExists(r, id);
    paid = &r->rare.mut().paid_fen;
  }
  AddToSorted(*paid, fund, delta, true);
}

Result<const FundState*> RequireFund(StateStore& state, std::string_view field,
                                     std::string_view code) {
  const FundState* f = FindFund(state, code);
  if (f == nullptr) {
    VLEDGER_TRY(CheckId(field, code));
    return Status::NotFound(field, Msg("unknown fund \"{}\"", code));
  }
  return f;
}

// Treasurer of the fund's village (a county-level fund: a treasurer
// without village scope), or admin.
Status RequireFundWriter(const ApplyCtx& ctx, const FundRecord& fund) {
  return RequireRole(ctx, {Role::kTreasurer}, fund.village);
}

Status CheckAmount(std::string_view field, int64_t fen) {
  if (fen <= 0) return Status::InvalidInput(field, "must be greater than zero");
  return Status::Ok();
}

Status CheckPurpose(std::string_view purpose) {
  if (purpose.empty()) return Status::Ok();
  return CheckId("purpose", purpose);
}

struct Beneficiary {
  std::string id;
  bool household = false;
  std::string Tagged() const { return (household ? "H:" : "R:") + id; }
};

// Exactly one of resident and household, registered in the fund's village
// (any village for a county-level fund). With `active`, a resident must
// not have departed or died.
Result<Beneficiary> RequireBeneficiary(StateStore& state, const FundRecord& fund,
                                       const std::string& resident, const std::string& household,
                                       bool active) {
  if (resident.empty() == household.empty()) {
    return Status::InvalidInput("to", "give exactly one resident or household");
  }
  std::string village;
  Beneficiary b;
  if (!resident.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(const ResidentState* rs, RequireResident(state, "to", resident));
    const ResidentRecord& r = rs->rec;
    if (active && r.status != ResidentStatus::kActive) {
      return Status::FailedPrecondition("to", NotActive(r));
    }
    village = r.village;
    b.id = r.id;
  } else {
    VLEDGER_ASSIGN_OR_RETURN(const HouseholdState* h, RequireHousehold(state, "to", household));
    village = h->rec.village;
    b.id = h->rec.id;
    b.household = true;
  }
  if (!fund.village.empty() && village != fund.village) {
    return Status::InvalidInput(
        "to", Msg("\"{}\" is in village \"{}\", not fund {}'s village \"{}\"", b.id, village,
                  fund.code, fund.village));
  }
  return b;
}

// How a payment of `amount` for `purpose` is drawn: restricted money of
// the purpose first, then unrestricted money.
struct Draw {
  int64_t from_purpose = 0, from_unrestricted = 0;
};

Result<Draw> PlanDraw(StateStore& state, const FundRecord& fund, std::string_view purpose,
                      int64_t amount) {
  Draw d;
  int64_t restricted = purpose.empty() ? 0 : PurposeBalance(state, fund.code, purpose);
  int64_t unrestricted = PurposeBalance(state, fund.code, "");
  d.from_purpose = std::min(amount, restricted);
  d.from_unrestricted = amount - d.from_purpose;
  if (d.from_unrestricted > unrestricted) {
    if (purpose.empty()) {
      return Status::FailedPrecondition(
          "amount", Msg("{} exceeds fund {}'s balance ({} unrestricted)", Yuan(amount), fund.code,
                        Yuan(unrestricted)));
    }
    return Status::FailedPrecondition(
        "amount", Msg("{} exceeds fund {}'s balance ({} restricted to \"{}\" + {} unrestricted)",
                      Yuan(amount), fund.code, Yuan(restricted), purpose, Yuan(unrestricted)));
  }
  return d;
}

FundMovement Movement(const ApplyCtx& ctx, std::string type, std::string purpose) {
  FundMovement m;
  m.seq = ctx.seq;
  m.date = CstDate(ctx.event.recorded_at_ms);
  m.type = std::move(type);
  m.purpose = std::move(purpose);
  return m;
}

// Checks a receipt number and says whether it is the ledger's next own one.
Result<bool> CheckReceipt(StateStore& state, const FundRecord& fund, std::string_view receipt) {
  VLEDGER_TRY(CheckName("receipt", receipt));
  if (auto by = ReceiptUsedBy(state, fund, receipt)) {
    if (*by != 0) {
      return Status::AlreadyExists(
          "receipt", Msg("\"{}\" was already used in fund {} at seq {}", receipt, fund.code, *by));
    }
    return Status::AlreadyExists(
        "receipt", Msg("\"{}\" was already used in fund {} (its next number is {})", receipt,
                       fund.code, AssignedReceipt(fund.code, fund.next_receipt)));
  }
  if (!IsAssignedShape(fund.code, receipt)) return false;
  std::string next = AssignedReceipt(fund.code, fund.next_receipt);
  if (receipt != next) {
    return Status::InvalidInput(
        "receipt",
        Msg("\"{}\" is in the ledger's own sequence for fund {}, whose next number is {}", receipt,
            fund.code, next));
  }
  return true;
}

Status CheckDonor(StateStore& state, const DonationReceived& b) {
  int kinds = !b.donor_ref.empty() + !b.donor_org.empty() + (b.anonymous ? 1 : 0);
  if (kinds != 1)
    return Status::InvalidInput("donor", "give exactly one of a donor, an organisation, anonymous");
  if (!b.donor_ref.empty()) {
    VLEDGER_TRY(RequirePersonRef("donorRef", b.donor_ref));
    if (LoadPersonOwner(state, b.donor_ref))
      return Status::AlreadyExists("donorRef", "person reference is in use");
  } else if (b.public_name) {
    return Status::InvalidInput("public-name",
                                "only an individual donor (--donor) consents to be named");
  }
  if (!b.donor_org.empty()) VLEDGER_TRY(CheckName("donor-org", b.donor_org));
  return Status::Ok();
}

std::string DonorKey(const DonationReceived& b) {
  if (!b.donor_ref.empty()) return "ref:" + Hex(b.donor_ref);
  if (!b.donor_org.empty()) return "org:" + b.donor_org;
  return "anon";
}

// Checks a payment that belongs to the dividend in progress.
Status CheckDividendPayment(StateStore& state, const PendingDividend& pending,
                            const FundDisbursed& b) {
  auto share = LoadExpectedShare(state, pending.next);
  VLEDGER_ASSERT(share.has_value());
  bool matches = b.fund == pending.fund && b.to_resident == share->resident &&
                 b.to_household.empty() && b.amount_fen == share->amount_fen && b.purpose.empty() &&
                 b.period == pending.period && b.allowance == 0;
  if (!matches) {
    return Status::FailedPrecondition(
        "dividend", Msg("the dividend at seq {} must be followed by its payment of {} to \"{}\"",
                        pending.declared_seq, Yuan(share->amount_fen), share->resident));
  }
  return Status::Ok();
}

// Checks a payment of a monthly allowance.
Status CheckAllowancePayment(StateStore& state, const FundDisbursed& b, const Beneficiary& to) {
  auto a = LoadAllowance(state, b.allowance);
  if (!a)
    return Status::NotFound("allowance", Msg("no allowance was added at seq {}", b.allowance));
  if (a->fund != b.fund || a->beneficiary != to.id || a->household != to.household ||
      a->amount_fen != b.amount_fen || a->purpose != b.purpose) {
    return Status::InvalidInput("allowance",
                                Msg("payment does not match the allowance at seq {}", a->seq));
  }
  VLEDGER_TRY(CheckMonth("period", b.period));
  if (a->stopped_seq != 0) {
    return Status::FailedPrecondition(
        "allowance", Msg("allowance {} was stopped at seq {}", a->seq, a->stopped_seq));
  }
  if (b.period < a->from_month || (!a->until_month.empty() && b.period > a->until_month)) {
    return Status::InvalidInput("period", Msg("{} is outside allowance {}'s months {}..{}",
                                              b.period, a->seq, a->from_month, a->until_month));
  }
  if (auto by = AllowancePaidBy(state, a->seq, b.period)) {
    return Status::FailedPrecondition(
        "allowance", Msg("allowance {} was already paid for {} at seq {}", a->seq, b.period, *by));
  }
  return Status::Ok();
}

}  // namespace

// ------------------------------------------------------------------ open

Status ApplyBody(ApplyCtx& ctx, const FundOpened& b) {
  VLEDGER_TRY(RequireRole(ctx, {}, ""));  // admin only
  VLEDGER_TRY(CheckId("code", b.code));
  VLEDGER_TRY(CheckName("name", b.name));
  VLEDGER_ASSIGN_OR_RETURN(FundKind kind, Parse<FundKind>("kind", b.kind));
  if (!b.village.empty()) VLEDGER_TRY(RequireVillage(ctx.state, "village", b.village).status());
  VLEDGER_ASSIGN_OR_RETURN(BeneficiaryList list,
                           Parse<BeneficiaryList>("list-beneficiaries", b.list_beneficiaries));
  if (FindFund(ctx.state, b.code))
    return Status::AlreadyExists("code", Msg("fund \"{}\" exists", b.code));
  FundRecord f;
  f.code = b.code;
  f.name = b.name;
  f.kind = kind;
  f.village = b.village;
  f.list_beneficiaries = list;
  f.seq = ctx.seq;
  StoreFund(ctx.state, f);
  return Status::Ok();
}

// ------------------------------------------------------------- donations

Status ApplyBody(ApplyCtx& ctx, const DonationReceived& b) {
  VLEDGER_ASSIGN_OR_RETURN(const FundState* found, RequireFund(ctx.state, "fund", b.fund));
  const FundRecord& fund = found->rec;
  VLEDGER_TRY(RequireFundWriter(ctx, fund));
  VLEDGER_TRY(CheckAmount("amount", b.amount_fen));
  VLEDGER_TRY(CheckPurpose(b.purpose));
  VLEDGER_TRY(CheckDonor(ctx.state, b));
  VLEDGER_ASSIGN_OR_RETURN(bool assigned, CheckReceipt(ctx.state, fund, b.receipt));
  // Keep every fund total within int64: donations:<fund> stays above INT64_MIN.
  int64_t after;
  if (__builtin_sub_overflow(found->donations_fen, b.amount_fen, &after) ||
      after == std::numeric_limits<int64_t>::min()) {
    return Status::FailedPrecondition(
        "amount", Msg("{} would overflow fund {}'s total", Yuan(b.amount_fen), fund.code));
  }
  FundState* f = MutableFund(ctx.state, b.fund);
  f->donations_fen = after;
  AddPurpose(*f, b.purpose, b.amount_fen);
  StoreReceipt(ctx.state, f->rec, b.receipt, ctx.seq);
  if (assigned) f->rec.next_receipt++;
  if (!b.donor_ref.empty()) {
    StorePersonOwner(ctx.state, b.donor_ref,
                     PersonOwner{.id = std::to_string(ctx.seq), .kind = PersonOwnerKind::kDonor});
  }
  FundMovement m = Movement(ctx, "donation", b.purpose);
  (b.purpose.empty() ? m.unrestricted_delta : m.restricted_delta) = b.amount_fen;
  m.donor = DonorKey(b);
  m.public_name = b.public_name;
  StoreMovement(ctx.state, *f, m);
  return Status::Ok();
}

// ---------------------------------------------------------- disbursements

Status ApplyBody(ApplyCtx& ctx, const FundDisbursed& b) {
  VLEDGER_ASSIGN_OR_RETURN(const FundState* found, RequireFund(ctx.state, "fund", b.fund));
  const FundRecord& fund = found->rec;
  VLEDGER_TRY(RequireFundWriter(ctx, fund));
  VLEDGER_TRY(CheckAmount("amount", b.amount_fen));
  VLEDGER_TRY(CheckPurpose(b.purpose));
  if (!b.period.empty()) VLEDGER_TRY(CheckPeriod("period", b.period));
  VLEDGER_TRY(CheckText("note", b.note, true));
  std::optional<PendingDividend> pending = LoadPendingDividend(ctx.state);
  // A dividend pays whoever had points in the period, so its payments do
  // not require the resident to be still active.
  VLEDGER_ASSIGN_OR_RETURN(
      Beneficiary to,
      RequireBeneficiary(ctx.state, fund, b.to_resident, b.to_household, !pending.has_value()));
  if (pending) {
    VLEDGER_TRY(CheckDividendPayment(ctx.state, *pending, b));
  } else if (b.allowance != 0) {
    VLEDGER_TRY(CheckAllowancePayment(ctx.state, b, to));
  }
  VLEDGER_ASSIGN_OR_RETURN(Draw draw, PlanDraw(ctx.state, fund, b.purpose, b.amount_fen));

  FundState* f = MutableFund(ctx.state, b.fund);
  if (draw.from_purpose > 0) AddPurpose(*f, b.purpose, -draw.from_purpose);
  if (draw.from_unrestricted > 0) AddPurpose(*f, "", -draw.from_unrestricted);
  AddPaid(ctx.state, f->rec.code, to.id, to.household, b.amount_fen);
  if (pending) {
    DeleteExpectedShare(ctx.state, pending->next);
    pending->next++;
    StorePendingDividend(ctx.state, *pending);
  }
  if (!b.purpose.empty()) StorePaymentSplit(ctx.state, ctx.seq, draw.from_purpose);
  if (b.allowance != 0) SetAllowancePaid(ctx.state, b.allowance, b.period, ctx.seq);
  FundMovement m = Movement(ctx, "payment", b.purpose);
  m.restricted_delta = -draw.from_purpose;
  m.unrestricted_delta = -draw.from_unrestricted;
  m.beneficiary = to.Tagged();
  StoreMovement(ctx.state, *f, m);
  return Status::Ok();
}

// ------------------------------------------------------------ allowances

Status ApplyBody(ApplyCtx& ctx, const AllowanceAdded& b) {
  VLEDGER_ASSIGN_OR_RETURN(const FundState* found, RequireFund(ctx.state, "fund", b.fund));
  const FundRecord& fund = found->rec;
  VLEDGER_TRY(RequireFundWriter(ctx, fund));
  VLEDGER_ASSIGN_OR_RETURN(
      Beneficiary to, RequireBeneficiary(ctx.state, fund, b.to_resident, b.to_household, true));
  VLEDGER_TRY(CheckAmount("amount", b.amount_fen));
  VLEDGER_TRY(CheckPurpose(b.purpose));
  VLEDGER_TRY(CheckMonth("from", b.from_month));
  if (!b.until_month.empty()) {
    VLEDGER_TRY(CheckMonth("until", b.until_month));
    if (b.until_month < b.from_month) {
      return Status::InvalidInput("until", Msg("{} is before {}", b.until_month, b.from_month));
    }
  }
  AllowanceRecord a;
  a.seq = ctx.seq;
  a.fund = fund.code;
  a.beneficiary = to.id;
  a.household = to.household;
  a.amount_fen = b.amount_fen;
  a.purpose = b.purpose;
  a.from_month = b.from_month;
  a.until_month = b.until_month;
  StoreAllowance(ctx.state, a);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const AllowanceStopped& b) {
  auto a = LoadAllowance(ctx.state, b.allowance);
  if (!a)
    return Status::NotFound("allowance", Msg("no allowance was added at seq {}", b.allowance));
  const FundState* fund = FindFund(ctx.state, a->fund);
  CheckExists(fund, a->fund);
  VLEDGER_TRY(RequireFundWriter(ctx, fund->rec));
  if (a->stopped_seq != 0) {
    return Status::FailedPrecondition(
        "allowance", Msg("allowance {} was already stopped at seq {}", a->seq, a->stopped_seq));
  }
  a->stopped_seq = ctx.seq;
  StoreAllowance(ctx.state, *a);
  return Status::Ok();
}

// -------------------------------------------------------------- releases

Status ApplyBody(ApplyCtx& ctx, const RestrictionReleased& b) {
  VLEDGER_ASSIGN_OR_RETURN(const FundState* found, RequireFund(ctx.state, "fund", b.fund));
  const FundRecord& fund = found->rec;
  VLEDGER_TRY(RequireFundWriter(ctx, fund));
  if (b.purpose.empty())
    return Status::InvalidInput("purpose", "name the restricted purpose to release");
  VLEDGER_TRY(CheckId("purpose", b.purpose));
  VLEDGER_TRY(CheckAmount("amount", b.amount_fen));
  VLEDGER_TRY(CheckText("consent", b.consent, false));
  int64_t restricted = PurposeBalance(ctx.state, fund.code, b.purpose);
  if (b.amount_fen > restricted) {
    return Status::FailedPrecondition(
        "amount", Msg("{} exceeds the {} restricted to purpose \"{}\" in fund {}",
                      Yuan(b.amount_fen), Yuan(restricted), b.purpose, fund.code));
  }
  FundState* f = MutableFund(ctx.state, b.fund);
  AddPurpose(*f, b.purpose, -b.amount_fen);
  AddPurpose(*f, "", b.amount_fen);
  FundMovement m = Movement(ctx, "release", b.purpose);
  m.restricted_delta = -b.amount_fen;
  m.unrestricted_delta = b.amount_fen;
  StoreMovement(ctx.state, *f, m);
  return Status::Ok();
}

// ------------------------------------------------------------- dividends

Status ApplyBody(ApplyCtx& ctx, const DividendDeclared& b) {
  VLEDGER_ASSIGN_OR_RETURN(const FundState* found, RequireFund(ctx.state, "fund", b.fund));
  const FundRecord& fund = found->rec;
  VLEDGER_TRY(RequireFundWriter(ctx, fund));
  if (fund.kind != FundKind::kCredit) {
    return Status::InvalidInput(
        "fund", Msg("fund {} is a charity fund; dividends are paid by credit funds", fund.code));
  }
  VLEDGER_ASSIGN_OR_RETURN(const VillageState* found_village,
                           RequireVillage(ctx.state, "village", b.village));
  const VillageRecord& village = found_village->rec;
  if (!fund.village.empty() && fund.village != village.code) {
    return Status::InvalidInput("village",
                                Msg("fund {} belongs to village \"{}\"", fund.code, fund.village));
  }
  VLEDGER_TRY(CheckPeriod("period", b.period));
  VLEDGER_TRY(CheckAmount("amount", b.amount_fen));
  if (auto pending = LoadPendingDividend(ctx.state)) {
    return Status::FailedPrecondition(
        "dividend", Msg("the dividend at seq {} still awaits its payments", pending->declared_seq));
  }
  int64_t unrestricted = PurposeBalance(ctx.state, fund.code, "");
  if (b.amount_fen > unrestricted) {
    return Status::FailedPrecondition(
        "amount", Msg("{} exceeds fund {}'s {} of unrestricted money", Yuan(b.amount_fen),
                      fund.code, Yuan(unrestricted)));
  }
  auto allocation = AllocateDividend(
      b.amount_fen, DividendPointsList(ctx.state, village.code, b.period, b.active_only));
  if (!allocation.ok()) {
    return Status::FailedPrecondition(
        "period", b.active_only ? Msg("no active resident of village {} has positive points in {}",
                                      village.code, b.period)
                                : Msg("no resident of village {} has positive points in {}",
                                      village.code, b.period));
  }
  std::vector<ExpectedShare> shares;
  for (const DividendShare& s : *allocation) {
    if (s.amount_fen > 0) shares.push_back(ExpectedShare{s.resident, s.amount_fen});
  }
  VLEDGER_ASSERT(!shares.empty());  // T > 0 fen go somewhere
  if (shares.size() > kDividendSharesMax) {
    return Status::InvalidInput("village",
                                Msg("a dividend pays at most {} residents", kDividendSharesMax));
  }
  for (size_t i = 0; i < shares.size(); i++) StoreExpectedShare(ctx.state, i, shares[i]);
  StorePendingDividend(ctx.state, PendingDividend{ctx.seq, fund.code, b.period, 0, shares.size()});
  StoreDividend(ctx.state, ctx.seq,
                DividendRecord{fund.code, village.code, b.period, b.amount_fen, shares.size()});
  return Status::Ok();
}

// ------------------------------------------------------------- reversals

namespace {

Status UndoDonation(ApplyCtx& ctx, uint64_t target_seq, const DonationReceived& d) {
  const FundState* fund = FindFund(ctx.state, d.fund);
  CheckExists(fund, d.fund);
  VLEDGER_TRY(RequireFundWriter(ctx, fund->rec));
  int64_t balance = PurposeBalance(ctx.state, d.fund, d.purpose);
  if (balance < d.amount_fen) {
    return Status::FailedPrecondition(
        "target", d.purpose.empty()
                      ? Msg("reversing the gift at seq {} ({}) would take fund {}'s unrestricted "
                            "money ({}) below zero",
                            target_seq, Yuan(d.amount_fen), d.fund, Yuan(balance))
                      : Msg("reversing the gift at seq {} ({}) would take fund {}'s purpose \"{}\" "
                            "({}) below zero",
                            target_seq, Yuan(d.amount_fen), d.fund, d.purpose, Yuan(balance)));
  }
  FundState* f = MutableFund(ctx.state, d.fund);
  AddPurpose(*f, d.purpose, -d.amount_fen);
  f->donations_fen += d.amount_fen;
  FundMovement m = Movement(ctx, "reversal", d.purpose);
  m.target = target_seq;
  (d.purpose.empty() ? m.unrestricted_delta : m.restricted_delta) = -d.amount_fen;
  m.donor = DonorKey(d);
  m.public_name = d.public_name;
  StoreMovement(ctx.state, *f, m);
  return Status::Ok();
}

// Gives a payment's money back to the purposes it was drawn on.
void RefundPayment(StateStore& state, const PaymentRecord& p) {
  FundState* f = MutableFund(state, p.fund);
  CheckExists(f, p.fund);
  if (p.from_purpose_fen > 0) AddPurpose(*f, p.purpose, p.from_purpose_fen);
  if (p.from_unrestricted_fen > 0) AddPurpose(*f, "", p.from_unrestricted_fen);
  AddPaid(state, p.fund, p.beneficiary, p.household,
          -(p.from_purpose_fen + p.from_unrestricted_fen));
}

Status UndoPayment(ApplyCtx& ctx, uint64_t target_seq) {
  auto p = LoadPayment(ctx.state, target_seq);
  VLEDGER_ASSERT(p.has_value());
  if (p->dividend != 0) {
    return Status::InvalidInput("target", Msg("seq {} is a payment of the dividend at seq {}; "
                                              "reverse {} to reverse the dividend whole",
                                              target_seq, p->dividend, p->dividend));
  }
  const FundState* fund = FindFund(ctx.state, p->fund);
  CheckExists(fund, p->fund);
  VLEDGER_TRY(RequireFundWriter(ctx, fund->rec));
  RefundPayment(ctx.state, *p);
  if (p->allowance != 0 && AllowancePaidBy(ctx.state, p->allowance, p->period) == target_seq) {
    SetAllowancePaid(ctx.state, p->allowance, p->period, std::nullopt);
  }
  FundMovement m = Movement(ctx, "reversal", p->purpose);
  m.target = target_seq;
  m.restricted_delta = p->from_purpose_fen;
  m.unrestricted_delta = p->from_unrestricted_fen;
  m.beneficiary = (p->household ? "H:" : "R:") + p->beneficiary;
  StoreMovement(ctx.state, *MutableFund(ctx.state, p->fund), m);
  return Status::Ok();
}

Status UndoRelease(ApplyCtx& ctx, uint64_t target_seq, const RestrictionReleased& r) {
  const FundState* fund = FindFund(ctx.state, r.fund);
  CheckExists(fund, r.fund);
  VLEDGER_TRY(RequireFundWriter(ctx, fund->rec));
  int64_t unrestricted = PurposeBalance(ctx.state, r.fund, "");
  if (unrestricted < r.amount_fen) {
    return Status::FailedPrecondition(
        "target", Msg("reversing the release at seq {} ({}) would take fund {}'s unrestricted "
                      "money ({}) below zero",
                      target_seq, Yuan(r.amount_fen), r.fund, Yuan(unrestricted)));
  }
  FundState* f = MutableFund(ctx.state, r.fund);
  AddPurpose(*f, "", -r.amount_fen);
  AddPurpose(*f, r.purpose, r.amount_fen);
  FundMovement m = Movement(ctx, "reversal", r.purpose);
  m.target = target_seq;
  m.restricted_delta = r.amount_fen;
  m.unrestricted_delta = -r.amount_fen;
  StoreMovement(ctx.state, *f, m);
  return Status::Ok();
}

Status UndoDividend(ApplyCtx& ctx, uint64_t target_seq, const DividendDeclared& declared) {
  auto d = LoadDividend(ctx.state, declared.fund, target_seq);
  VLEDGER_ASSERT(d.has_value());
  const FundState* fund = FindFund(ctx.state, d->fund);
  CheckExists(fund, d->fund);
  VLEDGER_TRY(RequireFundWriter(ctx, fund->rec));
  int64_t refunded = 0;
  for (uint64_t i = 1; i <= d->payments; i++) {
    auto p = LoadPayment(ctx.state, target_seq + i);
    VLEDGER_ASSERT(p.has_value() && p->dividend == target_seq);
    RefundPayment(ctx.state, *p);
    refunded += p->from_unrestricted_fen;
  }
  VLEDGER_ASSERT(refunded == d->amount_fen);
  FundMovement m = Movement(ctx, "reversal", "");
  m.target = target_seq;
  m.unrestricted_delta = refunded;
  StoreMovement(ctx.state, *MutableFund(ctx.state, d->fund), m);
  return Status::Ok();
}

}  // namespace

Status UndoFundEvent(ApplyCtx& ctx, uint64_t target_seq, const Event& target) {
  if (const auto* d = std::get_if<DonationReceived>(&target.body)) {
    return UndoDonation(ctx, target_seq, *d);
  }
  if (std::holds_alternative<FundDisbursed>(target.body)) return UndoPayment(ctx, target_seq);
  if (const auto* r = std::get_if<RestrictionReleased>(&target.body)) {
    return UndoRelease(ctx, target_seq, *r);
  }
  if (const auto* d = std::get_if<DividendDeclared>(&target.body)) {
    return UndoDividend(ctx, target_seq, *d);
  }
  return Status::InvalidInput("target", Msg("seq {} is not a fund event", target_seq));
}

}  // namespace vledger::detail
