// The sheets of a template workbook (template_internal.h), written with
// libxlsxwriter: the import sheet, the instructions (填写说明), the helper
// lists a clerk reads (村民名单, 户名单, 规则表, 基金表) and the hidden sheet
// the drop-down lists come from (下拉数据).
#include <dlfcn.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "template_internal.h"
#include "vledger/app/template.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

// libxlsxwriter is loaded when a template is written, not linked: linked,
// it would bring libcrypto's shared library (libxlsxwriter's own
// dependency; the program links libcrypto from its archive) into the start
// of every command. Each function is called through a pointer of its
// declared type.
#define VLEDGER_XLSXWRITER_FUNCTIONS(X) \
  X(format_set_align)                   \
  X(format_set_bg_color)                \
  X(format_set_bold)                    \
  X(format_set_border)                  \
  X(format_set_font_color)              \
  X(format_set_font_size)               \
  X(format_set_num_format)              \
  X(format_set_text_wrap)               \
  X(lxw_rowcol_to_range_abs)            \
  X(lxw_strerror)                       \
  X(workbook_add_format)                \
  X(workbook_add_worksheet)             \
  X(workbook_close)                     \
  X(workbook_define_name)               \
  X(workbook_new_opt)                   \
  X(workbook_set_properties)            \
  X(worksheet_autofilter)               \
  X(worksheet_data_validation_range)    \
  X(worksheet_freeze_panes)             \
  X(worksheet_hide)                     \
  X(worksheet_set_column)               \
  X(worksheet_set_selection)            \
  X(worksheet_write_string)

struct Xlsxwriter {
#define VLEDGER_XLSXWRITER_POINTER(name) decltype(&::name) name = nullptr;
  VLEDGER_XLSXWRITER_FUNCTIONS(VLEDGER_XLSXWRITER_POINTER)
#undef VLEDGER_XLSXWRITER_POINTER
  std::string error;  // why it could not be loaded ("" when it was)
};

// The library, loaded on first use; its `error` says why it is not.
const Xlsxwriter& Api() {
  static const Xlsxwriter lib = [] {
    Xlsxwriter x;
    void* handle = ::dlopen(VLEDGER_XLSXWRITER_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      x.error = why != nullptr ? why : VLEDGER_XLSXWRITER_SONAME;
      return x;
    }
#define VLEDGER_XLSXWRITER_LOAD(name)                                   \
  x.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name)); \
  if (x.name == nullptr && x.error.empty()) x.error = #name " is missing";
    VLEDGER_XLSXWRITER_FUNCTIONS(VLEDGER_XLSXWRITER_LOAD)
#undef VLEDGER_XLSXWRITER_LOAD
    return x;
  }();
  return lib;
}

constexpr const char* kInstructionsSheet = "填写说明";
constexpr const char* kListsSheet = "下拉数据";
// The import sheet's formats and validations reach the last row of a sheet.
constexpr lxw_row_t kLastRow = LXW_ROW_MAX - 1;

// The list of a kind, on the hidden sheet, under a defined name.
struct ListColumn {
  ListKind list;
  const char* name;  // the defined name
  std::vector<std::string> words;
};

struct Formats {
  lxw_format* header = nullptr;   // the import sheet's headings
  lxw_format* text = nullptr;     // "@": what is typed stays text
  lxw_format* integer = nullptr;  // 0
  lxw_format* amount = nullptr;   // #,##0.00
  lxw_format* date = nullptr;     // yyyy-mm-dd
  lxw_format* title = nullptr;    // the instructions' title
  lxw_format* bold = nullptr;     // headings of the helper sheets
  lxw_format* warning = nullptr;  // 含个人信息，请勿公开
  lxw_format* wrap = nullptr;     // long instructions
};

