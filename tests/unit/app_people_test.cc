// People by name (app/people.h): the name index behind `resident find`,
// names as RESIDENT arguments, and names kept out of free text.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app_fixture.h"
#include "vledger/app/ledger.h"
#include "vledger/app/people.h"
#include "vledger/app/points.h"
#include "vledger/app/registry.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/verify.h"

namespace vledger {
namespace {

using testing::AppLedger;

class PeopleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V01 --name 曲家村");
    l.Vl("village add V02 --name 王家村");
    l.Vl("household add H001 --village V01 --head 曲建国");
    l.Vl("household add H002 --village V02 --head 王大山");
    l.Vl("resident add R001 --village V01 --household H001 --name 王建国 --birth-year 1970");
    l.Vl("resident add R002 --village V02 --household H002 --name 王建国 --birth-year 1985");
    l.Vl("resident add R003 --village V01 --household H001 --name 单雄信 --adult");
    l.Vl("resident add R004 --village V01 --household H001 --name 曲小红 --adult");
    l.Vl("rule add VOL --category 志愿服务 --points 3");
  }

  std::vector<std::string> Find(const std::string& text, const std::string& village = "") {
    app::ResidentFindRequest r;
    r.text = text;
    r.village = village;
    auto found = app::ResidentFind(l.AdminSession(), r);
    EXPECT_TRUE(found.ok()) << found.status().message();
    std::vector<std::string> ids;
    if (found.ok()) {
      for (const app::ResidentMatch& m : found->residents) ids.push_back(m.id);
    }
    return ids;
  }

  Result<app::AwardResult> Award(const std::string& resident, const std::string& note = "",
                                 bool allow_names = false) {
    app::AwardRequest r;
    r.resident = resident;
    r.rule = "VOL";
    r.note = note;
    r.allow_names = allow_names;
    return app::Award(l.AdminSession(), r);
  }

  AppLedger l;
};

using Ids = std::vector<std::string>;

TEST_F(PeopleTest, FindsByNamePinyinInitialsHouseholdAndId) {
  EXPECT_EQ(Find("王建国"), (Ids{"R001", "R002"}));
  EXPECT_EQ(Find("wangjianguo"), (Ids{"R001", "R002"}));
  EXPECT_EQ(Find("WJG"), (Ids{"R001", "R002"}));
  EXPECT_EQ(Find("wangjian"), (Ids{"R001", "R002"}));  // a prefix
  EXPECT_EQ(Find("王建国", "V02"), (Ids{"R002"}));
  EXPECT_EQ(Find("R004"), (Ids{"R004"}));
  EXPECT_EQ(Find("曲"), (Ids{"R004"}));
  EXPECT_EQ(Find("H002"), (Ids{"R002"}));
  EXPECT_EQ(Find("nobody"), Ids{});
}

TEST_F(PeopleTest, FindListsHouseholdHeadBirthYearAndStatus) {
  app::ResidentFindRequest r;
  r.text = "王建国";
  r.village = "V01";
  auto found = app::ResidentFind(l.AdminSession(), r);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->residents.size(), 1u);
  const app::ResidentMatch& m = found->residents[0];
  EXPECT_EQ(m.name, "王建国");
  EXPECT_EQ(m.household, "H001");
  EXPECT_EQ(m.head, "曲建国");
  EXPECT_EQ(m.birth_year, 1970);
  EXPECT_EQ(m.status, ResidentStatus::kActive);
  EXPECT_EQ(app::ResidentFindJson(*found),
            "{\"residents\":[{\"id\":\"R001\",\"name\":\"王建国\",\"village\":\"V01\","
            "\"household\":\"H001\",\"head\":\"曲建国\",\"birthYear\":1970,\"status\":"
            "\"active\"}],\"truncated\":false}");
}

TEST_F(PeopleTest, SurnameTableReadsTheSurnameNotTheCommonReading) {
  EXPECT_EQ(Find("shanxiongxin"), (Ids{"R003"}));
  EXPECT_EQ(Find("sxx"), (Ids{"R003"}));
  EXPECT_EQ(Find("danxiongxin"), Ids{});
}

