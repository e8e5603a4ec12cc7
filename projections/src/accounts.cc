#include "vledger/accounts.h"

#include "vledger/bytes.h"

namespace vledger {
namespace {

std::string AccountKey(std::string_view unit, std::string_view account) {
  std::string key = "acct/";
  key.append(unit);
  key += '/';
  key.append(account);
  return key;
}

int64_t Decode(const std::optional<std::string>& row) {
  if (!row) return 0;
  RecordReader r(*row);
  int64_t v = r.I64();
  VLEDGER_ASSERT(r.ok());
  return v;
}

}  // namespace

int64_t AccountBalance(StateStore& state, std::string_view unit, std::string_view account) {
  return Decode(state.Get(AccountKey(unit, account)));
}

Status Post(StateStore& state, std::string_view unit, std::string_view from, std::string_view to,
            int64_t amount) {
  VLEDGER_ASSERT(amount > 0);
  int64_t from_balance = AccountBalance(state, unit, from);
  int64_t to_balance = AccountBalance(state, unit, to);
  int64_t new_from, new_to;
  if (from == to) return Status::Ok();
  if (__builtin_sub_overflow(from_balance, amount, &new_from) ||
      __builtin_add_overflow(to_balance, amount, &new_to)) {
    return Status::Rejected("amount: posting " + std::to_string(amount) + " " + std::string(unit) +
                            " would overflow account " + std::string(from) + " or " +
                            std::string(to));
  }
  state.Put(AccountKey(unit, from), RecordWriter().I64(new_from).Take());
  state.Put(AccountKey(unit, to), RecordWriter().I64(new_to).Take());
  return Status::Ok();
}

std::map<std::string, int64_t> UnitTotals(StateStore& state) {
  std::map<std::string, int64_t> totals;
  state.Scan("acct/", [&](std::string_view key, std::string_view value) {
    std::string_view rest = key.substr(5);
    std::string unit(rest.substr(0, rest.find('/')));
    RecordReader r(value);
    int64_t v = r.I64();
    VLEDGER_ASSERT(r.ok());
    // Wrapping sum: a correct ledger sums to exactly zero; any other value,
    // even after wrapping, is a fault.
    totals[unit] = static_cast<int64_t>(static_cast<uint64_t>(totals[unit]) + static_cast<uint64_t>(v));
    return true;
  });
  return totals;
}

}  // namespace vledger
