// ApplyBody overloads for funds (apply_funds.cc): fund opening, donations,
// disbursements, restriction releases, dividends and monthly allowances.
// UndoFundEvent, which reverses fund events, is declared in apply_points.h
// beside the reversal dispatcher.
#pragma once

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"

namespace vledger::detail {

struct ApplyCtx;

Status ApplyBody(ApplyCtx& ctx, const FundOpened& b);
Status ApplyBody(ApplyCtx& ctx, const DonationReceived& b);
Status ApplyBody(ApplyCtx& ctx, const FundDisbursed& b);
Status ApplyBody(ApplyCtx& ctx, const AllowanceAdded& b);
Status ApplyBody(ApplyCtx& ctx, const AllowanceStopped& b);
Status ApplyBody(ApplyCtx& ctx, const RestrictionReleased& b);
Status ApplyBody(ApplyCtx& ctx, const DividendDeclared& b);

}  // namespace vledger::detail
