// The write path shared by every appending command: open the ledger as the
// one writer, load the signing key, honour --request-id, validate and add
// events through ApplyEvent, then commit them atomically and print
// {"seq":FIRST,"last":LAST,"hash":"…"}.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "context.h"
#include "vledger/event.h"
#include "vledger/state.h"

namespace vledger::cli {

// Adds events to one pending commit: validated and applied to `state`
// (live over the ledger's rows), added to `txn`.
class CommitBuilder {
 public:
  CommitBuilder(WriteTxn& txn, StateStore& state, const PrivateKey& key, int64_t now_ms,
                std::string request_id)
      : txn_(txn), state_(state), key_(key), now_ms_(now_ms),
        request_id_(std::move(request_id)) {}

  // Validates `body` as the next event (ApplyEvent) and adds it. On a
  // non-ok Status nothing of the commit will be written.
  Result<uint64_t> Add(EventBody body);

  StateStore& state() { return state_; }
  WriteTxn& txn() { return txn_; }
  void set_request_id(std::string id) { request_id_ = std::move(id); }
  int64_t now_ms() const { return now_ms_; }
  const std::string& key_id() const { return key_id_cache(); }

 private:
  const std::string& key_id_cache() const;
  WriteTxn& txn_;
  StateStore& state_;
  const PrivateKey& key_;
  int64_t now_ms_;
  std::string request_id_;
  mutable std::string key_id_;
};

struct AppendOptions {
  std::string request_id;   // --request-id, may be empty
  std::string fingerprint;  // Fingerprint() of the command
};

// Runs `build` in a write transaction and commits what it added. `extend`
// may add fields (e.g. "payments") to the JSON result; the whole result is
// kept with the request id so a repeat answers exactly the same.
Status AppendCommand(Context& ctx, const AppendOptions& options,
                     const std::function<Status(CommitBuilder&)>& build,
                     const std::function<void(Json&)>& extend = {});

// A request id given by the user (--request-id, an import's request_id
// cell): an id (validate.h) not starting with "imp-", which names the ids
// an import derives for its rows.
Status CheckRequestId(std::string_view field, std::string_view id);

// What a request id keeps under `req/<id>` is a RequestRecord
// (vledger/request_store.h): the fingerprint of the command (or import row)
// that used it, that command's JSON result, and the key that signed it. Ids
// are global to the ledger, but only that key may repeat the command (SPEC
// §12, request ids). A record whose result has no seq is damaged
// (Unavailable). A record written before records kept their key gets the
// key of the events at its result's seq.
Result<std::optional<RequestRecord>> LoadRequest(WriteTxn& txn, const std::string& id);
void StoreRequest(WriteTxn& txn, const std::string& id, const RequestRecord& rec);
// Rejected: `field` "id" was already used by another key (and nothing more).
Status RequestUsedByAnotherKey(std::string_view field, const std::string& id);

// The live projection state of a write transaction: the ledger's stored
// rows, and events pending in `txn` or stored.
std::unique_ptr<StateStore> LiveState(const Ledger& ledger, WriteTxn& txn);
// Hands the state's changed rows to `txn`, for its next commit.
void StageRows(StateStore& state, WriteTxn& txn);

}  // namespace vledger::cli
