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

// A signer that counts what it signed: a refused item is never signed.
struct CountingSigner {
  int signed_items = 0;
  // As the client does (net::RunRemote): check, then sign only if Ok.
  Status Offer(const CommitExpectation& x, const CommitToSign& c) {
    Status st = CheckPreparedCommit(x, c);
    if (st.ok()) signed_items++;
    return st;
  }
};

Event WithBody(EventBody body, const std::string& request_id = "req-1") {
  return Event{1000, "k1", request_id, std::move(body)};
}

// A tampering server: for every command and every value it compares, an
// event with that one value changed is refused and nothing is signed; the
// honest event is signed.
TEST(CheckPreparedCommit, ATamperingServerIsRefusedInEachComparedField) {
  struct Case {
    std::string field;
    CommitExpectation expect;
    EventBody honest, tampered;
  };
  auto expect = [](std::string command) {
    CommitExpectation x;
    x.command = std::move(command);
    x.key_id = "k1";
    x.request_id = "req-1";
    return x;
  };
  std::vector<Case> cases;
  {
    CommitExpectation x = AwardOfFive();
    PointsAwarded a;
    a.resident = "R1", a.rule = "GOOD", a.points = 5;
    PointsAwarded b = a;
    b.resident = "R2";
    cases.push_back({"resident", x, a, b});
    b = a, b.rule = "BAD";
    cases.push_back({"rule", x, a, b});
    b = a, b.points = 50;
    cases.push_back({"points", x, a, b});
  }
  {
    CommitExpectation x = expect("deduct");
    x.resident = "R1", x.rule = "BAD";
    PointsDeducted a;
    a.resident = "R1", a.rule = "BAD", a.points = -3;
    PointsDeducted b = a;
    b.resident = "R2";
    cases.push_back({"resident", x, a, b});
    b = a, b.rule = "WORSE";
    cases.push_back({"rule", x, a, b});
  }
  {
    CommitExpectation x = expect("redeem");
    x.resident = "R1", x.shop = "CS01", x.points = 2;
    PointsRedeemed a;
    a.resident = "R1", a.shop = "CS01", a.points = 2;
    PointsRedeemed b = a;
    b.shop = "CS02";
    cases.push_back({"shop", x, a, b});
    b = a, b.points = 20;
    cases.push_back({"points", x, a, b});
  }
  {
    CommitExpectation x = expect("donate");
    x.fund = "CH", x.amount_fen = 50000;
    DonationReceived a;
    a.fund = "CH", a.amount_fen = 50000;
    DonationReceived b = a;
    b.fund = "CF";
    cases.push_back({"fund", x, a, b});
    b = a, b.amount_fen = 5000;
    cases.push_back({"amount", x, a, b});
  }
  {
    CommitExpectation x = expect("disburse");
    x.fund = "CH", x.amount_fen = 10000, x.to = "R1";
    FundDisbursed a;
    a.fund = "CH", a.to_resident = "R1", a.amount_fen = 10000;
    FundDisbursed b = a;
    b.to_resident = "R2";
    cases.push_back({"to", x, a, b});
    b = a, b.to_resident = "", b.to_household = "H9";
    cases.push_back({"to", x, a, b});
    b = a, b.amount_fen = 10001;
    cases.push_back({"amount", x, a, b});
    b = a, b.fund = "CF";
    cases.push_back({"fund", x, a, b});
  }
  {
    CommitExpectation x = expect("allowance add");
    x.fund = "CH", x.amount_fen = 2000, x.to = "H1";
    AllowanceAdded a;
    a.fund = "CH", a.to_household = "H1", a.amount_fen = 2000;
    AllowanceAdded b = a;
    b.to_household = "H2";
    cases.push_back({"to", x, a, b});
    b = a, b.amount_fen = 20000;
    cases.push_back({"amount", x, a, b});
  }
  {
    CommitExpectation x = expect("reverse");
    x.target = 12;
    EventReversed a{12, "wrong"};
    EventReversed b{11, "wrong"};
    cases.push_back({"target", x, a, b});
  }
  {
    CommitExpectation x = expect("publish");
    x.village = "V1", x.period = "2021Q3", x.tree_size = 40;
    DisclosurePublished a;
    a.village = "V1", a.period = "2021Q3", a.tree_size = 40;
    DisclosurePublished b = a;
    b.village = "V2";
    cases.push_back({"village", x, a, b});
    b = a, b.period = "2021Q2";
    cases.push_back({"period", x, a, b});
    b = a, b.tree_size = 39;
    cases.push_back({"treeSize", x, a, b});
  }
  for (const Case& c : cases) {
    CountingSigner signer;
    EXPECT_TRUE(signer.Offer(c.expect, Prepared({WithBody(c.honest)})).ok())
        << c.expect.command << " " << c.field;
    Status st = signer.Offer(c.expect, Prepared({WithBody(c.tampered)}));
    EXPECT_EQ(st.code(), Code::kPermissionDenied) << c.expect.command << " " << c.field;
    EXPECT_EQ(st.field(), c.field) << c.expect.command;
    EXPECT_EQ(signer.signed_items, 1) << c.expect.command << " " << c.field;
  }
}

