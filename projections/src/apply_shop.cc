// The credit supermarket's shelf (shelf.h): items and their prices, stock,
// and the stock a redemption takes. Shelves are a village's, written by an
// admin or a collector of the village, as redemptions are.
#include "apply_shop.h"

#include "row_damage.h"
#include "vledger/projections/points.h"
#include "vledger/projections/shelf.h"
#include "vledger/projections/validate.h"

namespace vledger::detail {
namespace {

// Most units of one item on one shelf.
constexpr int64_t kShelfStockMax = 1'000'000'000;

std::string RecordedMonth(const ApplyCtx& ctx) {
  return CstDate(ctx.event.recorded_at_ms).substr(0, 7);
}

Status CheckShelfArgs(ApplyCtx& ctx, std::string_view village, std::string_view shop,
                      std::string_view item) {
  VLEDGER_TRY(RequireVillage(ctx.state, "village", village).status());
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, village));
  VLEDGER_TRY(CheckId("shop", shop));
  return CheckText("item", item, false);
}

Status CheckStock(std::string_view field, std::string_view item, int64_t stock) {
  if (stock > kShelfStockMax) {
    return Status::InvalidInput(
        field, Msg("the stock of \"{}\" would be {}, beyond the limit of {}", item, Num(stock),
                   Num(kShelfStockMax)));
  }
  return Status::Ok();
}

}  // namespace

Status ApplyBody(ApplyCtx& ctx, const ShopItemAdded& b) {
  VLEDGER_TRY(CheckShelfArgs(ctx, b.village, b.shop, b.item));
  if (b.points <= 0 || b.points > kEntryPointsMax) {
    return Status::InvalidInput("points", Msg("must be 1 to {}", Num(kEntryPointsMax)));
  }
  ShelfItem item{b.item, b.points, 0};
  if (auto now = FindShelfItem(ctx.state, b.village, b.shop, b.item)) item.stock = now->stock;
  item.stock += b.stock;
  VLEDGER_TRY(CheckStock("stock", b.item, item.stock));
  StoreShelfItem(ctx.state, b.village, b.shop, item);
  AddShelfMonth(ctx.state, b.village, b.shop, RecordedMonth(ctx), b.item, b.stock, 0, 0,
                item.stock);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const ShopRestocked& b) {
  VLEDGER_TRY(CheckShelfArgs(ctx, b.village, b.shop, b.item));
  if (b.quantity < 1) return Status::InvalidInput("quantity", "must be greater than zero");
  std::optional<ShelfItem> item = FindShelfItem(ctx.state, b.village, b.shop, b.item);
  if (!item) {
    return Status::NotFound(
        "item", Msg("\"{}\" is not on the shelf of shop \"{}\" in village \"{}\"; add it first",
                    b.item, b.shop, b.village));
  }
  item->stock += b.quantity;
  VLEDGER_TRY(CheckStock("quantity", b.item, item->stock));
  StoreShelfItem(ctx.state, b.village, b.shop, *item);
  AddShelfMonth(ctx.state, b.village, b.shop, RecordedMonth(ctx), b.item, b.quantity, 0, 0,
                item->stock);
  return Status::Ok();
}

Status TakeFromShelf(ApplyCtx& ctx, std::string_view village, const PointsRedeemed& b) {
  std::optional<ShelfItem> item = FindShelfItem(ctx.state, village, b.shop, b.item);
  if (!item) {
    if (!HasShelf(ctx.state, village, b.shop)) return Status::Ok();
    return Status::NotFound("item",
                            Msg("\"{}\" is not on the shelf of shop \"{}\"", b.item, b.shop));
  }
  int64_t price = item->points * static_cast<int64_t>(b.quantity);  // both bounded: no overflow
  if (b.points != price) {
    return Status::FailedPrecondition(
        "points", Msg("\"{}\" costs {} points a unit at shop \"{}\": {} for {}, not {}", b.item,
                      Num(item->points), b.shop, Num(price), b.quantity, Num(b.points)));
  }
  if (b.quantity > item->stock) {
    return Status::FailedPrecondition(
        "quantity", Msg("only {} of \"{}\" left at shop \"{}\"; cannot redeem {}", Num(item->stock),
                        b.item, b.shop, b.quantity));
  }
  item->stock -= b.quantity;
  StoreShelfItem(ctx.state, village, b.shop, *item);
  AddShelfMonth(ctx.state, village, b.shop, RecordedMonth(ctx), b.item, 0, b.quantity, b.points,
                item->stock);
  MarkShelfSale(ctx.state, ctx.seq);
  return Status::Ok();
}

void ReturnToShelf(ApplyCtx& ctx, uint64_t target_seq, std::string_view village,
                   const PointsRedeemed& b) {
  if (!IsShelfSale(ctx.state, target_seq)) return;
  std::optional<ShelfItem> item = FindShelfItem(ctx.state, village, b.shop, b.item);
  CheckRow(item.has_value(), "shelf/" + std::string(village) + "/" + b.shop + "/" + b.item);
  item->stock += b.quantity;
  StoreShelfItem(ctx.state, village, b.shop, *item);
  AddShelfMonth(ctx.state, village, b.shop, RecordedMonth(ctx), b.item, 0,
                -static_cast<int64_t>(b.quantity), -b.points, item->stock);
}

}  // namespace vledger::detail
