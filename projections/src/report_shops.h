// Gathers the bulletin's shops section; for BuildReport (report.cc) only.
#pragma once

#include "vledger/projections/report.h"
#include "vledger/projections/state.h"

namespace vledger::detail {

// Fills d.shops: each shop of d.args.village with a shelf (code order)
// one of whose items moved (received, redeemed or reversed) in a month of
// d.args.period up to d.date, with every such month's statement
// (ShelfMonth, shelf.h: the lines `report shop` prints) and the months'
// totals. Items and counts only, never a resident. d.args and d.date must
// be set.
void GatherShops(StateStore& state, ReportData& d);

}  // namespace vledger::detail
