// Unit tests of the error model (status.h): how a Status renders its row,
// seq and field, the codes ApplyEvent gives its refusals, and a damaged
// projection row read as Corruption naming the row, not a crash.
#include "vledger/ledger/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "points_harness.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/rows.h"
#include "vledger/projections/apply.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/state.h"

namespace vledger {
namespace {

using testing::TestLedger;

TEST(Status, MessageRendersRowSeqFieldThenDetail) {
  Status st = Status::InvalidInput("--points", "must be greater than zero");
  EXPECT_EQ(st.field(), "--points");
  EXPECT_EQ(st.detail(), "must be greater than zero");
  EXPECT_EQ(st.message(), "--points: must be greater than zero");
  EXPECT_EQ(st.WithSeq(7).message(), "seq 7: --points: must be greater than zero");
  EXPECT_EQ(st.WithSeq(7).WithRow(3).message(),
            "row 3: seq 7: --points: must be greater than zero");
  EXPECT_EQ(Status::Corruption("damaged").WithRow(2).message(), "row 2: damaged");
  EXPECT_EQ(st.WithRow(2).row(), 2u);
  EXPECT_FALSE(st.seq().has_value());
}

TEST(Status, PrefixKeepsTheFieldAfterIt) {
  Status st = Status::NotFound("rule", "unknown rule \"X\"").WithPrefix("row of a file");
  EXPECT_EQ(st.message(), "row of a file: rule: unknown rule \"X\"");
  EXPECT_EQ(st.code(), Code::kNotFound);
}

// An ok Status is one pointer, null (returned and dropped at every step of
// every command); a copy of a failed one is its own, and one moved from
// reads as ok.
TEST(Status, OkIsOnePointerAndCopiesAreDeep) {
  static_assert(sizeof(Status) == sizeof(void*));
  Status ok = Status::Ok().WithField("rule").WithRow(3).WithSeq(4);
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.message(), "");
  EXPECT_EQ(ok.field(), "");
  EXPECT_FALSE(ok.row() || ok.seq());
  EXPECT_TRUE(ok.msg().empty() && ok.prefixes().empty());

  Status failed = Status::NotFound("rule", Msg("no rule {}", "AW")).WithRow(2);
  Status copy = failed;
  copy = copy.WithPrefix("import").WithSeq(9);
  EXPECT_EQ(failed.message(), "row 2: rule: no rule AW");
  EXPECT_EQ(copy.message(), "row 2: seq 9: import: rule: no rule AW");
  copy = failed;
  EXPECT_EQ(copy.message(), failed.message());
  Status moved = std::move(copy);
  EXPECT_EQ(moved.code(), Code::kNotFound);
  EXPECT_TRUE(copy.ok());  // NOLINT: moved from, on purpose
}

TEST(Status, CodesSayWhichFamily) {
  EXPECT_TRUE(Status::FailedPrecondition("x").is_refusal());
  EXPECT_TRUE(Status::PermissionDenied("x").is_refusal());
  EXPECT_FALSE(Status::VerificationFailed("x").is_refusal());
  EXPECT_TRUE(Status::Corruption("x").is_storage_fault());
  EXPECT_TRUE(Status::Io("x").is_storage_fault());
  EXPECT_TRUE(Status::Unavailable("x").is_storage_fault());
  EXPECT_FALSE(Status::Internal("x").is_storage_fault());
}

// A village V1 with a household H1, a resident R1, a collector and a rule
// AW (+5).
class ApplyCodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t.Must("admin", VillageRegistered{"V1", "甲村"});
    t.AddKey("col", "collector", {"V1"});
    t.AddKey("aud", "auditor", {"V1"});
    t.Must("col", HouseholdRegistered{"H1", "V1", testing::RefOf("H1")});
    t.Must("col", ResidentRegistered{"R1", "V1", "H1", false, testing::RefOf("R1")});
    t.Must("admin", RuleDefined{"AW", "", "孝老爱亲", "", 5, false, 0, 0, 0, ""});
  }
  static PointsAwarded Award(const std::string& resident, const std::string& rule) {
    PointsAwarded a;
    a.resident = resident;
    a.rule = rule;
    a.points = 5;
    a.occurred_on = testing::kToday;
    return a;
  }
  TestLedger t;
};

TEST_F(ApplyCodesTest, UnknownResidentIsNotFoundWithTheField) {
  Status st = t.Append("col", Award("NOPE", "AW"));
  EXPECT_EQ(st.code(), Code::kNotFound) << st.message();
  EXPECT_EQ(st.field(), "resident");
  EXPECT_EQ(st.message(), "resident: unknown resident \"NOPE\"");
}

TEST_F(ApplyCodesTest, UnknownRuleIsNotFoundWithTheField) {
  Status st = t.Append("col", Award("R1", "NOPE"));
  EXPECT_EQ(st.code(), Code::kNotFound) << st.message();
  EXPECT_EQ(st.field(), "rule");
  EXPECT_EQ(st.message(), "rule: unknown rule \"NOPE\"");
}

TEST_F(ApplyCodesTest, RoleIsPermissionDenied) {
  Status st = t.Append("aud", Award("R1", "AW"));
  EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.message();
  EXPECT_NE(st.message().find("(role auditor) may not write"), std::string::npos) << st.message();
}

