// The report as Markdown: one table per section, each after a
// "<!-- section:NAME -->" marker line.
#include "vledger/projections/report.h"

namespace vledger {
namespace {

using report::L;

// Whether `s` at `i` starts with `word`, ASCII letters in any case.
bool StartsWithAt(std::string_view s, size_t i, std::string_view word) {
  if (s.size() - i < word.size()) return false;
  for (size_t k = 0; k < word.size(); k++) {
    char c = s[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[k]) return false;
  }
  return true;
}

// A table cell: Markdown's active characters escaped, one line. Text that
// GFM would turn into a link by itself ("http://…", "www.…", "a@b.cn") is
// kept plain by escaping the ':' of "://", the '.' of "www." and the '@'.
// A backslash escape of ASCII punctuation renders as the character alone
// in CommonMark and GFM, so the reader sees the same text (a zero-width
// character would render the same too, but would change the text copied
// from the page), while the autolink rules no longer find "://", "www."
// or an address around '@' in the source.
std::string Cell(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    bool active = std::string_view("\\|*_<>[]`#~&@").find(c) != std::string_view::npos;
    bool link = (c == ':' && s.substr(i + 1, 2) == "//") ||
                (c == '.' && i >= 3 && StartsWithAt(s, i - 3, "www"));
    if (active || link) out += '\\';
    out += c;
  }
  return out;
}

class Md {
 public:
  explicit Md(const ReportData& d) : d_(d) {}

