// Every documented bound (docs/LIMITS.md), tested at the bound and one past
// it: the bound itself is accepted, one more is refused with a Status (never
// a crash, never a silent truncation).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "points_harness.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/csv.h"
#include "vledger/projections/money.h"
#include "vledger/projections/points.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

namespace fs = std::filesystem;

PrivateKey TestKey() {
  std::string seed;
  for (int i = 1; i <= 32; i++) seed.push_back(static_cast<char>(i));
  return PrivateKey::FromSeed(seed).value();
}

std::string Repeat(std::string_view unit, size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (size_t i = 0; i < n; i++) out += unit;
  return out;
}

// A signed checkpoint note of exactly `bytes` bytes: the origin (which is
// also the signature's key name) is grown to fit, the size's digit count
// fixes the parity.
std::string NoteOfSize(size_t bytes) {
  PrivateKey key = TestKey();
  auto make = [&](size_t origin_len, uint64_t size) {
    return SignCheckpoint(Checkpoint{std::string(origin_len, 'o'), size, Sha256("")}, key);
  };
  size_t base = make(1, 1).size();
  size_t grow = bytes - base;  // each origin byte appears twice
  uint64_t size = grow % 2 == 0 ? 1 : 10;
  std::string note = make(1 + grow / 2, size);
  EXPECT_EQ(note.size(), bytes);
  return note;
}

std::vector<Hash> Hashes(size_t n) {
  std::vector<Hash> out;
  for (size_t i = 0; i < n; i++) out.push_back(Sha256(std::to_string(i)));
  return out;
}

// ---------------------------------------------------------------- values

TEST(Limits, TextFieldAcceptsBytesMaxRejectsOneMore) {
  EXPECT_TRUE(CheckText("--note", std::string(kTextBytesMax, 'a'), false).ok());
  Status past = CheckText("--note", std::string(kTextBytesMax + 1, 'a'), false);
  EXPECT_EQ(past.code(), Code::kInvalidInput);
  EXPECT_NE(past.message().find("--note"), std::string::npos);
}

TEST(Limits, NameAcceptsCodePointsMaxRejectsOneMore) {
  EXPECT_TRUE(CheckName("--name", Repeat("曲", kNameCodePointsMax)).ok());
  EXPECT_EQ(CheckName("--name", Repeat("曲", kNameCodePointsMax + 1)).code(), Code::kInvalidInput);
}

TEST(Limits, DateAcceptsYears1970To2200RejectsOneDayOutside) {
  EXPECT_TRUE(CheckDate("--on", "1970-01-01").ok());
  EXPECT_TRUE(CheckDate("--on", "2200-12-31").ok());
  EXPECT_TRUE(CheckDate("--on", "2024-02-29").ok());
  for (const char* bad : {"1969-12-31", "2201-01-01", "1900-01-01", "2021-02-30", "2100-02-29"}) {
    Status st = CheckDate("--on", bad);
    EXPECT_EQ(st.code(), Code::kInvalidInput) << bad;
    EXPECT_NE(st.message().find(std::string("--on: \"") + bad + "\""), std::string::npos)
        << st.message();
  }
}

TEST(Limits, IdAcceptsCharsMaxRejectsOneMore) {
  EXPECT_TRUE(CheckId("ID", std::string(kIdCharsMax, 'R')).ok());
  EXPECT_EQ(CheckId("ID", std::string(kIdCharsMax + 1, 'R')).code(), Code::kInvalidInput);
}

TEST(Limits, YuanAcceptsInt64MaxFenRejectsOneMore) {
  auto max = ParseYuan("--amount", "92233720368547758.07");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(*max, INT64_MAX);
  EXPECT_EQ(ParseYuan("--amount", "92233720368547758.08").status().code(), Code::kInvalidInput);
  EXPECT_EQ(ParseYuan("--amount", std::string(kYuanIntegerDigitsMax + 1, '1')).status().code(),
            Code::kInvalidInput);
}

// ------------------------------------------------------- proofs and notes

TEST(Limits, CheckpointNoteAcceptsBytesMaxRejectsOneMore) {
  std::string at = NoteOfSize(kNoteBytesMax);
  EXPECT_TRUE(ParseCheckpoint(at).ok());
  EXPECT_TRUE(VerifyCheckpoint(at, TestKey().public_key(), nullptr).ok());
  EXPECT_EQ(ParseCheckpoint(NoteOfSize(kNoteBytesMax + 1)).status().code(),
            Code::kVerificationFailed);
}

TEST(Limits, TlogProofAcceptsPathHashesMaxRejectsOneMore) {
  std::string note = SignCheckpoint(Checkpoint{"vledger/t", 5, Sha256("")}, TestKey());
  TlogProof proof{"", 0, Hashes(kInclusionPathHashesMax), note};
  EXPECT_TRUE(ParseTlogProof(FormatTlogProof(proof)).ok());
  proof.path = Hashes(kInclusionPathHashesMax + 1);
  EXPECT_EQ(ParseTlogProof(FormatTlogProof(proof)).status().code(), Code::kVerificationFailed);
}