TEST_F(ApplyCodesTest, NotEnoughPointsIsFailedPrecondition) {
  t.Must("col", Award("R1", "AW"));
  PointsRedeemed redeem;
  redeem.resident = "R1";
  redeem.shop = "S";
  redeem.item = "soap";
  redeem.points = 6;
  Status st = t.Append("col", redeem);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.message();
  EXPECT_EQ(st.field(), "points");
  EXPECT_EQ(st.message(), "points: resident \"R1\" has 5 spendable points; cannot redeem 6");
}

TEST_F(ApplyCodesTest, ExistingResidentIsAlreadyExists) {
  Status st = t.Append("col", ResidentRegistered{"R1", "V1", "H1", false, testing::RefOf("R1b")});
  EXPECT_EQ(st.code(), Code::kAlreadyExists) << st.message();
  EXPECT_EQ(st.field(), "id");
}

// The ledger's stored rows, with one row replaced by bytes that do not
// decode.
class DamagedRows final : public RowSource {
 public:
  // `missing`: the row reads as absent instead.
  DamagedRows(std::unique_ptr<RowSource> rows, std::string key, bool missing = false)
      : rows_(std::move(rows)), key_(std::move(key)), missing_(missing) {}
  std::optional<std::string> GetRow(std::string_view key) override {
    if (key == key_ && missing_) return std::nullopt;
    if (key == key_) return std::string("\xff", 1);
    return rows_->GetRow(key);
  }
  std::vector<std::optional<std::string>> GetRows(const std::vector<std::string>& keys) override {
    std::vector<std::optional<std::string>> out;
    for (const std::string& key : keys) out.push_back(GetRow(key));
    return out;
  }
  void ScanRows(std::string_view prefix, const ScanFn& fn) override {
    rows_->ScanRows(prefix, [&](std::string_view key, std::string_view value) {
      if (key == key_ && missing_) return true;
      return key == key_ ? fn(key, std::string_view("\xff", 1)) : fn(key, value);
    });
  }

 private:
  std::unique_ptr<RowSource> rows_;
  std::string key_;
  bool missing_;
};

TEST_F(ApplyCodesTest, DamagedRowIsCorruptionNamingTheRow) {
  StateStore state(std::make_unique<DamagedRows>(t.ledger().Rows(), "res/R1"),
                   [](uint64_t) -> Result<Event> { return Status::NotFound("no events"); });
  Event event;
  event.recorded_at_ms = testing::kNowMs;
  event.key_id = t.key_id("col");
  event.body = Award("R1", "AW");
  Status st = ApplyEvent(state, t.size(), event);
  EXPECT_EQ(st.code(), Code::kCorruption) << st.message();
  EXPECT_NE(st.message().find("projection row res/R1 is malformed"), std::string::npos)
      << st.message();
}

TEST_F(ApplyCodesTest, MissingReferencedRowIsCorruptionNamingTheRow) {
  StateStore state(std::make_unique<DamagedRows>(t.ledger().Rows(), "village/V1", true),
                   [](uint64_t) -> Result<Event> { return Status::NotFound("no events"); });
  Event event;
  event.recorded_at_ms = testing::kNowMs;
  event.key_id = t.key_id("col");
  event.body = Award("R1", "AW");
  Status st = ApplyEvent(state, t.size(), event);
  EXPECT_EQ(st.code(), Code::kCorruption) << st.message();
  EXPECT_NE(st.message().find("projection row village/V1 is missing"), std::string::npos)
      << st.message();
}

TEST_F(ApplyCodesTest, DamagedRowInAQueryThrowsCorruption) {
  StateStore state(std::make_unique<DamagedRows>(t.ledger().Rows(), "rule/AW"),
                   [](uint64_t) -> Result<Event> { return Status::NotFound("no events"); });
  try {
    FindRule(state, "AW");
    ADD_FAILURE() << "a damaged rule row was read";
  } catch (const RowReadError& e) {
    EXPECT_EQ(e.status().code(), Code::kCorruption);
    EXPECT_NE(e.status().message().find("projection row rule/AW is malformed"), std::string::npos)
        << e.status().message();
  }
}

TEST_F(ApplyCodesTest, DamagedSeqKeyedRowIsNamedBySeq) {
  t.Must("col", Award("R1", "AW"));
  uint64_t award = t.size() - 1;
  EventReversed reversal;
  reversal.target = award;
  reversal.reason = "entered twice";
  t.Must("admin", reversal);
  std::string key = "rev/";
  PutU64be(&key, award);
  StateStore state(std::make_unique<DamagedRows>(t.ledger().Rows(), key),
                   [](uint64_t) -> Result<Event> { return Status::NotFound("no events"); });
  try {
    ReversedBy(state, award);
    ADD_FAILURE() << "a damaged reversal row was read";
  } catch (const RowReadError& e) {
    EXPECT_EQ(e.status().code(), Code::kCorruption);
    EXPECT_NE(
        e.status().message().find("projection row rev/" + std::to_string(award) + " is malformed"),
        std::string::npos)
        << e.status().message();
  }
}

}  // namespace
}  // namespace vledger
