// What a client checks before it signs a commit a server prepared
// (app/remote.h): it signs only events that say what it asked.
#include <gtest/gtest.h>

#include "vledger/app/remote.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/event.h"

namespace vledger::app {
namespace {

Event Award(const std::string& resident, const std::string& rule, int64_t points) {
  PointsAwarded body;
  body.resident = resident;
  body.rule = rule;
  body.points = points;
  return Event{1000, "k1", "req-1", body};
}

CommitToSign Prepared(const std::vector<Event>& events, uint64_t first = 7) {
  CommitToSign c;
  c.first = first;
  c.last = first + events.size() - 1;
  c.message = CommitMessage(c.first, c.last, Hash{1});
  for (const Event& e : events) c.canonical_events.push_back(EncodeEvent(e));
  return c;
}

CommitExpectation AwardOfFive() {
  CommitExpectation x;
  x.command = "award";
  x.key_id = "k1";
  x.request_id = "req-1";
  x.resident = "R1";
  x.rule = "GOOD";
  x.points = 5;
  return x;
}

TEST(CheckPreparedCommit, AcceptsTheEventsAsked) {
  EXPECT_TRUE(CheckPreparedCommit(AwardOfFive(), Prepared({Award("R1", "GOOD", 5)})).ok());
}

TEST(CheckPreparedCommit, RefusesAnotherResidentRuleOrPoints) {
  for (const Event& e : {Award("R2", "GOOD", 5), Award("R1", "BAD", 5), Award("R1", "GOOD", 50)}) {
    Status st = CheckPreparedCommit(AwardOfFive(), Prepared({e}));
    EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.message();
    EXPECT_EQ(st.seq(), std::optional<uint64_t>(7));
  }
}

TEST(CheckPreparedCommit, RefusesAnotherKeyOrRequestId) {
  Event other_key = Award("R1", "GOOD", 5);
  other_key.key_id = "k2";
  EXPECT_EQ(CheckPreparedCommit(AwardOfFive(), Prepared({other_key})).code(),
            Code::kPermissionDenied);
  Event other_id = Award("R1", "GOOD", 5);
  other_id.request_id = "req-2";
  EXPECT_EQ(CheckPreparedCommit(AwardOfFive(), Prepared({other_id})).code(),
            Code::kPermissionDenied);
}

TEST(CheckPreparedCommit, RefusesAnEventTypeTheCommandDoesNotWrite) {
  KeyRevoked revoke;
  revoke.key_id = "k9";
  Event e{1000, "k1", "req-1", revoke};
  EXPECT_EQ(CheckPreparedCommit(AwardOfFive(), Prepared({Award("R1", "GOOD", 5), e})).code(),
            Code::kPermissionDenied);
  CommitExpectation read = AwardOfFive();
  read.command = "balance";
  EXPECT_EQ(CheckPreparedCommit(read, Prepared({Award("R1", "GOOD", 5)})).code(),
            Code::kPermissionDenied);
}

TEST(CheckPreparedCommit, RefusesAMessageOfAnotherPosition) {
  CommitToSign c = Prepared({Award("R1", "GOOD", 5)});
  c.message = CommitMessage(8, 8, Hash{1});
  EXPECT_EQ(CheckPreparedCommit(AwardOfFive(), c).code(), Code::kInvalidInput);
  c = Prepared({Award("R1", "GOOD", 5)});
  c.last = 9;
  EXPECT_EQ(CheckPreparedCommit(AwardOfFive(), c).code(), Code::kInvalidInput);
  c = Prepared({Award("R1", "GOOD", 5)});
  c.canonical_events[0] = "not an event";
  EXPECT_FALSE(CheckPreparedCommit(AwardOfFive(), c).ok());
}

}  // namespace
}  // namespace vledger::app
