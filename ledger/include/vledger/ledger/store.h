// The ledger folder: the event log, its indexes and projections, stored in
// one RocksDB database. RocksDB stays behind this header.
//
// Folder layout:   DIR/db/       RocksDB (column families below)
//                  DIR/writer.lock   flock()ed by the one writer
// Column families: events       u64be(seq) -> C(e)          (SPEC section 5)
//                  hashes       u64be(chunk) -> h[chunk * 256 ...], up to
//                               256 record hashes (the last chunk grows)
//                  commits      u64be(last) -> first, key id, signature
//                  merkle       u8 level || u64be index -> perfect subtree root,
//                               levels 8 and up (lower nodes are computed
//                               from a chunk of hashes)
//                  state        projection rows (state.h)
//                  persons      personRef -> salt(16) || C(Person)
//                               (person_store.h, PersonRecord)
//                  checkpoints  u64be(size) -> signed checkpoint text
//                  requests     request ids and import progress (request_store.h;
//                               kept by rebuild)
//                  names        the name index: personal data derived from
//                               the person records (the application layer's
//                               keys; never archived, never copied by a
//                               backup, built again by rebuild and restore)
//                  default      meta: head (size, h[size-1]); proj (u64be size
//                               the state rows are as of); withheld (u64be
//                               size: restored from a public archive)
// Every commit is one synced WriteBatch across all of them, so a reader or
// a crash sees a commit wholly or not at all. The state rows may be behind
// the log (proj < size): an import writes them once, with its last commit;
// `CatchUp` (projections/verify.h) brings them up to date.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vledger/ledger/archive.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/merkle.h"
#include "vledger/ledger/person_store.h"
#include "vledger/ledger/request_store.h"
#include "vledger/ledger/rows.h"
#include "vledger/ledger/status.h"

namespace vledger {

struct StoredEvent {
  uint64_t seq = 0;
  Hash hash{};
  std::string canonical;  // C(e), exactly the hashed bytes
};

class WriteTxn;

// The lowest level of Merkle nodes the store keeps: a node of level 8
// covers exactly one chunk of 256 record hashes.
inline constexpr int kStoredMerkleLevelMin = 8;

// Bounds on what one commit may write (docs/LIMITS.md). Both sit far below
// what the store can read back (DecodeEvent takes up to 16 MiB) and keep a
// pending commit's memory bounded.
inline constexpr size_t kEventBytesMax = 1 << 20;      // C(e) of one event
inline constexpr uint64_t kCommitEventsMax = 200'000;  // events in one commit

class Ledger {
 public:
  enum class Access { kReader, kWriter };
  struct OpenOptions {
    Access access = Access::kReader;
    int wait_seconds = 0;  // writer: wait this long for another writer to finish
  };

  // Creates an empty ledger folder (absent or empty DIR) and opens it as writer.
  static Result<std::unique_ptr<Ledger>> Create(const std::string& dir);
  // Opens an existing ledger. Unavailable when missing or locked by another
  // writer, Corruption when damaged, Io when a file cannot be read.
  static Result<std::unique_ptr<Ledger>> Open(const std::string& dir, const OpenOptions& options);
  // A reader of `writer`'s database as of now (a RocksDB snapshot: whole
  // commits only), opened at no cost: for a server's concurrent reads.
  // It must be closed before `writer`; the writer may commit meanwhile.
  static Result<std::unique_ptr<Ledger>> OpenView(const Ledger& writer);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  const std::string& dir() const;
  bool writer() const;
  uint64_t size() const;  // number of events
  Hash head() const;      // h[size-1], or zeros when empty
  // The number of events the stored projection rows are as of (<= size()).
  uint64_t proj_size() const;

  Result<StoredEvent> ReadEvent(uint64_t seq) const;
  Result<Event> ReadDecoded(uint64_t seq) const;
  Result<Hash> ReadHash(uint64_t seq) const;

