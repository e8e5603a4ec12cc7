// ApplyEvent: the one place where an event is validated, authorized and
// turned into projection rows.
//
// The same function runs on append (against the live rows, so bad input is
// rejected before anything is written), on `rebuild` and on `verify`
// (against rows rebuilt in memory by replay, so a forged or out-of-scope
// event in a stored log is found). It is a pure function of the rows and
// the event: no clock, no randomness.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"
#include "vledger/projections/state.h"

namespace vledger {

// Checks that `event`, placed at `seq`, is authorized (its key registered,
// unrevoked, of a role that may write it, in scope) and valid against
// `state`, then applies it. A refusal says what is wrong with the event:
// PermissionDenied (key not registered, revoked, role, village scope),
// NotFound (an unknown resident, rule, fund ...), AlreadyExists,
// FailedPrecondition (not enough points or money, retired, already paid
// ...) or InvalidInput, with the schema field at fault in field() ("rule",
// "points", "to" ...). A stored row that cannot be read is its storage
// error (rows.h). On a non-ok Status the caller must discard `state`'s
// pending writes: handlers validate before they write, but a multi-event
// command may have applied earlier events.
Status ApplyEvent(StateStore& state, uint64_t seq, const Event& event);

// Cache hints for a replay, which knows the events it will apply next: a
// resident looked up among some 286,000 is a few cache misses, and most
// of an entry's cost. PrefetchFor hints the entities `event` will look up,
// in three stages (Table::Hint); PrefetchAhead, called before applying the
// i-th of n events, runs each stage for the event kHintDistance[stage]
// ahead, so that every stage's loads arrive before the next one needs
// them. event_at(j) is the j-th event, or nullptr (not decoded). Hints
// change nothing: replaying with or without them gives the same state.
void PrefetchFor(StateStore& state, const Event& event, int stage);
inline constexpr size_t kHintDistance[3] = {12, 6, 2};
template <typename EventAt>
void PrefetchAhead(StateStore& state, size_t i, size_t n, EventAt&& event_at) {
  for (int stage = 0; stage < 3; stage++) {
    size_t j = i + kHintDistance[stage];
    if (j >= n) continue;
    if (const Event* e = event_at(j)) PrefetchFor(state, *e, stage);
  }
}

}  // namespace vledger
