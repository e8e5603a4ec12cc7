// The import engine (import.h): the file read, decoded and mapped onto the
// kind's columns, each row's request id, the check pass over every row in
// one CommitBuilder, and the append pass in resumable commits.
#include "vledger/app/import.h"

#include <malloc.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "guard.h"
#include "import_rows.h"
#include "import_table.h"
#include "vledger/app/append.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/request_store.h"
#include "vledger/ledger/rows.h"
#include "vledger/projections/csv.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// The check pass holds every row's events in one pending overlay, so a file
// is bounded like one commit (each row adds one event).
constexpr uint64_t kImportRowsMax = 200'000;
constexpr uint64_t kImportBatchRowsMax = 100'000;
constexpr size_t kImportFileBytesMax = size_t{1} << 30;
// A refused file names at most this many bad rows: the check stops there.
constexpr size_t kBadRowsMax = 50;
// Derived request ids: "imp-" and the hex of 16 bytes, which the imr/ rows
// keep (request_store.h). A request_id cell may not start so
// (CheckRequestId).
constexpr std::string_view kDerivedIdPrefix = "imp-";

// ------------------------------------------------------------- bad rows

// The bad rows of a file, by row index (so in file order), each with its
// located Status; at most `max` of them.
class BadRows {
 public:
  void Add(size_t row, Status st) { rows_.emplace(row, std::move(st)); }
  bool contains(size_t row) const { return rows_.count(row) != 0; }
  bool empty() const { return rows_.empty(); }
  bool full() const { return rows_.size() >= max_; }
  // At most one: when the key cannot append at all, every row would
  // repeat its refusal.
  void set_max(size_t max) { max_ = max; }
  const std::map<size_t, Status>& rows() const { return rows_; }

 private:
  size_t max_ = kBadRowsMax;
  std::map<size_t, Status> rows_;
};

// ------------------------------------------------------------------ file

void AppendJoinedCells(std::string* out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); i++) {
    if (i > 0) *out += '\x1f';
    *out += cells[i];
  }
}

std::string JoinCells(const std::vector<std::string>& cells) {
  std::string out;
  AppendJoinedCells(&out, cells);
  return out;
}

// The file's rows, each as cells in the kind's normative order.
struct ImportFile {
  const KindSpec* kind = nullptr;
  std::string label, sha256_hex;
  // Per header position: the kind's column, and the heading as the file
  // writes it (a Chinese heading, or the column's own name).
  std::vector<std::string> header, headings;
  std::vector<uint64_t> lines;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> request_ids;
  // For a derived request id, the 16 bytes its hex digits spell; empty for
  // a request_id cell.
  std::vector<std::string> derived;
  // RowFingerprint of each new row with a request_id cell, kept for its
  // commit once the cells are freed.
  std::unordered_map<size_t, std::string> fingerprints;
  // The cells of a row as the file wrote them, joined (JoinCells), for the
  // rows whose cells trimming changed: request ids and fingerprints are of
  // the cells as written, as they were before cells were trimmed.
  std::unordered_map<size_t, std::string> untrimmed;
  BadRows bad;

  void AddBad(size_t r, const Status& st) {
    bad.Add(r, LocateRowError(st, lines[r], header, headings));
  }
};

// Appends a row's cells as written, joined.
void AppendWrittenCells(std::string* out, const ImportFile& f, size_t r) {
  auto it = f.untrimmed.find(r);
  if (it != f.untrimmed.end()) {
    *out += it->second;
  } else {
    AppendJoinedCells(out, f.rows[r]);
  }
}

std::string WrittenCells(const ImportFile& f, size_t r) {
  std::string out;
  AppendWrittenCells(&out, f, r);
  return out;
}

// What a request id of a row was used for: the kind and the row's cells.
std::string RowFingerprint(const ImportFile& f, size_t r) {
  return "import " + std::string(f.kind->name) + '\x1f' + WrittenCells(f, r);
}

