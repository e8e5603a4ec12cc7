#include "append.h"

#include <future>

#include "vledger/apply.h"
#include "vledger/bytes.h"
#include "vledger/codec.h"
#include "vledger/validate.h"

namespace vledger::cli {

const std::string& CommitBuilder::key_id_cache() const {
  if (key_id_.empty()) key_id_ = key_.key_id();
  return key_id_;
}

Result<uint64_t> CommitBuilder::Add(EventBody body) {
  Event event;
  event.recorded_at_ms = now_ms_;
  event.key_id = key_id();
  event.request_id = request_id_;
  event.body = std::move(body);
  uint64_t seq = txn_.next_seq();
  if (txn_.pending_events() >= kCommitEventsMax) {
    return Status::Rejected("a commit holds at most " + std::to_string(kCommitEventsMax) +
                            " events (split the work, e.g. import --batch N)");
  }
  VLEDGER_TRY(ApplyEvent(state_, seq, event));
  if (!txn_.io_status().ok()) return txn_.io_status();
  std::string canonical = EncodeEvent(event);
  if (canonical.size() > kEventBytesMax) {
    return Status::Rejected(std::string(EventTypeName(event.body)) + " event: " +
                            std::to_string(canonical.size()) + " bytes encoded, over the " +
                            std::to_string(kEventBytesMax) + " allowed");
  }
  return txn_.AddEvent(std::move(canonical), std::move(event));
}

Result<std::optional<RequestRecord>> LoadRequest(WriteTxn& txn, const std::string& id) {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<RequestRecord> stored, txn.LoadRequest(id));
  if (!stored) return std::optional<RequestRecord>();
  RequestRecord rec = std::move(*stored);
  auto result = Json::parse(rec.result_json, nullptr, false);
  if (result.is_discarded() || !result.contains("seq") || !result["seq"].is_number_unsigned()) {
    return Status::Unavailable("the record of request id \"" + id + "\" is damaged");
  }
  if (rec.key_id.empty()) {
    // A record written before it kept its key: the key that signed the
    // events it appended, which the log holds.
    VLEDGER_ASSIGN_OR_RETURN(Event first, txn.ReadEvent(result["seq"].get<uint64_t>()));
    rec.key_id = first.key_id;
  }
  return std::optional<RequestRecord>(std::move(rec));
}

void StoreRequest(WriteTxn& txn, const std::string& id, const RequestRecord& rec) {
  txn.StoreRequest(id, rec);
}

Status RequestUsedByAnotherKey(std::string_view field, const std::string& id) {
  return Status::Rejected(std::string(field) + ": \"" + id + "\" was already used by another key");
}

namespace {

void PrintResult(Context& ctx, const Json& result) {
  if (ctx.options.json) {
    ctx.PrintJson(result);
    return;
  }
  if (result["seq"].is_null()) {
    ctx.PrintLine("nothing to append");
    return;
  }
  uint64_t first = result["seq"], last = result["last"];
  std::string what = first == last ? "seq " + std::to_string(first)
                                   : "seqs " + std::to_string(first) + ".." + std::to_string(last);
  std::string prefix = result.contains("repeated") ? "already appended " : "appended ";
  ctx.PrintLine(prefix + what + ", head " + result["hash"].get<std::string>());
}

}  // namespace

Status CheckRequestId(std::string_view field, std::string_view id) {
  VLEDGER_TRY(CheckId(field, id));
  if (id.starts_with("imp-")) {
    return Status::Rejected(std::string(field) + ": \"" + std::string(id) +
                            "\": ids starting with imp- are kept for the rows of imports");
  }
  return Status::Ok();
}

std::unique_ptr<StateStore> LiveState(const Ledger& ledger, WriteTxn& txn) {
  return std::make_unique<StateStore>(ledger.Rows(),
                                      [&txn](uint64_t seq) { return txn.ReadEvent(seq); });
}

void StageRows(StateStore& state, WriteTxn& txn) {
  state.TakeWrites([&txn](const std::string& key, const std::optional<std::string>& value) {
    txn.PutRow(key, value);
  });
}

Status AppendCommand(Context& ctx, const AppendOptions& options,
                     const std::function<Status(CommitBuilder&)>& build,
                     const std::function<void(Json&)>& extend) {
  if (!options.request_id.empty()) VLEDGER_TRY(CheckRequestId("--request-id", options.request_id));
  // The key is read and parsed on a second thread while the ledger opens:
  // both are a good part of an interactive command's time. A key that may
  // ask for its passphrase on the terminal is loaded first instead, so that
  // nobody's typing holds the ledger's writer lock. Errors are reported in
  // the order of a plain sequence: the key's first.
  bool may_prompt = ctx.SigningKeyMayPrompt();
  auto key_loaded = std::async(may_prompt ? std::launch::deferred : std::launch::async,
                               [&ctx] { return ctx.SigningKey(); });
  if (may_prompt) key_loaded.wait();  // runs it here, before the open
  auto opened = ctx.OpenWriter();
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, key_loaded.get());
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, std::move(opened));
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, ctx.NowMs(*ledger));
  auto txn = ledger->BeginWrite();
  auto state = LiveState(*ledger, *txn);

  if (!options.request_id.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(auto previous, LoadRequest(*txn, options.request_id));
    if (previous) {
      // Another key learns nothing of the original: not its seq, not
      // whether it was the same command.
      if (previous->key_id != key.key_id()) {
        return RequestUsedByAnotherKey("--request-id", options.request_id);
      }
      if (previous->fingerprint != options.fingerprint) {
        return Status::Rejected("--request-id: \"" + options.request_id +
                                "\" was already used by a different command");
      }
      Json result = Json::parse(previous->result_json);
      result["repeated"] = true;
      PrintResult(ctx, result);
      return Status::Ok();
    }
  }

  VLEDGER_ASSIGN_OR_RETURN(now_ms, ctx.AppendNowMs(*ledger));
  CommitBuilder builder(*txn, *state, key, now_ms, options.request_id);
  VLEDGER_TRY(build(builder));
  if (!txn->io_status().ok()) return txn->io_status();

  Json result;
  if (txn->pending_events() == 0) {
    result = Json{{"seq", nullptr}, {"last", nullptr}, {"hash", nullptr}};
    if (extend) extend(result);
    PrintResult(ctx, result);
    return Status::Ok();
  }
  uint64_t first = txn->next_seq() - txn->pending_events();
  uint64_t last = txn->next_seq() - 1;
  result = Json{{"seq", first}, {"last", last}, {"hash", Hex(txn->HashOf(last))}};
  if (extend) extend(result);
  if (!options.request_id.empty()) {
    StoreRequest(*txn, options.request_id,
                 RequestRecord{options.fingerprint, result.dump(), key.key_id()});
  }
  StageRows(*state, *txn);
  VLEDGER_ASSIGN_OR_RETURN(auto commit, txn->Commit(key));
  (void)commit;
  PrintResult(ctx, result);
  return Status::Ok();
}

}  // namespace vledger::cli
