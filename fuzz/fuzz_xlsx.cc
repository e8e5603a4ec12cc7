// .xlsx workbooks: ReadXlsxSheet never crashes on any bytes; what it
// accepts stays within the xlsx bounds, and the date and number helpers
// always answer. Seeds: fuzz/corpus/fuzz_xlsx (workbooks of
// tests/data/import).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "fuzz_check.h"
#include "vledger/app/import_cells.h"
#include "vledger/app/xlsx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto table = vledger::app::ReadXlsxSheet(bytes, "fuzz.xlsx", "");
  if (table.ok()) {
    FUZZ_CHECK(table->header.size() <= vledger::app::kXlsxColumnsMax);
    uint64_t line = table->header_line;
    for (const auto& row : table->rows) {
      FUZZ_CHECK(row.line > line);
      FUZZ_CHECK(row.line <= vledger::app::kXlsxRowsMax);
      FUZZ_CHECK(row.cells.size() == table->header.size());
      line = row.line;
    }
  }
  // The bytes as a cell's text.
  std::string_view cell = bytes.substr(0, 64);
  (void)vledger::app::ExcelNumberText(cell);
  (void)vledger::app::ParseImportDate("date", cell);
  (void)vledger::app::ParseImportAmount("amount", cell);
  (void)vledger::app::NormalizePoints(cell);
  if (size >= sizeof(double)) {
    double serial = 0;
    std::memcpy(&serial, data, sizeof serial);
    (void)vledger::app::ExcelSerialDate(serial, size % 2 == 0);
  }
  return 0;
}