Result<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Msg what("cannot read \"{}\"", path);
    return errno == ENOENT ? Status::NotFound("FILE", what) : Status::InvalidInput("FILE", what);
  }
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0 || static_cast<uint64_t>(size) > kImportFileBytesMax) {
    return Status::InvalidInput(
        "FILE", Msg("\"{}\" is larger than {} MiB; split it", path, kImportFileBytesMax >> 20));
  }
  in.seekg(0);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), size)) {
    return Status::InvalidInput("FILE", Msg("cannot read \"{}\"", path));
  }
  return bytes;
}

// Maps the header onto the kind's columns (by their names or Chinese
// headings): every column known, none twice, every required one present.
// Returns, per header position, the index of its normative column.
Result<std::vector<size_t>> MapHeader(const KindSpec& kind, const std::vector<std::string>& header,
                                      uint64_t line) {
  std::vector<size_t> index;
  std::vector<bool> seen(kind.columns.size(), false);
  for (const std::string& h : header) {
    size_t i = ColumnOfHeading(kind, h);
    if (i == kind.columns.size()) {
      return Status::InvalidInput(
                 h, Msg("unknown column for --kind {} (columns: {}; or headed "
                        "in Chinese: {})",
                        std::string(kind.name), ColumnList(kind), ChineseColumnList(kind)))
          .WithRow(line);
    }
    if (seen[i]) return Status::InvalidInput(h, "the column is given twice").WithRow(line);
    seen[i] = true;
    index.push_back(i);
  }
  for (size_t i = 0; i < kind.required; i++) {
    if (!seen[i]) {
      return Status::InvalidInput(kind.columns[i],
                                  Msg("the required column is missing (--kind {} needs {})",
                                      std::string(kind.name), ColumnList(kind)))
          .WithRow(line);
    }
  }
  return index;
}

// Request ids, in two steps. First the `request_id` cells (a malformed one
// makes its row bad), as the file is read.
void TakeRequestIdCells(ImportFile& f) {
  const KindSpec& kind = *f.kind;
  size_t id_column = kind.columns.size();
  for (size_t i = 0; i < kind.columns.size(); i++) {
    if (kind.columns[i] == "request_id") id_column = i;
  }
  f.request_ids.assign(f.rows.size(), std::string());
  f.derived.assign(f.rows.size(), std::string());
  if (id_column == kind.columns.size()) return;
  for (size_t r = 0; r < f.rows.size(); r++) {
    const std::string& id = f.rows[r][id_column];
    if (id.empty()) continue;
    if (Status st = CheckRequestId("request_id", id); !st.ok()) f.AddBad(r, st);
    f.request_ids[r] = id;
  }
}

