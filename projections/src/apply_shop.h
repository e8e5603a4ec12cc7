// ApplyBody for the shop's shelf (shopItemAdded, shopRestocked), and what a
// redemption and its reversal do to the shelf (shelf.h).
#pragma once

#include "apply_internal.h"

namespace vledger::detail {

Status ApplyBody(ApplyCtx& ctx, const ShopItemAdded& b);
Status ApplyBody(ApplyCtx& ctx, const ShopRestocked& b);

// A redemption at a shop of `village` (the resident's): when the shop has
// a shelf, the item must be on it, the points its price times the
// quantity, and the quantity at most the stock, which it lowers. A shop
// without a shelf takes the points given.
Status TakeFromShelf(ApplyCtx& ctx, std::string_view village, const PointsRedeemed& b);
// The reversal of the redemption at `target_seq`: the stock it took comes back.
void ReturnToShelf(ApplyCtx& ctx, uint64_t target_seq, std::string_view village,
                   const PointsRedeemed& b);

}  // namespace vledger::detail
