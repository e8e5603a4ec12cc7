// Import templates (app/template.h) and the ids a shell completes
// (app/completion.h): what each template lists, its headings against the
// import's columns, the same bytes for the same ledger, unknown kinds and
// villages, the bound of a drop-down list, nothing written on a refusal.
// The workbook's content (sheets, headings, validations) is read back by
// tests/scenario/template.sh.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "app_fixture.h"
#include "vledger/app/completion.h"
#include "vledger/app/import.h"
#include "vledger/app/template.h"

namespace vledger {
namespace {

using testing::AppLedger;

class TemplateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V1 --name 曲家村");
    l.Vl("village add V2 --name 王家村");
    l.Vl("household add H1 --village V1 --head 曲建国");
    l.Vl("household add H9 --village V2 --head 王大山");
    l.Vl("resident add R001 --village V1 --household H1 --name 曲建国 --birth-year 1960");
    l.Vl("resident add R002 --village V1 --household H1 --name 曲小红 --birth-year 1990");
    l.Vl("resident add R900 --village V2 --household H9 --name 王大山 --birth-year 1955");
    l.Vl("rule add VOL --category volunteer --points 2 --min 1 --max 10 --desc 志愿服务");
    l.Vl("rule add OLD --category volunteer --points 1");
    l.Vl("rule retire OLD");
    l.Vl("fund open EDU --name 助学基金 --kind charity --village V1");
    l.Vl("donate EDU --amount 100 --purpose books --anonymous");
  }

  app::TemplateRequest Request(const std::string& kind, const std::string& out) {
    app::TemplateRequest r;
    r.kind = kind;
    r.village = "V1";
    r.out = l.File(out);
    return r;
  }

  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  AppLedger l;
};

TEST_F(TemplateTest, AwardsTemplateListsTheVillagesActiveResidentsAndLiveRules) {
  auto r = app::Template(l.AdminSession(), Request("awards", "awards.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->residents, 2u);  // R001, R002; not V2's R900
  EXPECT_EQ(r->rules, 1u);      // VOL; OLD is retired
  EXPECT_EQ(r->households, 0u);
  EXPECT_EQ(r->funds, 0u);
  EXPECT_TRUE(r->lists_left_out.empty());
  std::string bytes = Read(r->out);
  EXPECT_EQ(bytes.size(), r->bytes);
  EXPECT_EQ(bytes.substr(0, 2), "PK");  // a zip container
  EXPECT_FALSE(std::filesystem::exists(r->out + ".xlsxwriter"));
  EXPECT_FALSE(std::filesystem::exists(r->out + ".tmp"));
  std::string json = app::TemplateJson(*r);
  EXPECT_NE(json.find("\"kind\":\"awards\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"sha256\":\"" + r->sha256 + "\""), std::string::npos) << json;
}

TEST_F(TemplateTest, SameLedgerAndRequestGiveTheSameBytes) {
  auto a = app::Template(l.AdminSession(), Request("disbursements", "a.xlsx"));
  ASSERT_TRUE(a.ok()) << a.status().message();
  // Later on the wall clock, same ledger: same bytes.
  auto b =
      app::Template(l.AdminSession("2021-10-30T10:00:00Z"), Request("disbursements", "b.xlsx"));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(a->sha256, b->sha256);
  EXPECT_EQ(Read(a->out), Read(b->out));
  // Another event: other bytes (the creation time is the last event's).
  l.Vl("village add V3 --name 新村", true);
  auto c = app::Template(l.AdminSession(), Request("disbursements", "c.xlsx"));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_NE(a->sha256, c->sha256);
}

TEST_F(TemplateTest, EachKindListsOnlyWhatItsColumnsNeed) {
  auto donations = app::Template(l.AdminSession(), Request("donations", "d.xlsx"));
  ASSERT_TRUE(donations.ok()) << donations.status().message();
  EXPECT_EQ(donations->residents, 0u);  // no resident's name in it
  EXPECT_EQ(donations->households, 0u);
  EXPECT_EQ(donations->funds, 1u);
  auto disbursements = app::Template(l.AdminSession(), Request("disbursements", "p.xlsx"));
  ASSERT_TRUE(disbursements.ok());
  EXPECT_EQ(disbursements->residents, 2u);
  EXPECT_EQ(disbursements->households, 1u);
  EXPECT_EQ(disbursements->funds, 1u);
  auto residents = app::Template(l.AdminSession(), Request("residents", "r.xlsx"));
  ASSERT_TRUE(residents.ok());
  EXPECT_EQ(residents->residents, 0u);
  EXPECT_EQ(residents->households, 1u);
  for (const std::string& kind : app::ImportKindNames()) {
    auto t = app::Template(l.AdminSession(), Request(kind, kind + ".xlsx"));
    EXPECT_TRUE(t.ok()) << kind << ": " << t.status().message();
  }
}

TEST_F(TemplateTest, ColumnsHaveChineseHeadingsAndEveryRequiredOneIsWritten) {
  // SPEC section 9: the required columns of each kind.
  const std::map<std::string, std::vector<std::string>> required = {
      {"residents", {"id", "village", "household", "name"}},
      {"households", {"id", "village", "head"}},
      {"rules", {"code", "category", "points"}},
      {"awards", {"resident", "rule"}},
      {"deductions", {"resident", "rule"}},
      {"redemptions", {"resident", "points", "item"}},
      {"donations", {"fund", "amount"}},
      {"disbursements", {"fund", "to", "amount"}},
  };
  ASSERT_EQ(app::ImportKindNames().size(), required.size());
  for (const std::string& kind : app::ImportKindNames()) {
    std::vector<std::string> columns = app::TemplateColumns(kind);
    for (const std::string& c : columns) {
      EXPECT_FALSE(app::TemplateHeading(kind, c).empty()) << kind << ": " << c;
    }
    for (const std::string& c : required.at(kind)) {
      EXPECT_NE(std::find(columns.begin(), columns.end(), c), columns.end())
          << kind << " lacks " << c;
    }
  }
  EXPECT_EQ(app::TemplateHeading("awards", "resident"), "村民");
  EXPECT_EQ(app::TemplateHeading("residents", "name"), "姓名");
  EXPECT_EQ(app::TemplateHeading("disbursements", "to"), "收款人");
  EXPECT_EQ(app::TemplateHeading("awards", "fund"), "");  // not a column of awards
  EXPECT_TRUE(app::TemplateColumns("gifts").empty());
}

TEST_F(TemplateTest, UnknownKindOrVillageIsRefusedAndWritesNothing) {
  auto kind = app::Template(l.AdminSession(), Request("gifts", "k.xlsx"));
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.status().code(), Code::kInvalidInput);
  EXPECT_EQ(kind.status().field(), "KIND");
  EXPECT_FALSE(std::filesystem::exists(l.File("k.xlsx")));

  app::TemplateRequest request = Request("awards", "v.xlsx");
  request.village = "V404";
  auto village = app::Template(l.AdminSession(), request);
  ASSERT_FALSE(village.ok());
  EXPECT_EQ(village.status().code(), Code::kNotFound);
  EXPECT_EQ(village.status().field(), "--village");
  EXPECT_FALSE(std::filesystem::exists(l.File("v.xlsx")));

  auto folder = app::Template(l.AdminSession(), Request("awards", "no/such/folder.xlsx"));
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), Code::kInvalidInput);
  EXPECT_EQ(folder.status().field(), "--out");
}

