// Byte helpers: hex, base64, big-endian integers and a compact record codec
// for projection values. Binary data is held in std::string.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vledger {

using Hash = std::array<uint8_t, 32>;  // a SHA-256 digest

inline std::string_view AsView(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}
inline std::string AsString(const Hash& h) { return std::string(AsView(h)); }
// Hash from exactly 32 bytes; nullopt for any other length.
std::optional<Hash> HashFrom(std::string_view bytes);

std::string Hex(std::string_view bytes);
inline std::string Hex(const Hash& h) { return Hex(AsView(h)); }
// Lower- or uppercase hex; nullopt on odd length or a non-hex digit.
std::optional<std::string> Unhex(std::string_view hex);

std::string Base64(std::string_view bytes);
// Strict standard base64 with padding; nullopt on anything else.
std::optional<std::string> Unbase64(std::string_view text);

void PutU64be(std::string* out, uint64_t v);
uint64_t GetU64be(std::string_view bytes);  // requires bytes.size() >= 8
inline std::string U64be(uint64_t v) {
  std::string s;
  PutU64be(&s, v);
  return s;
}

// A compact, versionless record encoding for projection values (never part
// of the integrity format): varints and length-prefixed strings.
class RecordWriter {
 public:
  RecordWriter& U64(uint64_t v);
  RecordWriter& I64(int64_t v);  // zigzag
  RecordWriter& Str(std::string_view s);
  RecordWriter& Bool(bool b) { return U64(b ? 1 : 0); }
  const std::string& data() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what RecordWriter wrote; a short or malformed record sets !ok() and
// yields zeros, so callers check ok() once at the end.
class RecordReader {
 public:
  explicit RecordReader(std::string_view in) : in_(in) {}
  uint64_t U64();
  int64_t I64();
  std::string Str();
  // The same as a view into the input.
  std::string_view View();
  bool Bool() { return U64() != 0; }
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace vledger
