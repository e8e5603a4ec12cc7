// CSV import files (SPEC section 9): RFC 4180 with a header row, LF, CRLF
// or CR line ends (a CR alone is what old Mac Excel writes), blank lines
// skipped; UTF-8 (with or without BOM) or GB18030, which is what Chinese
// Excel writes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/status.h"

namespace vledger {

inline constexpr size_t kCsvRecordBytesMax = 64 * 1024;  // one record, quotes included
inline constexpr size_t kCsvCellsMax = 64;
inline constexpr size_t kCsvRowsMax = 10'000'000;

// Text of an import file as UTF-8. `encoding` is "utf-8" or "gb18030"
// (the whole file in that encoding), or "" to detect, line by line: a line
// that is not valid UTF-8 is GB18030; a valid UTF-8 line is UTF-8 unless
// it is Chinese text only when read as GB18030 (GB18030 byte pairs are
// often valid UTF-8 by accident). A file with both a non-ASCII UTF-8 line
// and a line that is not UTF-8 is rejected as mixed, naming one of each.
// A UTF-8 BOM means UTF-8; so does a file that is valid UTF-8 throughout
// with a line of Chinese in UTF-8. InvalidInput naming the line that fails.
Result<std::string> DecodeCsvText(std::string_view bytes, std::string_view encoding);

struct CsvRecord {
  uint64_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> cells;
};

struct CsvTable {
  std::vector<std::string> header;
  uint64_t header_line = 1;  // the line (an xlsx sheet's row) of the header
  std::vector<CsvRecord> rows;
};

// Parses UTF-8 CSV text. InvalidInput with "line N: …" on an unterminated
// quote, a stray quote, a record wider than the header, or a bound passed.
Result<CsvTable> ParseCsv(std::string_view text);

}  // namespace vledger
