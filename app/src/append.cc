#include "vledger/app/append.h"

#include <future>
#include <nlohmann/json.hpp>

#include "event_summary.h"
#include "guard.h"
#include "internal.h"
#include "vledger/app/people.h"
#include "vledger/app/remote.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/apply.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::app {

using Json = nlohmann::ordered_json;

namespace {

// The free text of an event that goes into the public log, by schema field.
std::vector<std::pair<std::string_view, std::string_view>> FreeTexts(const EventBody& body) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  if (const auto* e = std::get_if<PointsAwarded>(&body)) out.emplace_back("note", e->note);
  if (const auto* e = std::get_if<PointsDeducted>(&body)) out.emplace_back("note", e->note);
  if (const auto* e = std::get_if<PointsRedeemed>(&body)) out.emplace_back("item", e->item);
  if (const auto* e = std::get_if<FundDisbursed>(&body)) out.emplace_back("note", e->note);
  if (const auto* e = std::get_if<EventReversed>(&body)) out.emplace_back("reason", e->reason);
  if (const auto* e = std::get_if<PersonErased>(&body)) out.emplace_back("reason", e->reason);
  if (const auto* e = std::get_if<ObjectionFiled>(&body)) out.emplace_back("text", e->text);
  if (const auto* e = std::get_if<ObjectionResolved>(&body)) out.emplace_back("answer", e->answer);
  if (const auto* e = std::get_if<EntriesReviewed>(&body)) {
    for (const Rejection& r : e->rejected) out.emplace_back("reason", r.reason);
  }
  return out;
}

}  // namespace

Status CommitBuilder::CheckFreeText(const EventBody& body) {
  for (const auto& [field, text] : FreeTexts(body)) {
    if (text.empty()) continue;
    if (!names_) {
      std::optional<KeyRecord> key = LoadKey(state_, key_id());
      names_ = std::make_shared<NameChecker>(key ? key->villages : std::vector<std::string>());
    }
    auto people = PeopleReader::Of(txn_);
    VLEDGER_TRY(names_->Check(*people, field, text));
  }
  return Status::Ok();
}

Result<uint64_t> CommitBuilder::Add(EventBody body) {
  Event event;
  event.recorded_at_ms = now_ms_;
  event.key_id = key_id();
  event.request_id = request_id_;
  event.body = std::move(body);
  uint64_t seq = txn_.next_seq();
  if (txn_.pending_events() >= kCommitEventsMax) {
    return Status::InvalidInput(
        Msg("a commit holds at most {} events (split the work, e.g. import --batch N)",
            kCommitEventsMax));
  }
  if (!command_.empty()) VLEDGER_TRY(CheckBuiltType(command_, seq, event.body));
  if (!allow_names_) VLEDGER_TRY(CheckFreeText(event.body));
  VLEDGER_TRY(ApplyEvent(state_, seq, event));
  std::string canonical = EncodeEvent(event);
  if (canonical.size() > kEventBytesMax) {
    return Status::InvalidInput(Msg("{} event: {} bytes encoded, over the {} allowed",
                                    EventTypeName(event.body), canonical.size(), kEventBytesMax));
  }
  return txn_.AddEvent(std::move(canonical), std::move(event));
}

Result<uint64_t> ResultSeq(const std::string& result_json) try {
  auto result = Json::parse(result_json, nullptr, false);
  if (result.is_discarded() || !result.is_object() || !result.contains("seq") ||
      !result["seq"].is_number_unsigned()) {
    return Status::Corruption("the stored result has no seq");
  }
  return result["seq"].get<uint64_t>();
} catch (...) {
  return CaughtStatus();
}

Result<std::optional<RequestRecord>> LoadRequest(WriteTxn& txn, const std::string& id) try {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<RequestRecord> stored, txn.LoadRequest(id));
  if (!stored) return std::optional<RequestRecord>();
  RequestRecord rec = std::move(*stored);
  auto seq = ResultSeq(rec.result_json);
  if (!seq.ok()) {
    return Status::Corruption(Msg("the record of request id \"{}\" is damaged", id));
  }
  if (rec.key_id.empty()) {
    // A record written before it kept its key: the key that signed the
    // events it appended, which the log holds.
    VLEDGER_ASSIGN_OR_RETURN(Event first, txn.ReadEvent(*seq));
    rec.key_id = first.key_id;
  }
  return std::optional<RequestRecord>(std::move(rec));
} catch (...) {
  return CaughtStatus();
}

