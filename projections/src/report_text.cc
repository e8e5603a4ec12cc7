// Report helpers shared by every format: arguments and the footer line,
// name masking, labels, and finding the section a byte lies in.
#include <regex>

#include "vledger/ledger/restate.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/objections.h"
#include "vledger/projections/registry.h"
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
  if (args.edition != "full" && args.edition != "board") {
    return Status::InvalidInput("--edition", Msg("\"{}\" is not board or full", args.edition));
  }
  if (args.edition == "board" && args.kind != "bulletin") {
    return Status::InvalidInput("--edition", "the board edition is a bulletin's");
  }
  if (args.window_days < 1 || args.window_days > kWindowWorkingDaysMax) {
    return Status::InvalidInput("--window-days", Msg("give 1..{}", kWindowWorkingDaysMax));
  }
  return CheckSiteUrl(args.site_url);
}

Status CheckSiteUrl(std::string_view url) {
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://")) {
    return Status::InvalidInput("--site-url", "give an http:// or https:// address");
  }
  if (url.size() > kSiteUrlBytesMax || url.find_first_of(" \t\r\n#\"<>,&'") != std::string::npos) {
    return Status::InvalidInput(
        "--site-url",
        Msg("at most {} bytes, without spaces, quotes, &, commas or #", kSiteUrlBytesMax));
  }
  return Status::Ok();
}

std::string FooterLine(const ReportArgs& a) {
  std::string line = "vledger-report village=" + a.village + " period=" + a.period +
                     " kind=" + a.kind + " format=" + a.format + " lang=" + a.lang +
                     " size=" + std::to_string(a.size);
  if (a.renderer < 2) return line;
  line += " edition=" + a.edition + " renderer=" + std::to_string(a.renderer) +
          " window=" + std::to_string(a.window_days);
  if (!a.site_url.empty()) line += " site=" + a.site_url;
  return line;
}

