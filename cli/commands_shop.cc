// The credit supermarket's shelf: `shop item add`, `shop restock`, `shop
// items` (app/shop.h; the statement is `report shop`, commands_report.cc).
#include <memory>

#include "actions.h"
#include "i18n.h"
#include "vledger/app/shop.h"

namespace vledger::cli {
namespace {

void PrintShopItems(const Context& ctx, const app::ShopItemsResult& result) {
  std::string shop = result.shop_name.empty() ? result.shop : result.shop_name;
  ctx.PrintLine(
      Tr("{} ({}), village {}: {} items", shop, result.shop, result.village, result.items.size()));
  for (const ShelfItem& i : result.items) {
    ctx.PrintLine(Tr("  {}  {} points a unit  {} in stock", i.item, i.points, i.stock));
  }
}

}  // namespace

void RegisterShopCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* shop =
      AddCommand(app, "shop", _("the credit supermarket's shelf: items, prices and stock"));
  shop->require_subcommand(1);
  CLI::App* item = AddCommand(*shop, "item", _("items on a shop's shelf"));
  item->require_subcommand(1);
  {
    auto o = std::make_shared<app::ShopItemAddRequest>();
    CLI::App* cmd = AddCommand(
        *item, "add", _("put an item on the shelf, or give it a new price (stock is added)"));
    cmd->add_option("SHOP", o->shop, _("shop code"))->required();
    cmd->add_option("--item", o->item, _("item (public)"))->required();
    cmd->add_option("--points", o->points, _("points a unit"))->required();
    cmd->add_option("--stock", o->stock, _("units put on the shelf"))->required();
    cmd->add_option("--village", o->village, _("the shop's village (default: the key's)"));
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::ShopItemAdd, app::ShopItemAddJson);
  }
  {
    auto o = std::make_shared<app::ShopRestockRequest>();
    CLI::App* cmd = AddCommand(*shop, "restock", _("add units of an item on the shelf"));
    cmd->add_option("SHOP", o->shop, _("shop code"))->required();
    cmd->add_option("--item", o->item, _("item on the shelf"))->required();
    cmd->add_option("--qty", o->qty, _("units added"))->required();
    cmd->add_option("--village", o->village, _("the shop's village (default: the key's)"));
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::ShopRestock, app::ShopRestockJson);
  }
  {
    auto o = std::make_shared<app::ShopItemsRequest>();
    CLI::App* cmd = AddCommand(*shop, "items", _("a shop's shelf: items, prices, stock"));
    cmd->add_option("SHOP", o->shop, _("shop code"))->required();
    cmd->add_option("--village", o->village,
                    _("the shop's village (default: the one with a shelf for it)"));
    cmd->add_option("--at", o->at, _("as of just after event SEQ"));
    OnQuery(cmd, ctx, action, o, app::ShopItems, app::ShopItemsJson, PrintShopItems);
  }
}

}  // namespace vledger::cli
