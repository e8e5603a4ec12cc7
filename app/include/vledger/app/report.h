// Public reports (SPEC section 8): `report`, `publish`, `verify-report`;
// and the question ledger (问题台账) of objections: `objection file`,
// `objection resolve`, `objection list`.
//
// A report is computed at a signed checkpoint: the log prefix of the
// checkpoint's size is replayed into memory, so its bytes depend only on
// that prefix, the person records and the arguments. A report file is
// written atomically: a temporary file, synced, renamed over the name, and
// the folder synced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vledger/app/append.h"
#include "vledger/app/session.h"
#include "vledger/ledger/status.h"
#include "vledger/projections/objections.h"

namespace vledger::app {

// `report KIND --village V --period P [--format F] [--lang L] [--at SIZE]
// [--out FILE]`: at the checkpoint app::CheckpointForUse gives (signed now
// when the session has an admin key; else the stored one at `at`, or the
// newest).
struct ReportRequest {
  std::string kind, village, period;
  std::string format = "html", lang = "zh";
  std::string at;   // a stored checkpoint's size; empty: the newest
  std::string out;  // the file to write; empty: the bytes are only returned
};

struct ReportResult {
  std::string bytes;   // the report
  uint64_t size = 0;   // the log prefix it was computed at
  std::string sha256;  // of `bytes`, hex
  std::string footer;  // its footer line
  std::string out;     // the file written ("" when none)
};

Result<ReportResult> Report(const Session& session, const ReportRequest& request);
// {"out":…,"size":…,"bytes":…,"sha256":…,"footer":…} (a report written to a file).
std::string ReportJson(const ReportResult& result);

// `publish --village V --period P [--kind K] [--format F] [--lang L]
// [--window-days N] --out FILE`: writes the report (before the commit, so
// a published report always exists; removed again when the commit fails)
// and appends its disclosurePublished event, which opens the objection
// window. An admin key signs a fresh checkpoint; other writers publish at
// the newest stored one.
struct PublishRequest {
  std::string village, period;
  std::string kind = "bulletin", format = "html", lang = "zh";
  int window_days = kObjectionWorkingDays;  // objection window in working days
  std::string out;
  AppendRequest append;  // request id and fingerprint
};

struct PublishResult {
  AppendResult append;  // its json has sha256, size, windowEnd and out
  std::string sha256;   // of the report, hex
  uint64_t size = 0;
  std::string window_end;
  std::string out;
};

Result<PublishResult> Publish(const Session& session, const PublishRequest& request);
std::string PublishJson(const PublishResult& result);

// `verify-report FILE`: regenerates the report its footer names at the
// checkpoint stored at its size and compares the bytes. A report that does
// not regenerate is a result (its `verdict` a failed verification naming
// the first differing section), so that the front end can show where.
struct VerifyReportRequest {
  std::string path;
};

struct VerifyReportResult {
  bool ok = false;
  std::string path;
  uint64_t size = 0;
  std::string footer;
  std::string sha256;                     // of the file, hex
  std::optional<uint64_t> published_seq;  // ok: its disclosurePublished event
  std::string section;                    // not ok: the first differing section
  uint64_t offset = 0;                    // not ok: the first differing byte
  // Not ok: a person of the report erased since (at this seq, the first).
  std::optional<uint64_t> erased_seq;
  Status verdict;  // ok, or the failed verification to report
};

Result<VerifyReportResult> VerifyReport(const Session& session, const VerifyReportRequest& request);
// {"ok":true,"size":…,"sha256":…,"publishedSeq":…|null} or
// {"ok":false,"size":…,"section":…,"offset":…,"erasedSeq":…|null}.
std::string VerifyReportJson(const VerifyReportResult& result);

// `objection file (--event SEQ | --report SHA256|SHORTID) --by RESIDENT
// --text T [--due DATE]`. A report is named by its SHA-256 or by the short
// id a bulletin prints (its first 16 hex digits), which must be the start
// of exactly one published report's. The reply is due in 7 working days
// unless `due` says otherwise.
struct ObjectionFileRequest {
  std::string event, report, by, text, due;
  AppendRequest append;
};

// `objection resolve SEQ --upheld|--dismissed --answer T [--reversal SEQ]`.
struct ObjectionResolveRequest {
  std::string seq, answer, reversal;
  bool upheld = false, dismissed = false;
  AppendRequest append;
};

// What objection file and resolve did, and the warnings to show after it
// (the text is part of the public log).
struct ObjectionChangeResult {
  AppendResult append;
  std::vector<Msg> warnings;
};

Result<ObjectionChangeResult> ObjectionFile(const Session& session,
                                            const ObjectionFileRequest& request);
Result<ObjectionChangeResult> ObjectionResolve(const Session& session,
                                               const ObjectionResolveRequest& request);
std::string ObjectionChangeJson(const ObjectionChangeResult& result);

// `objection list [--open|--overdue] [--village V]`.
struct ObjectionListRequest {
  bool open = false;     // only unresolved ones
  bool overdue = false;  // only unresolved ones past their reply date
  std::string village;   // empty: every village's
};

struct ObjectionItem {
  uint64_t seq = 0;
  std::optional<uint64_t> about_event;
  std::string about_report;  // SHA-256 hex, when about a report
  std::string village, by, text, filed_on, reply_due;
  bool resolved = false, overdue = false;
  // Resolved ones:
  bool upheld = false;
  uint64_t resolved_seq = 0;
  std::string resolved_on, answer;
  uint64_t reversal = 0;  // 0: none
};

struct ObjectionListResult {
  std::vector<ObjectionItem> objections;
};

Result<ObjectionListResult> ObjectionList(const Session& session,
                                          const ObjectionListRequest& request);
std::string ObjectionListJson(const ObjectionListResult& result);  // {"objections":[…]}

// `bytes` as the file `path` (an --out), all or nothing: written to
// PATH.tmp, synced, renamed over PATH, and the folder synced. Invalid input
// naming --out when it cannot be written.
Status WriteFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace vledger::app
