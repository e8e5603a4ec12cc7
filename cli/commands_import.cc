// `vledger import FILE --kind K [--batch N] [--source S] [--encoding E]`
// (SPEC section 9): CSV exported from Excel, one row per registration,
// rule, entry, redemption, donation or payment.
//
// An import runs in two passes over one write transaction. The check pass
// builds every row's events with the same builders the single commands use
// (builders.h), each applied by CommitBuilder::Add — so every row is checked
// against the ledger and the file's earlier rows, and nothing is written
// unless every row passed. The append pass then commits the check pass's
// pending events: all in one commit, or N new rows to a commit with
// --batch N, the last commit also writing the projection rows.
//
// Resuming: every row has a request id (its `request_id` cell, else one
// derived from the kind, the source label, its cells and how many identical
// rows come before it), stored as `req/<id>` in the commit that holds the
// row's events. A row whose id is already in the ledger with the same
// fingerprint is skipped ("repeated"), so a killed or failed import, run
// again, appends exactly what is missing. `imp/<label>` records the file's
// SHA-256 and whether its import completed; `rebuild` keeps these rows.
#include <malloc.h>

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "append.h"
#include "context.h"
#include "progress.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/csv.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {
namespace {

// The check pass holds every row's events in one pending overlay, so a file
// is bounded like one commit (each row adds one event).
constexpr uint64_t kImportRowsMax = 200'000;
constexpr uint64_t kImportBatchRowsMax = 100'000;
constexpr size_t kImportFileBytesMax = size_t{1} << 30;
// Imports smaller than this finish before a progress bar would help.
constexpr uint64_t kProgressRowsMin = 1'000;
// Request rows of an import (vledger/ledger/request_store.h): imp/<label> holds
// an ImportRecord (the file's SHA-256, completed), imr/<label>/<first seq>
// the derived request ids of one commit's rows, 16 bytes each (the hex
// after "imp-"). A row with a request_id cell is kept under req/<id> like a
// command's.
constexpr std::string_view kDerivedIdPrefix = "imp-";

// ---------------------------------------------------------------- kinds

// A row's cells in the kind's normative column order ("" when the column
// is absent or the cell empty).
class RowView {
 public:
  RowView(const std::vector<std::string_view>& columns, const std::vector<std::string>& cells)
      : columns_(columns), cells_(cells) {}
  const std::string& operator[](std::string_view column) const {
    for (size_t i = 0; i < columns_.size(); i++) {
      if (columns_[i] == column) return cells_[i];
    }
    VLEDGER_ASSERT(!"column of the kind");
    return cells_[0];
  }

 private:
  const std::vector<std::string_view>& columns_;
  const std::vector<std::string>& cells_;
};

using RowBuilder = Status (*)(CommitBuilder&, const RowView&);

struct KindSpec {
  std::string_view name;
  std::vector<std::string_view> columns;  // normative order
  size_t required = 0;                    // the first `required` columns
  RowBuilder build = nullptr;
};

// `minor`, `adult`, `public_name`: 1/0, true/false (any case, as Excel writes
// TRUE/FALSE) or 是/否; empty means false.
Result<bool> ParseFlag(std::string_view column, const std::string& cell) {
  std::string lower;
  for (char c : cell) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower.empty() || lower == "0" || lower == "false" || lower == "否") return false;
  if (lower == "1" || lower == "true" || lower == "是") return true;
  return Status::Rejected(std::string(column) + ": \"" + cell +
                          "\" is not 1/0, true/false or 是/否");
}