// Then, for the rows without one, "imp-" and 32 hex digits of
// SHA-256(kind, label, cells, number of identical rows before), joined
// with 0x1f (f.derived: the 16 bytes they spell). Reads f.rows and
// f.untrimmed, writes only f.request_ids and f.derived of those rows.
void DeriveRequestIds(ImportFile& f) {
  const KindSpec& kind = *f.kind;
  const size_t n = f.rows.size();
  // First, in order: each row's cells as written (in one arena), and how
  // many identical rows come before it.
  std::vector<size_t> offsets(n + 1, 0);
  std::string arena;
  for (size_t r = 0; r < n; r++) {
    AppendWrittenCells(&arena, f, r);
    offsets[r + 1] = arena.size();
  }
  auto cells_of = [&](size_t r) {
    return std::string_view(arena).substr(offsets[r], offsets[r + 1] - offsets[r]);
  };
  std::vector<uint64_t> before(n);
  {
    // The rows ordered by their cells' hash, then their cells, then their
    // place: identical rows come together, in file order.
    std::vector<std::pair<size_t, size_t>> order(n);  // (hash, row)
    for (size_t r = 0; r < n; r++) order[r] = {std::hash<std::string_view>{}(cells_of(r)), r};
    std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      if (int c = cells_of(a.second).compare(cells_of(b.second)); c != 0) return c < 0;
      return a.second < b.second;
    });
    for (size_t i = 0; i < n; i++) {
      const auto& [hash, r] = order[i];
      bool repeat =
          i > 0 && order[i - 1].first == hash && cells_of(order[i - 1].second) == cells_of(r);
      before[r] = repeat ? before[order[i - 1].second] + 1 : 0;
    }
  }
  // A hash each, on both cores.
  auto derive = [&](size_t from, size_t to) {
    std::string material;
    for (size_t r = from; r < to; r++) {
      if (!f.request_ids[r].empty()) continue;
      material.assign(kind.name);
      material += '\x1f';
      material += f.label;
      material += '\x1f';
      material += cells_of(r);
      material += '\x1f';
      material += std::to_string(before[r]);
      std::string bytes = AsString(Sha256(material)).substr(0, kImportedRowIdBytes);
      f.request_ids[r] = std::string(kDerivedIdPrefix) + Hex(bytes);
      f.derived[r] = std::move(bytes);
    }
  };
  if (n < 10'000) {
    derive(0, n);
  } else {
    std::thread half([&] { derive(n / 2, n); });
    derive(0, n / 2);
    half.join();
  }
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Result<ImportFile> LoadImportFile(const ImportRequest& request, const KindSpec& kind) {
  ImportFile f;
  f.kind = &kind;
  f.label = request.source.empty() ? BaseName(request.file) : request.source;
  VLEDGER_TRY(CheckName("--source", f.label));
  VLEDGER_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(request.file));
  f.sha256_hex = Hex(Sha256(bytes));
  VLEDGER_ASSIGN_OR_RETURN(CsvTable table, ReadImportTable(request, bytes));
  bytes.clear();
  std::unordered_map<size_t, std::vector<std::string>> untrimmed;
  VLEDGER_TRY(TidyTable(table, &untrimmed));
  if (table.header.empty()) {
    return Status::InvalidInput("the file has no header row").WithRow(table.header_line);
  }
  if (table.rows.size() > kImportRowsMax) {
    return Status::InvalidInput(
        "FILE", Msg("{} rows; an import takes at most {} (split the file, each part under its own "
                    "--source)",
                    table.rows.size(), kImportRowsMax));
  }
  VLEDGER_ASSIGN_OR_RETURN(std::vector<size_t> index,
                           MapHeader(kind, table.header, table.header_line));
  for (size_t i : index) f.header.emplace_back(kind.columns[i]);
  f.headings = std::move(table.header);
  // A file with the kind's first columns in their order (most are) keeps
  // its cells, the columns it leaves out added empty.
  bool in_order = true;
  for (size_t i = 0; i < index.size(); i++) in_order = in_order && index[i] == i;
  auto normative = [&](std::vector<std::string>& written) {
    if (in_order) {
      written.reserve(kind.columns.size());  // exactly: held through the check pass
      written.resize(kind.columns.size());
      return std::move(written);
    }
    std::vector<std::string> cells(kind.columns.size());
    for (size_t i = 0; i < written.size(); i++) cells[index[i]] = std::move(written[i]);
    return cells;
  };
  f.lines.reserve(table.rows.size());
  f.rows.reserve(table.rows.size());
  for (CsvRecord& rec : table.rows) {
    f.lines.push_back(rec.line);
    f.rows.push_back(normative(rec.cells));
  }
  for (auto& [r, cells] : untrimmed) f.untrimmed.emplace(r, JoinCells(normative(cells)));
  TakeRequestIdCells(f);
  return f;
}

// A refused file: every bad row told to `request.bad_row`; the Status of
// the one bad row, or a summary of several.
Status Refuse(const ImportFile& f, const ImportRequest& request, bool stopped) {
  if (request.bad_row) {
    for (const auto& [r, st] : f.bad.rows()) request.bad_row(st);
  }
  size_t n = f.bad.rows().size();
  if (n == 1) return f.bad.rows().begin()->second;
  if (stopped) {
    return Status::InvalidInput(
        "FILE", Msg("{0} rows are refused (the check stops at {0}); nothing was appended", n));
  }
  return Status::InvalidInput("FILE", Msg("{} rows are refused; nothing was appended", n));
}

