// Unit tests for the ledger folder on RocksDB (store.h): commits, the hash
// chain and signatures as stored, projection rows written with commits,
// transactions that never commit, the writer lock and readers, the stored
// Merkle tree, checkpoints and the person store. (The projection state
// over the stored rows is tested in state_test.)
#include "vledger/ledger/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/utilities/options_util.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "helpers.h"
#include "temp_dir.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/merkle.h"
#include "vledger/ledger/status.h"

namespace vledger {
namespace {

using testing::NewKey;
using testing::TempDir;

namespace fs = std::filesystem;
using Rows = std::vector<std::pair<std::string, std::string>>;

// A simple event signed (by commit) with `key`; `n` makes it unique. The
// village is named `name` when one is given.
Event VillageEvent(const PrivateKey& key, uint64_t n, std::string name = "") {
  Event e;
  e.recorded_at_ms = 1'600'000'000'000 + static_cast<int64_t>(n);
  e.key_id = key.key_id();
  e.request_id = "req-" + std::to_string(n);
  e.body = VillageRegistered{.code = "V" + std::to_string(n),
                             .name = name.empty() ? "Village " + std::to_string(n) : name};
  return e;
}

// Adds one event to `txn` and returns its canonical bytes.
std::string AddVillage(WriteTxn& txn, const PrivateKey& key, uint64_t n, std::string name = "") {
  Event e = VillageEvent(key, n, std::move(name));
  std::string canonical = EncodeEvent(e);
  txn.AddEvent(canonical, std::move(e));
  return canonical;
}

// The stored rows under `prefix`: of the state, or of the family `scan`
// reads (Ledger::ScanNameRows).
Rows ScanStored(const Ledger& ledger, std::string_view prefix,
                Status (Ledger::*scan)(std::string_view, const RowSource::ScanFn&)
                    const = &Ledger::ScanState) {
  Rows rows;
  Status st = (ledger.*scan)(prefix, [&](std::string_view k, std::string_view v) {
    rows.emplace_back(std::string(k), std::string(v));
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return rows;
}

// `n` rows of 2 KB that do not compress (xorshift64), under `prefix` and
// the row's number as eight bytes.
Rows NoiseRows(const std::string& prefix, int n) {
  Rows rows;
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < n; i++) {
    std::string noise;
    for (int j = 0; j < 256; j++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      noise.append(reinterpret_cast<const char*>(&x), sizeof x);
    }
    rows.emplace_back(prefix + U64be(i), noise);
  }
  return rows;
}

std::optional<std::string> StoredRow(const Ledger& ledger, std::string_view key) {
  auto row = ledger.GetState(key);
  EXPECT_TRUE(row.ok()) << row.status().message();
  return row.ok() ? *row : std::nullopt;
}

std::optional<std::string> StoredPerson(const Ledger& ledger, std::string_view ref) {
  auto row = ledger.GetPerson(ref);
  EXPECT_TRUE(row.ok()) << row.status().message();
  return row.ok() ? *row : std::nullopt;
}

// RFC 6962 MTH, written out recursively as the RFC states it: the reference
// the stored tree is checked against.
Hash ReferenceMth(const std::vector<Hash>& record_hashes, size_t begin, size_t end) {
  size_t n = end - begin;
  if (n == 0) return Sha256("");
  if (n == 1) {
    std::string leaf(1, '\0');
    leaf += AsString(record_hashes[begin]);
    return Sha256(leaf);
  }
  size_t k = 1;
  while (k * 2 < n) k *= 2;  // largest power of two smaller than n
  std::string node(1, '\x01');
  node += AsString(ReferenceMth(record_hashes, begin, begin + k));
  node += AsString(ReferenceMth(record_hashes, begin + k, end));
  return Sha256(node);
}

// Everything a ledger under test should hold, kept by the test itself.
struct Expected {
  std::vector<std::string> canonical;  // by seq
  std::vector<Hash> hashes;            // by seq
  struct Commit {
    uint64_t first, last;
    std::string key_id;
  };
  std::vector<Commit> commits;

  Hash head() const { return hashes.empty() ? kZeroHash : hashes.back(); }
};

// Opens writers and readers on one folder, and commits batches of events.
class StoreTest : public ::testing::Test {
 protected:
  std::string LedgerDir() const { return tmp_.path() + "/ledger"; }

  std::unique_ptr<Ledger> CreateLedger() {
    auto ledger = Ledger::Create(LedgerDir());
    VLEDGER_ASSERT(ledger.ok());
    return std::move(ledger).value();
  }

  Result<std::unique_ptr<Ledger>> OpenAs(Ledger::Access access, int wait_seconds = 0) {
    return Ledger::Open(LedgerDir(), {.access = access, .wait_seconds = wait_seconds});
  }

  std::unique_ptr<Ledger> MustOpen(Ledger::Access access) {
    auto ledger = OpenAs(access);
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    VLEDGER_ASSERT(ledger.ok());
    return std::move(ledger).value();
  }

  // Commits `count` events signed by `key` in one transaction, with optional
  // state rows and villages' names (name(seq)), and records what was
  // written in `expected_`.
  CommitRecord CommitEvents(Ledger& ledger, const PrivateKey& key, uint64_t count,
                            const Rows& puts = {},
                            const std::function<std::string(uint64_t)>& name = nullptr) {
    auto txn = ledger.BeginWrite();
    uint64_t first = txn->next_seq();
    for (uint64_t i = 0; i < count; i++) {
      uint64_t seq = first + i;
      std::string canonical = AddVillage(*txn, key, seq, name ? name(seq) : "");
      expected_.hashes.push_back(RecordHash(seq, expected_.head(), canonical));
      expected_.canonical.push_back(std::move(canonical));
    }
    for (const auto& [k, v] : puts) txn->PutRow(k, v);
    auto commit = txn->Commit(key);
    EXPECT_TRUE(commit.ok()) << commit.status().message();
    VLEDGER_ASSERT(commit.ok());
    expected_.commits.push_back({first, first + count - 1, key.key_id()});
    return *commit;
  }

  // Checks size, head, every event, hash and commit against expected_.
  void CheckLog(const Ledger& ledger, const std::map<std::string, const PrivateKey*>& keys) {
    ASSERT_EQ(ledger.size(), expected_.canonical.size());
    EXPECT_EQ(Hex(ledger.head()), Hex(expected_.head()));
    Hash prev = kZeroHash;
    for (uint64_t seq = 0; seq < ledger.size(); seq++) {
      auto stored = ledger.ReadEvent(seq);
      ASSERT_TRUE(stored.ok()) << stored.status().message();
      EXPECT_EQ(stored->seq, seq);
      EXPECT_EQ(stored->canonical, expected_.canonical[seq]) << "seq " << seq;
      Hash h = RecordHash(seq, prev, stored->canonical);
      EXPECT_EQ(Hex(stored->hash), Hex(h)) << "seq " << seq;
      auto read_hash = ledger.ReadHash(seq);
      ASSERT_TRUE(read_hash.ok());
      EXPECT_EQ(Hex(*read_hash), Hex(h));
      prev = h;
    }
    EXPECT_EQ(Hex(prev), Hex(ledger.head()));
    for (const auto& c : expected_.commits) {
      for (uint64_t seq = c.first; seq <= c.last; seq++) {
        auto commit = ledger.CommitOf(seq);
        ASSERT_TRUE(commit.ok()) << "seq " << seq << ": " << commit.status().message();
        EXPECT_EQ(commit->first, c.first) << "seq " << seq;
        EXPECT_EQ(commit->last, c.last) << "seq " << seq;
        EXPECT_EQ(commit->key_id, c.key_id);
        const PrivateKey* key = keys.at(c.key_id);
        EXPECT_TRUE(key->public_key().Verify(
            CommitMessage(c.first, c.last, expected_.hashes[c.last]), commit->signature))
            << "commit " << c.first << ".." << c.last;
      }
    }
  }

  // The ledger's table files.
  std::vector<fs::path> TableFiles() {
    std::vector<fs::path> tables;
    for (const auto& entry : fs::directory_iterator(LedgerDir() + "/db")) {
      if (entry.path().extension() == ".sst") tables.push_back(entry.path());
    }
    return tables;
  }

  // A ledger of 5 commits of 600 rows that do not compress, written and
  // closed; its table files, the largest first.
  std::vector<fs::path> LedgerOfTableFiles() {
    PrivateKey key = NewKey();
    CreateLedger().reset();
    {
      auto ledger = MustOpen(Ledger::Access::kWriter);
      CommitEvents(*ledger, key, 5, NoiseRows("m/", 600));
    }
    std::vector<fs::path> tables = TableFiles();
    std::sort(tables.begin(), tables.end(), [](const fs::path& a, const fs::path& b) {
      return fs::file_size(a) > fs::file_size(b);
    });
    return tables;
  }

  TempDir tmp_;
  Expected expected_;
};

// -------------------------------------------------------- create and open

TEST_F(StoreTest, CreateGivesAnEmptyWriter) {
  auto ledger = CreateLedger();
  EXPECT_TRUE(ledger->writer());
  EXPECT_EQ(ledger->dir(), LedgerDir());
  EXPECT_EQ(ledger->size(), 0u);
  EXPECT_EQ(ledger->head(), kZeroHash);
  auto root = ledger->MerkleRootAt(0);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(Hex(*root), Hex(MerkleEmptyRoot()));
  auto latest = ledger->LatestCheckpoint();
  ASSERT_TRUE(latest.ok());
  EXPECT_FALSE(latest->has_value());
  EXPECT_EQ(ledger->ReadEvent(0).status().code(), Code::kInvalidInput);
  EXPECT_TRUE(ledger->VerifyStorage().ok());
}

TEST_F(StoreTest, CreateAcceptsAnExistingEmptyFolder) {
  TempDir empty;
  auto ledger = Ledger::Create(empty.path());
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  EXPECT_EQ((*ledger)->size(), 0u);
}

TEST_F(StoreTest, CreateOnNonEmptyFolderIsRejected) {
  TempDir dir;
  std::ofstream(dir.path() + "/stray.txt") << "x";
  auto ledger = Ledger::Create(dir.path());
  ASSERT_FALSE(ledger.ok());
  EXPECT_EQ(ledger.status().code(), Code::kAlreadyExists);
  // Nothing was added to the folder.
  EXPECT_FALSE(fs::exists(dir.path() + "/db"));
}

TEST_F(StoreTest, CreateOverAnExistingLedgerIsRejected) {
  { auto ledger = CreateLedger(); }
  auto again = Ledger::Create(LedgerDir());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
}

TEST_F(StoreTest, OpenMissingFolderIsUnavailable) {
  for (auto access : {Ledger::Access::kReader, Ledger::Access::kWriter}) {
    auto ledger = OpenAs(access);
    ASSERT_FALSE(ledger.ok());
    EXPECT_EQ(ledger.status().code(), Code::kUnavailable);
  }
  // A writer Open must not leave a folder behind.
  EXPECT_FALSE(fs::exists(LedgerDir()));
}

TEST_F(StoreTest, OpenEmptyFolderIsUnavailable) {
  fs::create_directories(LedgerDir());
  for (auto access : {Ledger::Access::kReader, Ledger::Access::kWriter}) {
    auto ledger = OpenAs(access);
    ASSERT_FALSE(ledger.ok());
    EXPECT_EQ(ledger.status().code(), Code::kUnavailable);
  }
}

// ------------------------------------------------------------ commits

TEST_F(StoreTest, CommitAppendsEventsAndAdvancesHead) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitRecord commit = CommitEvents(*ledger, key, 3);
  EXPECT_EQ(commit.first, 0u);
  EXPECT_EQ(commit.last, 2u);
  EXPECT_EQ(commit.key_id, key.key_id());
  EXPECT_EQ(commit.signature.size(), kSignatureBytes);
  EXPECT_TRUE(key.public_key().Verify(CommitMessage(0, 2, expected_.hashes[2]), commit.signature));
  EXPECT_EQ(ledger->size(), 3u);
  EXPECT_EQ(Hex(ledger->head()), Hex(expected_.hashes[2]));

  CommitRecord second = CommitEvents(*ledger, key, 2);
  EXPECT_EQ(second.first, 3u);
  EXPECT_EQ(second.last, 4u);
  EXPECT_EQ(ledger->size(), 5u);
  CheckLog(*ledger, {{key.key_id(), &key}});
}

TEST_F(StoreTest, StoredEventsFollowTheRecordHashChain) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  for (uint64_t count : {1, 2, 3, 1, 5}) CommitEvents(*ledger, key, count);
  CheckLog(*ledger, {{key.key_id(), &key}});
  // The chain starts from 32 zero bytes.
  EXPECT_EQ(Hex(expected_.hashes[0]), Hex(RecordHash(0, kZeroHash, expected_.canonical[0])));
  EXPECT_EQ(ledger->ReadEvent(ledger->size()).status().code(), Code::kInvalidInput);
}

TEST_F(StoreTest, ReadDecodedGivesBackTheEvent) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 2);
  auto decoded = ledger->ReadDecoded(1);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  Event want = VillageEvent(key, 1);
  EXPECT_EQ(decoded->key_id, want.key_id);
  EXPECT_EQ(decoded->recorded_at_ms, want.recorded_at_ms);
  EXPECT_EQ(decoded->request_id, want.request_id);
  ASSERT_TRUE(std::holds_alternative<VillageRegistered>(decoded->body));
  EXPECT_EQ(std::get<VillageRegistered>(decoded->body).code, "V1");
  EXPECT_EQ(EncodeEvent(*decoded), expected_.canonical[1]);
}

