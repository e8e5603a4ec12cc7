// The table of an import file (import_table.h).
#include "import_table.h"

#include "vledger/app/import_cells.h"
#include "vledger/app/xlsx.h"

namespace vledger::app {
namespace {

bool EndsWithLower(std::string_view s, std::string_view tail) {
  if (s.size() < tail.size()) return false;
  for (size_t i = 0; i < tail.size(); i++) {
    char c = s[s.size() - tail.size() + i];
    if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != tail[i]) return false;
  }
  return true;
}

}  // namespace

// The file's table: an .xlsx workbook's sheet, or CSV text. Files import
// cannot read (an old .xls workbook, UTF-16 text) are refused saying how to
// save them instead.
Result<CsvTable> ReadImportTable(const ImportRequest& request, std::string_view bytes) {
  if (bytes.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
    return Status::InvalidInput(
        "FILE", Msg("\"{}\" is an old Excel .xls workbook, which import does not read: in Excel "
                    "choose Save As, \"CSV UTF-8 (Comma delimited)\" or an .xlsx workbook, and "
                    "import that file",
                    request.file));
  }
  bool utf16 = bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF" ||
               (!LooksLikeZip(bytes) && bytes.substr(0, 4096).find('\0') != std::string_view::npos);
  if (utf16) {
    return Status::InvalidInput(
        "FILE", Msg("\"{}\" is UTF-16 text, which import does not read: in Excel choose Save "
                    "As, \"CSV UTF-8 (Comma delimited)\" or an .xlsx workbook, and import that "
                    "file",
                    request.file));
  }
  if (LooksLikeZip(bytes) || EndsWithLower(request.file, ".xlsx")) {
    if (!request.encoding.empty()) {
      return Status::InvalidInput("--encoding", "is for CSV files; an .xlsx workbook is Unicode");
    }
    return ReadXlsxSheet(bytes, request.file, request.sheet);
  }
  if (!request.sheet.empty()) {
    return Status::InvalidInput("--sheet",
                                Msg("is for .xlsx workbooks; \"{}\" is a CSV file", request.file));
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string text, DecodeCsvText(bytes, request.encoding));
  return ParseCsv(text);
}

// Cells trimmed (TrimCell), and columns without a heading and without a
// value dropped (Excel's CSV keeps the empty columns it once used). A value
// under an empty heading is refused. `untrimmed` gets, by row index, the
// cells as written of each row that trimming changed.
Status TidyTable(CsvTable& table, std::unordered_map<size_t, std::vector<std::string>>* untrimmed) {
  for (std::string& h : table.header) h = TrimCell(h);
  for (size_t r = 0; r < table.rows.size(); r++) {
    std::vector<std::string>& cells = table.rows[r].cells;
    for (size_t i = 0; i < cells.size(); i++) {
      std::string_view trimmed = TrimCellView(cells[i]);
      if (trimmed.size() == cells[i].size()) continue;
      auto [it, fresh] = untrimmed->try_emplace(r);
      if (fresh) it->second = cells;
      cells[i] = std::string(trimmed);
    }
  }
  std::vector<size_t> keep;
  for (size_t i = 0; i < table.header.size(); i++) {
    if (!table.header[i].empty()) {
      keep.push_back(i);
      continue;
    }
    for (const CsvRecord& rec : table.rows) {
      if (i < rec.cells.size() && !rec.cells[i].empty()) {
        return Status::InvalidInput(
                   Msg("column {} holds \"{}\" but has no heading", i + 1, rec.cells[i]))
            .WithRow(rec.line);
      }
    }
  }
  if (keep.size() == table.header.size()) return Status::Ok();
  auto project = [&](std::vector<std::string>& cells) {
    std::vector<std::string> out;
    out.reserve(keep.size());
    for (size_t i : keep) out.push_back(i < cells.size() ? std::move(cells[i]) : std::string());
    cells = std::move(out);
  };
  project(table.header);
  for (CsvRecord& rec : table.rows) project(rec.cells);
  for (auto& [r, cells] : *untrimmed) project(cells);
  return Status::Ok();
}

}  // namespace vledger::app