Result<ReportArgs> ParseFooter(std::string_view report) {
  static const std::regex kFooter(
      "vledger-report village=([A-Za-z0-9_.-]+) period=([0-9Q-]+) kind=([a-z]+) "
      "format=([a-z]+) lang=([a-z]+) size=([0-9]{1,19})"
      "(?: edition=([a-z]+) renderer=([0-9]{1,9})(?: window=([0-9]{1,3}))?"
      "(?: site=(https?://[^\\s\"<>#,&']+))?)?");
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
  a.renderer = 1;
  if ((*last)[7].matched) {
    a.edition = (*last)[7];
    std::string renderer = (*last)[8];
    a.renderer = static_cast<uint32_t>(std::stoul(renderer));
  }
  if ((*last)[9].matched) {
    std::string window = (*last)[9];
    a.window_days = std::stoi(window);
  }
  if ((*last)[10].matched) a.site_url = (*last)[10];
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

std::string ChineseNumber(uint64_t n) {
  static const char* const kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  static const char* const kUnits[] = {"", "十", "百", "千"};
  static const char* const kGroups[] = {"", "万", "亿", "万亿", "亿亿"};
  if (n == 0) return kDigits[0];
  // Groups of four digits, low first.
  std::vector<uint32_t> groups;
  for (uint64_t v = n; v > 0; v /= 10000) groups.push_back(static_cast<uint32_t>(v % 10000));
  std::string out;
  bool zero_pending = false;
  for (size_t g = groups.size(); g-- > 0;) {
    uint32_t group = groups[g];
    if (group == 0) {
      zero_pending = !out.empty();
      continue;
    }
    if (!out.empty() && (zero_pending || group < 1000)) out += kDigits[0];
    zero_pending = false;
    std::string part;
    bool gap = false;
    for (int pos = 3; pos >= 0; pos--) {
      uint32_t digit = group /
                       static_cast<uint32_t>(pos == 3   ? 1000
                                             : pos == 2 ? 100
                                             : pos == 1 ? 10
                                                        : 1) %
                       10;
      if (digit == 0) {
        gap = !part.empty();
        continue;
      }
      if (gap) part += kDigits[0];
      gap = false;
      // 十二, not 一十二, at the very start of the number.
      if (!(digit == 1 && pos == 1 && part.empty() && out.empty())) part += kDigits[digit];
      part += kUnits[pos];
    }
    out += part + kGroups[g];
  }
  return out;
}

std::string ChineseDate(std::string_view date) {
  static const char* const kDigits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (date.size() != 10) return std::string(date);
  std::string out;
  for (char c : date.substr(0, 4)) out += kDigits[c - '0'];
  int month = (date[5] - '0') * 10 + (date[6] - '0');
  int day = (date[8] - '0') * 10 + (date[9] - '0');
  return out + "年" + ChineseNumber(static_cast<uint64_t>(month)) + "月" +
         ChineseNumber(static_cast<uint64_t>(day)) + "日";
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

std::string SeqLabel(const ReportData& d, uint64_t seq) {
  return En(d) ? "seq " + std::to_string(seq) : "第 " + std::to_string(seq) + " 条";
}

std::string RowName(const RankedRow& row) { return row.name.empty() ? row.id : row.name; }

bool Board(const ReportData& d) { return d.args.edition == "board"; }

std::vector<std::string> NoticeLines(const ReportData& d) {
  const NoticeInfo& n = d.notice;
  std::string days = std::to_string(d.args.window_days);
  std::string size = std::to_string(d.args.size);
  if (En(d)) {
    return {
        "Published on " + n.published_on + ".",
        "Objection period (公示期): " + days + " working days, to " + n.window_end +
            " inclusive (weekends and the county's holidays not counted).",
        "Objections: " +
            (n.office.empty() ? std::string("to the village affairs supervision committee")
                              : n.office) +
            (n.phone.empty() ? "" : ", telephone " + n.phone) + ".",
        "Computed over the first " + size + " events of the ledger, as of " + n.published_on +
            "; county key id " + n.county_key_id + " (compare it with the villager site).",
    };
  }
  return {
      "公示日期：" + ChineseDate(n.published_on) + "（" + n.published_on + "）",
      "公示期：" + days + " 个工作日，至 " + n.window_end + "（含当日）止；周末及县定节假日不计。",
      "异议受理：" + (n.office.empty() ? std::string("村务监督委员会") : n.office) +
          (n.phone.empty() ? "" : "，电话 " + n.phone) + "。",
      "本公示依据账本前 " + size + " 条记录（" + ChineseNumber(d.args.size) + "条，截至" +
          ChineseDate(n.published_on) + "）计算；县级密钥编号 " + n.county_key_id +
          "，可与村民网站核对。",
  };
}

std::string SignatureLine(const ReportData& d) {
  if (En(d)) return "Village affairs supervision committee (村务监督委员会) (seal)   " + d.date;
  return "村务监督委员会（盖章）　　" + ChineseDate(d.date);
}

std::string QrCaption(const ReportData& d) {
  if (!d.site_url.empty()) {
    return L(d, "扫码打开村民网站，核对本公示所依据的账本（记录数与根哈希在网址中）。",
             "Scan to open the villager site at this village's page; the address carries the "
             "checkpoint's size and root so the site can check it shows the same log.");
  }
  return L(d, "二维码内为上方签名检查点全文；用 vledger verify-report 可逐字节核对本公示。",
           "The code holds the signed checkpoint above; check this notice byte for byte with "
           "vledger verify-report.");
}

std::string PageLabel(const ReportData& d, uint32_t page, uint32_t pages) {
  if (En(d)) return "Page " + std::to_string(page) + " of " + std::to_string(pages);
  return "第 " + std::to_string(page) + " 页 / 共 " + std::to_string(pages) + " 页";
}
std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string TiedLeftOff(const ReportData& d) {
  const BoardInfo& b = d.board;
  if (b.tied_left_off == 0) return "";
  if (En(d)) {
    return std::to_string(b.tied_left_off) + " residents tied at rank " +
           std::to_string(b.tied_rank) +
           " do not fit on the board: they are listed in the full bulletin.";
  }
  return "另有 " + std::to_string(b.tied_left_off) + " 人并列第 " + std::to_string(b.tied_rank) +
         " 名，本页放不下，名单见公示全文。";
}
std::string GradeCountsLine(const ReportData& d) {
  std::string out;
  for (const auto& [grade, residents] : d.grade_counts) {
    out += En(d) ? grade + ": " + std::to_string(residents) + ", "
                 : grade + " 级 " + std::to_string(residents) + " 人、";
  }
  return out + (En(d) ? "no grade: " + std::to_string(d.ungraded)
                      : "未达等级 " + std::to_string(d.ungraded) + " 人");
}

bool HasFunds(const ReportData& d) { return d.args.kind != "points"; }

bool HasShops(const ReportData& d) { return d.args.kind == "bulletin" && !d.shops.empty(); }

std::string ShopLabel(const ReportData& d, const ShopSummary& s) {
  if (s.name.empty()) return s.code;
  return s.name + L(d, "（", " (") + s.code + L(d, "）", ")");
}

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