TEST(Limits, TlogProofAcceptsBytesMaxRejectsOneMore) {
  const std::string head = "c2sp.org/tlog-proof@v1\nindex 0\n\n";
  std::string at = head + NoteOfSize(kTlogProofBytesMax - head.size());
  ASSERT_EQ(at.size(), kTlogProofBytesMax);
  EXPECT_TRUE(ParseTlogProof(at).ok());
  std::string past = head + NoteOfSize(kTlogProofBytesMax + 1 - head.size());
  EXPECT_EQ(ParseTlogProof(past).status().code(), Code::kVerificationFailed);
}

TEST(Limits, ConsistencyProofAcceptsHashesMaxRejectsOneMore) {
  EXPECT_TRUE(
      ParseConsistencyProof(FormatConsistencyProof(Hashes(kConsistencyProofHashesMax))).ok());
  EXPECT_EQ(ParseConsistencyProof(FormatConsistencyProof(Hashes(kConsistencyProofHashesMax + 1)))
                .status()
                .code(),
            Code::kVerificationFailed);
}

// ----------------------------------------------------------------- CSV

TEST(Limits, CsvRecordAcceptsBytesMaxRejectsOneMore) {
  // A header and one record of exactly kCsvRecordBytesMax bytes before its
  // line end.
  auto with_record = [](size_t record_bytes) {
    return "note\n" + std::string(record_bytes, 'a') + "\n";
  };
  auto at = ParseCsv(with_record(kCsvRecordBytesMax));
  ASSERT_TRUE(at.ok()) << at.status().message();
  EXPECT_EQ(at->rows.size(), 1u);
  EXPECT_EQ(ParseCsv(with_record(kCsvRecordBytesMax + 1)).status().code(), Code::kInvalidInput);
}

TEST(Limits, CsvAcceptsCellsMaxRejectsOneMore) {
  auto row = [](size_t cells) {
    std::string line;
    for (size_t i = 0; i < cells; i++) line += (i ? ",c" : "c") + std::to_string(i);
    return line + "\n";
  };
  EXPECT_TRUE(ParseCsv(row(kCsvCellsMax) + row(kCsvCellsMax)).ok());
  EXPECT_EQ(ParseCsv(row(kCsvCellsMax + 1) + row(kCsvCellsMax + 1)).status().code(),
            Code::kInvalidInput);
}

// ------------------------------------------------------------ key files

class KeyFileLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vledger-limits-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A private key PEM padded in front (PEM readers skip text before the
  // BEGIN line) to exactly `bytes` bytes, mode 0600.
  std::string Write(const std::string& name, size_t bytes) {
    std::string pem = TestKey().ToPem();
    std::string pad;
    while (pad.size() + pem.size() < bytes) {
      size_t room = bytes - pem.size() - pad.size();
      pad += room >= 64 ? std::string(63, 'x') + "\n" : std::string(room - 1, 'x') + "\n";
    }
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << pad << pem;
    ::chmod(path.c_str(), 0600);
    EXPECT_EQ(fs::file_size(path), bytes);
    return path;
  }
  fs::path dir_;
};

TEST_F(KeyFileLimit, AcceptsKeyFileBytesMaxRejectsOneMore) {
  auto at = PrivateKey::LoadPem(Write("at.key", kKeyFileBytesMax));
  ASSERT_TRUE(at.ok()) << at.status().message();
  EXPECT_EQ(at->key_id(), TestKey().key_id());
  auto past = PrivateKey::LoadPem(Write("past.key", kKeyFileBytesMax + 1));
  EXPECT_EQ(past.status().code(), Code::kInvalidInput);
  EXPECT_NE(past.status().message().find("too large"), std::string::npos);
}

// --------------------------------------------------------- stored events

// A stored event of exactly `bytes` bytes: a village whose name fills it
// (EncodeEvent does not validate, so the name may be any length).
std::string EventOfSize(size_t bytes) {
  Event e;
  e.key_id = "0123456789abcdef";
  auto make = [&](size_t n) {
    e.body = VillageRegistered{"V1", std::string(n, 'n')};
    return EncodeEvent(e);
  };
  size_t n = bytes - make(0).size();
  std::string out = make(n);
  while (out.size() > bytes) out = make(--n);
  EXPECT_EQ(out.size(), bytes);
  return out;
}

TEST(Limits, DecodeEventAcceptsEncodedBytesMaxRejectsOneWordMore) {
  constexpr size_t kDecodeBytesMax = 16u << 20;  // codec.cc's kEncodedBytesMax
  auto at = DecodeEvent(EventOfSize(kDecodeBytesMax));
  ASSERT_TRUE(at.ok()) << at.status().message();
  // Encodings are whole 8-byte words: one past the bound is one word more.
  auto past = DecodeEvent(EventOfSize(kDecodeBytesMax + 8));
  EXPECT_EQ(past.status().code(), Code::kVerificationFailed);
  EXPECT_NE(past.status().message().find("over the limit"), std::string::npos);
}

class CommitLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vledger-commit-limits-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    ledger_ = std::move(Ledger::Create(dir_.string()).value());
  }
  void TearDown() override {
    ledger_.reset();
    fs::remove_all(dir_);
  }
  Event Decoded() const {
    Event e;
    e.key_id = key_.key_id();
    e.body = VillageRegistered{"V1", "x"};
    return e;
  }
  PrivateKey key_ = TestKey();
  fs::path dir_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(CommitLimit, AcceptsEventBytesMaxRejectsOneMore) {
  auto txn = ledger_->BeginWrite();
  txn->AddEvent(std::string(kEventBytesMax, 'e'), Decoded());
  ASSERT_TRUE(txn->Commit(key_).ok());
  EXPECT_EQ(ledger_->size(), 1u);
  txn->AddEvent(std::string(kEventBytesMax + 1, 'e'), Decoded());
  auto past = txn->Commit(key_);
  EXPECT_EQ(past.status().code(), Code::kInvalidInput);
  EXPECT_EQ(ledger_->size(), 1u);  // nothing written
}

TEST_F(CommitLimit, AcceptsCommitEventsMaxRejectsOneMore) {
  auto txn = ledger_->BeginWrite();
  for (uint64_t i = 0; i < kCommitEventsMax; i++) txn->AddEvent("e", Decoded());
  ASSERT_TRUE(txn->Commit(key_).ok());
  EXPECT_EQ(ledger_->size(), kCommitEventsMax);
  for (uint64_t i = 0; i <= kCommitEventsMax; i++) txn->AddEvent("e", Decoded());
  auto past = txn->Commit(key_);
  EXPECT_EQ(past.status().code(), Code::kInvalidInput);
  EXPECT_EQ(ledger_->size(), kCommitEventsMax);
}

// --------------------------------------------------------------- points

// One village V1 with a collector, a reviewer and resident R1.
class PointsLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    t.Must("admin", VillageRegistered{"V1", "甲村"});
    t.AddKey("col", "collector", {"V1"});
    t.AddKey("rev", "reviewer", {"V1"});
    t.Must("col", HouseholdRegistered{"H1", "V1", testing::RefOf("H1")});
    t.Must("col", ResidentRegistered{"R1", "V1", "H1", false, testing::RefOf("R1")});
  }
  static RuleDefined Rule(const std::string& code, int64_t points) {
    return RuleDefined{code, "", "孝老爱亲", "", points, false, 0, 0, 0, ""};
  }
  void Refused(const std::string& who, EventBody body, const std::string& text) {
    Status st = t.Append(who, std::move(body));
    EXPECT_EQ(st.code(), Code::kInvalidInput) << st.message();
    EXPECT_NE(st.message().find(text), std::string::npos) << st.message();
  }
  testing::TestLedger t;
};

TEST_F(PointsLimit, EntryAcceptsPointsMaxRejectsOneMore) {
  t.Must("admin", Rule("BIG", kEntryPointsMax));
  t.Must("admin", Rule("BIGDEDUCT", -kEntryPointsMax));
  Refused("admin", Rule("BIGGER", kEntryPointsMax + 1), "beyond the limit");
  Refused("admin", Rule("BIGGERDEDUCT", -kEntryPointsMax - 1), "beyond the limit");
  PointsAwarded award;
  award.resident = "R1";
  award.rule = "BIG";
  award.points = kEntryPointsMax;
  award.occurred_on = "2021-09-01";
  t.Must("col", award);
}

TEST_F(PointsLimit, RedeemAcceptsQuantityMaxRejectsOneMore) {
  t.Must("admin", Rule("AW", 5));
  PointsAwarded award;
  award.resident = "R1";
  award.rule = "AW";
  award.points = 5;
  award.occurred_on = "2021-09-01";
  t.Must("col", award);
  t.Must("col", PointsRedeemed{"R1", "S1", "盐", kRedeemQuantityMax, 1});
  Refused("col", PointsRedeemed{"R1", "S1", "盐", kRedeemQuantityMax + 1, 1}, "quantity");
}

// kReviewSeqsMax is private to apply_points.cc.
TEST_F(PointsLimit, ReviewAcceptsSeqsMaxRejectsOneMore) {
  constexpr size_t kReviewSeqs = 10'000;
  std::vector<uint64_t> at;
  for (uint64_t seq = 1'000'000; at.size() < kReviewSeqs; seq++) at.push_back(seq);
  // At the bound the size passes; the seqs, never written, are not found.
  Status at_bound = t.Append("rev", EntriesReviewed{"V1", at, {}});
  EXPECT_EQ(at_bound.code(), Code::kNotFound);
  EXPECT_EQ(at_bound.message().find("entries per review"), std::string::npos) << at_bound.message();
  std::vector<uint64_t> past = at;
  past.push_back(past.back() + 1);
  Refused("rev", EntriesReviewed{"V1", past, {}}, "at most 10000 entries per review");
}

}  // namespace
}  // namespace vledger