Formats MakeFormats(lxw_workbook* wb) {
  Formats f;
  f.header = Api().workbook_add_format(wb);
  Api().format_set_bold(f.header);
  Api().format_set_bg_color(f.header, 0xDDEBF7);
  Api().format_set_border(f.header, LXW_BORDER_THIN);
  Api().format_set_align(f.header, LXW_ALIGN_CENTER);
  Api().format_set_num_format(f.header, "@");
  f.text = Api().workbook_add_format(wb);
  Api().format_set_num_format(f.text, "@");
  f.integer = Api().workbook_add_format(wb);
  Api().format_set_num_format(f.integer, "0");
  f.amount = Api().workbook_add_format(wb);
  Api().format_set_num_format(f.amount, "#,##0.00");
  f.date = Api().workbook_add_format(wb);
  Api().format_set_num_format(f.date, "yyyy-mm-dd");
  f.title = Api().workbook_add_format(wb);
  Api().format_set_bold(f.title);
  Api().format_set_font_size(f.title, 14);
  f.bold = Api().workbook_add_format(wb);
  Api().format_set_bold(f.bold);
  Api().format_set_bg_color(f.bold, 0xF2F2F2);
  Api().format_set_num_format(f.bold, "@");
  f.warning = Api().workbook_add_format(wb);
  Api().format_set_bold(f.warning);
  Api().format_set_font_color(f.warning, LXW_COLOR_RED);
  f.wrap = Api().workbook_add_format(wb);
  Api().format_set_text_wrap(f.wrap);
  Api().format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  return f;
}

// The first libxlsxwriter error of a workbook being written.
class Errors {
 public:
  void Check(lxw_error e) {
    if (e != LXW_NO_ERROR && first_ == LXW_NO_ERROR) first_ = e;
  }
  lxw_error first() const { return first_; }

 private:
  lxw_error first_ = LXW_NO_ERROR;
};

lxw_format* FormatOf(const Formats& f, CellKind cell) {
  switch (cell) {
    case CellKind::kPoints:
    case CellKind::kQuantity:
    case CellKind::kYear:
      return f.integer;
    case CellKind::kAmount:
      return f.amount;
    case CellKind::kDate:
      return f.date;
    default:
      return f.text;
  }
}

// Column widths in Excel's units (about one Latin character; a Chinese
// character takes two).
double WidthOf(const ColumnSpec& c, std::string_view heading) {
  double width = 10;
  switch (c.cell) {
    case CellKind::kId:
      width = 14;
      break;
    case CellKind::kName:
      width = 14;
      break;
    case CellKind::kText:
      width = 36;
      break;
    case CellKind::kAmount:
      width = 14;
      break;
    case CellKind::kDate:
      width = 12;
      break;
    default:
      break;
  }
  // A heading of N Chinese characters (3 bytes each) needs about 2N + 2.
  double heading_width = static_cast<double>(heading.size()) / 3 * 2 + 4;
  return width > heading_width ? width : heading_width;
}

lxw_datetime Day(int year, int month, int day) { return lxw_datetime{year, month, day, 0, 0, 0}; }

// The words a list offers.
std::vector<std::string> WordsOf(const TemplateLists& l, ListKind list) {
  std::vector<std::string> words;
  switch (list) {
    case ListKind::kResidents:
      for (const auto& r : l.residents) words.push_back(r.id);
      break;
    case ListKind::kHouseholds:
      for (const auto& h : l.households) words.push_back(h.id);
      break;
    case ListKind::kPayees:
      for (const auto& r : l.residents) words.push_back(r.id);
      for (const auto& h : l.households) words.push_back(h.id);
      break;
    case ListKind::kRules:
      for (const auto& r : l.rules) words.push_back(r.code);
      break;
    case ListKind::kCategories:
      words = l.categories;
      break;
    case ListKind::kFunds:
      for (const auto& f : l.funds) words.push_back(f.code);
      break;
    case ListKind::kPurposes:
      words = l.purposes;
      break;
    case ListKind::kShops:
      words = l.shops;
      break;
    case ListKind::kVillage:
      words.push_back(l.village.code);
      break;
    case ListKind::kNone:
      break;
  }
  return words;
}