TEST_F(PeopleTest, TwoResidentsOfOneNameAreAConflictListingBoth) {
  auto awarded = Award("王建国");
  ASSERT_FALSE(awarded.ok());
  EXPECT_EQ(awarded.status().code(), Code::kConflict);
  std::string text = awarded.status().message();
  EXPECT_NE(text.find("R001 (H001, 曲建国, 1970)"), std::string::npos) << text;
  EXPECT_NE(text.find("R002 (H002, 王大山, 1985)"), std::string::npos) << text;
}

TEST_F(PeopleTest, AUniqueNameIsTheResident) {
  auto awarded = Award("单雄信");
  ASSERT_TRUE(awarded.ok()) << awarded.status().message();
  app::BalanceRequest b;
  b.resident = "单雄信";
  auto balance = app::Balance(l.AdminSession(), b);
  ASSERT_TRUE(balance.ok()) << balance.status().message();
  EXPECT_EQ(balance->residents[0].resident, "R003");
  EXPECT_EQ(balance->residents[0].credit_score, 3);
}

TEST_F(PeopleTest, ANameOfNobodyListsTheClosest) {
  auto awarded = Award("王建军");
  ASSERT_FALSE(awarded.ok());
  EXPECT_EQ(awarded.status().code(), Code::kNotFound);
  EXPECT_NE(awarded.status().message().find("R001"), std::string::npos)
      << awarded.status().message();
  app::BalanceRequest b;
  b.resident = "王剑国";  // the same pinyin
  auto balance = app::Balance(l.AdminSession(), b);
  ASSERT_FALSE(balance.ok());
  EXPECT_EQ(balance.status().code(), Code::kNotFound);
  EXPECT_NE(balance.status().message().find("R002"), std::string::npos)
      << balance.status().message();
}

TEST_F(PeopleTest, AnErasedPersonIsNeverFound) {
  l.Vl("person erase R003 --reason 本人申请");
  EXPECT_EQ(Find("单雄信"), Ids{});
  EXPECT_EQ(Find("shanxiongxin"), Ids{});
  auto awarded = Award("单雄信");
  ASSERT_FALSE(awarded.ok());
  EXPECT_EQ(awarded.status().code(), Code::kNotFound);
  // Nor after a rebuild, which indexes again from the person records.
  ASSERT_TRUE(app::Rebuild(l.AdminSession(), {}).ok());
  EXPECT_EQ(Find("单雄信"), Ids{});
  EXPECT_EQ(Find("曲小红"), (Ids{"R004"}));
  EXPECT_EQ(Find("qxh"), (Ids{"R004"}));
}

