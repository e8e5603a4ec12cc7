#include "vledger/projections/csv.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <optional>

namespace vledger {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Whether s[i] ends a physical line: LF, or a CR not followed by LF (the
// CR of a CRLF does not; old Mac Excel ends lines with a CR alone).
bool EndsLine(std::string_view s, size_t i) {
  return s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'));
}

uint64_t LineAt(std::string_view bytes, size_t offset) {
  uint64_t line = 1;
  for (size_t i = 0; i < offset; i++) line += EndsLine(bytes, i) ? 1 : 0;
  return line;
}

// The code point of valid UTF-8 starting at s[i] and its length in bytes;
// length 0 when the bytes there are not valid UTF-8.
struct CodePoint {
  uint32_t value = 0;
  size_t bytes = 0;
};

CodePoint NextUtf8(std::string_view s, size_t i) {
  auto b = static_cast<uint8_t>(s[i]);
  size_t len = b < 0x80             ? 1
               : (b & 0xe0) == 0xc0 ? 2
               : (b & 0xf0) == 0xe0 ? 3
               : (b & 0xf8) == 0xf0 ? 4
                                    : 0;
  if (len == 0 || i + len > s.size()) return {};
  uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
  for (size_t k = 1; k < len; k++) {
    auto c = static_cast<uint8_t>(s[i + k]);
    if ((c & 0xc0) != 0x80) return {};
    cp = cp << 6 | (c & 0x3f);
  }
  static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return {};
  return {cp, len};
}

// Offset of the first byte that is not valid UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t len = NextUtf8(s, i).bytes;
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

// What Chinese text in an import file is made of besides ASCII: CJK
// ideographs, CJK and full-width punctuation, common punctuation, and the
// tone-marked vowels of pinyin.
bool IsChineseTextChar(uint32_t cp) {
  static constexpr std::string_view kPinyin = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ";
  if (cp < 0x80) return true;
  if (cp == 0xb7) return true;  // the middle dot of 阿卜杜·克里木
  if ((cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x203b)) return true;
  if ((cp >= 0x2160 && cp <= 0x217f) || (cp >= 0x2460 && cp <= 0x24ff)) return true;  // Ⅳ ①
  if (cp >= 0x3000 && cp <= 0x303f) return true;    // CJK symbols and punctuation
  if (cp >= 0x3400 && cp <= 0x4dbf) return true;    // CJK extension A
  if (cp >= 0x4e00 && cp <= 0x9fff) return true;    // CJK unified ideographs
  if (cp >= 0xf900 && cp <= 0xfaff) return true;    // CJK compatibility ideographs
  if (cp >= 0xfe30 && cp <= 0xfe4f) return true;    // CJK compatibility forms
  if (cp >= 0xff00 && cp <= 0xffef) return true;    // full-width forms
  if (cp >= 0x20000 && cp <= 0x3134f) return true;  // CJK extensions B-G
  for (size_t i = 0; i < kPinyin.size();) {
    CodePoint p = NextUtf8(kPinyin, i);
    if (p.value == cp) return true;
    i += p.bytes;
  }
  return false;
}

// Whether every character of valid UTF-8 `s` is one of Chinese text.
bool IsChineseText(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    CodePoint p = NextUtf8(s, i);
    if (!IsChineseTextChar(p.value)) return false;
    i += p.bytes;
  }
  return true;
}

// Converts GB18030 to UTF-8; nullopt at the offset of the first byte
// that is not GB18030 (stored in `*bad`).
class Gb18030 {
 public:
  Gb18030() : cd_(iconv_open("UTF-8", "GB18030")) {}
  ~Gb18030() {
    if (ok()) iconv_close(cd_);
  }
  Gb18030(const Gb18030&) = delete;
  Gb18030& operator=(const Gb18030&) = delete;

  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  std::optional<std::string> Decode(std::string_view bytes, size_t* bad) {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // initial state
    std::string out(bytes.size() * 2 + 16, '\0');
    char* in_ptr = const_cast<char*>(bytes.data());
    size_t in_left = bytes.size();
    char* out_ptr = out.data();
    size_t out_left = out.size();
    while (in_left > 0) {
      size_t rc = iconv(cd_, &in_ptr, &in_left, &out_ptr, &out_left);
      if (rc != static_cast<size_t>(-1)) continue;
      if (errno == E2BIG) {  // cannot happen with 2x room, but stay correct
        size_t used = static_cast<size_t>(out_ptr - out.data());
        out.resize(out.size() * 2);
        out_ptr = out.data() + used;
        out_left = out.size() - used;
        continue;
      }
      *bad = bytes.size() - in_left;
      return std::nullopt;
    }
    out.resize(static_cast<size_t>(out_ptr - out.data()));
    return out;
  }

