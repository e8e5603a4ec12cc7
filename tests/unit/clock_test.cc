// The ledger's clock (SPEC §12, test clock): a ledger whose genesis says
// monotonicTime fails verify where a recordedAt goes below its
// predecessor's; a ledger made before that flag existed verifies as before.
#include <gtest/gtest.h>

#include "points_harness.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/verify.h"

namespace vledger {
namespace {

using testing::kNowMs;
using testing::TestLedger;

Result<VerifyOutcome> AppendTwoVillagesAndVerify(TestLedger& t, int64_t second_ms) {
  Status st = t.Append("admin", VillageRegistered{"V1", "甲村"}, kNowMs);
  EXPECT_TRUE(st.ok()) << st.message();
  st = t.Append("admin", VillageRegistered{"V2", "乙村"}, second_ms);
  EXPECT_TRUE(st.ok()) << st.message();
  return VerifyLedger(t.ledger());
}

TEST(Clock, VerifyFaultsARecordedTimeBelowItsPredecessorsWhenTheGenesisSaysMonotonic) {
  TestLedger t(/*monotonic_time=*/true);
  auto outcome = AppendTwoVillagesAndVerify(t, kNowMs - 1);
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  EXPECT_FALSE(outcome->ok);
  EXPECT_EQ(outcome->seq, std::optional<uint64_t>(2));
  EXPECT_NE(outcome->problem.find("seq 2 is recorded at 2021-09-30T09:59:59.999Z, before seq 1"),
            std::string::npos)
      << outcome->problem;
}

TEST(Clock, VerifyAcceptsEqualRecordedTimes) {
  TestLedger t(/*monotonic_time=*/true);
  auto outcome = AppendTwoVillagesAndVerify(t, kNowMs);
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  EXPECT_TRUE(outcome->ok) << outcome->problem;
}

TEST(Clock, VerifyAcceptsBackwardsTimesInALedgerMadeBeforeTheFlag) {
  TestLedger t;  // genesis without monotonicTime, as older ledgers have
  auto outcome = AppendTwoVillagesAndVerify(t, kNowMs - 86'400'000);
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  EXPECT_TRUE(outcome->ok) << outcome->problem;
}

TEST(Clock, GenesisFlagsRoundTripAndAreAbsentFromAnOldGenesisBytes) {
  Event e;
  e.recorded_at_ms = kNowMs;
  e.key_id = "0011223344556677";
  e.body = Genesis{.name = "测试", .origin = "vledger/test", .public_key = std::string(32, 'k')};
  std::string old_bytes = EncodeEvent(e);
  auto old_decoded = DecodeEvent(old_bytes);
  ASSERT_TRUE(old_decoded.ok()) << old_decoded.status().message();
  EXPECT_FALSE(std::get<Genesis>(old_decoded->body).test_clock);
  EXPECT_FALSE(std::get<Genesis>(old_decoded->body).monotonic_time);

  std::get<Genesis>(e.body).test_clock = true;
  std::get<Genesis>(e.body).monotonic_time = true;
  std::string new_bytes = EncodeEvent(e);
  // The flags take one data word of the genesis struct.
  EXPECT_EQ(new_bytes.size(), old_bytes.size() + 8);
  auto decoded = DecodeEvent(new_bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(std::get<Genesis>(decoded->body).test_clock);
  EXPECT_TRUE(std::get<Genesis>(decoded->body).monotonic_time);
}

}  // namespace
}  // namespace vledger
