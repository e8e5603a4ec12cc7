// The ledger folder on RocksDB. See store.h for the layout.
#include "vledger/ledger/store.h"

#include <fcntl.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/metadata.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/transaction_log.h>
#include <rocksdb/utilities/options_util.h>
#include <rocksdb/write_batch.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "lock.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/restate.h"

namespace vledger {
namespace {

namespace fs = std::filesystem;

enum Cf : size_t {
  kDefault,
  kEvents,
  kHashes,
  kCommits,
  kMerkle,
  kState,
  kPersons,
  kCheckpoints,
  kRequests,
  kNames,
  kCfCount
};
constexpr const char* kCfNames[kCfCount] = {"default",  "events", "hashes",  "commits",
                                            "merkle",   "state",  "persons", "checkpoints",
                                            "requests", "names"};
constexpr std::string_view kHeadKey = "head";
constexpr std::string_view kProjKey = "proj";
constexpr std::string_view kWithheldKey = "withheld";
constexpr size_t kCopyBatchBytes = 4 << 20;      // backup: rows per write batch, in bytes
constexpr size_t kScanReadaheadBytes = 2 << 20;  // a long scan reads its files ahead this far
constexpr size_t kScanShortBytes = 64 << 10;     // ... once it has read this much
constexpr int kReaderOpenAttempts = 3;

// Whether a RocksDB error is a full disk (ENOSPC, or a quota reached).
bool IsDiskFull(const rocksdb::Status& s) {
  if (s.IsNoSpace()) return true;
  std::string text = s.ToString();
  return text.find("No space left on device") != std::string::npos ||
         text.find("Disk quota exceeded") != std::string::npos;
}

// Whether a RocksDB open failed on db/LOCK, which RocksDB's own writer
// holds: another writer is running although DIR/writer.lock did not say so
// (the file was deleted or replaced while that writer ran).
bool IsDbLockHeld(const rocksdb::Status& s) {
  return s.IsIOError() && s.ToString().find("/LOCK:") != std::string::npos;
}

// Maps a RocksDB error to a storage fault (corruption, I/O, or the ledger
// unusable now) with what to do about it.
// `what` (the operation: "read events") comes before RocksDB's own words.
Status StorageError(const rocksdb::Status& s, const Msg& what) {
  if (IsDiskFull(s)) {
    return Status::Io(Msg("{} (free space and retry; nothing was written)", s.ToString()))
        .WithPrefix(what)
        .WithPrefix("disk full");
  }
  if (s.IsCorruption()) {
    return Status::Corruption(
               Msg("{} (the database is damaged: run `vledger verify`, and restore it from a "
                   "backup with `vledger restore`)",
                   s.ToString()))
        .WithPrefix(what);
  }
  if (s.IsIOError() || s.IsPathNotFound()) {
    return Status::Io(Msg("{} (a database file is missing or unreadable: if it is lost, restore "
                          "the ledger from a backup with `vledger restore`)",
                          s.ToString()))
        .WithPrefix(what);
  }
  return Status::Unavailable(Msg("{}", s.ToString())).WithPrefix(what);
}

// The message of OptionsOnceFileSystem's sync of an OPTIONS file it did not
// write: the same options as the newest one.
constexpr std::string_view kOptionsUnchanged = "the options are those of the newest OPTIONS file";

// RocksDB's own info logger (Debian builds RocksDB with assertions on)
// asserts when a write to its LOG file fails, so a full disk would abort
// the command. This one writes RocksDB's warnings and errors to a file and
// ignores every failure to do so; with no path it writes nothing (readers,
// whose log would be thrown away, and backups). The file is opened at the
// first message and stops growing past kLogFileBytesMax.
class StoreLogger final : public rocksdb::Logger {
 public:
  explicit StoreLogger(std::string path)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), path_(std::move(path)) {}
  ~StoreLogger() override {
    if (fd_ >= 0) ::close(fd_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    if (path_.empty()) return;
    char line[1024];
    va_list copy;
    va_copy(copy, ap);
    int n = std::vsnprintf(line, sizeof line - 1, format, copy);
    va_end(copy);
    if (n < 0) return;
    // RocksDB's warning that an open did not write its OPTIONS file again
    // (OptionsOnceFileSystem): nothing went wrong.
    if (std::string_view(line).find(kOptionsUnchanged) != std::string_view::npos) return;
    size_t len = std::min(static_cast<size_t>(n), sizeof line - 2);
    line[len++] = '\n';
    std::lock_guard<std::mutex> hold(mu_);
    if (fd_ < 0 && !opened_) {
      opened_ = true;
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      struct stat st;
      if (fd_ >= 0 && ::fstat(fd_, &st) == 0) bytes_ = static_cast<uint64_t>(st.st_size);
    }
    if (fd_ < 0 || bytes_ + len > kLogFileBytesMax) return;
    ssize_t wrote = ::write(fd_, line, len);  // a failure is ignored
    if (wrote > 0) bytes_ += static_cast<uint64_t>(wrote);
  }

 private:
  static constexpr uint64_t kLogFileBytesMax = 4 << 20;
  std::string path_;
  std::mutex mu_;
  int fd_ = -1;
  bool opened_ = false;
  uint64_t bytes_ = 0;
};

// A logger that writes to `path` (empty: writes nothing).
std::shared_ptr<rocksdb::Logger> MakeLogger(std::string path) {
  return std::make_shared<StoreLogger>(std::move(path));
}

// RocksDB writes its options to a new OPTIONS file at every open of a
// writer (RocksDB 7.8 has no option to skip it): it formats them, writes
// and syncs the file, parses it back to check it, renames it and syncs the
// folder, about 6-7 ms of a one-event command here, for a file that holds
// the same text as the one before. This file system holds a new OPTIONS
// file's text in memory until RocksDB syncs it, then writes it only if it
// differs from the folder's newest OPTIONS file; if not, the sync fails
// with kOptionsUnchanged, which RocksDB logs and ignores
// (`fail_if_options_file_error` is off) and StoreLogger drops. The folder
// keeps an OPTIONS file of the options in use, which tools such as `ldb`
// read to open the database.

class OptionsFile final : public rocksdb::FSWritableFile {
 public:
  OptionsFile(rocksdb::FileSystem* fs, std::string path, const rocksdb::FileOptions& options)
      : fs_(fs), path_(std::move(path)), options_(options) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                           rocksdb::IODebugContext* dbg) override {
    switch (state_) {
      case State::kHeld:
        text_.append(data.data(), data.size());
        return rocksdb::IOStatus::OK();
      case State::kWritten:
        return file_->Append(data, o, dbg);
      case State::kUnchanged:
        return Unchanged();
      case State::kFailed:
        return failure_;
    }
    return failure_;
  }
  rocksdb::IOStatus Flush(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    return state_ == State::kWritten ? file_->Flush(o, dbg) : rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    return Settle(o, dbg, false);
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    return Settle(o, dbg, true);
  }
  rocksdb::IOStatus Close(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    // Closed without a sync (RocksDB always syncs it): written as it is.
    if (state_ == State::kHeld) Write(o, dbg);
    switch (state_) {
      case State::kWritten:
        return file_->Close(o, dbg);
      case State::kFailed:
        return failure_;
      default:
        return rocksdb::IOStatus::OK();
    }
  }
  uint64_t GetFileSize(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    return state_ == State::kWritten ? file_->GetFileSize(o, dbg) : text_.size();
  }

 private:
  enum class State {
    kHeld,       // the text in memory, nothing on disk yet
    kWritten,    // the text written to the file, which takes what follows
    kUnchanged,  // the same text as the newest OPTIONS file: never written
    kFailed,     // the file could not be made or written (failure_)
  };

  static rocksdb::IOStatus Unchanged() {
    return rocksdb::IOStatus::IOError(std::string(kOptionsUnchanged));
  }

  // At the first sync: the text found the same as the newest OPTIONS
  // file's, or written.
  rocksdb::IOStatus Settle(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg,
                           bool metadata) {
    if (state_ == State::kHeld) {
      if (SameAsNewest()) {
        state_ = State::kUnchanged;
      } else {
        Write(o, dbg);
      }
    }
    switch (state_) {
      case State::kWritten:
        return metadata ? file_->Fsync(o, dbg) : file_->Sync(o, dbg);
      case State::kUnchanged:
        return Unchanged();
      default:
        return failure_;
    }
  }

  // Makes the file and writes the text held: kWritten or kFailed.
  void Write(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
    rocksdb::IOStatus s = fs_->NewWritableFile(path_, options_, &file_, dbg);
    if (s.ok()) s = file_->Append(text_, o, dbg);
    if (s.ok()) s = file_->Flush(o, dbg);
    if (s.ok()) {
      state_ = State::kWritten;
    } else {
      state_ = State::kFailed;
      failure_ = s;
    }
    text_.clear();
    text_.shrink_to_fit();
  }

  // Whether the folder's newest OPTIONS file, the one RocksDB's tools load
  // (GetLatestOptionsFileName), holds text_.
  bool SameAsNewest() const {
    std::string folder = fs::path(path_).parent_path().string();
    std::string newest;
    if (!rocksdb::GetLatestOptionsFileName(folder, rocksdb::Env::Default(), &newest).ok()) {
      return false;
    }
    std::string old;
    if (!rocksdb::ReadFileToString(fs_, folder + "/" + newest, &old).ok()) return false;
    return old == text_;
  }

  rocksdb::FileSystem* fs_;
  std::string path_;
  rocksdb::FileOptions options_;
  State state_ = State::kHeld;
  std::string text_;  // while kHeld
  std::unique_ptr<rocksdb::FSWritableFile> file_;
  rocksdb::IOStatus failure_;
};

class OptionsOnceFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  OptionsOnceFileSystem() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "OptionsOnceFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* dbg) override {
    // RocksDB writes "OPTIONS-<number>.dbtmp", then renames it.
    std::string name = fs::path(path).filename().string();
    if (name.rfind("OPTIONS-", 0) == 0 && name.size() > 14 &&
        name.compare(name.size() - 6, 6, ".dbtmp") == 0) {
      *file = std::make_unique<OptionsFile>(target(), path, options);
      return rocksdb::IOStatus::OK();
    }
    return target()->NewWritableFile(path, options, file, dbg);
  }
};

// The environment of a writer: the system's, with OptionsOnceFileSystem.
// Made once and kept for the life of the process, as RocksDB requires.
rocksdb::Env* WriterEnv() {
  static rocksdb::Env* env =
      rocksdb::NewCompositeEnv(std::make_shared<OptionsOnceFileSystem>()).release();
  return env;
}

// A failed read of a row of `which`. Damaged projection rows need no
// backup: `rebuild` writes them again from the log and drops the table
// files that held them (ClearProjections).
Status ReadError(const rocksdb::Status& s, Cf which) {
  Msg what("read {}", kCfNames[which]);
  if (which == kState && s.IsCorruption()) {
    return Status::Corruption(
               Msg("{} (the projection rows are damaged: `vledger rebuild` writes them again "
                   "from the log; then run `vledger verify`, and if it still fails restore the "
                   "ledger from a backup with `vledger restore`)",
                   s.ToString()))
        .WithPrefix(what);
  }
  if (which == kNames && s.IsCorruption()) {
    return Status::Corruption(
        Msg("{0}: {1} (the name index is damaged: `vledger rebuild` writes "
            "it again from the person records)",
            what.English(), s.ToString()));
  }
  return StorageError(s, what);
}

rocksdb::Slice AsSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view AsView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// Record hashes are stored kHashChunkEvents to a row, and Merkle nodes from
// the level of a chunk's subtree up: lower nodes are computed from a chunk.
constexpr uint64_t kHashChunkEvents = uint64_t{1} << kStoredMerkleLevelMin;
constexpr size_t kHashChunkBytesMax = kHashChunkEvents * 32;

std::string MerkleKey(int level, uint64_t index) {
  std::string key(1, static_cast<char>(level));
  PutU64be(&key, index);
  return key;
}

