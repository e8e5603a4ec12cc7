// The import engine (app/import.h): resuming an import cut short, refusing
// a file with bad rows (every one named by line and column, nothing
// written), --again, content under another label, labels reused for other
// content, the request ids of rows, damaged progress rows, the --json
// document.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <vector>

#include "app_fixture.h"
#include "vledger/app/append.h"
#include "vledger/app/builders.h"
#include "vledger/app/import.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"

namespace vledger {
namespace {

using testing::AppLedger;

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V1 --name 曲家村");
    l.Vl("household add H1 --village V1 --head 曲建国");
    const char* names[] = {"曲一", "曲二", "曲三", "曲四", "曲五"};
    for (int i = 1; i <= 5; i++) {
      l.Vl("resident add R0" + std::to_string(i) + " --village V1 --household H1 --name " +
           names[i - 1] + " --birth-year 1970");
    }
    l.Vl("rule add VOL --category 志愿服务 --points 2 --min 1 --max 10");
    l.Vl("rule add CLEAN --category 环境卫生 --points 3");
  }

  // Writes `text` as the file `name` of the test's folder; returns its path.
  std::string Csv(const std::string& name, const std::string& text) {
    std::string path = l.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Ten distinct awards, one a row.
  std::string TenAwards(const std::string& name) {
    std::string text = "resident,rule,points,date,note\n";
    for (int i = 0; i < 10; i++) {
      text += "R0" + std::to_string(1 + i % 5) + ",VOL," + std::to_string(1 + i) + ",2021-09-0" +
              std::to_string(1 + i % 9) + ",第" + std::to_string(i) + "次\n";
    }
    return Csv(name, text);
  }

  app::ImportRequest Request(const std::string& file, const std::string& kind = "awards") {
    app::ImportRequest r;
    r.file = file;
    r.kind = kind;
    return r;
  }

  uint64_t Size() {
    auto ledger = l.AdminSession().OpenReader();
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    return ledger.ok() ? (*ledger)->size() : 0;
  }

  // The request ids of events [from, to).
  std::vector<std::string> RequestIds(uint64_t from, uint64_t to) {
    auto ledger = l.AdminSession().OpenReader();
    std::vector<std::string> ids;
    for (uint64_t seq = from; seq < to; seq++) {
      auto e = (*ledger)->ReadDecoded(seq);
      EXPECT_TRUE(e.ok());
      if (e.ok()) ids.push_back(e->request_id);
    }
    return ids;
  }

  // A collector key of village V1 (its path).
  std::string Collector() {
    l.Vl("key new --out c.key", false);
    l.Vl("key register --pub c.key.pub --role collector --village V1 --label 采集员");
    return l.File("c.key");
  }

  AppLedger l;
};

TEST_F(ImportTest, AnImportCutShortResumesWithEachRowOnce) {
  std::string file = TenAwards("awards.csv");
  uint64_t base = Size();
  // Stopped after its second commit of three rows: six rows are in.
  app::ImportRequest cut = Request(file);
  cut.batch = "3";
  cut.progress = [](const app::ImportProgress& p) {
    if (p.stage == app::ImportStage::kAppending && p.done >= 6) {
      return Status::Unavailable("stopped");
    }
    return Status::Ok();
  };
  auto stopped = app::Import(l.AdminSession(), cut);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.status().detail(), "stopped");
  EXPECT_EQ(Size(), base + 6);

  // Run again: the four missing rows only.
  app::ImportRequest again = Request(file);
  again.batch = "3";
  auto rest = app::Import(l.AdminSession(), again);
  ASSERT_TRUE(rest.ok()) << rest.status().message();
  EXPECT_EQ(rest->appended, 4u);
  EXPECT_EQ(rest->repeated, 6u);
  EXPECT_EQ(rest->commits, 2u);
  EXPECT_EQ(*rest->first, base + 6);
  EXPECT_EQ(*rest->last, base + 9);
  EXPECT_FALSE(rest->completed_before);
  EXPECT_EQ(Size(), base + 10);
  std::vector<std::string> ids = RequestIds(base, base + 10);
  std::set<std::string> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), 10u);
  for (const std::string& id : ids) EXPECT_TRUE(id.starts_with("imp-")) << id;

  // Once completed, nothing more.
  auto done = app::Import(l.AdminSession(), Request(file));
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_TRUE(done->completed_before);
  EXPECT_EQ(done->appended, 0u);
  EXPECT_EQ(done->repeated, 10u);
  EXPECT_FALSE(done->first.has_value());
  EXPECT_EQ(Size(), base + 10);
}

