// The name index (name_index.h).
#include "name_index.h"

#include <malloc.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "guard.h"
#include "pinyin.h"
#include "vledger/ledger/channel.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/small_bytes.h"
#include "vledger/projections/state.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

using RowChanges = std::vector<std::pair<std::string, std::optional<std::string>>>;

// Rows written per batch when filling in the pinyin of the index.
constexpr size_t kIndexBatchRows = 50'000;
// Rows of a rebuilt index written on two threads from this many.
constexpr size_t kRowsInParts = 65'536;

std::string Key(std::string_view prefix, std::string_view id) {
  std::string key(prefix);
  key += id;
  return key;
}

// The rows of `r` (resident `id`) to add (value) or drop (nullopt).
void RowsOf(std::string_view id, const IndexedResident& r, bool add, RowChanges* out) {
  auto value = [&](std::string v) {
    return add ? std::optional<std::string>(std::move(v)) : std::nullopt;
  };
  out->emplace_back(NameKey(r.name, id), value(r.village));
  out->emplace_back(Key(kNameResidentPrefix, id), value(r.Encode()));
  if (!r.pinyin.empty()) out->emplace_back(PinyinKey(kPinyinPrefix, r.pinyin, id), value(""));
  if (!r.initials.empty()) {
    out->emplace_back(PinyinKey(kInitialsPrefix, r.initials, id), value(""));
  }
}