 private:
  iconv_t cd_;
};

Status NeitherEncoding(uint64_t line) {
  return Status::InvalidInput(
      Msg("line {}: the file is neither UTF-8 nor GB18030: in Excel choose Save As, \"CSV UTF-8 "
          "(Comma delimited)\" or an .xlsx workbook, and import that file",
          line));
}

Result<std::string> FromGb18030(std::string_view bytes) {
  Gb18030 gb;
  if (!gb.ok()) return Status::Internal("iconv: GB18030 is not available");
  size_t bad = 0;
  std::optional<std::string> out = gb.Decode(bytes, &bad);
  if (!out) return NeitherEncoding(LineAt(bytes, bad));
  return std::move(*out);
}

// The first line of each encoding met in an import file (0: none).
// Judged line by line, by what a line decodes to: byte pairs of GB18030
// are often valid UTF-8 by accident (志 is D6 BE, which is U+05BE in
// UTF-8), so a line that is valid UTF-8 but is not Chinese text there,
// while as GB18030 it is, is a GB18030 line.
struct LineEncodings {
  uint64_t utf8 = 0;        // valid UTF-8 with a character past ASCII
  uint64_t not_utf8 = 0;    // not valid UTF-8: GB18030 (or neither)
  uint64_t gb_by_text = 0;  // valid UTF-8 too, but Chinese text only as GB18030
};

Result<LineEncodings> JudgeLines(std::string_view bytes) {
  Gb18030 gb;
  if (!gb.ok()) return Status::Internal("iconv: GB18030 is not available");
  LineEncodings found;
  uint64_t line = 1;
  size_t start = 0;
  for (size_t i = 0; i <= bytes.size(); i++) {
    if (i < bytes.size() && !EndsLine(bytes, i)) continue;
    std::string_view text = bytes.substr(start, i - start);
    start = i + 1;
    uint64_t here = line++;
    if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) continue;
    size_t bad = 0;
    if (FirstInvalidUtf8(text) != std::string_view::npos) {
      if (!gb.Decode(text, &bad)) return NeitherEncoding(here);
      if (found.not_utf8 == 0) found.not_utf8 = here;
      continue;
    }
    bool is_gb = false;
    if (!IsChineseText(text)) {
      std::optional<std::string> as_gb = gb.Decode(text, &bad);
      is_gb = as_gb && IsChineseText(*as_gb);
    }
    uint64_t& first = is_gb ? found.gb_by_text : found.utf8;
    if (first == 0) first = here;
  }
  return found;
}

}  // namespace

Result<std::string> DecodeCsvText(std::string_view bytes, std::string_view encoding) {
  if (encoding == "gb18030" || encoding == "GB18030") return FromGb18030(bytes);
  bool bom = bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom;
  if (bom) bytes.remove_prefix(kUtf8Bom.size());
  bool forced_utf8 = encoding == "utf-8" || encoding == "UTF-8";
  if (!encoding.empty() && !forced_utf8) {
    return Status::InvalidInput("--encoding",
                                Msg("\"{}\" is not utf-8 or gb18030", std::string(encoding)));
  }
  size_t bad = FirstInvalidUtf8(bytes);
  if (forced_utf8) {
    if (bad == std::string_view::npos) return std::string(bytes);
    return Status::InvalidInput(Msg("line {}: invalid UTF-8", LineAt(bytes, bad)));
  }
  VLEDGER_ASSIGN_OR_RETURN(LineEncodings found, JudgeLines(bytes));
  if (found.utf8 != 0 && found.not_utf8 != 0) {
    uint64_t gb_line =
        found.gb_by_text != 0 ? std::min(found.not_utf8, found.gb_by_text) : found.not_utf8;
    return Status::InvalidInput(
        Msg("mixed encodings: line {} is UTF-8, line {} is GB18030; save the file again as \"CSV "
            "UTF-8\"",
            found.utf8, gb_line));
  }
  if (bom) {  // a BOM promises UTF-8
    if (bad == std::string_view::npos) return std::string(bytes);
    return Status::InvalidInput(Msg("line {}: invalid UTF-8", LineAt(bytes, bad)));
  }
  // A file that is valid UTF-8 throughout is UTF-8 if one of its lines is
  // Chinese text in UTF-8; otherwise its GB18030 lines make it GB18030.
  if (found.not_utf8 != 0 || (found.utf8 == 0 && found.gb_by_text != 0)) {
    return FromGb18030(bytes);
  }
  return std::string(bytes);
}