std::string EncodeCommit(const CommitRecord& c) {
  return RecordWriter().U64(c.first).Str(c.key_id).Str(c.signature).Take();
}

Result<CommitRecord> DecodeCommit(uint64_t last, std::string_view value) {
  RecordReader r(value);
  CommitRecord c;
  c.last = last;
  c.first = r.U64();
  c.key_id = r.Str();
  c.signature = r.Str();
  if (!r.ok() || !r.done() || c.first > c.last) {
    return Status::VerificationFailed(Msg("commit record ending at seq {} is malformed", last));
  }
  return c;
}

constexpr size_t kMemtableBytesMax = 32 << 20;

rocksdb::Options BaseOptions() {
  rocksdb::Options options;
  options.paranoid_checks = true;
  options.max_open_files = -1;  // required by secondary readers
  // Opening must stay cheap, since every command opens the database: open
  // table files on one thread and skip the statistics pass over them.
  options.max_file_opening_threads = 1;
  options.skip_stats_update_on_db_open = true;
  options.IncreaseParallelism(2);
  // All column families' memtables together: past this the largest is
  // flushed. Bounds a rebuild's or an import's memory beside the state it
  // holds (each family alone may take 64 MB, two of them while one flushes).
  options.db_write_buffer_size = kMemtableBytesMax;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options.info_log = MakeLogger("");  // a writer logs to a file (WriterOptions)
  // Each command opens the database: replaying the WAL into memtables
  // instead of flushing it into new table files keeps an interactive
  // command to a few milliseconds and the folder from filling with tiny
  // files.
  options.avoid_flush_during_recovery = true;
  // Column families flush on their own (a commit's WAL record makes them
  // consistent again after a crash), so small ones are not cut into a
  // file at every flush of the big ones.
  options.atomic_flush = false;
  // Every commit is a synced write, so only a torn last record (a crash
  // during an unacknowledged commit) may be dropped; a bad record anywhere
  // else is damage and stops the open, instead of silently ending the log
  // there (the default, point-in-time recovery).
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  return options;
}

// Whether a writer is running: some process holds the writer's flock on
// DIR/writer.lock, or RocksDB's own lock (fcntl) on DIR/db/LOCK, which a
// writer holds even when its writer.lock was deleted under it. Read from
// /proc/locks: readers must not take either lock, not even briefly.
bool WriterActive(const std::string& dir) {
  std::vector<std::string> held;  // " KIND " and ":inode " of each lock file
  struct stat st;
  if (::stat((dir + "/writer.lock").c_str(), &st) == 0) {
    held.push_back(" FLOCK ");
    held.push_back(":" + std::to_string(st.st_ino) + " ");
  }
  if (::stat((dir + "/db/LOCK").c_str(), &st) == 0) {
    held.push_back(" POSIX ");
    held.push_back(":" + std::to_string(st.st_ino) + " ");
  }
  if (held.empty()) return false;
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    // "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
    for (size_t i = 0; i < held.size(); i += 2) {
      if (line.find(held[i]) != std::string::npos && line.find(held[i + 1]) != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

// The families of projection and personal rows, compacted by levels; the
// others by universal compaction (CfDescriptors).
bool IsRowFamily(size_t i) { return i == kState || i == kPersons || i == kDefault || i == kNames; }
// The families of the log itself, keyed by seq or by position.
bool IsLogFamily(size_t i) { return i == kEvents || i == kHashes || i == kCommits || i == kMerkle; }

std::vector<rocksdb::ColumnFamilyDescriptor> CfDescriptors() {
  rocksdb::BlockBasedTableOptions table;
  table.checksum = rocksdb::kXXH3;
  // Every command opens every table file (so that a missing or cut one is
  // found at once), but most read a handful of rows: a file's index and
  // filter are cut into 4 KB partitions, read into the block cache when a
  // lookup needs them, and an open reads only their small top levels
  // (RocksDB reads all of them for files at level 0, the newest few).
  // Whole indexes and filters, read at every open, were 6.5 MB on a
  // county's 1.4M-event ledger: 4-5 ms of each command.
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.cache_index_and_filter_blocks = true;
  table.pin_top_level_index_and_filter = true;
  // Index partitions kept uncompressed: a read, not a decompression.
  table.enable_index_compression = false;
  // The log is read by seq, and a seq below the size is always there: a
  // Bloom filter would only be read, never spare a read. Rows looked up by
  // name (a resident, a request id) are often absent: a filter saves those.
  rocksdb::BlockBasedTableOptions filtered = table;
  filtered.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  filtered.partition_filters = true;
  // The log is mostly read in order: larger blocks, a quarter of the index.
  rocksdb::BlockBasedTableOptions log_table = table;
  log_table.block_size = 16 << 10;
  // Few table files keep opening every one of them cheap. The log's keys
  // only grow, so its files never overlap: universal compaction moves them
  // down as they are (rewriting them was most of an import's compaction),
  // and a writer's close merges the small ones (MergeSmallLogFiles).
  // Projection rows are rewritten again and again (an import rewrites most
  // residents): leveled compaction keeps few stale versions of them for
  // scans to skip.
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (size_t i = 0; i < kCfCount; i++) {
    bool by_seq = IsLogFamily(i);
    bool rows = IsRowFamily(i);
    rocksdb::ColumnFamilyOptions o;
    o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(by_seq ? log_table : filtered));
    if (rows) {
      o.level_compaction_dynamic_level_bytes = true;
    } else {
      o.compaction_style = rocksdb::kCompactionStyleUniversal;
      // Files whose keys overlap none of the others' (the log's keys only
      // grow) are moved to their level, not rewritten: an import's files
      // are written once. The small ones are merged at a writer's close
      // (MergeSmallLogFiles).
      o.compaction_options_universal.allow_trivial_move = true;
      // A commit adds each family's keys after the last ones it added
      // (the Merkle nodes after the last of their level): the memtable
      // starts each insert where the last one ended instead of searching
      // from its top.
      o.memtable_insert_with_hint_prefix_extractor.reset(
          rocksdb::NewFixedPrefixTransform(i == kMerkle ? 1 : 0));
    }
    cfs.emplace_back(kCfNames[i], o);
  }
  return cfs;
}

// Whether a failed open is for want of the name index's column family.
bool MissingNameFamily(const rocksdb::Status& s) {
  static_assert(kNames == kCfCount - 1, "the name index is the last family");
  std::string text = s.ToString();
  return text.find("olumn famil") != std::string::npos &&
         text.find(kCfNames[kNames]) != std::string::npos;
}

// The options of the one writer: BaseOptions, logging to DIR/db/LOG.
rocksdb::Options WriterOptions(const std::string& db_path) {
  rocksdb::Options options = BaseOptions();
  options.info_log = MakeLogger(db_path + "/LOG");
  options.env = WriterEnv();
  return options;
}

// The folder of a rebuild's table files, beside the database on the same
// file system (they are moved in, not copied).
std::string RowFilesPath(const std::string& dir) { return dir + "/rebuild"; }
// A table file of sorted rows is closed past this size, as compaction
// would cut it.
constexpr uint64_t kRowFileBytes = 64 << 20;

// Rows written in ascending key order into table files in DIR/rebuild,
// to be moved into a family whole (Impl::ReplaceWithFiles).
struct RowFiles {
  std::unique_ptr<rocksdb::SstFileWriter> file;  // the one being written
  std::vector<std::string> paths;                // all of them, in key order
  std::string name;                              // their names' start, for files written at once

  bool empty() const { return !file && paths.empty(); }
  rocksdb::Status Put(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const std::string& dir,
                      std::string_view key, std::string_view value) {
    rocksdb::Status s;
    if (!file) {
      file =
          std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), db->GetOptions(cf), cf);
      paths.push_back(RowFilesPath(dir) + "/" + name + std::to_string(paths.size() + 1) + ".sst");
      s = file->Open(paths.back());
    }
    if (s.ok()) s = file->Put(AsSlice(key), AsSlice(value));
    if (s.ok() && file->FileSize() >= kRowFileBytes) s = Finish();
    return s;
  }
  // Closes the file being written.
  rocksdb::Status Finish() {
    rocksdb::Status s = file ? file->Finish() : rocksdb::Status::OK();
    file.reset();
    return s;
  }
};

}  // namespace

struct Ledger::Impl {
  std::string dir;
  Access access = Access::kReader;
  std::optional<WriterLock> lock;
  std::string secondary_dir;  // reader's scratch folder, removed on close
  bool secondary = false;     // a reader beside a live writer
  std::unique_ptr<rocksdb::DB> db;
  // A view (Ledger::OpenView) reads the writer's database, which it does
  // not own, at this snapshot; everything else reads the newest data.
  bool view = false;
  const rocksdb::Snapshot* snapshot = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;
  // A rebuild's sorted rows (PutSortedProjectionRows): the table file being
  // written and those written, in DIR/rebuild until FinishProjections
  // moves them into the database.
  RowFiles row_files;
  // The rows put before them (PutProjectionRows), read back in key order
  // to be written into the same files.
  std::unique_ptr<rocksdb::Iterator> rows_before;
  uint64_t size = 0;
  Hash head{};
  uint64_t proj_size = 0;
  bool txn_open = false;
  std::optional<PeopleFilter> people_filter;

  // Whether the person record under `ref` may be read.
  bool PersonVisible(std::string_view ref) const {
    if (!people_filter) return true;
    if (people_filter->none) return false;
    return !people_filter->person || people_filter->person(ref);
  }
  bool NameRowVisible(std::string_view key, std::string_view value) const {
    if (!people_filter) return true;
    if (people_filter->none) return false;
    return !people_filter->name_row || people_filter->name_row(key, value);
  }

  ~Impl() {
    if (view) {
      db->ReleaseSnapshot(snapshot);
      cfs.clear();
      (void)db.release();  // the writer's
      return;
    }
    rows_before.reset();  // an iterator must go before its database
    if (db && access == Access::kWriter) {
      FlushIfManyLogs();
      if (settle) {
        WaitForCompactions();
        CompactLevel0();
      }
      MergeSmallLogFiles();
    }
    for (auto* cf : cfs) {
      if (db && cf != nullptr) db->DestroyColumnFamilyHandle(cf);
    }
    cfs.clear();
    if (db) db->Close();
    db.reset();
    if (!secondary_dir.empty()) {
      std::error_code ec;
      fs::remove_all(secondary_dir, ec);
    }
    DropRowFiles();
  }

  // Drops a rebuild's table files that were not moved in (after a failure,
  // or when the ledger is closed before FinishProjections).
  void DropRowFiles() {
    rows_before.reset();
    if (row_files.empty()) return;
    row_files = RowFiles();
    std::error_code ec;
    fs::remove_all(RowFilesPath(dir), ec);
  }

  rocksdb::ColumnFamilyHandle* cf(Cf which) const { return cfs[which]; }
  rocksdb::Status PutRowsBefore(std::optional<std::string_view> key);

  // Replaces every row of `which` with the rows of table files `files`
  // (sorted, none overlapping another). The rows are deleted (one synced
  // batch) and the deletion flushed and compacted away with them; then the
  // files are moved in (hard links, synced) in one step, all or none, at
  // the last level: every open reads the whole index and filter of each
  // file at level 0, and only the top of those of the files below. A
  // crash between the two leaves the family empty.
  rocksdb::Status ReplaceWithFiles(Cf which, const std::vector<std::string>& files) {
    rocksdb::ColumnFamilyHandle* family = cf(which);
    rocksdb::WriteBatch batch;
    // Every key of these families starts with a printable byte.
    rocksdb::Status s = batch.DeleteRange(family, rocksdb::Slice(""), rocksdb::Slice("\xff"));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    if (s.ok()) s = db->Write(wo, &batch);
    if (s.ok()) {
      rocksdb::FlushOptions fo;
      fo.wait = true;
      fo.allow_write_stall = true;
      s = db->Flush(fo, family);
    }
    if (s.ok()) {
      // The files that hold nothing else go at once, unread.
      rocksdb::Slice all_begin(""), all_end("\xff");
      (void)rocksdb::DeleteFilesInRange(db.get(), family, &all_begin, &all_end);
      rocksdb::CompactRangeOptions co;
      co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
      // (Little is left; other families' compactions need not wait.)
      co.exclusive_manual_compaction = false;
      s = db->CompactRange(co, family, nullptr, nullptr);
    }
    if (s.ok() && !files.empty()) {
      rocksdb::IngestExternalFileOptions o;
      o.move_files = true;
      o.write_global_seqno = false;
      s = db->IngestExternalFile(family, files, o);
    }
    return s;
  }
  // The options of every read: a view's at its snapshot.
  rocksdb::ReadOptions Ro() const {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    return ro;
  }

