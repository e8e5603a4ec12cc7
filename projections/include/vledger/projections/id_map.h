// IdMap<V>: entities by string id, for the projection tables (state.h).
//
// A replay looks up one of some 286,000 residents (and as many person
// refs) per event, in no order, so a lookup is a few cache misses and
// little else. std::unordered_map takes three (the bucket, the node before
// ours, ours). Here an open-addressing index of 8-byte slots takes one
// before the entry's own: each slot holds the top 32 bits of the id's
// hash, which also place it, and the entry's position, so the index grows
// without reading the entries again. Entries live in a deque, so their
// addresses never change: tables keep pointers to them (the dirty list,
// the last one found). Nothing is ever erased: a table marks a deleted
// entity in its value instead.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vledger/ledger/status.h"

namespace vledger {

template <typename V>
class IdMap {
 public:
  using Entry = std::pair<const std::string, V>;

  // The entry of `id`, or nullptr.
  Entry* Find(std::string_view id) {
    if (entries_.empty()) return nullptr;
    uint32_t tag = Tag(id);
    for (size_t i = tag & mask_;; i = (i + 1) & mask_) {
      uint64_t slot = slots_[i];
      if (slot == 0) return nullptr;
      if (static_cast<uint32_t>(slot >> 32) == tag) {
        Entry& e = entries_[static_cast<uint32_t>(slot) - 1];
        if (e.first == id) return &e;
      }
    }
  }
  const Entry* Find(std::string_view id) const { return const_cast<IdMap*>(this)->Find(id); }

  // Cache hints for a lookup of `id` soon (a replay applies events in an
  // order it knows ahead): PrefetchSlot loads the index slot where the
  // search for `id` starts; later, PrefetchEntry reads that slot (loaded by
  // then) and loads the first `bytes` of the entry it names, when its tag
  // is id's. Neither changes anything nor dereferences an entry.
  void PrefetchSlot(std::string_view id) const {
    if (entries_.empty()) return;
    __builtin_prefetch(&slots_[Tag(id) & mask_]);
  }
  void PrefetchEntry(std::string_view id, size_t bytes) const {
    if (entries_.empty()) return;
    uint32_t tag = Tag(id);
    uint64_t slot = slots_[tag & mask_];
    if (slot == 0 || static_cast<uint32_t>(slot >> 32) != tag) return;
    const char* at = reinterpret_cast<const char*>(&entries_[static_cast<uint32_t>(slot) - 1]);
    for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch(at + b);
  }
  // The entry of `id` if it is in the first slot probed (else nullptr),
  // without comparing more than that slot's entry: for hints.
  const Entry* FindFirstProbe(std::string_view id) const {
    if (entries_.empty()) return nullptr;
    uint32_t tag = Tag(id);
    uint64_t slot = slots_[tag & mask_];
    if (slot == 0 || static_cast<uint32_t>(slot >> 32) != tag) return nullptr;
    return &entries_[static_cast<uint32_t>(slot) - 1];
  }

  // Adds the entry of `id`, which must not be in the map.
  Entry* Add(std::string id, V value) {
    VLEDGER_ASSERT(entries_.size() < UINT32_MAX - 1);
    if ((entries_.size() + 1) * 4 > slots_.size() * 3) Grow(entries_.size() + 1);
    uint32_t tag = Tag(id);
    entries_.emplace_back(std::move(id), std::move(value));
    Place(uint64_t{tag} << 32 | entries_.size());
    return &entries_.back();
  }

  // Room for `n` entries in all without growing the index again.
  void Reserve(size_t n) {
    if (n * 4 > slots_.size() * 3) Grow(n);
  }

  size_t size() const { return entries_.size(); }
  // Every entry, in the order added.
  auto begin() { return entries_.begin(); }
  auto end() { return entries_.end(); }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  static uint32_t Tag(std::string_view id) {
    return static_cast<uint32_t>(std::hash<std::string_view>{}(id) >> 32);
  }

  // Puts a slot (tag << 32 | 1-based entry position) into the index.
  void Place(uint64_t slot) {
    size_t i = (slot >> 32) & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
  }

  // An index for at least `n` entries, at most three quarters full.
  void Grow(size_t n) {
    size_t size = 16;
    while (n * 4 > size * 3) size *= 2;
    std::vector<uint64_t> old(size, 0);
    old.swap(slots_);
    mask_ = size - 1;
    for (uint64_t slot : old) {
      if (slot != 0) Place(slot);
    }
  }

  std::deque<Entry> entries_;
  std::vector<uint64_t> slots_;  // tag << 32 | entry position (from 1); 0: empty
  size_t mask_ = 0;
};

}  // namespace vledger
