// Small helpers that several unit tests share.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"

namespace vledger::testing {

// A new Ed25519 key.
inline PrivateKey NewKey() {
  auto key = PrivateKey::Generate();
  VLEDGER_ASSERT(key.ok());
  return std::move(key).value();
}

// Hex to bytes, failing the test when the literal is not well formed.
inline std::string FromHex(std::string_view hex) {
  auto bytes = Unhex(hex);
  EXPECT_TRUE(bytes.has_value()) << hex;
  return bytes.value_or("");
}

// Hex to a hash, failing the test when it is not one.
inline Hash HashFromHex(std::string_view hex) {
  auto h = HashFrom(FromHex(hex));
  EXPECT_TRUE(h.has_value()) << hex;
  return h.value_or(Hash{});
}

// A file's bytes; "" when it cannot be read.
inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The record hash of made-up record `i`, for trees built without a ledger.
inline Hash RecordHash(uint64_t i) { return Sha256("record " + std::to_string(i)); }

}  // namespace vledger::testing
