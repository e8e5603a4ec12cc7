#include "vledger/projections/accounts.h"

#include "vledger/projections/funds.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"

namespace vledger {
namespace {

// Splits "kind:a[:b]" into its parts.
struct AccountName {
  std::string_view kind, a, b;
};

AccountName Parse(std::string_view account) {
  AccountName n;
  size_t colon = account.find(':');
  if (colon == std::string_view::npos) return n;
  n.kind = account.substr(0, colon);
  std::string_view rest = account.substr(colon + 1);
  size_t second = rest.find(':');
  n.a = rest.substr(0, second);
  if (second != std::string_view::npos) n.b = rest.substr(second + 1);
  return n;
}

int64_t PaidTo(StateStore& state, std::string_view fund, std::string_view beneficiary) {
  if (const ResidentState* r = FindResident(state, beneficiary)) {
    return SortedAmount(r->rare->paid_fen, fund);
  }
  if (const HouseholdState* h = FindHousehold(state, beneficiary)) {
    return SortedAmount(h->paid_fen, fund);
  }
  return 0;
}

// Wrapping sum: a correct ledger sums to exactly zero; any other value,
// even after wrapping, is a fault.
void AddWrapping(int64_t* total, int64_t v) {
  *total = static_cast<int64_t>(static_cast<uint64_t>(*total) + static_cast<uint64_t>(v));
}

}  // namespace

int64_t AccountBalance(StateStore& state, std::string_view unit, std::string_view account) {
  AccountName n = Parse(account);
  if (unit == kPointsUnit) {
    if (n.kind == "resident") return LoadBalance(state, n.a).spendable;
    const VillageState* v = FindVillage(state, n.a);
    if (v == nullptr) return 0;
    if (n.kind == "issued") return v->issued_pt;
    if (n.kind == "expired") return v->expired_pt;
    if (n.kind == "redeemed") return SortedAmount(v->redeemed_pt, n.b);
    return 0;
  }
  if (unit == kMoneyUnit) {
    if (n.kind == "paid") return PaidTo(state, n.a, n.b);
    const FundState* f = FindFund(state, n.a);
    if (f == nullptr) return 0;
    if (n.kind == "donations") return f->donations_fen;
    if (n.kind == "fund") return SortedAmount(f->purposes_fen, n.b);
  }
  return 0;
}

std::map<std::string, int64_t> UnitTotals(StateStore& state) {
  int64_t pt = 0, fen = 0;
  state.table<VillageState>().ForEach([&](std::string_view, const VillageState& v) {
    AddWrapping(&pt, v.issued_pt);
    AddWrapping(&pt, v.expired_pt);
    for (const auto& [shop, b] : v.redeemed_pt) AddWrapping(&pt, b);
  });
  state.table<ResidentState>().ForEachUnordered([&](std::string_view, const ResidentState& r) {
    AddWrapping(&pt, r.bal.spendable);
    for (const auto& [fund, b] : r.rare->paid_fen) AddWrapping(&fen, b);
  });
  state.table<HouseholdState>().ForEachUnordered([&](std::string_view, const HouseholdState& h) {
    for (const auto& [fund, b] : h.paid_fen) AddWrapping(&fen, b);
  });
  state.table<FundState>().ForEach([&](std::string_view, const FundState& f) {
    AddWrapping(&fen, f.donations_fen);
    for (const auto& [p, b] : f.purposes_fen) AddWrapping(&fen, b);
  });
  return {{std::string(kPointsUnit), pt}, {std::string(kMoneyUnit), fen}};
}

}  // namespace vledger