TEST_F(StoreTest, CommitOfEverySeqGivesItsSignedCommit) {
  PrivateKey alice = NewKey();
  PrivateKey bob = NewKey();
  auto ledger = CreateLedger();
  const uint64_t sizes[] = {1, 2, 3, 1, 4, 7};
  for (size_t i = 0; i < std::size(sizes); i++) {
    CommitEvents(*ledger, i % 2 == 0 ? alice : bob, sizes[i]);
  }
  CheckLog(*ledger, {{alice.key_id(), &alice}, {bob.key_id(), &bob}});

  // No commit holds a seq past the end.
  auto past = ledger->CommitOf(ledger->size());
  EXPECT_FALSE(past.ok());

  // ScanCommits lists the same commits in order.
  std::vector<CommitRecord> scanned;
  ASSERT_TRUE(ledger
                  ->ScanCommits([&](const CommitRecord& c) {
                    scanned.push_back(c);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(scanned.size(), expected_.commits.size());
  for (size_t i = 0; i < scanned.size(); i++) {
    EXPECT_EQ(scanned[i].first, expected_.commits[i].first);
    EXPECT_EQ(scanned[i].last, expected_.commits[i].last);
    EXPECT_EQ(scanned[i].key_id, expected_.commits[i].key_id);
  }
}

TEST_F(StoreTest, TransactionCanBeReusedAfterCommit) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  auto txn = ledger->BeginWrite();
  std::string a = AddVillage(*txn, key, 0);
  ASSERT_TRUE(txn->Commit(key).ok());
  EXPECT_EQ(txn->pending_events(), 0u);
  EXPECT_EQ(txn->next_seq(), 1u);
  std::string b = AddVillage(*txn, key, 1);
  auto second = txn->Commit(key);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->first, 1u);
  EXPECT_EQ(second->last, 1u);
  txn.reset();
  Hash h0 = RecordHash(0, kZeroHash, a);
  Hash h1 = RecordHash(1, h0, b);
  EXPECT_EQ(Hex(ledger->head()), Hex(h1));
  EXPECT_TRUE(key.public_key().Verify(CommitMessage(1, 1, h1), second->signature));
  auto root = ledger->MerkleRootAt(2);
  ASSERT_TRUE(root.ok()) << root.status().message();
  EXPECT_EQ(Hex(*root), Hex(ReferenceMth({h0, h1}, 0, 2)));
}

// Restoring from an archive: a commit signed elsewhere is written as given,
// and only when it covers exactly the pending events by its key.
TEST_F(StoreTest, CommitSignedWritesTheGivenSignature) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  auto txn = ledger->BeginWrite();
  std::string a = AddVillage(*txn, key, 0);
  std::string b = AddVillage(*txn, key, 1);
  Hash h1 = RecordHash(1, RecordHash(0, kZeroHash, a), b);
  CommitRecord signed_elsewhere{0, 1, key.key_id(), key.Sign(CommitMessage(0, 1, h1))};

  CommitRecord short_one = signed_elsewhere;
  short_one.last = 0;
  auto refused = txn->CommitSigned(short_one);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kVerificationFailed);
  CommitRecord other_key = signed_elsewhere;
  other_key.key_id = NewKey().key_id();
  EXPECT_EQ(txn->CommitSigned(other_key).status().code(), Code::kVerificationFailed);
  EXPECT_EQ(ledger->size(), 0u);

  auto written = txn->CommitSigned(signed_elsewhere);
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(ledger->size(), 2u);
  EXPECT_EQ(Hex(ledger->head()), Hex(h1));
  auto stored = ledger->CommitOf(1);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->signature, signed_elsewhere.signature);
  EXPECT_EQ(txn->pending_events(), 0u);
}

// C(e) of an event, stored or pending, as it was added; none past the end.
TEST_F(StoreTest, CanonicalOfGivesAnEventsBytesStoredOrPending) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  auto txn = ledger->BeginWrite();
  std::string a = AddVillage(*txn, key, 0);
  ASSERT_TRUE(txn->Commit(key).ok());
  std::string b = AddVillage(*txn, key, 1);
  auto stored = txn->CanonicalOf(0);
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(*stored, a);
  auto pending = txn->CanonicalOf(1);
  ASSERT_TRUE(pending.ok()) << pending.status().message();
  EXPECT_EQ(*pending, b);
  EXPECT_EQ(txn->CanonicalOf(2).status().code(), Code::kInvalidInput);
}

// Room reserved in a commit's batch for its rows changes nothing staged:
// the batch is made anew only while it is empty, and rows beyond the room
// are written whole.
TEST_F(StoreTest, RoomReservedForRowsKeepsWhatIsStaged) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  auto txn = ledger->BeginWrite();
  txn->ReserveRows(1);
  txn->PutRow("a", "1");
  txn->ReserveRows(100000);  // not empty: kept as it is
  const std::string large(1 << 20, 'x');
  txn->PutRow("b", large);
  AddVillage(*txn, key, 0);
  ASSERT_TRUE(txn->Commit(key).ok());
  EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"a", "1"}, {"b", large}}));
  txn->ReserveRows(3);  // the next commit, in the room the first left
  txn->PutRow("c", "3");
  AddVillage(*txn, key, 1);
  ASSERT_TRUE(txn->Commit(key).ok());
  EXPECT_EQ(StoredRow(*ledger, "c").value_or(""), "3");
}