  // Every open starts a new write-ahead log and recovery keeps the old ones
  // (avoid_flush_during_recovery), and every open replays them all. So a
  // writer that leaves many logs, or many bytes of them (after an import),
  // flushes them into table files: opening stays fast however many commands
  // ran. Failure here loses nothing (the logs stay); it is ignored.
  void FlushIfManyLogs() {
    rocksdb::VectorLogPtr logs;
    if (!db->GetSortedWalFiles(logs).ok()) return;
    uint64_t bytes = 0;
    for (const auto& log : logs) bytes += log->SizeFileBytes();
    if (logs.size() <= kWalFilesMax && bytes <= kWalBytesMax) return;
    (void)Flush(/*wait=*/true);
  }
  // A commit of more than kWalBytesMax (an import's last) starts that
  // flush at once, on a background thread, so that it runs while the
  // command finishes and frees its state; the close then waits for it.
  void FlushAfterLargeCommit(size_t batch_bytes) {
    if (batch_bytes <= kWalBytesMax) return;
    (void)Flush(/*wait=*/false);
  }
  // Closing a database cancels its running compactions. A writer that
  // flushed (an import, a rebuild, the writer that finds many commands'
  // logs) may leave a compaction of seconds due, which every short command
  // after it would start again and cancel at its close, contending for
  // both cores all the while. So a writer that flushed waits for its
  // flushes and the compactions they call for before it closes (at most
  // kSettleSeconds; a background error ends the wait, and the next open
  // reports it).
  void WaitForCompactions() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kSettleSeconds);
    while (std::chrono::steady_clock::now() < deadline) {
      uint64_t busy = 0, n = 0;
      if (db->GetIntProperty("rocksdb.background-errors", &n) && n > 0) return;
      if (db->GetIntProperty("rocksdb.num-running-compactions", &n)) busy += n;
      if (db->GetIntProperty("rocksdb.num-running-flushes", &n)) busy += n;
      for (size_t i = 0; i < cfs.size(); i++) {
        if (db->GetIntProperty(cfs[i], "rocksdb.mem-table-flush-pending", &n)) busy += n;
        // Universal compaction reports a compaction pending as long as a
        // family has several sorted runs, also when none is due to merge.
        if (!IsRowFamily(i)) continue;
        if (db->GetIntProperty(cfs[i], "rocksdb.compaction-pending", &n)) busy += n;
      }
      if (busy == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // RocksDB reads the whole index and filter of every file at level 0 at
  // each open (of the files below, only their top levels), and a family's
  // flushes stay at level 0 until four of them make a compaction due. The
  // person records and the name index are written in bulk by imports of
  // residents, whose flushes left 7.6 MB of person records and 3.5 MB of
  // name rows at level 0 of a county: 6 ms of every command after them
  // (46.3 against 40.0 ms for an award, median of 30). So a writer that
  // flushed moves what those two families hold at level 0 down before it
  // closes, once that is kLevel0BytesMax or more: 30 MB rewritten after
  // such an import. The state's level 0 (3.8 MB after an import of
  // awards) stays: moving it would rewrite the state's 64 MB after every
  // import, for 0.3 ms of a command. Failure here loses nothing: the files
  // stay where they were.
  void CompactLevel0() {
    for (Cf which : {kPersons, kNames}) {
      rocksdb::ColumnFamilyMetaData meta;
      db->GetColumnFamilyMetaData(cf(which), &meta);
      if (meta.levels.empty() || meta.levels[0].size < kLevel0BytesMax) continue;
      std::string smallest, largest;
      for (const auto& f : meta.levels[0].files) {
        if (smallest.empty() || f.smallestkey < smallest) smallest = f.smallestkey;
        if (largest.empty() || f.largestkey > largest) largest = f.largestkey;
      }
      rocksdb::CompactRangeOptions co;
      co.exclusive_manual_compaction = false;
      rocksdb::Slice begin(smallest), end(largest);
      (void)db->CompactRange(co, cf(which), &begin, &end);
    }
  }
  static constexpr uint64_t kLevel0BytesMax = 1 << 20;

  // The families compacted universally (the log's) move files whose keys
  // overlap no other file's down without rewriting them (CfDescriptors),
  // so every flush leaves one more file in each: a writer that leaves many
  // commands' logs flushes files of a few kilobytes (FlushIfManyLogs), an
  // import's flushes files of 5-10 MB, 25 of them in the events of a
  // county's 1.4M-event import. Every command opens every file (merging
  // the county's log files, 48 files in all to 25, took 1.3 ms off each
  // award). So once such a family has kSmallLogFilesMax files under
  // kSmallLogFileBytes, the writer closing merges each run of them that
  // are neighbours in key order into files of up to kMergedLogFileBytes,
  // at the last level: a family keeps a few large files and a tail of
  // small ones, and a file is rewritten once, or a few times while it is
  // small (a county's import merged in about a second at its close). Only
  // a family whose files overlap none of the others' is merged this way (a
  // key is in one file only); universal compaction merges the others as
  // before. Failure here loses nothing: the files stay as they were.
  void MergeSmallLogFiles() {
    for (size_t i = 0; i < cfs.size(); i++) {
      if (IsRowFamily(i)) continue;
      rocksdb::ColumnFamilyMetaData meta;
      db->GetColumnFamilyMetaData(cfs[i], &meta);
      std::vector<const rocksdb::SstFileMetaData*> files;
      bool busy = false;  // a compaction still runs: next time
      for (const auto& level : meta.levels) {
        for (const auto& f : level.files) {
          busy = busy || f.being_compacted;
          files.push_back(&f);
        }
      }
      std::sort(files.begin(), files.end(),
                [](const auto* a, const auto* b) { return a->smallestkey < b->smallestkey; });
      size_t small = 0;
      bool disjoint = true;
      for (size_t k = 0; k < files.size(); k++) {
        if (files[k]->size < kSmallLogFileBytes) small++;
        if (k > 0 && !(files[k - 1]->largestkey < files[k]->smallestkey)) disjoint = false;
      }
      if (busy || !disjoint || small < kSmallLogFilesMax) continue;
      const int last_level = static_cast<int>(meta.levels.size()) - 1;
      for (size_t k = 0; k < files.size();) {
        // The run from k: small neighbours, together at most
        // kMergedLogFileBytes.
        size_t end = k;
        uint64_t bytes = 0;
        while (end < files.size() && files[end]->size < kSmallLogFileBytes &&
               bytes + files[end]->size <= kMergedLogFileBytes) {
          bytes += files[end]->size;
          end++;
        }
        if (end - k >= 2) {
          std::vector<std::string> names;
          for (size_t m = k; m < end; m++) names.push_back(files[m]->name);
          if (!db->CompactFiles(rocksdb::CompactionOptions(), cfs[i], names, last_level).ok()) {
            break;
          }
        }
        k = std::max(end, k + 1);
      }
    }
  }
  // A merged file is at most kMergedLogFileBytes (compressed, as the
  // files' sizes are); a file under half of that is small, and merged
  // again with its small neighbours.
  static constexpr uint64_t kMergedLogFileBytes = 64 << 20;
  static constexpr uint64_t kSmallLogFileBytes = kMergedLogFileBytes / 2;
  static constexpr size_t kSmallLogFilesMax = 8;

  bool settle = false;  // flushed: WaitForCompactions before closing
  static constexpr int kSettleSeconds = 600;
  rocksdb::Status Flush(bool wait) {
    settle = true;
    rocksdb::FlushOptions fo;
    fo.wait = wait;
    fo.allow_write_stall = true;
    return db->Flush(fo, cfs);
  }
  static constexpr size_t kWalFilesMax = 16;
  static constexpr uint64_t kWalBytesMax = 1 << 20;

  Result<std::optional<std::string>> Get(Cf which, std::string_view key) const {
    std::string value;
    rocksdb::Status s = db->Get(Ro(), cf(which), AsSlice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return ReadError(s, which);
    return std::optional<std::string>(std::move(value));
  }

  // Calls fn(key, value) for the rows of `which` whose keys start with
  // `prefix`, in key order, until it returns false.
  //
  // Most scans are of a few rows (a village's policies, a name's
  // residents): they read only the blocks those rows are in. A scan that
  // goes on past kScanShortBytes goes on with a new iterator that reads its
  // files ahead 2 MB at a time, from the row after the last one it read (a
  // read-ahead of 2 MB from a scan's first block was a third of a one-row
  // query's time). Both iterators read the same data: a view reads at its
  // snapshot, a reader's database does not change, and a writer's changes
  // are its own commits, which a scan's callback does not make.
  Status ScanPrefix(Cf which, std::string_view prefix, const RowSource::ScanFn& fn) const {
    // The scan stops at the prefix's end, so RocksDB need not look past it.
    std::string end(prefix);
    while (!end.empty() && static_cast<uint8_t>(end.back()) == 0xff) end.pop_back();
    if (!end.empty()) end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
    rocksdb::Slice upper(end);
    rocksdb::ReadOptions ro = Ro();
    if (!end.empty()) ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, cf(which)));
    it->Seek(AsSlice(prefix));
    size_t read = 0;
    while (it->Valid()) {
      std::string_view key = AsView(it->key());
      std::string_view value = AsView(it->value());
      if (!key.starts_with(prefix) || !fn(key, value)) break;
      read += key.size() + value.size();
      if (ro.readahead_size == 0 && read > kScanShortBytes) {
        std::string after(key);
        after.push_back('\0');  // the first key after it
        ro.readahead_size = kScanReadaheadBytes;
        it.reset(db->NewIterator(ro, cf(which)));
        it->Seek(AsSlice(after));
        continue;
      }
      it->Next();
    }
    if (!it->status().ok()) return ReadError(it->status(), which);
    return Status::Ok();
  }

  // The row of record hashes from seq chunk * kHashChunkEvents on.
  Result<std::string> ReadChunk(uint64_t chunk) const {
    VLEDGER_ASSIGN_OR_RETURN(auto row, Get(kHashes, U64be(chunk)));
    uint64_t first = chunk * kHashChunkEvents;
    if (!row) return Status::VerificationFailed(Msg("hash of event {} is missing", first));
    if (row->empty() || row->size() % 32 != 0 || row->size() > kHashChunkBytesMax) {
      return Status::VerificationFailed(Msg("hashes of events from seq {} are malformed", first));
    }
    return std::move(*row);
  }

  Result<Hash> ReadHashAt(uint64_t seq) const {
    VLEDGER_ASSIGN_OR_RETURN(std::string chunk, ReadChunk(seq / kHashChunkEvents));
    size_t at = (seq % kHashChunkEvents) * 32;
    if (at + 32 > chunk.size()) {
      return Status::VerificationFailed(Msg("hash of event {} is missing", seq));
    }
    return *HashFrom(std::string_view(chunk).substr(at, 32));
  }

  // Perfect subtree (level, index): stored from kStoredMerkleLevelMin up,
  // computed from its chunk of record hashes below.
  Result<Hash> ReadNode(int level, uint64_t index) const {
    if (level >= kStoredMerkleLevelMin) {
      VLEDGER_ASSIGN_OR_RETURN(auto row, Get(kMerkle, MerkleKey(level, index)));
      if (!row || row->size() != 32) {
        return Status::VerificationFailed(Msg("Merkle node {}/{} is missing", level, index));
      }
      return *HashFrom(*row);
    }
    uint64_t first = index << level, count = uint64_t{1} << level;
    VLEDGER_ASSIGN_OR_RETURN(std::string chunk, ReadChunk(first / kHashChunkEvents));
    size_t at = (first % kHashChunkEvents) * 32;
    if (at + count * 32 > chunk.size()) {
      return Status::VerificationFailed(
          Msg("Merkle node {}/{} is missing: the hashes of its events are", level, index));
    }
    std::vector<Hash> nodes(count);
    for (uint64_t i = 0; i < count; i++) {
      nodes[i] = MerkleLeafHash(*HashFrom(std::string_view(chunk).substr(at + i * 32, 32)));
    }
    for (; count > 1; count /= 2) {
      for (uint64_t i = 0; i < count / 2; i++)
        nodes[i] = MerkleNodeHash(nodes[2 * i], nodes[2 * i + 1]);
    }
    return nodes[0];
  }

  Status LoadHead() {
    VLEDGER_ASSIGN_OR_RETURN(auto head_row, Get(kDefault, kHeadKey));
    if (!head_row) {
      size = 0;
      head = kZeroHash;
    } else {
      if (head_row->size() != 40) return Status::Corruption(Msg("{}: head record is damaged", dir));
      size = GetU64be(*head_row);
      head = *HashFrom(std::string_view(*head_row).substr(8));
    }
    VLEDGER_ASSIGN_OR_RETURN(auto proj_row, Get(kDefault, kProjKey));
    if (!proj_row) {
      proj_size = size;
    } else {
      if (proj_row->size() != 8) {
        return Status::Corruption(Msg("{}: projection size record is damaged", dir));
      }
      // Past the head (the head cut back): taken as the head, so verify
      // compares the rows with the log as it is and finds the difference.
      proj_size = std::min(GetU64be(*proj_row), size);
    }
    return Status::Ok();
  }
};

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

