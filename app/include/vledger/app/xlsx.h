// Reading an .xlsx workbook (Office Open XML, as Excel, WPS and
// LibreOffice save it) into the rows an import takes (SPEC section 9): the
// same header and records the CSV reader gives (projections/csv.h), each
// record's line being the sheet's row number.
//
// A cell's text is what the sheet shows of its value, in the forms import
// accepts: shared and inline strings as written; a number as its shortest
// decimal text at Excel's 15 significant digits (so a sum saved as
// 0.30000000000000004 reads 0.3), or, in a cell formatted as a date, the
// date YYYY-MM-DD of its serial (the 1900 date system with its fictitious
// 1900-02-29, or the 1904 system when the workbook says so); a boolean as
// TRUE or FALSE; a formula cell its saved value. Cells are placed by their
// references (gaps are empty cells); rows without a value are skipped, as
// blank lines of a CSV file are; the first row with a value is the header.
//
// Everything read is bounded (the constants below), so a workbook made to
// expand (a zip bomb, a billion shared strings) is refused, not followed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vledger/ledger/status.h"
#include "vledger/projections/csv.h"

namespace vledger::app {

// Uncompressed bytes read from one part of the workbook (a sheet, the
// shared strings, the styles).
inline constexpr uint64_t kXlsxPartBytesMax = uint64_t{256} << 20;
// Bytes of one cell's or shared string's text.
inline constexpr size_t kXlsxStringBytesMax = 64 * 1024;
// Shared strings of a workbook.
inline constexpr uint64_t kXlsxSharedStringsMax = 2'000'000;
// Bytes of all the cell text of the sheet kept for the import.
inline constexpr uint64_t kXlsxTextBytesMax = uint64_t{256} << 20;
// Columns (A to BL) and rows a sheet's cells with a value may be in; the
// rows are Excel's own bound.
inline constexpr size_t kXlsxColumnsMax = kCsvCellsMax;
inline constexpr uint64_t kXlsxRowsMax = 1'048'576;

// Whether `bytes` start as a zip archive does (an .xlsx workbook is one).
bool LooksLikeZip(std::string_view bytes);

// The sheet named `sheet` ("": the first sheet) of the workbook `bytes`.
// Refusals (InvalidInput, exit 3), each naming `file_name` or the cell
// (`Sheet1!C7`): not a workbook (not a zip, no workbook part, a part that
// is not well-formed XML, a bound passed); no sheet of that name (NotFound,
// listing the sheets); a formula cell without a saved value; a cell holding
// an error value (#DIV/0! …); a value right of the header's last column.
Result<CsvTable> ReadXlsxSheet(std::string_view bytes, std::string_view file_name,
                               std::string_view sheet);

// The date of an Excel serial day number (its fraction, a time of day,
// dropped): "YYYY-MM-DD". In the 1900 system 1 is 1900-01-01 and 60 the
// day Excel counts as 1900-02-29, which does not exist (nullopt); in the
// 1904 system 0 is 1904-01-01. nullopt below those or after 9999-12-31.
std::optional<std::string> ExcelSerialDate(double serial, bool date1904);

// The text a number cell shows: `raw` (the saved value, e.g. "1000.5",
// "0.30000000000000004", "4.4475E4") at 15 significant digits, with no
// exponent and no trailing zeros; `raw` itself when it is not a number.
std::string ExcelNumberText(std::string_view raw);

}  // namespace vledger::app
