// Report helpers shared by every format: arguments and the footer line,
// name masking, labels, and finding the section a byte lies in.
#include <regex>

#include "vledger/ledger/restate.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/report.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

// UTF-8 code points of `s` (valid UTF-8 assumed: names were checked on input).
std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n = std::min(n, s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

Status CheckReportArgs(const ReportArgs& args) {
  VLEDGER_TRY(CheckId("--village", args.village));
  VLEDGER_TRY(CheckPeriod("--period", args.period));
  VLEDGER_TRY(Parse<ReportKind>("kind", args.kind).status());
  VLEDGER_TRY(Parse<ReportFormat>("--format", args.format).status());
  VLEDGER_TRY(Parse<ReportLang>("--lang", args.lang).status());
  if (args.size == 0) return Status::InvalidInput("--at: a report covers at least one event");
  return Status::Ok();
}

std::string FooterLine(const ReportArgs& a) {
  return "vledger-report village=" + a.village + " period=" + a.period + " kind=" + a.kind +
         " format=" + a.format + " lang=" + a.lang + " size=" + std::to_string(a.size);
}

Result<ReportArgs> ParseFooter(std::string_view report) {
  static const std::regex kFooter(
      "vledger-report village=([A-Za-z0-9_.-]+) period=([0-9Q-]+) kind=([a-z]+) "
      "format=([a-z]+) lang=([a-z]+) size=([0-9]{1,19})");
  std::cregex_iterator it(report.data(), report.data() + report.size(), kFooter), end;
  std::optional<std::cmatch> last;
  for (; it != end; ++it) last = *it;
  if (!last) return Status::VerificationFailed("no vledger-report footer line found");
  ReportArgs a;
  a.village = (*last)[1];
  a.period = (*last)[2];
  a.kind = (*last)[3];
  a.format = (*last)[4];
  a.lang = (*last)[5];
  std::string size = (*last)[6];
  a.size = std::stoull(size);
  Status st = CheckReportArgs(a);
  if (!st.ok()) return Restated(st, Code::kVerificationFailed).WithPrefix("footer line");
  return a;
}

std::string MaskName(std::string_view name) {
  std::vector<std::string_view> cps = CodePoints(name);
  if (cps.empty()) return "";
  std::string out(cps.front());
  out += "*";
  if (cps.size() >= 3) out.append(cps.back());
  return out;
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

std::string SectionAt(std::string_view format, std::string_view report, size_t offset) {
  offset = std::min(offset, report.size());
  std::string_view before = report.substr(0, offset);
  if (format == "csv") {
    // The first cell of the line the byte lies in (quoted cells hold no
    // section name, and section names need no quoting).
    size_t start = 0;
    bool quoted = false;
    for (size_t i = 0; i < before.size(); i++) {
      if (before[i] == '"') quoted = !quoted;
      if (before[i] == '\n' && !quoted) start = i + 1;
    }
    std::string_view line = report.substr(start);
    if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    return std::string(line.substr(0, line.find_first_of(",\r\n")));
  }
  if (format == "json") {
    // Top-level keys sit at the start of a line, indented by two spaces.
    size_t pos = before.rfind("\n  \"");
    if (pos == std::string_view::npos) return kSectionHeader;
    std::string_view key = report.substr(pos + 4);
    return std::string(key.substr(0, key.find('"')));
  }
  constexpr std::string_view kMarker = "<!-- section:";
  size_t pos = before.rfind(kMarker);
  if (pos == std::string_view::npos) {
    // Before the first marker: say which one comes next.
    pos = report.find(kMarker);
    if (pos == std::string_view::npos) return kSectionHeader;
  }
  std::string_view name = report.substr(pos + kMarker.size());
  return std::string(name.substr(0, name.find(' ')));
}

namespace report {

bool En(const ReportData& d) { return d.args.lang == "en"; }

const char* L(const ReportData& d, const char* zh, const char* en) { return En(d) ? en : zh; }

std::string Stars(uint32_t n) {
  std::string s;
  for (uint32_t i = 0; i < n; i++) s += "★";
  return s;
}

std::string Yuan(int64_t fen) {
  bool negative = fen < 0;
  uint64_t v = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string cents = std::to_string(v % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return (negative ? "-" : "") + std::to_string(v / 100) + "." + cents;
}

std::string PurposeLabel(const ReportData& d, std::string_view purpose) {
  if (purpose.empty()) return L(d, "非限定", "unrestricted");
  std::string name = NameOf(d.purpose_names, std::string(purpose));
  return name.empty() ? std::string(purpose) : name;
}

std::string RuleLabel(const ReportData& d, const std::string& code) {
  std::string name = NameOf(d.rule_names, code);
  return name.empty() ? code : name;
}

std::string CategoryLabel(const ReportData& d, const std::string& category) {
  std::string name = NameOf(d.category_names, category);
  return name.empty() ? category : name;
}

std::string NameOf(const std::map<std::string, std::string>& names, const std::string& code) {
  auto it = names.find(code);
  return it == names.end() ? std::string() : it->second;
}

bool HasPoints(const ReportData& d) { return d.args.kind != "funds"; }
bool HasFunds(const ReportData& d) { return d.args.kind != "points"; }

std::string TitleTail(const ReportData& d) {
  std::string what = d.args.kind == "points"  ? L(d, "信用积分公示", "Credit points notice")
                     : d.args.kind == "funds" ? L(d, "基金收支公示", "Fund accounts notice")
                                              : L(d, "信用积分与基金公示", "Public bulletin");
  if (En(d)) return d.args.period + " — " + what;
  // 2021Q3 -> 2021年第3季度, 2021-07 -> 2021年7月, 2021 -> 2021年度.
  const std::string& p = d.args.period;
  std::string period = p.substr(0, 4) + "年";
  if (p.size() == 4) period += "度";
  if (p.size() == 6) period += "第" + p.substr(5, 1) + "季度";
  if (p.size() == 7) period += std::to_string((p[5] - '0') * 10 + (p[6] - '0')) + "月";
  return period + what;
}

std::string Title(const ReportData& d) {
  return d.village_name + (En(d) ? " " : "") + TitleTail(d);
}

}  // namespace report
}  // namespace vledger
