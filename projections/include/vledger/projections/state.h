// StateStore: the projection state that ApplyEvent validates against and
// updates, and that every query reads.
//
// Projections (balances, registries, rankings) are pure functions of the
// log. They are kept as rows in the ledger's state column family, so a
// command validates against them without replaying the log. Two kinds:
//
//  - Entities (a resident with its balances, a village, a fund, ...): one
//    row each, decoded once into a typed Table<T> and encoded again only
//    when written. Hot paths work on these.
//  - Plain rows (objections, reversals, pending entries, ...): rare, kept
//    as bytes.
//
// A third kind, index rows, are written once and never read by ApplyEvent
// (history chunks, fund movements, for queries): Emit() writes them, and
// a replay that only checks (verify) drops them; their owners keep a hash
// chain over them so that the stored ones can still be checked (verify.h).
//
// The same class serves the live ledger and replay. Live, it reads rows
// through a RowSource as needed and keeps every change pending until
// TakeWrites() hands them to the commit; replay starts empty and keeps
// everything in memory. Live, a stored row that cannot be read throws
// RowReadError (rows.h) from the read: it is never taken for an absent
// row. Either way it is discarded after a rejected event: handlers
// validate before they write, but a multi-event command may have applied
// earlier events.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "vledger/ledger/event.h"
#include "vledger/ledger/rows.h"
#include "vledger/ledger/status.h"
#include "vledger/projections/id_map.h"

namespace vledger {

class Ledger;
class StateStore;

// The first eight bytes of an id as a big-endian number (zeros past its
// end): ids compare as these numbers do, up to the ninth byte.
inline uint64_t IdHead(std::string_view id) {
  uint64_t head = 0;
  for (size_t i = 0; i < 8; i++) {
    head = head << 8 | (i < id.size() ? static_cast<uint8_t>(id[i]) : 0);
  }
  return head;
}

// Transparent hash, so tables are searched by string_view without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Type-erased part of a table, for writing and listing rows.
class TableBase {
 public:
  virtual ~TableBase() = default;
  virtual std::string_view prefix() const = 0;
  // Appends the id of an entity's row key to *key (T::RowId, below).
  virtual void AppendRowId(std::string* key, std::string_view id) const = 0;
  // Calls fn(key, value or nullopt for a deleted row) for each entity
  // changed since the last call, and marks them clean.
  virtual void TakeDirty(
      const std::function<void(const std::string& key, const std::optional<std::string>&)>& fn) = 0;
  // Every entity in memory that exists, in id byte order, as a handle to
  // its map entry: 16 bytes (a county's list is hundreds of thousands
  // long). Id() and EncodeRow() read it, Table<T>::IdOf and EntityOf too.
  struct Sorted {
    uint64_t head;  // IdHead(id), for sorting
    const void* entry;
  };
  virtual std::vector<Sorted> SortedEntities() const = 0;
  virtual std::string_view Id(const Sorted& s) const = 0;
  // The encoded row of an entity listed by SortedEntities.
  virtual std::string EncodeRow(const Sorted& s) const = 0;
  // Entities changed since the last TakeDirty.
  virtual size_t dirty_count() const = 0;
  // Frees the index by id (IdMap::DropIndex; StateStore::DropIndexes).
  virtual void DropIndex() = 0;
};

// One entity kind. T provides:
//   static constexpr int kTableId;              distinct, < kTableKinds
//   static constexpr std::string_view kPrefix;  its rows' key prefix
//   std::string EncodeRow() const;
//   static T DecodeRow(std::string_view id, std::string_view row);
// and, when the ids it keeps in memory are not those of its row keys (they
// must sort alike):
//   static std::string RowId(std::string_view id);         the row key's id
//   static std::string MemoryId(std::string_view row_id);  the inverse;
//                                      throws RowReadError when malformed
// DecodeRow and DecodeBrief are given the row key's id (for messages).
template <typename T>
class Table final : public TableBase {
 public:
  // `live`: the owner reads and writes stored rows, so the table keeps
  // the entities changed since the last TakeDirty. A replay's are never
  // written from here (its rows are listed whole, ForEachRow), so it
  // keeps no such list: a pointer for every entity of a county.
  Table(StateStore* owner, bool live) : owner_(owner), live_(live) {}