static std::string DbPath(const std::string& dir) { return dir + "/db"; }

Result<std::unique_ptr<Ledger>> Ledger::Create(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Status::AlreadyExists(Msg("ledger folder {} exists and is not empty", dir));
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::InvalidInput(Msg("cannot create {}: {}", dir, ec.message()));
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->access = Access::kWriter;
  VLEDGER_ASSIGN_OR_RETURN(auto lock, WriterLock::Acquire(dir, 0));
  impl->lock.emplace(std::move(lock));
  rocksdb::Options options = WriterOptions(DbPath(dir));
  options.create_if_missing = true;
  options.error_if_exists = true;
  options.create_missing_column_families = true;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, DbPath(dir), CfDescriptors(), &impl->cfs, &raw);
  if (!s.ok()) return StorageError(s, Msg("create {}", DbPath(dir)));
  impl->db.reset(raw);
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& dir,
                                             const OpenOptions& open_options) {
  std::error_code ec;
  if (!fs::exists(DbPath(dir) + "/CURRENT", ec)) {
    // A database folder with files in it but no CURRENT (which names the
    // MANIFEST to read) is a damaged ledger, not a missing one.
    if (fs::is_directory(DbPath(dir), ec) && !fs::is_empty(DbPath(dir), ec)) {
      return Status::Corruption(
          Msg("the ledger at {} is damaged: {}/CURRENT is missing (restore the ledger from a "
              "backup with `vledger restore`)",
              dir, DbPath(dir)));
    }
    return Status::Unavailable(Msg("no ledger at {} (create one with `vledger init`)", dir));
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->access = open_options.access;
  rocksdb::Options options =
      open_options.access == Access::kWriter ? WriterOptions(DbPath(dir)) : BaseOptions();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (open_options.access == Access::kWriter) {
    VLEDGER_ASSIGN_OR_RETURN(auto lock, WriterLock::Acquire(dir, open_options.wait_seconds));
    impl->lock.emplace(std::move(lock));
    // A ledger made before the name index existed gets its column family.
    options.create_missing_column_families = true;
    s = rocksdb::DB::Open(options, DbPath(dir), CfDescriptors(), &impl->cfs, &raw);
  } else {
    std::string tmpl = (fs::temp_directory_path() / "vledger-reader-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return Status::Io("cannot create a scratch folder for reading");
    }
    impl->secondary_dir = tmpl;
    // A reader writes nothing into DIR: its logger writes nothing at all.
    // With no writer running, a read-only instance: it opens strictly, so a
    // missing, truncated or damaged file stops it. A secondary instance
    // reads beside a live writer and sees whole commits only (each commit
    // is one WriteBatch in the WAL), but it silently falls back to an older
    // version when a table file cannot be opened — safe only because the
    // live writer's own (strict) open found every file whole. A failed
    // open is retried: a writer may have started or ended meanwhile.
    for (int attempt = 0; attempt < kReaderOpenAttempts; attempt++) {
      for (auto* cf : impl->cfs) {
        if (impl->db) impl->db->DestroyColumnFamilyHandle(cf);
      }
      impl->cfs.clear();
      impl->db.reset();
      raw = nullptr;
      if (WriterActive(dir)) {
        s = rocksdb::DB::OpenAsSecondary(options, DbPath(dir), impl->secondary_dir, CfDescriptors(),
                                         &impl->cfs, &raw);
        if (s.ok()) {
          impl->db.reset(raw);
          raw = nullptr;
          s = impl->db->TryCatchUpWithPrimary();
          impl->secondary = true;
        }
      } else {
        impl->secondary = false;
        s = rocksdb::DB::OpenForReadOnly(options, DbPath(dir), CfDescriptors(), &impl->cfs, &raw);
        if (s.IsInvalidArgument() && MissingNameFamily(s)) {
          // A ledger no writer has opened since the name index was added:
          // read it without one (every name lookup finds nothing).
          auto cfs = CfDescriptors();
          cfs.pop_back();
          s = rocksdb::DB::OpenForReadOnly(options, DbPath(dir), cfs, &impl->cfs, &raw);
          if (s.ok()) impl->cfs.push_back(nullptr);
        }
      }
      if (s.ok()) break;
    }
  }
  if (raw != nullptr) impl->db.reset(raw);
  if (!s.ok() && IsDbLockHeld(s)) {
    return Status::Unavailable(
        Msg("ledger {0} is in use by another writer, whose {0}/writer.lock was deleted while it "
            "ran (the file is made again: wait for that writer to finish and retry)",
            dir));
  }
  if (!s.ok()) return StorageError(s, Msg("open {}", DbPath(dir)));
  VLEDGER_TRY(impl->LoadHead());
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

Result<std::unique_ptr<Ledger>> Ledger::OpenView(const Ledger& writer) {
  VLEDGER_ASSERT(writer.impl_->access == Access::kWriter && !writer.impl_->view);
  auto impl = std::make_unique<Impl>();
  impl->dir = writer.impl_->dir;
  impl->access = Access::kReader;
  impl->view = true;
  impl->db.reset(writer.impl_->db.get());
  impl->cfs = writer.impl_->cfs;
  // One commit is one WriteBatch: a snapshot holds whole commits only, and
  // the head read at it says how many.
  impl->snapshot = impl->db->GetSnapshot();
  VLEDGER_TRY(impl->LoadHead());
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

const std::string& Ledger::dir() const { return impl_->dir; }
bool Ledger::writer() const { return impl_->access == Access::kWriter; }
uint64_t Ledger::size() const { return impl_->size; }
uint64_t Ledger::proj_size() const { return impl_->proj_size; }
Hash Ledger::head() const { return impl_->head; }

Result<StoredEvent> Ledger::ReadEvent(uint64_t seq) const {
  if (seq >= impl_->size) {
    return Status::InvalidInput(
        Msg("seq {} is past the end of the log (size {})", seq, impl_->size));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto canonical, impl_->Get(kEvents, U64be(seq)));
  if (!canonical) return Status::VerificationFailed(Msg("event {} is missing", seq));
  VLEDGER_ASSIGN_OR_RETURN(Hash hash, impl_->ReadHashAt(seq));
  return StoredEvent{seq, hash, std::move(*canonical)};
}

Result<Event> Ledger::ReadDecoded(uint64_t seq) const {
  VLEDGER_ASSIGN_OR_RETURN(auto stored, ReadEvent(seq));
  auto event = DecodeEvent(stored.canonical);
  if (!event.ok()) return event.status().WithSeq(seq);
  return event;
}

Result<Hash> Ledger::ReadHash(uint64_t seq) const { return impl_->ReadHashAt(seq); }

Status Ledger::ScanEvents(uint64_t from, uint64_t to,
                          const std::function<Status(const StoredEvent&)>& fn) const {
  to = std::min(to, impl_->size);
  if (from >= to) return Status::Ok();
  rocksdb::ReadOptions ro = impl_->Ro();
  ro.fill_cache = false;  // a scan reads each block once
  std::unique_ptr<rocksdb::Iterator> ev(impl_->db->NewIterator(ro, impl_->cf(kEvents)));
  ev->Seek(AsSlice(U64be(from)));
  StoredEvent stored;
  std::string chunk;
  uint64_t chunk_index = UINT64_MAX;
  for (uint64_t seq = from; seq < to; seq++) {
    if (!ev->Valid() || ev->key().size() != 8 || GetU64be(AsView(ev->key())) != seq) {
      if (!ev->status().ok()) return StorageError(ev->status(), Msg("read events"));
      return Status::VerificationFailed(Msg("event {} is missing", seq));
    }
    if (seq / kHashChunkEvents != chunk_index) {
      chunk_index = seq / kHashChunkEvents;
      VLEDGER_ASSIGN_OR_RETURN(chunk, impl_->ReadChunk(chunk_index));
    }
    size_t at = (seq % kHashChunkEvents) * 32;
    if (at + 32 > chunk.size()) {
      return Status::VerificationFailed(Msg("hash of event {} is missing", seq));
    }
    stored.seq = seq;
    stored.canonical.assign(ev->value().data(), ev->value().size());
    stored.hash = *HashFrom(std::string_view(chunk).substr(at, 32));
    VLEDGER_TRY(fn(stored));
    ev->Next();
  }
  if (!ev->status().ok()) return StorageError(ev->status(), Msg("read events"));
  return Status::Ok();
}

Status Ledger::ScanHashes(uint64_t from, uint64_t to,
                          const std::function<Status(uint64_t, std::string_view)>& fn) const {
  to = std::min(to, impl_->size);
  for (uint64_t chunk = from / kHashChunkEvents; chunk * kHashChunkEvents < to; chunk++) {
    VLEDGER_ASSIGN_OR_RETURN(std::string row, impl_->ReadChunk(chunk));
    for (size_t at = 0; at < row.size(); at += 32) {
      uint64_t seq = chunk * kHashChunkEvents + at / 32;
      if (seq < from) continue;
      if (seq >= to) break;
      VLEDGER_TRY(fn(seq, std::string_view(row).substr(at, 32)));
    }
  }
  return Status::Ok();
}

Status Ledger::ScanMerkleNodes(
    const std::function<Status(int level, uint64_t index, const Hash& hash)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(impl_->Ro(), impl_->cf(kMerkle)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 9 || it->value().size() != 32) {
      return Status::VerificationFailed(
          Msg("Merkle node row {} is malformed", Hex(AsView(it->key()))));
    }
    VLEDGER_TRY(fn(static_cast<uint8_t>(it->key()[0]), GetU64be(AsView(it->key()).substr(1)),
                   *HashFrom(AsView(it->value()))));
  }
  if (!it->status().ok()) return StorageError(it->status(), Msg("read merkle"));
  return Status::Ok();
}

Status Ledger::ScanCommits(const std::function<Status(const CommitRecord&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(impl_->Ro(), impl_->cf(kCommits)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 8) return Status::VerificationFailed("malformed key in commits");
    VLEDGER_ASSIGN_OR_RETURN(auto commit,
                             DecodeCommit(GetU64be(AsView(it->key())), AsView(it->value())));
    VLEDGER_TRY(fn(commit));
  }
  if (!it->status().ok()) return StorageError(it->status(), Msg("read commits"));
  return Status::Ok();
}

Result<CommitRecord> Ledger::CommitOf(uint64_t seq) const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(impl_->Ro(), impl_->cf(kCommits)));
  it->Seek(AsSlice(U64be(seq)));
  if (!it->status().ok()) return StorageError(it->status(), Msg("read commits"));
  if (!it->Valid() || it->key().size() != 8) {
    return Status::VerificationFailed(Msg("no commit holds seq {}", seq));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto commit,
                           DecodeCommit(GetU64be(AsView(it->key())), AsView(it->value())));
  if (commit.first > seq) return Status::VerificationFailed(Msg("no commit holds seq {}", seq));
  return commit;
}