// ---------------------------------------------------------------- ledger

// Another label under which a file of this content (SHA-256, hex) was
// imported, wholly or in part, if any: the first in byte order.
Result<std::optional<std::string>> LabelOfContent(const Ledger& ledger,
                                                  const std::string& sha256_hex,
                                                  const std::string& label) {
  std::optional<std::string> found;
  VLEDGER_TRY(ledger.ScanImports([&](std::string_view other, const ImportRecord& record) {
    if (record.sha256_hex != sha256_hex || other == label) return true;
    found = std::string(other);
    return false;
  }));
  return found;
}

// Who appended the rows of an import: the key of the events at a seq,
// read once per commit.
class RowAuthors {
 public:
  explicit RowAuthors(const Ledger& ledger) : ledger_(ledger) {}
  Result<std::string> KeyAt(uint64_t seq) {
    auto it = keys_.find(seq);
    if (it != keys_.end()) return it->second;
    VLEDGER_ASSIGN_OR_RETURN(Event e, ledger_.ReadDecoded(seq));
    return keys_.emplace(seq, e.key_id).first->second;
  }

 private:
  const Ledger& ledger_;
  std::unordered_map<uint64_t, std::string> keys_;
};

// A row of the file already in the ledger (by its derived id or its
// request_id cell) that a key other than `key_id` appended is bad: like a
// command's request id, a row's is answered only to the key that used it.
Status CheckRowsOwnedBy(const Ledger& ledger, WriteTxn& txn, ImportFile& f,
                        const std::unordered_map<std::string, uint64_t>& imported,
                        const std::string& key_id) {
  RowAuthors authors(ledger);
  for (size_t r = 0; r < f.rows.size() && !f.bad.full(); r++) {
    if (f.bad.contains(r)) continue;
    const std::string& id = f.request_ids[r];
    if (!f.derived[r].empty()) {
      auto it = imported.find(f.derived[r]);
      if (it == imported.end()) continue;
      VLEDGER_ASSIGN_OR_RETURN(std::string owner, authors.KeyAt(it->second));
      if (owner != key_id) {
        f.AddBad(r, Status::Conflict(
                        Msg("this row was already imported under \"{}\" by another key", f.label)));
      }
      continue;
    }
    VLEDGER_ASSIGN_OR_RETURN(std::optional<RequestRecord> previous, LoadRequest(txn, id));
    if (previous && previous->key_id != key_id) {
      f.AddBad(r, RequestUsedByAnotherKey("request_id", id));
    }
  }
  return Status::Ok();
}

// The residents the rows name, read in one go rather than row by row.
// Reads only the file's rows.
void PrefetchResidents(const ImportFile& f, StateStore& state) {
  for (size_t c = 0; c < f.kind->columns.size(); c++) {
    std::string_view column = f.kind->columns[c];
    if (column != "resident" && column != "to") continue;
    std::vector<std::string> ids;
    ids.reserve(f.rows.size());
    for (const auto& row : f.rows) ids.push_back(row[c]);
    state.table<ResidentState>().Prefetch(std::move(ids));
  }
}

// The derived request ids (DeriveRequestIds) and, unless `ids_only`, the
// residents the rows name (PrefetchResidents), at the same time: neither
// writes what the other reads.
void PrepareRows(ImportFile& f, StateStore& state, bool ids_only) {
  if (ids_only) {
    DeriveRequestIds(f);
    return;
  }
  std::thread ids([&f] { DeriveRequestIds(f); });
  std::exception_ptr failed;  // a stored row that cannot be read (RowReadError)
  try {
    PrefetchResidents(f, state);
  } catch (...) {
    failed = std::current_exception();
  }
  ids.join();
  if (failed) std::rethrow_exception(failed);
}

// A new row of the file, as applied.
struct NewRow {
  size_t row;            // index into the file's rows
  uint64_t first, last;  // its events
};

