// Ledger-wide commands (app/ledger.h): init and its refusals, verify,
// rebuild, keys, log.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "app_fixture.h"
#include "vledger/app/ledger.h"
#include "vledger/projections/state.h"

namespace vledger {
namespace {

using testing::AppLedger;
using testing::TempDir;

app::Session SessionIn(const std::string& ledger_dir) {
  app::SessionOptions o;
  o.ledger_dir = ledger_dir;
  o.fixed_now = AppLedger::kNow;
  return app::Session(o);
}

app::InitRequest Request(const TempDir& dir) {
  app::InitRequest r;
  r.name = "测试";
  r.key_out = dir.File("admin.key");
  r.test_clock = true;
  return r;
}

TEST(InitTest, CreatesTheLedgerAndItsKey) {
  TempDir dir;
  auto r = app::Init(SessionIn(dir.File("ledger")), Request(dir));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->new_key);
  EXPECT_TRUE(std::filesystem::exists(dir.File("admin.key")));
  EXPECT_TRUE(std::filesystem::exists(dir.File("admin.key.pub")));
  EXPECT_EQ(r->origin, "vledger/测试-" + r->key_id.substr(0, 8));
  std::string json = app::InitJson(*r);
  EXPECT_EQ(json.rfind("{\"seq\":0,\"last\":0,\"hash\":\"" + r->hash + "\"", 0), 0u) << json;
}

TEST(InitTest, AnExistingKeyFileIsAlreadyExists) {
  TempDir dir;
  std::ofstream(dir.File("admin.key")) << "mine";
  auto r = app::Init(SessionIn(dir.File("ledger")), Request(dir));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(r.status().field(), "--admin-key-out");
  EXPECT_EQ(r.status().message(),
            "--admin-key-out: " + dir.File("admin.key") + " exists, refusing to overwrite");
  EXPECT_FALSE(std::filesystem::exists(dir.File("ledger")));
}

TEST(InitTest, AnExistingLedgerIsAlreadyExists) {
  AppLedger l;
  TempDir dir;
  auto r = app::Init(SessionIn(l.ledger()), Request(dir));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(r.status().field(), "--ledger");
  // Refused before anything was written: no key either.
  EXPECT_FALSE(std::filesystem::exists(dir.File("admin.key")));
}

TEST(InitTest, AnOriginThatCannotNameTheKeyIsInvalidInput) {
  TempDir dir;
  app::InitRequest request = Request(dir);
  request.origin = "has space";
  auto r = app::Init(SessionIn(dir.File("ledger")), request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
  EXPECT_EQ(r.status().field(), "--origin");
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V01 --name 曲家村");
    l.Vl("household add H001 --village V01 --head 曲建国");
    l.Vl("resident add R001 --village V01 --household H001 --name 曲建国 --birth-year 1962");
    l.Vl("rule add VOL --category 志愿服务 --points 2 --min 1 --max 10");
    l.Vl("award R001 VOL --points 3 --on 2021-09-01");
  }

  // Every projection row of the ledger.
  std::map<std::string, std::string> Rows() const {
    std::map<std::string, std::string> rows;
    auto ledger = l.SessionFor("").OpenReader();
    EXPECT_TRUE(ledger.ok());
    auto state = StoredState(**ledger);
    EXPECT_TRUE(state.ok());
    (*state)->Scan("", [&](std::string_view key, std::string_view value) {
      rows.emplace(key, value);
      return true;
    });
    return rows;
  }

  AppLedger l;
};

TEST_F(LedgerTest, VerifyOnASoundLedgerIsOk) {
  auto r = app::Verify(l.SessionFor(""), {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->ok);
  EXPECT_TRUE(r->verdict.ok());
  auto log = app::Log(l.SessionFor(""), {});
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(r->events, log->events.size());
  EXPECT_EQ(app::VerifyJson(*r), "{\"ok\":true,\"events\":" + std::to_string(r->events) +
                                     ",\"root\":\"" + r->root + "\"}");
}

TEST_F(LedgerTest, RebuildGivesTheSameProjections) {
  auto before = Rows();
  ASSERT_FALSE(before.empty());
  auto r = app::Rebuild(l.AdminSession(), {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_GT(r->rows, 0u);
  EXPECT_EQ(Rows(), before);
}

TEST_F(LedgerTest, KeysRegisteredAndRevokedAreListed) {
  std::string key = l.File("collector.key");
  auto made = app::KeyNew(l.SessionFor(""), {key, ""});
  ASSERT_TRUE(made.ok()) << made.status().message();
  app::KeyRegisterRequest reg;
  reg.pub = made->public_path;
  reg.role = "collector";
  reg.villages = {"V01"};
  reg.append.fingerprint = "key register";
  auto registered = app::KeyRegister(l.AdminSession(), reg);
  ASSERT_TRUE(registered.ok()) << registered.status().message();
  app::KeyRevokeRequest rev;
  rev.key_id = made->key_id;
  rev.append.fingerprint = "key revoke";
  ASSERT_TRUE(app::KeyRevoke(l.AdminSession(), rev).ok());
  auto list = app::KeyList(l.SessionFor(""), {});
  ASSERT_TRUE(list.ok());
  bool found = false;
  for (const auto& k : list->keys) {
    if (k.key_id != made->key_id) continue;
    found = true;
    EXPECT_EQ(k.role, "collector");
    EXPECT_EQ(k.registered_seq, *registered->append.first);
    EXPECT_TRUE(k.revoked_seq.has_value());
  }
  EXPECT_TRUE(found);
  // The same file again: refused, naming --out.
  auto again = app::KeyNew(l.SessionFor(""), {key, ""});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().field(), "--out");
}

TEST_F(LedgerTest, ShowGivesTheEventAndItsCommit) {
  auto r = app::Show(l.SessionFor(""), {0});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->event.type, "genesis");
  EXPECT_EQ(r->commit_first, 0u);
  EXPECT_EQ(r->commit_last, 0u);
}

}  // namespace
}  // namespace vledger
