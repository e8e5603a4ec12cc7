// LEB128 varints for the packed lists inside entity rows (points.cc), the
// same encoding RecordWriter uses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vledger {

inline void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    *out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *out += static_cast<char>(v);
}

// Reads one varint off the front of *in; false when it is cut short or
// longer than 64 bits.
inline bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    auto b = static_cast<uint8_t>((*in)[0]);
    in->remove_prefix(1);
    if (shift == 63 && b > 1) return false;
    result |= uint64_t(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

inline uint64_t ZigzagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t ZigzagDecode(uint64_t z) { return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1)); }

}  // namespace vledger
