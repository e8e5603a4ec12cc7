#include "apply_disclosure.h"

#include "apply_internal.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/objections.h"
#include "vledger/projections/points.h"
#include "vledger/projections/validate.h"

namespace vledger::detail {
namespace {

// The village an objection about an event belongs to: the event's own, else
// the objector's.
Result<std::string> ObjectionVillage(ApplyCtx& ctx, const ObjectionFiled& b,
                                     const ResidentRecord& by) {
  if (!b.about_event) {
    auto d = DisclosureBySha(ctx.state, b.about_report);
    if (!d)
      return Status::NotFound("report",
                              Msg("no published report has SHA-256 {}", Hex(b.about_report)));
    return d->village;
  }
  if (*b.about_event >= ctx.seq) {
    return Status::InvalidInput("event", Msg("seq {} is not an earlier event", *b.about_event));
  }
  Result<Event> target = ctx.state.ReadEvent(*b.about_event);
  if (!target.ok()) {
    if (target.status().is_storage_fault()) return target.status();
    return Status::InvalidInput(
        "event", Msg("seq {} cannot be read: {}", *b.about_event, target.status().message()));
  }
  std::string village = EventVillage(ctx.state, *target);
  return village.empty() ? std::string(by.village) : village;
}

// An earlier event, or a rejection naming `field`.
Result<Event> EarlierEvent(ApplyCtx& ctx, std::string_view field, uint64_t seq) {
  if (seq >= ctx.seq)
    return Status::InvalidInput(field, Msg("seq {} is not an earlier event", seq));
  Result<Event> event = ctx.state.ReadEvent(seq);
  if (!event.ok()) {
    if (event.status().is_storage_fault()) return event.status();
    return Status::InvalidInput(field,
                                Msg("seq {} cannot be read: {}", seq, event.status().message()));
  }
  return event;
}

// The key that recorded what an objection disputes: the entry, or the
// publication of the report.
Result<std::string> DisputedAuthor(ApplyCtx& ctx, const ObjectionRecord& o) {
  uint64_t seq = 0;
  if (o.about_event) {
    seq = *o.about_event;
  } else {
    auto d = DisclosureBySha(ctx.state, o.about_report);
    if (!d) return std::string();
    seq = d->seq;
  }
  VLEDGER_ASSIGN_OR_RETURN(Event disputed, EarlierEvent(ctx, "objection", seq));
  return disputed.key_id;
}

// Whether `reversed` (the target of an eventReversed) undoes the entry
// `entry`: the entry itself, or the dividend a payment belongs to.
bool ReversesEntry(ApplyCtx& ctx, uint64_t entry, uint64_t reversed) {
  if (reversed == entry) return true;
  Result<Event> e = ctx.state.ReadEvent(entry);
  if (!e.ok()) return false;
  const auto* payment = std::get_if<FundDisbursed>(&e->body);
  return payment != nullptr && DividendOfPayment(ctx.state, payment->fund, entry) == reversed;
}

// Whether the event at `seq` is counted in the published report `d`: a
// points entry of its village dated in its period (points and bulletin
// reports), or a fund event of its village recorded in its period (funds
// and bulletin reports), within the report's tree.
bool CountedIn(ApplyCtx& ctx, const DisclosureRecord& d, uint64_t seq, const Event& event) {
  if (seq >= d.tree_size) return false;
  if (auto entry = LoadEntry(ctx.state, seq)) {
    return d.kind != "funds" && entry->village == d.village &&
           DateInPeriod(entry->occurred_on, d.period);
  }
  const EventBody& b = event.body;
  bool fund_event =
      std::holds_alternative<DonationReceived>(b) || std::holds_alternative<FundDisbursed>(b) ||
      std::holds_alternative<RestrictionReleased>(b) || std::holds_alternative<DividendDeclared>(b);
  return fund_event && d.kind != "points" && EventVillage(ctx.state, event) == d.village &&
         DateInPeriod(CstDate(event.recorded_at_ms), d.period);
}

// What an objection's resolution may cite as the correction it led to
// (SPEC section 3): recorded after the objection; about an entry, a
// reversal of that entry (or the review that rejected it while it was
// pending); about a report, a reversal of an entry counted in it, or a
// later publication of the same village, period and kind.
Status CheckCitedCorrection(ApplyCtx& ctx, const ObjectionRecord& o, uint64_t cited) {
  VLEDGER_ASSIGN_OR_RETURN(Event event, EarlierEvent(ctx, "reversal", cited));
  if (cited <= o.seq) {
    return Status::InvalidInput(
        "reversal",
        Msg("seq {} was recorded before the objection (seq {}); cite the correction it led to",
            cited, o.seq));
  }
  const auto* reversal = std::get_if<EventReversed>(&event.body);
  if (o.about_event) {
    uint64_t entry = *o.about_event;
    if (reversal != nullptr) {
      if (ReversesEntry(ctx, entry, reversal->target)) return Status::Ok();
      return Status::InvalidInput("reversal", Msg("seq {} reverses seq {}, not the disputed seq {}",
                                                  cited, reversal->target, entry));
    }
    if (const auto* review = std::get_if<EntriesReviewed>(&event.body)) {
      for (const Rejection& r : review->rejected) {
        if (r.seq == entry) return Status::Ok();
      }
      return Status::InvalidInput(
          "reversal",
          Msg("seq {} is a review that did not reject the disputed seq {}", cited, entry));
    }
    return Status::InvalidInput(
        "reversal", Msg("seq {} is {}, not an eventReversed of the disputed seq {}", cited,
                        EventTypeName(event.body), entry));
  }
  auto d = DisclosureBySha(ctx.state, o.about_report);
  if (!d) return Status::NotFound("objection", "the disputed report is not published");
  if (reversal != nullptr) {
    Result<Event> target = ctx.state.ReadEvent(reversal->target);
    if (target.ok() && CountedIn(ctx, *d, reversal->target, *target)) return Status::Ok();
    return Status::InvalidInput(
        "reversal", Msg("seq {} reverses seq {}, which the disputed report (seq {}) does not count",
                        cited, reversal->target, d->seq));
  }
  if (const auto* p = std::get_if<DisclosurePublished>(&event.body)) {
    if (p->village == d->village && p->period == d->period && p->kind == d->kind) {
      return Status::Ok();
    }
    return Status::InvalidInput(
        "reversal", Msg("seq {} publishes {} {} {}, not the disputed report's {} {} {}", cited,
                        p->kind, p->village, p->period, d->kind, d->village, d->period));
  }
  return Status::InvalidInput(
      "reversal", Msg("seq {} is {}, not an eventReversed or a new publication of the report",
                      cited, EventTypeName(event.body)));
}

}  // namespace

Status ApplyBody(ApplyCtx& ctx, const DisclosurePublished& b) {
  VLEDGER_ASSIGN_OR_RETURN(const VillageState* found_village,
                           RequireVillage(ctx.state, "village", b.village));
  const VillageRecord& village = found_village->rec;
  VLEDGER_TRY(CheckPeriod("period", b.period));
  VLEDGER_TRY(Parse<ReportKind>("kind", b.kind).status());
  VLEDGER_TRY(Parse<ReportFormat>("format", b.format).status());
  VLEDGER_TRY(Parse<ReportLang>("lang", b.lang).status());
  if (b.report_sha256.size() != 32) return Status::InvalidInput("reportSha256", "must be 32 bytes");
  if (b.tree_size == 0 || b.tree_size > ctx.seq) {
    return Status::InvalidInput(
        "treeSize", Msg("{} is not a size of the log before seq {}", b.tree_size, ctx.seq));
  }
  VLEDGER_TRY(CheckDate("windowEnd", b.window_end));
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, village.code));
  if (DisclosureBySha(ctx.state, b.report_sha256)) {
    return Status::AlreadyExists("reportSha256", "this report was already published");
  }
  DisclosureRecord d;
  d.seq = ctx.seq;
  d.village = b.village;
  d.period = b.period;
  d.kind = b.kind;
  d.format = b.format;
  d.lang = b.lang;
  d.report_sha256 = b.report_sha256;
  d.tree_size = b.tree_size;
  d.window_end = b.window_end;
  d.published_on = CstDate(ctx.event.recorded_at_ms);
  StoreDisclosure(ctx.state, d);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const ObjectionFiled& b) {
  if (!b.about_event && b.about_report.size() != 32) {
    return Status::InvalidInput("report", "a report's SHA-256 must be 32 bytes");
  }
  VLEDGER_ASSIGN_OR_RETURN(const ResidentState* by_state,
                           RequireResident(ctx.state, "byResident", b.by_resident));
  const ResidentRecord& by = by_state->rec;
  if (!b.by_ref.empty()) VLEDGER_TRY(RequirePersonRef("byRef", b.by_ref));
  VLEDGER_TRY(CheckText("text", b.text, false));
  if (b.about_event && *b.about_event == 0) {
    return Status::InvalidInput("event", "seq 0 is the genesis, not an entry to object to");
  }
  VLEDGER_TRY(CheckDate("replyDue", b.reply_due));
  std::string filed_on = CstDate(ctx.event.recorded_at_ms);
  if (b.reply_due < filed_on) {
    return Status::InvalidInput("replyDue",
                                Msg("{} is before the filing date {}", b.reply_due, filed_on));
  }
  std::string latest = AddWorkingDays(filed_on, kWindowWorkingDaysMax);
  if (b.reply_due > latest) {
    return Status::InvalidInput(
        "replyDue", Msg("{} is more than {} working days after the filing date (at most {})",
                        b.reply_due, kWindowWorkingDaysMax, latest));
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string village, ObjectionVillage(ctx, b, by));
  VLEDGER_TRY(RequireRole(ctx, {Role::kAuditor, Role::kCollector, Role::kReviewer}, village));
  ObjectionRecord o;
  o.seq = ctx.seq;
  o.village = village;
  o.about_event = b.about_event;
  o.about_report = b.about_event ? "" : b.about_report;
  o.by_resident = b.by_resident;
  o.text = b.text;
  o.reply_due = b.reply_due;
  o.filed_on = filed_on;
  StoreObjection(ctx.state, o);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const ObjectionResolved& b) {
  auto o = LoadObjection(ctx.state, b.objection);
  if (!o) return Status::NotFound("objection", Msg("seq {} is not an objection", b.objection));
  VLEDGER_TRY(CheckText("answer", b.answer, false));
  // Closing (销号) is the village's reviewers', auditors' or an admin's,
  // never the key's that recorded what is disputed.
  VLEDGER_TRY(RequireRole(ctx, {Role::kReviewer, Role::kAuditor}, o->village));
  VLEDGER_ASSIGN_OR_RETURN(std::string disputed_by, DisputedAuthor(ctx, *o));
  if (disputed_by == ctx.event.key_id) {
    return Status::InvalidInput(
        "objection", Msg("key {} recorded what seq {} disputes and may not resolve it", disputed_by,
                         b.objection));
  }
  if (o->resolved) {
    return Status::FailedPrecondition(
        "objection", Msg("seq {} was already resolved at seq {}", b.objection, o->resolved_seq));
  }
  if (b.reversal != 0) VLEDGER_TRY(CheckCitedCorrection(ctx, *o, b.reversal));
  o->resolved = true;
  o->resolved_seq = ctx.seq;
  o->upheld = b.upheld;
  o->answer = b.answer;
  o->resolved_on = CstDate(ctx.event.recorded_at_ms);
  o->reversal = b.reversal;
  StoreObjection(ctx.state, *o);
  return Status::Ok();
}

}  // namespace vledger::detail
