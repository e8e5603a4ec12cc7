// `template KIND --village V --out F.xlsx` (template.h): the workbook, written
// with libxlsxwriter. What goes in it (the columns of each kind, their
// help, the lists read from the ledger) is here; the sheets are written by
// template_sheets.cc.
#include "vledger/app/template.h"

#include <nlohmann/json.hpp>
#include <string_view>

#include "guard.h"
#include "import_rows.h"
#include "template_internal.h"
#include "vledger/app/import.h"
#include "vledger/app/registry.h"
#include "vledger/app/report.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/person_store.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// The canonical Chinese heading of each import column (README, "Chinese
// column headings": the import accepts these beside the English names and
// a few synonyms). Within one kind a heading names one column.
const std::vector<std::pair<std::string_view, std::string_view>>& Headings() {
  static const std::vector<std::pair<std::string_view, std::string_view>> headings = {
      {"id", "编号"},
      {"village", "村"},
      {"household", "户号"},
      {"name", "姓名"},
      {"minor", "未成年"},
      {"birth_year", "出生年份"},
      {"head", "户主"},
      {"code", "代码"},
      {"category", "类别"},
      {"points", "分值"},
      {"min", "最低分"},
      {"max", "最高分"},
      {"description", "说明"},
      {"resident", "村民"},
      {"rule", "规则"},
      {"date", "日期"},
      {"note", "备注"},
      {"request_id", "请求编号"},
      {"item", "物品"},
      {"shop", "超市"},
      {"quantity", "数量"},
      {"fund", "基金"},
      {"amount", "金额"},
      {"donor", "捐赠人"},
      {"donor_org", "捐赠单位"},
      {"public_name", "公开姓名"},
      {"purpose", "用途"},
      {"receipt", "票据号"},
      {"to", "收款人"},
      {"period", "所属期"},
  };
  return headings;
}

constexpr const char* kNoteHelp = "会公开：不要写姓名、身份证号、电话等个人信息。";

