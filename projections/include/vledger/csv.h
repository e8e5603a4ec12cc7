// CSV import files (SPEC section 9): RFC 4180 with a header row, LF or
// CRLF line ends, blank lines skipped; UTF-8 (with or without BOM) or
// GB18030, which is what Chinese Excel writes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/status.h"

namespace vledger {

inline constexpr size_t kCsvRecordBytesMax = 64 * 1024;  // one record, quotes included
inline constexpr size_t kCsvCellsMax = 64;
inline constexpr size_t kCsvRowsMax = 10'000'000;

// Text of an import file as UTF-8. `encoding` is "" (detect: a UTF-8 BOM
// means UTF-8; else UTF-8 if the whole file decodes as UTF-8; else strict
// GB18030), "utf-8" or "gb18030". Rejected naming the line that fails.
Result<std::string> DecodeCsvText(std::string_view bytes, std::string_view encoding);

struct CsvRecord {
  uint64_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> cells;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRecord> rows;
};

// Parses UTF-8 CSV text. Rejected with "line N: …" on an unterminated
// quote, a stray quote, a record wider than the header, or a bound passed.
Result<CsvTable> ParseCsv(std::string_view text);

}  // namespace vledger