Status BuildResidentRow(CommitBuilder& b, const RowView& r) {
  ResidentArgs a{r["id"], r["village"], r["household"], false, PersonArgs{r["name"], "", "", 0}};
  VLEDGER_ASSIGN_OR_RETURN(a.minor, ParseFlag("minor", r["minor"]));
  VLEDGER_ASSIGN_OR_RETURN(a.adult, ParseFlag("adult", r["adult"]));
  if (a.minor && a.adult) {
    return Status::Rejected("adult: a resident is a minor or an adult, not both");
  }
  const std::string& year = r["birth_year"];
  if (!year.empty()) {
    if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos) {
      return Status::Rejected("birth_year: \"" + year + "\" is not a year");
    }
    a.person.birth_year = std::stoi(year);
  }
  return BuildResident(b, a);
}

Status BuildHouseholdRow(CommitBuilder& b, const RowView& r) {
  return BuildHousehold(b, HouseholdArgs{r["id"], r["village"], PersonArgs{r["head"], "", "", 0}});
}

Status BuildRuleRow(CommitBuilder& b, const RowView& r) {
  return BuildRule(b, RuleArgs{r["code"], r["category"], r["points"], r["village"], r["min"],
                               r["max"], "", "", r["description"]});
}

Status BuildAwardRow(CommitBuilder& b, const RowView& r) {
  return BuildAward(b, AwardArgs{r["resident"], r["rule"], r["points"], r["date"], r["note"], ""});
}

Status BuildDeductionRow(CommitBuilder& b, const RowView& r) {
  return BuildDeduction(
      b, DeductionArgs{r["resident"], "", r["rule"], r["points"], r["date"], r["note"], ""});
}

Status BuildRedemptionRow(CommitBuilder& b, const RowView& r) {
  RedemptionArgs a{r["resident"], r["points"], r["item"]};
  if (!r["shop"].empty()) a.shop = r["shop"];
  if (!r["quantity"].empty()) a.qty = r["quantity"];
  return BuildRedemption(b, a);
}

Status BuildDonationRow(CommitBuilder& b, const RowView& r) {
  DonationArgs a;
  a.fund = r["fund"];
  a.amount = r["amount"];
  a.donor = r["donor"];
  a.donor_org = r["donor_org"];
  a.purpose = r["purpose"];
  a.receipt = r["receipt"];
  VLEDGER_ASSIGN_OR_RETURN(a.public_name, ParseFlag("public_name", r["public_name"]));
  return BuildDonation(b, a, nullptr);
}

Status BuildDisbursementRow(CommitBuilder& b, const RowView& r) {
  return BuildDisbursement(b, DisbursementArgs{r["fund"], r["to"], r["amount"], r["purpose"],
                                               r["period"], r["note"]});
}

const std::vector<KindSpec>& Kinds() {
  static const std::vector<KindSpec> kinds = {
      {"residents", {"id", "village", "household", "name", "minor", "birth_year", "adult"}, 4,
       BuildResidentRow},
      {"households", {"id", "village", "head"}, 3, BuildHouseholdRow},
      {"rules", {"code", "category", "points", "village", "min", "max", "description"}, 3,
       BuildRuleRow},
      {"awards", {"resident", "rule", "points", "date", "note", "request_id"}, 2, BuildAwardRow},
      {"deductions", {"resident", "rule", "points", "date", "note", "request_id"}, 2,
       BuildDeductionRow},
      {"redemptions", {"resident", "points", "item", "shop", "quantity", "request_id"}, 3,
       BuildRedemptionRow},
      {"donations",
       {"fund", "amount", "donor", "donor_org", "public_name", "purpose", "receipt", "request_id"},
       2, BuildDonationRow},
      {"disbursements", {"fund", "to", "amount", "purpose", "period", "note", "request_id"}, 3,
       BuildDisbursementRow},
  };
  return kinds;
}