// Rows staged in a transaction are written with its commit and only then.
TEST_F(StoreTest, RowsAreWrittenWithTheirCommit) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  auto txn = ledger->BeginWrite();
  txn->PutRow("b", "2");
  txn->PutRow("a", "1");
  txn->PutRow("c", "3");
  txn->PutRow("a", "one");  // the last one staged wins
  txn->PutRow("c", std::nullopt);
  EXPECT_FALSE(StoredRow(*ledger, "a").has_value());
  AddVillage(*txn, key, 0);
  ASSERT_TRUE(txn->Commit(key).ok());
  EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"a", "one"}, {"b", "2"}}));
  // The transaction is reused: the next commit deletes a row.
  txn->PutRow("b", std::nullopt);
  AddVillage(*txn, key, 1);
  ASSERT_TRUE(txn->Commit(key).ok());
  txn.reset();
  EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"a", "one"}}));
}

// A view reads the writer's database as of its opening: later commits
// (events and rows) are not in it, a new view has them, and the writer
// goes on after the views close.
TEST_F(StoreTest, AViewSeesTheWriterAsOfItsOpening) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  auto txn = ledger->BeginWrite();
  txn->PutRow("a", "1");
  AddVillage(*txn, key, 0);
  ASSERT_TRUE(txn->Commit(key).ok());
  auto before = Ledger::OpenView(*ledger);
  ASSERT_TRUE(before.ok()) << before.status().message();
  txn->PutRow("a", "2");
  txn->PutRow("b", "3");
  AddVillage(*txn, key, 1);
  ASSERT_TRUE(txn->Commit(key).ok());
  auto after = Ledger::OpenView(*ledger);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_FALSE((*before)->writer());
  EXPECT_EQ((*before)->size(), 1u);
  EXPECT_EQ(Hex((*before)->head()), Hex(ledger->ReadHash(0).value()));
  EXPECT_EQ(ScanStored(**before, ""), (Rows{{"a", "1"}}));
  EXPECT_FALSE((*before)->ReadEvent(1).ok());
  EXPECT_EQ((*after)->size(), 2u);
  EXPECT_EQ(ScanStored(**after, ""), (Rows{{"a", "2"}, {"b", "3"}}));
  EXPECT_TRUE((*after)->ReadEvent(1).ok());
  before->reset();
  after->reset();
  AddVillage(*txn, key, 2);
  ASSERT_TRUE(txn->Commit(key).ok());
  EXPECT_EQ(ledger->size(), 3u);
}

// Abort forgets the rows staged so far with the pending events: the next
// commit writes only what was staged after it.
TEST_F(StoreTest, AbortDropsStagedRows) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  auto txn = ledger->BeginWrite();
  txn->PutRow("a", "1");
  AddVillage(*txn, key, 0);
  txn->Abort();
  EXPECT_EQ(txn->pending_events(), 0u);
  txn->PutRow("b", "2");
  AddVillage(*txn, key, 0);
  ASSERT_TRUE(txn->Commit(key).ok());
  txn.reset();
  EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"b", "2"}}));
}

TEST_F(StoreTest, RowsCursorAndMultiGetReadStoredRowsInKeyOrder) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 1, {{"b", "2"}, {"a\xff", "ff"}, {"a", "1"}, {"a\x01", "01"}});
  Rows want{{"a", "1"}, {"a\x01", "01"}, {"a\xff", "ff"}};
  EXPECT_EQ(ScanStored(*ledger, "a"), want);
  auto rows = ledger->Rows();
  Rows scanned;
  rows->ScanRows("a", [&](std::string_view k, std::string_view v) {
    scanned.emplace_back(std::string(k), std::string(v));
    return true;
  });
  EXPECT_EQ(scanned, want);
  EXPECT_EQ(rows->GetRow("b").value_or(""), "2");
  EXPECT_FALSE(rows->GetRow("c").has_value());
  auto got = rows->GetRows({"c", "a", "b"});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_FALSE(got[0].has_value());
  EXPECT_EQ(got[1].value_or(""), "1");
  EXPECT_EQ(got[2].value_or(""), "2");
  Rows walked;
  for (auto c = ledger->NewStateCursor(); c->Valid(); c->Next()) {
    walked.emplace_back(std::string(c->key()), std::string(c->value()));
  }
  EXPECT_EQ(walked, (Rows{{"a", "1"}, {"a\x01", "01"}, {"a\xff", "ff"}, {"b", "2"}}));
  // From a key on, and before another.
  auto walk = [&](std::string_view from, std::string_view to) {
    Rows seen;
    for (auto c = ledger->NewStateCursor(from, to); c->Valid(); c->Next()) {
      seen.emplace_back(std::string(c->key()), std::string(c->value()));
    }
    return seen;
  };
  EXPECT_EQ(walk("a\x01", ""), (Rows{{"a\x01", "01"}, {"a\xff", "ff"}, {"b", "2"}}));
  EXPECT_EQ(walk(std::string_view("a\0", 2), "a\xff"), (Rows{{"a\x01", "01"}}));
  EXPECT_EQ(walk("", "a\x01"), (Rows{{"a", "1"}}));
  EXPECT_EQ(walk("a\xff", "b"), (Rows{{"a\xff", "ff"}}));
  EXPECT_TRUE(walk(std::string_view("b\0", 2), "").empty());
  EXPECT_TRUE(walk("a\x02", "a\x03").empty());
  // ScanState stops when fn returns false.
  int calls = 0;
  ASSERT_TRUE(
      ledger->ScanState("", [&](std::string_view, std::string_view) { return ++calls < 2; }).ok());
  EXPECT_EQ(calls, 2);
}

TEST_F(StoreTest, PutPersonsWritesOutsideAnyCommit) {
  auto ledger = CreateLedger();
  ASSERT_TRUE(ledger
                  ->PutPersons({{std::string(32, 'a'), "salt-and-record"},
                                {std::string(32, 'b'), "another"}})
                  .ok());
  EXPECT_EQ(ledger->size(), 0u);
  auto row = ledger->GetPerson(std::string(32, 'b'));
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ(**row, "another");
}

TEST_F(StoreTest, PendingEventsAreReadableInTheTransaction) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 2);
  auto txn = ledger->BeginWrite();
  EXPECT_EQ(txn->next_seq(), 2u);
  EXPECT_EQ(txn->pending_events(), 0u);
  std::string canonical = AddVillage(*txn, key, 2);
  EXPECT_EQ(txn->next_seq(), 3u);
  EXPECT_EQ(txn->pending_events(), 1u);
  // h of stored and pending events.
  EXPECT_EQ(Hex(txn->HashOf(1)), Hex(expected_.hashes[1]));
  EXPECT_EQ(Hex(txn->HashOf(2)), Hex(RecordHash(2, expected_.hashes[1], canonical)));
  // Pending and stored events decode.
  auto pending = txn->ReadEvent(2);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(std::get<VillageRegistered>(pending->body).code, "V2");
  auto stored = txn->ReadEvent(0);
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(std::get<VillageRegistered>(stored->body).code, "V0");
  EXPECT_FALSE(txn->ReadEvent(3).ok());
  // The ledger itself does not see the pending event.
  EXPECT_EQ(ledger->size(), 2u);
}

// ------------------------------------------- transactions that never commit

// What a reopened ledger holds, for before/after comparisons.
struct Snapshot {
  uint64_t size = 0;
  Hash head{};
  Rows state;
  Rows persons;
  bool operator==(const Snapshot&) const = default;
};

Snapshot Snap(const Ledger& ledger) {
  Snapshot s{ledger.size(), ledger.head(), ScanStored(ledger, ""), {}};
  Status st = ledger.ScanPersons([&](std::string_view ref, std::string_view value) {
    s.persons.emplace_back(std::string(ref), std::string(value));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return s;
}

TEST_F(StoreTest, DroppedTransactionWritesNothing) {
  PrivateKey key = NewKey();
  Snapshot before;
  {
    auto ledger = CreateLedger();
    CommitEvents(*ledger, key, 2, {{"k1", "v1"}, {"k2", "v2"}});
    {
      auto txn = ledger->BeginWrite();
      txn->PutPerson("p0", "person zero");
      AddVillage(*txn, key, 2);  // an event alone needs a commit to be kept
      ASSERT_TRUE(txn->Commit(key).ok());
    }
    expected_.commits.push_back({2, 2, key.key_id()});
    before = Snap(*ledger);
    ASSERT_EQ(before.size, 3u);
    {
      auto txn = ledger->BeginWrite();
      AddVillage(*txn, key, 3);
      AddVillage(*txn, key, 4);
      txn->PutRow("k1", "changed");
      txn->PutRow("k2", std::nullopt);
      txn->PutRow("k3", "new");
      txn->PutPerson("p1", "someone");
      txn->DeletePerson("p0");
      // Dropped here without Commit.
    }
    EXPECT_EQ(Snap(*ledger), before);
    // The writer can start the next transaction.
    auto txn = ledger->BeginWrite();
    EXPECT_EQ(txn->next_seq(), 3u);
    EXPECT_EQ(StoredRow(*ledger, "k1").value_or(""), "v1");
  }
  for (auto access : {Ledger::Access::kWriter, Ledger::Access::kReader}) {
    auto ledger = MustOpen(access);
    EXPECT_EQ(Snap(*ledger), before);
    EXPECT_EQ(StoredPerson(*ledger, "p0").value_or(""), "person zero");
    EXPECT_FALSE(StoredPerson(*ledger, "p1").has_value());
    EXPECT_FALSE(ledger->CommitOf(3).ok());
    EXPECT_EQ(ledger->ReadEvent(3).status().code(), Code::kInvalidInput);
  }
}

TEST_F(StoreTest, AbortDiscardsPendingWrites) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 3, {{"k", "stored"}});
  PrivateKey other = NewKey();
  auto txn = ledger->BeginWrite();
  AddVillage(*txn, other, 100);
  AddVillage(*txn, other, 101);
  txn->PutRow("k", "pending");
  txn->PutRow("k2", "pending");
  txn->PutPerson("p", "pending");
  txn->Abort();
  EXPECT_EQ(txn->pending_events(), 0u);
  EXPECT_EQ(txn->next_seq(), 3u);
  EXPECT_FALSE(txn->GetPerson("p").value().has_value());
  EXPECT_FALSE(txn->ReadEvent(3).ok());

  // The next commit continues the chain and the tree as if nothing happened.
  std::string canonical = AddVillage(*txn, key, 3);
  auto commit = txn->Commit(key);
  ASSERT_TRUE(commit.ok()) << commit.status().message();
  txn.reset();
  expected_.hashes.push_back(RecordHash(3, expected_.head(), canonical));
  expected_.canonical.push_back(canonical);
  expected_.commits.push_back({3, 3, key.key_id()});
  CheckLog(*ledger, {{key.key_id(), &key}});
  auto root = ledger->MerkleRootAt(4);
  ASSERT_TRUE(root.ok()) << root.status().message();
  EXPECT_EQ(Hex(*root), Hex(ReferenceMth(expected_.hashes, 0, 4)));
  EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"k", "stored"}}));
  EXPECT_FALSE(StoredPerson(*ledger, "p").has_value());
}

