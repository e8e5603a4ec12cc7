// SmallBytes: a byte string in 16 bytes, for what a replay holds once per
// resident or household (registry.h): a record's ids, a village's lists of
// them, and a resident's packed fields (ResidentState::lots, turnover,
// recent).
//
// Those are under 16 bytes for nearly every resident (on the bench county
// every id, and all but 5,636 of 858,000 packed fields), which a
// std::string keeps in place too, but in 32 bytes. Here up to kInline
// bytes are kept in place and longer strings on the heap, with a capacity
// that is a power of two (so appending one varint at a time copies a long
// string only when its length crosses one). It converts to a string_view
// implicitly and to a std::string only when asked (std::string(b)): a
// copy is never made unseen.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "vledger/ledger/status.h"

namespace vledger {

class SmallBytes {
 public:
  static constexpr size_t kInline = 15;

  SmallBytes() = default;
  SmallBytes(std::string_view s) { assign(s); }  // NOLINT: implicit, as std::string's
  SmallBytes(const SmallBytes& other) { assign(other.view()); }
  SmallBytes(SmallBytes&& other) noexcept {
    std::memcpy(b_, other.b_, sizeof b_);
    other.b_[kTag] = 0;
  }
  SmallBytes& operator=(const SmallBytes& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  SmallBytes& operator=(SmallBytes&& other) noexcept {
    if (this != &other) {
      Free();
      std::memcpy(b_, other.b_, sizeof b_);
      other.b_[kTag] = 0;
    }
    return *this;
  }
  SmallBytes& operator=(std::string_view s) {
    assign(s);
    return *this;
  }
  ~SmallBytes() { Free(); }

  const char* data() const { return OnHeap() ? HeapPtr() : b_; }
  size_t size() const { return OnHeap() ? HeapSize() : static_cast<uint8_t>(b_[kTag]); }
  bool empty() const { return size() == 0; }
  std::string_view view() const { return {data(), size()}; }
  operator std::string_view() const { return view(); }  // NOLINT: implicit, as std::string's

  void clear() {
    Free();
    b_[kTag] = 0;
  }

  // `s` may be a view of these bytes themselves.
  void assign(std::string_view s) {
    if (OnHeap() && s.size() <= HeapCapacity() && s.size() > kInline) {
      std::memmove(HeapPtr(), s.data(), s.size());
      SetHeapSize(s.size());
      return;
    }
    if (s.size() <= kInline) {
      char* old = OnHeap() ? HeapPtr() : nullptr;
      if (!s.empty()) std::memmove(b_, s.data(), s.size());  // an empty view's data may be null
      b_[kTag] = static_cast<char>(s.size());
      delete[] old;
      return;
    }
    char* grown = Allocate(s.size());
    std::memcpy(grown, s.data(), s.size());
    Free();
    SetHeap(grown, s.size());
  }

  // `s` must not be a view of these bytes.
  void append(std::string_view s) {
    if (s.empty()) return;  // its data may be null
    size_t old = size(), total = old + s.size();
    if (!OnHeap() && total <= kInline) {
      std::memcpy(b_ + old, s.data(), s.size());
      b_[kTag] = static_cast<char>(total);
      return;
    }
    if (OnHeap() && total <= HeapCapacity()) {
      std::memcpy(HeapPtr() + old, s.data(), s.size());
      SetHeapSize(total);
      return;
    }
    char* grown = Allocate(total);
    std::memcpy(grown, data(), old);
    std::memcpy(grown + old, s.data(), s.size());
    Free();
    SetHeap(grown, total);
  }

  friend bool operator==(const SmallBytes& a, std::string_view b) { return a.view() == b; }
  // Its own, so that C++20's reversed candidates of the one above do not
  // make `a != b` of two SmallBytes ambiguous (clang warns).
  friend bool operator==(const SmallBytes& a, const SmallBytes& b) { return a.view() == b.view(); }

 private:
  // b_[kTag] is the size while the bytes are in place (0 to kInline), and
  // kOnHeap when they are on the heap: then b_ holds the pointer (bytes
  // 0-7), the size (8-11) and the capacity's log2 (12).
  static constexpr size_t kTag = 15;
  static constexpr char kOnHeap = static_cast<char>(0xff);

  bool OnHeap() const { return b_[kTag] == kOnHeap; }
  char* HeapPtr() const {
    char* p;
    std::memcpy(&p, b_, sizeof p);
    return p;
  }
  size_t HeapSize() const {
    uint32_t n;
    std::memcpy(&n, b_ + 8, sizeof n);
    return n;
  }
  size_t HeapCapacity() const { return size_t{1} << static_cast<uint8_t>(b_[12]); }
  void SetHeapSize(size_t n) {
    uint32_t v = static_cast<uint32_t>(n);
    std::memcpy(b_ + 8, &v, sizeof v);
  }
  static size_t CapacityFor(size_t n) { return std::bit_ceil(n < 32 ? size_t{32} : n); }
  static char* Allocate(size_t n) {
    VLEDGER_ASSERT(n <= UINT32_MAX);
    return new char[CapacityFor(n)];
  }
  void SetHeap(char* p, size_t n) {
    std::memcpy(b_, &p, sizeof p);
    SetHeapSize(n);
    b_[12] = static_cast<char>(std::countr_zero(CapacityFor(n)));
    b_[kTag] = kOnHeap;
  }
  void Free() {
    if (OnHeap()) delete[] HeapPtr();
  }

  alignas(8) char b_[16] = {};
};

static_assert(sizeof(SmallBytes) == 16);

}  // namespace vledger