  // The entity, or nullptr when there is none (loaded on first use).
  const T* Find(std::string_view id) {
    Entry* e = Load(id);
    return e != nullptr && Present(*e) ? &e->second : nullptr;
  }
  // The same, for changing it: the entity is written at the next commit.
  T* Mutable(std::string_view id) {
    Entry* e = Load(id);
    if (e == nullptr || !Present(*e)) return nullptr;
    MarkDirty(e);
    return &e->second;
  }
  // Adds a new entity (there must be none under `id`).
  T& Insert(std::string_view id, T value) {
    Entry* e = Load(id);
    if (e == nullptr) e = last_ = map_.Add(id, T{});
    VLEDGER_ASSERT(!Present(*e));
    Set(*e, std::move(value));
    MarkDirty(e);
    return e->second;
  }
  // Adds the entity under `id`, or replaces the one there.
  void Put(std::string_view id, T value) {
    Entry* e = Load(id);
    if (e == nullptr) e = last_ = map_.Add(id, T{});
    Set(*e, std::move(value));
    MarkDirty(e);
  }
  // Cache hints for an entity a replay will look up soon, in three stages
  // run some events apart (PrefetchAhead, apply.h): the index slot, the
  // entity, then what the entity points to (T::Prefetch, when T has it).
  // They only load memory; a live table (which reads rows) ignores them.
  void Hint(std::string_view id, int stage) const;
  // Loads the rows of `ids` that are not in memory yet with one read.
  void Prefetch(std::vector<std::string> ids);
  static constexpr size_t kPrefetchScanMin = 20'000;
  // Every entity, in id byte order: fn(id, entity). Live, this loads
  // every stored row of the kind; use it for small kinds only.
  template <typename F>
  void ForEach(F&& fn) {
    LoadAll();
    for (const Sorted& s : SortedEntities()) fn(IdOf(s), EntityOf(s));
  }

  // Every entity in no particular order as T::Brief (a few of its
  // fields): fn(brief). Live, the stored rows not in memory are read with
  // T::DecodeBrief and not loaded, so a pass over a large kind keeps
  // no entity.
  template <typename F>
  void ForEachBrief(F&& fn);

  // Every entity in no particular order.
  template <typename F>
  void ForEachUnordered(F&& fn) {
    LoadAll();
    for (const Entry& e : map_) {
      if (Present(e)) fn(e.first.view(), e.second);
    }
  }

  std::string_view prefix() const override { return T::kPrefix; }
  void AppendRowId(std::string* key, std::string_view id) const override { AppendKeyId(*key, id); }
  void TakeDirty(const std::function<void(const std::string&, const std::optional<std::string>&)>&
                     fn) override {
    std::string key;
    for (auto* entry : dirty_) {
      key.assign(T::kPrefix);
      AppendKeyId(key, entry->first);
      if (Present(*entry)) {
        fn(key, entry->second.EncodeRow());
      } else {
        fn(key, std::nullopt);
      }
      entry->first.user[kDirty] = 0;
    }
    dirty_.clear();
  }
  std::vector<Sorted> SortedEntities() const override {
    // Sorted by the ids' first eight bytes as a number, then by the whole
    // id: most comparisons of a large table end at the number.
    std::vector<Sorted> sorted;
    sorted.reserve(map_.size());
    for (const Entry& entry : map_) {
      if (Present(entry)) sorted.push_back(Sorted{IdHead(entry.first), &entry});
    }
    std::sort(sorted.begin(), sorted.end(), [](const Sorted& a, const Sorted& b) {
      if (a.head != b.head) return a.head < b.head;
      return IdOf(a) < IdOf(b);
    });
    return sorted;
  }
  // What a Sorted of this table names.
  static std::string_view IdOf(const Sorted& s) {
    return static_cast<const Entry*>(s.entry)->first;
  }
  static const T& EntityOf(const Sorted& s) { return static_cast<const Entry*>(s.entry)->second; }
  std::string_view Id(const Sorted& s) const override { return IdOf(s); }
  size_t dirty_count() const override { return dirty_.size(); }
  // Entries in memory: at least the entities a replay holds (for reserving).
  size_t in_memory() const { return map_.size(); }
  std::string EncodeRow(const Sorted& s) const override { return EntityOf(s).EncodeRow(); }
  void DropIndex() override { map_.DropIndex(); }

