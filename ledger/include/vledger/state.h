// StateStore: the key-value view that projections read and write.
//
// Projections (balances, registries, rankings) are pure functions of the
// log, kept as key-value rows so a command validates against them without
// replaying the log. The live store is a WriteTxn overlay on RocksDB
// (store.h); replay for `verify`, `rebuild` and `--at` uses MemoryState.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "vledger/event.h"
#include "vledger/status.h"

namespace vledger {

class StateStore {
 public:
  virtual ~StateStore() = default;

  virtual std::optional<std::string> Get(std::string_view key) = 0;
  virtual void Put(std::string_view key, std::string_view value) = 0;
  virtual void Delete(std::string_view key) = 0;

  // Calls fn(key, value) for each row whose key starts with prefix, in key
  // byte order, until fn returns false.
  using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;
  virtual void Scan(std::string_view prefix, const ScanFn& fn) = 0;

  // An earlier event of the log (for reversals and reviews).
  virtual Result<Event> ReadEvent(uint64_t seq) = 0;
};

// State held in memory, for replay. Earlier events come from `events`.
class MemoryState final : public StateStore {
 public:
  using EventSource = std::function<Result<Event>(uint64_t seq)>;
  explicit MemoryState(EventSource events) : events_(std::move(events)) {}

  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  void Scan(std::string_view prefix, const ScanFn& fn) override;
  Result<Event> ReadEvent(uint64_t seq) override { return events_(seq); }

  const std::map<std::string, std::string, std::less<>>& rows() const { return rows_; }

 private:
  std::map<std::string, std::string, std::less<>> rows_;
  EventSource events_;
};

}  // namespace vledger