Status Write(Ledger& writer, RowChanges* rows) {
  if (rows->empty()) return Status::Ok();
  // In key order, RocksDB inserts each row next to the one before instead
  // of searching its memtable from the top; stable, so a row deleted and
  // put again in one batch keeps that order.
  std::stable_sort(rows->begin(), rows->end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  VLEDGER_TRY(writer.WriteNameRows(*rows));
  rows->clear();
  return Status::Ok();
}

// The pinyin reader over the c/ rows of `ledger`.
Pinyin PinyinOver(const Ledger& ledger) {
  return Pinyin([&ledger](std::string_view ch) { return ledger.GetNameRow(Key(kCharPrefix, ch)); });
}

void AddLearned(Pinyin& pinyin, RowChanges* rows) {
  for (auto& [ch, reading] : pinyin.TakeLearned()) {
    rows->emplace_back(Key(kCharPrefix, ch), std::move(reading));
  }
}

// Sorts `items` by `less`, the second half on a thread of its own, then
// merges the halves: a rebuild's sorts are of hundreds of thousands of
// items, with the second core otherwise idle.
template <typename T, typename Less>
void SortOnTwoThreads(std::vector<T>& items, Less less) {
  constexpr size_t kSortAloneBelow = 4096;  // a thread costs more than it saves
  auto middle = items.begin() + static_cast<std::ptrdiff_t>(items.size() / 2);
  if (items.size() < kSortAloneBelow) {
    std::sort(items.begin(), items.end(), less);
    return;
  }
  std::thread second([&] { std::sort(middle, items.end(), less); });
  std::sort(items.begin(), middle, less);
  second.join();
  std::inplace_merge(items.begin(), middle, items.end(), less);
}

// Rows kept in blocks of 1 MiB and sorted by key before they are written
// as one table file: 1.1 million rows of a county's index, where a batch
// of them at a time in RocksDB's memtables cost a search of the memtable
// for each row, and a flush and compaction after.
class SortedRows {
 public:
  void Reserve(size_t rows) { rows_.reserve(rows); }
  void Add(std::string_view key, std::string_view value) {
    size_t size = key.size() + value.size();
    if (blocks_.empty() || used_ + size > kBlockBytes) {
      // Not cleared first: only the bytes copied in below are ever read.
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(std::max(size, kBlockBytes)));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::copy(key.begin(), key.end(), at);
    std::copy(value.begin(), value.end(), at + key.size());
    used_ += size;
    std::string_view rest = key.size() > 8 ? key.substr(8) : std::string_view();
    rows_.push_back(Row{IdHead(key), IdHead(rest), at, static_cast<uint32_t>(key.size()),
                        static_cast<uint32_t>(value.size())});
  }
  // In key order; a row given twice (the same key and value) once. Two
  // values under one key would be a fault of the caller, which
  // Ledger::ReplaceNameRows refuses (keys not strictly ascending).
  void Sort() {
    std::sort(rows_.begin(), rows_.end(), Less);
    rows_.erase(std::unique(rows_.begin(), rows_.end(), Same), rows_.end());
  }
  // The rows of two sorted sets in key order, a row in both once, in
  // `parts` runs of about as many rows each, every row of a run before
  // those of the next (Ledger::ReplaceNameRows writes them at once).
  static std::vector<Ledger::RowsFn> InParts(const SortedRows& a, const SortedRows& b,
                                             size_t parts) {
    const std::vector<Row>& more = a.rows_.size() >= b.rows_.size() ? a.rows_ : b.rows_;
    // Where the runs start in each: at a row of the larger set, so that a
    // row both sets hold goes to the same run (the same as the split row,
    // it is not less than it: in that run, not the one before).
    std::vector<size_t> in_a{0}, in_b{0};
    for (size_t k = 1; k < parts && !more.empty(); k++) {
      const Row& split = more[more.size() * k / parts];
      in_a.push_back(static_cast<size_t>(
          std::lower_bound(a.rows_.begin(), a.rows_.end(), split, Less) - a.rows_.begin()));
      in_b.push_back(static_cast<size_t>(
          std::lower_bound(b.rows_.begin(), b.rows_.end(), split, Less) - b.rows_.begin()));
    }
    in_a.push_back(a.rows_.size());
    in_b.push_back(b.rows_.size());
    std::vector<Ledger::RowsFn> runs;
    for (size_t k = 0; k + 1 < in_a.size(); k++) {
      auto i = a.rows_.begin() + static_cast<std::ptrdiff_t>(in_a[k]);
      auto i_end = a.rows_.begin() + static_cast<std::ptrdiff_t>(in_a[k + 1]);
      auto j = b.rows_.begin() + static_cast<std::ptrdiff_t>(in_b[k]);
      auto j_end = b.rows_.begin() + static_cast<std::ptrdiff_t>(in_b[k + 1]);
      runs.push_back([i, i_end, j, j_end](const Ledger::RowPut& put) {
        return Merge(i, i_end, j, j_end, put);
      });
    }
    return runs;
  }
  size_t size() const { return rows_.size(); }

 private:
  static constexpr size_t kBlockBytes = 1 << 20;
  // Many keys share their first eight bytes (a prefix and a name's first
  // characters, or an id's first digits): the next eight tell most of them
  // apart without reading the key.
  struct Row {
    uint64_t head, head2;  // IdHead of the key's first eight bytes, of the next eight
    const char* at;
    uint32_t key_size, value_size;
    std::string_view key() const { return {at, key_size}; }
    std::string_view value() const { return {at + key_size, value_size}; }
  };
  static bool Less(const Row& a, const Row& b) {
    if (a.head != b.head) return a.head < b.head;
    if (a.head2 != b.head2) return a.head2 < b.head2;
    int c = a.key().compare(b.key());
    return c != 0 ? c < 0 : a.value() < b.value();
  }
  static bool Same(const Row& a, const Row& b) {
    return a.head == b.head && a.head2 == b.head2 && a.key() == b.key() && a.value() == b.value();
  }
  using Rows = std::vector<Row>::const_iterator;
  // The rows [i, i_end) and [j, j_end), each sorted, in key order, a row
  // in both once.
  static Status Merge(Rows i, Rows i_end, Rows j, Rows j_end, const Ledger::RowPut& put) {
    const Row* last = nullptr;
    while (i != i_end || j != j_end) {
      bool from_i = j == j_end || (i != i_end && !Less(*j, *i));
      const Row& row = from_i ? *i++ : *j++;
      if (last != nullptr && Same(*last, row)) continue;
      VLEDGER_TRY(put(row.key(), row.value()));
      last = &row;
    }
    return Status::Ok();
  }
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;
  std::vector<Row> rows_;
};

Status Damaged(std::string_view key) {
  return Status::Corruption(
      Msg("name index row {} is malformed (`vledger rebuild` writes the "
          "index again)",
          std::string(key)));
}

}  // namespace