 private:
  // An entry holds an entity in memory, or the knowledge that there is
  // none (a live table's miss: a default T). Whether it is there, and
  // whether it changed since the last TakeDirty, are two flags in the
  // key's spare bytes (IdKey::user), where beside the entity they would
  // take a word.
  using Map = IdMap<T>;
  using Entry = typename Map::Entry;
  static constexpr size_t kPresent = 0, kDirty = 1;
  static bool Present(const Entry& e) { return e.first.user[kPresent] != 0; }
  static void Set(Entry& e, T value) {
    e.second = std::move(value);
    e.first.user[kPresent] = 1;
  }
  // Adds the entry of an entity read from its row.
  Entry* AddPresent(std::string_view id, T value) {
    Entry* e = map_.Add(id, std::move(value));
    e->first.user[kPresent] = 1;
    return e;
  }
  static constexpr bool kCodedIds = requires(std::string_view id) { T::RowId(id); };
  static void AppendKeyId(std::string& key, std::string_view id) {
    if constexpr (kCodedIds) {
      key.append(T::RowId(id));
    } else {
      key.append(id);
    }
  }
  // fn(the id in memory of a row key's id).
  template <typename F>
  static decltype(auto) WithMemoryId(std::string_view row_id, F&& fn) {
    if constexpr (kCodedIds) {
      const std::string id = T::MemoryId(row_id);
      return fn(std::string_view(id));
    } else {
      return fn(row_id);
    }
  }
  // The map entry of `id`, loading its row when live (nullptr: replay and
  // not in memory).
  Entry* Load(std::string_view id);
  void LoadAll();
  void MarkDirty(Entry* e) {
    if (!live_ || e->first.user[kDirty] != 0) return;
    e->first.user[kDirty] = 1;
    dirty_.push_back(e);  // entries never move
  }

  StateStore* owner_;
  bool live_;
  Map map_;
  std::vector<Entry*> dirty_;  // live only
  // The entry found last: one event asks for the same entity several times.
  Entry* last_ = nullptr;
  bool all_loaded_ = false;
};

// How Emit() treats index rows.
enum class IndexRows {
  kKeep,  // kept like plain rows: written at commit (live) or readable (replay)
  kDrop,  // dropped: a replay that only checks (their owners' chains do)
  kSink,  // passed to the sink: a replay that writes them elsewhere (rebuild)
};

inline constexpr int kTableKinds = 8;

class StateStore {
 public:
  // Live state over the rows of `rows` (borrowed; null for replay: an
  // empty state kept wholly in memory). `events` reads earlier events.
  StateStore(RowSource* rows, EventSource events);
  // The same, owning the RowSource.
  StateStore(std::unique_ptr<RowSource> rows, EventSource events);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  bool replay() const { return rows_ == nullptr; }

  // ---- plain rows
  std::optional<std::string> Get(std::string_view key);
  void Put(std::string_view key, std::string_view value);
  void Delete(std::string_view key);
  // Calls fn(key, value) for each row whose key starts with prefix, in key
  // byte order, until fn returns false. Index rows are seen when kept.
  using ScanFn = RowSource::ScanFn;
  void Scan(std::string_view prefix, const ScanFn& fn);

  // ---- index rows
  void Emit(std::string_view key, std::string_view value);
  void SetIndexRows(IndexRows mode,
                    std::function<void(std::string_view key, std::string_view value)> sink = {});

