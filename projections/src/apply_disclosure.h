// ApplyBody overloads for disclosure: publications of reports and the
// objections (异议) filed against events or published reports
// (apply_disclosure.cc). Rows are described in vledger/projections/objections.h.
#pragma once

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"

namespace vledger::detail {

struct ApplyCtx;

// Admin or a collector of the village.
Status ApplyBody(ApplyCtx& ctx, const DisclosurePublished& b);
// Admin, an auditor, or a collector or reviewer of the objection's village.
Status ApplyBody(ApplyCtx& ctx, const ObjectionFiled& b);
// Admin, or a collector or reviewer of the objection's village.
Status ApplyBody(ApplyCtx& ctx, const ObjectionResolved& b);

}  // namespace vledger::detail