TEST(CheckPreparedCommit, AnImportsRowsCarryTheirOwnRequestIdsAndItsKindsTypes) {
  CommitExpectation x;
  x.command = "import awards";
  x.key_id = "k1";
  PointsAwarded a;
  a.resident = "R1", a.rule = "GOOD", a.points = 5;
  EXPECT_TRUE(
      CheckPreparedCommit(x, Prepared({WithBody(a, "imp-0a1b"), WithBody(a, "row-7")})).ok());
  EXPECT_EQ(CheckPreparedCommit(x, Prepared({WithBody(a, "")})).code(), Code::kPermissionDenied);
  // Another kind's type: a residents import writes no award.
  x.command = "import residents";
  EXPECT_EQ(CheckPreparedCommit(x, Prepared({WithBody(a, "imp-0a1b")})).code(),
            Code::kPermissionDenied);
  // Every kind's types are its command's.
  EXPECT_EQ(EventTypesOf("import awards"), EventTypesOf("award"));
  EXPECT_EQ(EventTypesOf("import rules"), EventTypesOf("rule add"));
}

TEST(CheckPreparedCommit, HandsBackTheIdsOfANamedResident) {
  CommitExpectation x = AwardOfFive();
  x.resident.reset();
  x.resident_name = "曲建国";
  std::vector<std::string> named;
  EXPECT_TRUE(CheckPreparedCommit(x, Prepared({Award("R1", "GOOD", 5)}), &named).ok());
  EXPECT_EQ(named, std::vector<std::string>{"R1"});
}

TEST(CheckPreparedCheckpoint, SignsOnlyANoteBodyOfTheSizeAskedForACommandThatSignsOne) {
  CheckpointToSign c;
  c.head = Checkpoint{"county", 40, Hash{7}};
  c.body = CheckpointBody(c.head);
  CommitExpectation x;
  x.command = "checkpoint";
  EXPECT_TRUE(CheckPreparedCheckpoint(x, c).ok());
  x.checkpoint_size = 40;
  EXPECT_TRUE(CheckPreparedCheckpoint(x, c).ok());
  x.checkpoint_size = 41;
  EXPECT_EQ(CheckPreparedCheckpoint(x, c).code(), Code::kPermissionDenied);
  x.checkpoint_size.reset();
  // A body that is not the head's (another size, root or origin).
  CheckpointToSign other = c;
  other.body = CheckpointBody(Checkpoint{"county", 41, Hash{7}});
  EXPECT_EQ(CheckPreparedCheckpoint(x, other).code(), Code::kInvalidInput);
  other = c;
  other.head.origin = "two words";
  other.body = CheckpointBody(other.head);
  EXPECT_EQ(CheckPreparedCheckpoint(x, other).code(), Code::kInvalidInput);
  // An award signs no checkpoint.
  EXPECT_EQ(CheckPreparedCheckpoint(AwardOfFive(), c).code(), Code::kPermissionDenied);
}

TEST(EventTypes, TheLocalWritePathHoldsToTheTable) {
  EXPECT_EQ(CommandOfFingerprint("award RESIDENT\x1fR1\x1eRULE\x1fGOOD\x1e"), "award");
  EXPECT_EQ(CommandOfFingerprint("fund open "), "fund open");
  EXPECT_EQ(CommandOfFingerprint("fund open --kind\x1f"
                                 "a b\x1e"),
            "fund open");
  EXPECT_EQ(CommandOfFingerprint("x"), "");
  PointsAwarded a;
  EXPECT_TRUE(CheckBuiltType("award", 3, a).ok());
  Status st = CheckBuiltType("deduct", 3, a);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_EQ(st.seq(), std::optional<uint64_t>(3));
  EXPECT_TRUE(CheckBuiltType("not a command", 3, a).ok());
  EXPECT_TRUE(CheckBuiltType("import awards", 3, a).ok());
  EXPECT_FALSE(CheckBuiltType("import donations", 3, a).ok());
}

}  // namespace
}  // namespace vledger::app
