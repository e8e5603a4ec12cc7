// RowSource: read access to a ledger's stored projection rows and events,
// for the projection state (projections/state.h) to load what it needs.
//
// The ledger keeps projection rows as opaque key-value pairs; what they
// mean is the projections' business. A RowSource reads them as of the last
// whole commit the ledger instance sees.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/event.h"
#include "vledger/status.h"

namespace vledger {

class RowSource {
 public:
  virtual ~RowSource() = default;

  // The stored row under `key`; nullopt when absent or on a storage error
  // (which io_status() then reports).
  virtual std::optional<std::string> GetRow(std::string_view key) = 0;
  // The stored rows under `keys` (nullopt where absent), in the order given.
  virtual std::vector<std::optional<std::string>> GetRows(
      const std::vector<std::string>& keys) = 0;

  // Calls fn(key, value) for each stored row whose key starts with prefix,
  // in key byte order, until fn returns false.
  using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;
  virtual void ScanRows(std::string_view prefix, const ScanFn& fn) = 0;

  // The first storage error any read met, if any.
  virtual const Status& io_status() const = 0;
};

// An earlier event of the log, decoded (for reversals and reviews).
using EventSource = std::function<Result<Event>(uint64_t seq)>;

}  // namespace vledger
