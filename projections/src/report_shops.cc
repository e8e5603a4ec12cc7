// The bulletin's shops section (report.h, ReportData::shops): the
// village's credit supermarkets' monthly statements, gathered by the same
// ShelfMonth (shelf.h) that `report shop` prints.
#include "report_shops.h"

#include <string>
#include <utility>
#include <vector>

#include "vledger/projections/names.h"
#include "vledger/projections/shelf.h"
#include "vledger/projections/validate.h"

namespace vledger::detail {
namespace {

// The months (YYYY-MM) of the period up to the report's date: a month
// after it has no end yet to count stock at.
std::vector<std::string> ShopMonths(const ReportData& d) {
  std::vector<std::string> out;
  if (d.date.size() < 7) return out;
  const std::string year = d.args.period.substr(0, 4), last = d.date.substr(0, 7);
  for (int m = 1; m <= 12; m++) {
    std::string month = year + (m < 10 ? "-0" : "-") + std::to_string(m);
    if (month <= last && DateInPeriod(month + "-01", d.args.period)) out.push_back(month);
  }
  return out;
}

bool Moved(const ShelfMonthLine& l) { return l.received != 0 || l.sold != 0 || l.taken != 0; }

}  // namespace

void GatherShops(StateStore& state, ReportData& d) {
  const std::vector<std::string> months = ShopMonths(d);
  if (months.empty()) return;
  for (const std::string& code : ListShelfShops(state, d.args.village)) {
    ShopSummary shop;
    shop.code = code;
    shop.name = DisplayName(state, NameKind::kShop, d.args.village, code);
    bool moved = false;
    for (const std::string& month : months) {
      ShopMonth m;
      m.month = month;
      m.lines = ShelfMonth(state, d.args.village, code, month);
      if (m.lines.empty()) continue;  // the shelf was not there yet
      for (const ShelfMonthLine& l : m.lines) {
        moved = moved || Moved(l);
        shop.received += l.received;
        shop.sold += l.sold;
        shop.taken += l.taken;
      }
      shop.months.push_back(std::move(m));
    }
    if (!moved) continue;
    shop.items = shop.months.back().lines.size();
    for (const ShelfMonthLine& l : shop.months.back().lines) shop.stock += l.stock;
    d.shops.push_back(std::move(shop));
  }
}

}  // namespace vledger::detail