// Every row of the name index, in key order.
std::vector<std::pair<std::string, std::string>> NameRows(const std::string& ledger_dir) {
  std::vector<std::pair<std::string, std::string>> rows;
  auto ledger = Ledger::Open(ledger_dir, Ledger::OpenOptions{});
  EXPECT_TRUE(ledger.ok()) << ledger.status().message();
  if (!ledger.ok()) return rows;
  Status st = (*ledger)->ScanNameRows("", [&](std::string_view k, std::string_view v) {
    rows.emplace_back(std::string(k), std::string(v));
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return rows;
}

// A rebuild indexes every resident again from the person records (joined
// with the residents in one pass over them): exactly the rows that the
// commands wrote one by one, pinyin read, erased and renamed residents
// included.
TEST_F(PeopleTest, ARebuildIndexesExactlyWhatTheCommandsIndexed) {
  l.Vl("resident update R004 --name 曲晓红");
  l.Vl("person erase R003 --reason 本人申请");
  for (int i = 5; i < 40; i++) {
    char cmd[160];
    std::snprintf(cmd, sizeof cmd,
                  "resident add R%03d --village V0%d --household H00%d --name 王建%c --adult", i,
                  1 + i % 2, 1 + i % 2, static_cast<char>('A' + i % 26));
    l.Vl(cmd);
  }
  EXPECT_GE(Find("wjg").size(), 2u);  // reads the pinyin of every resident not read yet
  auto before = NameRows(l.ledger());
  ASSERT_GT(before.size(), 4u * 38);
  ASSERT_TRUE(app::Rebuild(l.AdminSession(), {}).ok());
  EXPECT_EQ(NameRows(l.ledger()), before);
  // Its rows and the projections' are in files below level 0.
  auto ledger = Ledger::Open(l.ledger(), Ledger::OpenOptions{});
  ASSERT_TRUE(ledger.ok());
  auto level0 = (*ledger)->RowFilesAtLevelZero();
  ASSERT_TRUE(level0.ok());
  EXPECT_EQ(*level0, 0u);
}

// Imports residents M0 ... M<n-1> (two villages, Chinese names).
void ImportMany(AppLedger& l, int n) {
  const char* given[] = {"建", "国", "小", "红", "明", "华", "秀", "英", "志", "强", "丽", "军"};
  std::string csv = "id,village,household,name,minor,birth_year\n";
  for (int i = 0; i < n; i++) {
    csv += "M" + std::to_string(i) + ",V0" + std::to_string(1 + i % 2) + ",H00" +
           std::to_string(1 + i % 2) + "," + (i % 3 == 0 ? "李" : "张") + given[i % 12] +
           given[(i / 12) % 12] + ",否,1980\n";
  }
  FILE* f = std::fopen(l.File("many.csv").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(csv.c_str(), f);
  std::fclose(f);
  l.Vl("import '" + l.File("many.csv") + "' --kind residents");
}

// The same for more residents than a rebuild hands from the thread that
// reads the person records to those that make the rows in one batch
// (1,024), than it sorts on one thread (4,096), and with more rows than
// it writes on one thread (65,536): every batch arrives, to either of the
// two threads that make rows, the last one part full; the rows of both
// are merged in key order, the characters' readings that both learned
// once, and written in two halves, a row of both in one half only.
TEST_F(PeopleTest, ARebuildIndexesEveryResidentOfManyBatches) {
  ImportMany(l, 17000);
  EXPECT_FALSE(Find("M16999").empty());  // reads the pinyin of every resident not read yet
  auto before = NameRows(l.ledger());
  ASSERT_GT(before.size(), 4u * 17000);
  ASSERT_TRUE(app::Rebuild(l.AdminSession(), {}).ok());
  EXPECT_EQ(NameRows(l.ledger()), before);
  EXPECT_EQ(Find("M0"), (Ids{"M0"}));
  EXPECT_EQ(Find("M16999"), (Ids{"M16999"}));
}

// Two malformed person records, in batches that different threads make the
// rows of (the batches go to the two in turn): a rebuild reports the one
// first in the records' order, as one thread would, whichever of the two
// threads came to its record first; the index is left as it was.
TEST_F(PeopleTest, ARebuildReportsTheFirstOfTwoMalformedPersonRecords) {
  ImportMany(l, 3500);
  std::vector<std::pair<std::string, std::string>> records;  // in ref order
  {
    auto ledger = Ledger::Open(l.ledger(), Ledger::OpenOptions{});
    ASSERT_TRUE(ledger.ok());
    ASSERT_TRUE((*ledger)
                    ->ScanPersons([&](std::string_view ref, std::string_view value) {
                      records.emplace_back(std::string(ref), std::string(value));
                      return Status::Ok();
                    })
                    .ok());
  }
  ASSERT_GT(records.size(), 3000u);
  EXPECT_FALSE(Find("M3499").empty());  // reads the pinyin of every resident not read yet
  auto before = NameRows(l.ledger());
  // In batches of 1,024 records of residents (the few records of no
  // resident are passed over): 500 is in the first batch, 1,500 in the
  // second, 2,500 in the third; the first and third go to one thread.
  for (auto [first, second] : {std::pair{1500, 2500}, std::pair{500, 1500}}) {
    {
      auto ledger = l.AdminSession().OpenWriter();
      ASSERT_TRUE(ledger.ok());
      ASSERT_TRUE((*ledger)
                      ->PutPersons({{records[first].first, "too short"},
                                    {records[second].first, "too short"}})
                      .ok());
    }
    Status st = app::Rebuild(l.AdminSession(), {}).status();
    EXPECT_EQ(st.code(), Code::kCorruption);
    EXPECT_NE(st.message().find(Hex(records[first].first)), std::string::npos) << st.message();
    {
      auto ledger = l.AdminSession().OpenWriter();
      ASSERT_TRUE(ledger.ok());
      ASSERT_TRUE((*ledger)->PutPersons({records[first], records[second]}).ok());
    }
    EXPECT_EQ(NameRows(l.ledger()), before);
  }
  ASSERT_TRUE(app::Rebuild(l.AdminSession(), {}).ok());
  EXPECT_EQ(NameRows(l.ledger()), before);
}

TEST_F(PeopleTest, ARenamedResidentIsFoundUnderItsNewNameOnly) {
  l.Vl("resident update R004 --name 曲晓红");
  EXPECT_EQ(Find("曲小红"), Ids{});
  EXPECT_EQ(Find("曲晓红"), (Ids{"R004"}));
}

TEST_F(PeopleTest, ANameInANoteIsRefusedUnlessAllowed) {
  auto refused = Award("R004", "帮王建国修屋顶");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kInvalidInput);
  EXPECT_EQ(refused.status().field(), "note");
  EXPECT_TRUE(Award("R004", "帮王建国修屋顶", true).ok());
  EXPECT_TRUE(Award("R004", "为老人义务理发").ok());
  // A name of one character, or of an erased person, is no name to refuse.
  l.Vl("person erase R003 --reason 本人申请");
  EXPECT_TRUE(Award("R004", "单雄信来过").ok());
}

TEST_F(PeopleTest, NamesAreCheckedAmongTheKeysVillagesOnly) {
  std::unique_ptr<Ledger> ledger = Ledger::Open(l.ledger(), {}).value();
  auto people = app::PeopleReader::Of(*ledger);
  EXPECT_EQ(app::CheckNoNames(*people, "note", "问候曲小红", {"V02"}).code(), Code::kOk);
  EXPECT_EQ(app::CheckNoNames(*people, "note", "问候曲小红", {"V01"}).code(), Code::kInvalidInput);
  EXPECT_EQ(app::CheckNoNames(*people, "note", "问候曲小红", {}).code(), Code::kInvalidInput);
}

TEST_F(PeopleTest, FindListsAtMostFindMatchesMaxAndAConflictAtMostNameChoicesMax) {
  std::string csv = "id,village,household,name,minor,birth_year\n";
  for (size_t i = 0; i <= app::kFindMatchesMax; i++) {
    csv += "L" + std::to_string(i) + ",V01,H001,李明,否,1980\n";
  }
  FILE* f = std::fopen(l.File("li.csv").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(csv.c_str(), f);
  std::fclose(f);
  l.Vl("import '" + l.File("li.csv") + "' --kind residents");
  app::ResidentFindRequest r;
  r.text = "liming";
  auto found = app::ResidentFind(l.AdminSession(), r);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->residents.size(), app::kFindMatchesMax);
  EXPECT_TRUE(found->truncated);
  r.village = "V02";
  found = app::ResidentFind(l.AdminSession(), r);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->residents.empty());
  EXPECT_FALSE(found->truncated);

  auto awarded = Award("李明");
  ASSERT_FALSE(awarded.ok());
  std::string text = awarded.status().message();
  size_t listed = 0;
  for (size_t at = text.find("(H001"); at != std::string::npos; at = text.find("(H001", at + 1)) {
    listed++;
  }
  EXPECT_EQ(listed, app::kNameChoicesMax) << text;
  EXPECT_NE(text.find("…"), std::string::npos) << text;
}

}  // namespace
}  // namespace vledger
