// The event feed and its replica side (app/feed.h): a replica made from
// pages of a server's feed holds the server's log and verifies; a page
// that starts inside a commit is refused; a tampered event, a bad
// signature and a forked history are refused with nothing of them
// applied, the commits verified before them kept.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "app_fixture.h"
#include "vledger/app/feed.h"
#include "vledger/ledger/archive.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/projections/verify.h"

namespace vledger {
namespace {

using testing::AppLedger;
using testing::TempDir;

// The entries of a page.
std::vector<ArchiveEntry> Entries(std::string page) {
  std::vector<ArchiveEntry> out;
  ArchiveReader reader = ArchiveReader::FromBytes(std::move(page), "page");
  while (true) {
    auto entry = reader.Next();
    EXPECT_TRUE(entry.ok()) << entry.status().message();
    if (!entry.ok() || !*entry) break;
    out.push_back(std::move(**entry));
  }
  return out;
}

std::string Page(const std::vector<ArchiveEntry>& entries) {
  std::string page;
  for (const ArchiveEntry& e : entries) AppendArchiveEntry(e, &page);
  return page;
}

class FeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server.Vl("village add V01 --name 曲家村");
    server.Vl("household add H001 --village V01 --head 曲建国");
    server.Vl("resident add R001 --village V01 --household H001 --name 曲建国 --adult");
    server.Vl("rule add VOL --category 志愿服务 --points 2 --min 1 --max 10");
    // One commit of two events.
    std::ofstream(server.File("awards.csv")) << "resident,rule,points,date,note\n"
                                                "R001,VOL,,2021-07-01,\nR001,VOL,,2021-07-02,\n";
    server.Vl("import '" + server.File("awards.csv") + "' --kind awards");
    server.Vl("award R001 VOL --on 2021-07-05");
    server.Vl("award R001 VOL --on 2021-07-06");
  }

  std::unique_ptr<Ledger> Open(const std::string& dir) {
    auto ledger = Ledger::Open(dir, {});
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    return ledger.ok() ? std::move(*ledger) : nullptr;
  }
  std::unique_ptr<Ledger> Server() { return Open(server.ledger()); }
  // The replica's folder, made empty on first use, opened as writer.
  std::unique_ptr<Ledger> Replica() {
    auto ledger = std::filesystem::exists(replica_dir)
                      ? Ledger::Open(replica_dir, {Ledger::Access::kWriter})
                      : Ledger::Create(replica_dir);
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    return ledger.ok() ? std::move(*ledger) : nullptr;
  }

  std::string PageFrom(uint64_t from, uint64_t limit = app::kFeedEventsMax) {
    auto server_ledger = Server();
    auto page = app::EventsFeed(*server_ledger, from, limit);
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? *page : "";
  }

  // Pages of `limit` events from the replica's size until one is empty.
  void CatchUp(uint64_t limit) {
    auto replica = Replica();
    for (int pages = 0; pages < 1000; pages++) {
      auto applied = app::ApplyFeedPage(*replica, PageFrom(replica->size(), limit), "server");
      ASSERT_TRUE(applied.ok()) << applied.status().message();
      if (applied->events == 0) return;
    }
    FAIL() << "no end of the feed";
  }

  void ExpectReplicaIsServer() {
    auto s = Server();
    auto r = Open(replica_dir);
    ASSERT_EQ(r->size(), s->size());
    EXPECT_EQ(r->head(), s->head());
    EXPECT_EQ(*r->MerkleRootAt(r->size()), *s->MerkleRootAt(s->size()));
    auto verified = VerifyLedger(*r);
    ASSERT_TRUE(verified.ok()) << verified.status().message();
    EXPECT_TRUE(verified->ok) << verified->problem;
  }

  AppLedger server;
  TempDir tmp;
  std::string replica_dir = tmp.File("replica");
};

TEST_F(FeedTest, APageIsWholeCommitsWithTheNewestCheckpointAndNoPersons) {
  server.Vl("checkpoint");
  auto entries = Entries(PageFrom(0));
  ASSERT_GE(entries.size(), 3u);
  auto* header = std::get_if<ArchiveHeader>(&entries.front());
  ASSERT_NE(header, nullptr);
  EXPECT_TRUE(header->is_public);
  EXPECT_TRUE(std::holds_alternative<ArchiveCheckpoint>(entries.back()));
  EXPECT_TRUE(std::holds_alternative<CommitRecord>(entries[entries.size() - 2]));
  uint64_t events = 0;
  for (const ArchiveEntry& e : entries) {
    EXPECT_FALSE(std::holds_alternative<ArchivePerson>(e));
    events += std::holds_alternative<ArchiveEvent>(e);
  }
  EXPECT_EQ(events, Server()->size());
}

TEST_F(FeedTest, AReplicaOfTheWholeLogHoldsTheServersLogAndVerifies) {
  server.Vl("checkpoint");
  CatchUp(app::kFeedEventsMax);
  ExpectReplicaIsServer();
  // The server's checkpoint was checked and stored beside the replica's log.
  auto replica = Open(replica_dir);
  auto latest = replica->LatestCheckpoint();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->first, replica->size());
}

TEST_F(FeedTest, AReplicaFollowsInPagesOfOneCommit) {
  CatchUp(1);
  ExpectReplicaIsServer();
  server.Vl("award R001 VOL --on 2021-07-07");
  server.Vl("checkpoint");
  CatchUp(1);
  ExpectReplicaIsServer();
}