// The columns of each kind's import sheet, in the import's normative
// order. `adult` has no Chinese heading and is left out (a birth year
// tells the age); `request_id` is left out too (each row gets an id from
// its cells, which is what a clerk wants).
const std::vector<SheetSpec>& Sheets() {
  static const std::vector<SheetSpec> sheets = {
      {"residents",
       "村民",
       "登记村民",
       {
           {"id", CellKind::kId, ListKind::kNone,
            "村民编号，如 R001：在账本中唯一，只用字母、数字和 _ . -。"},
           {"village", CellKind::kId, ListKind::kVillage, "村代码（下拉选择）。"},
           {"household", CellKind::kId, ListKind::kHouseholds,
            "所在户的户号（下拉选择，见“户名单”）；该户须已登记或在同一文件中登记。"},
           {"name", CellKind::kName, ListKind::kNone, "姓名。"},
           {"minor", CellKind::kFlag, ListKind::kNone, "是否未成年：是/否，留空为否。"},
           {"birth_year", CellKind::kYear, ListKind::kNone, "出生年份，四位数字，如 1965。"},
       }},
      {"households",
       "户",
       "登记户",
       {
           {"id", CellKind::kId, ListKind::kNone,
            "户号，如 H001：在账本中唯一，只用字母、数字和 _ . -。"},
           {"village", CellKind::kId, ListKind::kVillage, "村代码（下拉选择）。"},
           {"head", CellKind::kName, ListKind::kNone, "户主姓名。"},
       }},
      {"rules",
       "规则",
       "登记积分规则",
       {
           {"code", CellKind::kId, ListKind::kNone,
            "规则代码，如 VOL01：只用字母、数字和 _ . -（已有规则见“规则表”）。"},
           {"category", CellKind::kId, ListKind::kCategories,
            "类别代码，如 volunteer（可从已有类别中选择）。"},
           {"points", CellKind::kPoints, ListKind::kNone, "默认分值，正整数。"},
           {"village", CellKind::kId, ListKind::kVillage, "适用的村；留空为全县通用。"},
           {"min", CellKind::kPoints, ListKind::kNone,
            "可给的最低分；与最高分同时填写，都留空为不设范围。"},
           {"max", CellKind::kPoints, ListKind::kNone, "可给的最高分。"},
           {"description", CellKind::kText, ListKind::kNone, "规则说明，如“为老人义务理发”。"},
       }},
      {"awards",
       "加分",
       "加分",
       {
           {"resident", CellKind::kId, ListKind::kResidents,
            "村民编号（下拉选择，按姓名查找见“村民名单”）；同村没有重名时也可填姓名。"},
           {"rule", CellKind::kId, ListKind::kRules, "规则代码（下拉选择，见“规则表”）。"},
           {"points", CellKind::kPoints, ListKind::kNone,
            "加的分数，正整数；留空按规则的默认分值。"},
           {"date", CellKind::kDate, ListKind::kNone, "发生日期；留空为导入当天。"},
           {"note", CellKind::kText, ListKind::kNone, kNoteHelp},
       }},
      {"deductions",
       "扣分",
       "扣分",
       {
           {"resident", CellKind::kId, ListKind::kResidents,
            "村民编号（下拉选择，按姓名查找见“村民名单”）；同村没有重名时也可填姓名。"},
           {"rule", CellKind::kId, ListKind::kRules, "规则代码（下拉选择，见“规则表”）。"},
           {"points", CellKind::kPoints, ListKind::kNone,
            "扣的分数，填正整数（如扣 5 分填 5）；留空按规则的默认分值。"},
           {"date", CellKind::kDate, ListKind::kNone, "发生日期；留空为导入当天。"},
           {"note", CellKind::kText, ListKind::kNone, kNoteHelp},
       }},
      {"redemptions",
       "兑换",
       "积分兑换",
       {
           {"resident", CellKind::kId, ListKind::kResidents,
            "村民编号（下拉选择，按姓名查找见“村民名单”）；同村没有重名时也可填姓名。"},
           {"points", CellKind::kPoints, ListKind::kNone, "这次兑换共用的积分，正整数。"},
           {"item", CellKind::kText, ListKind::kNone, "兑换的物品，如“洗衣粉”。"},
           {"shop", CellKind::kId, ListKind::kShops, "兑换点（信用超市）代码；可留空。"},
           {"quantity", CellKind::kQuantity, ListKind::kNone, "数量，正整数；留空为 1。"},
       }},
      {"donations",
       "捐赠",
       "收到捐赠",
       {
           {"fund", CellKind::kId, ListKind::kFunds, "基金代码（下拉选择，见“基金表”）。"},
           {"amount", CellKind::kAmount, ListKind::kNone, "金额（元）。"},
           {"donor", CellKind::kName, ListKind::kNone,
            "个人捐赠人姓名；与捐赠单位只填一个，都不填为匿名。"},
           {"donor_org", CellKind::kName, ListKind::kNone, "捐赠单位名称。"},
           {"public_name", CellKind::kFlag, ListKind::kNone,
            "是否公开个人捐赠人的姓名：是/否，留空为否。"},
           {"purpose", CellKind::kId, ListKind::kPurposes,
            "定向用途代码，如 edu；留空为不限定用途。"},
           {"receipt", CellKind::kId, ListKind::kNone, "票据号；留空由账本按基金顺序编号。"},
       }},
      {"disbursements",
       "支出",
       "基金支出",
       {
           {"fund", CellKind::kId, ListKind::kFunds, "基金代码（下拉选择，见“基金表”）。"},
           {"to", CellKind::kId, ListKind::kPayees,
            "收款村民编号或户号（下拉选择，见“村民名单”“户名单”）。"},
           {"amount", CellKind::kAmount, ListKind::kNone, "金额（元）。"},
           {"purpose", CellKind::kId, ListKind::kPurposes,
            "基金已有的定向用途；留空从不限定用途的资金中支出。"},
           {"period", CellKind::kId, ListKind::kNone, "所属期：2021-09、2021Q3 或 2021。"},
           {"note", CellKind::kText, ListKind::kNone, kNoteHelp},
       }},
  };
  return sheets;
}

const SheetSpec* FindSheet(std::string_view kind) {
  for (const SheetSpec& s : Sheets()) {
    if (s.kind == kind) return &s;
  }
  return nullptr;
}

bool Uses(const SheetSpec& sheet, ListKind list) {
  for (const ColumnSpec& c : sheet.columns) {
    if (c.list == list || (list != ListKind::kNone && c.list == ListKind::kPayees &&
                           (list == ListKind::kResidents || list == ListKind::kHouseholds))) {
      return true;
    }
  }
  return false;
}

void AddUnique(std::vector<std::string>& list, const std::string& word) {
  if (word.empty()) return;
  for (const std::string& w : list) {
    if (w == word) return;
  }
  list.push_back(word);
}