std::string IndexedResident::Encode() const {
  std::string out = name;
  for (const std::string* part : {&village, &pinyin, &initials}) {
    out += '\0';
    out += *part;
  }
  return out;
}

std::optional<IndexedResident> IndexedResident::Decode(std::string_view row) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t end = row.find('\0', start);
    parts.emplace_back(row.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() != 4 || parts[0].empty()) return std::nullopt;
  return IndexedResident{parts[0], parts[1], parts[2], parts[3]};
}

std::string NameKey(std::string_view name, std::string_view id) {
  return PinyinKey(kNamePrefix, name, id);
}

std::string PinyinKey(std::string_view prefix, std::string_view reading, std::string_view id) {
  std::string key(prefix);
  key += reading;
  key += '\0';
  key += id;
  return key;
}

std::string_view IdOfKey(std::string_view key) {
  size_t nul = key.rfind('\0');
  return nul == std::string_view::npos ? std::string_view() : key.substr(nul + 1);
}

Status IndexResident(WriteTxn& txn, std::string_view id, std::string_view village,
                     std::string_view name, bool replace) {
  if (replace) VLEDGER_TRY(UnindexResident(txn, id));
  RowChanges rows;
  RowsOf(id, IndexedResident{std::string(name), std::string(village), "", ""}, true, &rows);
  rows.emplace_back(Key(kPinyinPendingPrefix, id), std::string());
  for (auto& [key, value] : rows) txn.PutNameRow(key, std::move(value));
  return Status::Ok();
}

Status UnindexResident(WriteTxn& txn, std::string_view id) {
  std::string key = Key(kNameResidentPrefix, id);
  VLEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row, txn.GetNameRow(key));
  if (!row) return Status::Ok();
  std::optional<IndexedResident> old = IndexedResident::Decode(*row);
  if (!old) return Damaged(key);
  RowChanges rows;
  RowsOf(id, *old, false, &rows);
  rows.emplace_back(Key(kPinyinPendingPrefix, id), std::nullopt);
  for (auto& [k, value] : rows) txn.PutNameRow(k, std::move(value));
  return Status::Ok();
}

Result<uint64_t> FillPinyin(Ledger& writer) {
  std::vector<std::string> pending;
  VLEDGER_TRY(
      writer.ScanNameRows(kPinyinPendingPrefix, [&](std::string_view key, std::string_view) {
        pending.emplace_back(key.substr(kPinyinPendingPrefix.size()));
        return true;
      }));
  Pinyin pinyin = PinyinOver(writer);
  RowChanges rows;
  for (const std::string& id : pending) {
    std::string key = Key(kNameResidentPrefix, id);
    VLEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row, writer.GetNameRow(key));
    if (!row) continue;  // unindexed since: nothing to read
    std::optional<IndexedResident> r = IndexedResident::Decode(*row);
    if (!r) return Damaged(key);
    // An earlier reading's rows go (a fill cut short is done again).
    if (!r->pinyin.empty())
      rows.emplace_back(PinyinKey(kPinyinPrefix, r->pinyin, id), std::nullopt);
    if (!r->initials.empty()) {
      rows.emplace_back(PinyinKey(kInitialsPrefix, r->initials, id), std::nullopt);
    }
    VLEDGER_ASSIGN_OR_RETURN(PinyinReading reading, pinyin.Of(r->name));
    r->pinyin = std::move(reading.full);
    r->initials = std::move(reading.initials);
    RowsOf(id, *r, true, &rows);
    AddLearned(pinyin, &rows);
    if (rows.size() >= kIndexBatchRows) VLEDGER_TRY(Write(writer, &rows));
  }
  // The q/ rows go last, all in one write: the store compacts a range of
  // many deleted rows away, so later scans of q/ do not step over them.
  for (const std::string& id : pending)
    rows.emplace_back(Key(kPinyinPendingPrefix, id), std::nullopt);
  VLEDGER_TRY(Write(writer, &rows));
  return static_cast<uint64_t>(pending.size());
}

