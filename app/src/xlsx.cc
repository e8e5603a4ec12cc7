// The .xlsx reader (xlsx.h): the workbook's parts (xlsx_package.h) read
// into the sheet's table, every size bounded.
#include "vledger/app/xlsx.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "vledger/app/import_cells.h"
#include "xlsx_package.h"

namespace vledger::app {
namespace {

// ------------------------------------------------------------ the parts

// The folder of a part ("xl/workbook.xml" → "xl/").
std::string FolderOf(const std::string& part) {
  size_t slash = part.rfind('/');
  return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

// A relationship's target as a part name: absolute ("/xl/…") or relative
// to `folder`, with "." and ".." resolved.
std::string ResolveTarget(const std::string& folder, std::string_view target) {
  std::string path = !target.empty() && target[0] == '/' ? std::string(target.substr(1))
                                                         : folder + std::string(target);
  std::vector<std::string> parts;
  size_t from = 0;
  while (from <= path.size()) {
    size_t slash = path.find('/', from);
    if (slash == std::string::npos) slash = path.size();
    std::string piece = path.substr(from, slash - from);
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!piece.empty() && piece != ".") {
      parts.push_back(piece);
    }
    from = slash + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Relationship {
  std::string type, target;
};

class RelsHandler : public XmlHandler {
 public:
  void Start(std::string_view name, const char** atts) override {
    if (name != "Relationship") return;
    const char* id = Attr(atts, "Id");
    const char* type = Attr(atts, "Type");
    const char* target = Attr(atts, "Target");
    if (id != nullptr && target != nullptr) {
      rels[id] = Relationship{type == nullptr ? "" : type, target};
    }
  }
  std::map<std::string, Relationship> rels;
};

// The relationships of `part` (its _rels/…rels), empty when it has none.
Result<std::map<std::string, Relationship>> Relationships(const XlsxPackage& book,
                                                          const std::string& part) {
  std::string folder = FolderOf(part);
  std::string rels_part = folder + "_rels/" + part.substr(folder.size()) + ".rels";
  RelsHandler handler;
  if (book.Has(rels_part)) VLEDGER_TRY(book.Parse(rels_part, handler));
  return std::move(handler.rels);
}

struct SheetEntry {
  std::string name, rel_id;
};

class WorkbookHandler : public XmlHandler {
 public:
  void Start(std::string_view name, const char** atts) override {
    if (name == "sheet") {
      const char* sheet = Attr(atts, "name");
      const char* id = Attr(atts, "id", true);
      if (sheet != nullptr && id != nullptr) sheets.push_back(SheetEntry{sheet, id});
    } else if (name == "workbookPr") {
      const char* v = Attr(atts, "date1904");
      date1904 = v != nullptr && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    }
  }
  std::vector<SheetEntry> sheets;
  bool date1904 = false;
};

// Number formats Excel builds in that show a date or time.
bool BuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

// Whether a format code shows a date or time: a y, m, d, h or s outside
// quoted text, escapes and [brackets] (colours, locales, elapsed time).
bool DateFormatCode(std::string_view code) {
  for (size_t i = 0; i < code.size(); i++) {
    char c = code[i];
    if (c == '"') {
      size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      i++;
    } else if (c == '[') {
      size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else {
      char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (std::strchr("ymdhs", lower) != nullptr && lower != '\0') return true;
    }
  }
  return false;
}

class StylesHandler : public XmlHandler {
 public:
  void Start(std::string_view name, const char** atts) override {
    if (name == "numFmt") {
      const char* id = Attr(atts, "numFmtId");
      const char* code = Attr(atts, "formatCode");
      if (id != nullptr && code != nullptr) custom_[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      const char* id = Attr(atts, "numFmtId");
      xf_formats_.push_back(id == nullptr ? 0 : std::atoi(id));
      if (xf_formats_.size() > kXlsxSharedStringsMax) {
        error = Status::InvalidInput("FILE", "the workbook has too many cell styles");
      }
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }
  // Per cell style (the `s` of a cell): whether it shows a date.
  std::vector<bool> DateStyles() const {
    std::vector<bool> out;
    for (int id : xf_formats_) {
      auto it = custom_.find(id);
      out.push_back(it != custom_.end() ? DateFormatCode(it->second) : BuiltinDateFormat(id));
    }
    return out;
  }

 private:
  bool in_cell_xfs_ = false;
  std::map<int, std::string> custom_;
  std::vector<int> xf_formats_;
};

// Text of <t> elements, phonetic runs (<rPh>) left out, bounded.
class TextCollector {
 public:
  void Start(std::string_view name) {
    if (name == "rPh") phonetic_++;
    if (name == "t") in_t_ = true;
  }
  void End(std::string_view name) {
    if (name == "rPh") phonetic_--;
    if (name == "t") in_t_ = false;
  }
  // False past the bound.
  bool Text(std::string_view s) {
    if (!in_t_ || phonetic_ > 0) return true;
    if (text.size() + s.size() > kXlsxStringBytesMax) return false;
    text += s;
    return true;
  }
  void Reset() { text.clear(); }
  std::string text;

 private:
  bool in_t_ = false;
  int phonetic_ = 0;
};

class SharedStringsHandler : public XmlHandler {
 public:
  explicit SharedStringsHandler(std::string_view file) : file_(file) {}
  void Start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si_ = true;
      collector_.Reset();
    }
    if (in_si_) collector_.Start(name);
  }
  void End(std::string_view name) override {
    if (!in_si_) return;
    collector_.End(name);
    if (name != "si") return;
    in_si_ = false;
    if (strings.size() >= kXlsxSharedStringsMax) {
      error = Status::InvalidInput(
          "FILE", Msg("\"{}\": more than {} shared strings", file_, kXlsxSharedStringsMax));
      return;
    }
    strings.push_back(std::move(collector_.text));
    collector_.Reset();
  }
  void Text(std::string_view s) override {
    if (in_si_ && !collector_.Text(s)) {
      error = Status::InvalidInput("FILE", Msg("\"{}\": a shared string is longer than {} bytes",
                                               file_, kXlsxStringBytesMax));
    }
  }
  std::vector<std::string> strings;

 private:
  std::string file_;
  bool in_si_ = false;
  TextCollector collector_;
};

// ---------------------------------------------------------------- sheet

std::string ColumnLetters(size_t column) {  // 1 → "A"
  std::string out;
  while (column > 0) {
    out.insert(out.begin(), static_cast<char>('A' + (column - 1) % 26));
    column = (column - 1) / 26;
  }
  return out;
}

// "C7" → column 3, row 7; false when malformed.
bool ParseReference(std::string_view ref, uint64_t* column, uint64_t* row) {
  size_t i = 0;
  uint64_t c = 0, r = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 4) {
    c = c * 26 + static_cast<uint64_t>(ref[i] - 'A' + 1);
    i++;
  }
  size_t digits = 0;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && digits < 8) {
    r = r * 10 + static_cast<uint64_t>(ref[i] - '0');
    i++;
    digits++;
  }
  if (i != ref.size() || c == 0 || r == 0) return false;
  *column = c;
  *row = r;
  return true;
}

bool ParseCount(const char* text, uint64_t max, uint64_t* out) {
  if (text == nullptr || *text == '\0') return false;
  uint64_t v = 0;
  for (const char* p = text; *p != '\0'; p++) {
    if (*p < '0' || *p > '9' || v > max) return false;
    v = v * 10 + static_cast<uint64_t>(*p - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(std::string_view sheet, const std::vector<std::string>& shared,
               const std::vector<bool>& date_styles, bool date1904)
      : sheet_(sheet), shared_(shared), date_styles_(date_styles), date1904_(date1904) {}

  void Start(std::string_view name, const char** atts) override {
    if (name == "sheetData") {
      in_data_ = true;
    } else if (!in_data_) {
      return;
    } else if (name == "row") {
      uint64_t r = 0;
      const char* ref = Attr(atts, "r");
      if (ref != nullptr && !ParseCount(ref, kXlsxRowsMax, &r)) {
        error = Status::InvalidInput("FILE", Msg("sheet {}: row number \"{}\" is not one Excel has",
                                                 sheet_, std::string(ref)));
        return;
      }
      row_ = ref != nullptr ? r : row_ + 1;
      if (row_ == 0 || row_ > kXlsxRowsMax) {
        error =
            Status::InvalidInput("FILE", Msg("sheet {}: more than {} rows", sheet_, kXlsxRowsMax));
        return;
      }
      column_ = 0;
      cells_.clear();
    } else if (name == "c") {
      StartCell(atts);
    } else if (in_cell_) {
      if (name == "f") has_formula_ = true;
      if (name == "v") {
        in_v_ = true;
        has_value_ = true;
      }
      if (name == "is") in_inline_ = true;
      if (in_inline_) inline_.Start(name);
    }
  }

  void End(std::string_view name) override {
    if (!in_data_) return;
    if (name == "sheetData") {
      in_data_ = false;
    } else if (name == "row") {
      EndRow();
    } else if (name == "c") {
      EndCell();
    } else if (in_cell_) {
      if (name == "v") in_v_ = false;
      if (in_inline_) inline_.End(name);
      if (name == "is") in_inline_ = false;
    }
  }

  void Text(std::string_view s) override {
    if (in_v_) {
      if (value_.size() + s.size() > kXlsxStringBytesMax) return TooLong();
      value_ += s;
    } else if (in_inline_ && !inline_.Text(s)) {
      TooLong();
    }
  }

  CsvTable table;

 private:
  void StartCell(const char** atts) {
    in_cell_ = true;
    has_formula_ = has_value_ = in_v_ = in_inline_ = false;
    value_.clear();
    inline_.Reset();
    const char* t = Attr(atts, "t");
    type_ = t == nullptr ? "n" : t;
    const char* s = Attr(atts, "s");
    uint64_t style = 0;
    date_ = s != nullptr && ParseCount(s, kXlsxSharedStringsMax, &style) &&
            style < date_styles_.size() && date_styles_[style];
    const char* ref = Attr(atts, "r");
    uint64_t column = 0, row = 0;
    if (ref != nullptr) {
      if (!ParseReference(ref, &column, &row) || row != row_) {
        error = Status::InvalidInput("FILE", Msg("sheet {}: cell reference \"{}\" is not in row {}",
                                                 sheet_, std::string(ref), row_));
        return;
      }
      column_ = column;
    } else {
      column_++;
    }
  }

  std::string CellName() const {
    return sheet_ + "!" + ColumnLetters(column_) + std::to_string(row_);
  }

  void TooLong() {
    error = Status::InvalidInput(
        CellName(), Msg("the cell's text is longer than {} bytes", kXlsxStringBytesMax));
  }

  // The cell's text (xlsx.h), or an error naming it.
  Result<std::string> CellText() {
    if (has_formula_ && !has_value_) {
      return Status::InvalidInput(
          CellName(),
          "a formula without a saved value: open the file in Excel or WPS, let it "
          "calculate, and save it again");
    }
    if (type_ == "s") {
      uint64_t index = 0;
      if (!ParseCount(value_.c_str(), kXlsxSharedStringsMax, &index) || index >= shared_.size()) {
        return Status::InvalidInput(CellName(), Msg("shared string {} does not exist", value_));
      }
      return shared_[index];
    }
    if (type_ == "inlineStr") return std::move(inline_.text);
    if (type_ == "str") return std::move(value_);
    if (type_ == "b") return std::string(value_ == "1" ? "TRUE" : value_.empty() ? "" : "FALSE");
    if (type_ == "e") {
      return Status::InvalidInput(
          CellName(), Msg("the cell holds the error {}; correct it and save again", value_));
    }
    if (type_ == "d") return value_.substr(0, 10);
    if (value_.empty()) return std::string();
    if (!date_) return ExcelNumberText(value_);
    char* end = nullptr;
    double serial = std::strtod(value_.c_str(), &end);
    std::optional<std::string> date;
    if (end == value_.c_str() + value_.size()) date = ExcelSerialDate(serial, date1904_);
    if (!date) {
      return Status::InvalidInput(
          CellName(), Msg("{} is formatted as a date but is not a day Excel can show", value_));
    }
    return *date;
  }

  void EndCell() {
    in_cell_ = false;
    if (!error.ok()) return;
    Result<std::string> text = CellText();
    if (!text.ok()) {
      error = text.status();
      return;
    }
    std::string cell = TrimCell(*text);
    if (cell.empty()) return;
    if (column_ > kXlsxColumnsMax) {
      error =
          Status::InvalidInput(CellName(), Msg("a value right of column {} (at most {} columns)",
                                               ColumnLetters(kXlsxColumnsMax), kXlsxColumnsMax));
      return;
    }
    text_bytes_ += cell.size();
    if (text_bytes_ > kXlsxTextBytesMax) {
      error = Status::InvalidInput(
          "FILE", Msg("sheet {}: the cells hold more than {} MiB of text; split the workbook",
                      sheet_, kXlsxTextBytesMax >> 20));
      return;
    }
    cells_.emplace_back(column_, std::move(cell));
  }

  void EndRow() {
    if (cells_.empty()) return;
    if (!have_header_) {
      uint64_t width = 0;
      for (const auto& [c, text] : cells_) width = std::max(width, c);
      table.header.assign(width, std::string());
      for (auto& [c, text] : cells_) table.header[c - 1] = std::move(text);
      table.header_line = row_;
      have_header_ = true;
      return;
    }
    CsvRecord rec;
    rec.line = row_;
    rec.cells.assign(table.header.size(), std::string());
    for (auto& [c, text] : cells_) {
      if (c > table.header.size()) {
        column_ = c;
        error = Status::InvalidInput(CellName(), Msg("a value right of the header's last column {}",
                                                     ColumnLetters(table.header.size())));
        return;
      }
      rec.cells[c - 1] = std::move(text);
    }
    table.rows.push_back(std::move(rec));
  }

  std::string sheet_;
  const std::vector<std::string>& shared_;
  const std::vector<bool>& date_styles_;
  bool date1904_;
  bool in_data_ = false, have_header_ = false;
  uint64_t row_ = 0, column_ = 0, text_bytes_ = 0;
  std::vector<std::pair<uint64_t, std::string>> cells_;
  // The cell being read.
  bool in_cell_ = false, has_formula_ = false, has_value_ = false, in_v_ = false;
  bool in_inline_ = false, date_ = false;
  std::string type_, value_;
  TextCollector inline_;
};
}  // namespace

Result<CsvTable> ReadXlsxSheet(std::string_view bytes, std::string_view file_name,
                               std::string_view sheet) {
  VLEDGER_ASSIGN_OR_RETURN(XlsxPackage book, XlsxPackage::Open(bytes, file_name));
  // The workbook part: where the package's relationships say, else where
  // every generator puts it.
  std::string workbook_part = "xl/workbook.xml";
  VLEDGER_ASSIGN_OR_RETURN(auto package_rels, Relationships(book, ""));
  for (const auto& [id, rel] : package_rels) {
    if (rel.type.ends_with("/officeDocument")) workbook_part = ResolveTarget("", rel.target);
  }
  WorkbookHandler workbook;
  VLEDGER_TRY(book.Parse(workbook_part, workbook));
  if (workbook.sheets.empty()) {
    return Status::InvalidInput(
        "FILE", Msg("\"{}\" is not a valid .xlsx workbook: it has no sheet", book.file()));
  }
  const SheetEntry* chosen = &workbook.sheets[0];
  if (!sheet.empty()) {
    chosen = nullptr;
    std::string names;
    for (const SheetEntry& s : workbook.sheets) {
      if (s.name == sheet) chosen = &s;
      names += (names.empty() ? "" : ", ") + s.name;
    }
    if (chosen == nullptr) {
      return Status::NotFound("--sheet", Msg("\"{}\" has no sheet \"{}\" (its sheets: {})",
                                             book.file(), std::string(sheet), names));
    }
  }
  VLEDGER_ASSIGN_OR_RETURN(auto rels, Relationships(book, workbook_part));
  std::string folder = FolderOf(workbook_part);
  std::string shared_part, styles_part, sheet_part;
  for (const auto& [id, rel] : rels) {
    if (rel.type.ends_with("/sharedStrings")) shared_part = ResolveTarget(folder, rel.target);
    if (rel.type.ends_with("/styles")) styles_part = ResolveTarget(folder, rel.target);
    if (id == chosen->rel_id) sheet_part = ResolveTarget(folder, rel.target);
  }
  if (sheet_part.empty()) {
    return Status::InvalidInput(
        "FILE", Msg("\"{}\" is not a valid .xlsx workbook: sheet \"{}\" has no part", book.file(),
                    chosen->name));
  }
  StylesHandler styles;
  if (!styles_part.empty() && book.Has(styles_part)) VLEDGER_TRY(book.Parse(styles_part, styles));
  SharedStringsHandler shared(book.file());
  if (!shared_part.empty() && book.Has(shared_part)) VLEDGER_TRY(book.Parse(shared_part, shared));
  std::vector<bool> date_styles = styles.DateStyles();
  SheetHandler handler(chosen->name, shared.strings, date_styles, workbook.date1904);
  VLEDGER_TRY(book.Parse(sheet_part, handler));
  return std::move(handler.table);
}

}  // namespace vledger::app
