#include "vledger/projections/state.h"

#include <queue>

namespace vledger {

StateStore::StateStore(RowSource* rows, EventSource events)
    : rows_(rows), events_(std::move(events)) {}

StateStore::StateStore(std::unique_ptr<RowSource> rows, EventSource events)
    : owned_rows_(std::move(rows)), rows_(owned_rows_.get()), events_(std::move(events)) {}

StateStore::~StateStore() = default;

std::optional<std::string> StateStore::Get(std::string_view key) {
  auto it = pending_.find(key);
  if (it != pending_.end()) return it->second;
  if (rows_ == nullptr) return std::nullopt;
  auto cached = read_.find(key);
  if (cached != read_.end()) return cached->second;
  std::optional<std::string> row = rows_->GetRow(key);
  read_.emplace(std::string(key), row);
  return row;
}

void StateStore::Put(std::string_view key, std::string_view value) {
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    pending_.emplace(std::string(key), std::string(value));
  } else {
    it->second.emplace(value);
  }
}

void StateStore::Delete(std::string_view key) {
  auto it = pending_.find(key);
  if (rows_ == nullptr) {
    if (it != pending_.end()) pending_.erase(it);
    return;
  }
  if (it == pending_.end()) {
    pending_.emplace(std::string(key), std::nullopt);
  } else {
    it->second.reset();
  }
}

void StateStore::Scan(std::string_view prefix, const ScanFn& fn) {
  auto p = pending_.lower_bound(prefix);
  auto in_prefix = [&](const auto& it) {
    return it != pending_.end() && std::string_view(it->first).starts_with(prefix);
  };
  // A replay has only pending rows; a live state, none stored under a
  // prefix it found empty before (stored_none_).
  if (rows_ == nullptr || stored_none_.contains(prefix)) {
    for (; in_prefix(p); ++p) {
      if (p->second && !fn(p->first, *p->second)) return;
    }
    return;
  }
  // Merge the stored rows with the pending changes, both in key order.
  bool stopped = false, stored = false;
  rows_->ScanRows(prefix, [&](std::string_view key, std::string_view value) {
    stored = true;
    while (in_prefix(p) && std::string_view(p->first) < key) {
      if (p->second && !fn(p->first, *p->second)) {
        stopped = true;
        return false;
      }
      ++p;
    }
    if (in_prefix(p) && std::string_view(p->first) == key) {
      bool go = !p->second || fn(p->first, *p->second);
      ++p;
      if (!go) stopped = true;
      return go;
    }
    if (!fn(key, value)) {
      stopped = true;
      return false;
    }
    return true;
  });
  if (!stored) stored_none_.emplace(prefix);
  if (stopped) return;
  for (; in_prefix(p); ++p) {
    if (p->second && !fn(p->first, *p->second)) return;
  }
}

void StateStore::Emit(std::string_view key, std::string_view value) {
  switch (index_rows_) {
    case IndexRows::kKeep:
      Put(key, value);
      return;
    case IndexRows::kDrop:
      return;
    case IndexRows::kSink:
      sink_(key, value);
      return;
  }
}

void StateStore::SetIndexRows(IndexRows mode,
                              std::function<void(std::string_view, std::string_view)> sink) {
  VLEDGER_ASSERT(mode != IndexRows::kSink || sink);
  index_rows_ = mode;
  sink_ = std::move(sink);
}

Result<Event> StateStore::ReadEvent(uint64_t seq) { return events_(seq); }

void StateStore::TakeWrites(const WriteFn& fn) {
  VLEDGER_ASSERT(rows_ != nullptr);
  for (auto& table : tables_) {
    if (table) table->TakeDirty(fn);
  }
  for (auto& [key, value] : pending_) {
    fn(key, value);
    read_.insert_or_assign(key, std::move(value));
  }
  pending_.clear();
  stored_none_.clear();
}

void StateStore::ForEachRow(
    const std::function<void(std::string_view key, std::string_view value)>& fn,
    std::string_view from, std::string_view to) const {
  VLEDGER_ASSERT(rows_ == nullptr);
  auto in_range = [&](std::string_view key) { return key >= from && (to.empty() || key < to); };
  // Each table's rows are contiguous in key order (one prefix each, none a
  // prefix of another), but plain rows may sort before, between or after
  // them: merge each table's sorted entities, one table at a time, with
  // the plain rows.
  std::vector<TableBase*> tables;
  for (auto& table : tables_) {
    if (table) tables.push_back(table.get());
  }
  std::sort(tables.begin(), tables.end(),
            [](const TableBase* a, const TableBase* b) { return a->prefix() < b->prefix(); });
  for (size_t i = 1; i < tables.size(); i++) {
    VLEDGER_ASSERT(!tables[i]->prefix().starts_with(tables[i - 1]->prefix()));
  }
  auto row = pending_.lower_bound(from);
  auto next_plain = [&]() {
    while (row != pending_.end() && !row->second) ++row;
  };
  next_plain();
  std::string key;
  for (TableBase* table : tables) {
    // A table whose rows all sort before `from`, or from `to` on.
    const std::string_view prefix = table->prefix();
    if (prefix < from && !from.starts_with(prefix)) continue;
    if (!to.empty() && prefix >= to) continue;
    for (const TableBase::Sorted& entity : table->SortedEntities()) {
      key.assign(prefix);
      table->AppendRowId(&key, table->Id(entity));
      if (!in_range(key)) continue;
      while (row != pending_.end() && row->first < key) {
        fn(row->first, *row->second);
        ++row;
        next_plain();
      }
      fn(key, table->EncodeRow(entity));
    }
  }
  for (; row != pending_.end() && in_range(row->first); ++row) {
    if (row->second) fn(row->first, *row->second);
  }
}

size_t StateStore::PendingChanges() const {
  size_t n = pending_.size();
  for (const auto& table : tables_) {
    if (table) n += table->dirty_count();
  }
  return n;
}

}  // namespace vledger