const char* DefinedNameOf(ListKind list) {
  switch (list) {
    case ListKind::kResidents:
      return "ResidentIds";
    case ListKind::kHouseholds:
      return "HouseholdIds";
    case ListKind::kPayees:
      return "PayeeIds";
    case ListKind::kRules:
      return "RuleCodes";
    case ListKind::kCategories:
      return "RuleCategories";
    case ListKind::kFunds:
      return "FundCodes";
    case ListKind::kPurposes:
      return "Purposes";
    case ListKind::kShops:
      return "Shops";
    default:
      return "";
  }
}

// A list from the ledger may be out of date by the time the sheet is
// filled in (a resident registered since), and a resident may be named
// instead of given by id: a value outside these lists is questioned, not
// refused. Lists of what must exist (rules, funds) warn.
uint8_t ErrorTypeOf(ListKind list) {
  switch (list) {
    case ListKind::kRules:
    case ListKind::kFunds:
    case ListKind::kVillage:
      return LXW_VALIDATION_ERROR_TYPE_WARNING;
    default:
      return LXW_VALIDATION_ERROR_TYPE_INFORMATION;
  }
}

// What the spreadsheet says of a value its validation questions (in
// Chinese: Excel would say it in its own language, and vaguely).
std::string ErrorMessageOf(const ColumnSpec& c, uint8_t validate, bool has_list) {
  if (has_list) {
    switch (c.list) {
      case ListKind::kResidents:
      case ListKind::kPayees:
        return "名单中没有这个编号。模板生成后新登记的村民，或同村没有重名的姓名，可以保留。";
      case ListKind::kRules:
        return "账本中没有这个规则代码（见“规则表”）。";
      case ListKind::kFunds:
        return "账本中没有这个基金代码（见“基金表”）。";
      case ListKind::kVillage:
        return "这份模板是本村的，请填本村代码。";
      default:
        return "列表中没有这个值；新的值也可以保留。";
    }
  }
  switch (validate) {
    case LXW_VALIDATION_TYPE_LIST:
      return "请选择 是 或 否。";
    case LXW_VALIDATION_TYPE_INTEGER:
      return c.cell == CellKind::kYear ? "请填写四位数的年份。" : "请填写整数。";
    case LXW_VALIDATION_TYPE_DECIMAL:
      return "请填写大于 0 的金额（元）。";
    case LXW_VALIDATION_TYPE_DATE:
      return "请填写 1970-01-01 至 2200-12-31 之间的日期。";
    default:
      return "";
  }
}

// The validation of one import column: its list, else what its cells
// hold; with the column's help as the input message.
void Validate(lxw_worksheet* ws, Errors& errors, lxw_col_t col, const SheetSpec& sheet,
              const ColumnSpec& c, const std::string& heading, const ListColumn* list) {
  lxw_data_validation dv{};
  std::string title = heading;
  std::string message = c.help;
  std::string formula;
  std::vector<char*> inline_list;
  static char kYes[] = "是", kNo[] = "否";
  std::string village_code;
  dv.validate = LXW_VALIDATION_TYPE_ANY;
  if (c.list == ListKind::kVillage) {
    // One short code: an inline list (at most 255 characters in all).
    village_code = list != nullptr && !list->words.empty() ? list->words[0] : "";
    inline_list = {village_code.data(), nullptr};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = inline_list.data();
    dv.error_type = ErrorTypeOf(c.list);
  } else if (list != nullptr) {
    formula = std::string("=") + list->name;
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = formula.data();
    dv.error_type = ErrorTypeOf(c.list);
  } else if (c.cell == CellKind::kFlag) {
    inline_list = {kYes, kNo, nullptr};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = inline_list.data();
  } else if (c.cell == CellKind::kPoints || c.cell == CellKind::kQuantity ||
             c.cell == CellKind::kYear) {
    dv.validate = LXW_VALIDATION_TYPE_INTEGER;
    dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    bool any_sign = sheet.kind == "rules";
    dv.minimum_number = c.cell == CellKind::kYear ? 1900 : any_sign ? -1e9 : 1;
    dv.maximum_number = c.cell == CellKind::kYear ? 2200 : 1e9;
  } else if (c.cell == CellKind::kAmount) {
    dv.validate = LXW_VALIDATION_TYPE_DECIMAL;
    dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN;
    dv.value_number = 0;
  } else if (c.cell == CellKind::kDate) {
    dv.validate = LXW_VALIDATION_TYPE_DATE;
    dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    dv.minimum_datetime = Day(kDateYearMin, 1, 1);
    dv.maximum_datetime = Day(kDateYearMax, 12, 31);
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
  }
  dv.input_title = title.data();
  dv.input_message = message.data();
  std::string error = ErrorMessageOf(c, dv.validate, list != nullptr);
  if (!error.empty()) {
    dv.error_title = title.data();
    dv.error_message = error.data();
  }
  errors.Check(Api().worksheet_data_validation_range(ws, 1, col, kLastRow, col, &dv));
}