namespace {

ResidentToIndex ToIndex(const ResidentState::Brief& r) {
  return ResidentToIndex{IdHead(r.person_ref), r.person_ref, r.id, r.village};
}

}  // namespace

std::vector<ResidentToIndex> ResidentsToIndex(StateStore& state) {
  std::vector<ResidentToIndex> residents;
  residents.reserve(state.table<ResidentState>().in_memory());
  ForEachResidentBrief(state,
                       [&](const ResidentState::Brief& r) { residents.push_back(ToIndex(r)); });
  return residents;
}

Result<uint64_t> RebuildNameIndex(Ledger& writer,
                                  std::optional<std::vector<ResidentToIndex>> given) {
  using Resident = ResidentToIndex;
  // Declared before the threads below, so that it outlives them however
  // this function is left (their batches point into it).
  std::vector<Resident> residents;
  // This thread reads the person records and joins them to the residents;
  // two more decode them, read the names in pinyin and make the rows, each
  // with its own reading of pinyin (ICU's) and its own rows, sorted on that
  // thread at the end and merged as they are written. The batches go to
  // them in turn, each numbered, so that of two failures the one of the
  // earlier batch is reported, as by one thread (a maker takes its batches
  // in order and stops at its first failure).
  struct Joined {
    const Resident* resident = nullptr;
    std::string ref, value;
  };
  struct Batch {
    std::vector<Joined> items;
    size_t n = 0;
    uint64_t number = 0;
  };
  // At most kQueued batches wait for each maker, one is filled and one
  // worked on, so those handed back never fill `spent`.
  constexpr size_t kBatchRecords = 1024, kQueued = 4, kMakers = 2;
  struct Maker {
    Channel<Batch> full{kQueued}, spent{kQueued + 4};
    SortedRows sorted;
    uint64_t indexed = 0;
    Status made;          // its first failure
    uint64_t failed = 0;  // the number of the batch it worked on last
    std::thread thread;
  };
  std::array<Maker, kMakers> makers;
  auto make_rows = [](Maker& m, bool start_now) {
    // The index is made from nothing: the characters' readings it kept are
    // learned again, none read from the index being replaced.
    Pinyin pinyin([](std::string_view) { return std::optional<std::string>(); });
    // For more than a batch of residents, ICU's start (a sixth of a second)
    // is paid while the rest of them are read, not when the first name
    // comes; for fewer, at the first Han character, if any (the second
    // thread then has nothing to read). A failure here is left to the
    // first name's reading, which tries again and reports it.
    if (start_now) (void)pinyin.Start();
    RowChanges rows;
    auto make = [&](const Joined& j) -> Status {
      VLEDGER_ASSIGN_OR_RETURN(PersonRecord record, PersonRecord::DecodeRow(j.ref, j.value));
      IndexedResident r{record.person.name, std::string(j.resident->village.view()), "", ""};
      VLEDGER_ASSIGN_OR_RETURN(PinyinReading reading, pinyin.Of(r.name));
      r.pinyin = std::move(reading.full);
      r.initials = std::move(reading.initials);
      RowsOf(j.resident->id, r, true, &rows);
      AddLearned(pinyin, &rows);
      for (const auto& [key, row] : rows) m.sorted.Add(key, *row);
      rows.clear();
      m.indexed++;
      return Status::Ok();
    };
    try {
      while (std::optional<Batch> batch = m.full.Pop()) {
        m.failed = batch->number;
        for (size_t i = 0; i < batch->n && m.made.ok(); i++) m.made = make(batch->items[i]);
        if (!m.made.ok()) break;
        m.spent.Push(std::move(*batch));
      }
    } catch (...) {
      m.made = CaughtStatus();
    }
    m.full.Close();  // after a failure, the reading thread stops at its next batch for it
    if (m.made.ok()) m.sorted.Sort();
  };
  // However this thread leaves (an exception included), the makers are
  // stopped and joined first.
  struct Joiner {
    std::array<Maker, kMakers>& makers;
    ~Joiner() {
      for (Maker& m : makers) m.full.Close();
      for (Maker& m : makers) {
        if (m.thread.joinable()) m.thread.join();
      }
    }
  } joiner{makers};
  auto start_makers = [&](bool start_now) {
    for (Maker& m : makers) m.thread = std::thread(make_rows, std::ref(m), start_now);
  };
  // The residents in person-ref order, joined with one pass over the
  // person records (in the same order): a point read per resident cost
  // more than the rest of the rebuild of the index.
  if (given) {
    residents = std::move(*given);
    start_makers(residents.size() > kBatchRecords);
  } else {
    // Only three fields of each are read, without loading the residents
    // into the state.
    VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(writer));
    ForEachResidentBrief(*state, [&](const ResidentState::Brief& r) {
      if (residents.size() == kBatchRecords) start_makers(true);
      residents.push_back(ToIndex(r));
    });
    if (residents.size() <= kBatchRecords) start_makers(false);
    // The state's memory is given back before the index's rows are made (a
    // rebuild's peak is its replay, not this).
    state.reset();
    malloc_trim(0);
  }
  SortOnTwoThreads(residents, [](const Resident& a, const Resident& b) {
    if (a.head != b.head) return a.head < b.head;
    return std::pair(a.person_ref.view(), a.id.view()) <
           std::pair(b.person_ref.view(), b.id.view());
  });
  // Up to four rows a resident, and one for each character whose reading
  // is learned (a few thousand): the rows are not moved again as they grow.
  // A maker touches its rows only once it has a batch (after this).
  for (Maker& m : makers) m.sorted.Reserve(residents.size() * 4 / kMakers + 16'384);
  Batch batch;
  uint64_t handed = 0;  // batches handed over
  auto hand_over = [&]() -> bool {
    if (batch.n == 0) return true;
    Maker& to = makers[handed % kMakers];
    batch.number = handed++;
    if (!to.full.Push(std::move(batch))) return false;
    batch = makers[handed % kMakers].spent.TryPop().value_or(Batch());
    batch.n = 0;
    return true;
  };
  size_t next = 0;
  Status scan = writer.ScanPersons([&](std::string_view ref, std::string_view value) -> Status {
    // Residents whose record is not stored (erased) are skipped.
    while (next < residents.size() && residents[next].person_ref.view() < ref) next++;
    for (; next < residents.size() && residents[next].person_ref.view() == ref; next++) {
      if (batch.n == batch.items.size()) batch.items.emplace_back();
      Joined& j = batch.items[batch.n++];
      j.resident = &residents[next];
      j.ref.assign(ref);
      j.value.assign(value);
      if (batch.n == kBatchRecords && !hand_over()) return Status::Internal("stopped");
    }
    return Status::Ok();
  });
  if (scan.ok()) hand_over();
  for (Maker& m : makers) m.full.Close();
  for (Maker& m : makers) m.thread.join();
  // A failed record comes before any row the reading thread had not read.
  const Maker* failed = nullptr;
  for (const Maker& m : makers) {
    if (!m.made.ok() && (failed == nullptr || m.failed < failed->failed)) failed = &m;
  }
  if (failed != nullptr) return failed->made;
  VLEDGER_TRY(scan);
  residents = {};
  // Written into table files on two threads, each a half of the rows in
  // key order (a county's 1.1 million rows: compressing them and building
  // the files' blocks and filters was half a second on one).
  const size_t parts = makers[0].sorted.size() + makers[1].sorted.size() >= kRowsInParts ? 2 : 1;
  VLEDGER_TRY(
      writer.ReplaceNameRows(SortedRows::InParts(makers[0].sorted, makers[1].sorted, parts)));
  return makers[0].indexed + makers[1].indexed;
}

}  // namespace vledger::app