TEST_F(FeedTest, APageStartsAtACommitAndNotPastTheLog) {
  auto s = Server();
  std::optional<CommitRecord> pair;
  ASSERT_TRUE(s->ScanCommits([&](const CommitRecord& c) {
                 if (c.last > c.first) pair = c;
                 return Status::Ok();
               }).ok());
  ASSERT_TRUE(pair.has_value());
  ASSERT_TRUE(app::EventsFeed(*s, pair->first, 10).ok());
  auto inside = app::EventsFeed(*s, pair->last, 10);
  ASSERT_FALSE(inside.ok());
  EXPECT_EQ(inside.status().code(), Code::kConflict);
  EXPECT_EQ(inside.status().field(), "from");
  auto past = app::EventsFeed(*s, s->size() + 1, 10);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().code(), Code::kConflict);
  EXPECT_EQ(past.status().field(), "from");
  auto none = app::EventsFeed(*s, 0, 0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().field(), "limit");
  auto end = app::EventsFeed(*s, s->size(), 10);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(Entries(*end).size(), 1u);  // the header only: no checkpoint stored
}

// Applies `page` to the replica, expecting a failed verification, and
// that the replica then holds `size` events.
void ExpectRefused(Ledger& replica, std::string page, uint64_t size) {
  auto applied = app::ApplyFeedPage(replica, std::move(page), "server");
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), Code::kVerificationFailed) << applied.status().message();
  EXPECT_EQ(replica.size(), size);
}

TEST_F(FeedTest, ATamperedEventIsRefusedAndTheCommitsBeforeItKept) {
  auto entries = Entries(PageFrom(0));
  // The last event (an award): its bytes changed, its hash left.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (auto* e = std::get_if<ArchiveEvent>(&*it)) {
      e->canonical[e->canonical.size() - 1] ^= 1;
      break;
    }
  }
  auto replica = Replica();
  ExpectRefused(*replica, Page(entries), Server()->size() - 1);
  auto verified = VerifyLedger(*replica);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
}

TEST_F(FeedTest, ABadCommitSignatureIsRefused) {
  auto entries = Entries(PageFrom(0));
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (auto* c = std::get_if<CommitRecord>(&*it)) {
      c->signature[0] ^= 1;
      break;
    }
  }
  auto replica = Replica();
  ExpectRefused(*replica, Page(entries), Server()->size() - 1);
}

TEST_F(FeedTest, ACheckpointSignedByAnotherKeyIsRefused) {
  CatchUp(app::kFeedEventsMax);
  auto other = PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  auto replica = Replica();
  vledger::Checkpoint head{"", replica->size(), *replica->MerkleRootAt(replica->size())};
  auto entries = Entries(PageFrom(0));
  head.origin = std::get<ArchiveHeader>(entries.front()).origin;
  auto accepted = app::AcceptCheckpoint(*replica, SignCheckpoint(head, *other));
  ASSERT_FALSE(accepted.ok());
  EXPECT_EQ(accepted.status().code(), Code::kVerificationFailed);
  auto latest = replica->LatestCheckpoint();
  ASSERT_TRUE(latest.ok());
  EXPECT_FALSE(latest->has_value());
}

TEST_F(FeedTest, AForkedServerIsRefusedAndNothingPastTheForkApplied) {
  server.Vl("backup " + tmp.File("older"));
  server.Vl("award R001 VOL --on 2021-07-07");
  server.Vl("checkpoint");
  CatchUp(app::kFeedEventsMax);
  const uint64_t size = Server()->size();
  // The server's folder replaced by the older backup, and something else
  // appended: the same number of events, another history.
  std::filesystem::remove_all(server.ledger());
  std::filesystem::rename(tmp.File("older"), server.ledger());
  server.Vl("award R001 VOL --on 2021-07-08");
  server.Vl("award R001 VOL --on 2021-07-09");
  server.Vl("checkpoint");
  server.Vl("checkpoint --size " + std::to_string(size));
  auto replica = Replica();
  ASSERT_EQ(replica->size(), size);
  // Its events at the replica's size do not follow the replica's chain...
  ExpectRefused(*replica, PageFrom(size), size);
  // ...its checkpoint past the replica's events waits for them...
  auto latest = Server()->LatestCheckpoint();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  auto later = app::AcceptCheckpoint(*replica, (*latest)->second);
  ASSERT_TRUE(later.ok()) << later.status().message();
  EXPECT_FALSE(*later);
  // ...and its checkpoint at the replica's size does not match the replica's tree.
  auto at_size = Server()->GetCheckpoint(size);
  ASSERT_TRUE(at_size.ok() && at_size->has_value());
  auto accepted = app::AcceptCheckpoint(*replica, **at_size);
  ASSERT_FALSE(accepted.ok());
  EXPECT_EQ(accepted.status().code(), Code::kVerificationFailed);
  EXPECT_EQ(replica->size(), size);
}

TEST_F(FeedTest, APageOfAnotherLedgerIsRefused) {
  CatchUp(app::kFeedEventsMax);
  AppLedger other;
  auto other_ledger = Open(other.ledger());
  auto page = app::EventsFeed(*other_ledger, other_ledger->size(), 10);
  ASSERT_TRUE(page.ok());
  auto replica = Replica();
  ExpectRefused(*replica, *page, Server()->size());
}

}  // namespace
}  // namespace vledger