  // Streams events [from, to) in seq order; stops at the first non-ok Status
  // that fn returns and returns it.
  Status ScanEvents(uint64_t from, uint64_t to,
                    const std::function<Status(const StoredEvent&)>& fn) const;
  // Streams the stored hashes column [from, to), for cross-checking.
  Status ScanHashes(uint64_t from, uint64_t to,
                    const std::function<Status(uint64_t seq, std::string_view hash)>& fn) const;
  // Streams the stored Merkle nodes (levels kStoredMerkleLevelMin and up)
  // in key order: by level, then index.
  Status ScanMerkleNodes(
      const std::function<Status(int level, uint64_t index, const Hash& hash)>& fn) const;
  // Streams commits in order of their last seq.
  Status ScanCommits(const std::function<Status(const CommitRecord&)>& fn) const;
  // The commit that holds seq.
  Result<CommitRecord> CommitOf(uint64_t seq) const;
  // Streams events [0, to) in log order, each commit right after its last
  // event (commits ending at or past `to` are left out). Memory stays flat
  // however many commits there are. Stops at the first non-ok Status.
  Status ScanLog(uint64_t to, const std::function<Status(const StoredEvent&)>& on_event,
                 const std::function<Status(const CommitRecord&)>& on_commit) const;
  // The same for events [from, to); `from` should be a commit's first seq
  // (the commit holding it is given only if it ends at or after `from`).
  Status ScanLog(uint64_t from, uint64_t to,
                 const std::function<Status(const StoredEvent&)>& on_event,
                 const std::function<Status(const CommitRecord&)>& on_commit) const;

  // Projection rows, as of the last whole commit.
  Result<std::optional<std::string>> GetState(std::string_view key) const;
  Status ScanState(std::string_view prefix, const RowSource::ScanFn& fn) const;
  // The stored projection rows, for a StateStore (projections/state.h) to
  // read. Valid while this Ledger is.
  std::unique_ptr<RowSource> Rows() const;
  // Walks the stored projection rows in key order: those from `from` on
  // and, when `to` is not empty, before `to`.
  class StateCursor {
   public:
    virtual ~StateCursor() = default;
    virtual bool Valid() const = 0;
    virtual std::string_view key() const = 0;
    virtual std::string_view value() const = 0;
    virtual void Next() = 0;
    // A storage error after a failed read (Valid() is then false).
    virtual Status status() const = 0;
  };
  std::unique_ptr<StateCursor> NewStateCursor(std::string_view from = {},
                                              std::string_view to = {}) const;

  // What a reader may read of the personal data beside the chain: a
  // server answering a client that may not see every person (SPEC section
  // 12, Server). Set once, right after Open, on a reader only; absent, all.
  // A record the filter refuses reads as absent (LoadPerson, GetPerson,
  // the scans), a name row as absent, and PersonsWithheld is the whole log
  // (`verify` asks for no record it cannot see, `export --full` refuses).
  struct PeopleFilter {
    // Nothing personal at all: no record, no name row.
    bool none = false;
    // Whether the record under `person_ref` may be read (none: not asked).
    std::function<bool(std::string_view person_ref)> person;
    // Whether the name row `key` -> `value` may be read (none: not asked).
    std::function<bool(std::string_view key, std::string_view value)> name_row;
  };
  void SetPeopleFilter(PeopleFilter filter);
  // The filter set, or null.
  const PeopleFilter* people_filter() const;

  // The person record stored under `person_ref`, nullopt when there is
  // none. Corruption, naming the ref, when the stored row is malformed
  // (PersonRecord::DecodeRow). Whether the record matches its ref is the
  // caller's check (record.ref() == person_ref).
  Result<std::optional<PersonRecord>> LoadPerson(std::string_view person_ref) const;
  // Streams every stored person record in ref order. A row that does not
  // decode comes with its error in `record`, for the caller to judge.
  struct StoredPerson {
    std::string_view ref;
    // The stored bytes are the ones `ref` commits to (checked on the bytes
    // themselves, so also for a row that does not decode).
    bool matches_ref = false;
    Result<PersonRecord> record;
  };
  Status ScanPersonRecords(const std::function<Status(const StoredPerson&)>& fn) const;
  // The raw rows, salt(16) || C(Person), by personRef: for tests and the
  // store's own copies. Callers read records through LoadPerson and
  // ScanPersonRecords.
  Result<std::optional<std::string>> GetPerson(std::string_view person_ref) const;
  Status ScanPersons(
      const std::function<Status(std::string_view ref, std::string_view value)>& fn) const;