// The check pass: every row against the ledger and the rows before it,
// applied to `state` with its events left pending in `txn`. Rows already
// in the ledger are left out; bad rows are added to `f.bad` (the check
// goes on until it has found as many as it may). Nothing is written.
// Returns the new rows, and `*stopped` whether rows were left unchecked.
Result<std::vector<NewRow>> CheckRows(const ImportRequest& request, WriteTxn& txn,
                                      StateStore& state, const Signer& key, int64_t now_ms,
                                      const std::unordered_map<std::string, uint64_t>& imported,
                                      ImportFile& f, bool* stopped) {
  std::map<std::string, size_t> explicit_ids;  // request_id cell -> first row using it
  std::vector<NewRow> fresh;
  fresh.reserve(f.rows.size());
  txn.ReserveEvents(f.rows.size());  // an event a row, for most kinds
  CommitBuilder builder(txn, state, key.key_id(), now_ms, "");
  builder.set_allow_names(request.allow_names);
  builder.set_command("import " + std::string(f.kind->name));
  const uint64_t total = f.rows.size();
  for (size_t r = 0; r < f.rows.size(); r++) {
    if (request.progress) VLEDGER_TRY(request.progress({ImportStage::kChecking, r + 1, total}));
    if (f.bad.full()) {
      *stopped = true;
      break;
    }
    if (f.bad.contains(r)) continue;
    const std::string& id = f.request_ids[r];
    if (!f.derived[r].empty()) {
      if (imported.count(f.derived[r])) continue;
    } else {
      auto earlier = explicit_ids.find(id);
      VLEDGER_ASSIGN_OR_RETURN(std::optional<RequestRecord> previous, LoadRequest(txn, id));
      std::optional<std::string> fingerprint;
      if (previous) {
        fingerprint = previous->fingerprint;
      } else if (earlier != explicit_ids.end()) {
        fingerprint = RowFingerprint(f, earlier->second);
      }
      if (fingerprint) {
        if (!SameFingerprint(*fingerprint, RowFingerprint(f, r))) {
          f.AddBad(r, Status::Conflict("request_id",
                                       Msg("\"{}\" was already used by a different command", id)));
        }
        continue;  // in the ledger, or an earlier row of this file
      }
      explicit_ids.emplace(id, r);
    }
    builder.set_request_id(id);
    uint64_t first = txn.next_seq();
    Status st = f.kind->build(builder, RowView(f.kind->columns, f.rows[r]));
    if (!st.ok()) {
      if (!st.is_refusal() && st.code() != Code::kUsage) return st;  // storage, not the row
      f.AddBad(r, st);
      continue;
    }
    VLEDGER_ASSERT(txn.next_seq() > first);
    fresh.push_back(NewRow{r, first, txn.next_seq() - 1});
    if (f.derived[r].empty()) f.fingerprints.emplace(r, RowFingerprint(f, r));
  }
  return fresh;
}

struct Appended {
  std::optional<uint64_t> first, last;
  uint64_t rows = 0, commits = 0;
};