TEST_F(TemplateTest, ListLongerThanTheBoundHasNoDropDown) {
  app::TemplateRequest at = Request("awards", "at.xlsx");
  at.list_entries_max = 2;  // the two residents: still a list
  auto r = app::Template(l.AdminSession(), at);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->lists_left_out.empty());

  app::TemplateRequest past = Request("awards", "past.xlsx");
  past.list_entries_max = 1;  // two residents: one past the bound
  auto p = app::Template(l.AdminSession(), past);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->lists_left_out, std::vector<std::string>{"resident"});
  EXPECT_EQ(p->residents, 2u);  // the helper sheet still lists both
}

TEST_F(TemplateTest, CompleteGivesIdsByPrefix) {
  auto residents = app::Complete(l.AdminSession(), {"residents", "R0"});
  ASSERT_TRUE(residents.ok()) << residents.status().message();
  EXPECT_EQ(residents->words, (std::vector<std::string>{"R001", "R002"}));
  auto all = app::Complete(l.AdminSession(), {"residents", ""});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->words, (std::vector<std::string>{"R001", "R002", "R900"}));
  auto rules = app::Complete(l.AdminSession(), {"rules", ""});
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(rules->words, std::vector<std::string>{"VOL"});  // OLD is retired
  auto villages = app::Complete(l.AdminSession(), {"villages", "V"});
  ASSERT_TRUE(villages.ok());
  EXPECT_EQ(villages->words, (std::vector<std::string>{"V1", "V2"}));
  auto households = app::Complete(l.AdminSession(), {"households", "H9"});
  ASSERT_TRUE(households.ok());
  EXPECT_EQ(households->words, std::vector<std::string>{"H9"});
  auto funds = app::Complete(l.AdminSession(), {"funds", "X"});
  ASSERT_TRUE(funds.ok());
  EXPECT_TRUE(funds->words.empty());
  auto bad = app::Complete(l.AdminSession(), {"people", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidInput);
}

TEST_F(TemplateTest, CompleteGivesAtMostWordsMax) {
  std::string csv = "id,village,household,name\n";
  for (size_t i = 0; i <= app::kCompletionWordsMax; i++) {
    csv += "X" + std::to_string(10000 + i) + ",V1,H1,某" + std::to_string(i) + "\n";
  }
  std::ofstream(l.File("many.csv")) << csv;
  l.Vl("import " + l.File("many.csv") + " --kind residents");
  auto at = app::Complete(l.AdminSession(), {"residents", "X1"});
  ASSERT_TRUE(at.ok()) << at.status().message();
  EXPECT_EQ(at->words.size(), app::kCompletionWordsMax);  // of 1,001
  EXPECT_EQ(at->words.front(), "X10000");
  auto fewer = app::Complete(l.AdminSession(), {"residents", "X10"});
  ASSERT_TRUE(fewer.ok());
  EXPECT_EQ(fewer->words.size(), 1000u);  // X10000..X10999: exactly the bound
  auto last = app::Complete(l.AdminSession(), {"residents", "X1100"});
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->words, std::vector<std::string>{"X11000"});
}

}  // namespace
}  // namespace vledger
