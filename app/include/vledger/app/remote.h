// What a client checks before it signs a commit a server prepared for it
// (prepare -> sign -> commit, SPEC section 12): the server built the
// events with its own state and clock; the client decodes them and signs
// only when they say what it asked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/app/signer.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// What the command asked, as its command line says.
struct CommitExpectation {
  std::string command;     // its words: "award", "fund open", "key register"
  std::string key_id;      // the client's key: every event carries it
  std::string request_id;  // every event carries it
  // Values the command gave (unset: not given, or not comparable, e.g. a
  // resident named rather than given by id).
  std::optional<std::string> resident, rule, fund, shop;
  std::optional<int64_t> points, amount_fen;
  std::optional<uint64_t> target;  // reverse SEQ
};

// The event types (schema names, e.g. "pointsAwarded") `command` may
// write; empty for a command that writes none.
std::vector<std::string_view> EventTypesOf(std::string_view command);

// PermissionDenied naming the first event (by seq) that does not match:
// another key or request id, an event type the command does not write, or
// a value it did not give; InvalidInput when an event does not decode, the
// seqs are not first..last or the message is not the commit's.
Status CheckPreparedCommit(const CommitExpectation& expect, const CommitToSign& commit);

}  // namespace vledger::app
