#include "vledger/csv.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>

namespace vledger {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

uint64_t LineAt(std::string_view bytes, size_t offset) {
  return 1 + static_cast<uint64_t>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

// Offset of the first byte that is not valid UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<uint8_t>(s[i]);
    size_t len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
    for (size_t k = 1; k < len; k++) {
      auto c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xc0) != 0x80) return i;
      cp = cp << 6 | (c & 0x3f);
    }
    static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return std::string_view::npos;
}

Result<std::string> FromGb18030(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return Status::Internal("iconv: GB18030 is not available");
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    if (rc != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {  // cannot happen with 2x room, but stay correct
      size_t used = static_cast<size_t>(out_ptr - out.data());
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    size_t offset = bytes.size() - in_left;
    iconv_close(cd);
    return Status::Rejected("line " + std::to_string(LineAt(bytes, offset)) +
                            ": the file is neither UTF-8 nor GB18030 (use --encoding)");
  }
  iconv_close(cd);
  out.resize(static_cast<size_t>(out_ptr - out.data()));
  return out;
}

}  // namespace

Result<std::string> DecodeCsvText(std::string_view bytes, std::string_view encoding) {
  if (encoding == "gb18030" || encoding == "GB18030") return FromGb18030(bytes);
  bool bom = bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom;
  if (bom) bytes.remove_prefix(kUtf8Bom.size());
  size_t bad = FirstInvalidUtf8(bytes);
  if (bad == std::string_view::npos) return std::string(bytes);
  if (bom || encoding == "utf-8" || encoding == "UTF-8") {
    return Status::Rejected("line " + std::to_string(LineAt(bytes, bad)) + ": invalid UTF-8");
  }
  if (!encoding.empty()) {
    return Status::Rejected("--encoding: \"" + std::string(encoding) + "\" is not utf-8 or gb18030");
  }
  return FromGb18030(bytes);
}

Result<CsvTable> ParseCsv(std::string_view text) {
  CsvTable table;
  uint64_t line = 1;
  size_t i = 0;
  bool have_header = false;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    size_t start = i;
    std::string cell;
    bool in_quotes = false, quoted = false, end = false;
    while (!end) {
      if (i - start > kCsvRecordBytesMax) {
        return Status::Rejected("line " + std::to_string(rec.line) + ": record longer than " +
                                std::to_string(kCsvRecordBytesMax) + " bytes");
      }
      if (i >= text.size()) {
        if (in_quotes) {
          return Status::Rejected("line " + std::to_string(rec.line) + ": unterminated quoted cell");
        }
        end = true;
        break;
      }
      char c = text[i++];
      if (in_quotes) {
        if (c == '"') {
          if (i < text.size() && text[i] == '"') {
            cell += '"';
            i++;
          } else {
            in_quotes = false;
          }
        } else {
          if (c == '\n') line++;
          cell += c;
        }
        continue;
      }
      if (c == '"') {
        if (!cell.empty() || quoted) {
          return Status::Rejected("line " + std::to_string(line) + ": stray quote in a cell");
        }
        in_quotes = quoted = true;
      } else if (c == ',') {
        rec.cells.push_back(std::move(cell));
        cell.clear();
        quoted = false;
      } else if (c == '\r' && i < text.size() && text[i] == '\n') {
        continue;  // CRLF: the LF ends the record
      } else if (c == '\n') {
        line++;
        end = true;
      } else {
        if (quoted) {
          return Status::Rejected("line " + std::to_string(line) + ": text after a closing quote");
        }
        cell += c;
      }
      if (rec.cells.size() >= kCsvCellsMax) {  // plus the cell being read
        return Status::Rejected("line " + std::to_string(rec.line) + ": more than " +
                                std::to_string(kCsvCellsMax) + " cells");
      }
    }
    rec.cells.push_back(std::move(cell));
    bool blank = rec.cells.size() == 1 && rec.cells[0].empty() && !quoted;
    if (blank) continue;
    if (!have_header) {
      table.header = std::move(rec.cells);
      have_header = true;
      continue;
    }
    if (rec.cells.size() != table.header.size()) {
      return Status::Rejected("line " + std::to_string(rec.line) + ": " +
                              std::to_string(rec.cells.size()) + " cells, but the header has " +
                              std::to_string(table.header.size()));
    }
    if (table.rows.size() >= kCsvRowsMax) {
      return Status::Rejected("line " + std::to_string(rec.line) + ": more than " +
                              std::to_string(kCsvRowsMax) + " rows");
    }
    table.rows.push_back(std::move(rec));
  }
  if (!have_header) return Status::Rejected("line 1: the file has no header row");
  return table;
}

}  // namespace vledger
