// The report as one JSON document for programs: keys lowerCamel, amounts in
// integer fen and points, one top-level key per section at the start of a
// line (so verify-report can name it), array items one per line. Written
// by hand, in a fixed key order, so the bytes never depend on a library.
#include "vledger/projections/report.h"

namespace vledger {
namespace {

std::string Str(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// One JSON object, fields in the order added.
class Obj {
 public:
  Obj& S(const char* k, std::string_view v) { return Raw(k, Str(v)); }
  Obj& I(const char* k, int64_t v) { return Raw(k, std::to_string(v)); }
  Obj& U(const char* k, uint64_t v) { return Raw(k, std::to_string(v)); }
  Obj& B(const char* k, bool v) { return Raw(k, v ? "true" : "false"); }
  // A member only when `v` is not empty (a display name beside a code).
  Obj& Opt(const char* k, std::string_view v) { return v.empty() ? *this : S(k, v); }
  Obj& Raw(const char* k, const std::string& v) {
    out_ += (out_.empty() ? "" : ",") + Str(k) + ":" + v;
    return *this;
  }
  std::string Done() const { return "{" + out_ + "}"; }

 private:
  std::string out_;
};

// An array of items, one per line, inside a top-level section.
std::string Lines(const std::vector<std::string>& items) {
  if (items.empty()) return "[]";
  std::string out = "[";
  for (size_t i = 0; i < items.size(); i++) {
    out += "\n    " + items[i] + (i + 1 < items.size() ? "," : "");
  }
  return out + "\n  ]";
}

std::string Inline(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); i++) out += (i ? "," : "") + items[i];
  return out + "]";
}

std::vector<std::string> Ranking(const std::vector<RankedRow>& rows) {
  std::vector<std::string> out;
  for (const RankedRow& r : rows) {
    out.push_back(Obj()
                      .U("rank", r.rank)
                      .S("id", r.id)
                      .S("name", r.name)
                      .I("points", r.points)
                      .U("stars", r.stars)
                      .B("redFlag", r.red_flag)
                      .B("disputed", r.disputed)
                      .Opt("grade", r.grade)
                      .Done());
  }
  return out;
}

std::string Fund(const ReportData& d, const FundSummary& f) {
  std::vector<std::string> donors, purposes, beneficiaries;
  for (const DonorLine& l : f.donors) {
    donors.push_back(
        Obj().S("donor", l.label).U("gifts", l.gifts).I("amountFen", l.amount_fen).Done());
  }
  for (const PurposeLine& l : f.purposes) {
    purposes.push_back(Obj()
                           .S("purpose", l.purpose)
                           .Opt("purposeName", report::NameOf(d.purpose_names, l.purpose))
                           .U("payments", l.payments)
                           .I("amountFen", l.amount_fen)
                           .Done());
  }
  for (const BeneficiaryLine& l : f.beneficiaries) {
    beneficiaries.push_back(Obj()
                                .S("name", l.name)
                                .S("purpose", l.purpose)
                                .Opt("purposeName", report::NameOf(d.purpose_names, l.purpose))
                                .U("payments", l.payments)
                                .I("amountFen", l.amount_fen)
                                .Done());
  }
  return Obj()
      .S("fund", f.code)
      .S("name", f.name)
      .S("kind", f.kind)
      .S("listBeneficiaries", f.policy)
      .I("openingFen", f.opening_fen)
      .I("incomeFen", f.income_fen)
      .I("paymentsFen", f.payments_fen)
      .I("carriedFen", f.closing_fen)
      .Raw("donors", Inline(donors))
      .Raw("payments", Inline(purposes))
      .Raw("beneficiaries", Inline(beneficiaries))
      .U("minorPayments", f.minor_payments)
      .I("minorFen", f.minor_fen)
      .Done();
}

// A credit supermarket: per month, per item what `report shop` gives
// (the same keys), then the months' totals; the board edition has the
// totals only, with the items on the shelf and the stock left at the last
// month's end.
std::string Shop(const ReportData& d, const ShopSummary& s) {
  Obj shop;
  shop.S("shop", s.code).Opt("shopName", s.name);
  if (!report::Board(d)) {
    std::vector<std::string> months;
    for (const ShopMonth& m : s.months) {
      std::vector<std::string> items;
      for (const ShelfMonthLine& l : m.lines) {
        items.push_back(Obj()
                            .S("item", l.item)
                            .I("points", l.points)
                            .I("received", l.received)
                            .I("sold", l.sold)
                            .I("pointsTaken", l.taken)
                            .I("stock", l.stock)
                            .Done());
      }
      months.push_back(Obj().S("month", m.month).Raw("items", Inline(items)).Done());
    }
    shop.Raw("months", Inline(months));
  }
  shop.I("received", s.received).I("sold", s.sold).I("pointsTaken", s.taken);
  if (report::Board(d)) shop.U("items", s.items).I("stock", s.stock);
  return shop.Done();
}

}  // namespace

