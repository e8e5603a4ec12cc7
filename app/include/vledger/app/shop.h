// The credit supermarket's shelf (SPEC section 12, "Shop"): `shop item add
// SHOP --item NAME --points N --stock N`, `shop restock SHOP --item NAME
// --qty N`, `shop items SHOP` and the shop's monthly statement (`report shop
// SHOP --period YYYY-MM`). A shop's code is its village's own, so each
// takes `--village V`, which may be left out when the writing key has one
// village or, for the queries, when one village has a shelf for the shop.
// Redemptions of shelf items take their price from the shelf (`redeem`,
// points.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vledger/app/append.h"
#include "vledger/app/builders.h"
#include "vledger/app/session.h"
#include "vledger/projections/shelf.h"

namespace vledger::app {

// `shop item add SHOP --item NAME --points N --stock N [--village V]`: an
// item already on the shelf takes the new price and its stock grows by N.
struct ShopItemAddRequest : AppendRequest, ShopItemArgs {};
struct ShopItemAddResult {
  AppendResult append;
  std::vector<Msg> warnings;
};
Result<ShopItemAddResult> ShopItemAdd(const Session& session, const ShopItemAddRequest& request);
std::string ShopItemAddJson(const ShopItemAddResult& result);

// `shop restock SHOP --item NAME --qty N [--village V]`
struct ShopRestockRequest : AppendRequest, ShopRestockArgs {};
struct ShopRestockResult {
  AppendResult append;
};
Result<ShopRestockResult> ShopRestock(const Session& session, const ShopRestockRequest& request);
std::string ShopRestockJson(const ShopRestockResult& result);

// `shop items SHOP [--village V] [--at SEQ]`: the shelf, in item order.
struct ShopItemsRequest {
  std::string shop, village, at;
};
struct ShopItemsResult {
  std::string village, shop, shop_name;  // shop_name: its display name, or ""
  std::vector<ShelfItem> items;
};
Result<ShopItemsResult> ShopItems(const Session& session, const ShopItemsRequest& request);
std::string ShopItemsJson(const ShopItemsResult& result);

// `report shop SHOP --village V --period YYYY-MM`: per item, the units
// received and redeemed, the points taken and the stock left at the end
// of the month (redemptions and their reversals in the month recorded).
struct ShopStatementRequest {
  std::string shop, village, period;
  std::string at;  // the first SIZE events (as `report --at`); empty: all
};
struct ShopStatementResult {
  std::string village, shop, shop_name, period;
  std::vector<ShelfMonthLine> lines;
  int64_t sold = 0, taken = 0;  // totals of the lines
};
Result<ShopStatementResult> ShopStatement(const Session& session,
                                          const ShopStatementRequest& request);
std::string ShopStatementJson(const ShopStatementResult& result);

}  // namespace vledger::app
