// Archive files: round trips of every entry kind, the temporary-file-then-
// rename contract of the writer, re-reading by offset, and strict reading of
// damaged or hostile files (a Fault, never a crash or a huge allocation).
#include "vledger/ledger/archive.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "vledger/ledger/files.h"

namespace vledger {

// For comparing entries (chain.h has no equality for commits).
bool operator==(const CommitRecord& a, const CommitRecord& b) {
  return a.first == b.first && a.last == b.last && a.key_id == b.key_id &&
         a.signature == b.signature;
}

namespace {

namespace fs = std::filesystem;

class ArchiveFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vledger-archive-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "a.vla").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::vector<ArchiveEntry> Sample() {
    return {
        ArchiveHeader{"vledger/测试-0123abcd", "测试", 1, false},
        ArchiveEvent{0, std::string(32, '\x11'), std::string(48, '\x22')},
        ArchiveEvent{1, std::string(32, '\x33'), std::string(8, '\0')},
        CommitRecord{0, 1, "0123456789abcdef", std::string(64, '\x44')},
        ArchivePerson{std::string(32, '\x55'), std::string(16, '\x66'), std::string(24, 'p')},
        ArchiveCheckpoint{"origin\n2\nroot\n\n\xE2\x80\x94 origin sig\n"},
    };
  }

  void WriteAll(const std::vector<ArchiveEntry>& entries) {
    auto w = ArchiveWriter::Create(path_, 0644);
    ASSERT_TRUE(w.ok()) << w.status().message();
    for (const auto& e : entries) ASSERT_TRUE(w->Write(e).ok());
    ASSERT_TRUE(w->Finish().ok());
  }