Status Ledger::ScanLog(uint64_t to, const std::function<Status(const StoredEvent&)>& on_event,
                       const std::function<Status(const CommitRecord&)>& on_commit) const {
  return ScanLog(0, to, on_event, on_commit);
}

Status Ledger::ScanLog(uint64_t from, uint64_t to,
                       const std::function<Status(const StoredEvent&)>& on_event,
                       const std::function<Status(const CommitRecord&)>& on_commit) const {
  // A third iterator walks the commits beside the events, so neither side
  // is ever held whole in memory.
  std::unique_ptr<rocksdb::Iterator> cm(impl_->db->NewIterator(impl_->Ro(), impl_->cf(kCommits)));
  cm->Seek(U64be(from));  // commits are keyed by their last seq
  Status scan = ScanEvents(from, to, [&](const StoredEvent& e) -> Status {
    VLEDGER_TRY(on_event(e));
    for (; cm->Valid(); cm->Next()) {
      if (cm->key().size() != 8) return Status::VerificationFailed("malformed key in commits");
      uint64_t last = GetU64be(AsView(cm->key()));
      if (last > e.seq) break;
      VLEDGER_ASSIGN_OR_RETURN(auto commit, DecodeCommit(last, AsView(cm->value())));
      VLEDGER_TRY(on_commit(commit));
    }
    return Status::Ok();
  });
  VLEDGER_TRY(scan);
  if (!cm->status().ok()) return StorageError(cm->status(), Msg("read commits"));
  return Status::Ok();
}

Result<std::optional<std::string>> Ledger::GetState(std::string_view key) const {
  return impl_->Get(kState, key);
}

Status Ledger::ScanState(std::string_view prefix, const RowSource::ScanFn& fn) const {
  return impl_->ScanPrefix(kState, prefix, fn);
}

namespace {

// The stored projection rows of a ledger, read directly (the one writer
// and readers alike see the last whole commit).
class StoredRows final : public RowSource {
 public:
  explicit StoredRows(const Ledger::Impl* impl) : impl_(impl) {}

  std::optional<std::string> GetRow(std::string_view key) override {
    auto row = impl_->Get(kState, key);
    if (!row.ok()) throw RowReadError(row.status());
    return std::move(*row);
  }

  std::vector<std::optional<std::string>> GetRows(const std::vector<std::string>& keys) override {
    std::vector<std::optional<std::string>> out(keys.size());
    constexpr size_t kBatch = 4096;
    std::vector<rocksdb::Slice> slices;
    std::vector<rocksdb::Status> statuses;
    for (size_t from = 0; from < keys.size(); from += kBatch) {
      size_t n = std::min(kBatch, keys.size() - from);
      slices.clear();
      for (size_t i = 0; i < n; i++) slices.push_back(AsSlice(keys[from + i]));
      std::vector<rocksdb::PinnableSlice> values(n);
      // Keys in order let RocksDB read each block once for all of its keys.
      bool sorted = std::is_sorted(
          slices.begin(), slices.end(),
          [](const rocksdb::Slice& x, const rocksdb::Slice& y) { return x.compare(y) < 0; });
      statuses.assign(n, rocksdb::Status());
      rocksdb::ReadOptions ro = impl_->Ro();
      impl_->db->MultiGet(ro, impl_->cf(kState), n, slices.data(), values.data(), statuses.data(),
                          sorted);
      for (size_t i = 0; i < n; i++) {
        if (statuses[i].ok()) {
          out[from + i] = values[i].ToString();
        } else if (!statuses[i].IsNotFound()) {
          throw RowReadError(ReadError(statuses[i], kState));
        }
      }
    }
    return out;
  }

  void ScanRows(std::string_view prefix, const ScanFn& fn) override {
    Status scanned = impl_->ScanPrefix(kState, prefix, fn);
    if (!scanned.ok()) throw RowReadError(scanned);
  }

 private:
  const Ledger::Impl* impl_;
};

}  // namespace

std::unique_ptr<RowSource> Ledger::Rows() const {
  return std::make_unique<StoredRows>(impl_.get());
}

void Ledger::SetPeopleFilter(PeopleFilter filter) {
  VLEDGER_ASSERT(!writer());
  impl_->people_filter = std::move(filter);
}

const Ledger::PeopleFilter* Ledger::people_filter() const {
  return impl_->people_filter ? &*impl_->people_filter : nullptr;
}

Result<std::optional<std::string>> Ledger::GetPerson(std::string_view person_ref) const {
  if (!impl_->PersonVisible(person_ref)) return std::optional<std::string>();
  return impl_->Get(kPersons, person_ref);
}

Status Ledger::ScanPersons(
    const std::function<Status(std::string_view, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(impl_->Ro(), impl_->cf(kPersons)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!impl_->PersonVisible(AsView(it->key()))) continue;
    VLEDGER_TRY(fn(AsView(it->key()), AsView(it->value())));
  }
  if (!it->status().ok()) return StorageError(it->status(), Msg("read persons"));
  return Status::Ok();
}

Result<std::optional<PersonRecord>> Ledger::LoadPerson(std::string_view person_ref) const {
  VLEDGER_ASSIGN_OR_RETURN(auto row, GetPerson(person_ref));
  if (!row) return std::optional<PersonRecord>();
  VLEDGER_ASSIGN_OR_RETURN(PersonRecord record, PersonRecord::DecodeRow(person_ref, *row));
  return std::optional<PersonRecord>(std::move(record));
}

Status Ledger::ScanPersonRecords(const std::function<Status(const StoredPerson&)>& fn) const {
  return ScanPersons([&](std::string_view ref, std::string_view value) -> Status {
    bool matches_ref =
        value.size() >= kPersonSaltBytes &&
        PersonRef(value.substr(0, kPersonSaltBytes), value.substr(kPersonSaltBytes)) == ref;
    return fn(StoredPerson{ref, matches_ref, PersonRecord::DecodeRow(ref, value)});
  });
}

Result<std::optional<std::string>> Ledger::GetNameRow(std::string_view key) const {
  if (impl_->cf(kNames) == nullptr) return std::optional<std::string>();
  VLEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row, impl_->Get(kNames, key));
  if (row && !impl_->NameRowVisible(key, *row)) return std::optional<std::string>();
  return row;
}

Status Ledger::ScanNameRows(std::string_view prefix, const RowSource::ScanFn& fn) const {
  if (impl_->cf(kNames) == nullptr) return Status::Ok();
  if (!impl_->people_filter) return impl_->ScanPrefix(kNames, prefix, fn);
  if (impl_->people_filter->none) return Status::Ok();
  return impl_->ScanPrefix(kNames, prefix, [&](std::string_view key, std::string_view value) {
    return !impl_->NameRowVisible(key, value) || fn(key, value);
  });
}

// Deleted name rows that make WriteNameRows compact the range they span.
constexpr size_t kNameDeletesCompacted = 1'000;

Status Ledger::WriteNameRows(const RowChanges& rows) {
  VLEDGER_ASSERT(writer() && !impl_->txn_open);
  rocksdb::WriteBatch batch;
  // Many rows deleted at once (the pending-pinyin rows the index has read)
  // are compacted away after the write: each later scan of their range
  // would otherwise step over every one of them.
  size_t deletes = 0;
  std::string first_deleted, last_deleted;
  for (const auto& [key, value] : rows) {
    if (!value) {
      if (deletes == 0 || key < first_deleted) first_deleted = key;
      if (deletes == 0 || key > last_deleted) last_deleted = key;
      deletes++;
    }
    rocksdb::Status s =
        value ? batch.Put(impl_->cf(kNames), key, *value) : batch.Delete(impl_->cf(kNames), key);
    VLEDGER_ASSERT(s.ok());  // keys and values are far below WriteBatch's 4 GiB
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = impl_->db->Write(wo, &batch);
  if (!s.ok()) return StorageError(s, "write names");
  if (deletes >= kNameDeletesCompacted) {
    last_deleted.push_back('\0');  // the end is exclusive
    rocksdb::Slice begin = AsSlice(first_deleted), end = AsSlice(last_deleted);
    rocksdb::CompactRangeOptions o;
    o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    s = impl_->db->CompactRange(o, impl_->cf(kNames), &begin, &end);
    if (!s.ok()) return StorageError(s, "compact names");
  }
  return Status::Ok();
}

Status Ledger::ReplaceNameRows(const std::vector<RowsFn>& parts) {
  VLEDGER_ASSERT(writer() && !impl_->txn_open);
  rocksdb::ColumnFamilyHandle* names = impl_->cf(kNames);
  // The rows go to table files in DIR/rebuild, removed whatever happens.
  std::string folder = RowFilesPath(impl_->dir);
  std::error_code ec;
  fs::remove_all(folder, ec);
  if (!fs::create_directory(folder, ec)) {
    return Status::Io(Msg("cannot create {}: {}", folder, ec.message()));
  }
  struct Cleanup {
    std::string folder;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(folder, ec);
    }
  } cleanup{folder};
  // (A key holds a name: not in the messages.)
  const Status out_of_order = Status::Internal("name rows given out of key order");
  struct Part {
    RowFiles files;
    std::string first, last;  // its first and last keys, when it has rows
    bool any = false;
    Status status;
  };
  std::vector<Part> written(parts.size());
  auto write = [&](size_t i) {
    Part& p = written[i];
    p.files.name = std::to_string(i + 1) + "-";
    p.status = parts[i]([&](std::string_view key, std::string_view value) -> Status {
      VLEDGER_ASSERT(!key.empty() && static_cast<uint8_t>(key[0]) < 0xff);
      if (p.any && key <= std::string_view(p.last)) return out_of_order;
      if (!p.any) p.first.assign(key);
      p.any = true;
      p.last.assign(key);
      rocksdb::Status s = p.files.Put(impl_->db.get(), names, impl_->dir, key, value);
      if (!s.ok()) return StorageError(s, "write names");
      return Status::Ok();
    });
    rocksdb::Status s = p.files.Finish();
    if (p.status.ok() && !s.ok()) p.status = StorageError(s, "write names");
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < parts.size(); i++) threads.emplace_back(write, i);
  if (!parts.empty()) write(0);
  for (std::thread& t : threads) t.join();
  std::vector<std::string> paths;
  const Part* before = nullptr;  // the last part with rows
  for (const Part& p : written) {
    VLEDGER_TRY(p.status);
    if (!p.any) continue;
    if (before != nullptr && std::string_view(p.first) <= std::string_view(before->last)) {
      return out_of_order;
    }
    before = &p;
    paths.insert(paths.end(), p.files.paths.begin(), p.files.paths.end());
  }
  rocksdb::Status s = impl_->ReplaceWithFiles(kNames, paths);
  if (!s.ok()) return StorageError(s, "write names");
  return Status::Ok();
}

Result<uint64_t> Ledger::RowFilesAtLevelZero() const {
  uint64_t files = 0;
  for (Cf which : {kState, kNames}) {
    if (impl_->cf(which) == nullptr) continue;
    std::string n;
    uint64_t count = 0;
    if (!impl_->db->GetProperty(impl_->cf(which), "rocksdb.num-files-at-level0", &n) ||
        std::from_chars(n.data(), n.data() + n.size(), count).ec != std::errc()) {
      return Status::Internal(Msg("no level 0 file count of {}", kCfNames[which]));
    }
    files += count;
  }
  return files;
}