TEST_F(ImportTest, AnImportStoppedWhileCheckingWritesNothing) {
  std::string file = TenAwards("awards.csv");
  uint64_t base = Size();
  app::ImportRequest r = Request(file);
  r.progress = [](const app::ImportProgress& p) {
    return p.stage == app::ImportStage::kChecking && p.done == 5 ? Status::Unavailable("stopped")
                                                                 : Status::Ok();
  };
  ASSERT_FALSE(app::Import(l.AdminSession(), r).ok());
  EXPECT_EQ(Size(), base);
  auto whole = app::Import(l.AdminSession(), Request(file));
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->appended, 10u);
  EXPECT_EQ(whole->commits, 1u);
}

TEST_F(ImportTest, AFileWithBadRowsIsRefusedNamingEveryRowAndColumn) {
  std::string file = Csv("bad.csv",
                         "resident,rule,points,date,note\n"
                         "R01,VOL,1,2021-09-01,\n"
                         "R02,VOL,x,2021-09-01,\n"    // line 3: points
                         "R03,NOSUCH,,2021-09-02,\n"  // line 4: rule
                         "R04,VOL,2,2021-09-02,\n"
                         "R05,VOL,2,2021-10-02,\n");  // line 6: a date after today
  uint64_t base = Size();
  app::ImportRequest r = Request(file);
  std::vector<Status> bad;
  r.bad_row = [&](const Status& st) { bad.push_back(st); };
  auto refused = app::Import(l.AdminSession(), r);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kInvalidInput);
  EXPECT_EQ(refused.status().field(), "FILE");
  EXPECT_EQ(refused.status().detail(), "3 rows are refused; nothing was appended");
  ASSERT_EQ(bad.size(), 3u);
  EXPECT_EQ(bad[0].row(), 3u);
  EXPECT_EQ(bad[0].field(), "points");
  EXPECT_EQ(bad[0].code(), Code::kInvalidInput);
  EXPECT_EQ(bad[1].row(), 4u);
  EXPECT_EQ(bad[1].field(), "rule");
  EXPECT_NE(bad[1].detail().find("unknown rule \"NOSUCH\""), std::string::npos) << bad[1].detail();
  EXPECT_EQ(bad[2].row(), 6u);
  EXPECT_EQ(bad[2].field(), "date");
  for (const Status& st : bad) EXPECT_TRUE(st.is_refusal());
  EXPECT_EQ(Size(), base);
}

TEST_F(ImportTest, ARefusedFileNamesAtMostBadRowsMax) {
  std::string text = "resident,rule,points\n";
  for (int i = 0; i < 80; i++) text += "R01,VOL,x" + std::to_string(i) + "\n";
  std::vector<Status> bad;
  app::ImportRequest r = Request(Csv("many.csv", text));
  r.bad_row = [&](const Status& st) { bad.push_back(st); };
  auto refused = app::Import(l.AdminSession(), r);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().detail(),
            "50 rows are refused (the check stops at 50); nothing was appended");
  ASSERT_EQ(bad.size(), 50u);
  EXPECT_EQ(bad.front().row(), 2u);
  EXPECT_EQ(bad.back().row(), 51u);
}

TEST_F(ImportTest, ASingleBadRowIsTheRefusalItself) {
  std::string file = Csv("one.csv",
                         "resident,rule,points,date\n"
                         "R01,VOL,1,2021-09-01\n"
                         "R02,VOL,0,2021-09-01\n");
  uint64_t base = Size();
  int told = 0;
  app::ImportRequest r = Request(file);
  r.bad_row = [&](const Status&) { told++; };
  auto refused = app::Import(l.AdminSession(), r);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(told, 1);
  EXPECT_EQ(refused.status().code(), Code::kInvalidInput);
  EXPECT_EQ(refused.status().row(), 3u);
  EXPECT_EQ(refused.status().field(), "points");
  EXPECT_EQ(Size(), base);
}