// --------------------------------------------------- writers and readers

TEST_F(StoreTest, ReopenedReaderSeesCommittedData) {
  PrivateKey key = NewKey();
  {
    auto ledger = CreateLedger();
    CommitEvents(*ledger, key, 4, {{"a", "1"}});
    CommitEvents(*ledger, key, 3, {{"b", "2"}});
    ASSERT_TRUE(ledger->PutCheckpoint(7, "checkpoint at 7").ok());
  }
  auto reader = MustOpen(Ledger::Access::kReader);
  EXPECT_FALSE(reader->writer());
  CheckLog(*reader, {{key.key_id(), &key}});
  EXPECT_EQ(ScanStored(*reader, ""), (Rows{{"a", "1"}, {"b", "2"}}));
  auto cp = reader->GetCheckpoint(7);
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->value_or(""), "checkpoint at 7");
  auto root = reader->MerkleRootAt(7);
  ASSERT_TRUE(root.ok()) << root.status().message();
  EXPECT_EQ(Hex(*root), Hex(ReferenceMth(expected_.hashes, 0, 7)));
  EXPECT_TRUE(reader->VerifyStorage().ok());
}

TEST_F(StoreTest, ReopenedWriterContinuesTheChain) {
  PrivateKey key = NewKey();
  { CommitEvents(*CreateLedger(), key, 3); }
  {
    auto writer = MustOpen(Ledger::Access::kWriter);
    EXPECT_TRUE(writer->writer());
    CommitEvents(*writer, key, 2);
  }
  auto reader = MustOpen(Ledger::Access::kReader);
  CheckLog(*reader, {{key.key_id(), &key}});
  auto root = reader->MerkleRootAt(5);
  ASSERT_TRUE(root.ok()) << root.status().message();
  EXPECT_EQ(Hex(*root), Hex(ReferenceMth(expected_.hashes, 0, 5)));
}

// RocksDB writes an OPTIONS file at every writer's open; the store lets it
// write one only when the text differs from the folder's newest, which
// tools such as ldb read to open the database.
TEST_F(StoreTest, AWriterWritesAnOptionsFileOnlyWhenTheOptionsChanged) {
  auto options_files = [&] {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(LedgerDir() + "/db")) {
      std::string name = entry.path().filename().string();
      if (name.rfind("OPTIONS-", 0) == 0) names.insert(name);
    }
    return names;
  };
  PrivateKey key = NewKey();
  { CommitEvents(*CreateLedger(), key, 1); }
  // Creating the ledger opened it with other options (create_if_missing):
  // the first writer after it writes its own.
  { CommitEvents(*MustOpen(Ledger::Access::kWriter), key, 1); }
  std::set<std::string> first = options_files();  // RocksDB keeps the newest two
  ASSERT_FALSE(first.empty());
  std::string newest = LedgerDir() + "/db/" + *first.rbegin();
  std::string text = ReadAll(newest);
  for (int i = 0; i < 3; i++) {
    auto writer = MustOpen(Ledger::Access::kWriter);
    CommitEvents(*writer, key, 1);
  }
  EXPECT_EQ(options_files(), first);
  EXPECT_TRUE(ReadAll(newest) == text);
  // Nothing about it in RocksDB's log: it is not a failure.
  if (fs::exists(LedgerDir() + "/db/LOG")) {
    EXPECT_EQ(ReadAll(LedgerDir() + "/db/LOG").find("persist options"), std::string::npos);
  }

  // Other options in the newest file (as an older version's would be): the
  // next writer writes the options it opened with.
  {
    std::ofstream out(newest, std::ios::app);
    out << "# written by another version\n";
  }
  { CommitEvents(*MustOpen(Ledger::Access::kWriter), key, 1); }
  std::set<std::string> after = options_files();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(*after.begin(), *first.rbegin());  // the changed one
  EXPECT_GT(*after.rbegin(), *first.rbegin());
  EXPECT_TRUE(ReadAll(LedgerDir() + "/db/" + *after.rbegin()) == text);

  // The newest file is what a tool reads to open the database.
  rocksdb::ConfigOptions config;
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  rocksdb::Status loaded =
      rocksdb::LoadLatestOptions(config, LedgerDir() + "/db", &db_options, &families);
  ASSERT_TRUE(loaded.ok()) << loaded.ToString();
  EXPECT_EQ(families.size(), 10u);
  auto reader = MustOpen(Ledger::Access::kReader);
  EXPECT_EQ(reader->size(), 6u);
}

TEST_F(StoreTest, SecondWriterIsUnavailableWhileFirstIsOpen) {
  auto first = CreateLedger();
  auto second = OpenAs(Ledger::Access::kWriter);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kUnavailable);

  // Waiting does not help while the first writer stays open.
  auto start = std::chrono::steady_clock::now();
  auto waited = OpenAs(Ledger::Access::kWriter, 1);
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.status().code(), Code::kUnavailable);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));

  first.reset();
  auto third = OpenAs(Ledger::Access::kWriter, 5);
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_TRUE((*third)->writer());
}

TEST_F(StoreTest, WaitingWriterGetsTheLockWhenTheFirstCloses) {
  PrivateKey key = NewKey();
  auto first = CreateLedger();
  CommitEvents(*first, key, 2);
  std::atomic<bool> closed{false};
  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    closed = true;
    first.reset();
  });
  auto second = OpenAs(Ledger::Access::kWriter, 30);
  closer.join();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_TRUE(closed);
  EXPECT_EQ((*second)->size(), 2u);
  EXPECT_EQ(Hex((*second)->head()), Hex(expected_.head()));
}

TEST_F(StoreTest, ReaderOpensBesideWriterAndSeesLastCommit) {
  PrivateKey key = NewKey();
  auto writer = CreateLedger();
  CommitEvents(*writer, key, 3, {{"a", "1"}});
  {
    auto reader = MustOpen(Ledger::Access::kReader);
    EXPECT_EQ(reader->size(), 3u);
    EXPECT_EQ(Hex(reader->head()), Hex(expected_.head()));
    EXPECT_EQ(StoredRow(*reader, "a").value_or(""), "1");
  }
  CommitEvents(*writer, key, 2, {{"a", "2"}});
  // A transaction in progress is invisible to readers.
  auto txn = writer->BeginWrite();
  AddVillage(*txn, key, 5);
  txn->PutRow("a", "pending");
  txn->PutPerson("p", "pending");
  {
    auto reader = MustOpen(Ledger::Access::kReader);
    CheckLog(*reader, {{key.key_id(), &key}});
    EXPECT_EQ(StoredRow(*reader, "a").value_or(""), "2");
    EXPECT_FALSE(StoredPerson(*reader, "p").has_value());
    auto root = reader->MerkleRootAt(5);
    ASSERT_TRUE(root.ok()) << root.status().message();
    EXPECT_EQ(Hex(*root), Hex(ReferenceMth(expected_.hashes, 0, 5)));
  }
  // Readers do not block the writer.
  auto reader = MustOpen(Ledger::Access::kReader);
  ASSERT_TRUE(txn->Commit(key).ok());
  EXPECT_EQ(writer->size(), 6u);
}

TEST_F(StoreTest, ReaderDoesNotTakeTheWriterLock) {
  { auto ledger = CreateLedger(); }
  auto reader = MustOpen(Ledger::Access::kReader);
  auto writer = OpenAs(Ledger::Access::kWriter);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
}

// ---------------------------------------------------------- Merkle tree