NodeReader Ledger::MerkleNodes() const {
  const Impl* impl = impl_.get();
  return [impl](int level, uint64_t index) { return impl->ReadNode(level, index); };
}

Result<Hash> Ledger::MerkleRootAt(uint64_t size) const {
  if (size > impl_->size) {
    return Status::InvalidInput(
        Msg("size {} is past the end of the log (size {})", size, impl_->size));
  }
  return MerkleRoot(size, MerkleNodes());
}

Status Ledger::PutCheckpoint(uint64_t size, const std::string& text) {
  VLEDGER_ASSERT(writer());
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s =
      impl_->db->Put(wo, impl_->cf(kCheckpoints), AsSlice(U64be(size)), AsSlice(text));
  if (!s.ok()) return StorageError(s, Msg("write checkpoint"));
  return Status::Ok();
}

Status Ledger::PutPersons(const std::vector<std::pair<std::string, std::string>>& rows) {
  VLEDGER_ASSERT(writer());
  rocksdb::WriteBatch batch;
  for (const auto& [ref, value] : rows) batch.Put(impl_->cf(kPersons), ref, value);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = impl_->db->Write(wo, &batch);
  if (!s.ok()) return StorageError(s, Msg("write person records"));
  return Status::Ok();
}

Status Ledger::RestorePersons(const std::vector<ArchivePerson>& persons) {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.reserve(persons.size());
  for (const ArchivePerson& p : persons) rows.emplace_back(p.person_ref, p.salt + p.record);
  return PutPersons(rows);
}

Status Ledger::SetPersonsWithheld(uint64_t size) {
  VLEDGER_ASSERT(writer());
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s =
      impl_->db->Put(wo, impl_->cf(kDefault), AsSlice(kWithheldKey), AsSlice(U64be(size)));
  if (!s.ok()) return StorageError(s, Msg("write withheld"));
  return Status::Ok();
}

Result<uint64_t> Ledger::PersonsWithheld() const {
  if (impl_->people_filter) return size();
  VLEDGER_ASSIGN_OR_RETURN(auto row, impl_->Get(kDefault, kWithheldKey));
  if (!row) return uint64_t{0};
  if (row->size() != 8) return Status::VerificationFailed("the withheld row is not 8 bytes");
  return GetU64be(*row);
}

Result<std::optional<std::string>> Ledger::GetCheckpoint(uint64_t size) const {
  return impl_->Get(kCheckpoints, U64be(size));
}

Result<std::optional<std::pair<uint64_t, std::string>>> Ledger::LatestCheckpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(impl_->Ro(), impl_->cf(kCheckpoints)));
  it->SeekToLast();
  if (!it->status().ok()) return StorageError(it->status(), Msg("read checkpoints"));
  if (!it->Valid()) return std::optional<std::pair<uint64_t, std::string>>();
  if (it->key().size() != 8) return Status::VerificationFailed("malformed key in checkpoints");
  return std::optional<std::pair<uint64_t, std::string>>(
      std::make_pair(GetU64be(AsView(it->key())), it->value().ToString()));
}

Status Ledger::ScanCheckpoints(const std::function<Status(uint64_t, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(impl_->Ro(), impl_->cf(kCheckpoints)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 8) return Status::VerificationFailed("malformed key in checkpoints");
    VLEDGER_TRY(fn(GetU64be(AsView(it->key())), AsView(it->value())));
  }
  if (!it->status().ok()) return StorageError(it->status(), Msg("read checkpoints"));
  return Status::Ok();
}

Status Ledger::WriteProjections(const RowChanges& rows, uint64_t proj_size) {
  VLEDGER_ASSERT(writer() && !impl_->txn_open && proj_size <= impl_->size);
  rocksdb::WriteBatch batch;
  for (const auto& [key, value] : rows) {
    if (value) {
      batch.Put(impl_->cf(kState), key, *value);
    } else {
      batch.Delete(impl_->cf(kState), key);
    }
  }
  batch.Put(impl_->cf(kDefault), AsSlice(kProjKey), U64be(proj_size));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = impl_->db->Write(wo, &batch);
  if (!s.ok()) return StorageError(s, Msg("write state"));
  impl_->proj_size = proj_size;
  return Status::Ok();
}

Status Ledger::ClearProjections() {
  VLEDGER_ASSERT(writer() && !impl_->txn_open);
  rocksdb::WriteBatch batch;
  // Every key of the state column family starts with a printable byte.
  rocksdb::Status s =
      batch.DeleteRange(impl_->cf(kState), rocksdb::Slice(""), rocksdb::Slice("\xff"));
  if (s.ok()) s = batch.Put(impl_->cf(kDefault), AsSlice(kProjKey), U64be(0));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  if (s.ok()) s = impl_->db->Write(wo, &batch);
  if (!s.ok()) return StorageError(s, Msg("clear state"));
  impl_->proj_size = 0;
  // The rows are deleted now; the table files that hold nothing else go
  // at once, unread, so that a damaged one is gone after a rebuild rather
  // than read (and found damaged) by a later compaction or `verify`. A
  // failure leaves them to compaction.
  rocksdb::Slice all_begin(""), all_end("\xff");
  (void)rocksdb::DeleteFilesInRange(impl_->db.get(), impl_->cf(kState), &all_begin, &all_end);
  return Status::Ok();
}

Status Ledger::PutProjectionRows(ProjectionRows rows) {
  VLEDGER_ASSERT(writer() && !impl_->txn_open && impl_->proj_size == 0);
  rocksdb::WriteBatch batch;
  for (const auto& [key, value] : rows) {
    VLEDGER_ASSERT(!key.empty() && static_cast<uint8_t>(key[0]) < 0xff);
    batch.Put(impl_->cf(kState), AsSlice(key), AsSlice(value));
  }
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;  // FinishProjections flushes them to table files
  rocksdb::Status s = impl_->db->Write(wo, &batch);
  if (!s.ok()) return StorageError(s, Msg("write state"));
  return Status::Ok();
}

// Writes the rows put before the sorted ones whose keys are below `key`
// (all of them: nullopt) into the table files.
rocksdb::Status Ledger::Impl::PutRowsBefore(std::optional<std::string_view> key) {
  rocksdb::Iterator* it = rows_before.get();
  rocksdb::Status s;
  for (; s.ok() && it->Valid(); it->Next()) {
    std::string_view before = AsView(it->key());
    if (key && before >= *key) {
      if (before == *key) s = rocksdb::Status::InvalidArgument("a sorted row was put before");
      return s;
    }
    s = row_files.Put(db.get(), cf(kState), dir, before, AsView(it->value()));
  }
  return s.ok() ? it->status() : s;
}

Status Ledger::PutSortedProjectionRows(ProjectionRows rows) {
  VLEDGER_ASSERT(writer() && !impl_->txn_open && impl_->proj_size == 0);
  rocksdb::Status s;
  if (!impl_->rows_before) {
    // The first sorted rows: what the memtables hold (the rows put before,
    // the index rows of a replay) goes to table files, freeing their
    // memory, and is read back in key order to be written into the same
    // table files as the sorted rows, each in its place. FinishProjections
    // then moves those files in at the last level, not at level 0 above
    // the others (every open reads whole indexes and filters of the files
    // at level 0, and only the top of those of the files below).
    s = impl_->Flush(/*wait=*/true);
    if (!s.ok()) return StorageError(s, Msg("flush state"));
    std::error_code ec;
    fs::remove_all(RowFilesPath(impl_->dir), ec);
    if (!fs::create_directory(RowFilesPath(impl_->dir), ec)) {
      return Status::Io(Msg("cannot create {}: {}", RowFilesPath(impl_->dir), ec.message()));
    }
    rocksdb::ReadOptions ro = impl_->Ro();
    ro.fill_cache = false;
    impl_->rows_before.reset(impl_->db->NewIterator(ro, impl_->cf(kState)));
    impl_->rows_before->SeekToFirst();
  }
  for (const auto& [key, value] : rows) {
    VLEDGER_ASSERT(!key.empty() && static_cast<uint8_t>(key[0]) < 0xff);
    s = impl_->PutRowsBefore(key);
    if (s.ok())
      s = impl_->row_files.Put(impl_->db.get(), impl_->cf(kState), impl_->dir, key, value);
    if (!s.ok()) {
      impl_->DropRowFiles();
      return StorageError(s, Msg("write state"));
    }
  }
  return Status::Ok();
}

Status Ledger::FinishProjections(uint64_t proj_size) {
  VLEDGER_ASSERT(writer() && !impl_->txn_open && impl_->proj_size == 0);
  rocksdb::Status s;
  if (impl_->rows_before) {
    // Every row is in the table files now: those where they were go.
    s = impl_->PutRowsBefore(std::nullopt);
    impl_->rows_before.reset();
    if (s.ok()) s = impl_->row_files.Finish();
    if (s.ok()) s = impl_->ReplaceWithFiles(kState, impl_->row_files.paths);
  }
  impl_->DropRowFiles();
  if (!s.ok()) return StorageError(s, Msg("write state"));
  s = impl_->Flush(/*wait=*/true);
  if (!s.ok()) return StorageError(s, Msg("flush state"));
  return WriteProjections({}, proj_size);
}

Result<std::optional<std::string>> Ledger::GetRequestRow(std::string_view key) const {
  return impl_->Get(kRequests, key);
}

Status Ledger::ScanRequestRows(std::string_view prefix, const RowSource::ScanFn& fn) const {
  return impl_->ScanPrefix(kRequests, prefix, fn);
}

namespace {

class RocksStateCursor final : public Ledger::StateCursor {
 public:
  // An upper bound, which the iterator's ReadOptions point to: made
  // before the iterator and kept as long.
  struct Bound {
    std::string key;
    rocksdb::Slice slice;
  };
  RocksStateCursor(std::unique_ptr<Bound> to, rocksdb::Iterator* it, std::string_view from)
      : to_(std::move(to)), it_(it) {
    it_->Seek(AsSlice(from));
  }
  bool Valid() const override { return it_->Valid(); }
  std::string_view key() const override { return AsView(it_->key()); }
  std::string_view value() const override { return AsView(it_->value()); }
  void Next() override { it_->Next(); }
  Status status() const override {
    return it_->status().ok() ? Status::Ok() : ReadError(it_->status(), kState);
  }