Result<CsvTable> ParseCsv(std::string_view text) {
  CsvTable table;
  uint64_t line = 1;
  size_t i = 0;
  bool have_header = false;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    rec.cells.reserve(table.header.size());
    size_t start = i;
    std::string cell;
    bool in_quotes = false, quoted = false, end = false;
    while (!end) {
      if (i - start > kCsvRecordBytesMax) {
        return Status::InvalidInput(
            Msg("line {}: record longer than {} bytes", rec.line, kCsvRecordBytesMax));
      }
      if (i >= text.size()) {
        if (in_quotes) {
          return Status::InvalidInput(Msg("line {}: unterminated quoted cell", rec.line));
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
          if (EndsLine(text, i - 1)) line++;
          cell += c;
        }
        continue;
      }
      if (c == '"') {
        if (!cell.empty() || quoted) {
          return Status::InvalidInput(Msg("line {}: stray quote in a cell", line));
        }
        in_quotes = quoted = true;
      } else if (c == ',') {
        rec.cells.push_back(std::move(cell));
        cell.clear();
        quoted = false;
      } else if (c == '\r' && i < text.size() && text[i] == '\n') {
        continue;  // CRLF: the LF ends the record
      } else if (c == '\n' || c == '\r') {
        // LF, or a CR alone (old Mac Excel)
        line++;
        end = true;
      } else {
        if (quoted) {
          return Status::InvalidInput(Msg("line {}: text after a closing quote", line));
        }
        // The rest of the cell's plain text at once, up to the record's
        // bound (checked above on the next turn).
        size_t from = i - 1;
        size_t limit = std::min(text.size(), start + kCsvRecordBytesMax + 1);
        while (i < limit && text[i] != '"' && text[i] != ',' && text[i] != '\r' &&
               text[i] != '\n') {
          i++;
        }
        cell.append(text.substr(from, i - from));
      }
      if (rec.cells.size() >= kCsvCellsMax) {  // plus the cell being read
        return Status::InvalidInput(Msg("line {}: more than {} cells", rec.line, kCsvCellsMax));
      }
    }
    rec.cells.push_back(std::move(cell));
    bool blank = rec.cells.size() == 1 && rec.cells[0].empty() && !quoted;
    if (blank) continue;
    if (!have_header) {
      table.header = std::move(rec.cells);
      table.header_line = rec.line;
      have_header = true;
      // A record a line, mostly: room for them, so they are not moved.
      size_t lines = static_cast<size_t>(std::count(text.begin() + i, text.end(), '\n'));
      table.rows.reserve(std::min<size_t>(lines + 1, kCsvRowsMax));
      continue;
    }
    // Empty cells right of the header's last column (a column Excel once
    // used) are no cells.
    while (rec.cells.size() > table.header.size() && rec.cells.back().empty()) {
      rec.cells.pop_back();
    }
    if (rec.cells.size() != table.header.size()) {
      return Status::InvalidInput(Msg("line {}: {} cells, but the header has {}", rec.line,
                                      rec.cells.size(), table.header.size()));
    }
    if (table.rows.size() >= kCsvRowsMax) {
      return Status::InvalidInput(Msg("line {}: more than {} rows", rec.line, kCsvRowsMax));
    }
    table.rows.push_back(std::move(rec));
  }
  if (!have_header) return Status::InvalidInput("line 1: the file has no header row");
  return table;
}

}  // namespace vledger