// What the sheet's lists need, read from the ledger: only what the kind
// uses (a donation template holds no resident's name).
Status ReadLists(const Ledger& ledger, StateStore& state, const SheetSpec& sheet,
                 const VillageState& village, TemplateLists* out) {
  out->village = village.rec;
  if (Uses(sheet, ListKind::kResidents)) {
    for (const ResidentRecord& r : ListResidents(state, village.rec.code)) {
      if (r.status != ResidentStatus::kActive) continue;
      VLEDGER_ASSIGN_OR_RETURN(std::optional<PersonRecord> person, ledger.LoadPerson(r.person_ref));
      out->residents.push_back({std::string(r.id),
                                person ? person->person.name : std::string(kErasedName),
                                std::string(r.household)});
    }
  }
  if (Uses(sheet, ListKind::kHouseholds)) {
    for (const HouseholdRecord& h : ListHouseholds(state, village.rec.code)) {
      VLEDGER_ASSIGN_OR_RETURN(std::optional<PersonRecord> head, ledger.LoadPerson(h.head_ref));
      out->households.push_back({std::string(h.id),
                                 head ? head->person.name : std::string(kErasedName),
                                 std::string(h.head_resident)});
    }
  }
  if (Uses(sheet, ListKind::kRules) || Uses(sheet, ListKind::kCategories)) {
    for (const RuleRecord& r : ListRules(state, village.rec.code)) {
      if (r.retired_seq) continue;
      out->rules.push_back(r);
      AddUnique(out->categories, r.category);
    }
  }
  if (Uses(sheet, ListKind::kFunds)) {
    for (const FundRecord& f : ListFunds(state)) {
      if (!f.village.empty() && f.village != village.rec.code) continue;
      TemplateFund fund{f.code, f.name, {}};
      if (const FundState* s = FindFund(state, f.code)) {
        for (const auto& [purpose, fen] : s->purposes_fen) {
          if (purpose.empty()) continue;
          fund.purposes.push_back(purpose);
          AddUnique(out->purposes, purpose);
        }
      }
      out->funds.push_back(std::move(fund));
    }
  }
  if (Uses(sheet, ListKind::kShops)) {
    for (const auto& [shop, points] : village.redeemed_pt) AddUnique(out->shops, shop);
  }
  return Status::Ok();
}

}  // namespace

std::string TemplateHeading(const std::string& kind, const std::string& column) {
  const KindSpec* spec = FindKind(kind);
  if (spec == nullptr) return "";
  bool known = false;
  for (std::string_view c : spec->columns) known = known || c == column;
  if (!known) return "";
  for (const auto& [english, chinese] : Headings()) {
    if (english == column && column != "adult") return std::string(chinese);
  }
  return "";
}

const SheetSpec* TemplateSheet(std::string_view kind) { return FindSheet(kind); }

std::vector<std::string> TemplateColumns(const std::string& kind) {
  std::vector<std::string> columns;
  if (const SheetSpec* sheet = FindSheet(kind)) {
    for (const ColumnSpec& c : sheet->columns) columns.emplace_back(c.column);
  }
  return columns;
}

bool TemplateColumnRequired(std::string_view kind, std::string_view column) {
  const KindSpec* spec = FindKind(kind);
  if (spec == nullptr) return false;
  for (size_t i = 0; i < spec->required && i < spec->columns.size(); i++) {
    if (spec->columns[i] == column) return true;
  }
  return false;
}

Result<TemplateResult> Template(const Session& session, const TemplateRequest& request) try {
  const SheetSpec* sheet = FindSheet(request.kind);
  if (sheet == nullptr) {
    std::string kinds;
    for (const std::string& k : ImportKindNames()) kinds += (kinds.empty() ? "" : ", ") + k;
    return Status::InvalidInput("KIND",
                                Msg("unknown kind \"{}\" (give one of {})", request.kind, kinds));
  }
  if (request.out.empty()) return Status::InvalidInput("--out", "give the workbook to write");
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  const VillageState* village = FindVillage(*state, request.village);
  if (village == nullptr) {
    return Status::NotFound(
        "--village",
        Msg("unknown village \"{}\" (vledger village list names them)", request.village));
  }
  TemplateLists lists;
  VLEDGER_TRY(ReadLists(*ledger, *state, *sheet, *village, &lists));
  uint64_t size = ledger->size();
  VLEDGER_ASSIGN_OR_RETURN(Event last, ledger->ReadDecoded(size - 1));
  lists.size = size;
  lists.recorded_at_ms = last.recorded_at_ms;
  lists.list_entries_max = request.list_entries_max;

  TemplateResult result;
  VLEDGER_ASSIGN_OR_RETURN(
      std::string bytes, WriteTemplateWorkbook(*sheet, lists, request.out, &result.lists_left_out));
  VLEDGER_TRY(WriteFileAtomically(request.out, bytes));
  result.out = request.out;
  result.kind = request.kind;
  result.village = request.village;
  result.size = size;
  result.bytes = bytes.size();
  result.sha256 = Hex(Sha256(bytes));
  result.residents = lists.residents.size();
  result.households = lists.households.size();
  result.rules = lists.rules.size();
  result.funds = lists.funds.size();
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string TemplateJson(const TemplateResult& r) {
  return Json{{"out", r.out},
              {"kind", r.kind},
              {"village", r.village},
              {"size", r.size},
              {"bytes", r.bytes},
              {"sha256", r.sha256},
              {"residents", r.residents},
              {"households", r.households},
              {"rules", r.rules},
              {"funds", r.funds},
              {"listsLeftOut", r.lists_left_out}}
      .dump();
}

}  // namespace vledger::app