const KindSpec* FindKind(std::string_view name) {
  for (const KindSpec& k : Kinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string ColumnList(const KindSpec& kind) {
  std::string out;
  for (size_t i = 0; i < kind.columns.size(); i++) {
    if (i == kind.required) out += "[";
    if (i > 0) out += ",";
    out += kind.columns[i];
  }
  if (kind.required < kind.columns.size()) out += "]";
  return out;
}

// ------------------------------------------------------- error locations

// A Status field ("--points", "occurredOn", "FUND") in the spelling of
// the CSV columns ("points", "occurred_on", "fund").
std::string NormalizeField(std::string_view field) {
  while (!field.empty() && field[0] == '-') field.remove_prefix(1);
  bool has_lower = field.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos;
  std::string out;
  for (char c : field) {
    bool upper = c >= 'A' && c <= 'Z';
    if (upper && has_lower && !out.empty()) out += '_';
    out += upper ? static_cast<char>(c - 'A' + 'a') : (c == '-' ? '_' : c);
  }
  return out;
}

// Fields that the builders and handlers name differently from the column.
std::string_view AliasColumn(std::string_view field) {
  static const std::map<std::string_view, std::string_view> aliases = {
      {"on", "date"},           {"occurred_on", "date"},  {"qty", "quantity"},
      {"desc", "description"},  {"amount_fen", "amount"}, {"head_ref", "head"},
      {"person_ref", "name"},   {"donor_ref", "donor"},   {"to_resident", "to"},
      {"to_household", "to"},   {"cap", "points"},        {"household", "resident"},
  };
  auto it = aliases.find(field);
  return it == aliases.end() ? std::string_view() : it->second;
}

// Rewrites a row's Status "field: what" as "line N, column C: what", C the
// column of `header` the field maps to, else the first column (with the
// whole message kept).
Status Locate(const Status& st, uint64_t line, const std::vector<std::string>& header) {
  if (!st.is_refusal() && st.code() != Code::kUsage) return st;
  const std::string& msg = st.message();
  std::string prefix = "line " + std::to_string(line) + ", column ";
  size_t colon = msg.find(": ");
  if (colon != std::string::npos && colon > 0 && msg.find(' ') > colon) {
    std::string field = NormalizeField(std::string_view(msg).substr(0, colon));
    bool is_column = false;
    for (const auto& h : header) is_column |= h == field;
    std::string_view column = is_column ? std::string_view(field) : AliasColumn(field);
    for (const auto& h : header) {
      if (!column.empty() && h == column) {
        return Status::Rejected(prefix + h + ": " + msg.substr(colon + 2));
      }
    }
  }
  return Status::Rejected(prefix + header[0] + ": " + msg);
}

// ------------------------------------------------------------------ file

struct ImportOptions {
  std::string file, kind, batch, source, encoding;
  bool again = false;  // import content already imported under another label
};

std::string JoinCells(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); i++) {
    if (i > 0) out += '\x1f';
    out += cells[i];
  }
  return out;
}

// The file's rows, each as cells in the kind's normative order.
struct ImportFile {
  const KindSpec* kind = nullptr;
  std::string label, sha256_hex;
  std::vector<std::string> header;
  std::vector<uint64_t> lines;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> request_ids;
  // For a derived request id, the 16 bytes its hex digits spell; empty for
  // a request_id cell.
  std::vector<std::string> derived;
  // RowFingerprint of each new row with a request_id cell, kept for its
  // commit once the cells are freed.
  std::unordered_map<size_t, std::string> fingerprints;
};

// What a request id of a row was used for: the kind and the row's cells.
std::string RowFingerprint(const ImportFile& f, size_t r) {
  return "import " + std::string(f.kind->name) + '\x1f' + JoinCells(f.rows[r]);
}

Result<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Rejected("FILE: cannot read \"" + path + "\"");
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0 || static_cast<uint64_t>(size) > kImportFileBytesMax) {
    return Status::Rejected("FILE: \"" + path + "\" is larger than " +
                            std::to_string(kImportFileBytesMax >> 20) + " MiB; split it");
  }
  in.seekg(0);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), size)) return Status::Rejected("FILE: cannot read \"" + path + "\"");
  return bytes;
}