Status RequestUsedByAnotherKey(std::string_view field, const std::string& id) try {
  return Status::Conflict(field, Msg("\"{}\" was already used by another key", id));
} catch (...) {
  return CaughtStatus();
}

Status CheckRequestId(std::string_view field, std::string_view id) try {
  VLEDGER_TRY(CheckId(field, id));
  if (id.starts_with("imp-")) {
    return Status::InvalidInput(
        field, Msg("\"{}\": ids starting with imp- are kept for the rows of imports", id));
  }
  return Status::Ok();
} catch (...) {
  return CaughtStatus();
}

std::unique_ptr<StateStore> LiveState(const Ledger& ledger, WriteTxn& txn) {
  return std::make_unique<StateStore>(ledger.Rows(),
                                      [&txn](uint64_t seq) { return txn.ReadEvent(seq); });
}

void StageRows(StateStore& state, WriteTxn& txn) {
  txn.ReserveRows(state.PendingChanges());
  state.TakeWrites([&txn](const std::string& key, const std::optional<std::string>& value) {
    txn.PutRow(key, value);
  });
}

namespace {

AppendResult ResultOf(const Json& doc, bool repeated) {
  AppendResult r;
  if (!doc["seq"].is_null()) {
    r.first = doc["seq"].get<uint64_t>();
    r.last = doc["last"].get<uint64_t>();
    r.hash = doc["hash"].get<std::string>();
  }
  r.repeated = repeated;
  r.json = doc.dump();
  return r;
}

void AddMembers(Json& doc, const std::function<JsonMembers()>& extend) {
  if (!extend) return;
  for (const auto& [name, value] : extend()) doc[name] = Json::parse(value);
}

// Summaries of the first events of a pending commit, with the balances
// after it. The writer sees names: it has just recorded them.
Result<std::vector<EventSummary>> Recorded(StateStore& state, WriteTxn& txn, uint64_t first,
                                           uint64_t last) {
  std::vector<EventSummary> out;
  PersonNameFn name = [&txn](const std::string& ref, const std::string&) -> std::string {
    std::optional<Person> person = PersonOf(txn.LoadPerson(ref));
    return person ? person->name : "";
  };
  for (uint64_t seq = first; seq <= last && out.size() < kRecordedSummariesMax; seq++) {
    VLEDGER_ASSIGN_OR_RETURN(Event event, txn.ReadEvent(seq));
    out.push_back(Summarize(state, seq, event, name));
    AddBalances(state, out.back());
  }
  return out;
}

}  // namespace

Result<std::optional<PublicKey>> RegisteredKeyOf(const Signer& signer, StateStore& state) {
  if (!signer.remote()) return std::optional<PublicKey>();
  std::optional<KeyRecord> record = LoadKey(state, signer.key_id());
  if (!record) {
    return Status::PermissionDenied(
        Msg("key {} is not registered in this ledger", signer.key_id()));
  }
  VLEDGER_ASSIGN_OR_RETURN(PublicKey public_key, PublicKey::FromRaw(record->public_key));
  return std::optional<PublicKey>(std::move(public_key));
}

Result<CommitRecord> CommitSigned(Signer& signer, const std::optional<PublicKey>& registered,
                                  WriteTxn& txn, uint64_t events, bool projections) {
  auto sign = [&](uint64_t first, uint64_t last,
                  const std::string& message) -> Result<std::string> {
    CommitToSign commit{first, last, message, {}};
    // Only a signer outside this process checks what it signs: this
    // process's own key signs the message alone (and an import's commits
    // would copy every event once more).
    if (signer.remote()) {
      commit.canonical_events.reserve(last - first + 1);
      for (uint64_t seq = first; seq <= last; seq++) {
        VLEDGER_ASSIGN_OR_RETURN(std::string canonical, txn.CanonicalOf(seq));
        commit.canonical_events.push_back(std::move(canonical));
      }
    }
    VLEDGER_ASSIGN_OR_RETURN(std::string signature, signer.Sign(commit));
    if (!signer.remote()) return signature;
    if (!registered) {
      return Status::PermissionDenied(
          Msg("key {} is not registered in this ledger", signer.key_id()));
    }
    if (!registered->Verify(message, signature)) {
      return Status::PermissionDenied(
          Msg("the signature of commit {}..{} is not by key {}", first, last, signer.key_id()));
    }
    return signature;
  };
  return txn.Commit(signer.key_id(), sign, events, projections);
}