  std::string ReadBytes() {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void WriteBytes(const std::string& bytes) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  // Reads to the end; returns the entries, or the Status that stopped it.
  Result<std::vector<ArchiveEntry>> ReadAll() {
    VLEDGER_ASSIGN_OR_RETURN(ArchiveReader r, ArchiveReader::Open(path_));
    std::vector<ArchiveEntry> out;
    for (int i = 0; i < 1000; i++) {
      VLEDGER_ASSIGN_OR_RETURN(auto entry, r.Next());
      if (!entry) return out;
      out.push_back(std::move(*entry));
    }
    return Status::Internal("too many entries");
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(ArchiveFile, RoundTripsEveryEntryKind) {
  WriteAll(Sample());
  auto read = ReadAll();
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, Sample());
}

// An archive stream held in memory (the event feed) is the file's bytes.
TEST_F(ArchiveFile, InMemoryStreamsAreTheFilesBytes) {
  WriteAll(Sample());
  std::string bytes;
  for (const auto& e : Sample()) AppendArchiveEntry(e, &bytes);
  EXPECT_EQ(bytes, ReadBytes());
  ArchiveReader r = ArchiveReader::FromBytes(bytes, "page");
  std::vector<ArchiveEntry> read;
  uint64_t second_at = 0;
  while (true) {
    if (read.size() == 1) second_at = r.offset();
    auto entry = r.Next();
    ASSERT_TRUE(entry.ok()) << entry.status().message();
    if (!*entry) break;
    read.push_back(std::move(**entry));
  }
  EXPECT_EQ(read, Sample());
  ASSERT_TRUE(r.Seek(second_at).ok());
  auto again = r.Next();
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ(**again, Sample()[1]);
  ArchiveReader cut = ArchiveReader::FromBytes(bytes.substr(0, bytes.size() - 1), "page");
  Status st;
  for (int i = 0; i < 10 && st.ok(); i++) {
    auto entry = cut.Next();
    st = entry.status();
  }
  EXPECT_EQ(st.code(), Code::kVerificationFailed);
}

TEST_F(ArchiveFile, FinishRenamesTheTemporaryFileIntoPlace) {
  auto w = ArchiveWriter::Create(path_, 0600);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Write(Sample()[0]).ok());
  EXPECT_TRUE(fs::exists(path_ + ".tmp"));
  EXPECT_FALSE(fs::exists(path_));
  ASSERT_TRUE(w->Finish().ok());
  EXPECT_FALSE(fs::exists(path_ + ".tmp"));
  ASSERT_TRUE(fs::exists(path_));
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ArchiveFile, AbandonedWriterLeavesNothing) {
  {
    auto w = ArchiveWriter::Create(path_, 0644);
    ASSERT_TRUE(w.ok());
    for (const auto& e : Sample()) ASSERT_TRUE(w->Write(e).ok());
  }  // dropped without Finish(), as when an export fails half way
  EXPECT_FALSE(fs::exists(path_ + ".tmp"));
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(ArchiveFile, CreateInMissingFolderIsRejected) {
  auto w = ArchiveWriter::Create((dir_ / "no" / "such" / "a.vla").string(), 0644);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Code::kInvalidInput);
}

TEST_F(ArchiveFile, OpenMissingIsRejected) {
  auto r = ArchiveReader::Open(path_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
}

// The folder an archive is renamed into is synced (FsyncFolderOf), and a
// folder that cannot be is reported, not passed over.
TEST_F(ArchiveFile, TheFolderOfAPathIsSyncedOrReportedAsNotSynced) {
  EXPECT_TRUE(FsyncFolder(dir_.string()));
  EXPECT_TRUE(FsyncFolderOf(path_));    // the file itself need not exist yet
  EXPECT_TRUE(FsyncFolderOf("a.vla"));  // no folder named: the current one
  errno = 0;
  EXPECT_FALSE(FsyncFolder((dir_ / "missing").string()));
  EXPECT_EQ(errno, ENOENT);
  EXPECT_FALSE(FsyncFolderOf((dir_ / "missing" / "a.vla").string()));
  std::ofstream(path_) << "not a folder";
  errno = 0;
  EXPECT_FALSE(FsyncFolder(path_));
  EXPECT_EQ(errno, ENOTDIR);
}

TEST_F(ArchiveFile, SeekReReadsAnEntryAtItsOffset) {
  WriteAll(Sample());
  auto r = ArchiveReader::Open(path_);
  ASSERT_TRUE(r.ok());
  std::vector<uint64_t> offsets;
  for (size_t i = 0; i < Sample().size(); i++) {
    offsets.push_back(r->offset());
    auto e = r->Next();
    ASSERT_TRUE(e.ok() && e->has_value());
  }
  ASSERT_TRUE(r->Seek(offsets[2]).ok());
  auto e = r->Next();
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ(**e, Sample()[2]);
  EXPECT_EQ(r->offset(), offsets[3]);
}

TEST_F(ArchiveFile, EmptyFileHasNoEntries) {
  WriteBytes("");
  auto read = ReadAll();
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
}

TEST_F(ArchiveFile, EveryTruncationIsAFault) {
  WriteAll(Sample());
  std::string bytes = ReadBytes();
  // Entry boundaries are valid ends; every other cut must be a Fault.
  std::vector<uint64_t> boundaries;
  {
    auto r = ArchiveReader::Open(path_);
    ASSERT_TRUE(r.ok());
    while (true) {
      boundaries.push_back(r->offset());
      auto e = r->Next();
      ASSERT_TRUE(e.ok());
      if (!e->has_value()) break;
    }
  }
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    WriteBytes(bytes.substr(0, cut));
    auto read = ReadAll();
    bool boundary = std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end();
    EXPECT_EQ(read.ok(), boundary) << "cut at " << cut;
    if (!read.ok()) {
      EXPECT_EQ(read.status().code(), Code::kVerificationFailed);
      EXPECT_NE(read.status().message().find("truncated"), std::string::npos);
    }
  }
}

TEST_F(ArchiveFile, HostileFramesAreFaultsWithoutHugeAllocations) {
  const std::vector<std::string> frames = {
      std::string("\xff\xff\xff\xff", 4),                  // 2^32 segments
      std::string("\x00\x02\x00\x00", 4),                  // 513 segments
      std::string("\x00\x00\x00\x00\xff\xff\xff\x7f", 8),  // a 16 GiB segment
      std::string("\x00\x00\x00\x00\x00\x00\x00\x00", 8),  // an empty message
      std::string("\x00\x00\x00\x00\x01\x00\x00\x00", 8) + std::string(8, '\xff'),  // bad pointer
  };
  for (const std::string& frame : frames) {
    WriteBytes(frame);
    auto read = ReadAll();
    ASSERT_FALSE(read.ok()) << Hex(frame);
    EXPECT_EQ(read.status().code(), Code::kVerificationFailed) << read.status().message();
  }
}

TEST_F(ArchiveFile, FlippedBytesNeverCrashTheReader) {
  WriteAll(Sample());
  std::string bytes = ReadBytes();
  for (size_t i = 0; i < bytes.size(); i++) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x80);
    WriteBytes(damaged);
    auto read = ReadAll();  // may parse (data bytes) or fail; must not crash
    if (!read.ok()) {
      EXPECT_EQ(read.status().code(), Code::kVerificationFailed);
    }
  }
}

}  // namespace
}  // namespace vledger