// Maps the header onto the kind's columns: every column known, none twice,
// every required one present. Returns, per header position, the index of
// its normative column.
Result<std::vector<size_t>> MapHeader(const KindSpec& kind, const std::vector<std::string>& header) {
  std::vector<size_t> index;
  std::vector<bool> seen(kind.columns.size(), false);
  for (const std::string& h : header) {
    size_t i = 0;
    while (i < kind.columns.size() && kind.columns[i] != h) i++;
    if (i == kind.columns.size()) {
      return Status::Rejected("line 1, column " + h + ": unknown column for --kind " +
                              std::string(kind.name) + " (columns: " + ColumnList(kind) + ")");
    }
    if (seen[i]) return Status::Rejected("line 1, column " + h + ": the column is given twice");
    seen[i] = true;
    index.push_back(i);
  }
  for (size_t i = 0; i < kind.required; i++) {
    if (!seen[i]) {
      return Status::Rejected("line 1, column " + std::string(kind.columns[i]) +
                              ": the required column is missing (--kind " +
                              std::string(kind.name) + " needs " + ColumnList(kind) + ")");
    }
  }
  return index;
}


// Request ids and fingerprints: the `request_id` cell, else "imp-" and 32
// hex digits of SHA-256(kind, label, cells, number of identical rows
// before), joined with 0x1f.
Status AssignRequestIds(ImportFile& f) {
  const KindSpec& kind = *f.kind;
  size_t id_column = kind.columns.size();
  for (size_t i = 0; i < kind.columns.size(); i++) {
    if (kind.columns[i] == "request_id") id_column = i;
  }
  const size_t n = f.rows.size();
  // First, in order: each row's cells joined, and how many identical rows
  // come before it (the joined cells live in one arena).
  std::vector<size_t> offsets(n + 1, 0);
  std::string arena;
  for (size_t r = 0; r < n; r++) {
    arena += JoinCells(f.rows[r]);
    offsets[r + 1] = arena.size();
  }
  auto cells_of = [&](size_t r) {
    return std::string_view(arena).substr(offsets[r], offsets[r + 1] - offsets[r]);
  };
  std::vector<uint64_t> before(n);
  {
    std::unordered_map<std::string_view, uint64_t> seen;
    seen.reserve(n);
    for (size_t r = 0; r < n; r++) before[r] = seen[cells_of(r)]++;
  }
  f.request_ids.assign(n, std::string());
  f.derived.assign(n, std::string());
  for (size_t r = 0; r < n; r++) {
    if (id_column < kind.columns.size() && !f.rows[r][id_column].empty()) {
      const std::string& id = f.rows[r][id_column];
      VLEDGER_TRY(Locate(CheckRequestId("request_id", id), f.lines[r], f.header));
      f.request_ids[r] = id;
    }
  }
  // Then the derived ids, a hash each, on both cores.
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
      std::string bytes = AsString(Sha256(material)).substr(0, 16);
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
  return Status::Ok();
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Result<ImportFile> LoadImportFile(const ImportOptions& o) {
  ImportFile f;
  f.kind = FindKind(o.kind);
  VLEDGER_ASSERT(f.kind != nullptr);  // CLI11 checked --kind
  f.label = o.source.empty() ? BaseName(o.file) : o.source;
  VLEDGER_TRY(CheckName("--source", f.label));
  VLEDGER_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(o.file));
  f.sha256_hex = Hex(Sha256(bytes));
  VLEDGER_ASSIGN_OR_RETURN(std::string text, DecodeCsvText(bytes, o.encoding));
  bytes.clear();
  VLEDGER_ASSIGN_OR_RETURN(CsvTable table, ParseCsv(text));
  if (table.header.empty()) return Status::Rejected("line 1: the file has no header row");
  if (table.rows.size() > kImportRowsMax) {
    return Status::Rejected("FILE: " + std::to_string(table.rows.size()) + " rows; an import takes " +
                            "at most " + std::to_string(kImportRowsMax) +
                            " (split the file, each part under its own --source)");
  }
  VLEDGER_ASSIGN_OR_RETURN(std::vector<size_t> index, MapHeader(*f.kind, table.header));
  f.header = std::move(table.header);
  for (CsvRecord& rec : table.rows) {
    std::vector<std::string> cells(f.kind->columns.size());
    for (size_t i = 0; i < rec.cells.size(); i++) cells[index[i]] = std::move(rec.cells[i]);
    f.lines.push_back(rec.line);
    f.rows.push_back(std::move(cells));
  }
  VLEDGER_TRY(AssignRequestIds(f));
  return f;
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

// Rejected when a row of the file already in the ledger (by its derived id
// or its request_id cell) was appended by a key other than `key_id`: like a
// command's request id, a row's is answered only to the key that used it.
Status CheckRowsOwnedBy(const Ledger& ledger, WriteTxn& txn, const ImportFile& f,
                        const std::unordered_map<std::string, uint64_t>& imported,
                        const std::string& key_id) {
  RowAuthors authors(ledger);
  for (size_t r = 0; r < f.rows.size(); r++) {
    const std::string& id = f.request_ids[r];
    std::string owner;
    if (!f.derived[r].empty()) {
      auto it = imported.find(f.derived[r]);
      if (it == imported.end()) continue;
      VLEDGER_ASSIGN_OR_RETURN(owner, authors.KeyAt(it->second));
      if (owner != key_id) {
        return Locate(Status::Rejected("this row was already imported under \"" + f.label +
                                       "\" by another key"),
                      f.lines[r], f.header);
      }
      continue;
    }
    VLEDGER_ASSIGN_OR_RETURN(std::optional<RequestRecord> previous, LoadRequest(txn, id));
    if (previous && previous->key_id != key_id) {
      return Locate(RequestUsedByAnotherKey("request_id", id), f.lines[r], f.header);
    }
  }
  return Status::Ok();
}

// A progress bar for a pass over a large file; none with --json.
std::unique_ptr<ProgressBar> MaybeProgress(const Context& ctx, const char* label, uint64_t rows) {
  if (ctx.options.json || ctx.quiet || rows < kProgressRowsMin) return nullptr;
  return std::make_unique<ProgressBar>(label, rows);
}

// A new row of the file, as applied.
struct NewRow {
  size_t row;             // index into the file's rows
  uint64_t first, last;   // its events
};

// The apply pass: every row against the ledger and the rows before it,
// applied to `state` with its events left pending in `txn`. Rows already
// in the ledger are left out. Nothing is written.
Result<std::vector<NewRow>> ApplyRows(const Context& ctx, const Ledger& ledger, WriteTxn& txn,
                                      StateStore& state, const PrivateKey& key, int64_t now_ms,
                                      ImportFile& f) {
  VLEDGER_ASSIGN_OR_RETURN(auto imported, ledger.LoadImportedRows(f.label));
  VLEDGER_TRY(CheckRowsOwnedBy(ledger, txn, f, imported, key.key_id()));
  // The residents the rows name, read in one go rather than row by row.
  for (size_t c = 0; c < f.kind->columns.size(); c++) {
    std::string_view column = f.kind->columns[c];
    if (column != "resident" && column != "to") continue;
    std::vector<std::string> ids;
    ids.reserve(f.rows.size());
    for (const auto& row : f.rows) ids.push_back(row[c]);
    state.table<ResidentState>().Prefetch(std::move(ids));
  }
  std::map<std::string, size_t> explicit_ids;  // request_id cell -> first row using it
  std::vector<NewRow> fresh;
  fresh.reserve(f.rows.size());
  auto bar = MaybeProgress(ctx, "checking", f.rows.size());
  CommitBuilder builder(txn, state, key, now_ms, "");
  for (size_t r = 0; r < f.rows.size(); r++) {
    if (bar) bar->Update(r + 1);
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
        if (*fingerprint != RowFingerprint(f, r)) {
          return Locate(Status::Rejected("request_id: \"" + id +
                                         "\" was already used by a different command"),
                        f.lines[r], f.header);
        }
        continue;  // in the ledger, or an earlier row of this file
      }
      explicit_ids.emplace(id, r);
    }
    builder.set_request_id(id);
    uint64_t first = txn.next_seq();
    Status st = f.kind->build(builder, RowView(f.kind->columns, f.rows[r]));
    if (!st.ok()) return Locate(st, f.lines[r], f.header);
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
// commit is written, and its pages given back to the system, so that it is
// not held beside that commit's batch and memtable (an import's peak).
Result<Appended> CommitRows(WriteTxn& txn, std::unique_ptr<StateStore> state, const PrivateKey& key,
                            const ImportFile& f, const std::vector<NewRow>& fresh,
                            uint64_t batch) {
  Appended out;
  size_t rows_per_commit = batch == 0 ? fresh.size() : batch;
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
      txn.StoreRequest(id, RequestRecord{f.fingerprints.at(row.row), result.dump(), key.key_id()});
    }
    if (!derived.empty()) {
      txn.StoreImportedRows(f.label, fresh[from].first, derived);
    }
    txn.StoreImport(f.label, ImportRecord{f.sha256_hex, last});
    std::thread freeing;
    if (last) {
      StageRows(*state, txn);
      freeing = std::thread([s = std::move(state)]() mutable {
        s.reset();
        malloc_trim(0);
      });
    }
    uint64_t events = fresh[to - 1].last - fresh[from].first + 1;
    Result<CommitRecord> commit = txn.Commit(key, events, last);
    if (freeing.joinable()) freeing.join();
    if (!commit.ok()) return commit.status();
    if (!out.first) out.first = commit->first;
    out.last = commit->last;
    out.rows += to - from;
    out.commits++;
  }
  return out;
}