void WriteImportSheet(lxw_worksheet* ws, Errors& errors, const Formats& f, const SheetSpec& sheet,
                      const std::vector<std::string>& headings,
                      const std::vector<const ListColumn*>& lists) {
  for (size_t i = 0; i < sheet.columns.size(); i++) {
    const ColumnSpec& c = sheet.columns[i];
    auto col = static_cast<lxw_col_t>(i);
    errors.Check(
        Api().worksheet_set_column(ws, col, col, WidthOf(c, headings[i]), FormatOf(f, c.cell)));
    errors.Check(Api().worksheet_write_string(ws, 0, col, headings[i].c_str(), f.header));
    Validate(ws, errors, col, sheet, c, headings[i], lists[i]);
  }
  Api().worksheet_freeze_panes(ws, 1, 0);
  Api().worksheet_set_selection(ws, 1, 0, 1, 0);
}

// A helper sheet: a bold heading row, then text rows; filter buttons on
// the headings and the heading row frozen, so a clerk finds a name.
void WriteTable(lxw_worksheet* ws, Errors& errors, const Formats& f,
                const std::vector<std::pair<std::string, double>>& columns,
                const std::vector<std::vector<std::string>>& rows) {
  for (size_t c = 0; c < columns.size(); c++) {
    auto col = static_cast<lxw_col_t>(c);
    errors.Check(Api().worksheet_set_column(ws, col, col, columns[c].second, f.text));
    errors.Check(Api().worksheet_write_string(ws, 0, col, columns[c].first.c_str(), f.bold));
  }
  for (size_t r = 0; r < rows.size(); r++) {
    for (size_t c = 0; c < rows[r].size(); c++) {
      if (rows[r][c].empty()) continue;
      errors.Check(Api().worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1),
                                                static_cast<lxw_col_t>(c), rows[r][c].c_str(),
                                                f.text));
    }
  }
  errors.Check(Api().worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(rows.size()),
                                          static_cast<lxw_col_t>(columns.size() - 1)));
  Api().worksheet_freeze_panes(ws, 1, 0);
}

std::string PointsText(const RuleRecord& r, bool range) {
  if (range) return r.has_range ? std::to_string(r.min) + "～" + std::to_string(r.max) : "";
  return std::to_string(r.points);
}

void WriteHelperSheets(lxw_workbook* wb, Errors& errors, const Formats& f, const SheetSpec& sheet,
                       const TemplateLists& l) {
  auto uses = [&](ListKind k) {
    for (const ColumnSpec& c : sheet.columns) {
      if (c.list == k || (c.list == ListKind::kPayees &&
                          (k == ListKind::kResidents || k == ListKind::kHouseholds))) {
        return true;
      }
    }
    return false;
  };
  if (uses(ListKind::kResidents)) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : l.residents) rows.push_back({r.id, r.name, r.household});
    WriteTable(Api().workbook_add_worksheet(wb, "村民名单"), errors, f,
               {{"编号", 14}, {"姓名", 14}, {"户号", 14}}, rows);
  }
  if (uses(ListKind::kHouseholds)) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : l.households) rows.push_back({h.id, h.head, h.head_resident});
    WriteTable(Api().workbook_add_worksheet(wb, "户名单"), errors, f,
               {{"户号", 14}, {"户主", 14}, {"户主村民编号", 16}}, rows);
  }
  if (uses(ListKind::kRules) || uses(ListKind::kCategories)) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : l.rules) {
      rows.push_back({r.code, r.category, r.description, PointsText(r, false), PointsText(r, true),
                      r.village.empty() ? "全县" : r.village});
    }
    WriteTable(Api().workbook_add_worksheet(wb, "规则表"), errors, f,
               {{"代码", 14},
                {"类别", 14},
                {"说明", 36},
                {"默认分值", 10},
                {"分值范围", 12},
                {"适用", 10}},
               rows);
  }
  if (uses(ListKind::kFunds)) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& fund : l.funds) {
      std::string purposes;
      for (const auto& p : fund.purposes) purposes += (purposes.empty() ? "" : "、") + p;
      rows.push_back({fund.code, fund.name, purposes});
    }
    WriteTable(Api().workbook_add_worksheet(wb, "基金表"), errors, f,
               {{"代码", 14}, {"名称", 24}, {"定向用途", 30}}, rows);
  }
}

