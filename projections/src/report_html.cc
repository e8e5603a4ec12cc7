// The report as one self-contained HTML page for the village board: no
// external fonts, scripts or images; A4 portrait when printed; large type
// so it reads from two metres; simple inline SVG charts (integer geometry).
// Each section follows a "<!-- section:NAME -->" marker line.
#include <algorithm>

#include "vledger/projections/report.h"

namespace vledger {
namespace {

using report::L;

std::string E(std::string_view s) { return report::HtmlEscape(s); }

using report::N;

constexpr const char* kStyle = R"(<style>
@page { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 190mm; padding: 6mm 4mm; color: #111; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  "PingFang SC", sans-serif; font-size: 16pt; line-height: 1.4; }
header { border-bottom: 3mm solid #c00; margin-bottom: 5mm; text-align: center; }
h1 { color: #c00; font-size: 32pt; margin: 0; letter-spacing: 0.1em; line-height: 1.25; }
h1 small { display: block; font-size: 22pt; letter-spacing: 0.04em; }
.sub { font-size: 13pt; color: #333; margin-bottom: 3mm; }
h2 { font-size: 21pt; color: #fff; background: #c00; padding: 1mm 3mm; margin: 7mm 0 3mm;
  break-after: avoid; }
h3 { font-size: 18pt; margin: 5mm 0 2mm; break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 15pt; margin-bottom: 3mm; }
th, td { border: 0.4mm solid #555; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #f3e0e0; white-space: nowrap; }
td.w { white-space: nowrap; }
tr { break-inside: avoid; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.stars { color: #d40; letter-spacing: 0.05em; white-space: nowrap; }
.disputed { color: #a00; font-weight: bold; }
.note { font-size: 13pt; color: #333; }
.summary td { width: 50%; }
.chart { margin: 2mm 0 4mm; }
.cp { display: flex; gap: 6mm; align-items: flex-start; break-inside: avoid; }
.cp pre { font-size: 10pt; white-space: pre-wrap; word-break: break-all; margin: 0; flex: 1; }
.cp svg { width: 45mm; height: 45mm; flex: none; }
footer { margin-top: 5mm; font-size: 10pt; color: #444; word-break: break-all; }
thead { display: table-header-group; }
.notice p { margin: 1mm 0; }
.sign { text-align: right; font-size: 16pt; margin: 6mm 0 3mm; }
.names { line-height: 1.6; }
.pageno { text-align: center; font-size: 10pt; color: #444; }
body.board { font-size: 10.5pt; line-height: 1.25; padding: 0; }
body.board h1 { font-size: 17pt; line-height: 1.2; }
body.board h1 small { display: inline; font-size: 12pt; margin-left: 3mm; }
body.board h2 { font-size: 10.5pt; margin: 1.2mm 0 0.3mm; padding: 0 2mm; }
body.board header { border-bottom-width: 1.5mm; margin-bottom: 1mm; }
body.board .sub, body.board .note { font-size: 9.5pt; }
body.board .sub { margin-bottom: 1mm; }
body.board p.note, body.board .notice p { margin: 0.5mm 0; }
body.board .names { margin: 0.5mm 0; line-height: 1.35; }
body.board table { font-size: 10pt; margin-bottom: 1mm; }
body.board th, body.board td { padding: 0 1.2mm; }
body.board .sign { font-size: 11pt; margin: 1mm 0 0.5mm; }
body.board .cp svg { width: 26mm; height: 26mm; }
body.board .pageno { margin: 0.5mm 0 0; font-size: 9pt; }
body.board .cp pre { font-size: 7.5pt; }
body.board footer { margin-top: 1mm; font-size: 8pt; }
body.board svg[aria-label="red flag"] { width: 14px; height: 14px; }
section.page { break-after: page; }
section.page:last-of-type { break-after: auto; }
@media screen and (max-width: 600px) {
  body, body.board { font-size: 12pt; padding: 2mm; max-width: 100%; }
  h1 { font-size: 20pt; letter-spacing: 0; }
  h1 small { font-size: 14pt; }
  h2 { font-size: 14pt; }
  table { display: block; max-width: 100%; overflow-x: auto; font-size: 11pt; }
  th { white-space: normal; }
  .cp { flex-direction: column; }
  .cp svg { width: 60vw; height: 60vw; }
}
</style>
)";

// Page numbers of a printed full edition (Chromium 131+ and other engines
// of CSS Paged Media print them; the others print none).
std::string PageCss(const ReportData& d) {
  std::string content = report::En(d) ? R"("Page " counter(page) " of " counter(pages))"
                                      : R"("第 " counter(page) " 页 / 共 " counter(pages) " 页")";
  return "<style>@page { @bottom-center { content: " + content + "; font-size: 10pt; } }</style>\n";
}

constexpr const char* kFlagSvg =
    "<svg width=\"22\" height=\"22\" viewBox=\"0 0 22 22\" role=\"img\" aria-label=\"red flag\">"
    "<rect x=\"3\" y=\"2\" width=\"2\" height=\"19\" fill=\"#333\"/>"
    "<path d=\"M5 3h14l-4 4.5 4 4.5H5z\" fill=\"#d00\"/></svg>";

class Html {
 public:
  explicit Html(const ReportData& d) : d_(d) {}
  void Section(const char* name, const char* zh, const char* en) {
    out_ += "<!-- section:" + std::string(name) + " -->\n";
    if (zh != nullptr) out_ += "<h2>" + E(L(d_, zh, en)) + "</h2>\n";
  }
  void Raw(const std::string& s) { out_ += s; }
  void P(const std::string& text, const char* cls = "note") {
    out_ += "<p class=\"" + std::string(cls) + "\">" + text + "</p>\n";
  }
  // A table: header cells then rows. A header starting with "#" marks a
  // numeric column (right-aligned), "!" a short text column kept on one line.
  void Table(std::vector<std::string> head, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::string> td;
    out_ += "<table><thead><tr>";
    for (auto& h : head) {
      char mark = h.empty() ? ' ' : h[0];
      td.push_back(mark == '#' ? "<td class=\"n\">" : mark == '!' ? "<td class=\"w\">" : "<td>");
      bool marked = mark == '#' || mark == '!';
      out_ += std::string(mark == '#' ? "<th class=\"n\">" : "<th>") + E(marked ? h.substr(1) : h) +
              "</th>";
    }
    out_ += "</tr></thead>\n<tbody>\n";
    for (const auto& row : rows) {
      out_ += "<tr>";
      for (size_t i = 0; i < row.size(); i++) out_ += td[i] + row[i] + "</td>";
      out_ += "</tr>\n";
    }
    out_ += "</tbody></table>\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  const ReportData& d_;
  std::string out_;
};

// A horizontal bar chart: one row per label, one or two bars per row.
struct Bar {
  std::string label;
  int64_t a = 0, b = 0;  // b is drawn below a when the chart has two series
  std::string a_text, b_text;
};

std::string BarChart(const std::vector<Bar>& bars, bool two, const char* a_color,
                     const char* b_color, const std::string& a_legend,
                     const std::string& b_legend) {
  constexpr int64_t kLabelW = 250, kBarW = 380, kRowH = 38, kWidth = 760;
  int64_t max = 1;
  for (const Bar& b : bars) max = std::max({max, b.a < 0 ? -b.a : b.a, b.b < 0 ? -b.b : b.b});
  int64_t row_h = two ? kRowH * 2 : kRowH;
  int64_t height = 34 + static_cast<int64_t>(bars.size()) * (row_h + 8);
  std::string s = "<svg class=\"chart\" width=\"100%\" viewBox=\"0 0 " + N(kWidth) + " " +
                  N(height) + "\" font-size=\"22\" role=\"img\">";
  s += "<rect x=\"0\" y=\"4\" width=\"18\" height=\"18\" fill=\"" + std::string(a_color) +
       "\"/><text x=\"26\" y=\"20\">" + E(a_legend) + "</text>";
  if (two) {
    s += "<rect x=\"260\" y=\"4\" width=\"18\" height=\"18\" fill=\"" + std::string(b_color) +
         "\"/><text x=\"286\" y=\"20\">" + E(b_legend) + "</text>";
  }
  int64_t y = 34;
  auto bar = [&](int64_t v, int64_t top, const char* color, const std::string& text) {
    int64_t w = (v < 0 ? -v : v) * kBarW / max;
    if (v != 0 && w == 0) w = 1;
    if (v == 0) return;
    s += "<rect x=\"" + N(kLabelW) + "\" y=\"" + N(top + 3) + "\" width=\"" + N(w) +
         "\" height=\"" + N(kRowH - 6) + "\" fill=\"" + color + "\"/>";
    s += "<text x=\"" + N(kLabelW + w + 6) + "\" y=\"" + N(top + kRowH - 10) + "\">" + E(text) +
         "</text>";
  };
  for (const Bar& b : bars) {
    s += "<text x=\"" + N(kLabelW - 8) + "\" y=\"" + N(y + kRowH - 10) + "\" text-anchor=\"end\">" +
         E(b.label) + "</text>";
    bar(b.a, y, a_color, b.a_text);
    if (two) bar(b.b, y + kRowH, b_color, b.b_text);
    y += row_h + 8;
  }
  return s + "</svg>\n";
}

std::vector<std::string> RankRow(const ReportData& d, const RankedRow& r) {
  std::string name = E(r.name);
  if (r.disputed)
    name += " <span class=\"disputed\">" + E(L(d, "（有异议）", "(disputed)")) + "</span>";
  std::vector<std::string> row = {N(static_cast<int64_t>(r.rank)),
                                  E(r.id),
                                  name,
                                  N(r.points),
                                  "<span class=\"stars\">" + report::Stars(r.stars) + "</span>",
                                  r.red_flag ? kFlagSvg : ""};
  if (d.graded) row.push_back(E(r.grade));
  return row;
}

void Ranking(Html& h, const ReportData& d, const std::vector<RankedRow>& rows, bool households) {
  if (rows.empty()) {
    h.P(E(L(d, "本期无积分记录。", "No points in this period.")));
    return;
  }
  std::vector<std::vector<std::string>> body;
  for (const RankedRow& r : rows) body.push_back(RankRow(d, r));
  std::vector<std::string> head = {
      std::string("#") + L(d, "名次", "Rank"),
      std::string("!") + (households ? L(d, "户号", "Household") : L(d, "编号", "ID")),
      households ? L(d, "户主", "Head") : L(d, "姓名", "Name"),
      std::string("#") + L(d, "积分", "Points"),
      std::string("!") + L(d, "星级", "Stars"),
      std::string("!") + L(d, "红旗", "Flag")};
  if (d.graded) head.push_back(std::string("!") + L(d, "信用等级", "Grade"));
  h.Table(head, body);
}

// The number of residents per credit grade (a village with a grade policy).
void Grades(Html& h, const ReportData& d) {
  if (!d.graded) return;
  h.Section(kSectionGrades, "信用等级", "Credit grades");
  std::vector<std::vector<std::string>> body;
  for (const auto& [grade, residents] : d.grade_counts) {
    body.push_back({E(grade), N(static_cast<int64_t>(residents))});
  }
  body.push_back({E(L(d, "未达等级", "No grade")), N(static_cast<int64_t>(d.ungraded))});
  h.Table({std::string("!") + L(d, "等级", "Grade"), std::string("#") + L(d, "人数", "Residents")},
          body);
}

void Points(Html& h, const ReportData& d) {
  h.Section(kSectionResidents, "积分排名（个人）", "Ranking by resident");
  Ranking(h, d, d.residents_ranked, false);
  if (d.minors > 0) {
    h.P(E(L(d, "未成年人不公示姓名，其积分只计入合计：",
            "Minors are not named; their points count only in the totals: ")) +
        N(d.minor_points) + E(L(d, " 分。", " points.")));
  }
  h.Section(kSectionHouseholds, "积分排名（家庭）", "Ranking by household");
  Ranking(h, d, d.households_ranked, true);
  Grades(h, d);
  h.Section(kSectionRules, "本期适用的积分规则", "Rules applied in the period");
  if (d.rules.empty()) h.P(E(L(d, "本期无。", "None.")));
  if (!d.rules.empty()) {
    std::vector<std::vector<std::string>> body;
    for (const RuleUse& r : d.rules) {
      body.push_back({E(report::RuleLabel(d, r.code)), E(report::CategoryLabel(d, r.category)),
                      E(r.description), E(r.amount), N(static_cast<int64_t>(r.entries)),
                      N(r.points)});
    }
    h.Table({std::string("!") + L(d, "规则", "Rule"), std::string("!") + L(d, "类别", "Category"),
             L(d, "说明", "Description"), std::string("#") + L(d, "分值", "Points"),
             std::string("#") + L(d, "条数", "Entries"), std::string("#") + L(d, "合计", "Total")},
            body);
  }
  h.Section(kSectionCategories, "分类积分", "Points by category");
  if (d.categories.empty()) h.P(E(L(d, "本期无。", "None.")));
  if (!d.categories.empty()) {
    std::vector<Bar> bars;
    for (const CategoryTotal& c : d.categories) {
      bars.push_back({c.category.empty() ? "-" : report::CategoryLabel(d, c.category), c.awarded,
                      c.deducted, "+" + N(c.awarded), N(c.deducted)});
    }
    h.Raw(BarChart(bars, true, "#c00", "#555", L(d, "加分", "awarded"), L(d, "扣分", "deducted")));
  }
}

void Fund(Html& h, const ReportData& d, const FundSummary& f) {
  h.Raw("<h3>" + E(f.name) + " <span class=\"note\">(" + E(f.code) + ")</span></h3>\n");
  h.Table({std::string("#") + L(d, "期初结余（元）", "Opening (yuan)"),
           std::string("#") + L(d, "本期收入", "Income"),
           std::string("#") + L(d, "本期支出", "Payments"),
           std::string("#") + L(d, "期末结余", "Carried")},
          {{report::Yuan(f.opening_fen), report::Yuan(f.income_fen), report::Yuan(f.payments_fen),
            report::Yuan(f.closing_fen)}});
  if (!f.donors.empty()) {
    std::vector<std::vector<std::string>> body;
    for (const DonorLine& l : f.donors) {
      body.push_back({E(l.label), N(static_cast<int64_t>(l.gifts)), report::Yuan(l.amount_fen)});
    }
    h.Table({L(d, "捐赠方", "Donor"), std::string("#") + L(d, "笔数", "Gifts"),
             std::string("#") + L(d, "金额（元）", "Amount (yuan)")},
            body);
  }
  if (!f.purposes.empty()) {
    std::vector<std::vector<std::string>> body;
    for (const PurposeLine& l : f.purposes) {
      body.push_back({E(report::PurposeLabel(d, l.purpose)), N(static_cast<int64_t>(l.payments)),
                      report::Yuan(l.amount_fen)});
    }
    h.Table({L(d, "支出用途", "Purpose"), std::string("#") + L(d, "笔数", "Payments"),
             std::string("#") + L(d, "金额（元）", "Amount (yuan)")},
            body);
  }
  if (!f.beneficiaries.empty()) {
    std::vector<std::vector<std::string>> body;
    for (const BeneficiaryLine& l : f.beneficiaries) {
      body.push_back({E(l.name), E(report::PurposeLabel(d, l.purpose)),
                      N(static_cast<int64_t>(l.payments)), report::Yuan(l.amount_fen)});
    }
    h.Table({L(d, "受助人", "Beneficiary"), L(d, "用途", "Purpose"),
             std::string("#") + L(d, "笔数", "Payments"),
             std::string("#") + L(d, "金额（元）", "Amount (yuan)")},
            body);
  }
  if (f.minor_payments > 0) {
    h.P(E(L(d, "支付给未成年人（不公示姓名）：", "Paid to minors (not named): ")) +
        N(static_cast<int64_t>(f.minor_payments)) + E(L(d, " 笔，合计 ", " payments, ")) +
        report::Yuan(f.minor_fen) + E(L(d, " 元。", " yuan.")));
  }
}

void Funds(Html& h, const ReportData& d) {
  h.Section(kSectionFunds, "基金收支", "Funds");
  if (d.funds.empty()) {
    h.P(E(L(d, "无。", "None.")));
    return;
  }
  std::vector<Bar> bars;
  for (const FundSummary& f : d.funds) {
    bars.push_back({f.name, f.income_fen, f.payments_fen, report::Yuan(f.income_fen),
                    report::Yuan(f.payments_fen)});
  }
  h.Raw(BarChart(bars, true, "#c00", "#555", L(d, "本期收入（元）", "income (yuan)"),
                 L(d, "本期支出（元）", "payments (yuan)")));
  for (const FundSummary& f : d.funds) Fund(h, d, f);
}

// The credit supermarkets: per shop, per month, per item what `report
// shop` prints, then the months' totals.
void Shops(Html& h, const ReportData& d) {
  if (!report::HasShops(d)) return;
  h.Section(kSectionShops, "信用超市", "Credit supermarkets");
  h.P(E(L(d,
          "按月列出各超市货架上的商品：现价（分/件）、入库、兑换数量、兑换所用积分和月末库存；"
          "兑换及其撤销按登记日期计入当月。",
          "Per month, every item on each shop's shelf: its price now (points a unit), units "
          "received, units redeemed, the points they took and the stock left at the month's "
          "end; redemptions and their reversals count in the month recorded.")));
  for (const ShopSummary& s : d.shops) {
    h.Raw("<h3>" + E(report::ShopLabel(d, s)) + "</h3>\n");
    std::vector<std::vector<std::string>> body;
    for (const ShopMonth& m : s.months) {
      for (const ShelfMonthLine& l : m.lines) {
        body.push_back(
            {E(m.month), E(l.item), N(l.points), N(l.received), N(l.sold), N(l.taken), N(l.stock)});
      }
    }
    body.push_back({E(L(d, "合计", "Total")), "", "", N(s.received), N(s.sold), N(s.taken), ""});
    h.Table({std::string("!") + L(d, "月份", "Month"), L(d, "商品", "Item"),
             std::string("#") + L(d, "现价", "Price"), std::string("#") + L(d, "入库", "Received"),
             std::string("#") + L(d, "兑换", "Redeemed"),
             std::string("#") + L(d, "兑换积分", "Points taken"),
             std::string("#") + L(d, "月末库存", "Stock left")},
            body);
  }
}

void Corrections(Html& h, const ReportData& d) {
  h.Section(kSectionCorrections, "更正说明", "Corrections");
  if (d.corrections.empty()) {
    h.P(E(L(d, "自上次公示以来无更正。", "No corrections since the last notice.")));
    return;
  }
  std::vector<std::vector<std::string>> body;
  for (const CorrectionLine& c : d.corrections) {
    std::string entry = E(c.summary);
    if (c.disputed)
      entry += " <span class=\"disputed\">" + E(L(d, "（有异议）", "(disputed)")) + "</span>";
    body.push_back({E(report::SeqLabel(d, c.seq)), c.date, E(report::SeqLabel(d, c.target)), entry,
                    E(c.change), E(c.reason)});
  }
  h.Table(
      {std::string("!") + L(d, "更正记录", "Correction"), std::string("!") + L(d, "日期", "Date"),
       std::string("!") + L(d, "被更正记录", "Corrected"), L(d, "原记录", "Entry"),
       L(d, "更正", "Change"), L(d, "原因", "Reason")},
      body);
}

void Objections(Html& h, const ReportData& d) {
  h.Section(kSectionObjections, "异议处理（问题台账）", "Objections");
  if (d.objections.empty()) {
    h.P(E(L(d, "无。", "None.")));
    return;
  }
  std::vector<std::vector<std::string>> body;
  for (const ObjectionLine& o : d.objections) {
    std::string status = !o.resolved
                             ? "<span class=\"disputed\">" + E(L(d, "处理中", "open")) + "</span>"
                         : o.upheld ? E(L(d, "已销号（成立）", "closed (upheld)"))
                                    : E(L(d, "已销号（不成立）", "closed (dismissed)"));
    if (o.resolved) status += "<br>" + o.resolved_on;
    std::string answer = E(o.answer);
    if (o.reversal != 0) {
      answer += E(L(d, "（更正记录：", " (correction: ")) + E(report::SeqLabel(d, o.reversal)) +
                E(L(d, "）", ")"));
    }
    body.push_back({E(report::SeqLabel(d, o.seq)), E(o.about), o.filed_on, o.reply_due, E(o.text),
                    status, answer});
  }
  h.Table({std::string("!") + L(d, "编号", "Seq"), L(d, "对象", "About"),
           std::string("!") + L(d, "提出日期", "Filed"),
           std::string("!") + L(d, "答复期限", "Reply due"), L(d, "内容", "Text"),
           std::string("!") + L(d, "状态", "Status"), L(d, "答复", "Answer")},
          body);
}

void Summary(Html& h, const ReportData& d) {
  h.Section(kSectionSummary, "概况", "Summary");
  std::vector<std::vector<std::string>> rows = {
      {E(L(d, "村民人数", "Residents")), N(static_cast<int64_t>(d.residents))},
      {E(L(d, "其中未成年人", "of whom minors")), N(static_cast<int64_t>(d.minors))}};
  if (report::HasPoints(d)) {
    rows.push_back({E(L(d, "本期有积分人数", "Residents with points")),
                    N(static_cast<int64_t>(d.residents_with_points))});
    rows.push_back({E(L(d, "本期积分合计", "Points in the period")), N(d.total_points)});
    rows.push_back({E(L(d, "星级标准", "Stars")),
                    N(d.star_points) + E(L(d, " 分一颗星，最多 ", " points a star, at most ")) +
                        N(d.max_stars) + " ★"});
    rows.push_back({E(L(d, "红旗", "Red flags")),
                    E(L(d, "积分前 ", "top ")) + N(d.red_flag_share_pct) + "% " + kFlagSvg});
  }
  h.Raw("<div class=\"summary\">");
  h.Table({L(d, "项目", "Item"), std::string("#") + L(d, "数值", "Value")}, rows);
  h.Raw("</div>\n");
}

void Notice(Html& h, const ReportData& d) {
  h.Section(kSectionNotice, "公示说明", "About this notice");
  h.Raw("<div class=\"notice\">\n");
  for (const std::string& line : report::NoticeLines(d)) h.P(E(line), "note");
  h.Raw("</div>\n<p class=\"sign\">" + E(report::SignatureLine(d)) + "</p>\n");
}

// A running list of names: 王秀英（3 ★）、李明 …
std::string HtmlNames(const ReportData& d, const std::vector<RankedRow>& rows, bool stars) {
  if (rows.empty()) return E(L(d, "无。", "None."));
  std::string out;
  for (size_t i = 0; i < rows.size(); i++) {
    if (i > 0) out += E(L(d, "、", ", "));
    out += E(report::RowName(rows[i]));
    if (stars) out += " <span class=\"stars\">" + report::Stars(rows[i].stars) + "</span>";
  }
  return out;
}

// The board edition's points: the top of the ranking, every red flag, the
// star households.
void BoardPoints(Html& h, const ReportData& d) {
  const BoardInfo& b = d.board;
  h.Section(kSectionResidents, "积分排名（前列）", "Top of the ranking");
  Ranking(h, d, d.residents_ranked, false);
  h.P(E(report::En(d)
            ? "Top " + N(static_cast<int64_t>(b.top)) + " of " +
                  N(static_cast<int64_t>(b.residents_ranked)) +
                  " residents ranked (ties at the last rank all shown); the full "
                  "ranking is in the full bulletin."
            : "共 " + N(static_cast<int64_t>(b.residents_ranked)) + " 人上榜，此处列前 " +
                  N(static_cast<int64_t>(b.top)) + " 名（并列者全列）；完整排名见公示全文。"));
  if (std::string tied = report::TiedLeftOff(d); !tied.empty()) h.P(E(tied));
  h.Section(kSectionBoard, "红旗与星级文明户", "Red flags and star households");
  h.Raw("<p class=\"names\"><b>" + E(L(d, "红旗：", "Red flags: ")) + "</b>" +
        HtmlNames(d, b.red_flags, false) + "</p>\n");
  h.Raw("<p class=\"names\"><b>" +
        E(report::En(d) ? "Star households (" + N(b.star_household_stars) + " ★ and more): "
                        : "星级文明户（" + N(b.star_household_stars) + " 星及以上）：") +
        "</b>" + HtmlNames(d, b.star_households, true) + "</p>\n");
  if (d.graded) {
    h.Raw("<p class=\"names\"><b>" + E(L(d, "信用等级：", "Credit grades: ")) + "</b>" +
          E(report::GradeCountsLine(d)) + "</p>\n");
  }
}

void BoardFunds(Html& h, const ReportData& d) {
  h.Section(kSectionFunds, "基金收支", "Funds");
  if (d.funds.empty()) {
    h.P(E(L(d, "无。", "None.")));
    return;
  }
  std::vector<std::vector<std::string>> body;
  for (const FundSummary& f : d.funds) {
    body.push_back({E(f.name), report::Yuan(f.opening_fen), report::Yuan(f.income_fen),
                    report::Yuan(f.payments_fen), report::Yuan(f.closing_fen)});
  }
  h.Table({L(d, "基金", "Fund"), std::string("#") + L(d, "期初（元）", "Opening (yuan)"),
           std::string("#") + L(d, "收入", "Income"), std::string("#") + L(d, "支出", "Payments"),
           std::string("#") + L(d, "期末", "Carried")},
          body);
}

// The board's shops: a row a shop with the months' totals.
void BoardShops(Html& h, const ReportData& d) {
  if (!report::HasShops(d)) return;
  h.Section(kSectionShops, "信用超市", "Credit supermarkets");
  std::vector<std::vector<std::string>> body;
  for (const ShopSummary& s : d.shops) {
    body.push_back({E(report::ShopLabel(d, s)), N(static_cast<int64_t>(s.items)), N(s.received),
                    N(s.sold), N(s.taken), N(s.stock)});
  }
  h.Table({L(d, "超市", "Shop"), std::string("#") + L(d, "商品（种）", "Items"),
           std::string("#") + L(d, "入库（件）", "Received"),
           std::string("#") + L(d, "兑换（件）", "Redeemed"),
           std::string("#") + L(d, "兑换积分", "Points taken"),
           std::string("#") + L(d, "期末库存（件）", "Stock left")},
          body);
}

void Header(Html& h, const ReportData& d) {
  h.Section(kSectionHeader, nullptr, nullptr);
  h.Raw("<header><h1>" + E(d.village_name) + "<small>" + E(report::TitleTail(d)) +
        "</small></h1>\n<div class=\"sub\">" + E(L(d, "账本：", "Ledger: ")) + E(d.ledger_name) +
        E(L(d, " · 村代码 ", " · village ")) + E(d.args.village) +
        E(L(d, " · 计算至前 ", " · computed over the first ")) +
        N(static_cast<int64_t>(d.args.size)) + E(L(d, " 条记录", " events")) + "</div></header>\n");
}

void Checkpoint(Html& h, const ReportData& d) {
  h.Section(kSectionCheckpoint, "签名检查点", "Signed checkpoint");
  h.P(E(report::QrCaption(d)));
  h.Raw("<div class=\"cp\"><pre>" + E(d.checkpoint) + "</pre>" + d.qr_svg + "</div>\n");
}

// The board edition: one A4 page, or two when report.cc's estimate says
// one cannot hold it; each page ends with its page number.
void RenderBoard(Html& h, const ReportData& d) {
  const uint32_t pages = d.board.pages;
  h.Raw("<section class=\"page\">\n");
  Header(h, d);
  BoardPoints(h, d);
  BoardFunds(h, d);
  BoardShops(h, d);
  if (pages > 1) {
    h.Raw("<p class=\"pageno\">" + E(report::PageLabel(d, 1, pages)) +
          "</p>\n</section>\n<section class=\"page\">\n");
  }
  Corrections(h, d);
  Objections(h, d);
  Notice(h, d);
  Checkpoint(h, d);
  h.Raw("<p class=\"pageno\">" + E(report::PageLabel(d, pages, pages)) + "</p>\n</section>\n");
}

}  // namespace

std::string RenderHtml(const ReportData& d) {
  Html h(d);
  const bool board = report::Board(d);
  h.Raw("<!DOCTYPE html>\n<html lang=\"" + std::string(report::En(d) ? "en" : "zh-CN") +
        "\">\n<head>\n<meta charset=\"utf-8\">\n" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
        E(report::Title(d)) + "</title>\n" + kStyle + (board ? "" : PageCss(d)) + "</head>\n" +
        (board ? "<body class=\"board\">\n" : "<body>\n"));
  if (board) {
    RenderBoard(h, d);
    h.Section(kSectionFooter, nullptr, nullptr);
    h.Raw("<footer>" + E(FooterLine(d.args)) + "</footer>\n</body>\n</html>\n");
    return h.Take();
  }
  Header(h, d);
  Summary(h, d);
  if (report::HasPoints(d)) Points(h, d);
  if (report::HasFunds(d)) Funds(h, d);
  Shops(h, d);
  Corrections(h, d);
  Objections(h, d);
  Notice(h, d);
  Checkpoint(h, d);
  h.Section(kSectionFooter, nullptr, nullptr);
  h.Raw("<footer>" + E(FooterLine(d.args)) + "</footer>\n</body>\n</html>\n");
  return h.Take();
}

}  // namespace vledger
