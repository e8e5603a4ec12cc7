// The table of an import file (import.cc's helpers; not part of the
// application layer's interface): an .xlsx workbook's sheet or CSV text
// read into one header and its records, cells trimmed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vledger/app/import.h"
#include "vledger/ledger/status.h"
#include "vledger/projections/csv.h"

namespace vledger::app {

// The file's table: an .xlsx workbook's sheet (by content, a zip archive,
// or by the name .xlsx; `request.sheet`), or CSV text in
// `request.encoding`. An old .xls workbook (OLE2) and UTF-16 text are
// refused saying how to save the file instead.
Result<CsvTable> ReadImportTable(const ImportRequest& request, std::string_view bytes);

// Cells trimmed (TrimCell), and columns without a heading and without a
// value dropped (Excel's CSV keeps the empty columns it once used). A value
// under an empty heading is refused. `untrimmed` gets, by row index, the
// cells as written of each row that trimming changed.
Status TidyTable(CsvTable& table, std::unordered_map<size_t, std::vector<std::string>>* untrimmed);

}  // namespace vledger::app