// The instructions: what the sheet is for, then a line per column, then the
// forms of dates, amounts and yes/no cells.
void WriteInstructions(lxw_worksheet* ws, Errors& errors, const Formats& f, const SheetSpec& sheet,
                       const std::vector<std::string>& headings,
                       const std::vector<std::string>& required, const TemplateLists& l,
                       bool personal) {
  errors.Check(Api().worksheet_set_column(ws, 0, 0, 14, nullptr));
  errors.Check(Api().worksheet_set_column(ws, 1, 1, 14, nullptr));
  errors.Check(Api().worksheet_set_column(ws, 2, 2, 8, nullptr));
  errors.Check(Api().worksheet_set_column(ws, 3, 3, 70, f.wrap));
  lxw_row_t row = 0;
  auto line = [&](const std::string& text, lxw_format* format) {
    errors.Check(Api().worksheet_write_string(ws, row++, 0, text.c_str(), format));
  };
  line(std::string("vledger 导入模板：") + sheet.title + "（--kind " + std::string(sheet.kind) +
           "）",
       f.title);
  line("村：" + l.village.code + " " + l.village.name + "；名单取自账本前 " +
           std::to_string(l.size) + " 条记录。",
       nullptr);
  if (personal) line("含个人信息（村民姓名），仅供本人填表使用，请勿公开、转发。", f.warning);
  line(std::string("填好第一个工作表“") + sheet.sheet +
           "”后导入：vledger import 文件名.xlsx --kind " + std::string(sheet.kind),
       nullptr);
  line("第一行是列名，请勿修改；不要增加列。每行一条记录，不用的行留空。", nullptr);
  row++;
  const char* table_heads[] = {"列名", "英文列名", "必填", "说明"};
  for (lxw_col_t c = 0; c < 4; c++) {
    errors.Check(Api().worksheet_write_string(ws, row, c, table_heads[c], f.bold));
  }
  row++;
  for (size_t i = 0; i < sheet.columns.size(); i++) {
    const ColumnSpec& c = sheet.columns[i];
    errors.Check(Api().worksheet_write_string(ws, row, 0, headings[i].c_str(), nullptr));
    errors.Check(Api().worksheet_write_string(ws, row, 1, std::string(c.column).c_str(), nullptr));
    errors.Check(Api().worksheet_write_string(ws, row, 2, required[i].c_str(), nullptr));
    errors.Check(Api().worksheet_write_string(ws, row, 3, c.help, f.wrap));
    row++;
  }
  row++;
  line("日期可写：2021-10-06、2021/10/6、2021年10月6日，或 Excel 的日期。", nullptr);
  line("金额以元为单位，可写：1000、1,000.00、￥500、500元。", nullptr);
  line("是/否 可写：是、否、1、0、TRUE、FALSE；留空为否。", nullptr);
  line(
      "编号、代码可从下拉列表选择（列表取自账本）；列表以外的值会提示，但可以保留，例如模板生成后新"
      "登记的村民。",
      nullptr);
  line("按姓名找编号：打开“村民名单”等工作表，用筛选按钮或 Ctrl+F 查找。", nullptr);
}

