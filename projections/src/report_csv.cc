// The report as CSV for spreadsheets (RFC 4180, CRLF, UTF-8 with a BOM so
// Excel reads the Chinese). Every row starts with its section name; each
// section has a header row first. The last row is the footer line.
#include "vledger/projections/report.h"

namespace vledger {
namespace {

using report::L;

// A text cell: quoted when needed. A text starting with = + - @, a tab or
// a CR gets a leading ' (OWASP's advice on CSV injection) so a spreadsheet
// never runs a formula from the public log. Numbers are not text cells:
// they are written as they are, a minus sign included.
std::string Text(std::string_view s) {
  std::string v(s);
  if (!v.empty() && std::string_view("=+-@\t\r").find(v[0]) != std::string_view::npos) {
    v = "'" + v;
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

class Csv {
 public:
  void Row(const char* section, std::initializer_list<std::string> cells) {
    out_ += section;
    for (const auto& c : cells) out_ += "," + c;
    out_ += "\r\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_ = "\xEF\xBB\xBF";
};

using report::N;

// A rule's amount: a number ("-10") as a number, a range ("1..50") as text.
std::string Amount(std::string_view s) {
  std::string_view digits = s.starts_with('-') ? s.substr(1) : s;
  bool number = !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos;
  return number ? std::string(s) : Text(s);
}
std::string U(uint64_t v) { return std::to_string(v); }

// A purpose as its column holds it: "" for unrestricted money, else its
// display name or its code.
std::string PurposeCell(const ReportData& d, const std::string& purpose) {
  std::string name = report::NameOf(d.purpose_names, purpose);
  return name.empty() ? purpose : name;
}

void Ranking(Csv& csv, const ReportData& d, const char* section,
             const std::vector<RankedRow>& rows) {
  if (d.graded) {
    csv.Row(section, {"rank", "id", "name", "points", "stars", "redFlag", "disputed", "grade"});
  } else {
    csv.Row(section, {"rank", "id", "name", "points", "stars", "redFlag", "disputed"});
  }
  for (const RankedRow& r : rows) {
    if (d.graded) {
      csv.Row(section, {U(r.rank), Text(r.id), Text(r.name), N(r.points), U(r.stars),
                        r.red_flag ? "1" : "0", r.disputed ? "1" : "0", Text(r.grade)});
    } else {
      csv.Row(section, {U(r.rank), Text(r.id), Text(r.name), N(r.points), U(r.stars),
                        r.red_flag ? "1" : "0", r.disputed ? "1" : "0"});
    }
  }
}

// The residents per credit grade (a village with a grade policy), in
// both editions.
void GradeRows(Csv& csv, const ReportData& d) {
  if (!d.graded) return;
  csv.Row(kSectionGrades, {"grade", "residents"});
  for (const auto& [grade, residents] : d.grade_counts) {
    csv.Row(kSectionGrades, {Text(grade), U(residents)});
  }
  csv.Row(kSectionGrades, {"", U(d.ungraded)});
}

void Points(Csv& csv, const ReportData& d) {
  Ranking(csv, d, kSectionResidents, d.residents_ranked);
  if (report::Board(d)) {
    const BoardInfo& b = d.board;
    csv.Row(kSectionBoard, {"top", U(b.top), "residentsRanked", U(b.residents_ranked), "pages",
                            U(b.pages), "starHouseholdStars", U(b.star_household_stars)});
    if (b.tied_left_off > 0) {
      csv.Row(kSectionBoard, {"tiedLeftOff", U(b.tied_left_off), "rank", U(b.tied_rank)});
    }
    for (const RankedRow& r : b.red_flags) {
      csv.Row(kSectionBoard, {"redFlag", Text(r.id), Text(r.name), N(r.points)});
    }
    for (const RankedRow& h : b.star_households) {
      csv.Row(kSectionBoard, {"starHousehold", Text(h.id), Text(h.name), N(h.points), U(h.stars)});
    }
    GradeRows(csv, d);
    return;
  }
  Ranking(csv, d, kSectionHouseholds, d.households_ranked);
  GradeRows(csv, d);
  csv.Row(kSectionRules, {"rule", "category", "description", "points", "entries", "total"});
  for (const RuleUse& r : d.rules) {
    csv.Row(kSectionRules,
            {Text(report::RuleLabel(d, r.code)), Text(report::CategoryLabel(d, r.category)),
             Text(r.description), Amount(r.amount), U(r.entries), N(r.points)});
  }
  csv.Row(kSectionCategories, {"category", "awarded", "deducted"});
  for (const CategoryTotal& c : d.categories) {
    csv.Row(kSectionCategories,
            {Text(report::CategoryLabel(d, c.category)), N(c.awarded), N(c.deducted)});
  }
}

void Funds(Csv& csv, const ReportData& d) {
  const char* s = kSectionFunds;
  csv.Row(s, {"fund", "line", "label", "purpose", "count", "amountFen", "amountYuan"});
  for (const FundSummary& f : d.funds) {
    std::string code = Text(f.code);
    csv.Row(s, {code, "name", Text(f.name), "", "", "", ""});
    csv.Row(s, {code, "opening", "", "", "", N(f.opening_fen), report::Yuan(f.opening_fen)});
    csv.Row(s, {code, "income", "", "", "", N(f.income_fen), report::Yuan(f.income_fen)});
    csv.Row(s, {code, "payments", "", "", "", N(f.payments_fen), report::Yuan(f.payments_fen)});
    csv.Row(s, {code, "carried", "", "", "", N(f.closing_fen), report::Yuan(f.closing_fen)});
    for (const DonorLine& l : f.donors) {
      csv.Row(s, {code, "donor", Text(l.label), "", U(l.gifts), N(l.amount_fen),
                  report::Yuan(l.amount_fen)});
    }
    for (const PurposeLine& l : f.purposes) {
      csv.Row(s, {code, "purpose", "", Text(PurposeCell(d, l.purpose)), U(l.payments),
                  N(l.amount_fen), report::Yuan(l.amount_fen)});
    }
    for (const BeneficiaryLine& l : f.beneficiaries) {
      csv.Row(s, {code, "beneficiary", Text(l.name), Text(PurposeCell(d, l.purpose)), U(l.payments),
                  N(l.amount_fen), report::Yuan(l.amount_fen)});
    }
    if (f.minor_payments > 0) {
      csv.Row(s, {code, "minors", Text(L(d, "未成年人（不公示姓名）", "minors (not named)")), "",
                  U(f.minor_payments), N(f.minor_fen), report::Yuan(f.minor_fen)});
    }
  }
}

// The credit supermarkets: an item's month per row ("item"), then the
// shop's totals ("total"; the board edition has these rows only, with
// the items on the shelf and the stock left at the last month's end).
void Shops(Csv& csv, const ReportData& d) {
  const char* s = kSectionShops;
  csv.Row(s, {"shop", "name", "line", "month", "item", "points", "received", "redeemed",
              "pointsTaken", "stock", "items"});
  for (const ShopSummary& shop : d.shops) {
    std::string code = Text(shop.code), name = Text(shop.name);
    for (const ShopMonth& m : shop.months) {
      for (const ShelfMonthLine& l : m.lines) {
        csv.Row(s, {code, name, "item", m.month, Text(l.item), N(l.points), N(l.received),
                    N(l.sold), N(l.taken), N(l.stock), ""});
      }
    }
    if (report::Board(d)) {
      csv.Row(s, {code, name, "total", "", "", "", N(shop.received), N(shop.sold), N(shop.taken),
                  N(shop.stock), U(shop.items)});
    } else {
      csv.Row(s, {code, name, "total", "", "", "", N(shop.received), N(shop.sold), N(shop.taken),
                  "", ""});
    }
  }
}

}  // namespace

std::string RenderCsv(const ReportData& d) {
  Csv csv;
  csv.Row(kSectionHeader, {"title", Text(report::Title(d))});
  csv.Row(kSectionHeader, {"ledger", Text(d.ledger_name)});
  csv.Row(kSectionHeader, {"village", Text(d.args.village), Text(d.village_name)});
  csv.Row(kSectionHeader, {"period", Text(d.args.period)});
  csv.Row(kSectionHeader, {"size", U(d.args.size)});
  csv.Row(kSectionHeader, {"edition", d.args.edition});
  csv.Row(kSectionSummary, {"residents", U(d.residents)});
  csv.Row(kSectionSummary, {"minors", U(d.minors)});
  if (report::HasPoints(d)) {
    csv.Row(kSectionSummary, {"residentsWithPoints", U(d.residents_with_points)});
    csv.Row(kSectionSummary, {"totalPoints", N(d.total_points)});
    csv.Row(kSectionSummary, {"minorPoints", N(d.minor_points)});
    csv.Row(kSectionSummary, {"starPoints", N(d.star_points)});
    csv.Row(kSectionSummary, {"maxStars", U(d.max_stars)});
    csv.Row(kSectionSummary, {"redFlagSharePct", U(d.red_flag_share_pct)});
    Points(csv, d);
  }
  if (report::HasFunds(d)) Funds(csv, d);
  if (report::HasShops(d)) Shops(csv, d);
  csv.Row(kSectionCorrections,
          {"seq", "date", "target", "type", "entry", "reason", "disputed", "change"});
  for (const CorrectionLine& c : d.corrections) {
    csv.Row(kSectionCorrections, {U(c.seq), c.date, U(c.target), c.type, Text(c.summary),
                                  Text(c.reason), c.disputed ? "1" : "0", Text(c.change)});
  }
  csv.Row(kSectionObjections, {"seq", "about", "filedOn", "replyDue", "text", "status", "outcome",
                               "resolvedOn", "answer", "reversal"});
  for (const ObjectionLine& o : d.objections) {
    csv.Row(kSectionObjections, {U(o.seq), Text(o.about), o.filed_on, o.reply_due, Text(o.text),
                                 o.resolved ? "closed" : "open",
                                 !o.resolved ? ""
                                 : o.upheld  ? "upheld"
                                             : "dismissed",
                                 o.resolved_on, Text(o.answer), o.reversal ? U(o.reversal) : ""});
  }
  csv.Row(kSectionNotice, {"publishedOn", d.notice.published_on});
  csv.Row(kSectionNotice, {"windowDays", N(d.args.window_days)});
  csv.Row(kSectionNotice, {"windowEnd", d.notice.window_end});
  csv.Row(kSectionNotice, {"objectionOffice", Text(d.notice.office)});
  csv.Row(kSectionNotice, {"objectionPhone", Text(d.notice.phone)});
  csv.Row(kSectionNotice, {"countyKeyId", Text(d.notice.county_key_id)});
  csv.Row(kSectionNotice, {"publicNames", d.public_names});
  csv.Row(kSectionNotice, {"qr", Text(d.qr_payload)});
  csv.Row(kSectionCheckpoint, {Text(d.checkpoint)});
  csv.Row(kSectionFooter, {FooterLine(d.args)});
  return csv.Take();
}

}  // namespace vledger