  // ---- entities
  template <typename T>
  Table<T>& table() {
    static_assert(T::kTableId >= 0 && T::kTableId < kTableKinds);
    auto& slot = tables_[T::kTableId];
    if (!slot) slot = std::make_unique<Table<T>>(this, !replay());
    return static_cast<Table<T>&>(*slot);
  }

  // An earlier event of the log.
  Result<Event> ReadEvent(uint64_t seq);

  // ---- writing
  using WriteFn = std::function<void(const std::string& key, const std::optional<std::string>&)>;
  // Every row changed since the last call (nullopt: deleted), entity rows
  // encoded; the changes then count as stored (live only).
  void TakeWrites(const WriteFn& fn);
  // Every row of a replayed state in key byte order: entity and plain rows
  // (index rows excepted unless kept); only those from `from` on and, when
  // `to` is not empty, before `to`. Reads the state only, so calls for
  // different ranges may run at once.
  void ForEachRow(const std::function<void(std::string_view key, std::string_view value)>& fn,
                  std::string_view from = {}, std::string_view to = {}) const;

  // How many rows TakeWrites would hand over now (live only: a replay
  // keeps no list of its changed entities, and gives 0 for them).
  size_t PendingChanges() const;

  // Frees every table's index by id: a replayed state whose rows are
  // written next lists its entities (ForEachRow, SortedEntities, and
  // ForEachBrief without stored rows), but finds, loads and adds none
  // after this (each would fail its assertion).
  void DropIndexes() {
    for (auto& table : tables_) {
      if (table) table->DropIndex();
    }
  }
  // The same for T's table alone.
  template <typename T>
  void DropIndex() {
    if (tables_[T::kTableId]) tables_[T::kTableId]->DropIndex();
  }

  // Frees every table but T's, and the plain rows: a replayed state whose
  // rows are written gives its memory back before what is taken from T's
  // entities comes on top of it. Only T's table is read after this.
  template <typename T>
  void FreeAllBut() {
    for (size_t i = 0; i < tables_.size(); i++) {
      if (static_cast<int>(i) != T::kTableId) tables_[i].reset();
    }
    pending_.clear();
    read_.clear();
    stored_none_.clear();
  }

  // For Table<T>.
  RowSource* rows() const { return rows_; }