std::string ReadAll(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  *ok = !in.bad() && in.is_open();
  return bytes;
}

// The lists the sheet's columns offer, one each, in column order.
std::vector<ListColumn> ListsOf(const SheetSpec& sheet, const TemplateLists& l) {
  std::vector<ListColumn> lists;
  for (const ColumnSpec& c : sheet.columns) {
    if (c.list == ListKind::kNone || c.list == ListKind::kVillage) continue;
    bool have = false;
    for (const ListColumn& lc : lists) have = have || lc.list == c.list;
    if (!have) lists.push_back({c.list, DefinedNameOf(c.list), WordsOf(l, c.list)});
  }
  return lists;
}

// Whether the workbook holds people's names (residents or household heads).
bool HoldsNames(const SheetSpec& sheet, const TemplateLists& l) {
  for (const ColumnSpec& c : sheet.columns) {
    if ((c.list == ListKind::kResidents || c.list == ListKind::kPayees) && !l.residents.empty()) {
      return true;
    }
    if ((c.list == ListKind::kHouseholds || c.list == ListKind::kPayees) && !l.households.empty()) {
      return true;
    }
  }
  return false;
}

// Fixed document properties: the same ledger and request give the same
// bytes (the creation time would otherwise be now; libxlsxwriter dates
// every zip entry 1980-01-01 itself).
void SetProperties(lxw_workbook* wb, Errors& errors, const SheetSpec& sheet, const TemplateLists& l,
                   bool personal) {
  std::string title = std::string("vledger 导入模板：") + sheet.title;
  std::string subject = "--kind " + std::string(sheet.kind) + " --village " + l.village.code;
  lxw_doc_properties props{};
  props.title = title.data();
  props.subject = subject.data();
  props.author = const_cast<char*>("vledger");
  props.comments = const_cast<char*>(personal ? "含个人信息，请勿公开" : "");
  props.created = static_cast<time_t>(l.recorded_at_ms / 1000 > 0 ? l.recorded_at_ms / 1000 : 1);
  errors.Check(Api().workbook_set_properties(wb, &props));  // copies the strings
}

// The hidden sheet of the lists, a column each, and a defined name over
// each list a column offers; returns each import column's list (null: no
// drop-down). A list longer than the bound gets no name; its column is
// added to `left_out`.
std::vector<const ListColumn*> WriteLists(lxw_workbook* wb, Errors& errors, const Formats& f,
                                          const SheetSpec& sheet, const TemplateLists& l,
                                          const std::vector<ListColumn>& lists,
                                          const ListColumn& village,
                                          std::vector<std::string>* left_out) {
  if (!lists.empty()) {
    lxw_worksheet* ws = Api().workbook_add_worksheet(wb, kListsSheet);
    Api().worksheet_hide(ws);
    for (size_t i = 0; i < lists.size(); i++) {
      auto col = static_cast<lxw_col_t>(i);
      errors.Check(Api().worksheet_set_column(ws, col, col, 16, f.text));
      errors.Check(Api().worksheet_write_string(ws, 0, col, lists[i].name, f.bold));
      for (size_t r = 0; r < lists[i].words.size(); r++) {
        errors.Check(Api().worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), col,
                                                  lists[i].words[r].c_str(), f.text));
      }
    }
  }
  std::vector<const ListColumn*> of_column(sheet.columns.size(), nullptr);
  for (size_t i = 0; i < sheet.columns.size(); i++) {
    const ColumnSpec& c = sheet.columns[i];
    if (c.list == ListKind::kVillage) of_column[i] = &village;
    for (size_t k = 0; k < lists.size(); k++) {
      const ListColumn& lc = lists[k];
      if (lc.list != c.list || lc.words.empty()) continue;  // empty: nothing to offer
      if (lc.words.size() > l.list_entries_max) {
        left_out->push_back(std::string(c.column));
        continue;
      }
      char range[64];
      auto col = static_cast<lxw_col_t>(k);
      Api().lxw_rowcol_to_range_abs(range, 1, col, static_cast<lxw_row_t>(lc.words.size()), col);
      std::string formula = std::string("='") + kListsSheet + "'!" + range;
      errors.Check(Api().workbook_define_name(wb, lc.name, formula.c_str()));
      of_column[i] = &lc;
    }
  }
  return of_column;
}