  void Section(const char* name, const char* zh, const char* en) {
    out_ += "<!-- section:" + std::string(name) + " -->\n";
    if (zh != nullptr) out_ += "## " + std::string(L(d_, zh, en)) + "\n\n";
  }
  void Line(const std::string& s) { out_ += s + "\n"; }
  void Row(std::initializer_list<std::string> cells) {
    out_ += "|";
    for (const auto& c : cells) out_ += " " + c + " |";
    out_ += "\n";
  }
  // Header row and the alignment row (numbers right-aligned where `right`).
  void Head(std::initializer_list<std::string> cells, std::string_view align) {
    Row(cells);
    out_ += "|";
    for (char a : align) out_ += a == 'r' ? " ---: |" : " --- |";
    out_ += "\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  const ReportData& d_;
  std::string out_;
};

std::string Flag(const ReportData& d, bool red) { return red ? L(d, "红旗", "red flag") : ""; }

void Ranking(Md& md, const ReportData& d, const std::vector<RankedRow>& rows, bool households) {
  if (rows.empty()) {
    md.Line(L(d, "本期无积分记录。", "No points in this period."));
    md.Line("");
    return;
  }
  if (d.graded) {
    md.Head({L(d, "名次", "Rank"), households ? L(d, "户号", "Household") : L(d, "编号", "ID"),
             households ? L(d, "户主", "Head") : L(d, "姓名", "Name"), L(d, "积分", "Points"),
             L(d, "星级", "Stars"), L(d, "红旗", "Flag"), L(d, "信用等级", "Grade"),
             L(d, "备注", "Note")},
            "rllrllll");
  } else {
    md.Head({L(d, "名次", "Rank"), households ? L(d, "户号", "Household") : L(d, "编号", "ID"),
             households ? L(d, "户主", "Head") : L(d, "姓名", "Name"), L(d, "积分", "Points"),
             L(d, "星级", "Stars"), L(d, "红旗", "Flag"), L(d, "备注", "Note")},
            "rllrlll");
  }
  for (const RankedRow& r : rows) {
    std::string note = r.disputed ? L(d, "有异议", "disputed") : "";
    if (d.graded) {
      md.Row({std::to_string(r.rank), Cell(r.id), Cell(r.name), std::to_string(r.points),
              report::Stars(r.stars), Flag(d, r.red_flag), Cell(r.grade), note});
    } else {
      md.Row({std::to_string(r.rank), Cell(r.id), Cell(r.name), std::to_string(r.points),
              report::Stars(r.stars), Flag(d, r.red_flag), note});
    }
  }
  md.Line("");
}

// The number of residents per credit grade (a village with a grade policy).
void Grades(Md& md, const ReportData& d) {
  if (!d.graded) return;
  md.Section(kSectionGrades, "信用等级", "Credit grades");
  md.Head({L(d, "等级", "Grade"), L(d, "人数", "Residents")}, "lr");
  for (const auto& [grade, residents] : d.grade_counts) {
    md.Row({Cell(grade), std::to_string(residents)});
  }
  md.Row({L(d, "未达等级", "No grade"), std::to_string(d.ungraded)});
  md.Line("");
}

void Points(Md& md, const ReportData& d) {
  md.Section(kSectionResidents, "积分排名（个人）", "Ranking by resident");
  Ranking(md, d, d.residents_ranked, false);
  if (d.minors > 0) {
    md.Line(std::string(L(d, "未成年人不公示姓名，其积分 ", "Minors are not named; their ")) +
            std::to_string(d.minor_points) +
            L(d, " 分只计入合计。", " points count only in the totals."));
    md.Line("");
  }
  md.Section(kSectionHouseholds, "积分排名（家庭）", "Ranking by household");
  Ranking(md, d, d.households_ranked, true);
  Grades(md, d);
  md.Section(kSectionRules, "本期适用的积分规则", "Rules applied in the period");
  if (d.rules.empty()) md.Line(L(d, "本期无。", "None."));
  if (!d.rules.empty()) {
    md.Head({L(d, "规则", "Rule"), L(d, "类别", "Category"), L(d, "说明", "Description"),
             L(d, "分值", "Points"), L(d, "条数", "Entries"), L(d, "合计", "Total")},
            "lllrrr");
    for (const RuleUse& r : d.rules) {
      md.Row({Cell(report::RuleLabel(d, r.code)), Cell(report::CategoryLabel(d, r.category)),
              Cell(r.description), r.amount, std::to_string(r.entries), std::to_string(r.points)});
    }
  }
  md.Line("");
  md.Section(kSectionCategories, "分类积分", "Points by category");
  if (d.categories.empty()) md.Line(L(d, "本期无。", "None."));
  if (!d.categories.empty()) {
    md.Head({L(d, "类别", "Category"), L(d, "加分", "Awarded"), L(d, "扣分", "Deducted")}, "lrr");
    for (const CategoryTotal& c : d.categories) {
      md.Row({Cell(report::CategoryLabel(d, c.category)), std::to_string(c.awarded),
              std::to_string(c.deducted)});
    }
  }
  md.Line("");
}

void Fund(Md& md, const ReportData& d, const FundSummary& f) {
  md.Line("### " + Cell(f.name) + " (" + Cell(f.code) + ")");
  md.Line("");
  md.Head({L(d, "期初结余", "Opening"), L(d, "本期收入", "Income"), L(d, "本期支出", "Payments"),
           L(d, "期末结余", "Carried")},
          "rrrr");
  md.Row({report::Yuan(f.opening_fen), report::Yuan(f.income_fen), report::Yuan(f.payments_fen),
          report::Yuan(f.closing_fen)});
  md.Line("");
  if (!f.donors.empty()) {
    md.Head({L(d, "捐赠方", "Donor"), L(d, "笔数", "Gifts"), L(d, "金额（元）", "Amount (yuan)")},
            "lrr");
    for (const DonorLine& l : f.donors) {
      md.Row({Cell(l.label), std::to_string(l.gifts), report::Yuan(l.amount_fen)});
    }
    md.Line("");
  }
  if (!f.purposes.empty()) {
    md.Head({L(d, "支出用途", "Purpose"), L(d, "笔数", "Payments"),
             L(d, "金额（元）", "Amount (yuan)")},
            "lrr");
    for (const PurposeLine& l : f.purposes) {
      md.Row({Cell(report::PurposeLabel(d, l.purpose)), std::to_string(l.payments),
              report::Yuan(l.amount_fen)});
    }
    md.Line("");
  }
  if (!f.beneficiaries.empty()) {
    md.Head({L(d, "受助人", "Beneficiary"), L(d, "用途", "Purpose"), L(d, "笔数", "Payments"),
             L(d, "金额（元）", "Amount (yuan)")},
            "llrr");
    for (const BeneficiaryLine& l : f.beneficiaries) {
      md.Row({Cell(l.name), Cell(report::PurposeLabel(d, l.purpose)), std::to_string(l.payments),
              report::Yuan(l.amount_fen)});
    }
    md.Line("");
  }
  if (f.minor_payments > 0) {
    md.Line(std::string(L(d, "支付给未成年人 ", "Paid to minors (not named): ")) +
            std::to_string(f.minor_payments) + L(d, " 笔，合计 ", " payments, ") +
            report::Yuan(f.minor_fen) + L(d, " 元（不公示姓名）。", " yuan."));
    md.Line("");
  }
}

// The credit supermarkets: per shop, per month, per item what `report
// shop` prints, then the months' totals.
void Shops(Md& md, const ReportData& d) {
  if (!report::HasShops(d)) return;
  md.Section(kSectionShops, "信用超市", "Credit supermarkets");
  md.Line(L(d,
            "按月列出各超市货架上的商品：现价（分/件）、入库、兑换数量、兑换所用积分和月末库存；"
            "兑换及其撤销按登记日期计入当月。",
            "Per month, every item on each shop's shelf: its price now (points a unit), units "
            "received, units redeemed, the points they took and the stock left at the month's "
            "end; redemptions and their reversals count in the month recorded."));
  md.Line("");
  for (const ShopSummary& s : d.shops) {
    md.Line("### " + Cell(report::ShopLabel(d, s)));
    md.Line("");
    md.Head({L(d, "月份", "Month"), L(d, "商品", "Item"), L(d, "现价", "Price"),
             L(d, "入库", "Received"), L(d, "兑换", "Redeemed"), L(d, "兑换积分", "Points taken"),
             L(d, "月末库存", "Stock left")},
            "llrrrrr");
    for (const ShopMonth& m : s.months) {
      for (const ShelfMonthLine& l : m.lines) {
        md.Row({m.month, Cell(l.item), std::to_string(l.points), std::to_string(l.received),
                std::to_string(l.sold), std::to_string(l.taken), std::to_string(l.stock)});
      }
    }
    md.Row({L(d, "合计", "Total"), "", "", std::to_string(s.received), std::to_string(s.sold),
            std::to_string(s.taken), ""});
    md.Line("");
  }
}

// The board's shops: a row a shop with the months' totals.
void BoardShops(Md& md, const ReportData& d) {
  if (!report::HasShops(d)) return;
  md.Section(kSectionShops, "信用超市", "Credit supermarkets");
  md.Head({L(d, "超市", "Shop"), L(d, "商品（种）", "Items"), L(d, "入库（件）", "Received"),
           L(d, "兑换（件）", "Redeemed"), L(d, "兑换积分", "Points taken"),
           L(d, "期末库存（件）", "Stock left")},
          "lrrrrr");
  for (const ShopSummary& s : d.shops) {
    md.Row({Cell(report::ShopLabel(d, s)), std::to_string(s.items), std::to_string(s.received),
            std::to_string(s.sold), std::to_string(s.taken), std::to_string(s.stock)});
  }
  md.Line("");
}

void Corrections(Md& md, const ReportData& d) {
  md.Section(kSectionCorrections, "更正说明", "Corrections");
  if (d.corrections.empty()) {
    md.Line(L(d, "自上次公示以来无更正。", "No corrections since the last notice."));
    md.Line("");
    return;
  }
  md.Head({L(d, "更正记录", "Correction"), L(d, "日期", "Date"), L(d, "被更正记录", "Corrected"),
           L(d, "原记录", "Entry"), L(d, "更正", "Change"), L(d, "原因", "Reason")},
          "llllll");
  for (const CorrectionLine& c : d.corrections) {
    md.Row({report::SeqLabel(d, c.seq), c.date, report::SeqLabel(d, c.target),
            Cell(c.summary) + (c.disputed ? L(d, "（有异议）", " (disputed)") : ""), Cell(c.change),
            Cell(c.reason)});
  }
  md.Line("");
}

void Objections(Md& md, const ReportData& d) {
  md.Section(kSectionObjections, "异议处理（问题台账）", "Objections");
  if (d.objections.empty()) {
    md.Line(L(d, "无。", "None."));
    md.Line("");
    return;
  }
  md.Head({L(d, "编号", "Seq"), L(d, "对象", "About"), L(d, "提出日期", "Filed"),
           L(d, "答复期限", "Reply due"), L(d, "内容", "Text"), L(d, "状态", "Status"),
           L(d, "答复", "Answer")},
          "lllllll");
  for (const ObjectionLine& o : d.objections) {
    std::string status = !o.resolved ? L(d, "处理中", "open")
                         : o.upheld  ? L(d, "已销号（成立）", "closed (upheld)")
                                     : L(d, "已销号（不成立）", "closed (dismissed)");
    if (o.resolved) status += " " + o.resolved_on;
    std::string answer = Cell(o.answer);
    if (o.reversal != 0) {
      answer += L(d, "（更正记录：", " (correction: ") + report::SeqLabel(d, o.reversal) +
                L(d, "）", ")");
    }
    md.Row({report::SeqLabel(d, o.seq), Cell(o.about), o.filed_on, o.reply_due, Cell(o.text),
            status, answer});
  }
  md.Line("");
}

void Notice(Md& md, const ReportData& d) {
  md.Section(kSectionNotice, "公示说明", "About this notice");
  for (const std::string& line : report::NoticeLines(d)) {
    md.Line(Cell(line));
    md.Line("");
  }
  md.Line(Cell(report::SignatureLine(d)));
  md.Line("");
}

std::string MdNames(const ReportData& d, const std::vector<RankedRow>& rows, bool stars) {
  if (rows.empty()) return L(d, "无。", "None.");
  std::string out;
  for (size_t i = 0; i < rows.size(); i++) {
    if (i > 0) out += L(d, "、", ", ");
    out += Cell(report::RowName(rows[i]));
    if (stars) out += " " + report::Stars(rows[i].stars);
  }
  return out;
}

void BoardPoints(Md& md, const ReportData& d) {
  const BoardInfo& b = d.board;
  md.Section(kSectionResidents, "积分排名（前列）", "Top of the ranking");
  Ranking(md, d, d.residents_ranked, false);
  md.Line(report::En(d)
              ? "Top " + std::to_string(b.top) + " of " + std::to_string(b.residents_ranked) +
                    " residents ranked (ties at the last rank all shown)."
              : "共 " + std::to_string(b.residents_ranked) + " 人上榜，此处列前 " +
                    std::to_string(b.top) + " 名（并列者全列）。");
  md.Line("");
  if (std::string tied = report::TiedLeftOff(d); !tied.empty()) {
    md.Line(tied);
    md.Line("");
  }
  md.Section(kSectionBoard, "红旗与星级文明户", "Red flags and star households");
  md.Line(std::string(L(d, "**红旗：**", "**Red flags:** ")) + MdNames(d, b.red_flags, false));
  md.Line("");
  md.Line((report::En(d)
               ? "**Star households (" + std::to_string(b.star_household_stars) + " ★ and more):** "
               : "**星级文明户（" + std::to_string(b.star_household_stars) + " 星及以上）：**") +
          MdNames(d, b.star_households, true));
  md.Line("");
  if (d.graded) {
    md.Line(std::string(L(d, "**信用等级：**", "**Credit grades:** ")) +
            report::GradeCountsLine(d));
    md.Line("");
  }
}

void BoardFunds(Md& md, const ReportData& d) {
  md.Section(kSectionFunds, "基金收支", "Funds");
  if (d.funds.empty()) {
    md.Line(L(d, "无。", "None."));
    md.Line("");
    return;
  }
  md.Head({L(d, "基金", "Fund"), L(d, "期初（元）", "Opening (yuan)"), L(d, "收入", "Income"),
           L(d, "支出", "Payments"), L(d, "期末", "Carried")},
          "lrrrr");
  for (const FundSummary& f : d.funds) {
    md.Row({Cell(f.name), report::Yuan(f.opening_fen), report::Yuan(f.income_fen),
            report::Yuan(f.payments_fen), report::Yuan(f.closing_fen)});
  }
  md.Line("");
}

// A page's end in the board edition: a horizontal rule and its number.
void PageEnd(Md& md, const ReportData& d, uint32_t page) {
  md.Line("---");
  md.Line("");
  md.Line("<!-- page " + std::to_string(page) + " -->" + report::PageLabel(d, page, d.board.pages));
  md.Line("");
}

void Checkpoint(Md& md, const ReportData& d) {
  md.Section(kSectionCheckpoint, "签名检查点", "Signed checkpoint");
  md.Line(Cell(report::QrCaption(d)));
  md.Line("");
  md.Line("```");
  md.Line(d.checkpoint.substr(0, d.checkpoint.size() - (d.checkpoint.ends_with('\n') ? 1 : 0)));
  md.Line("```");
  md.Line("");
  if (d.qr_payload != d.checkpoint) {
    md.Line(std::string(L(d, "二维码网址：", "QR address: ")) + Cell(d.qr_payload));
    md.Line("");
  }
}

void Header(Md& md, const ReportData& d) {
  md.Section(kSectionHeader, nullptr, nullptr);
  md.Line("# " + Cell(report::Title(d)));
  md.Line("");
  md.Line(std::string(L(d, "账本：", "Ledger: ")) + Cell(d.ledger_name) +
          L(d, "；村代码：", "; village code: ") + d.args.village +
          L(d, "；计算至前 ", "; computed over the first ") + std::to_string(d.args.size) +
          L(d, " 条记录。", " events."));
  md.Line("");
}

std::string RenderBoard(const ReportData& d) {
  Md md(d);
  Header(md, d);
  BoardPoints(md, d);
  BoardFunds(md, d);
  BoardShops(md, d);
  if (d.board.pages > 1) PageEnd(md, d, 1);
  Corrections(md, d);
  Objections(md, d);
  Notice(md, d);
  Checkpoint(md, d);
  PageEnd(md, d, d.board.pages);
  md.Section(kSectionFooter, nullptr, nullptr);
  md.Line(FooterLine(d.args));
  return md.Take();
}

}  // namespace

std::string RenderMarkdown(const ReportData& d) {
  if (report::Board(d)) return RenderBoard(d);
  Md md(d);
  Header(md, d);
  md.Section(kSectionSummary, "概况", "Summary");
  md.Head({L(d, "项目", "Item"), L(d, "数值", "Value")}, "lr");
  md.Row({L(d, "村民人数", "Residents"), std::to_string(d.residents)});
  md.Row({L(d, "其中未成年人", "of whom minors"), std::to_string(d.minors)});
  if (report::HasPoints(d)) {
    md.Row(
        {L(d, "本期有积分人数", "Residents with points"), std::to_string(d.residents_with_points)});
    md.Row({L(d, "本期积分合计", "Points in the period"), std::to_string(d.total_points)});
    md.Row({L(d, "星级标准", "Stars"), std::to_string(d.star_points) +
                                           L(d, " 分一颗星，最多 ", " points a star, at most ") +
                                           std::to_string(d.max_stars)});
    md.Row({L(d, "红旗比例", "Red flags"), std::to_string(d.red_flag_share_pct) + "%"});
  }
  md.Line("");
  if (report::HasPoints(d)) Points(md, d);
  if (report::HasFunds(d)) {
    md.Section(kSectionFunds, "基金收支", "Funds");
    if (d.funds.empty()) {
      md.Line(L(d, "无。", "None."));
      md.Line("");
    }
    for (const FundSummary& f : d.funds) Fund(md, d, f);
  }
  Shops(md, d);
  Corrections(md, d);
  Objections(md, d);
  Notice(md, d);
  Checkpoint(md, d);
  md.Section(kSectionFooter, nullptr, nullptr);
  md.Line(FooterLine(d.args));
  return md.Take();
}

}  // namespace vledger