// The append pass: the new rows' events, `batch` rows to a commit (0: all
// in one). Each commit records its rows' request ids (so an interrupted
// import resumes); the last one also writes every projection row the
// import changed and marks the import completed. The state is done with
// once those rows are staged: it is freed on a second thread while the last
// commit is written, so that it is not held beside that commit's batch and
// memtable (an import's peak). Its memory stays with the heap, where that
// memtable reuses it: given back to the system (malloc_trim), it held the
// heap's lock while the commit waited, and the memtable faulted in new pages.
Result<Appended> CommitRows(const ImportRequest& request, WriteTxn& txn,
                            std::unique_ptr<StateStore> state, Signer& key, const ImportFile& f,
                            const std::vector<NewRow>& fresh, uint64_t batch) {
  Appended out;
  VLEDGER_ASSIGN_OR_RETURN(std::optional<PublicKey> registered, RegisteredKeyOf(key, *state));
  size_t rows_per_commit = batch == 0 ? fresh.size() : batch;
  if (request.progress) VLEDGER_TRY(request.progress({ImportStage::kAppending, 0, fresh.size()}));
  for (size_t from = 0; from < fresh.size(); from += rows_per_commit) {
    size_t to = std::min(fresh.size(), from + rows_per_commit);
    bool last = to == fresh.size();
    std::string derived;
    for (size_t i = from; i < to; i++) {
      const NewRow& row = fresh[i];
      const std::string& id = f.request_ids[row.row];
      if (!f.derived[row.row].empty()) {
        derived += f.derived[row.row];
        continue;
      }
      Json result{{"seq", row.first}, {"last", row.last}, {"hash", Hex(txn.HashOf(row.last))}};
      txn.StoreRequest(id, RequestRecord{SealFingerprint(f.fingerprints.at(row.row)), result.dump(),
                                         key.key_id()});
    }
    if (!derived.empty()) {
      txn.StoreImportedRows(f.label, fresh[from].first, derived);
    }
    txn.StoreImport(f.label, ImportRecord{f.sha256_hex, last});
    std::thread freeing;
    if (last) {
      StageRows(*state, txn);
      freeing = std::thread([s = std::move(state)]() mutable { s.reset(); });
    }
    uint64_t events = fresh[to - 1].last - fresh[from].first + 1;
    Result<CommitRecord> commit = CommitSigned(key, registered, txn, events, last);
    if (freeing.joinable()) freeing.join();
    if (!commit.ok()) return commit.status();
    if (!out.first) out.first = commit->first;
    out.last = commit->last;
    out.rows += to - from;
    out.commits++;
    if (request.progress) {
      VLEDGER_TRY(request.progress({ImportStage::kAppending, out.rows, fresh.size()}));
    }
  }
  return out;
}

// ------------------------------------------------------------- options

Result<uint64_t> ParseBatch(const std::string& text) {
  if (text.empty()) return uint64_t{0};
  if (text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoull(text) < 1 || std::stoull(text) > kImportBatchRowsMax) {
    return Status::InvalidInput(
        "--batch", Msg("\"{}\" is not a number of rows from 1 to {}", text, kImportBatchRowsMax));
  }
  return std::stoull(text);
}

Status CheckEncoding(const std::string& encoding) {
  if (encoding.empty() || encoding == "utf-8" || encoding == "UTF-8" || encoding == "gb18030" ||
      encoding == "GB18030") {
    return Status::Ok();
  }
  return Status::InvalidInput("--encoding", Msg("\"{}\" is not utf-8 or gb18030", encoding));
}

Result<const KindSpec*> KindOf(const std::string& name) {
  const KindSpec* kind = FindKind(name);
  if (kind != nullptr) return kind;
  std::string names;
  for (const std::string& k : ImportKindNames()) names += (names.empty() ? "" : ", ") + k;
  return Status::InvalidInput("--kind", Msg("\"{}\" is not one of {}", name, names));
}

// The columns whose text is public: a warning once the import succeeded.
std::vector<Msg> PublicColumnWarnings(const ImportFile& f) {
  std::vector<Msg> warnings;
  for (size_t i = 0; i < f.header.size(); i++) {
    if (f.header[i] == "note" || f.header[i] == "item") {
      warnings.push_back(Msg("column {} is part of the public log: keep personal details out of it",
                             f.headings[i]));
    }
  }
  return warnings;
}