TEST_F(StoreTest, MerkleRootAtMatchesMemoryTreeAcrossCommitsOfVaryingSizes) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  MemoryMerkleTree memory;
  // Commits that end inside a chunk of 256 record hashes, fill one exactly,
  // and span several.
  const uint64_t commit_sizes[] = {1, 2,  3, 7,  1, 1,   8, 16,  5,   4,
                                   2, 13, 1, 32, 6, 300, 1, 255, 256, 600};
  for (uint64_t count : commit_sizes) {
    CommitEvents(*ledger, key, count);
    while (memory.size() < expected_.hashes.size()) memory.Append(expected_.hashes[memory.size()]);
    uint64_t n = ledger->size();
    ASSERT_EQ(n, memory.size());
    // Prefix roots (every one while small), and the reference for this size.
    for (uint64_t size = 0; size <= n; size += (size < 300 || size + 20 > n) ? 1 : 37) {
      auto stored = ledger->MerkleRootAt(size);
      ASSERT_TRUE(stored.ok()) << "size " << size << ": " << stored.status().message();
      auto in_memory = MerkleRoot(size, memory.Reader());
      ASSERT_TRUE(in_memory.ok());
      ASSERT_EQ(Hex(*stored), Hex(*in_memory)) << "size " << size << " after commit to " << n;
    }
    EXPECT_EQ(Hex(*ledger->MerkleRootAt(n)), Hex(ReferenceMth(expected_.hashes, 0, n)));
  }
  // Every perfect-subtree node is stored, and equals the one in memory.
  uint64_t n = ledger->size();
  NodeReader stored_nodes = ledger->MerkleNodes();
  NodeReader memory_nodes = memory.Reader();
  for (int level = 0; (uint64_t{1} << level) <= n; level++) {
    for (uint64_t index = 0; (index + 1) << level <= n; index++) {
      auto s = stored_nodes(level, index);
      ASSERT_TRUE(s.ok()) << level << "/" << index << ": " << s.status().message();
      EXPECT_EQ(Hex(*s), Hex(*memory_nodes(level, index))) << level << "/" << index;
    }
  }
  // Only nodes of level 8 and up are stored, one per complete subtree.
  std::map<int, uint64_t> stored_per_level;
  ASSERT_TRUE(ledger
                  ->ScanMerkleNodes([&](int level, uint64_t index, const Hash& hash) -> Status {
                    EXPECT_GE(level, kStoredMerkleLevelMin);
                    EXPECT_EQ(index, stored_per_level[level]++);
                    EXPECT_EQ(Hex(hash), Hex(*memory_nodes(level, index)));
                    return Status::Ok();
                  })
                  .ok());
  for (int level = kStoredMerkleLevelMin; (uint64_t{1} << level) <= n; level++) {
    EXPECT_EQ(stored_per_level[level], n >> level) << level;
  }
  // Every record hash reads back, the last chunk's too.
  for (uint64_t seq = 0; seq < n; seq++) {
    auto h = ledger->ReadHash(seq);
    ASSERT_TRUE(h.ok()) << seq;
    ASSERT_EQ(Hex(*h), Hex(expected_.hashes[seq])) << seq;
  }
  auto past = ledger->MerkleRootAt(n + 1);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().code(), Code::kInvalidInput);

  // Proofs from stored nodes verify against the stored roots.
  auto root = ledger->MerkleRootAt(n);
  ASSERT_TRUE(root.ok());
  for (uint64_t index : {uint64_t{0}, n / 2, n - 1}) {
    auto proof = InclusionProof(index, n, stored_nodes);
    ASSERT_TRUE(proof.ok()) << proof.status().message();
    EXPECT_TRUE(VerifyInclusion(index, n, MerkleLeafHash(expected_.hashes[index]), *proof, *root));
  }
  auto old_root = ledger->MerkleRootAt(11);
  auto consistency = ConsistencyProof(11, n, stored_nodes);
  ASSERT_TRUE(old_root.ok() && consistency.ok());
  EXPECT_TRUE(VerifyConsistency(11, n, *old_root, *root, *consistency));
}

// --------------------------------------------------------------- rebuild

TEST_F(StoreTest, ProjectionsAreReplacedInStepsAndCountAsOfTheirSize) {
  PrivateKey key = NewKey();
  {
    auto ledger = CreateLedger();
    CommitEvents(*ledger, key, 1, {{"a", "1"}, {"b", "2"}, {"c", "3"}});
    EXPECT_EQ(ledger->proj_size(), 1u);
    ASSERT_TRUE(ledger->ClearProjections().ok());
    EXPECT_EQ(ledger->proj_size(), 0u);
    EXPECT_TRUE(ScanStored(*ledger, "").empty());
    ASSERT_TRUE(ledger->PutProjectionRows({{"x", "new"}, {"b", "two"}}).ok());
    ASSERT_TRUE(ledger->FinishProjections(1).ok());
    EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"b", "two"}, {"x", "new"}}));
    EXPECT_EQ(ledger->size(), 1u);  // the log is untouched
    EXPECT_EQ(ledger->proj_size(), 1u);
  }
  {
    auto ledger = MustOpen(Ledger::Access::kWriter);
    EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"b", "two"}, {"x", "new"}}));
    EXPECT_EQ(ledger->proj_size(), 1u);
    // A cleared ledger stays at 0 until it is finished, across a reopen.
    ASSERT_TRUE(ledger->ClearProjections().ok());
  }
  auto reader = MustOpen(Ledger::Access::kReader);
  EXPECT_TRUE(ScanStored(*reader, "").empty());
  EXPECT_EQ(reader->proj_size(), 0u);
  EXPECT_EQ(reader->size(), 1u);
}

// A rebuild's sorted rows go into table files, moved into the database
// when the projections are finished (with the unsorted rows before them);
// until then they are nowhere: a rebuild cut off before its finish leaves
// the projections at size 0, and its files go (at the close, or, after a
// crash, with the next rebuild).
TEST_F(StoreTest, SortedProjectionRowsArriveWhenFinished) {
  PrivateKey key = NewKey();
  {
    auto ledger = CreateLedger();
    CommitEvents(*ledger, key, 1, {{"a", "1"}, {"b", "2"}});
    ASSERT_TRUE(ledger->ClearProjections().ok());
    ASSERT_TRUE(ledger->PutProjectionRows({{"hist/r/1", "h"}}).ok());
    ASSERT_TRUE(ledger->PutSortedProjectionRows({{"a", "one"}, {"b", "two"}}).ok());
    ASSERT_TRUE(ledger->PutSortedProjectionRows({{"res/x", "x"}}).ok());
    EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"hist/r/1", "h"}}));
    EXPECT_TRUE(fs::exists(LedgerDir() + "/rebuild"));
    // Cut off here: nothing finished.
  }
  EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));
  // What a crash would leave.
  fs::create_directory(LedgerDir() + "/rebuild");
  std::ofstream(LedgerDir() + "/rebuild/1.sst") << "torn";
  {
    auto ledger = MustOpen(Ledger::Access::kWriter);
    EXPECT_EQ(ledger->proj_size(), 0u);
    // The unsorted rows may have been flushed; the sorted ones were not moved in.
    for (const auto& [k, v] : ScanStored(*ledger, "")) EXPECT_EQ(k, "hist/r/1");
    ASSERT_TRUE(ledger->ClearProjections().ok());
    ASSERT_TRUE(ledger->PutProjectionRows({{"hist/r/1", "h"}}).ok());
    ASSERT_TRUE(ledger->PutSortedProjectionRows({{"a", "one"}, {"b", "two"}}).ok());
    ASSERT_TRUE(ledger->PutSortedProjectionRows({{"res/x", "x"}}).ok());
    ASSERT_TRUE(ledger->FinishProjections(1).ok());
    Rows all{{"a", "one"}, {"b", "two"}, {"hist/r/1", "h"}, {"res/x", "x"}};
    EXPECT_EQ(ScanStored(*ledger, ""), all);
    EXPECT_EQ(ledger->proj_size(), 1u);
    EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));
    // The rows put before the sorted ones went into the same files, moved
    // in below level 0 (every open reads the whole index of a file there).
    auto level0 = ledger->RowFilesAtLevelZero();
    ASSERT_TRUE(level0.ok());
    EXPECT_EQ(*level0, 0u);
  }
  auto reader = MustOpen(Ledger::Access::kReader);
  EXPECT_EQ(ScanStored(*reader, "").size(), 4u);
  EXPECT_EQ(reader->proj_size(), 1u);
  EXPECT_TRUE(reader->VerifyStorage().ok());
}

// A sorted row under the key of a row put before it is refused: the two
// could not both be moved in.
TEST_F(StoreTest, ASortedRowPutBeforeIsRefused) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 1, {{"a", "1"}});
  ASSERT_TRUE(ledger->ClearProjections().ok());
  ASSERT_TRUE(ledger->PutProjectionRows({{"hist/r/1", "h"}}).ok());
  Status st = ledger->PutSortedProjectionRows({{"a", "one"}, {"hist/r/1", "again"}});
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));
  EXPECT_EQ(ledger->proj_size(), 0u);
}

