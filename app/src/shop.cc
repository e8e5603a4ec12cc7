// The credit supermarket's shelf (shop.h).
#include "vledger/app/shop.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "guard.h"
#include "vledger/app/points.h"
#include "vledger/projections/names.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

struct ShopQuery {
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<StateStore> state;  // borrows *ledger
  std::string village;
};

// Opens the state a query answers from (at SEQ when given) and finds the
// shop's village: `village`, else the one village whose shelf has the shop.
Result<ShopQuery> OpenShop(const Session& session, const std::string& shop,
                           const std::string& village, const std::string& at) {
  VLEDGER_TRY(CheckId("SHOP", shop));
  ShopQuery q;
  VLEDGER_ASSIGN_OR_RETURN(q.ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(std::optional<uint64_t> seq, ParseAtSeq(at));
  if (seq) {
    VLEDGER_ASSIGN_OR_RETURN(q.state, StateAt(*q.ledger, *seq));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(q.state, StoredState(*q.ledger));
  }
  if (!village.empty()) {
    VLEDGER_TRY(CheckId("--village", village));
    if (!LoadVillage(*q.state, village)) {
      return Status::NotFound("--village", Msg("unknown village \"{}\"", village));
    }
    q.village = village;
    return q;
  }
  std::vector<std::string> with;
  for (const VillageRecord& v : ListVillages(*q.state)) {
    if (HasShelf(*q.state, v.code, shop)) with.push_back(v.code);
  }
  if (with.size() == 1) {
    q.village = with.front();
    return q;
  }
  if (with.empty()) {
    return Status::NotFound("SHOP", Msg("no village has a shelf for shop \"{}\"", shop));
  }
  std::string list;
  for (const std::string& v : with) list += (list.empty() ? "" : ", ") + v;
  return Status::InvalidInput(
      "--village",
      Msg("shop \"{}\" has a shelf in several villages ({}): give --village", shop, list));
}

}  // namespace

Result<ShopItemAddResult> ShopItemAdd(const Session& session,
                                      const ShopItemAddRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Append(session, request, [&](CommitBuilder& b) {
                             return BuildShopItem(b, request);
                           }));
  return ShopItemAddResult{
      std::move(append),
      {Msg("{} is part of the public log: keep personal details out of it", "--item")}};
} catch (...) {
  return CaughtStatus();
}

std::string ShopItemAddJson(const ShopItemAddResult& result) { return result.append.json; }

Result<ShopRestockResult> ShopRestock(const Session& session,
                                      const ShopRestockRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Append(session, request, [&](CommitBuilder& b) {
                             return BuildShopRestock(b, request);
                           }));
  return ShopRestockResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string ShopRestockJson(const ShopRestockResult& result) { return result.append.json; }

Result<ShopItemsResult> ShopItems(const Session& session, const ShopItemsRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(ShopQuery q,
                           OpenShop(session, request.shop, request.village, request.at));
  ShopItemsResult result;
  result.village = q.village;
  result.shop = request.shop;
  result.shop_name = DisplayName(*q.state, NameKind::kShop, q.village, request.shop);
  result.items = ListShelf(*q.state, q.village, request.shop);
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string ShopItemsJson(const ShopItemsResult& result) {
  Json items = Json::array();
  for (const ShelfItem& i : result.items) {
    items.push_back(Json{{"item", i.item}, {"points", i.points}, {"stock", i.stock}});
  }
  Json out{{"village", result.village}, {"shop", result.shop}};
  if (!result.shop_name.empty()) out["shopName"] = result.shop_name;
  out["items"] = std::move(items);
  return out.dump();
}

Result<ShopStatementResult> ShopStatement(const Session& session,
                                          const ShopStatementRequest& request) try {
  VLEDGER_TRY(CheckMonth("--period", request.period));
  std::string at_seq;  // --at SIZE: the first SIZE events, i.e. as of seq SIZE-1
  if (!request.at.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(std::optional<uint64_t> size, ParseAtSeq(request.at));
    if (*size == 0) return Status::InvalidInput("--at", "must be 1 or more");
    at_seq = std::to_string(*size - 1);
  }
  VLEDGER_ASSIGN_OR_RETURN(ShopQuery q, OpenShop(session, request.shop, request.village, at_seq));
  ShopStatementResult result;
  result.village = q.village;
  result.shop = request.shop;
  result.shop_name = DisplayName(*q.state, NameKind::kShop, q.village, request.shop);
  result.period = request.period;
  result.lines = ShelfMonth(*q.state, q.village, request.shop, request.period);
  for (const ShelfMonthLine& l : result.lines) {
    result.sold += l.sold;
    result.taken += l.taken;
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string ShopStatementJson(const ShopStatementResult& result) {
  Json lines = Json::array();
  for (const ShelfMonthLine& l : result.lines) {
    lines.push_back(Json{{"item", l.item},
                         {"points", l.points},
                         {"received", l.received},
                         {"sold", l.sold},
                         {"pointsTaken", l.taken},
                         {"stock", l.stock}});
  }
  Json out{{"village", result.village}, {"shop", result.shop}};
  if (!result.shop_name.empty()) out["shopName"] = result.shop_name;
  out["period"] = result.period;
  out["items"] = std::move(lines);
  out["sold"] = result.sold;
  out["pointsTaken"] = result.taken;
  return out.dump();
}

}  // namespace vledger::app