Result<ImportResult> ImportRows(const Session& session, const ImportRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(uint64_t batch, ParseBatch(request.batch));
  VLEDGER_TRY(CheckEncoding(request.encoding));
  VLEDGER_ASSIGN_OR_RETURN(const KindSpec* kind, KindOf(request.kind));
  VLEDGER_ASSIGN_OR_RETURN(ImportFile f, LoadImportFile(request, *kind));
  if (f.bad.full()) return Refuse(f, request, true);
  VLEDGER_ASSIGN_OR_RETURN(std::shared_ptr<Signer> signer, session.CommitSigner());
  Signer& key = *signer;
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenWriter());
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, session.NowMs(*ledger));
  auto txn = ledger->BeginWrite();
  auto state = LiveState(*ledger, *txn);

  ImportResult result;
  result.label = f.label;
  result.kind = kind->name;
  VLEDGER_ASSIGN_OR_RETURN(std::optional<ImportRecord> before, txn->LoadImport(f.label));
  PrepareRows(f, *state, before && before->completed);
  if (before && before->completed) {
    if (before->sha256_hex != f.sha256_hex) {
      return Status::Conflict(
          "--source", Msg("the import \"{}\" completed with a different file (SHA-256 {}…); give "
                          "this file its own --source",
                          f.label, before->sha256_hex.substr(0, 16)));
    }
    VLEDGER_ASSIGN_OR_RETURN(auto imported, ledger->LoadImportedRows(f.label));
    VLEDGER_TRY(CheckRowsOwnedBy(*ledger, *txn, f, imported, key.key_id()));
    if (!f.bad.empty()) return Refuse(f, request, false);
    result.hash = Hex(ledger->head());
    result.repeated = f.rows.size();
    result.completed_before = true;
    return result;
  }
  // The same content under another label would append its rows again (a
  // row's derived request id includes the label): refused unless --again.
  // Resuming this label's own import of this content is not a repeat.
  if (!request.again && !(before && before->sha256_hex == f.sha256_hex)) {
    VLEDGER_ASSIGN_OR_RETURN(auto other, LabelOfContent(*ledger, f.sha256_hex, f.label));
    if (other) {
      return Status::Conflict(
          Msg("this file's content was already imported under --source \"{}\" (use --again to "
              "import it again)",
              *other));
    }
  }

  VLEDGER_ASSIGN_OR_RETURN(now_ms, session.AppendNowMs(*ledger));
  // A key that cannot append at all would have every row refused alike.
  const KeyRecord* author = FindKey(*state, key.key_id());
  if (author == nullptr || author->revoked_seq) f.bad.set_max(1);
  VLEDGER_ASSIGN_OR_RETURN(auto imported, ledger->LoadImportedRows(f.label));
  VLEDGER_TRY(CheckRowsOwnedBy(*ledger, *txn, f, imported, key.key_id()));
  bool stopped = false;
  VLEDGER_ASSIGN_OR_RETURN(std::vector<NewRow> fresh,
                           CheckRows(request, *txn, *state, key, now_ms, imported, f, &stopped));
  if (!f.bad.empty()) return Refuse(f, request, stopped);
  // The cells are done with (the new rows carry what the commits need):
  // freed before the last commit, which is an import's peak of memory.
  size_t rows = f.rows.size();
  std::vector<std::vector<std::string>>().swap(f.rows);
  malloc_trim(0);
  result.warnings = PublicColumnWarnings(f);
  VLEDGER_ASSIGN_OR_RETURN(Appended a,
                           CommitRows(request, *txn, std::move(state), key, f, fresh, batch));
  result.first = a.first;
  result.last = a.last;
  result.hash = a.last ? Hex(txn->HashOf(*a.last)) : Hex(ledger->head());
  result.appended = a.rows;
  result.repeated = rows - a.rows;
  result.commits = a.commits;
  return result;
}

}  // namespace

std::vector<std::string> ImportKindNames() {
  std::vector<std::string> names;
  for (const KindSpec& k : Kinds()) names.emplace_back(k.name);
  return names;
}

Result<ImportResult> Import(const Session& session, const ImportRequest& request) try {
  // A stored row that cannot be read (rows.h) ends the import with its
  // storage error; nothing more of it is written.
  try {
    return ImportRows(session, request);
  } catch (const RowReadError& e) {
    return e.status();
  }
} catch (...) {
  return CaughtStatus();
}

std::string ImportJson(const ImportResult& result) {
  return Json{{"seq", result.first ? Json(*result.first) : Json(nullptr)},
              {"last", result.last ? Json(*result.last) : Json(nullptr)},
              {"hash", result.hash},
              {"appended", result.appended},
              {"repeated", result.repeated}}
      .dump();
}

}  // namespace vledger::app
