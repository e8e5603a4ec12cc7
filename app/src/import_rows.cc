// The kinds of rows an import takes, their builders, and the mapping of a
// row's error onto the CSV column at fault (import_rows.h).
#include "import_rows.h"

#include <map>

#include "vledger/app/builders.h"
#include "vledger/app/import_cells.h"

namespace vledger::app {

const std::string& RowView::operator[](std::string_view column) const {
  for (size_t i = 0; i < columns_.size(); i++) {
    if (columns_[i] == column) return cells_[i];
  }
  VLEDGER_ASSERT(!"column of the kind");
  return cells_[0];
}

namespace {

// ---------------------------------------------------------------- kinds

// `minor`, `adult`, `public_name`: 1/0, true/false (any case, as Excel writes
// TRUE/FALSE) or 是/否; empty means false.
Result<bool> ParseFlag(std::string_view column, const std::string& cell) {
  std::string lower;
  for (char c : cell) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower.empty() || lower == "0" || lower == "false" || lower == "否") return false;
  if (lower == "1" || lower == "true" || lower == "是") return true;
  return Status::InvalidInput(column, Msg("\"{}\" is not 1/0, true/false or 是/否", cell));
}

Status BuildResidentRow(CommitBuilder& b, const RowView& r) {
  ResidentArgs a{r["id"], r["village"], r["household"], false, PersonArgs{r["name"], "", "", 0}};
  VLEDGER_ASSIGN_OR_RETURN(a.minor, ParseFlag("minor", r["minor"]));
  VLEDGER_ASSIGN_OR_RETURN(a.adult, ParseFlag("adult", r["adult"]));
  if (a.minor && a.adult) {
    return Status::InvalidInput("adult", "a resident is a minor or an adult, not both");
  }
  const std::string& year = r["birth_year"];
  if (!year.empty()) {
    if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidInput("birth_year", Msg("\"{}\" is not a year", year));
    }
    a.person.birth_year = std::stoi(year);
  }
  return BuildResident(b, a);
}

Status BuildHouseholdRow(CommitBuilder& b, const RowView& r) {
  return BuildHousehold(b, HouseholdArgs{r["id"], r["village"], PersonArgs{r["head"], "", "", 0}});
}

Status BuildRuleRow(CommitBuilder& b, const RowView& r) {
  return BuildRule(b, RuleArgs{r["code"], r["category"], NormalizePoints(r["points"]), r["village"],
                               NormalizePoints(r["min"]), NormalizePoints(r["max"]), "", "",
                               r["description"], r["name"]});
}

Status BuildAwardRow(CommitBuilder& b, const RowView& r) {
  VLEDGER_ASSIGN_OR_RETURN(std::string date, ParseImportDate("date", r["date"]));
  return BuildAward(
      b, AwardArgs{r["resident"], r["rule"], NormalizePoints(r["points"]), date, r["note"], ""});
}

Status BuildDeductionRow(CommitBuilder& b, const RowView& r) {
  VLEDGER_ASSIGN_OR_RETURN(std::string date, ParseImportDate("date", r["date"]));
  return BuildDeduction(b, DeductionArgs{r["resident"], "", r["rule"], NormalizePoints(r["points"]),
                                         date, r["note"], ""});
}

Status BuildRedemptionRow(CommitBuilder& b, const RowView& r) {
  RedemptionArgs a{r["resident"], NormalizePoints(r["points"]), r["item"]};
  if (!r["shop"].empty()) a.shop = r["shop"];
  if (!r["quantity"].empty()) a.qty = r["quantity"];
  return BuildRedemption(b, a);
}

Status BuildDonationRow(CommitBuilder& b, const RowView& r) {
  DonationArgs a;
  a.fund = r["fund"];
  VLEDGER_ASSIGN_OR_RETURN(a.amount, ParseImportAmount("amount", r["amount"]));
  a.donor = r["donor"];
  a.donor_org = r["donor_org"];
  a.purpose = r["purpose"];
  a.receipt = r["receipt"];
  VLEDGER_ASSIGN_OR_RETURN(a.public_name, ParseFlag("public_name", r["public_name"]));
  return BuildDonation(b, a, nullptr);
}

Status BuildDisbursementRow(CommitBuilder& b, const RowView& r) {
  VLEDGER_ASSIGN_OR_RETURN(std::string amount, ParseImportAmount("amount", r["amount"]));
  return BuildDisbursement(
      b, DisbursementArgs{r["fund"], r["to"], amount, r["purpose"], r["period"], r["note"]});
}

// ------------------------------------------------------- error locations

// A Status field ("--points", "occurredOn", "FUND") in the spelling of
// the CSV columns ("points", "occurred_on", "fund").
std::string NormalizeField(std::string_view field) {
  while (!field.empty() && field[0] == '-') field.remove_prefix(1);
  bool has_lower = field.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos;
  std::string out;
  for (char c : field) {
    bool upper = c >= 'A' && c <= 'Z';
    if (upper && has_lower && !out.empty()) out += '_';
    out += upper ? static_cast<char>(c - 'A' + 'a') : (c == '-' ? '_' : c);
  }
  return out;
}

// Fields that the builders and handlers name differently from the column.
std::string_view AliasColumn(std::string_view field) {
  static const std::map<std::string_view, std::string_view> aliases = {
      {"on", "date"},          {"occurred_on", "date"},  {"qty", "quantity"},
      {"desc", "description"}, {"amount_fen", "amount"}, {"head_ref", "head"},
      {"person_ref", "name"},  {"donor_ref", "donor"},   {"to_resident", "to"},
      {"to_household", "to"},  {"cap", "points"},        {"household", "resident"},
  };
  auto it = aliases.find(field);
  return it == aliases.end() ? std::string_view() : it->second;
}