  // The name index (the `names` family): rows the application layer keys
  // and derives from the person records. Nothing in it is part of the
  // chain. A ledger no writer has opened since the index was added has
  // none: every read finds nothing.
  Result<std::optional<std::string>> GetNameRow(std::string_view key) const;
  // Calls fn(key, value) for the rows whose keys start with `prefix`, in
  // key order, until it returns false.
  Status ScanNameRows(std::string_view prefix, const RowSource::ScanFn& fn) const;
  // Writes name rows (nullopt: delete; keys start with a printable byte) in
  // one synced batch outside any commit. Writer only.
  Status WriteNameRows(const std::vector<std::pair<std::string, std::optional<std::string>>>& rows);
  // Replaces every name row with the rows `rows` gives to its `put`, in
  // strictly ascending key order (keys start with a printable byte). They
  // are written as table files first (a failure, or rows out of order,
  // leaves the index as it was), then the old rows are deleted and the
  // files moved in at the last level, in one step: a crash between the
  // two leaves an empty index, never a part of one. Writer only.
  using RowPut = std::function<Status(std::string_view key, std::string_view value)>;
  using RowsFn = std::function<Status(const RowPut& put)>;
  Status ReplaceNameRows(const RowsFn& rows) { return ReplaceNameRows(std::vector<RowsFn>{rows}); }
  // The same with the rows in parts, each written into table files of its
  // own on a thread of its own (the first on this one): every key of a
  // part is before every key of the next. Of parts that fail, the first
  // one's failure is reported.
  Status ReplaceNameRows(const std::vector<RowsFn>& parts);
  // Table files at level 0 of the families of projection and name rows.
  // Every open reads the whole index and filter of each such file, where
  // it reads only the top of those of files lower down: `rebuild` leaves
  // none. For tests.
  Result<uint64_t> RowFilesAtLevelZero() const;

  // Merkle tree over h[0..size-1]: stored perfect subtrees.
  NodeReader MerkleNodes() const;
  Result<Hash> MerkleRootAt(uint64_t size) const;

  // Writes the person records of a full archive (each under its ref, with
  // its salt and C(Person) as the archive holds them) in one synced batch,
  // outside any commit: for restoring from the archive. Writer only.
  Status RestorePersons(const std::vector<ArchivePerson>& persons);
  // The same with raw rows (personRef, salt || C(Person)): for tests.
  Status PutPersons(const std::vector<std::pair<std::string, std::string>>& rows);

  // A ledger restored from a public archive holds no person records of its
  // first `size` events (the archive's): `verify` does not ask for them and
  // `export --full` refuses. 0 for every other ledger. Writer only.
  Status SetPersonsWithheld(uint64_t size);
  Result<uint64_t> PersonsWithheld() const;

  // Checkpoints beside the log (storing one appends no event). Writer only.
  Status PutCheckpoint(uint64_t size, const std::string& text);
  Result<std::optional<std::string>> GetCheckpoint(uint64_t size) const;
  // The checkpoint with the largest size, if any: (size, text).
  Result<std::optional<std::pair<uint64_t, std::string>>> LatestCheckpoint() const;
  // Every stored checkpoint in size order: fn(size, text).
  Status ScanCheckpoints(
      const std::function<Status(uint64_t size, std::string_view text)>& fn) const;

  // Starts a write transaction. Writer only; one at a time.
  std::unique_ptr<WriteTxn> BeginWrite();

  // Writes projection rows (nullopt: delete) and the size they are now as
  // of, in one synced batch outside any commit (catch-up). Writer only.
  using RowChanges = std::vector<std::pair<std::string, std::optional<std::string>>>;
  Status WriteProjections(const RowChanges& rows, uint64_t proj_size);
  // Replaces every projection row (for `rebuild`), in three steps that a
  // crash may interrupt anywhere: ClearProjections deletes every row and
  // sets proj_size 0 (one synced batch); PutProjectionRows adds rows
  // (unlogged), and PutSortedProjectionRows rows in ascending key order
  // across its calls, after every PutProjectionRows, none of them already
  // put (written as table files, not held in memory);
  // FinishProjections makes them durable and then sets proj_size. A ledger
  // left at proj_size 0 is rebuilt by CatchUp.
  Status ClearProjections();
  using ProjectionRows = std::span<const std::pair<std::string_view, std::string_view>>;
  Status PutProjectionRows(ProjectionRows rows);
  Status PutSortedProjectionRows(ProjectionRows rows);
  // The same for rows held as strings (tests, tools).
  Status PutProjectionRows(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::vector<std::pair<std::string_view, std::string_view>> views(rows.begin(), rows.end());
    return PutProjectionRows(ProjectionRows(views));
  }
  Status PutSortedProjectionRows(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::vector<std::pair<std::string_view, std::string_view>> views(rows.begin(), rows.end());
    return PutSortedProjectionRows(ProjectionRows(views));
  }
  Status FinishProjections(uint64_t proj_size);