// Creates the file libxlsxwriter will write, so that a folder that cannot
// be written is our one-line error rather than libxlsxwriter's own message
// on stderr.
Status ProbeWritable(const std::string& path) {
  std::FILE* probe = std::fopen(path.c_str(), "wb");
  if (probe == nullptr) {
    return Status::InvalidInput(
        "--out", Msg("cannot write the workbook {}: {}", path, std::strerror(errno)));
  }
  std::fclose(probe);
  return Status::Ok();
}

}  // namespace

Result<std::string> WriteTemplateWorkbook(const SheetSpec& sheet, const TemplateLists& l,
                                          const std::string& out,
                                          std::vector<std::string>* left_out) {
  if (!Api().error.empty()) {
    return Status::FailedPrecondition(
        Msg("a template needs libxlsxwriter (Debian package libxlsxwriter4): {}", Api().error));
  }
  std::vector<std::string> headings, required;
  for (const ColumnSpec& c : sheet.columns) {
    headings.push_back(TemplateHeading(std::string(sheet.kind), std::string(c.column)));
    VLEDGER_ASSERT(!headings.back().empty());
    required.push_back(TemplateColumnRequired(sheet.kind, c.column) ? "是" : "");
  }
  std::vector<ListColumn> lists = ListsOf(sheet, l);
  ListColumn village{ListKind::kVillage, "", {l.village.code}};
  bool personal = HoldsNames(sheet, l);

  // libxlsxwriter writes beside the output (its temporary files too).
  std::string tmp = out + ".xlsxwriter";
  VLEDGER_TRY(ProbeWritable(tmp));
  std::string tmpdir;
  if (size_t slash = out.rfind('/'); slash != std::string::npos) tmpdir = out.substr(0, slash + 1);
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = tmpdir.empty() ? nullptr : tmpdir.data();
  lxw_workbook* wb = Api().workbook_new_opt(tmp.c_str(), &options);
  if (wb == nullptr) {
    std::remove(tmp.c_str());
    return Status::Internal("cannot start a workbook");
  }
  Errors errors;
  Formats f = MakeFormats(wb);
  SetProperties(wb, errors, sheet, l, personal);
  // The sheets in their order: the import sheet first (the importer reads
  // the first sheet), the instructions, the helper sheets, the lists.
  lxw_worksheet* import = Api().workbook_add_worksheet(wb, sheet.sheet);
  lxw_worksheet* instructions = Api().workbook_add_worksheet(wb, kInstructionsSheet);
  WriteHelperSheets(wb, errors, f, sheet, l);
  std::vector<const ListColumn*> of_column =
      WriteLists(wb, errors, f, sheet, l, lists, village, left_out);
  WriteImportSheet(import, errors, f, sheet, headings, of_column);
  WriteInstructions(instructions, errors, f, sheet, headings, required, l, personal);

  lxw_error closed = Api().workbook_close(wb);  // frees the workbook, written or not
  if (closed != LXW_NO_ERROR || errors.first() != LXW_NO_ERROR) {
    std::remove(tmp.c_str());
    lxw_error e = closed != LXW_NO_ERROR ? closed : errors.first();
    if (closed == LXW_ERROR_CREATING_XLSX_FILE || closed == LXW_ERROR_CREATING_TMPFILE) {
      return Status::InvalidInput(
          "--out", Msg("cannot write the workbook {}: {}", tmp, Api().lxw_strerror(e)));
    }
    return Status::Internal(Msg("cannot write the workbook: {}", Api().lxw_strerror(e)));
  }
  bool ok = false;
  std::string bytes = ReadAll(tmp, &ok);
  std::remove(tmp.c_str());
  if (!ok) return Status::Io(Msg("cannot read back the workbook {}", tmp)).WithField("--out");
  return bytes;
}

}  // namespace vledger::app
