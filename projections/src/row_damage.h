// Projection rows that do not decode. The rows are written only by this
// library, so a malformed one is damage, not input: it ends the command as
// Corruption naming the row, thrown like a row that cannot be read
// (rows.h) and returned where projections are run (ApplyEvent, and every
// public function of the application layer). `vledger rebuild` writes the rows
// again from the log.
#pragma once

#include <string>
#include <string_view>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/rows.h"
#include "vledger/ledger/status.h"

namespace vledger::detail {

// The key as text: a key ending in a big-endian seq (or index) shows it in
// decimal ("rev/12"), other bytes outside printable ASCII as \xNN.
inline std::string RowKeyName(std::string_view key) {
  auto printable = [](char c) { return c >= 0x20 && c < 0x7f; };
  size_t text = 0;
  while (text < key.size() && printable(key[text])) text++;
  if (text == key.size()) return std::string(key);
  if (key.size() >= 8 && text >= key.size() - 8) {
    return std::string(key.substr(0, key.size() - 8)) +
           std::to_string(GetU64be(key.substr(key.size() - 8)));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : key) {
    if (printable(c)) {
      out += c;
    } else {
      auto b = static_cast<uint8_t>(c);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

inline Status MalformedRow(std::string_view key) {
  return Status::Corruption(
      Msg("projection row {} is malformed (the projection rows are damaged: `vledger rebuild` "
          "writes them again from the log)",
          RowKeyName(key)));
}

// An entity that another stored row refers to (an entry's resident, a
// resident's village, a donation's fund) and that is not stored: damage
// (a row missing from the store), thrown like a malformed row. T is a
// table entity (state.h), so T::kPrefix + id is the row's key.
template <typename T>
void CheckExists(const T* entity, std::string_view id) {
  if (entity != nullptr) return;
  throw RowReadError(Status::Corruption(
      Msg("projection row {} is missing (the projection rows are damaged: `vledger rebuild` "
          "writes them again from the log)",
          RowKeyName(std::string(T::kPrefix) + std::string(id)))));
}

// Throws RowReadError (Corruption naming `key`) unless `decoded`.
inline void CheckRow(bool decoded, std::string_view key) {
  if (!decoded) throw RowReadError(MalformedRow(key));
}

}  // namespace vledger::detail
