#include "vledger/projections/shelf.h"

#include <map>
#include <set>

#include "row_damage.h"
#include "vledger/ledger/bytes.h"

namespace vledger {
namespace {

std::string ShopPrefix(std::string_view root, std::string_view village, std::string_view shop) {
  std::string key(root);
  key += village;
  key += '/';
  key += shop;
  key += '/';
  return key;
}

std::string ItemKey(std::string_view village, std::string_view shop, std::string_view item) {
  return ShopPrefix("shelf/", village, shop) + std::string(item);
}

std::string MonthKey(std::string_view village, std::string_view shop, std::string_view month,
                     std::string_view item) {
  return ShopPrefix("shelfm/", village, shop) + std::string(month) + "/" + std::string(item);
}

ShelfItem DecodeItem(std::string_view key, std::string_view item, std::string_view value) {
  RecordReader r(value);
  ShelfItem out{std::string(item), r.I64(), r.I64()};
  detail::CheckRow(r.ok() && r.done(), key);
  return out;
}

struct MonthRow {
  int64_t received = 0, sold = 0, taken = 0, stock = 0;
};

MonthRow DecodeMonth(std::string_view key, std::string_view value) {
  RecordReader r(value);
  MonthRow m{r.I64(), r.I64(), r.I64(), r.I64()};
  detail::CheckRow(r.ok() && r.done(), key);
  return m;
}

}  // namespace

std::optional<ShelfItem> FindShelfItem(StateStore& state, std::string_view village,
                                       std::string_view shop, std::string_view item) {
  std::string key = ItemKey(village, shop, item);
  std::optional<std::string> row = state.Get(key);
  if (!row) return std::nullopt;
  return DecodeItem(key, item, *row);
}

std::vector<ShelfItem> ListShelf(StateStore& state, std::string_view village,
                                 std::string_view shop) {
  std::string prefix = ShopPrefix("shelf/", village, shop);
  std::vector<ShelfItem> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    out.push_back(DecodeItem(key, key.substr(prefix.size()), value));
    return true;
  });
  return out;
}

bool HasShelf(StateStore& state, std::string_view village, std::string_view shop) {
  bool any = false;
  state.Scan(ShopPrefix("shelf/", village, shop), [&](std::string_view, std::string_view) {
    any = true;
    return false;
  });
  return any;
}

std::vector<std::string> ListShelfShops(StateStore& state, std::string_view village) {
  // shelf/<village>/<shop>/<item>: shop codes hold no '/'. Keys sort
  // "CS01-/…" before "CS01/…", so the codes are sorted afterwards.
  std::string prefix = "shelf/" + std::string(village) + "/";
  std::set<std::string> shops;
  state.Scan(prefix, [&](std::string_view key, std::string_view) {
    std::string_view rest = key.substr(prefix.size());
    size_t slash = rest.find('/');
    detail::CheckRow(slash != std::string_view::npos, key);
    shops.emplace(rest.substr(0, slash));
    return true;
  });
  return {shops.begin(), shops.end()};
}

std::vector<ShelfMonthLine> ShelfMonth(StateStore& state, std::string_view village,
                                       std::string_view shop, std::string_view month) {
  // Months sort as text (YYYY-MM), so the rows come in month order: the
  // stock at the end of `month` is that of the last row up to it.
  std::string prefix = ShopPrefix("shelfm/", village, shop);
  std::map<std::string, ShelfMonthLine> lines;
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    std::string_view rest = key.substr(prefix.size());
    size_t slash = rest.find('/');
    detail::CheckRow(slash != std::string_view::npos, key);
    std::string_view row_month = rest.substr(0, slash);
    if (row_month > month) return true;
    std::string item(rest.substr(slash + 1));
    MonthRow m = DecodeMonth(key, value);
    ShelfMonthLine& line = lines[item];
    line.item = item;
    line.stock = m.stock;
    if (row_month == month) {
      line.received += m.received;
      line.sold += m.sold;
      line.taken += m.taken;
    }
    return true;
  });
  std::vector<ShelfMonthLine> out;
  for (auto& [item, line] : lines) {
    if (auto now = FindShelfItem(state, village, shop, item)) line.points = now->points;
    out.push_back(std::move(line));
  }
  return out;
}

void StoreShelfItem(StateStore& state, std::string_view village, std::string_view shop,
                    const ShelfItem& item) {
  state.Put(ItemKey(village, shop, item.item),
            RecordWriter().I64(item.points).I64(item.stock).Take());
}

void AddShelfMonth(StateStore& state, std::string_view village, std::string_view shop,
                   std::string_view month, std::string_view item, int64_t received, int64_t sold,
                   int64_t taken, int64_t stock_after) {
  std::string key = MonthKey(village, shop, month, item);
  MonthRow m;
  if (std::optional<std::string> row = state.Get(key)) m = DecodeMonth(key, *row);
  m.received += received;
  m.sold += sold;
  m.taken += taken;
  m.stock = stock_after;
  state.Put(key, RecordWriter().I64(m.received).I64(m.sold).I64(m.taken).I64(m.stock).Take());
}

void MarkShelfSale(StateStore& state, uint64_t seq) { state.Put("shelfsale/" + U64be(seq), "1"); }

bool IsShelfSale(StateStore& state, uint64_t seq) {
  return state.Get("shelfsale/" + U64be(seq)).has_value();
}

}  // namespace vledger
