// IdMap<V>: entities by string id, for the projection tables (state.h).
//
// A replay looks up one of some 286,000 residents (and as many person
// refs) per event, in no order, so a lookup is a few cache misses and
// little else. std::unordered_map takes three (the bucket, the node before
// ours, ours). Here an open-addressing index of 8-byte slots takes one
// before the entry's own: each slot holds the top 32 bits of the id's
// hash, which also place it, and the entry's position, so the index grows
// without reading the entries again. Entries live in chunks of kChunk,
// allocated as the map grows, so their addresses never change: tables
// keep pointers to them (the dirty list, the last one found). A chunk is
// one allocation for kChunk entries (std::deque makes one per entry when
// entries are as large as a resident's). Nothing is ever erased: a table
// marks a deleted entity in its value instead.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "vledger/ledger/status.h"

namespace vledger {

// An id as a map key: up to kInline bytes in place, which holds every id
// a county has many of (residents', households', 32-byte person refs),
// longer ones on the heap. 40 bytes, where a std::string is 32 and
// allocates for an id past 15 bytes. Neither copied nor moved: it stays
// where its map entry was made.
class IdKey {
 public:
  static constexpr size_t kInline = 32;
  explicit IdKey(std::string_view id) : size_(static_cast<uint32_t>(id.size())) {
    char* to = size_ <= kInline ? in_ : (heap_ = new char[size_]);
    if (size_ > 0) std::memcpy(to, id.data(), size_);
  }
  IdKey(const IdKey&) = delete;
  IdKey& operator=(const IdKey&) = delete;
  ~IdKey() {
    if (size_ > kInline) delete[] heap_;
  }

  std::string_view view() const { return {size_ <= kInline ? in_ : heap_, size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: used as a string
  friend bool operator==(const IdKey& a, std::string_view b) { return a.view() == b; }

 private:
  union {
    char in_[kInline];
    char* heap_;
  };
  uint32_t size_;

 public:
  // Bytes that would be padding, for the map's user: a table keeps its
  // entity's flags here (state.h). Not part of the id; zero when made.
  mutable uint8_t user[4] = {0, 0, 0, 0};
};

static_assert(sizeof(IdKey) == 40);

template <typename V>
class IdMap {
 public:
  using Entry = std::pair<const IdKey, V>;

  IdMap() = default;
  IdMap(const IdMap&) = delete;
  IdMap& operator=(const IdMap&) = delete;
  ~IdMap() {
    for (size_t i = 0; i < size_; i++) At(i).~Entry();
  }

  // The entry of `id`, or nullptr.
  Entry* Find(std::string_view id) {
    if (size_ == 0) return nullptr;
    VLEDGER_ASSERT(mask_ != 0);  // not after DropIndex
    uint32_t tag = Tag(id);
    for (size_t i = tag & mask_;; i = (i + 1) & mask_) {
      uint64_t slot = slots_[i];
      if (slot == 0) return nullptr;
      if (static_cast<uint32_t>(slot >> 32) == tag) {
        Entry& e = At(static_cast<uint32_t>(slot) - 1);
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
    if (size_ == 0 || mask_ == 0) return;
    __builtin_prefetch(&slots_[Tag(id) & mask_]);
  }
  void PrefetchEntry(std::string_view id, size_t bytes) const {
    if (size_ == 0 || mask_ == 0) return;
    uint32_t tag = Tag(id);
    uint64_t slot = slots_[tag & mask_];
    if (slot == 0 || static_cast<uint32_t>(slot >> 32) != tag) return;
    const char* at = reinterpret_cast<const char*>(&At(static_cast<uint32_t>(slot) - 1));
    for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch(at + b);
  }
  // The entry of `id` if it is in the first slot probed (else nullptr),
  // without comparing more than that slot's entry: for hints.
  const Entry* FindFirstProbe(std::string_view id) const {
    if (size_ == 0 || mask_ == 0) return nullptr;
    uint32_t tag = Tag(id);
    uint64_t slot = slots_[tag & mask_];
    if (slot == 0 || static_cast<uint32_t>(slot >> 32) != tag) return nullptr;
    return &At(static_cast<uint32_t>(slot) - 1);
  }

  // Adds the entry of `id`, which must not be in the map.
  Entry* Add(std::string_view id, V value) {
    VLEDGER_ASSERT(size_ < UINT32_MAX - 1);
    VLEDGER_ASSERT(size_ == 0 || mask_ != 0);  // not after DropIndex
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow(size_ + 1);
    if (size_ == chunks_.size() * kChunk) chunks_.emplace_back(new Chunk);
    Entry* e = &At(size_);
    new (e) Entry(std::piecewise_construct, std::forward_as_tuple(id),
                  std::forward_as_tuple(std::move(value)));
    size_++;
    Place(uint64_t{Tag(id)} << 32 | size_);
    return e;
  }

  // Frees the index by id: the entries stay, listed in the order added
  // (begin, end), but none can be found or added after this. An index is
  // 8 to 16 bytes an entry (4 MB for a county's residents).
  void DropIndex() {
    std::vector<uint64_t>().swap(slots_);
    mask_ = 0;
  }

  // Room for `n` entries in all without growing the index again.
  void Reserve(size_t n) {
    VLEDGER_ASSERT(size_ == 0 || mask_ != 0);  // not after DropIndex
    if (n * 4 > slots_.size() * 3) Grow(n);
  }

  size_t size() const { return size_; }

  // Every entry, in the order added.
  template <bool kConst>
  class Iterator {
   public:
    using Map = std::conditional_t<kConst, const IdMap, IdMap>;
    Iterator(Map* map, size_t i) : map_(map), i_(i) {}
    auto& operator*() const { return map_->At(i_); }
    auto* operator->() const { return &map_->At(i_); }
    Iterator& operator++() {
      i_++;
      return *this;
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }

   private:
    Map* map_;
    size_t i_;
  };
  Iterator<false> begin() { return {this, 0}; }
  Iterator<false> end() { return {this, size_}; }
  Iterator<true> begin() const { return {this, 0}; }
  Iterator<true> end() const { return {this, size_}; }

 private:
  static constexpr size_t kChunkBits = 6;
  static constexpr size_t kChunk = size_t{1} << kChunkBits;
  // Room for kChunk entries, made in place as they are added.
  struct Chunk {
    alignas(Entry) unsigned char bytes[sizeof(Entry) * kChunk];
  };
  Entry& At(size_t i) {
    unsigned char* at = chunks_[i >> kChunkBits]->bytes + sizeof(Entry) * (i & (kChunk - 1));
    return *std::launder(reinterpret_cast<Entry*>(at));
  }
  const Entry& At(size_t i) const { return const_cast<IdMap*>(this)->At(i); }

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

  std::vector<std::unique_ptr<Chunk>> chunks_;
  size_t size_ = 0;              // entries, in chunks_ in the order added
  std::vector<uint64_t> slots_;  // tag << 32 | entry position (from 1); 0: empty
  size_t mask_ = 0;
};

}  // namespace vledger