  // Request ids and import progress: rows that no replay recreates
  // (request_store.h). Raw rows by key:
  Result<std::optional<std::string>> GetRequestRow(std::string_view key) const;
  Status ScanRequestRows(std::string_view prefix, const RowSource::ScanFn& fn) const;
  // Every import record, by label in byte order, until fn returns false.
  // Corruption ("import record of "LABEL" is damaged") at a damaged one.
  Status ScanImports(
      const std::function<bool(std::string_view label, const ImportRecord& record)>& fn) const;
  // The derived request ids of every row imported under `label`, each with
  // the first seq of the commit that appended it. Corruption ("import
  // progress row of "LABEL" is damaged") when a row is damaged.
  Result<std::unordered_map<std::string, uint64_t>> LoadImportedRows(std::string_view label) const;

  // Checks every table file's block checksums (RocksDB VerifyChecksum).
  Status VerifyStorage() const;

  // Writes a copy of this ledger as it stands (the last whole commit: log,
  // indexes, projections, person store, checkpoints) as a new ledger folder
  // `dir` (absent or empty; AlreadyExists otherwise). The copy is logical — every
  // row read through this instance and written to fresh table files — so a
  // reader can take it beside a live writer without the writer lock, and a
  // damaged source is a storage error rather than copied. A failed backup leaves
  // nothing behind. Returns the number of rows copied.
  Result<uint64_t> Backup(const std::string& dir) const;
  // Copies the ledger folder `backup_dir` (as Backup wrote it) into a new
  // ledger folder `ledger_dir`, which must not exist (AlreadyExists). Verifying
  // the result is the caller's job; a failed copy leaves nothing behind.
  static Result<uint64_t> Restore(const std::string& backup_dir, const std::string& ledger_dir);

  struct Impl;

 private:
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend class WriteTxn;
};

// Pending writes over the ledger: events, projection rows, request rows,
// person records. Commit() seals pending events as one commit signed by
// `signer` and writes it in one synced batch; the transaction can then be
// reused for the next commit. Dropping it without Commit() writes nothing.
class WriteTxn final {
 public:
  ~WriteTxn();

  // A projection row to write with the next commit (nullopt: delete it).
  void PutRow(const std::string& key, const std::optional<std::string>& value);
  // A request row (request ids, import progress) to write with the next commit.
  void PutRequestRow(const std::string& key, const std::string& value);
  // The request row under `key`, pending or stored; nullopt when there is
  // none. A stored row that cannot be read is its storage error.
  Result<std::optional<std::string>> GetRequestRow(std::string_view key);
  // An event, pending or stored.
  Result<Event> ReadEvent(uint64_t seq);
  // C(e) of an event, pending or stored: the bytes ReadEvent decodes.
  Result<std::string> CanonicalOf(uint64_t seq);

  // The request record of request id `id` (request_store.h), pending or
  // stored; nullopt when the id is unused. A storage error when the stored
  // row cannot be read, Corruption when it is damaged. A record written before records kept
  // their key comes with an empty key_id.
  Result<std::optional<RequestRecord>> LoadRequest(std::string_view id);
  // Stores `record` under request id `id` with the next commit.
  void StoreRequest(std::string_view id, const RequestRecord& record);
  // The import record of `label`, pending or stored; nullopt when there is
  // none. Corruption ("import record of "LABEL" is damaged") when damaged.
  Result<std::optional<ImportRecord>> LoadImport(std::string_view label);
  void StoreImport(std::string_view label, const ImportRecord& record);
  // Records `derived_ids` (kImportedRowIdBytes each) as imported under
  // `label` by the commit whose first seq is `first_seq`.
  void StoreImportedRows(std::string_view label, uint64_t first_seq, std::string_view derived_ids);

