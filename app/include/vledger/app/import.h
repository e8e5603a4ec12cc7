// `vledger import FILE --kind K [--batch N] [--source S] [--encoding E]
// [--again]` (SPEC section 9): rows of a CSV file exported from Excel, one
// registration, rule, entry, redemption, donation or payment each, checked
// all together and appended in resumable commits.
//
// An import runs in two passes over one write transaction. The check pass
// builds every row's events with the builders the single commands use
// (builders.h), all in one CommitBuilder, so that every row is checked
// against the ledger and the file's earlier rows; nothing is written unless
// every row passed. The append pass then commits the pending events: all in
// one commit, or `batch` new rows to a commit, the last commit also writing
// the projection rows.
//
// Resuming: every row has a request id, its `request_id` cell, else one
// derived from the kind, the label, its cells and how many identical rows
// come before it ("imp-" and 32 hex digits). Each commit stores the ids of
// its rows (request_store.h: `req/<id>` for a cell's id, `imr/<label>/…`
// for derived ones) and `imp/<label>` (the file's SHA-256, completed or
// not). A row whose id is already stored is skipped as repeated, so a
// killed, failed or stopped import, run again, appends exactly what is
// missing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vledger/app/session.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// The kinds of rows an import takes (the values of --kind), in SPEC order:
// residents, households, rules, awards, deductions, redemptions,
// donations, disbursements.
std::vector<std::string> ImportKindNames();

// Where an import is.
enum class ImportStage {
  kChecking,   // the check pass: `done` of the file's `total` rows examined
  kAppending,  // the append pass: `done` of `total` new rows committed
};

struct ImportProgress {
  ImportStage stage = ImportStage::kChecking;
  uint64_t done = 0;
  uint64_t total = 0;
};

// Told of progress after each row checked and after each commit. A non-ok
// Status stops the import and is what Import returns: while checking,
// nothing has been written; while appending, the commits made so far stay
// (as when an import is killed) and running the import again resumes it.
using ImportProgressFn = std::function<Status(const ImportProgress&)>;

struct ImportRequest {
  std::string file;      // path of the CSV file
  std::string kind;      // --kind: one of ImportKindNames()
  std::string batch;     // --batch: new rows per commit, 1 to 100000; "": one commit
  std::string source;    // --source: the import's label; "": the file's name
  std::string encoding;  // --encoding: utf-8 or gb18030 (either case); "": detect
  // --again: import content that was imported (wholly or in part) under
  // another label.
  bool again = false;
  // --allow-names: notes and items may name a registered person.
  bool allow_names = false;
  ImportProgressFn progress;  // may be empty
  // Told of every bad row of a refused import, in file order, before Import
  // returns (see Import). May be empty.
  std::function<void(const Status& bad_row)> bad_row;
};

// What an import did.
struct ImportResult {
  std::string label;  // the import's label (--source, else the file's name)
  std::string kind;
  // The seqs appended now; none when nothing was appended.
  std::optional<uint64_t> first, last;
  std::string hash;       // the ledger's head afterwards, hex
  uint64_t appended = 0;  // rows appended now
  uint64_t repeated = 0;  // rows already in the ledger, skipped
  uint64_t commits = 0;   // commits made now
  // The label's import of this very file had completed before: nothing was
  // checked or appended (every row counts as repeated).
  bool completed_before = false;
  // To show once the import succeeded (columns that are public text).
  std::vector<Msg> warnings;
};

// Imports `request.file`. Refusals of the whole file (an option, the file
// unreadable or malformed, its header, its label or content already used)
// are one Status. A file with bad rows is refused, nothing written, after
// checking every row (stopping at 50 bad rows, or at the first when the
// key cannot append at all): each bad row is a Status with row() = the line
// of the file where the row starts (1 is the header) and field() = the CSV
// column at fault (the first column when no column is), passed to
// `request.bad_row`; Import returns that row's Status when it is the only
// one, else an InvalidInput summary with field "FILE" that counts them.
// Storage faults end the import as they occur.
Result<ImportResult> Import(const Session& session, const ImportRequest& request);

// The --json document of an import:
// {"seq":…,"last":…,"hash":…,"appended":…,"repeated":…}.
std::string ImportJson(const ImportResult& result);

}  // namespace vledger::app
