#include "apply_disclosure.h"

#include "apply_internal.h"
#include "vledger/bytes.h"
#include "vledger/objections.h"
#include "vledger/validate.h"

namespace vledger::detail {
namespace {

std::string SeqName(uint64_t seq) { return "seq " + std::to_string(seq); }

Status CheckOneOf(std::string_view field, std::string_view value,
                  std::initializer_list<std::string_view> allowed) {
  std::string names;
  for (std::string_view a : allowed) {
    if (value == a) return Status::Ok();
    names += (names.empty() ? "" : "|") + std::string(a);
  }
  return Reject(field, Quote(value) + " is not one of " + names);
}

// The village an objection about an event belongs to: the event's own, else
// the objector's.
Result<std::string> ObjectionVillage(ApplyCtx& ctx, const ObjectionFiled& b,
                                     const ResidentRecord& by) {
  if (!b.about_event) {
    auto d = DisclosureBySha(ctx.state, b.about_report);
    if (!d) return Reject("report", "no published report has SHA-256 " + Hex(b.about_report));
    return d->village;
  }
  if (*b.about_event >= ctx.seq) {
    return Reject("event", SeqName(*b.about_event) + " is not an earlier event");
  }
  Result<Event> target = ctx.state.ReadEvent(*b.about_event);
  if (!target.ok()) {
    if (target.status().code() == Code::kUnavailable) return target.status();
    return Reject("event", SeqName(*b.about_event) + " cannot be read: " +
                               target.status().message());
  }
  std::string village = EventVillage(ctx.state, *target);
  return village.empty() ? by.village : village;
}

}  // namespace

Status ApplyBody(ApplyCtx& ctx, const DisclosurePublished& b) {
  VLEDGER_ASSIGN_OR_RETURN(const VillageState* found_village,
                           RequireVillage(ctx.state, "village", b.village));
  const VillageRecord& village = found_village->rec;
  VLEDGER_TRY(CheckPeriod("period", b.period));
  VLEDGER_TRY(CheckOneOf("kind", b.kind, {"bulletin", "points", "funds"}));
  VLEDGER_TRY(CheckOneOf("format", b.format, {"html", "md", "csv", "json"}));
  VLEDGER_TRY(CheckOneOf("lang", b.lang, {"zh", "en"}));
  if (b.report_sha256.size() != 32) return Reject("reportSha256", "must be 32 bytes");
  if (b.tree_size == 0 || b.tree_size > ctx.seq) {
    return Reject("treeSize", std::to_string(b.tree_size) + " is not a size of the log before " +
                                  SeqName(ctx.seq));
  }
  VLEDGER_TRY(CheckDate("windowEnd", b.window_end));
  VLEDGER_TRY(RequireRole(ctx, {"collector"}, village.code));
  if (DisclosureBySha(ctx.state, b.report_sha256)) {
    return Reject("reportSha256", "this report was already published");
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
    return Reject("report", "a report's SHA-256 must be 32 bytes");
  }
  VLEDGER_ASSIGN_OR_RETURN(const ResidentState* by_state, RequireResident(ctx.state, "byResident",
                                                              b.by_resident));
  const ResidentRecord& by = by_state->rec;
  if (!b.by_ref.empty()) VLEDGER_TRY(RequirePersonRef("byRef", b.by_ref));
  VLEDGER_TRY(CheckText("text", b.text, false));
  VLEDGER_TRY(CheckDate("replyDue", b.reply_due));
  VLEDGER_ASSIGN_OR_RETURN(std::string village, ObjectionVillage(ctx, b, by));
  VLEDGER_TRY(RequireRole(ctx, {"auditor", "collector", "reviewer"}, village));
  ObjectionRecord o;
  o.seq = ctx.seq;
  o.village = village;
  o.about_event = b.about_event;
  o.about_report = b.about_event ? "" : b.about_report;
  o.by_resident = b.by_resident;
  o.text = b.text;
  o.reply_due = b.reply_due;
  o.filed_on = CstDate(ctx.event.recorded_at_ms);
  StoreObjection(ctx.state, o);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const ObjectionResolved& b) {
  auto o = LoadObjection(ctx.state, b.objection);
  if (!o) return Reject("objection", SeqName(b.objection) + " is not an objection");
  VLEDGER_TRY(CheckText("answer", b.answer, false));
  VLEDGER_TRY(RequireRole(ctx, {"collector", "reviewer"}, o->village));
  if (o->resolved) {
    return Reject("objection", SeqName(b.objection) + " was already resolved at " +
                                   SeqName(o->resolved_seq));
  }
  if (b.reversal != 0) {
    if (b.reversal >= ctx.seq) {
      return Reject("reversal", SeqName(b.reversal) + " is not an earlier event");
    }
    Result<Event> rev = ctx.state.ReadEvent(b.reversal);
    if (!rev.ok()) {
      if (rev.status().code() == Code::kUnavailable) return rev.status();
      return Reject("reversal", SeqName(b.reversal) + " cannot be read");
    }
    if (!std::holds_alternative<EventReversed>(rev->body)) {
      return Reject("reversal", SeqName(b.reversal) + " is " + EventTypeName(rev->body) +
                                    ", not an eventReversed");
    }
  }
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