  // Person records go with the commit of the next event added (the one
  // that references them).
  // The record under `ref`, pending or stored; nullopt when there is none
  // (or it is deleted in this transaction). Corruption, naming the ref,
  // when the stored row is malformed.
  Result<std::optional<PersonRecord>> LoadPerson(std::string_view ref);
  // Stages `record` under its ref, which it returns.
  std::string PutPerson(const PersonRecord& record);
  void DeletePerson(std::string_view ref);
  // Raw rows (personRef, salt || C(Person)): for tests.
  Result<std::optional<std::string>> GetPerson(std::string_view ref);
  void PutPerson(std::string_view ref, std::string_view value);

  // A name index row (Ledger::GetNameRow; nullopt: delete) to write with
  // the commit of the next event added, as a person record is.
  void PutNameRow(std::string_view key, std::optional<std::string> value);
  // The name row under `key`, pending or stored.
  Result<std::optional<std::string>> GetNameRow(std::string_view key);
  // The stored name rows under `prefix` (pending ones are not seen).
  Status ScanNameRows(std::string_view prefix, const RowSource::ScanFn& fn);

  // Seq the next added event will get.
  uint64_t next_seq() const;
  // Number of events pending in this commit.
  uint64_t pending_events() const;
  // Adds an event (already encoded, and `decoded` as it was encoded) to
  // the pending commit; returns its seq.
  uint64_t AddEvent(std::string canonical, Event decoded);
  // Room for `n` more pending events, so that a transaction that will hold
  // many (an import's) does not move them as it grows.
  void ReserveEvents(size_t n);
  // Room in the commit's write batch, while it is empty, for `rows`
  // projection rows and the pending events, so that a commit of many (an
  // import's last, with every resident it named) is not copied again and
  // again as it grows. An estimate: more rows or longer ones only grow it.
  void ReserveRows(size_t rows);
  // h of a pending or stored event. Throws RowReadError (rows.h) when the
  // stored hash of an older event cannot be read; the hashes of the
  // events of this transaction are in memory.
  Hash HashOf(uint64_t seq);

  // Signs and writes the first `events` pending events (0: all of them)
  // as one commit, with the staged rows and the person records of those
  // events; later events stay pending. With `projections`, the staged rows
  // bring the projections up to the end of this commit (proj_size moves
  // with it: the rows must hold every change since proj_size); without,
  // they stay where they were. A storage error (reading the Merkle tree and
  // the last record hashes this commit extends, or the write) is returned
  // as Corruption or Io; a commit past kCommitEventsMax events or with an
  // event past kEventBytesMax bytes is InvalidInput, writing nothing.
  Result<CommitRecord> Commit(const PrivateKey& signer, uint64_t events = 0,
                              bool projections = true);
  // The same with the signature made by `sign` (given the commit's first
  // and last seq and its CommitMessage) under `key_id`: a signer outside
  // this process (app/signer.h). A non-ok Status from `sign` writes
  // nothing and leaves the events pending.
  using SignFn =
      std::function<Result<std::string>(uint64_t first, uint64_t last, const std::string& message)>;
  Result<CommitRecord> Commit(const std::string& key_id, const SignFn& sign, uint64_t events = 0,
                              bool projections = true);
  // Seals the pending events as `commit`, a commit signed elsewhere (one
  // read from an archive, whose signature the caller has checked): it must
  // cover exactly the pending events, all by its key (VerificationFailed
  // otherwise).
  // Without `projections`, the projections are left as they were (the
  // caller rebuilds them); with it, the staged rows bring them up to the
  // end of this commit, as Commit's do (they must be as of its first seq).
  Result<CommitRecord> CommitSigned(CommitRecord commit, bool projections = false);
  // Forgets everything pending.
  void Abort();

 private:
  friend class Ledger;
  explicit WriteTxn(Ledger::Impl* ledger);
  Result<CommitRecord> Write(CommitRecord commit, bool projections);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vledger