 private:
  std::unique_ptr<Bound> to_;  // outlives it_
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

std::unique_ptr<Ledger::StateCursor> Ledger::NewStateCursor(std::string_view from,
                                                            std::string_view to) const {
  rocksdb::ReadOptions ro = impl_->Ro();
  ro.fill_cache = false;
  auto bound = std::make_unique<RocksStateCursor::Bound>();
  bound->key.assign(to);
  bound->slice = rocksdb::Slice(bound->key);
  if (!to.empty()) ro.iterate_upper_bound = &bound->slice;
  rocksdb::Iterator* it = impl_->db->NewIterator(ro, impl_->cf(kState));
  return std::make_unique<RocksStateCursor>(std::move(bound), it, from);
}

namespace {

// This process's open descriptor of `path` after the file was removed
// (the kernel names it "PATH (deleted)"), as a path that opens the same
// file: /proc/self/fd/N. Empty when the process holds no such descriptor.
std::string DescriptorOfRemovedFile(const std::string& path) {
  std::error_code ec;
  fs::path file =
      fs::weakly_canonical(fs::path(path).parent_path(), ec) / fs::path(path).filename();
  if (ec) return "";
  const std::string wanted = file.string() + " (deleted)";
  for (const auto& entry : fs::directory_iterator("/proc/self/fd", ec)) {
    fs::path target = fs::read_symlink(entry.path(), ec);
    if (!ec && target.string() == wanted) return entry.path().string();
  }
  return "";
}

}  // namespace

// Every block of every table file against its checksum, as
// DB::VerifyChecksum checks them (each file with its family's options),
// but on two threads: `verify` starts with this, alone, and one thread
// left the other core idle for a tenth of a second on a county's
// ledger. The larger files go first, each to the thread that has less to
// read; the failure reported is the first in the families' and levels'
// order, as DB::VerifyChecksum would report it.
//
// Beside a live writer, the writer may compact and remove a table file
// after this reader opened: the reader still reads it, through the
// descriptor it opened then (every table file is kept open), and so
// does this check. (DB::VerifyChecksum opens each file by name and
// reported such a file as missing.)
Status Ledger::VerifyStorage() const {
  struct File {
    std::string path;
    uint64_t size, largest_seqno;
    size_t family;
    rocksdb::Status status;
  };
  std::vector<File> files;
  std::vector<rocksdb::Options> options;
  for (size_t i = 0; i < impl_->cfs.size(); i++) {
    options.push_back(impl_->db->GetOptions(impl_->cfs[i]));
    rocksdb::ColumnFamilyMetaData meta;
    impl_->db->GetColumnFamilyMetaData(impl_->cfs[i], &meta);
    for (const rocksdb::LevelMetaData& level : meta.levels) {
      for (const rocksdb::SstFileMetaData& f : level.files) {
        files.push_back(
            File{f.directory + "/" + f.relative_filename, f.size, f.largest_seqno, i, {}});
      }
    }
  }
  std::vector<size_t> by_size(files.size());
  for (size_t i = 0; i < files.size(); i++) by_size[i] = i;
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](size_t a, size_t b) { return files[a].size > files[b].size; });
  std::vector<size_t> mine[2];
  uint64_t bytes[2] = {0, 0};
  for (size_t i : by_size) {
    int t = bytes[0] <= bytes[1] ? 0 : 1;
    mine[t].push_back(i);
    bytes[t] += files[i].size;
  }
  const rocksdb::EnvOptions env_options(impl_->db->GetDBOptions());
  auto check = [&](const std::vector<size_t>& list) {
    for (size_t i : list) {
      File& f = files[i];
      f.status = rocksdb::VerifySstFileChecksum(options[f.family], env_options,
                                                rocksdb::ReadOptions(), f.path, f.largest_seqno);
      std::error_code ec;
      if (f.status.ok() || !impl_->secondary || fs::exists(f.path, ec)) continue;
      std::string held = DescriptorOfRemovedFile(f.path);
      if (held.empty()) continue;
      f.status = rocksdb::VerifySstFileChecksum(options[f.family], env_options,
                                                rocksdb::ReadOptions(), held, f.largest_seqno);
      if (!f.status.ok()) {
        // RocksDB's words, naming the file rather than the descriptor.
        std::string words = f.status.getState() != nullptr ? f.status.getState() : "";
        for (size_t at = words.find(held); at != std::string::npos;
             at = words.find(held, at + f.path.size())) {
          words.replace(at, held.size(), f.path);
        }
        f.status = f.status.IsCorruption() ? rocksdb::Status::Corruption(words)
                                           : rocksdb::Status::IOError(words);
      }
    }
  };
  std::thread other([&] { check(mine[1]); });
  check(mine[0]);
  other.join();
  for (const File& f : files) {
    if (!f.status.ok()) return StorageError(f.status, Msg("storage check"));
  }
  return Status::Ok();
}

namespace {

// Copies every row of every column family of `src` into a new database at
// `db_path`. Rows go in unsynced batches without a write-ahead log; one
// atomic flush at the end puts them all in synced table files.
Result<uint64_t> CopyRows(rocksdb::DB* src,
                          const std::vector<rocksdb::ColumnFamilyHandle*>& src_cfs,
                          const std::string& db_path) {
  // The caller made sure db_path is new. No error_if_exists: RocksDB keeps
  // the options in the folder's OPTIONS file, where that flag would stop
  // tools such as ldb from opening the copy.
  rocksdb::Options options = BaseOptions();
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, db_path, CfDescriptors(), &cfs, &raw);
  if (!s.ok()) return StorageError(s, Msg("create {}", db_path));
  std::unique_ptr<rocksdb::DB> dst(raw);
  uint64_t rows = 0;
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  ro.verify_checksums = true;
  Status st;
  for (size_t i = 0; i < kCfCount && st.ok(); i++) {
    // The name index is derived from the person records: the copy's is
    // built again from them (restore), never copied.
    if (i == kNames) continue;
    std::unique_ptr<rocksdb::Iterator> it(src->NewIterator(ro, src_cfs[i]));
    rocksdb::WriteBatch batch;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      batch.Put(cfs[i], it->key(), it->value());
      rows++;
      if (batch.GetDataSize() >= kCopyBatchBytes) {
        s = dst->Write(wo, &batch);
        if (!s.ok()) break;
        batch.Clear();
      }
    }
    if (!it->status().ok()) {
      st = StorageError(it->status(), Msg("read {}", kCfNames[i]));
    } else if (s.ok()) {
      s = dst->Write(wo, &batch);
    }
    if (st.ok() && !s.ok()) st = StorageError(s, Msg("write {}", db_path));
  }
  if (st.ok()) {
    rocksdb::FlushOptions fo;
    fo.wait = true;
    s = dst->Flush(fo, cfs);
    if (!s.ok()) st = StorageError(s, Msg("flush {}", db_path));
  }
  for (auto* cf : cfs) dst->DestroyColumnFamilyHandle(cf);
  s = dst->Close();
  if (st.ok() && !s.ok()) st = StorageError(s, Msg("close {}", db_path));
  if (!st.ok()) return st;
  return rows;
}

}  // namespace

Result<uint64_t> Ledger::Backup(const std::string& dir) const {
  std::error_code ec;
  bool existed = fs::exists(dir, ec);
  if (existed && !fs::is_empty(dir, ec)) {
    return Status::AlreadyExists(Msg("{} exists and is not empty", dir));
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::InvalidInput(Msg("cannot create {}: {}", dir, ec.message()));
  auto rows = CopyRows(impl_->db.get(), impl_->cfs, DbPath(dir));
  if (!rows.ok()) {
    // Leave nothing behind: the folder as it was (absent, or empty).
    if (existed) {
      fs::remove_all(DbPath(dir), ec);
    } else {
      fs::remove_all(dir, ec);
    }
  }
  return rows;
}

Result<uint64_t> Ledger::Restore(const std::string& backup_dir, const std::string& ledger_dir) {
  std::error_code ec;
  if (fs::exists(ledger_dir, ec)) {
    return Status::AlreadyExists("--ledger",
                                 Msg("{} exists; restore creates a new folder", ledger_dir));
  }
  auto backup = Open(backup_dir, {Access::kReader, 0});
  if (!backup.ok()) return backup.status().WithPrefix(Msg("backup {}", backup_dir));
  return (*backup)->Backup(ledger_dir);
}

// ------------------------------------------------------------------ WriteTxn

struct WriteTxn::Impl {
  Ledger::Impl* ledger;
  // The next commit's write batch, holding the projection rows staged so
  // far (a later one of a key wins): written straight into it, so that an
  // import's last commit holds its rows once, not once more in a list.
  rocksdb::WriteBatch batch;
  std::map<std::string, std::string, std::less<>> requests;
  // Person records (nullopt: deleted), each with the seq of the event that
  // came after it, in the order given (so by seq); persons[first_person..]
  // are not written yet.
  struct PendingPerson {
    std::string ref;
    std::optional<std::string> value;
    uint64_t seq;
  };
  std::vector<PendingPerson> persons;
  size_t first_person = 0;
  // Name index rows, kept as the person records are: each goes with the
  // commit of the event that follows it.
  std::vector<PendingPerson> names;
  size_t first_name = 0;
  // The index in `names` of the last row of each key: an import stages
  // hundreds of thousands, each looked up once.
  std::unordered_map<std::string, size_t> last_name;
  // Pending events are events[first..], consecutive from ledger->size.
  std::vector<StoredEvent> events;
  std::vector<std::string> key_ids;  // each event's author, beside `events`
  size_t first = 0;
  std::optional<MerkleAppender> merkle;
  // The record hashes stored in the last, incomplete chunk row.
  std::string tail_chunk;
  Sha256Hasher hasher;
  size_t Pending() const { return events.size() - first; }
  Hash PendingHead() const { return Pending() == 0 ? ledger->head : events.back().hash; }
  uint64_t NextSeq() const { return ledger->size + Pending(); }

  // Forgets the Merkle tree and the last hashes: the next commit reads
  // them again (LoadMerkle).
  void ResetMerkle() {
    merkle.reset();
    tail_chunk.clear();
  }

  // Reads the stored Merkle frontier and the last, incomplete chunk of
  // record hashes, which the next commit extends. A failed read is that
  // commit's error.
  Status LoadMerkle() {
    ResetMerkle();
    Ledger::Impl* l = ledger;
    if (l->size % kHashChunkEvents != 0) {
      auto chunk = l->ReadChunk(l->size / kHashChunkEvents);
      if (!chunk.ok() || chunk->size() != (l->size % kHashChunkEvents) * 32) {
        return Status::Corruption(
            "the hashes of the last events cannot be read: the database is damaged");
      }
      tail_chunk = std::move(*chunk);
    }
    NodeReader reader = [l](int level, uint64_t index) { return l->ReadNode(level, index); };
    auto appender = MerkleAppender::Load(ledger->size, reader);
    if (!appender.ok()) {
      return Status::Corruption(Msg("Merkle tree cannot be read ({}): the database is damaged",
                                    appender.status().message()));
    }
    merkle.emplace(std::move(appender).value());
    return Status::Ok();
  }
};

std::unique_ptr<WriteTxn> Ledger::BeginWrite() {
  VLEDGER_ASSERT(writer() && !impl_->txn_open);
  impl_->txn_open = true;
  return std::unique_ptr<WriteTxn>(new WriteTxn(impl_.get()));
}

WriteTxn::WriteTxn(Ledger::Impl* ledger) : impl_(std::make_unique<Impl>()) {
  impl_->ledger = ledger;
  impl_->ResetMerkle();
}

WriteTxn::~WriteTxn() { impl_->ledger->txn_open = false; }

void WriteTxn::PutRow(const std::string& key, const std::optional<std::string>& value) {
  rocksdb::ColumnFamilyHandle* cf = impl_->ledger->cf(kState);
  rocksdb::Status s = value ? impl_->batch.Put(cf, key, *value) : impl_->batch.Delete(cf, key);
  // A WriteBatch made without a size limit refuses a Put or Delete only of
  // a key or value over 4 GiB; projection rows are bounded far below that
  // (LIMITS.md), so no input reaches this.
  VLEDGER_ASSERT(s.ok());
}

void WriteTxn::PutRequestRow(const std::string& key, const std::string& value) {
  impl_->requests.insert_or_assign(key, value);
}

Result<std::optional<std::string>> WriteTxn::GetRequestRow(std::string_view key) {
  auto it = impl_->requests.find(key);
  if (it != impl_->requests.end()) return std::optional<std::string>(it->second);
  return impl_->ledger->Get(kRequests, key);
}

Result<Event> WriteTxn::ReadEvent(uint64_t seq) {
  uint64_t base = impl_->ledger->size;
  if (seq >= base && seq - base < impl_->Pending()) {
    return DecodeEvent(impl_->events[impl_->first + (seq - base)].canonical);
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string canonical, CanonicalOf(seq));
  return DecodeEvent(canonical);
}

Result<std::string> WriteTxn::CanonicalOf(uint64_t seq) {
  uint64_t base = impl_->ledger->size;
  if (seq >= base && seq - base < impl_->Pending()) {
    return impl_->events[impl_->first + (seq - base)].canonical;
  }
  if (seq >= impl_->ledger->size) {
    return Status::InvalidInput(Msg("seq {} is past the end of the log", seq));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto canonical, impl_->ledger->Get(kEvents, U64be(seq)));
  if (!canonical) return Status::VerificationFailed(Msg("event {} is missing", seq));
  return std::move(*canonical);
}

Result<std::optional<std::string>> WriteTxn::GetPerson(std::string_view ref) {
  for (size_t i = impl_->persons.size(); i > impl_->first_person; i--) {
    if (impl_->persons[i - 1].ref == ref) return impl_->persons[i - 1].value;
  }
  return impl_->ledger->Get(kPersons, ref);
}

Result<std::optional<PersonRecord>> WriteTxn::LoadPerson(std::string_view ref) {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row, GetPerson(ref));
  if (!row) return std::optional<PersonRecord>();
  VLEDGER_ASSIGN_OR_RETURN(PersonRecord record, PersonRecord::DecodeRow(ref, *row));
  return std::optional<PersonRecord>(std::move(record));
}