void PrintImportResult(Context& ctx, const ImportFile& f, const Appended& a, uint64_t repeated,
                       const std::string& head_hex, bool completed_before) {
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"seq", a.first ? Json(*a.first) : Json(nullptr)},
                       {"last", a.last ? Json(*a.last) : Json(nullptr)},
                       {"hash", head_hex},
                       {"appended", a.rows},
                       {"repeated", repeated}});
    return;
  }
  if (completed_before) {
    ctx.PrintLine("already imported: \"" + f.label + "\" (this file) completed earlier; " +
                  "nothing appended");
    return;
  }
  if (a.rows == 0) {
    ctx.PrintLine("nothing appended: all " + std::to_string(repeated) +
                  " rows are already in the ledger");
    return;
  }
  ctx.PrintLine("appended " + std::to_string(a.rows) + " " + std::string(f.kind->name) +
                " rows as seqs " + std::to_string(*a.first) + ".." + std::to_string(*a.last) +
                " in " + std::to_string(a.commits) + (a.commits == 1 ? " commit" : " commits") +
                ", head " + head_hex);
  if (repeated > 0) {
    ctx.PrintLine(std::to_string(repeated) + " rows were already in the ledger and were skipped");
  }
}

Result<uint64_t> ParseBatch(const std::string& text) {
  if (text.empty()) return uint64_t{0};
  if (text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoull(text) < 1 || std::stoull(text) > kImportBatchRowsMax) {
    return Status::Rejected("--batch: \"" + text + "\" is not a number of rows from 1 to " +
                            std::to_string(kImportBatchRowsMax));
  }
  return std::stoull(text);
}

