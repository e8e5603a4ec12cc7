#include "vledger/state.h"

namespace vledger {

std::optional<std::string> MemoryState::Get(std::string_view key) {
  auto it = rows_.find(key);
  if (it == rows_.end()) return std::nullopt;
  return it->second;
}

void MemoryState::Put(std::string_view key, std::string_view value) {
  auto it = rows_.find(key);
  if (it == rows_.end()) {
    rows_.emplace(std::string(key), std::string(value));
  } else {
    it->second.assign(value);
  }
}

void MemoryState::Delete(std::string_view key) {
  auto it = rows_.find(key);
  if (it != rows_.end()) rows_.erase(it);
}

void MemoryState::Scan(std::string_view prefix, const ScanFn& fn) {
  for (auto it = rows_.lower_bound(prefix); it != rows_.end(); ++it) {
    if (std::string_view(it->first).substr(0, prefix.size()) != prefix) break;
    if (!fn(it->first, it->second)) break;
  }
}

}  // namespace vledger
