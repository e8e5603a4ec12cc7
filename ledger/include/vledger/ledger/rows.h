// RowSource: read access to a ledger's stored projection rows and events,
// for the projection state (projections/state.h) to load what it needs.
//
// The ledger keeps projection rows as opaque key-value pairs; what they
// mean is the projections' business. A RowSource reads them as of the last
// whole commit the ledger instance sees.
//
// A row that cannot be read (a damaged table block, an I/O error) must
// never read as a row that is not there: the handler would go on to
// answer "unknown resident" or find its own rows inconsistent. A RowSource
// throws RowReadError instead, from the one read that failed; so do the
// projections' row decoders for a row that does not decode (Corruption
// naming the row). Nothing has been written then (writes wait for the
// commit), and the error comes back as its Status (exit 4) where
// projections are run: ApplyEvent returns it, and every public function
// of the application layer returns it (no exception leaves app/). Replay
// (no RowSource) never throws it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"

namespace vledger {

class RowSource {
 public:
  virtual ~RowSource() = default;

  // The stored row under `key`; nullopt when absent. Throws RowReadError
  // when it cannot be read (so do GetRows and ScanRows).
  virtual std::optional<std::string> GetRow(std::string_view key) = 0;
  // The stored rows under `keys` (nullopt where absent), in the order given.
  virtual std::vector<std::optional<std::string>> GetRows(const std::vector<std::string>& keys) = 0;

  // Calls fn(key, value) for each stored row whose key starts with prefix,
  // in key byte order, until fn returns false.
  using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;
  virtual void ScanRows(std::string_view prefix, const ScanFn& fn) = 0;
};

// A stored row that cannot be read: its Status is a storage error
// (Corruption, Io or Unavailable) and names the damage (see above).
class RowReadError {
 public:
  explicit RowReadError(Status status) : status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

// An earlier event of the log, decoded (for reversals and reviews).
using EventSource = std::function<Result<Event>(uint64_t seq)>;

}  // namespace vledger