Status ImportCommand(Context& ctx, const ImportOptions& o) {
  VLEDGER_ASSIGN_OR_RETURN(uint64_t batch, ParseBatch(o.batch));
  if (!o.encoding.empty() && o.encoding != "utf-8" && o.encoding != "UTF-8" &&
      o.encoding != "gb18030" && o.encoding != "GB18030") {
    return Status::Rejected("--encoding: \"" + o.encoding + "\" is not utf-8 or gb18030");
  }
  VLEDGER_ASSIGN_OR_RETURN(ImportFile f, LoadImportFile(o));
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, ctx.SigningKey());
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenWriter());
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, ctx.NowMs(*ledger));
  auto txn = ledger->BeginWrite();
  auto state = LiveState(*ledger, *txn);

  VLEDGER_ASSIGN_OR_RETURN(std::optional<ImportRecord> before, txn->LoadImport(f.label));
  if (before && before->completed) {
    if (before->sha256_hex != f.sha256_hex) {
      return Status::Rejected(
          "--source: the import \"" + f.label + "\" completed with a different file (SHA-256 " +
          before->sha256_hex.substr(0, 16) + "…); give this file its own --source");
    }
    VLEDGER_ASSIGN_OR_RETURN(auto imported, ledger->LoadImportedRows(f.label));
    VLEDGER_TRY(CheckRowsOwnedBy(*ledger, *txn, f, imported, key.key_id()));
    PrintImportResult(ctx, f, Appended{}, f.rows.size(), Hex(ledger->head()), true);
    return Status::Ok();
  }
  // The same content under another label would append its rows again (a
  // row's derived request id includes the label): refused unless --again.
  // Resuming this label's own import of this content is not a repeat.
  if (!o.again && !(before && before->sha256_hex == f.sha256_hex)) {
    VLEDGER_ASSIGN_OR_RETURN(auto other, LabelOfContent(*ledger, f.sha256_hex, f.label));
    if (other) {
      return Status::Rejected("this file's content was already imported under --source \"" +
                              *other + "\" (use --again to import it again)");
    }
  }

  VLEDGER_ASSIGN_OR_RETURN(now_ms, ctx.AppendNowMs(*ledger));
  VLEDGER_ASSIGN_OR_RETURN(std::vector<NewRow> fresh,
                           ApplyRows(ctx, *ledger, *txn, *state, key, now_ms, f));
  // The cells are done with (the new rows carry what the commits need):
  // freed before the last commit, which is an import's peak of memory.
  size_t rows = f.rows.size();
  std::vector<std::vector<std::string>>().swap(f.rows);
  malloc_trim(0);
  for (const std::string& h : f.header) {
    if (h == "note" || h == "item") {
      ctx.Warn("column " + h + " is part of the public log: keep personal details out of it");
    }
  }
  VLEDGER_ASSIGN_OR_RETURN(Appended a, CommitRows(*txn, std::move(state), key, f, fresh, batch));
  std::string head = a.last ? Hex(txn->HashOf(*a.last)) : Hex(ledger->head());
  PrintImportResult(ctx, f, a, rows - a.rows, head, false);
  return Status::Ok();
}

}  // namespace

void RegisterImportCommand(CLI::App& app, Context& ctx, Action* action) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = AddCommand(app, "import", "import rows from a CSV file (Excel export)");
  cmd->add_option("FILE", o->file, "CSV file: UTF-8 (BOM or not) or GB18030")->required();
  std::vector<std::string> kinds;
  for (const KindSpec& k : Kinds()) kinds.emplace_back(k.name);
  cmd->add_option("--kind", o->kind, "what the rows are")->required()->check(CLI::IsMember(kinds));
  cmd->add_option("--batch", o->batch, "commit every N new rows (default: one commit)");
  cmd->add_option("--source", o->source, "label that resumes this import (default: file name)");
  cmd->add_option("--encoding", o->encoding, "utf-8|gb18030 (default: detect)");
  cmd->add_flag("--again", o->again,
                "import content already imported (wholly or in part) under another --source");
  cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return ImportCommand(ctx, *o); }; });
}

}  // namespace vledger::cli
