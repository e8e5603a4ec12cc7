// What a template workbook holds (template.cc) and the writer of its sheets
// (template_sheets.cc, the one user of libxlsxwriter). Not part of the
// application layer's interface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/status.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"

namespace vledger::app {

// What a column's cells hold: their number format and validation.
enum class CellKind {
  kId,        // ids and codes: text, so 001 stays 001
  kName,      // names: text
  kText,      // free text: text, a wide column
  kPoints,    // whole points: any whole number for a rule, ≥ 1 elsewhere
  kQuantity,  // whole number ≥ 1
  kYear,      // a birth year: 1900..2200
  kAmount,    // yuan: a number > 0, shown with two decimals
  kDate,      // a date (1970-01-01..2200-12-31), shown yyyy-mm-dd
  kFlag,      // 是/否
};

// The drop-down list of a column: the ledger's words it offers.
enum class ListKind {
  kNone,
  kVillage,     // the village's code
  kResidents,   // its active residents' ids
  kHouseholds,  // its households' ids
  kPayees,      // residents' ids, then households' ids
  kRules,       // the codes of the rules that apply there, not retired
  kCategories,  // the categories of those rules
  kFunds,       // the village's and the county's funds
  kPurposes,    // the purposes those funds held
  kShops,       // the shops the village's points were redeemed at
};

struct ColumnSpec {
  std::string_view column;  // the import's (English) column name
  CellKind cell;
  ListKind list;
  const char* help;  // what the column means, in Chinese
};

struct SheetSpec {
  std::string_view kind;  // --kind of the import
  const char* sheet;      // the import sheet's name
  const char* title;      // what its rows record
  std::vector<ColumnSpec> columns;
};

// The template of `kind`, or null.
const SheetSpec* TemplateSheet(std::string_view kind);
// Whether the import requires `column` of `kind`.
bool TemplateColumnRequired(std::string_view kind, std::string_view column);

struct TemplateResident {
  std::string id, name, household;
};
struct TemplateHousehold {
  std::string id, head, head_resident;
};
struct TemplateFund {
  std::string code, name;
  std::vector<std::string> purposes;
};

// The ledger's words the sheet's lists offer (only those its kind uses).
struct TemplateLists {
  VillageRecord village;
  std::vector<TemplateResident> residents;
  std::vector<TemplateHousehold> households;
  std::vector<RuleRecord> rules;
  std::vector<std::string> categories;
  std::vector<TemplateFund> funds;
  std::vector<std::string> purposes;
  std::vector<std::string> shops;
  uint64_t size = 0;           // the ledger's size they were read at
  int64_t recorded_at_ms = 0;  // the recordedAt of its last event
  size_t list_entries_max = 0;
};

// The workbook's bytes. libxlsxwriter writes it to `out` + ".xlsxwriter"
// (removed again), so that its temporary files stay beside the output.
// The import columns whose list had more than list_entries_max entries are
// added to `left_out` (their drop-down is left out).
Result<std::string> WriteTemplateWorkbook(const SheetSpec& sheet, const TemplateLists& lists,
                                          const std::string& out,
                                          std::vector<std::string>* left_out);

}  // namespace vledger::app
