// The ledger's clock (SPEC §12, test clock): whose time an event records.
// Every event records when it was appended, from the system clock; a
// ledger made with `init --test-clock` (its genesis says so) may take a
// fixed time instead, for tests and demos. Time never runs backwards in
// the log: an append behind the last event is refused, and `verify`
// (ChainReplayer, verify.h) faults one in ledgers whose genesis says
// monotonicTime.
#pragma once

#include <cstdint>

#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"

namespace vledger {

// Whether the ledger was made with `init --test-clock`. Read from the
// genesis (event 0); Unavailable when the ledger has none.
Result<bool> HasTestClock(const Ledger& ledger);

// FailedPrecondition when `now_ms` is behind the recordedAt of the ledger's last
// event (equal is fine), naming that event and both times.
Status CheckClockNotBehind(const Ledger& ledger, int64_t now_ms);

}  // namespace vledger