TEST_F(ImportTest, AKeyThatCannotAppendIsRefusedOnce) {
  l.Vl("key new --out stray.key", false);  // never registered
  std::string file = TenAwards("awards.csv");
  int told = 0;
  app::ImportRequest r = Request(file);
  r.bad_row = [&](const Status&) { told++; };
  auto refused = app::Import(l.SessionFor(l.File("stray.key")), r);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(told, 1);
  EXPECT_EQ(refused.status().row(), 2u);
  EXPECT_NE(refused.status().message().find("is not registered"), std::string::npos)
      << refused.status().message();
}

TEST_F(ImportTest, TheSameContentUnderAnotherLabelIsRefusedUnlessAgain) {
  std::string text = "resident,rule,points,date\nR01,VOL,1,2021-09-01\nR02,VOL,2,2021-09-01\n";
  ASSERT_TRUE(app::Import(l.AdminSession(), Request(Csv("sept.csv", text))).ok());
  std::string copy = Csv("sept (1).csv", text);
  uint64_t base = Size();
  auto refused = app::Import(l.AdminSession(), Request(copy));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_EQ(refused.status().message(),
            "this file's content was already imported under --source \"sept.csv\" (use --again "
            "to import it again)");
  EXPECT_EQ(Size(), base);
  app::ImportRequest again = Request(copy);
  again.again = true;
  auto imported = app::Import(l.AdminSession(), again);
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->appended, 2u);
  EXPECT_EQ(imported->repeated, 0u);
  EXPECT_EQ(imported->label, "sept (1).csv");
}

TEST_F(ImportTest, ACompletedLabelRefusesOtherContent) {
  std::string first = Csv("a.csv", "resident,rule\nR01,CLEAN\n");
  ASSERT_TRUE(app::Import(l.AdminSession(), Request(first)).ok());
  app::ImportRequest other = Request(Csv("b.csv", "resident,rule\nR02,CLEAN\n"));
  other.source = "a.csv";
  auto refused = app::Import(l.AdminSession(), other);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_EQ(refused.status().field(), "--source");
}

TEST_F(ImportTest, RequestIdCellsAreRequestIds) {
  std::string col = Collector();
  for (const char* r : {"R01", "R02", "R03"}) l.Vl(std::string("award ") + r + " CLEAN");
  std::string head = "resident,points,item,request_id\n";
  auto first = app::Import(l.AdminSession(),
                           Request(Csv("r1.csv", head + "R01,1,毛巾,shop-1\n"), "redemptions"));
  ASSERT_TRUE(first.ok()) << first.status().message();
  uint64_t base = Size();
  // The same id and row under another label: repeated, nothing appended.
  app::ImportRequest same =
      Request(Csv("r1-copy.csv", head + "R01,1,毛巾,shop-1\n"), "redemptions");
  same.again = true;
  auto repeated = app::Import(l.AdminSession(), same);
  ASSERT_TRUE(repeated.ok()) << repeated.status().message();
  EXPECT_EQ(repeated->appended, 0u);
  EXPECT_EQ(repeated->repeated, 1u);
  // The same id for another row: a conflict at its line and column.
  auto other = app::Import(l.AdminSession(),
                           Request(Csv("r2.csv", head + "R01,2,毛巾,shop-1\n"), "redemptions"));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), Code::kConflict);
  EXPECT_EQ(other.status().row(), 2u);
  EXPECT_EQ(other.status().field(), "request_id");
  EXPECT_EQ(other.status().detail(), "\"shop-1\" was already used by a different command");
  // Two rows of one file with one id and different cells: the second.
  auto twice = app::Import(
      l.AdminSession(),
      Request(Csv("r3.csv", head + "R02,1,毛巾,shop-2\nR02,2,毛巾,shop-2\n"), "redemptions"));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().row(), 3u);
  EXPECT_EQ(twice.status().field(), "request_id");
  // The same id from another key: a conflict that tells nothing more.
  app::ImportRequest by_other = Request(l.File("r1-copy.csv"), "redemptions");
  by_other.source = "collector";
  by_other.again = true;
  auto foreign = app::Import(l.SessionFor(col), by_other);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().code(), Code::kConflict);
  EXPECT_EQ(foreign.status().field(), "request_id");
  EXPECT_EQ(foreign.status().detail(), "\"shop-1\" was already used by another key");
  // Ids starting with imp- are the derived ones.
  auto derived = app::Import(l.AdminSession(),
                             Request(Csv("r4.csv", head + "R03,1,毛巾,imp-0001\n"), "redemptions"));
  ASSERT_FALSE(derived.ok());
  EXPECT_EQ(derived.status().code(), Code::kInvalidInput);
  EXPECT_EQ(derived.status().field(), "request_id");
  EXPECT_EQ(Size(), base);
}