 private:
  std::unique_ptr<RowSource> owned_rows_;
  RowSource* rows_;
  EventSource events_;
  std::array<std::unique_ptr<TableBase>, kTableKinds> tables_;
  // Plain rows: changed ones (nullopt: deleted); in replay, all of them.
  std::map<std::string, std::optional<std::string>, std::less<>> pending_;
  // Stored plain rows already read (nullopt: known absent), live only.
  std::unordered_map<std::string, std::optional<std::string>, StringHash, std::equal_to<>> read_;
  // Prefixes under which a Scan found no stored row, live only: scanned
  // again, only the pending rows are. A redemption asks twice whether its
  // shop has a shelf, an import of redemptions for the same shops again
  // and again, and each asking was a RocksDB iterator. Forgotten when the
  // changes are taken (TakeWrites), after which the stored rows are the
  // committed ones.
  std::unordered_set<std::string, StringHash, std::equal_to<>> stored_none_;
  IndexRows index_rows_ = IndexRows::kKeep;
  std::function<void(std::string_view, std::string_view)> sink_;
};

// The projections of a ledger as of its last whole commit: the stored rows,
// read as needed, and the events they are behind by (proj_size < size)
// applied in memory. Valid while the ledger is.
Result<std::unique_ptr<StateStore>> StoredState(const Ledger& ledger);
// The projection state just after event `seq` was applied. At the last
// event that is the stored projections (which `verify` proves equal to a
// replay); earlier, the log prefix 0..seq replayed into memory. InvalidInput
// when seq is past the log.
Result<std::unique_ptr<StateStore>> StateAt(const Ledger& ledger, uint64_t seq);

// ------------------------------------------------------------ Table<T>

template <typename T>
typename Table<T>::Entry* Table<T>::Load(std::string_view id) {
  if (last_ != nullptr && last_->first == id) return last_;
  if (Entry* e = map_.Find(id)) return last_ = e;
  RowSource* rows = owner_->rows();
  if (rows == nullptr || all_loaded_) return nullptr;
  std::string key(T::kPrefix);
  AppendKeyId(key, id);
  std::optional<std::string> row = rows->GetRow(key);
  if (!row) return last_ = map_.Add(id, T{});
  return last_ =
             AddPresent(id, T::DecodeRow(std::string_view(key).substr(T::kPrefix.size()), *row));
}

template <typename T>
void Table<T>::Hint(std::string_view id, int stage) const {
  if (owner_->rows() != nullptr) return;
  if (stage == 0) {
    map_.PrefetchSlot(id);
  } else if (stage == 1) {
    map_.PrefetchEntry(id, sizeof(Entry));
  } else if constexpr (requires(const T& t) { t.Prefetch(); }) {
    const Entry* e = map_.FindFirstProbe(id);
    if (e != nullptr && e->first == id && Present(*e)) e->second.Prefetch();
  }
}

template <typename T>
void Table<T>::Prefetch(std::vector<std::string> ids) {
  RowSource* rows = owner_->rows();
  if (rows == nullptr || all_loaded_) return;
  std::erase_if(ids, [&](const std::string& id) { return map_.Find(id) != nullptr; });
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  map_.Reserve(map_.size() + ids.size());
  if (ids.size() >= kPrefetchScanMin) {
    // Many: one pass over the kind's rows in key order reads each block
    // once, where point reads would look each key up again.
    size_t next = 0;
    rows->ScanRows(T::kPrefix, [&](std::string_view key, std::string_view value) {
      std::string_view row_id = key.substr(T::kPrefix.size());
      return WithMemoryId(row_id, [&](std::string_view id) {
        while (next < ids.size() && std::string_view(ids[next]) < id) next++;
        if (next == ids.size()) return false;
        if (ids[next] == id) {
          AddPresent(ids[next], T::DecodeRow(row_id, value));
          next++;
        }
        return true;
      });
    });
    return;
  }
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (const std::string& id : ids) {
    keys.emplace_back(T::kPrefix);
    AppendKeyId(keys.back(), id);
  }
  std::vector<std::optional<std::string>> found = rows->GetRows(keys);
  VLEDGER_ASSERT(found.size() == ids.size());
  for (size_t i = 0; i < ids.size(); i++) {
    if (found[i]) {
      AddPresent(ids[i],
                 T::DecodeRow(std::string_view(keys[i]).substr(T::kPrefix.size()), *found[i]));
    } else {
      map_.Add(ids[i], T{});
    }
  }
}

template <typename T>
void Table<T>::LoadAll() {
  RowSource* rows = owner_->rows();
  if (rows == nullptr || all_loaded_) return;
  rows->ScanRows(T::kPrefix, [&](std::string_view key, std::string_view value) {
    std::string_view row_id = key.substr(T::kPrefix.size());
    WithMemoryId(row_id, [&](std::string_view id) {
      if (map_.Find(id) == nullptr) {
        AddPresent(id, T::DecodeRow(row_id, value));
      }
    });
    return true;
  });
  all_loaded_ = true;
}

template <typename T>
template <typename F>
void Table<T>::ForEachBrief(F&& fn) {
  RowSource* rows = owner_->rows();
  if (rows != nullptr && !all_loaded_) {
    bool some = map_.size() > 0;  // those in memory are newer than their rows
    rows->ScanRows(T::kPrefix, [&](std::string_view key, std::string_view value) {
      std::string_view row_id = key.substr(T::kPrefix.size());
      WithMemoryId(row_id, [&](std::string_view id) {
        if (!some || map_.Find(id) == nullptr) fn(T::DecodeBrief(row_id, value));
      });
      return true;
    });
  }
  for (const Entry& e : map_) {
    if (Present(e)) fn(e.second.brief());
  }
}

}  // namespace vledger
