// ApplyBody overloads for rules and points (apply_points.cc), and the
// reversal dispatcher shared with funds.
//
// Reversal contract: ApplyBody(EventReversed) reads the target, refuses a
// second reversal (row rev/<seq>), refuses targets that move no value,
// checks the author may write the target, then calls UndoEvent (point
// events) or UndoFundEvent (donationReceived, fundDisbursed,
// restrictionReleased, dividendDeclared). An Undo* function validates
// everything before it writes, and writes the inverse postings and
// projection changes; the dispatcher then records rev/<target>.
#pragma once

#include <cstdint>

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"

namespace vledger::detail {

struct ApplyCtx;

Status ApplyBody(ApplyCtx& ctx, const RuleDefined& b);
Status ApplyBody(ApplyCtx& ctx, const RuleRetired& b);
Status ApplyBody(ApplyCtx& ctx, const PointsAwarded& b);
Status ApplyBody(ApplyCtx& ctx, const PointsDeducted& b);
Status ApplyBody(ApplyCtx& ctx, const EntriesReviewed& b);
Status ApplyBody(ApplyCtx& ctx, const PointsRedeemed& b);
Status ApplyBody(ApplyCtx& ctx, const PointsExpired& b);
Status ApplyBody(ApplyCtx& ctx, const EventReversed& b);

// Undoes a point event (pointsAwarded, pointsDeducted, pointsRedeemed,
// pointsExpired) at `target_seq`. Refuses (nothing written) what
// would take spendable points below zero, and entries that never counted
// (pending or rejected).
Status UndoEvent(ApplyCtx& ctx, uint64_t target_seq, const Event& target);

// Undoes a fund event. Defined by the funds engineer in apply_funds.cc; it
// must also check that ctx.author may write the target (treasurer of the
// fund's village, or admin), since the fund rows are private to funds.
Status UndoFundEvent(ApplyCtx& ctx, uint64_t target_seq, const Event& target);

}  // namespace vledger::detail
