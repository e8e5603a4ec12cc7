// What a client checks before it signs an item a server prepared for it
// (prepare -> sign -> commit, SPEC section 12): the server built the
// events and tree heads with its own state and clock; the client decodes
// them and signs only when they say what it asked. The table of the event
// types each command writes lives here too: the local command holds to it
// (Append, an import), so the client's check and the builders cannot
// disagree without the local command failing first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/app/signer.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// What the command asked, as its command line says.
struct CommitExpectation {
  std::string command;     // its words: "award", "fund open", "key register";
                           // an import: "import" and its --kind ("import awards")
  std::string key_id;      // the client's key: every event carries it
  std::string request_id;  // every event carries it (not an import's: its rows' own)
  // Values the command gave (unset: not given, or not comparable).
  std::optional<std::string> resident, rule, fund, shop, village, period;
  std::optional<int64_t> points, amount_fen;
  std::optional<uint64_t> target;  // reverse SEQ
  // disburse / allowance add --to given as an id: a resident's or a
  // household's, whichever the event names.
  std::optional<std::string> to;
  // A resident given by name where an id goes (RESIDENT, --to): the server
  // resolves it with the local resolver; the ids its events name are
  // handed back (CheckPreparedCommit's `named`) for the client to show.
  std::optional<std::string> resident_name;
  // checkpoint/prove/report/export --size: the size of the head to sign.
  std::optional<uint64_t> checkpoint_size;
  // publish: the size of the checkpoint the client signed before the
  // commit (its disclosure names that tree size).
  std::optional<uint64_t> tree_size;
};

// The event types (schema names, e.g. "pointsAwarded") `command` may
// write; empty for a command that writes none. "import" is every kind's;
// "import KIND" that kind's (the types of the command whose builder its
// rows share).
std::vector<std::string_view> EventTypesOf(std::string_view command);

// The command words an AppendRequest's fingerprint begins with (the CLI's
// Fingerprint: the words, then each option's name and values).
std::string CommandOfFingerprint(std::string_view fingerprint);

// For the local write path: FailedPrecondition when `command` is one of
// the table's and `body` is not of a type listed for it (a builder that
// writes another type than the table says); Ok for a command not listed.
Status CheckBuiltType(std::string_view command, uint64_t seq, const EventBody& body);

// PermissionDenied naming the first event (by seq) that does not match:
// another key or request id, an event type the command does not write, or
// a value it did not give; InvalidInput when an event does not decode, the
// seqs are not first..last or the message is not the commit's. When
// `named` is given, the resident ids the events name are added to it (for
// a resident given by name).
Status CheckPreparedCommit(const CommitExpectation& expect, const CommitToSign& commit,
                           std::vector<std::string>* named = nullptr);

// Whether `command` signs a checkpoint when given a key (checkpoint,
// publish, prove, report, export).
bool SignsCheckpoints(std::string_view command);

// PermissionDenied when the command signs no checkpoint, or the head is
// not of the size it asked; InvalidInput when the body is not the note
// body of the head (origin, size, root) or the origin cannot name a note
// key. The origin and root are the server's word: the client has no copy
// of the log (verify or a mirror checks them).
Status CheckPreparedCheckpoint(const CommitExpectation& expect, const CheckpointToSign& checkpoint);

}  // namespace vledger::app
