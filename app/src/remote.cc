#include "vledger/app/remote.h"

#include <algorithm>
#include <map>

#include "guard.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/event.h"

namespace vledger::app {
namespace {

using Types = std::vector<std::string_view>;

// The event types each appending command writes (cli/ commands; a
// reversal and an import are open-ended within their kinds).
const std::map<std::string_view, Types>& CommandTypes() {
  static const std::map<std::string_view, Types> kTypes = {
      {"award", {"pointsAwarded", "residentUpdated"}},
      {"deduct", {"pointsDeducted", "residentUpdated"}},
      {"redeem", {"pointsRedeemed"}},
      {"expire", {"pointsExpired"}},
      {"reverse", {"eventReversed"}},
      {"review", {"entriesReviewed"}},
      {"donate", {"donationReceived"}},
      {"disburse", {"fundDisbursed"}},
      {"release", {"restrictionReleased"}},
      {"fund open", {"fundOpened"}},
      {"allowance add", {"allowanceAdded"}},
      {"allowance stop", {"allowanceStopped"}},
      {"allowance run", {"fundDisbursed"}},
      {"dividend", {"dividendDeclared", "fundDisbursed"}},
      {"key register", {"keyRegistered"}},
      {"key revoke", {"keyRevoked"}},
      {"rule add", {"ruleDefined"}},
      {"rule retire", {"ruleRetired"}},
      {"village add", {"villageRegistered"}},
      {"village policy", {"villagePolicySet"}},
      {"household add", {"householdRegistered"}},
      {"household head", {"householdHeadSet"}},
      {"resident add", {"residentRegistered"}},
      {"resident update", {"residentUpdated"}},
      {"person erase", {"personErased"}},
      {"objection file", {"objectionFiled"}},
      {"objection resolve", {"objectionResolved"}},
      {"publish", {"disclosurePublished"}},
      {"import",
       {"villageRegistered", "householdRegistered", "householdHeadSet", "residentRegistered",
        "residentUpdated", "ruleDefined", "pointsAwarded", "pointsDeducted", "pointsRedeemed",
        "donationReceived", "fundDisbursed"}},
  };
  return kTypes;
}

// `field` of the event at `seq` is not what the command gave.
Status Mismatch(uint64_t seq, std::string_view field) {
  return Status::PermissionDenied(
             field, Msg("the server prepared another value than the command gave: not signed, "
                        "nothing written"))
      .WithSeq(seq);
}

// The values the command gave, against those of `body`.
Status CheckValues(const CommitExpectation& x, uint64_t seq, const EventBody& body) {
  auto differs = [](const auto& want, const auto& have) { return want && *want != have; };
  if (const auto* e = std::get_if<PointsAwarded>(&body)) {
    if (differs(x.resident, e->resident)) return Mismatch(seq, "resident");
    if (differs(x.rule, e->rule)) return Mismatch(seq, "rule");
    if (differs(x.points, e->points)) return Mismatch(seq, "points");
  }
  if (const auto* e = std::get_if<PointsDeducted>(&body)) {
    if (differs(x.resident, e->resident)) return Mismatch(seq, "resident");
    if (differs(x.rule, e->rule)) return Mismatch(seq, "rule");
    if (differs(x.points, e->points)) return Mismatch(seq, "points");
  }
  if (const auto* e = std::get_if<PointsRedeemed>(&body)) {
    if (differs(x.resident, e->resident)) return Mismatch(seq, "resident");
    if (differs(x.shop, e->shop)) return Mismatch(seq, "shop");
    if (differs(x.points, e->points)) return Mismatch(seq, "points");
  }
  if (const auto* e = std::get_if<DonationReceived>(&body)) {
    if (differs(x.fund, e->fund)) return Mismatch(seq, "fund");
    if (differs(x.amount_fen, e->amount_fen)) return Mismatch(seq, "amount");
  }
  if (const auto* e = std::get_if<FundDisbursed>(&body)) {
    if (differs(x.fund, e->fund)) return Mismatch(seq, "fund");
    if (differs(x.resident, e->to_resident)) return Mismatch(seq, "resident");
    if (differs(x.amount_fen, e->amount_fen)) return Mismatch(seq, "amount");
  }
  if (const auto* e = std::get_if<AllowanceAdded>(&body)) {
    if (differs(x.fund, e->fund)) return Mismatch(seq, "fund");
    if (differs(x.resident, e->to_resident)) return Mismatch(seq, "resident");
    if (differs(x.amount_fen, e->amount_fen)) return Mismatch(seq, "amount");
  }
  if (const auto* e = std::get_if<EventReversed>(&body)) {
    if (differs(x.target, e->target)) return Mismatch(seq, "target");
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string_view> EventTypesOf(std::string_view command) {
  auto it = CommandTypes().find(command);
  return it == CommandTypes().end() ? Types() : it->second;
}

Status CheckPreparedCommit(const CommitExpectation& x, const CommitToSign& commit) try {
  Types types = EventTypesOf(x.command);
  if (types.empty()) {
    return Status::PermissionDenied(Msg(
        "the server prepared a commit for \"{}\", which writes no events: not signed", x.command));
  }
  if (commit.last < commit.first ||
      commit.last - commit.first + 1 != commit.canonical_events.size()) {
    return Status::InvalidInput(Msg("the prepared commit {}..{} holds {} events", commit.first,
                                    commit.last, commit.canonical_events.size()));
  }
  // The message binds the chain position; its hash is the server's
  // word until the commit is verified (verify, a mirror).
  std::string prefix = CommitMessage(commit.first, commit.last, Hash{}).substr(0, 34);
  if (!commit.message.starts_with(prefix) || commit.message.size() != prefix.size() + 32) {
    return Status::InvalidInput(
        Msg("the prepared commit's message is not that of {}..{}", commit.first, commit.last));
  }
  for (size_t i = 0; i < commit.canonical_events.size(); i++) {
    uint64_t seq = commit.first + i;
    Result<Event> event = DecodeEvent(commit.canonical_events[i]);
    if (!event.ok()) return event.status().WithSeq(seq);
    if (event->key_id != x.key_id) return Mismatch(seq, "keyId");
    if (event->request_id != x.request_id) return Mismatch(seq, "requestId");
    std::string_view type = EventTypeName(event->body);
    if (std::find(types.begin(), types.end(), type) == types.end()) {
      return Mismatch(seq, "type");
    }
    VLEDGER_TRY(CheckValues(x, seq, event->body));
  }
  return Status::Ok();
} catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