std::string RenderJson(const ReportData& d) {
  std::vector<std::pair<std::string, std::string>> top;
  top.emplace_back("header", Obj()
                                 .S("title", report::Title(d))
                                 .S("ledger", d.ledger_name)
                                 .S("village", d.args.village)
                                 .S("villageName", d.village_name)
                                 .S("period", d.args.period)
                                 .S("kind", d.args.kind)
                                 .S("lang", d.args.lang)
                                 .U("size", d.args.size)
                                 .S("edition", d.args.edition)
                                 .Done());
  Obj summary;
  summary.U("residents", d.residents).U("minors", d.minors);
  if (report::HasPoints(d)) {
    summary.U("residentsWithPoints", d.residents_with_points)
        .I("totalPoints", d.total_points)
        .I("minorPoints", d.minor_points)
        .I("starPoints", d.star_points)
        .U("maxStars", d.max_stars)
        .U("redFlagSharePct", d.red_flag_share_pct);
  }
  top.emplace_back("summary", summary.Done());
  if (report::HasPoints(d)) {
    top.emplace_back("rankingResidents", Lines(Ranking(d.residents_ranked)));
  }
  if (report::HasPoints(d) && report::Board(d)) {
    const BoardInfo& b = d.board;
    Obj board;
    board.U("top", b.top)
        .U("residentsRanked", b.residents_ranked)
        .U("starHouseholdStars", b.star_household_stars)
        .U("pages", b.pages);
    if (b.tied_left_off > 0) board.U("tiedLeftOff", b.tied_left_off).U("tiedRank", b.tied_rank);
    board.Raw("redFlags", Inline(Ranking(b.red_flags)))
        .Raw("starHouseholds", Inline(Ranking(b.star_households)));
    top.emplace_back("board", board.Done());
  }
  if (report::HasPoints(d) && !report::Board(d)) {
    top.emplace_back("rankingHouseholds", Lines(Ranking(d.households_ranked)));
  }
  // The residents per credit grade, in both editions.
  if (report::HasPoints(d) && d.graded) {
    std::vector<std::string> grades;
    for (const auto& [grade, residents] : d.grade_counts) {
      grades.push_back(Obj().S("grade", grade).U("residents", residents).Done());
    }
    grades.push_back(Obj().S("grade", "").U("residents", d.ungraded).Done());
    top.emplace_back("grades", Lines(grades));
  }
  if (report::HasPoints(d) && !report::Board(d)) {
    std::vector<std::string> rules, categories;
    for (const RuleUse& r : d.rules) {
      rules.push_back(Obj()
                          .S("rule", r.code)
                          .Opt("name", report::NameOf(d.rule_names, r.code))
                          .S("category", r.category)
                          .Opt("categoryName", report::NameOf(d.category_names, r.category))
                          .S("description", r.description)
                          .S("points", r.amount)
                          .U("entries", r.entries)
                          .I("total", r.points)
                          .Done());
    }
    for (const CategoryTotal& c : d.categories) {
      categories.push_back(Obj()
                               .S("category", c.category)
                               .Opt("name", report::NameOf(d.category_names, c.category))
                               .I("awarded", c.awarded)
                               .I("deducted", c.deducted)
                               .Done());
    }
    top.emplace_back("rules", Lines(rules));
    top.emplace_back("categories", Lines(categories));
  }
  if (report::HasFunds(d)) {
    std::vector<std::string> funds;
    for (const FundSummary& f : d.funds) funds.push_back(Fund(d, f));
    top.emplace_back("funds", Lines(funds));
  }
  if (report::HasShops(d)) {
    std::vector<std::string> shops;
    for (const ShopSummary& s : d.shops) shops.push_back(Shop(d, s));
    top.emplace_back("shops", Lines(shops));
  }
  std::vector<std::string> corrections, objections;
  for (const CorrectionLine& c : d.corrections) {
    corrections.push_back(Obj()
                              .U("seq", c.seq)
                              .S("date", c.date)
                              .U("target", c.target)
                              .S("type", c.type)
                              .S("entry", c.summary)
                              .S("change", c.change)
                              .S("reason", c.reason)
                              .B("disputed", c.disputed)
                              .Done());
  }
  for (const ObjectionLine& o : d.objections) {
    Obj j;
    j.U("seq", o.seq).S("about", o.about).S("filedOn", o.filed_on).S("replyDue", o.reply_due);
    j.S("text", o.text).S("status", o.resolved ? "closed" : "open");
    if (o.resolved) {
      j.S("outcome", o.upheld ? "upheld" : "dismissed").S("resolvedOn", o.resolved_on);
      j.S("answer", o.answer).Raw("reversal", o.reversal ? std::to_string(o.reversal) : "null");
    }
    objections.push_back(j.Done());
  }
  top.emplace_back("corrections", Lines(corrections));
  top.emplace_back("objections", Lines(objections));
  top.emplace_back("notice", Obj()
                                 .S("publishedOn", d.notice.published_on)
                                 .I("windowDays", d.args.window_days)
                                 .S("windowEnd", d.notice.window_end)
                                 .S("objectionOffice", d.notice.office)
                                 .S("objectionPhone", d.notice.phone)
                                 .S("countyKeyId", d.notice.county_key_id)
                                 .S("publicNames", d.public_names)
                                 .S("qr", d.qr_payload)
                                 .Done());
  top.emplace_back("checkpoint", Str(d.checkpoint));
  top.emplace_back("footer", Str(FooterLine(d.args)));
  std::string out = "{";
  for (size_t i = 0; i < top.size(); i++) {
    out += "\n  " + Str(top[i].first) + ": " + top[i].second + (i + 1 < top.size() ? "," : "");
  }
  return out + "\n}\n";
}

}  // namespace vledger
