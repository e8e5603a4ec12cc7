// No exception leaves the application layer: a stored projection row that
// does not decode comes back from every entry point as Corruption naming
// the row (exit 4 in the CLI), from a query and a write alike.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <string>

#include "app_fixture.h"
#include "vledger/app/funds.h"
#include "vledger/app/import.h"
#include "vledger/app/points.h"
#include "vledger/app/registry.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/verify.h"

namespace vledger {
namespace {

using testing::AppLedger;

class AppGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V01 --name 曲家村");
    l.Vl("household add H001 --village V01 --head 曲建国");
    l.Vl("resident add R001 --village V01 --household H001 --name 曲建国 --birth-year 1962");
    l.Vl("rule add VOL --category 志愿服务 --points 2 --min 1 --max 10");
    l.Vl("fund open CH --name 关爱基金 --kind charity --village V01");
  }

  // Writes `value` under the projection row `key` (nullopt: deletes it),
  // with one commit (an event of its own) signed by the admin key, as a
  // damaged store would hold it.
  void PutRawRow(const std::string& key, const std::optional<std::string>& value) {
    app::Session s = l.AdminSession();
    auto ledger = s.OpenWriter();
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    auto signer = s.SigningKey();
    ASSERT_TRUE(signer.ok()) << signer.status().message();
    auto now = s.AppendNowMs(**ledger);
    ASSERT_TRUE(now.ok()) << now.status().message();
    auto txn = (*ledger)->BeginWrite();
    Event e;
    e.recorded_at_ms = *now;
    e.key_id = signer->key_id();
    e.body = VillageRegistered{"V99", "村"};
    txn->AddEvent(EncodeEvent(e), e);
    txn->PutRow(key, value);
    auto commit = txn->Commit(*signer);
    ASSERT_TRUE(commit.ok()) << commit.status().message();
  }

  // A non-ok status of code Corruption that names `key`.
  static void ExpectCorruptionNaming(const Status& st, const std::string& key) {
    EXPECT_EQ(st.code(), Code::kCorruption) << st.message();
    EXPECT_NE(st.message().find(key), std::string::npos) << st.message();
  }

  AppLedger l;
};

TEST_F(AppGuardTest, AMalformedResidentRowIsCorruptionFromEveryEntryPoint) {
  PutRawRow("res/R001", std::string("\xff", 1));
  app::Session s = l.AdminSession();

  Result<app::BalanceResult> balance = Status::Internal("not run");
  app::BalanceRequest balance_of;
  balance_of.resident = "R001";
  EXPECT_NO_THROW(balance = app::Balance(s, balance_of));
  ASSERT_FALSE(balance.ok());
  ExpectCorruptionNaming(balance.status(), "res/R001");

  Result<app::ResidentListResult> list = Status::Internal("not run");
  EXPECT_NO_THROW(list = app::ResidentList(s, {}));
  ASSERT_FALSE(list.ok());
  ExpectCorruptionNaming(list.status(), "res/R001");

  app::AwardRequest award;
  award.resident = "R001";
  award.rule = "VOL";
  award.points = "2";
  Result<app::AwardResult> awarded = Status::Internal("not run");
  EXPECT_NO_THROW(awarded = app::Award(s, award));
  ASSERT_FALSE(awarded.ok());
  ExpectCorruptionNaming(awarded.status(), "res/R001");

  Result<app::HistoryResult> history = Status::Internal("not run");
  app::HistoryRequest history_of;
  history_of.resident = "R001";
  EXPECT_NO_THROW(history = app::History(s, history_of));
  ASSERT_FALSE(history.ok());
  ExpectCorruptionNaming(history.status(), "res/R001");

  // An import reads the residents its rows name ahead of its check pass,
  // while its request ids are made on a second thread: the row's error
  // still comes back, and nothing is appended.
  uint64_t size = (*s.OpenReader())->size();
  std::string file = l.File("awards.csv");
  std::ofstream(file, std::ios::binary) << "resident,rule,points\nR001,VOL,2\n";
  app::ImportRequest import;
  import.file = file;
  import.kind = "awards";
  Result<app::ImportResult> imported = Status::Internal("not run");
  EXPECT_NO_THROW(imported = app::Import(s, import));
  ASSERT_FALSE(imported.ok());
  ExpectCorruptionNaming(imported.status(), "res/R001");
  EXPECT_EQ((*s.OpenReader())->size(), size);
}

TEST_F(AppGuardTest, AMalformedFundRowIsCorruptionFromAStatement) {
  PutRawRow("fund/CH", std::string("\xff", 1));
  app::Session s = l.AdminSession();
  Result<app::StatementResult> statement = Status::Internal("not run");
  EXPECT_NO_THROW(statement = app::Statement(s, {"CH", "2021-09"}));
  ASSERT_FALSE(statement.ok());
  ExpectCorruptionNaming(statement.status(), "fund/CH");
}

// A row that another row refers to and that is gone from the store (the
// village's index lists R001; an entry names R001) is Corruption naming
// the missing row, not an assertion.
TEST_F(AppGuardTest, AResidentRowMissingFromTheStoreIsCorruptionNamingIt) {
  l.Vl("award R001 VOL --points 2");  // seq of the award: the log's last
  PutRawRow("res/R001", std::nullopt);
  app::Session s = l.AdminSession();
  const std::string missing = "projection row res/R001 is missing";

  Result<app::ResidentListResult> list = Status::Internal("not run");
  EXPECT_NO_THROW(list = app::ResidentList(s, {"V01"}));
  ASSERT_FALSE(list.ok());
  ExpectCorruptionNaming(list.status(), missing);

  app::BalanceRequest village;
  village.village = "V01";
  Result<app::BalanceResult> balance = Status::Internal("not run");
  EXPECT_NO_THROW(balance = app::Balance(s, village));
  ASSERT_FALSE(balance.ok());
  ExpectCorruptionNaming(balance.status(), missing);
}

TEST_F(AppGuardTest, AnUnreadablePersonRecordIsCorruptionNotAnErasedOne) {
  std::string ref;
  {
    auto ledger = l.AdminSession().OpenReader();
    ASSERT_TRUE(ledger.ok());
    auto state = StoredState(**ledger);
    ASSERT_TRUE(state.ok());
    auto resident = LoadResident(**state, "R001");
    ASSERT_TRUE(resident.has_value());
    ref = resident->person_ref;
  }
  {
    auto ledger = l.AdminSession().OpenWriter();
    ASSERT_TRUE(ledger.ok());
    ASSERT_TRUE((*ledger)->PutPersons({{ref, "too short"}}).ok());
  }
  app::ResidentUpdateRequest update;
  update.id = "R001";
  update.person.phone = "13800000000";
  Result<app::ResidentUpdateResult> r = Status::Internal("not run");
  EXPECT_NO_THROW(r = app::ResidentUpdate(l.AdminSession(), update));
  ASSERT_FALSE(r.ok());
  // Not "the person record … was erased": the record is there, unreadable.
  EXPECT_TRUE(r.status().is_storage_fault()) << r.status().message();
  EXPECT_EQ(r.status().message().find("erased"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace vledger
