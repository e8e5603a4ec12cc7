// ApplyEvent: the one place where an event is validated, authorized and
// turned into projection rows.
//
// The same function runs on append (against the live rows, so bad input is
// rejected before anything is written), on `rebuild` and on `verify`
// (against rows rebuilt in memory by replay, so a forged or out-of-scope
// event in a stored log is found). It is a pure function of the rows and
// the event: no clock, no randomness.
#pragma once

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

}  // namespace vledger