TEST_F(ImportTest, RowsImportedByAnotherKeyAreNotAnsweredToIt) {
  std::string col = Collector();
  std::string file = Csv("rows.csv", "resident,rule\nR01,CLEAN\nR02,CLEAN\n");
  ASSERT_TRUE(app::Import(l.AdminSession(), Request(file)).ok());
  auto foreign = app::Import(l.SessionFor(col), Request(file));
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().code(), Code::kInvalidInput);  // the summary of two rows
  std::vector<Status> bad;
  app::ImportRequest r = Request(file);
  r.bad_row = [&](const Status& st) { bad.push_back(st); };
  ASSERT_FALSE(app::Import(l.SessionFor(col), r).ok());
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].code(), Code::kConflict);
  EXPECT_EQ(bad[0].row(), 2u);
  EXPECT_EQ(bad[0].field(), "resident");
  EXPECT_EQ(bad[0].detail(), "this row was already imported under \"rows.csv\" by another key");
}

TEST_F(ImportTest, AMissingFileIsNotFound) {
  auto missing = app::Import(l.AdminSession(), Request(l.File("nosuch.csv")));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().field(), "FILE");
}

TEST_F(ImportTest, HeaderErrorsNameLineOneAndTheColumn) {
  auto unknown =
      app::Import(l.AdminSession(), Request(Csv("h.csv", "resident,rule,remark\nR01,VOL,x\n")));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Code::kInvalidInput);
  EXPECT_EQ(unknown.status().row(), 1u);
  EXPECT_EQ(unknown.status().field(), "remark");
  auto missing = app::Import(l.AdminSession(), Request(Csv("m.csv", "resident,points\nR01,5\n")));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().field(), "rule");
}

TEST_F(ImportTest, ADamagedProgressRowIsCorruption) {
  // An append that also leaves damaged import rows beside its event.
  auto damaged = app::Append(l.AdminSession(), {}, [](app::CommitBuilder& b) {
    app::AwardArgs a;
    a.resident = "R01";
    a.rule = "CLEAN";
    VLEDGER_TRY(app::BuildAward(b, a));
    b.txn().PutRequestRow("imp/broken.csv", "x");
    b.txn().PutRequestRow("imr/torn.csv/1", "y");
    return Status::Ok();
  });
  ASSERT_TRUE(damaged.ok()) << damaged.status().message();
  auto broken =
      app::Import(l.AdminSession(), Request(Csv("broken.csv", "resident,rule\nR02,CLEAN\n")));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), Code::kCorruption);
  EXPECT_NE(broken.status().message().find("broken.csv"), std::string::npos);
  // (--again: the search for the same content elsewhere would meet the
  // damaged import record first.)
  app::ImportRequest torn = Request(Csv("torn.csv", "resident,rule\nR02,CLEAN\n"));
  torn.again = true;
  auto torn_result = app::Import(l.AdminSession(), torn);
  ASSERT_FALSE(torn_result.ok());
  EXPECT_EQ(torn_result.status().code(), Code::kCorruption);
  EXPECT_EQ(torn_result.status().message(), "import progress row of \"torn.csv\" is damaged");
}

TEST_F(ImportTest, BadOptionsAreInvalidInput) {
  std::string file = TenAwards("awards.csv");
  app::ImportRequest batch = Request(file);
  batch.batch = "0";
  EXPECT_EQ(app::Import(l.AdminSession(), batch).status().field(), "--batch");
  app::ImportRequest encoding = Request(file);
  encoding.encoding = "latin1";
  EXPECT_EQ(app::Import(l.AdminSession(), encoding).status().field(), "--encoding");
  app::ImportRequest kind = Request(file, "people");
  EXPECT_EQ(app::Import(l.AdminSession(), kind).status().field(), "--kind");
}