// The header position of the column a Status field names, or npos.
size_t ColumnOf(std::string_view field, const std::vector<std::string>& columns) {
  std::string normal = NormalizeField(field);
  for (size_t i = 0; i < columns.size(); i++) {
    if (columns[i] == normal) return i;
  }
  std::string_view alias = AliasColumn(normal);
  for (size_t i = 0; i < columns.size(); i++) {
    if (!alias.empty() && columns[i] == alias) return i;
  }
  return std::string::npos;
}

// The Chinese headings of each column (README's table); the first is the
// one a template writes. Inside a kind a heading names one column: 姓名 is
// `name` among residents, `resident` among awards.
const std::map<std::string_view, std::vector<std::string_view>>& HeadingTable() {
  static const std::map<std::string_view, std::vector<std::string_view>> table = {
      {"id", {"编号"}},
      {"village", {"村", "村庄", "村名"}},
      {"household", {"户号"}},
      {"name", {"姓名", "名称"}},
      {"minor", {"未成年"}},
      {"birth_year", {"出生年份", "出生年"}},
      {"head", {"户主"}},
      {"code", {"代码", "规则代码"}},
      {"category", {"类别"}},
      {"points", {"分值", "积分", "分数"}},
      {"min", {"最低分"}},
      {"max", {"最高分"}},
      {"description", {"说明"}},
      {"resident", {"村民", "姓名", "村民编号"}},
      {"rule", {"规则", "规则代码"}},
      {"date", {"日期"}},
      {"note", {"备注"}},
      {"request_id", {"请求编号"}},
      {"item", {"物品", "商品"}},
      {"shop", {"超市", "信用超市"}},
      {"quantity", {"数量"}},
      {"fund", {"基金"}},
      {"amount", {"金额"}},
      {"donor", {"捐赠人"}},
      {"donor_org", {"捐赠单位"}},
      {"public_name", {"公开姓名"}},
      {"purpose", {"用途"}},
      {"receipt", {"票据号"}},
      {"to", {"收款人", "领取人"}},
      {"period", {"所属期"}},
  };
  return table;
}

}  // namespace

const std::vector<KindSpec>& Kinds() {
  static const std::vector<KindSpec> kinds = {
      {"residents",
       {"id", "village", "household", "name", "minor", "birth_year", "adult"},
       4,
       BuildResidentRow,
       "resident add"},
      {"households", {"id", "village", "head"}, 3, BuildHouseholdRow, "household add"},
      {"rules",
       {"code", "category", "points", "village", "min", "max", "description", "name"},
       3,
       BuildRuleRow,
       "rule add"},
      {"awards",
       {"resident", "rule", "points", "date", "note", "request_id"},
       2,
       BuildAwardRow,
       "award"},
      {"deductions",
       {"resident", "rule", "points", "date", "note", "request_id"},
       2,
       BuildDeductionRow,
       "deduct"},
      {"redemptions",
       {"resident", "points", "item", "shop", "quantity", "request_id"},
       3,
       BuildRedemptionRow,
       "redeem"},
      {"donations",
       {"fund", "amount", "donor", "donor_org", "public_name", "purpose", "receipt", "request_id"},
       2,
       BuildDonationRow,
       "donate"},
      {"disbursements",
       {"fund", "to", "amount", "purpose", "period", "note", "request_id"},
       3,
       BuildDisbursementRow,
       "disburse"},
  };
  return kinds;
}

const KindSpec* FindKind(std::string_view name) {
  for (const KindSpec& k : Kinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string ColumnList(const KindSpec& kind) {
  std::string out;
  for (size_t i = 0; i < kind.columns.size(); i++) {
    if (i == kind.required) out += "[";
    if (i > 0) out += ",";
    out += kind.columns[i];
  }
  if (kind.required < kind.columns.size()) out += "]";
  return out;
}

std::string ChineseColumnList(const KindSpec& kind) {
  std::string out;
  for (size_t i = 0; i < kind.columns.size(); i++) {
    if (i == kind.required) out += "[";
    if (i > 0) out += ",";
    std::vector<std::string_view> chinese = ChineseHeadings(kind.columns[i]);
    out += chinese.empty() ? kind.columns[i] : chinese[0];
  }
  if (kind.required < kind.columns.size()) out += "]";
  return out;
}

size_t ColumnOfHeading(const KindSpec& kind, std::string_view heading) {
  for (size_t i = 0; i < kind.columns.size(); i++) {
    if (kind.columns[i] == heading) return i;
  }
  for (size_t i = 0; i < kind.columns.size(); i++) {
    for (std::string_view chinese : ChineseHeadings(kind.columns[i])) {
      if (chinese == heading) return i;
    }
  }
  return kind.columns.size();
}

std::vector<std::string_view> ChineseHeadings(std::string_view column) {
  auto it = HeadingTable().find(column);
  return it == HeadingTable().end() ? std::vector<std::string_view>() : it->second;
}

Status LocateRowError(const Status& given, uint64_t line, const std::vector<std::string>& columns,
                      const std::vector<std::string>& headings) {
  if (!given.is_refusal() && given.code() != Code::kUsage) return given;
  const Status& st = given;
  size_t at = st.field().empty() ? std::string::npos : ColumnOf(st.field(), columns);
  if (at != std::string::npos) return st.WithField(headings[at]).WithRow(line);
  // No column to name: the first one, the whole message kept.
  Status whole = st.field().empty() ? st : st.WithPrefix(Msg("{}", st.field()));
  return whole.WithField(headings[0]).WithRow(line);
}

}  // namespace vledger::app