std::string WriteTxn::PutPerson(const PersonRecord& record) {
  std::string ref = record.ref();
  PutPerson(ref, record.EncodeRow());
  return ref;
}

void WriteTxn::PutPerson(std::string_view ref, std::string_view value) {
  impl_->persons.push_back(
      Impl::PendingPerson{std::string(ref), std::string(value), impl_->NextSeq()});
}

void WriteTxn::PutNameRow(std::string_view key, std::optional<std::string> value) {
  impl_->last_name.insert_or_assign(std::string(key), impl_->names.size());
  impl_->names.push_back(Impl::PendingPerson{std::string(key), std::move(value), impl_->NextSeq()});
}

Result<std::optional<std::string>> WriteTxn::GetNameRow(std::string_view key) {
  auto it = impl_->last_name.find(std::string(key));
  if (it != impl_->last_name.end() && it->second >= impl_->first_name) {
    return impl_->names[it->second].value;
  }
  if (impl_->ledger->cf(kNames) == nullptr) return std::optional<std::string>();
  return impl_->ledger->Get(kNames, key);
}

Status WriteTxn::ScanNameRows(std::string_view prefix, const RowSource::ScanFn& fn) {
  if (impl_->ledger->cf(kNames) == nullptr) return Status::Ok();
  return impl_->ledger->ScanPrefix(kNames, prefix, fn);
}

void WriteTxn::DeletePerson(std::string_view ref) {
  impl_->persons.push_back(Impl::PendingPerson{std::string(ref), std::nullopt, impl_->NextSeq()});
}

uint64_t WriteTxn::next_seq() const { return impl_->NextSeq(); }
uint64_t WriteTxn::pending_events() const { return impl_->Pending(); }

uint64_t WriteTxn::AddEvent(std::string canonical, Event decoded) {
  uint64_t seq = impl_->NextSeq();
  Hash hash = RecordHash(impl_->hasher, seq, impl_->PendingHead(), canonical);
  impl_->events.push_back(StoredEvent{seq, hash, std::move(canonical)});
  impl_->key_ids.push_back(std::move(decoded.key_id));
  return seq;
}

void WriteTxn::ReserveEvents(size_t n) {
  impl_->events.reserve(impl_->events.size() + n);
  impl_->key_ids.reserve(impl_->key_ids.size() + n);
}

void WriteTxn::ReserveRows(size_t rows) {
  // A row's key and value with their lengths (a resident's row of a
  // county is about 170 bytes); an event's bytes, and its share of the
  // keys, hash chunks, Merkle nodes and request rows written beside it.
  constexpr size_t kRowBytes = 256, kEventBytesBeside = 192, kSlackBytes = 64 << 10;
  if (impl_->batch.Count() != 0) return;
  size_t bytes = rows * kRowBytes + kSlackBytes;
  for (size_t i = impl_->first; i < impl_->events.size(); i++) {
    bytes += impl_->events[i].canonical.size() + kEventBytesBeside;
  }
  // A batch keeps its room from commit to commit (Clear), so a smaller
  // commit reuses it. Reserved only: the pages are touched as it fills.
  if (bytes > impl_->batch.Data().capacity()) impl_->batch = rocksdb::WriteBatch(bytes);
}

Hash WriteTxn::HashOf(uint64_t seq) {
  uint64_t base = impl_->ledger->size;
  if (seq >= base && seq - base < impl_->Pending()) {
    return impl_->events[impl_->first + (seq - base)].hash;
  }
  VLEDGER_ASSERT(seq < base);  // asking past the pending events is a caller bug
  if (seq >= base - impl_->first) return impl_->events[impl_->first - (base - seq)].hash;
  auto hash = impl_->ledger->ReadHashAt(seq);
  if (!hash.ok()) {
    if (hash.status().is_storage_fault()) throw RowReadError(hash.status());
    // The damage found, then what to do about it.
    Status damaged = Status::Corruption(
        "the database is damaged (run `vledger verify`; restore it from a backup with `vledger "
        "restore`)");
    Status found = Restated(hash.status(), Code::kCorruption);
    damaged = damaged.WithPrefix(found.msg());
    for (auto p = found.prefixes().rbegin(); p != found.prefixes().rend(); ++p) {
      damaged = damaged.WithPrefix(*p);
    }
    throw RowReadError(damaged);
  }
  return *hash;
}

void WriteTxn::Abort() {
  impl_->batch.Clear();
  impl_->requests.clear();
  impl_->persons.clear();
  impl_->first_person = 0;
  impl_->names.clear();
  impl_->first_name = 0;
  impl_->last_name.clear();
  impl_->events.clear();
  impl_->key_ids.clear();
  impl_->first = 0;
  impl_->ResetMerkle();
}

Result<CommitRecord> WriteTxn::Commit(const PrivateKey& signer, uint64_t events, bool projections) {
  Impl& t = *impl_;
  VLEDGER_ASSERT(t.Pending() > 0 && events <= t.Pending());
  if (events == 0) events = t.Pending();
  const StoredEvent& last = t.events[t.first + events - 1];
  CommitRecord commit;
  commit.first = t.events[t.first].seq;
  commit.last = last.seq;
  commit.key_id = signer.key_id();
  commit.signature = signer.Sign(CommitMessage(commit.first, commit.last, last.hash));
  return Write(std::move(commit), projections);
}

Result<CommitRecord> WriteTxn::Commit(const std::string& key_id, const SignFn& sign,
                                      uint64_t events, bool projections) {
  Impl& t = *impl_;
  VLEDGER_ASSERT(t.Pending() > 0 && events <= t.Pending());
  if (events == 0) events = t.Pending();
  const StoredEvent& last = t.events[t.first + events - 1];
  CommitRecord commit;
  commit.first = t.events[t.first].seq;
  commit.last = last.seq;
  commit.key_id = key_id;
  VLEDGER_ASSIGN_OR_RETURN(
      commit.signature,
      sign(commit.first, commit.last, CommitMessage(commit.first, commit.last, last.hash)));
  return Write(std::move(commit), projections);
}

Result<CommitRecord> WriteTxn::CommitSigned(CommitRecord commit, bool projections) {
  Impl& t = *impl_;
  VLEDGER_ASSERT(!projections || t.ledger->proj_size == t.ledger->size);
  if (t.Pending() == 0 || commit.first != t.events[t.first].seq ||
      commit.last != t.events.back().seq) {
    return Status::VerificationFailed(
        Msg("commit {}..{} does not cover the pending events", commit.first, commit.last));
  }
  for (size_t i = t.first; i < t.events.size(); i++) {
    if (t.key_ids[i] != commit.key_id) {
      return Status::VerificationFailed(
          Msg("seq {} is not by the commit's key {}", t.events[i].seq, commit.key_id));
    }
  }
  return Write(std::move(commit), projections);
}

Result<CommitRecord> WriteTxn::Write(CommitRecord commit, bool projections) {
  Impl& t = *impl_;
  Ledger::Impl& l = *t.ledger;
  uint64_t count = commit.last - commit.first + 1;
  VLEDGER_ASSERT(commit.first == l.size && count <= t.Pending());
  if (count > kCommitEventsMax) {
    return Status::InvalidInput(
        Msg("a commit holds at most {} events, not {}", kCommitEventsMax, count));
  }
  size_t end = t.first + count;
  for (size_t i = t.first; i < end; i++) {
    const StoredEvent& e = t.events[i];
    if (e.canonical.size() > kEventBytesMax) {
      return Status::InvalidInput(Msg("event {} is {} bytes encoded, over the {} allowed", e.seq,
                                      e.canonical.size(), kEventBytesMax));
    }
  }
  if (!t.merkle) VLEDGER_TRY(t.LoadMerkle());

  rocksdb::WriteBatch& batch = t.batch;
  std::vector<MerkleNode> nodes;
  for (size_t i = t.first; i < end; i++) {
    const StoredEvent& e = t.events[i];
    VLEDGER_ASSERT(t.key_ids[i] == commit.key_id);
    batch.Put(l.cf(kEvents), U64be(e.seq), AsSlice(e.canonical));
    t.tail_chunk.append(AsView(e.hash));
    if (t.tail_chunk.size() == kHashChunkBytesMax) {
      batch.Put(l.cf(kHashes), U64be(e.seq / kHashChunkEvents), t.tail_chunk);
      t.tail_chunk.clear();
    }
    t.merkle->Append(e.hash, &nodes);
  }
  if (!t.tail_chunk.empty()) {
    batch.Put(l.cf(kHashes), U64be(commit.last / kHashChunkEvents), t.tail_chunk);
  }
  for (const MerkleNode& n : nodes) {
    if (n.level < kStoredMerkleLevelMin) continue;
    batch.Put(l.cf(kMerkle), MerkleKey(n.level, n.index), AsSlice(AsView(n.hash)));
  }
  batch.Put(l.cf(kCommits), U64be(commit.last), EncodeCommit(commit));
  for (const auto& [key, value] : t.requests) batch.Put(l.cf(kRequests), key, value);
  size_t persons_end = t.first_person;
  for (; persons_end < t.persons.size(); persons_end++) {
    const Impl::PendingPerson& person = t.persons[persons_end];
    if (person.seq > commit.last) break;  // for an event of a later commit
    if (person.value) {
      batch.Put(l.cf(kPersons), person.ref, *person.value);
    } else {
      batch.Delete(l.cf(kPersons), person.ref);
    }
  }
  size_t names_end = t.first_name;
  for (; names_end < t.names.size(); names_end++) {
    const Impl::PendingPerson& row = t.names[names_end];
    if (row.seq > commit.last) break;  // for an event of a later commit
    if (row.value) {
      batch.Put(l.cf(kNames), row.ref, *row.value);
    } else {
      batch.Delete(l.cf(kNames), row.ref);
    }
  }
  std::string head = U64be(commit.last + 1);
  head.append(AsView(t.events[end - 1].hash));
  batch.Put(l.cf(kDefault), AsSlice(kHeadKey), head);
  if (projections) batch.Put(l.cf(kDefault), AsSlice(kProjKey), U64be(commit.last + 1));

  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = l.db->Write(wo, &batch);
  if (!s.ok()) {
    // The batch is all or nothing; forget the pending commit entirely.
    Abort();
    return StorageError(s, Msg("write commit"));
  }
  l.size = commit.last + 1;
  l.head = t.events[end - 1].hash;
  if (projections) l.proj_size = l.size;
  l.FlushAfterLargeCommit(batch.GetDataSize());
  batch.Clear();
  t.requests.clear();
  t.first_person = persons_end;
  if (t.first_person == t.persons.size()) {
    t.persons.clear();
    t.first_person = 0;
  }
  t.first_name = names_end;
  if (t.first_name == t.names.size()) {
    t.names.clear();
    t.first_name = 0;
    t.last_name.clear();
  }
  // Committed events stay until the last is committed: HashOf reads them.
  for (size_t i = t.first; i < end; i++) std::string().swap(t.events[i].canonical);
  t.first = end;
  if (t.first == t.events.size()) {
    t.events.clear();
    t.key_ids.clear();
    t.first = 0;
  }
  return commit;
}

}  // namespace vledger
