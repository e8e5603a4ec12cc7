#include "vledger/app/remote.h"

#include <algorithm>
#include <map>

#include "guard.h"
#include "import_rows.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/event.h"

namespace vledger::app {
namespace {

using Types = std::vector<std::string_view>;

// The event types each appending command writes, by its words. The local
// command holds to it too (Append and an import refuse to commit an event
// of a type not listed for their command), so a builder that starts
// writing another type fails its own tests until it is listed here.
const std::map<std::string_view, Types>& CommandTypes() {
  static const std::map<std::string_view, Types> kTypes = {
      {"award", {"pointsAwarded"}},
      {"deduct", {"pointsDeducted"}},
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
      {"rule add", {"ruleDefined", "displayNameSet"}},
      {"name set", {"displayNameSet"}},
      {"shop item add", {"shopItemAdded"}},
      {"shop restock", {"shopRestocked"}},
      {"village grades", {"gradePolicySet"}},
      {"benefit add", {"benefitAdded"}},
      {"benefit withdraw", {"benefitWithdrawn"}},
      {"attest", {"attestationIssued"}},
      {"attest revoke", {"attestationRevoked"}},
      {"rule retire", {"ruleRetired"}},
      {"village add", {"villageRegistered"}},
      {"village policy", {"villagePolicySet"}},
      {"household add", {"householdRegistered"}},
      {"household head", {"householdHeadSet"}},
      {"resident add", {"residentRegistered"}},
      {"resident update", {"residentUpdated", "personErased"}},
      {"person erase", {"personErased"}},
      {"objection file", {"objectionFiled"}},
      {"objection resolve", {"objectionResolved"}},
      {"publish", {"disclosurePublished"}},
  };
  return kTypes;
}

// The types of `command` as the table has them (an import by its kinds).
Types TypesOf(std::string_view command) {
  if (command == "import" || command.starts_with("import ")) {
    std::string_view kind = command == "import" ? "" : command.substr(7);
    Types out;
    for (const KindSpec& k : Kinds()) {
      if (!kind.empty() && k.name != kind) continue;
      for (std::string_view t : TypesOf(k.command)) {
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
      }
    }
    return out;
  }
  auto it = CommandTypes().find(command);
  return it == CommandTypes().end() ? Types() : it->second;
}

// `field` of the event at `seq` is not what the command gave.
Status Mismatch(uint64_t seq, std::string_view field) {
  return Status::PermissionDenied(
             field, Msg("the server prepared another value than the command gave: not signed, "
                        "nothing written"))
      .WithSeq(seq);
}

// The resident an event names, if any.
std::optional<std::string> ResidentOf(const EventBody& body) {
  if (const auto* e = std::get_if<PointsAwarded>(&body)) return e->resident;
  if (const auto* e = std::get_if<PointsDeducted>(&body)) return e->resident;
  if (const auto* e = std::get_if<PointsRedeemed>(&body)) return e->resident;
  if (const auto* e = std::get_if<FundDisbursed>(&body)) return e->to_resident;
  if (const auto* e = std::get_if<AllowanceAdded>(&body)) return e->to_resident;
  return std::nullopt;
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
  if (const auto* e = std::get_if<GradePolicySet>(&body)) {
    if (differs(x.village, e->village)) return Mismatch(seq, "village");
  }
  if (const auto* e = std::get_if<ShopItemAdded>(&body)) {
    if (differs(x.shop, e->shop)) return Mismatch(seq, "shop");
    if (differs(x.village, e->village)) return Mismatch(seq, "village");
    if (differs(x.points, e->points)) return Mismatch(seq, "points");
  }
  if (const auto* e = std::get_if<ShopRestocked>(&body)) {
    if (differs(x.shop, e->shop)) return Mismatch(seq, "shop");
    if (differs(x.village, e->village)) return Mismatch(seq, "village");
  }
  if (const auto* e = std::get_if<DonationReceived>(&body)) {
    if (differs(x.fund, e->fund)) return Mismatch(seq, "fund");
    if (differs(x.amount_fen, e->amount_fen)) return Mismatch(seq, "amount");
  }
  if (const auto* e = std::get_if<FundDisbursed>(&body)) {
    if (differs(x.fund, e->fund)) return Mismatch(seq, "fund");
    if (differs(x.amount_fen, e->amount_fen) && x.command != "dividend" &&
        x.command != "allowance run") {
      return Mismatch(seq, "amount");
    }
    if (x.to && *x.to != e->to_resident && *x.to != e->to_household) return Mismatch(seq, "to");
  }
  if (const auto* e = std::get_if<AllowanceAdded>(&body)) {
    if (differs(x.fund, e->fund)) return Mismatch(seq, "fund");
    if (x.to && *x.to != e->to_resident && *x.to != e->to_household) return Mismatch(seq, "to");
    if (differs(x.amount_fen, e->amount_fen)) return Mismatch(seq, "amount");
  }
  if (const auto* e = std::get_if<EventReversed>(&body)) {
    if (differs(x.target, e->target)) return Mismatch(seq, "target");
  }
  if (const auto* e = std::get_if<DisclosurePublished>(&body)) {
    if (differs(x.village, e->village)) return Mismatch(seq, "village");
    if (differs(x.period, e->period)) return Mismatch(seq, "period");
    if (differs(x.tree_size, e->tree_size)) return Mismatch(seq, "treeSize");
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string_view> EventTypesOf(std::string_view command) { return TypesOf(command); }

std::string CommandOfFingerprint(std::string_view fingerprint) {
  std::string_view words = fingerprint.substr(0, fingerprint.find_first_of("\x1e\x1f"));
  size_t space = words.rfind(' ');
  return std::string(space == std::string_view::npos ? "" : words.substr(0, space));
}

Status CheckBuiltType(std::string_view command, uint64_t seq, const EventBody& body) {
  Types types = TypesOf(command);
  if (types.empty()) return Status::Ok();
  std::string_view type = EventTypeName(body);
  if (std::find(types.begin(), types.end(), type) != types.end()) return Status::Ok();
  return Status::FailedPrecondition(
             Msg("\"{}\" built a {} event, which is not among the event types listed for it "
                 "(app/src/remote.cc): nothing written",
                 std::string(command), std::string(type)))
      .WithSeq(seq);
}

Status CheckPreparedCommit(const CommitExpectation& x, const CommitToSign& commit,
                           std::vector<std::string>* named) try {
  Types types = EventTypesOf(x.command);
  if (types.empty()) {
    return Status::PermissionDenied(Msg(
        "the server prepared a commit for \"{}\", which writes no events: not signed", x.command));
  }
  const bool import = x.command == "import" || x.command.starts_with("import ");
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
    // An import's rows carry their own request ids: a request_id cell,
    // or one the import derived ("imp-…"); never none.
    if (import ? event->request_id.empty() : event->request_id != x.request_id) {
      return Mismatch(seq, "requestId");
    }
    std::string_view type = EventTypeName(event->body);
    if (std::find(types.begin(), types.end(), type) == types.end()) {
      return Mismatch(seq, "type");
    }
    VLEDGER_TRY(CheckValues(x, seq, event->body));
    if (named != nullptr && x.resident_name) {
      std::optional<std::string> resident = ResidentOf(event->body);
      if (resident && !resident->empty() &&
          std::find(named->begin(), named->end(), *resident) == named->end()) {
        named->push_back(*resident);
      }
    }
  }
  return Status::Ok();
} catch (...) {
  return CaughtStatus();
}

bool SignsCheckpoints(std::string_view command) {
  return command == "checkpoint" || command == "publish" || command == "prove" ||
         command == "report" || command == "export";
}

Status CheckPreparedCheckpoint(const CommitExpectation& x, const CheckpointToSign& c) try {
  if (!SignsCheckpoints(x.command)) {
    return Status::PermissionDenied(
        Msg("the server asked to sign a checkpoint for \"{}\", which signs none: not signed",
            x.command));
  }
  if (!IsValidNoteKeyName(c.head.origin) || c.head.size == 0 || c.body != CheckpointBody(c.head)) {
    return Status::InvalidInput(
        Msg("the prepared checkpoint is not a note body of origin, size and root: not signed"));
  }
  if (x.checkpoint_size && *x.checkpoint_size != c.head.size) {
    return Status::PermissionDenied(
        "--size", Msg("the server prepared a checkpoint of size {}, not {}: not signed",
                      c.head.size, *x.checkpoint_size));
  }
  return Status::Ok();
} catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
