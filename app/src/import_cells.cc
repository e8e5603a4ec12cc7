// The forms of an import's cells (import_cells.h).
#include "vledger/app/import_cells.h"

#include "vledger/projections/money.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

constexpr std::string_view kSpaces[] = {" ",        "\t",           "\r",          "\n",
                                        "\xC2\xA0", "\xE3\x80\x80", "\xEF\xBB\xBF"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Takes 1 to `max` digits from the front of `s`; false when there is none.
bool TakeDigits(std::string_view& s, size_t max, std::string* out) {
  size_t n = 0;
  while (n < s.size() && n < max && IsDigit(s[n])) n++;
  if (n == 0 || (n < s.size() && IsDigit(s[n]))) return false;
  *out = std::string(s.substr(0, n));
  s.remove_prefix(n);
  return true;
}

bool TakePrefix(std::string_view& s, std::string_view head) {
  if (!s.starts_with(head)) return false;
  s.remove_prefix(head.size());
  return true;
}

// The separators of a date: after the year, after the month, at the end.
struct DateForm {
  std::string_view year, month, day;
};
constexpr DateForm kDateForms[] = {
    {"-", "-", ""}, {"/", "/", ""}, {".", ".", ""}, {"年", "月", "日"}};

// `whole` with its thousands separated by commas: 1-3 digits, then groups
// of 3; or plain digits. The digits without commas, or "" when malformed.
std::string UngroupThousands(std::string_view whole) {
  if (whole.find(',') == std::string_view::npos) {
    for (char c : whole) {
      if (!IsDigit(c)) return "";
    }
    return std::string(whole);
  }
  std::string out;
  size_t from = 0;
  bool first = true;
  while (from <= whole.size()) {
    size_t comma = whole.find(',', from);
    std::string_view group =
        whole.substr(from, comma == std::string_view::npos ? std::string_view::npos : comma - from);
    bool sized = first ? (group.size() >= 1 && group.size() <= 3) : group.size() == 3;
    if (!sized) return "";
    for (char c : group) {
      if (!IsDigit(c)) return "";
    }
    out += group;
    first = false;
    if (comma == std::string_view::npos) break;
    from = comma + 1;
  }
  return out;
}

}  // namespace

std::string TrimCell(std::string_view cell) { return std::string(TrimCellView(cell)); }

std::string_view TrimCellView(std::string_view cell) {
  // Every space above starts and ends with a byte outside printable ASCII:
  // a cell that starts and ends inside it (most cells) has none to trim.
  auto printable = [](char c) { return c > ' ' && c < '\x7F'; };
  if (cell.empty() || (printable(cell.front()) && printable(cell.back()))) return cell;
  bool trimmed = true;
  while (trimmed && !cell.empty()) {
    trimmed = false;
    for (std::string_view space : kSpaces) {
      if (cell.starts_with(space)) {
        cell.remove_prefix(space.size());
        trimmed = true;
      }
      if (cell.ends_with(space)) {
        cell.remove_suffix(space.size());
        trimmed = true;
      }
    }
  }
  return cell;
}

Result<std::string> ParseImportDate(std::string_view field, std::string_view cell) {
  if (cell.empty()) return std::string();
  for (const DateForm& form : kDateForms) {
    std::string_view s = cell;
    std::string y, m, d;
    if (!TakeDigits(s, 4, &y) || y.size() != 4 || !TakePrefix(s, form.year) ||
        !TakeDigits(s, 2, &m) || !TakePrefix(s, form.month) || !TakeDigits(s, 2, &d) ||
        !TakePrefix(s, form.day) || !s.empty()) {
      continue;
    }
    std::string date =
        y + "-" + (m.size() == 1 ? "0" : "") + m + "-" + (d.size() == 1 ? "0" : "") + d;
    if (!CheckCalendarDate(field, date).ok()) break;  // no such day: not a date
    VLEDGER_TRY(CheckDate(field, date));              // a day, outside the ledger's years
    return date;
  }
  return Status::InvalidInput(
      field, Msg("\"{}\" is not a date (accepted: 2021-10-06, 2021/10/6, 2021.10.6, "
                 "2021年10月6日, or a date cell of Excel)",
                 std::string(cell)));
}

Result<std::string> ParseImportAmount(std::string_view field, std::string_view cell) {
  if (cell.empty()) return std::string();
  std::string_view s = cell;
  if (!TakePrefix(s, "\xEF\xBF\xA5")) TakePrefix(s, "\xC2\xA5");  // ￥ or ¥
  if (s.ends_with("元")) s.remove_suffix(std::string_view("元").size());
  std::string inner = TrimCell(s);
  std::string_view text = inner;
  size_t point = text.find('.');
  std::string whole = UngroupThousands(text.substr(0, point));
  std::string plain = whole;
  bool shaped = !whole.empty();
  if (point != std::string_view::npos) {
    std::string_view frac = text.substr(point + 1);
    shaped =
        shaped && !frac.empty() && frac.size() <= 2 && IsDigit(frac[0]) && IsDigit(frac.back());
    plain += "." + std::string(frac);
  }
  if (!shaped) {
    return Status::InvalidInput(
        field, Msg("\"{}\" is not an amount in yuan (accepted: 500, 500.5, 1,000.00, ￥500, "
                   "¥500, 500元)",
                   std::string(cell)));
  }
  VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan(field, plain));
  return FormatYuan(fen);
}

std::string NormalizePoints(std::string_view cell) {
  std::string_view s = cell;
  TakePrefix(s, "+");
  if (s.ends_with("分")) s.remove_suffix(std::string_view("分").size());
  std::string inner = TrimCell(s);
  if (inner.empty()) return std::string(cell);
  for (char c : inner) {
    if (!IsDigit(c)) return std::string(cell);
  }
  return inner;
}

}  // namespace vledger::app
