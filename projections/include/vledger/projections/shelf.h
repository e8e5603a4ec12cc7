// The credit supermarket's shelf (SPEC section 12, "Shop"): per village and
// shop, the items on the shelf with their price a unit and their stock, and
// per month what each item received, sold and took in points. Set by
// shopItemAdded and shopRestocked; a redemption of a shelf item takes its
// price from here and lowers the stock, never below zero (ApplyEvent
// refuses it otherwise, so the one writer of the ledger serializes
// concurrent redemptions).
//
// Rows (plain):
//   shelf/<village>/<shop>/<item>               price a unit, stock
//   shelfm/<village>/<shop>/<YYYY-MM>/<item>    received, sold, points taken,
//                                               stock after the month's last change
//   shelfsale/<seq>                             a redemption that took stock
//                                               (its reversal puts it back)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/projections/state.h"

namespace vledger {

struct ShelfItem {
  std::string item;
  int64_t points = 0;  // a unit
  int64_t stock = 0;
};

// The item on `shop`'s shelf in `village`, if it is there.
std::optional<ShelfItem> FindShelfItem(StateStore& state, std::string_view village,
                                       std::string_view shop, std::string_view item);
// Every item on the shelf, in byte order of the item; empty: the shop has
// no shelf (its redemptions give their points).
std::vector<ShelfItem> ListShelf(StateStore& state, std::string_view village,
                                 std::string_view shop);
bool HasShelf(StateStore& state, std::string_view village, std::string_view shop);
// The codes of the village's shops that have a shelf, in byte order.
std::vector<std::string> ListShelfShops(StateStore& state, std::string_view village);

// One item's line of a shop's monthly statement.
struct ShelfMonthLine {
  std::string item;
  int64_t points = 0;    // price a unit now (0: no longer known)
  int64_t received = 0;  // units added (item add, restock) in the month
  int64_t sold = 0;      // units redeemed, net of reversals recorded in the month
  int64_t taken = 0;     // points those redemptions took, net
  int64_t stock = 0;     // left at the end of the month
};
// The statement of `month` (YYYY-MM): every item on the shelf by then.
// Redemptions and reversals count in the month they were recorded (CST).
std::vector<ShelfMonthLine> ShelfMonth(StateStore& state, std::string_view village,
                                       std::string_view shop, std::string_view month);

// For ApplyEvent only.
void StoreShelfItem(StateStore& state, std::string_view village, std::string_view shop,
                    const ShelfItem& item);
// Adds to the month's line of `item` and sets its stock after the change.
void AddShelfMonth(StateStore& state, std::string_view village, std::string_view shop,
                   std::string_view month, std::string_view item, int64_t received, int64_t sold,
                   int64_t taken, int64_t stock_after);
void MarkShelfSale(StateStore& state, uint64_t seq);
bool IsShelfSale(StateStore& state, uint64_t seq);

}  // namespace vledger