Rows ScanNames(const Ledger& ledger) {
  Rows rows;
  Status st = ledger.ScanNameRows("", [&](std::string_view k, std::string_view v) {
    rows.emplace_back(std::string(k), std::string(v));
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return rows;
}

// The name index replaced whole: the old rows gone, the new ones moved in
// at the last level; rows that fail to come, or come out of order, leave
// the index as it was and no table file behind.
TEST_F(StoreTest, NameRowsAreReplacedWholeOrNotAtAll) {
  auto ledger = CreateLedger();
  ASSERT_TRUE(ledger
                  ->WriteNameRows({{"n/old", std::string("V1")},
                                   {"r/R0", std::string("old")},
                                   {"p/old", std::string()}})
                  .ok());
  Rows old = ScanNames(*ledger);
  ASSERT_EQ(old.size(), 3u);
  Rows fresh{{"c/x", "xi"},
             {std::string("n/new\0R1", 8), "V1"},
             {std::string("n/new\0R2", 8), "V2"},
             {"r/R1", "new"}};
  auto give = [](const Rows& rows) {
    return [&rows](const Ledger::RowPut& put) -> Status {
      for (const auto& [k, v] : rows) VLEDGER_TRY(put(k, v));
      return Status::Ok();
    };
  };
  Rows unordered{fresh[0], fresh[2], fresh[1]};
  Status st = ledger->ReplaceNameRows(give(unordered));
  EXPECT_EQ(st.code(), Code::kInternal);
  EXPECT_EQ(ScanNames(*ledger), old);
  EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));
  st = ledger->ReplaceNameRows([&](const Ledger::RowPut& put) -> Status {
    VLEDGER_TRY(put(fresh[0].first, fresh[0].second));
    return Status::Io("cut short");
  });
  EXPECT_EQ(st.code(), Code::kIo);
  EXPECT_EQ(ScanNames(*ledger), old);
  EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));

  st = ledger->ReplaceNameRows(give(fresh));
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(ScanNames(*ledger), fresh);
  EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));
  auto level0 = ledger->RowFilesAtLevelZero();
  ASSERT_TRUE(level0.ok());
  EXPECT_EQ(*level0, 0u);
  // And again over the index just moved in; then nothing at all.
  Rows second{{"c/y", "yi"}, {"r/R1", "renamed"}};
  ASSERT_TRUE(ledger->ReplaceNameRows(give(second)).ok());
  EXPECT_EQ(ScanNames(*ledger), second);
  ledger.reset();
  auto reader = MustOpen(Ledger::Access::kReader);
  EXPECT_EQ(ScanNames(*reader), second);
  EXPECT_TRUE(reader->VerifyStorage().ok());
  reader.reset();
  auto writer = MustOpen(Ledger::Access::kWriter);
  ASSERT_TRUE(writer->ReplaceNameRows(give(Rows{})).ok());
  EXPECT_EQ(ScanNames(*writer), Rows{});
}

// An import commits its events in batches and its projection rows with the
// last one: until then the projections stay at the size before it.
TEST_F(StoreTest, APartialCommitLeavesLaterEventsPendingAndProjectionsBehind) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 1, {{"a", "1"}});
  auto txn = ledger->BeginWrite();
  std::vector<std::string> canonical;
  for (uint64_t n = 1; n <= 5; n++) {
    if (n == 4) txn->PutPerson("p4", "person of event 4");
    canonical.push_back(AddVillage(*txn, key, n));
  }
  txn->PutRequestRow("imr/x", "progress");
  auto first = txn->Commit(key, 2, /*projections=*/false);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->first, 1u);
  EXPECT_EQ(first->last, 2u);
  EXPECT_EQ(ledger->size(), 3u);
  EXPECT_EQ(ledger->proj_size(), 1u);
  EXPECT_EQ(txn->pending_events(), 3u);
  EXPECT_EQ(txn->next_seq(), 6u);
  EXPECT_FALSE(StoredPerson(*ledger, "p4").has_value());  // its event is still pending
  auto progress = ledger->GetRequestRow("imr/x");
  ASSERT_TRUE(progress.ok() && progress->has_value());
  EXPECT_EQ(**progress, "progress");
  // Hashes of events committed and pending both read back.
  Hash h2 = txn->HashOf(2);
  EXPECT_EQ(Hex(h2), Hex(ledger->head()));
  txn->PutRow("a", "6");
  auto second = txn->Commit(key);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->first, 3u);
  EXPECT_EQ(second->last, 5u);
  EXPECT_EQ(ledger->proj_size(), 6u);
  EXPECT_EQ(StoredPerson(*ledger, "p4").value_or(""), "person of event 4");
  EXPECT_EQ(StoredRow(*ledger, "a").value_or(""), "6");
  txn.reset();
  auto reopened = MustOpen(Ledger::Access::kReader);
  EXPECT_EQ(reopened->size(), 6u);
  EXPECT_EQ(reopened->proj_size(), 6u);
  auto event = reopened->ReadEvent(3);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->canonical, canonical[2]);
}

TEST_F(StoreTest, CatchUpRowsAreWrittenOutsideAnyCommit) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 1);
  auto txn = ledger->BeginWrite();
  AddVillage(*txn, key, 1);
  ASSERT_TRUE(txn->Commit(key, 0, /*projections=*/false).ok());
  txn.reset();
  EXPECT_EQ(ledger->proj_size(), 1u);
  ASSERT_TRUE(ledger->WriteProjections({{"v", "caught up"}, {"gone", std::nullopt}}, 2).ok());
  EXPECT_EQ(ledger->proj_size(), 2u);
  EXPECT_EQ(ScanStored(*ledger, ""), (Rows{{"v", "caught up"}}));
}

// ----------------------------------------------------------- checkpoints

TEST_F(StoreTest, CheckpointsPutGetAndLatest) {
  {
    auto ledger = CreateLedger();
    auto none = ledger->GetCheckpoint(3);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(ledger->PutCheckpoint(3, "cp 3").ok());
    ASSERT_TRUE(ledger->PutCheckpoint(256, "cp 256").ok());
    ASSERT_TRUE(ledger->PutCheckpoint(10, "cp 10").ok());
    EXPECT_EQ(ledger->GetCheckpoint(3)->value_or(""), "cp 3");
    EXPECT_EQ(ledger->GetCheckpoint(10)->value_or(""), "cp 10");
    EXPECT_FALSE(ledger->GetCheckpoint(4)->has_value());
    // Latest is by size as a number, not as text.
    auto latest = ledger->LatestCheckpoint();
    ASSERT_TRUE(latest.ok() && latest->has_value());
    EXPECT_EQ((*latest)->first, 256u);
    EXPECT_EQ((*latest)->second, "cp 256");
    // Storing a checkpoint appends no event.
    EXPECT_EQ(ledger->size(), 0u);
  }
  auto reader = MustOpen(Ledger::Access::kReader);
  auto latest = reader->LatestCheckpoint();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->first, 256u);
  EXPECT_EQ(reader->GetCheckpoint(3)->value_or(""), "cp 3");
}

// ---------------------------------------------------------- person store

