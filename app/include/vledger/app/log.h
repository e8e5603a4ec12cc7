// Reading the log as a clerk checks it: `log` (every event, or those of a
// day, a key, a village, a resident or a kind) and `summary` (a month's
// entries per collector and per rule category).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vledger/app/event_summary.h"
#include "vledger/app/session.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// One event of the log as `log` and `show` give it.
struct LoggedEvent {
  uint64_t seq = 0;
  std::string hash;  // record hash, hex
  std::string type;  // the event type's name
  int64_t recorded_at_ms = 0;
  std::string key_id, request_id;
  std::string body_json;  // the body as JSON text
  // What it says (`log` only). Residents' names only where the session's
  // key may see them: a registered, unrevoked key of a role other than
  // auditor whose villages include the resident's. Without a key: none.
  EventSummary summary;
};

// `log [--from SEQ] [--limit N] [--today] [--since DATE] [--until DATE]
// [--by KEY|me] [--village V] [--resident R] [--kind K]`: the events from
// `from` on that pass every filter given, at most `limit` of them (0: no
// limit). Dates are those the events were recorded on (China Standard
// Time); `today` is the session clock's date. `by` "me" is the session's
// key. `kind` is an event type name ("pointsAwarded") or its short alias
// (EventKindAliases). Malformed values are invalid input naming the
// option; an unknown village or resident is not found.
struct LogRequest {
  uint64_t from = 0, limit = 0;
  bool today = false;
  std::string since, until, by, village, resident, kind;
};

struct LogResult {
  std::vector<LoggedEvent> events;
};

Result<LogResult> Log(const Session& session, const LogRequest& request);
std::string LogJson(const LogResult& result);  // {"events":[…]}

// The short aliases `log --kind` takes: (alias, event type name), e.g.
// ("award", "pointsAwarded"): the command that appends the event.
const std::vector<std::pair<std::string, std::string>>& EventKindAliases();
// Every event type name, in ordinal order.
std::vector<std::string> EventTypeNames();

// Counts and points of entries.
struct EntryTally {
  int64_t count = 0, points = 0;
};

// One row of a summary: a collector (key id and label) or a rule category.
struct SummaryRow {
  std::string key_id, label, role;  // collector rows
  std::string category;             // category rows
  std::string category_name;        // its display name, or ""
  EntryTally awards, deductions;    // standing entries (deduction points negative)
  EntryTally reversed;              // entries reversed since, not in the above
};

// `summary --month YYYY-MM [--village V]`: the points entries whose act
// (occurredOn) falls in the month, per key that recorded them and per rule
// category, and their total. Entries reversed since are counted apart
// (`reversed`); entries rejected at review are left out; pending ones are
// counted.
struct SummaryRequest {
  std::string month, village;
};

struct SummaryResult {
  std::string month, village;
  std::vector<SummaryRow> collectors;  // by key id
  std::vector<SummaryRow> categories;  // by category
  SummaryRow total;
};

Result<SummaryResult> Summary(const Session& session, const SummaryRequest& request);
// {"month","village","collectors":[{"keyId","label","role","awards":{"count","points"},
// "deductions":{…},"reversed":{…}}],"categories":[{"category",…}],"total":{…}}
std::string SummaryJson(const SummaryResult& result);

}  // namespace vledger::app