Result<AppendResult> Append(const Session& session, const AppendRequest& request,
                            const std::function<Status(CommitBuilder&)>& build,
                            const std::function<JsonMembers()>& extend) try {
  if (!request.request_id.empty()) VLEDGER_TRY(CheckRequestId("--request-id", request.request_id));
  // The key is read and parsed on a second thread while the ledger opens:
  // both are a good part of an interactive command's time. A key that may
  // ask for its passphrase is loaded first instead, so that nobody's typing
  // holds the ledger's writer lock. Errors are reported in the order of a
  // plain sequence: the key's first.
  bool may_prompt = session.SigningKeyMayPrompt();
  auto key_loaded = std::async(may_prompt ? std::launch::deferred : std::launch::async,
                               [&session] { return session.CommitSigner(); });
  if (may_prompt) key_loaded.wait();  // runs it here, before the open
  auto opened = session.OpenWriter();
  VLEDGER_ASSIGN_OR_RETURN(std::shared_ptr<Signer> signer, key_loaded.get());
  const Signer& key = *signer;
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, std::move(opened));
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, session.NowMs(*ledger));
  auto txn = ledger->BeginWrite();
  auto state = LiveState(*ledger, *txn);

  if (!request.request_id.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(auto previous, LoadRequest(*txn, request.request_id));
    if (previous) {
      // Another key learns nothing of the original: not its seq, not
      // whether it was the same command.
      if (previous->key_id != key.key_id()) {
        return RequestUsedByAnotherKey("--request-id", request.request_id);
      }
      if (!SameFingerprint(previous->fingerprint, request.fingerprint)) {
        return Status::Conflict(
            "--request-id",
            Msg("\"{}\" was already used by a different command", request.request_id));
      }
      Json result = Json::parse(previous->result_json);
      result["repeated"] = true;
      return ResultOf(result, true);
    }
  }

  VLEDGER_ASSIGN_OR_RETURN(now_ms, session.AppendNowMs(*ledger));
  CommitBuilder builder(*txn, *state, key.key_id(), now_ms, request.request_id);
  builder.set_allow_names(request.allow_names);
  builder.set_command(CommandOfFingerprint(request.fingerprint));
  VLEDGER_TRY(build(builder));

  Json result;
  if (txn->pending_events() == 0) {
    result = Json{{"seq", nullptr}, {"last", nullptr}, {"hash", nullptr}};
    AddMembers(result, extend);
    return ResultOf(result, false);
  }
  uint64_t first = txn->next_seq() - txn->pending_events();
  uint64_t last = txn->next_seq() - 1;
  result = Json{{"seq", first}, {"last", last}, {"hash", Hex(txn->HashOf(last))}};
  AddMembers(result, extend);
  if (!request.request_id.empty()) {
    txn->StoreRequest(request.request_id, RequestRecord{SealFingerprint(request.fingerprint),
                                                        result.dump(), key.key_id()});
  }
  VLEDGER_ASSIGN_OR_RETURN(std::vector<EventSummary> recorded, Recorded(*state, *txn, first, last));
  StageRows(*state, *txn);
  VLEDGER_ASSIGN_OR_RETURN(std::optional<PublicKey> registered, RegisteredKeyOf(*signer, *state));
  VLEDGER_ASSIGN_OR_RETURN(auto commit, CommitSigned(*signer, registered, *txn));
  (void)commit;
  AppendResult out = ResultOf(result, false);
  out.recorded = std::move(recorded);
  return out;
} catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
