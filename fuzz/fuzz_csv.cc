// Import files: DecodeCsvText (encoding detection, GB18030) and ParseCsv
// never crash; what they accept stays within the CSV bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "vledger/projections/csv.h"

namespace {

void CheckTable(const vledger::CsvTable& table) {
  FUZZ_CHECK(table.header.size() <= vledger::kCsvCellsMax);
  FUZZ_CHECK(table.rows.size() <= vledger::kCsvRowsMax);
  uint64_t line = 1;
  for (const auto& row : table.rows) {
    FUZZ_CHECK(row.line > line);  // records start after the header, in order
    FUZZ_CHECK(row.cells.size() <= table.header.size());
    line = row.line;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto raw = vledger::ParseCsv(bytes);
  if (raw.ok()) CheckTable(*raw);
  for (std::string_view encoding : {"", "utf-8", "gb18030"}) {
    auto text = vledger::DecodeCsvText(bytes, encoding);
    if (!text.ok()) continue;
    auto table = vledger::ParseCsv(*text);
    if (table.ok()) CheckTable(*table);
  }
  return 0;
}
