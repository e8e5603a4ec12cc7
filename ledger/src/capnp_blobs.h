// Sized conversions between strings and Cap'n Proto's Text and Data
// (codec.cc, archive.cc): a std::string may hold NUL bytes, so never
// through c_str().
#pragma once

#include <capnp/blob.h>

#include <string>
#include <string_view>

namespace vledger::blob {

inline capnp::Data::Reader AsData(std::string_view s) {
  return {reinterpret_cast<const kj::byte*>(s.data()), s.size()};
}
inline std::string Str(capnp::Text::Reader t) { return {t.begin(), t.size()}; }
inline std::string Str(capnp::Data::Reader d) {
  return {reinterpret_cast<const char*>(d.begin()), d.size()};
}

}  // namespace vledger::blob