TEST_F(StoreTest, PersonStorePutDeleteThroughTransactions) {
  PrivateKey key = NewKey();
  const std::string ref1(32, '\x01'), ref2(32, '\x02');
  const std::string rec1 = std::string(16, 's') + "record one";
  const std::string rec2 = std::string(16, 't') + "record two";
  auto ledger = CreateLedger();
  {
    auto txn = ledger->BeginWrite();
    EXPECT_FALSE(txn->GetPerson(ref1).value().has_value());
    txn->PutPerson(ref1, rec1);
    txn->PutPerson(ref2, rec2);
    EXPECT_EQ(txn->GetPerson(ref1).value().value_or(""), rec1);
    EXPECT_FALSE(StoredPerson(*ledger, ref1).has_value());
    AddVillage(*txn, key, 0);
    ASSERT_TRUE(txn->Commit(key).ok());
  }
  EXPECT_EQ(StoredPerson(*ledger, ref1).value_or(""), rec1);
  EXPECT_EQ(StoredPerson(*ledger, ref2).value_or(""), rec2);
  {
    auto txn = ledger->BeginWrite();
    EXPECT_EQ(txn->GetPerson(ref2).value().value_or(""), rec2);  // reads through to storage
    txn->DeletePerson(ref1);
    EXPECT_FALSE(txn->GetPerson(ref1).value().has_value());
    EXPECT_EQ(StoredPerson(*ledger, ref1).value_or(""), rec1);
    AddVillage(*txn, key, 1);
    ASSERT_TRUE(txn->Commit(key).ok());
  }
  EXPECT_FALSE(StoredPerson(*ledger, ref1).has_value());
  std::vector<std::pair<std::string, std::string>> persons;
  ASSERT_TRUE(ledger
                  ->ScanPersons([&](std::string_view ref, std::string_view value) {
                    persons.emplace_back(std::string(ref), std::string(value));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(persons, (Rows{{ref2, rec2}}));
  ledger.reset();
  auto reader = MustOpen(Ledger::Access::kReader);
  EXPECT_FALSE(StoredPerson(*reader, ref1).has_value());
  EXPECT_EQ(StoredPerson(*reader, ref2).value_or(""), rec2);
}

// ------------------------------------------------------------ scanning

TEST_F(StoreTest, ScanEventsStreamsInOrder) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  for (uint64_t count : {3, 1, 4, 2}) CommitEvents(*ledger, key, count);
  auto collect = [&](uint64_t from, uint64_t to) {
    std::vector<uint64_t> seqs;
    Status st = ledger->ScanEvents(from, to, [&](const StoredEvent& e) {
      EXPECT_EQ(e.canonical, expected_.canonical[e.seq]);
      EXPECT_EQ(Hex(e.hash), Hex(expected_.hashes[e.seq]));
      seqs.push_back(e.seq);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.message();
    return seqs;
  };
  EXPECT_EQ(collect(0, 10), (std::vector<uint64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(collect(2, 5), (std::vector<uint64_t>{2, 3, 4}));
  EXPECT_EQ(collect(7, UINT64_MAX), (std::vector<uint64_t>{7, 8, 9}));  // clamped to size
  EXPECT_TRUE(collect(5, 5).empty());
  EXPECT_TRUE(collect(6, 2).empty());
  EXPECT_TRUE(collect(10, 20).empty());
}

TEST_F(StoreTest, ScanEventsStopsOnReturnedError) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 6);
  std::vector<uint64_t> seqs;
  Status st = ledger->ScanEvents(0, 6, [&](const StoredEvent& e) {
    seqs.push_back(e.seq);
    if (e.seq == 3) return Status::InvalidInput("stop at 3");
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), Code::kInvalidInput);
  EXPECT_EQ(st.message(), "stop at 3");
  EXPECT_EQ(seqs, (std::vector<uint64_t>{0, 1, 2, 3}));
}

TEST_F(StoreTest, ScanHashesMatchesReadHash) {
  PrivateKey key = NewKey();
  auto ledger = CreateLedger();
  CommitEvents(*ledger, key, 5);
  std::vector<uint64_t> seqs;
  Status st = ledger->ScanHashes(1, 4, [&](uint64_t seq, std::string_view hash) {
    EXPECT_EQ(Hex(hash), Hex(expected_.hashes[seq]));
    seqs.push_back(seq);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(StoreTest, OpenDamagedLedgerIsUnavailable) {
  PrivateKey key = NewKey();
  { CommitEvents(*CreateLedger(), key, 2); }
  std::ofstream(LedgerDir() + "/db/CURRENT", std::ios::trunc) << "MANIFEST-999999\n";
  for (auto access : {Ledger::Access::kReader, Ledger::Access::kWriter}) {
    auto ledger = OpenAs(access);
    ASSERT_FALSE(ledger.ok());
    EXPECT_TRUE(ledger.status().is_storage_fault()) << ledger.status().message();
  }
}

TEST_F(StoreTest, ReaderRemovesItsScratchFolderOnClose) {
  { auto ledger = CreateLedger(); }
  // Readers put their scratch folder under TMPDIR; point it at a folder of our own.
  TempDir scratch;
  const char* old = std::getenv("TMPDIR");
  std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", scratch.path().c_str(), 1);
  {
    auto reader = MustOpen(Ledger::Access::kReader);
    EXPECT_FALSE(fs::is_empty(scratch.path()));
  }
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  EXPECT_TRUE(fs::is_empty(scratch.path()));
}

// SPEC section 5, Storage: auditors' own tools read column family `events`,
// one row per event, key u64be(seq), value containing C(e).
TEST_F(StoreTest, EventsColumnFamilyHoldsOneRowPerEventKeyedBySeq) {
  PrivateKey key = NewKey();
  {
    auto ledger = CreateLedger();
    CommitEvents(*ledger, key, 3);
    CommitEvents(*ledger, key, 2);
  }
  std::vector<std::string> names;
  ASSERT_TRUE(
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), LedgerDir() + "/db", &names).ok());
  ASSERT_NE(std::find(names.begin(), names.end(), "events"), names.end());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& name : names) cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(
      rocksdb::DB::OpenForReadOnly(rocksdb::Options(), LedgerDir() + "/db", cfs, &handles, &raw)
          .ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  size_t events_cf = std::find(names.begin(), names.end(), "events") - names.begin();
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), handles[events_cf]));
  uint64_t seq = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next(), seq++) {
    ASSERT_LT(seq, expected_.canonical.size());
    EXPECT_EQ(it->key().ToString(), U64be(seq));
    EXPECT_NE(it->value().ToString().find(expected_.canonical[seq]), std::string::npos)
        << "seq " << seq;
  }
  EXPECT_TRUE(it->status().ok());
  EXPECT_EQ(seq, 5u);
  it.reset();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
}

// The table files of each column family of the ledger at `db_path` (those
// at `level` only, when given), read with RocksDB alone (no writer open).
std::map<std::string, size_t> TableFilesByFamily(const std::string& db_path,
                                                 std::optional<int> level = std::nullopt) {
  std::vector<std::string> names;
  VLEDGER_ASSERT(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), db_path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& name : names) cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  VLEDGER_ASSERT(
      rocksdb::DB::OpenForReadOnly(rocksdb::Options(), db_path, cfs, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::map<std::string, size_t> files;
  for (size_t i = 0; i < names.size(); i++) {
    rocksdb::ColumnFamilyMetaData meta;
    db->GetColumnFamilyMetaData(handles[i], &meta);
    files[names[i]] = meta.file_count;
    if (level) {
      files[names[i]] = 0;
      for (const auto& l : meta.levels) {
        if (l.level == *level) files[names[i]] = l.files.size();
      }
    }
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return files;
}

// Files of the log are moved down whole, never rewritten for being there
// (universal compaction's trivial moves): each writer below flushes (its
// commit is over a megabyte) and leaves one more small file in each family
// of the log. A writer's close merges them once there are many, and the
// log reads back whole.
TEST_F(StoreTest, SmallFilesOfTheLogAreMergedAtAWritersClose) {
  PrivateKey key = NewKey();
  CreateLedger().reset();
  const std::string filler(1100 << 10, 'x');
  size_t most = 0;
  for (int i = 0; i < 20; i++) {
    {
      auto ledger = MustOpen(Ledger::Access::kWriter);
      CommitEvents(*ledger, key, 3, {{"filler", filler + std::to_string(i)}});
    }
    std::map<std::string, size_t> files = TableFilesByFamily(LedgerDir() + "/db");
    most = std::max({most, files["events"], files["commits"]});
    EXPECT_LE(files["events"], 8u) << "after writer " << i;
    EXPECT_LE(files["commits"], 8u) << "after writer " << i;
  }
  EXPECT_GE(most, 4u);  // the files were there to merge
  auto ledger = MustOpen(Ledger::Access::kReader);
  CheckLog(*ledger, {{key.key_id(), &key}});
}

// An import's flushes write files of the log of several megabytes (5-10
// MB in a county's import, 25 of them in its events), and every command
// opens every file: those are merged as well, eight into one. Here each
// writer commits 4.3 MB of events that do not compress.
TEST_F(StoreTest, AnImportsFilesOfTheLogAreMergedAtAWritersClose) {
  PrivateKey key = NewKey();
  CreateLedger().reset();
  uint64_t x = 88172645463325252ull;
  auto name = [&x](uint64_t) {
    std::string letters(64 << 10, ' ');
    for (char& c : letters) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift64
      c = static_cast<char>('a' + x % 26);
    }
    return letters;
  };
  size_t most = 0, events = 0;
  for (int i = 0; i < 8; i++) {
    {
      auto ledger = MustOpen(Ledger::Access::kWriter);
      CommitEvents(*ledger, key, 66, {}, name);
    }
    events = TableFilesByFamily(LedgerDir() + "/db")["events"];
    most = std::max(most, events);
    EXPECT_LE(events, 7u) << "after writer " << i;
  }
  EXPECT_EQ(most, 7u);    // the files were there to merge
  EXPECT_EQ(events, 1u);  // the eighth writer merged them
  auto ledger = MustOpen(Ledger::Access::kReader);
  CheckLog(*ledger, {{key.key_id(), &key}});
}

// RocksDB reads the whole index and filter of every file at level 0 at
// each open. A writer that flushed a megabyte or more of name rows (or
// person records) to level 0 moves them down before it closes. Here 2 MB
// that do not compress, a commit of over a megabyte, which the writer
// flushes at its close.
TEST_F(StoreTest, AWriterThatFlushedLeavesNoMegabyteOfNameRowsAtLevel0) {
  PrivateKey key = NewKey();
  CreateLedger().reset();
  Rows rows = NoiseRows("n/", 1000);
  {
    auto ledger = MustOpen(Ledger::Access::kWriter);
    auto txn = ledger->BeginWrite();
    for (const auto& [k, v] : rows) txn->PutNameRow(k, v);
    AddVillage(*txn, key, txn->next_seq());
    ASSERT_TRUE(txn->Commit(key).ok());
  }
  EXPECT_GE(TableFilesByFamily(LedgerDir() + "/db")["names"], 1u);
  EXPECT_EQ(TableFilesByFamily(LedgerDir() + "/db", 0)["names"], 0u);
  auto ledger = MustOpen(Ledger::Access::kReader);
  EXPECT_EQ(ScanStored(*ledger, "n/", &Ledger::ScanNameRows), rows);
}

// The storage check reads every table file of every family (on two
// threads): a byte changed in any one of them, in its first data block,
// is found, and the file named; the ledger as written passes.
TEST_F(StoreTest, TheStorageCheckFindsADamagedBlockInEveryTableFile) {
  PrivateKey key = NewKey();
  CreateLedger().reset();
  // Two writers, each flushing at its close (over a megabyte of logs): two
  // table files in the state and in each family of the log.
  for (int i = 0; i < 2; i++) {
    auto ledger = MustOpen(Ledger::Access::kWriter);
    CommitEvents(*ledger, key, 5, NoiseRows("m" + std::to_string(i) + "/", 600));
  }
  std::map<std::string, size_t> families = TableFilesByFamily(LedgerDir() + "/db");
  for (const char* family : {"events", "hashes", "commits", "state"}) {
    EXPECT_GE(families[family], 1u) << family;
  }
  std::vector<std::string> tables;
  for (const fs::path& path : TableFiles()) tables.push_back(path.filename());
  ASSERT_GE(tables.size(), 6u);
  EXPECT_TRUE(MustOpen(Ledger::Access::kReader)->VerifyStorage().ok());
  const std::string copy = tmp_.path() + "/damaged";
  size_t found_by_check = 0;
  for (const std::string& table : tables) {
    fs::remove_all(copy);
    fs::copy(LedgerDir(), copy, fs::copy_options::recursive);
    {
      std::fstream file(copy + "/db/" + table, std::ios::in | std::ios::out | std::ios::binary);
      file.seekg(10);
      char c = 0;
      file.get(c);
      file.seekp(10);
      file.put(static_cast<char>(c ^ 0x5a));
    }
    // A file whose first block the open reads (the default family's, of
    // a few rows) is found there already.
    auto reader = Ledger::Open(copy, {.access = Ledger::Access::kReader});
    Status st = reader.ok() ? (*reader)->VerifyStorage() : reader.status();
    found_by_check += reader.ok();
    EXPECT_TRUE(st.is_storage_fault()) << table << ": " << st.message();
    EXPECT_NE(st.message().find(table.substr(0, table.size() - 4)), std::string::npos)
        << table << ": " << st.message();
  }
  EXPECT_GE(found_by_check, tables.size() - 2);
}

// Beside a live writer, a reader's storage check reads a table file that
// was removed after the reader opened (as the writer's compactions remove
// files) through the descriptor the reader holds: the file is still part
// of what the reader reads, is checked, and is named if it is damaged.
TEST_F(StoreTest, TheStorageCheckBesideAWriterChecksTableFilesRemovedSinceTheReaderOpened) {
  std::vector<fs::path> tables = LedgerOfTableFiles();
  ASSERT_GE(tables.size(), 2u);
  auto writer = MustOpen(Ledger::Access::kWriter);
  auto reader = MustOpen(Ledger::Access::kReader);
  fs::remove(tables[0]);
  Status st = reader->VerifyStorage();
  EXPECT_TRUE(st.ok()) << st.message();
  {
    std::fstream file(tables[1], std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(10);
    char c = 0;
    file.get(c);
    file.seekp(10);
    file.put(static_cast<char>(c ^ 0x5a));
  }
  fs::remove(tables[1]);
  st = reader->VerifyStorage();
  EXPECT_TRUE(st.is_storage_fault()) << st.message();
  EXPECT_NE(st.message().find(tables[1].filename().string()), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find("/proc/"), std::string::npos) << st.message();
}

// With no writer running, nothing removes a table file: one removed after
// a reader opened is damage, and the storage check reports it, naming the
// file (it does not read it through the descriptor the reader holds).
TEST_F(StoreTest, TheStorageCheckWithNoWriterReportsATableFileRemovedSinceTheReaderOpened) {
  std::vector<fs::path> tables = LedgerOfTableFiles();
  ASSERT_GE(tables.size(), 1u);
  auto reader = MustOpen(Ledger::Access::kReader);
  EXPECT_TRUE(reader->VerifyStorage().ok());
  fs::remove(tables[0]);
  Status st = reader->VerifyStorage();
  EXPECT_TRUE(st.is_storage_fault()) << st.message();
  EXPECT_NE(st.message().find(tables[0].filename().string()), std::string::npos) << st.message();
}

// A count of this process's reads from /proc/self/io: "rchar:" the bytes
// read through read(2) and pread(2), the page cache included; "syscr:"
// those calls.
uint64_t ReadsByThisProcess(std::string_view which) {
  std::ifstream io("/proc/self/io");
  std::string field;
  uint64_t value = 0;
  while (io >> field >> value) {
    if (field == which) return value;
  }
  ADD_FAILURE() << "no " << which << " in /proc/self/io";
  return 0;
}

// Most commands look up a few rows by prefix (a resident's, a village's
// policy): such a scan reads the blocks it needs, not megabytes of the
// file ahead of them. A scan over many rows reads ahead once it is long
// (it goes on with a second iterator, in few large reads) and still gives
// every row once, in order, and stops where it is told to.
TEST_F(StoreTest, AScanOfFewRowsReadsLittleOfALargeFile) {
  PrivateKey key = NewKey();
  CreateLedger().reset();
  // 8 MB of rows that do not compress, flushed into one table file of the
  // state at the writer's close (over a megabyte of logs).
  Rows rows = NoiseRows("m/", 4000);
  {
    auto ledger = MustOpen(Ledger::Access::kWriter);
    Rows all = rows;
    all.emplace_back("a/one", "1");
    all.emplace_back("n/after", "2");
    CommitEvents(*ledger, key, 1, all);
  }
  ASSERT_GE(TableFilesByFamily(LedgerDir() + "/db")["state"], 1u);
  auto ledger = MustOpen(Ledger::Access::kReader);
  uint64_t before = ReadsByThisProcess("rchar:");
  std::vector<std::string> found;
  ASSERT_TRUE(ledger
                  ->ScanState("a/",
                              [&](std::string_view k, std::string_view) {
                                found.emplace_back(k);
                                return true;
                              })
                  .ok());
  uint64_t read = ReadsByThisProcess("rchar:") - before;
  EXPECT_EQ(found, std::vector<std::string>{"a/one"});
  EXPECT_LT(read, 256u << 10) << "bytes read for one row";
  uint64_t calls_before = ReadsByThisProcess("syscr:");
  Rows scanned = ScanStored(*ledger, "m/");
  // Past its first 64 KB the long scan reads 2 MB at a call, not a 4 KB
  // block at a time (about 2,000 calls for these 8 MB).
  EXPECT_LT(ReadsByThisProcess("syscr:") - calls_before, 200u) << "read calls for 8 MB";
  ASSERT_EQ(scanned.size(), rows.size());
  for (size_t i = 0; i < rows.size(); i++) {
    ASSERT_EQ(scanned[i].first, rows[i].first) << "row " << i;
    ASSERT_EQ(scanned[i].second, rows[i].second) << "row " << i;
  }
  size_t calls = 0;
  ASSERT_TRUE(
      ledger->ScanState("m/", [&](std::string_view, std::string_view) { return ++calls < 1000; })
          .ok());
  EXPECT_EQ(calls, 1000u);
}

TEST(StoreDeathTest, CommitStopsWhenAnEventIsNotBySigner) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // The threadsafe style re-runs this test in a child process, which dies
  // without cleaning up: the parent's folder, passed down in the
  // environment, holds whatever the child writes.
  constexpr const char* kDirVar = "VLEDGER_STORE_DEATH_TEST_DIR";
  std::unique_ptr<TempDir> owned;
  std::string base;
  if (const char* inherited = std::getenv(kDirVar)) {
    base = inherited;
  } else {
    owned = std::make_unique<TempDir>();
    base = owned->path();
    ::setenv(kDirVar, base.c_str(), 1);
  }
  EXPECT_EXIT(
      {
        auto ledger = Ledger::Create(base + "/ledger-" + std::to_string(::getpid()));
        VLEDGER_ASSERT(ledger.ok());
        PrivateKey author = NewKey();
        PrivateKey signer = NewKey();
        auto txn = (*ledger)->BeginWrite();
        AddVillage(*txn, author, 0);
        (void)txn->Commit(signer);
      },
      ::testing::ExitedWithCode(5), "assertion failed");
  if (owned) ::unsetenv(kDirVar);
}

// Name rows in parts are written on a thread each and moved in together,
// in key order; parts that overlap, or one that fails (whichever part it
// is), leave the index as it was and no table file behind.
TEST_F(StoreTest, NameRowsInPartsAreReplacedWholeOrNotAtAll) {
  auto ledger = CreateLedger();
  ASSERT_TRUE(ledger->WriteNameRows({{"r/R0", std::string("old")}}).ok());
  Rows old = ScanNames(*ledger);
  auto give = [](Rows rows) {
    return [rows](const Ledger::RowPut& put) -> Status {
      for (const auto& [k, v] : rows) VLEDGER_TRY(put(k, v));
      return Status::Ok();
    };
  };
  Rows first{{"c/x", "xi"}, {"c/y", "yi"}}, second{{"n/b", "V2"}, {"r/R1", "x"}},
      third{{"r/R2", "y"}};
  Rows overlapping{{"c/y", "again"}};
  Status st = ledger->ReplaceNameRows({give(first), give(overlapping), give(second)});
  EXPECT_EQ(st.code(), Code::kInternal);
  EXPECT_EQ(ScanNames(*ledger), old);
  EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));
  st = ledger->ReplaceNameRows({give(first), [&](const Ledger::RowPut& put) -> Status {
                                  VLEDGER_TRY(put(second[0].first, second[0].second));
                                  return Status::Io("cut short");
                                }});
  EXPECT_EQ(st.code(), Code::kIo);
  EXPECT_EQ(ScanNames(*ledger), old);
  EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));

  ASSERT_TRUE(ledger->ReplaceNameRows({give(first), give(Rows{}), give(second), give(third)}).ok());
  Rows all = first;
  all.insert(all.end(), second.begin(), second.end());
  all.insert(all.end(), third.begin(), third.end());
  EXPECT_EQ(ScanNames(*ledger), all);
  EXPECT_FALSE(fs::exists(LedgerDir() + "/rebuild"));
  EXPECT_EQ(TableFilesByFamily(LedgerDir() + "/db")["names"], 3u);  // one a part with rows
  auto level0 = ledger->RowFilesAtLevelZero();
  ASSERT_TRUE(level0.ok());
  EXPECT_EQ(*level0, 0u);
  ledger.reset();
  auto reader = MustOpen(Ledger::Access::kReader);
  EXPECT_EQ(ScanNames(*reader), all);
}

}  // namespace
}  // namespace vledger