TEST_F(ImportTest, TheJsonDocumentKeepsItsShape) {
  app::ImportResult r;
  r.first = 5;
  r.last = 7;
  r.hash = "ab";
  r.appended = 3;
  EXPECT_EQ(app::ImportJson(r), R"({"seq":5,"last":7,"hash":"ab","appended":3,"repeated":0})");
  app::ImportResult none;
  none.hash = "cd";
  none.repeated = 4;
  EXPECT_EQ(app::ImportJson(none),
            R"({"seq":null,"last":null,"hash":"cd","appended":0,"repeated":4})");
}

TEST_F(ImportTest, PublicColumnsAreWarnedOfAfterSuccess) {
  auto with_note = app::Import(l.AdminSession(), Request(TenAwards("awards.csv")));
  ASSERT_TRUE(with_note.ok()) << with_note.status().message();
  ASSERT_EQ(with_note->warnings.size(), 1u);
  EXPECT_EQ(with_note->warnings[0].English(),
            "column note is part of the public log: keep personal details out of it");
}

TEST_F(ImportTest, TrimmedCellsKeepTheRequestIdOfTheCellsAsWritten) {
  // A cell with spaces around it (a full-width one too) imports trimmed,
  // under the id derived from the cells as the file wrote them: the
  // derivation of SPEC section 9, unchanged by trimming.
  std::string file = Csv("trim.csv", "resident,rule,points\nR01,VOL, 2\xE3\x80\x80\n");
  uint64_t base = Size();
  auto r = app::Import(l.AdminSession(), Request(file));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->appended, 1u);
  // kind, label, the cells in normative order (resident, rule, points,
  // date, note, request_id), identical rows before; joined with 0x1f.
  std::string material = std::string("awards\x1ftrim.csv\x1f") + "R01\x1fVOL\x1f 2\xE3\x80\x80" +
                         "\x1f\x1f\x1f" + "\x1f" + "0";
  std::string want = "imp-" + Hex(AsString(Sha256(material)).substr(0, 16));
  EXPECT_EQ(RequestIds(base, base + 1), std::vector<std::string>{want});
}

TEST_F(ImportTest, IdenticalRowsAreNumberedInFileOrder) {
  // Rows with the same cells get ids that count the identical rows before
  // each, in the file's order, whatever rows come between them.
  const std::string a = "R01,VOL,2", b = "R02,VOL,1";
  std::string file = Csv(
      "same.csv", "resident,rule,points\n" + a + "\n" + b + "\n" + a + "\n" + a + "\n" + b + "\n");
  uint64_t base = Size();
  auto r = app::Import(l.AdminSession(), Request(file));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->appended, 5u);
  auto id = [](const std::string& row, int before) {
    std::string cells = row;
    std::replace(cells.begin(), cells.end(), ',', '\x1f');
    std::string material =
        "awards\x1fsame.csv\x1f" + cells + "\x1f\x1f\x1f" + "\x1f" + std::to_string(before);
    return "imp-" + Hex(AsString(Sha256(material)).substr(0, 16));
  };
  EXPECT_EQ(RequestIds(base, base + 5),
            (std::vector<std::string>{id(a, 0), id(b, 0), id(a, 1), id(a, 2), id(b, 1)}));
}

TEST_F(ImportTest, ChineseHeadingsNameTheColumnsOfBadRows) {
  std::string file = Csv("zh.csv",
                         "村民,规则,分值,日期\n"
                         "R01,VOL,+2,2021/9/6\n"
                         "R02,NOPE,3分,2021年9月7日\n"
                         "R03,VOL,2,9/8/2021\n");
  std::vector<Status> bad;
  app::ImportRequest r = Request(file);
  r.bad_row = [&](const Status& st) { bad.push_back(st); };
  uint64_t base = Size();
  auto refused = app::Import(l.AdminSession(), r);
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].row(), 3u);
  EXPECT_EQ(bad[0].field(), "规则");
  EXPECT_EQ(bad[1].row(), 4u);
  EXPECT_EQ(bad[1].field(), "日期");
  EXPECT_EQ(Size(), base);
}

}  // namespace
}  // namespace vledger
