// `vledger template KIND --village V --out F.xlsx` (SPEC section 12,
// "Excel"): an Excel workbook for one import kind that a clerk fills in
// and imports as it is.
//
// The workbook's first sheet is the import sheet: one header row of the
// kind's canonical Chinese headings (README, "Chinese column headings"),
// then empty rows whose columns carry a format (text for ids and codes, so
// 001 stays 001; a date format for dates; amounts with two decimals) and a
// data validation: a drop-down list of the village's residents, rules,
// households, funds or purposes where the column names one, whole numbers,
// dates or amounts elsewhere, with a short input message. The lists come
// from a hidden sheet (下拉数据) through defined names (ResidentIds,
// RuleCodes, …), which Excel, WPS and LibreOffice all accept and which has
// no length bound (an inline list is at most 255 characters). Visible
// helper sheets list what the ids mean: 村民名单 (id, name, household),
// 户名单, 规则表, 基金表; then 填写说明 explains every column and the
// accepted forms of dates and amounts.
//
// The workbook holds residents' names: it is personal data, for the
// clerk's own use. Its bytes depend only on the ledger and the request:
// libxlsxwriter stamps every zip entry 1980-01-01, and the document's
// creation time is the recordedAt of the ledger's last event (it would
// otherwise be the current time).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vledger/app/session.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// Excel's drop-down shows at most 32,767 entries of a list. A list longer
// than this is left out of the validation (the helper sheet still lists
// every entry; the result names the column).
inline constexpr size_t kTemplateListEntriesMax = 32'767;

struct TemplateRequest {
  std::string kind;     // one of ImportKindNames(); another: invalid input ("KIND")
  std::string village;  // --village: unknown is not found ("--village")
  std::string out;      // --out: the workbook to write (atomically)
  // The bound of a drop-down list (tests lower it).
  size_t list_entries_max = kTemplateListEntriesMax;
};

struct TemplateResult {
  std::string out, kind, village;
  uint64_t size = 0;        // the ledger's size the lists were read at
  uint64_t bytes = 0;       // of the workbook
  std::string sha256;       // of the workbook, hex
  uint64_t residents = 0;   // residents listed (their names are in it)
  uint64_t households = 0;  // households listed (their heads' names are in it)
  uint64_t rules = 0;       // rules listed
  uint64_t funds = 0;       // funds listed
  // Import columns (English names) whose drop-down list was left out: it
  // had more than list_entries_max entries.
  std::vector<std::string> lists_left_out;
};

Result<TemplateResult> Template(const Session& session, const TemplateRequest& request);
// {"out":…,"kind":…,"village":…,"size":…,"bytes":…,"sha256":…,
// "residents":…,"households":…,"rules":…,"funds":…,"listsLeftOut":[…]}
std::string TemplateJson(const TemplateResult& result);

// The import columns (English names) the template of `kind` writes, in
// the import's order: every required one and the optional ones a clerk
// fills in (not `adult`, `request_id`). Empty for an unknown kind.
std::vector<std::string> TemplateColumns(const std::string& kind);

// The canonical Chinese heading of an import column of `kind` ("awards",
// "resident" → "村民"); "" when the column has none.
std::string TemplateHeading(const std::string& kind, const std::string& column);

}  // namespace vledger::app
