// Building EventSummary (vledger/app/event_summary.h) from an event and
// the projection state (not part of the application layer's interface).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "vledger/app/event_summary.h"
#include "vledger/ledger/event.h"
#include "vledger/projections/state.h"

namespace vledger::app {

// The name of the person record `ref` of a resident of `village`, or ""
// when erased or when the reader may not see names there.
using PersonNameFn = std::function<std::string(const std::string& ref, const std::string& village)>;

// What event `seq` says, its references looked up in `state` (the state
// after it, or later: ids are never reused, so what it names is there).
EventSummary Summarize(StateStore& state, uint64_t seq, const Event& event,
                       const PersonNameFn& person_name);

// Sets the balances after the commit: the resident's points, the fund's
// total (live state of an append).
void AddBalances(StateStore& state, EventSummary& summary);

}  // namespace vledger::app
