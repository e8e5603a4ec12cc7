// The write path shared by every appending command: open the ledger as the
// one writer, load the signing key, honour a request id, validate and add
// events through ApplyEvent, then commit them atomically.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vledger/app/event_summary.h"
#include "vledger/app/session.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/request_store.h"
#include "vledger/projections/state.h"

namespace vledger::app {

// Adds events to one pending commit: validated and applied to `state`
// (live over the ledger's rows), added to `txn`.
class NameChecker;

class CommitBuilder {
 public:
  CommitBuilder(WriteTxn& txn, StateStore& state, std::string key_id, int64_t now_ms,
                std::string request_id)
      : txn_(txn),
        state_(state),
        key_id_(std::move(key_id)),
        now_ms_(now_ms),
        request_id_(std::move(request_id)) {}

  // Validates `body` as the next event (ApplyEvent) and adds it. On a
  // non-ok Status nothing of the commit will be written. Free text (a
  // note, item, reason, objection or answer) containing the full name of a
  // registered person of the key's villages is refused first (people.h,
  // CheckNoNames) unless set_allow_names(true).
  Result<uint64_t> Add(EventBody body);

  StateStore& state() { return state_; }
  WriteTxn& txn() { return txn_; }
  void set_request_id(std::string id) { request_id_ = std::move(id); }
  void set_allow_names(bool allow) { allow_names_ = allow; }
  // The command whose events these are (its words, remote.h): an event of
  // a type not listed for it is refused (FailedPrecondition) — the table a
  // remote client checks prepared commits against is the one the local
  // command holds to. Empty: not checked.
  void set_command(std::string command) { command_ = std::move(command); }
  int64_t now_ms() const { return now_ms_; }
  const std::string& key_id() const { return key_id_; }

 private:
  WriteTxn& txn_;
  StateStore& state_;
  std::string key_id_;
  int64_t now_ms_;
  std::string request_id_;
  Status CheckFreeText(const EventBody& body);
  bool allow_names_ = false;
  std::string command_;
  std::shared_ptr<NameChecker> names_;  // made at the first free text checked
};

// Members a command adds to its result document, each a name and its value
// as JSON text (e.g. {"receipt", "\"R-2021-0001\""}).
using JsonMembers = std::vector<std::pair<std::string, std::string>>;

struct AppendRequest {
  std::string request_id;  // may be empty
  // What the request id is compared with: the command and its values in
  // canonical form (the CLI: Fingerprint of its command line, which
  // begins with the command's words and a space: CommandOfFingerprint).
  std::string fingerprint;
  // --allow-names: free text may name a registered person (CommitBuilder::Add).
  bool allow_names = false;
};

// What an append did.
struct AppendResult {
  std::optional<uint64_t> first, last;  // none: there was nothing to append
  std::string hash;                     // the record hash at `last`, hex
  bool repeated = false;                // a request id seen before: nothing appended now
  // The whole result document, {"seq":…,"last":…,"hash":…, members…},
  // exactly as kept with the request id (plus "repeated":true on a repeat).
  std::string json;
  // What was appended now, as summaries with the balances after the
  // commit, for a front end to say what it recorded: the first
  // kRecordedSummariesMax events of the commit (all of first..last when
  // fewer). Empty on a repeat and when nothing was appended.
  std::vector<EventSummary> recorded;
};

inline constexpr size_t kRecordedSummariesMax = 8;

// Runs `build` in a write transaction and commits what it added. `extend`
// (called after `build` succeeded) gives members for the result document;
// the whole result is kept with the request id so that a repeat answers
// exactly the same.
Result<AppendResult> Append(const Session& session, const AppendRequest& request,
                            const std::function<Status(CommitBuilder&)>& build,
                            const std::function<JsonMembers()>& extend = {});

// A request id given by the user (--request-id, an import's request_id
// cell): an id (validate.h) not starting with "imp-", which names the ids
// an import derives for its rows.
Status CheckRequestId(std::string_view field, std::string_view id);

// What a request id keeps under `req/<id>` is a RequestRecord
// (vledger/ledger/request_store.h): the fingerprint of the command (or
// import row) that used it, that command's JSON result, and the key that
// signed it. Ids are global to the ledger, but only that key may repeat the
// command (SPEC §12, request ids). A record whose result has no seq is
// damaged (Corruption). A record written before records kept their key gets
// the key of the events at its result's seq.
Result<std::optional<RequestRecord>> LoadRequest(WriteTxn& txn, const std::string& id);
// Conflict: `field` "id" was already used by another key (and nothing more).
Status RequestUsedByAnotherKey(std::string_view field, const std::string& id);
// The seq a stored result document names (its "seq" member).
Result<uint64_t> ResultSeq(const std::string& result_json);

// The registered public key of a signer from outside this process (its
// signatures are checked against it before anything is written); none for
// a local signer. PermissionDenied when the key is not registered.
Result<std::optional<PublicKey>> RegisteredKeyOf(const Signer& signer, StateStore& state);
// Signs the first `events` pending events of `txn` (0: all) with `signer`
// and writes them as one commit (WriteTxn::Commit). A remote signer's
// signature is checked against `registered` first: a forged or replayed
// one writes nothing.
Result<CommitRecord> CommitSigned(Signer& signer, const std::optional<PublicKey>& registered,
                                  WriteTxn& txn, uint64_t events = 0, bool projections = true);

// The live projection state of a write transaction: the ledger's stored
// rows, and events pending in `txn` or stored.
std::unique_ptr<StateStore> LiveState(const Ledger& ledger, WriteTxn& txn);
// Hands the state's changed rows to `txn`, for its next commit.
void StageRows(StateStore& state, WriteTxn& txn);

}  // namespace vledger::app
