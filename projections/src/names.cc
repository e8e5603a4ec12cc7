#include "vledger/projections/names.h"

#include "vledger/projections/funds.h"

namespace vledger {
namespace {

std::string RowKey(NameKind kind, std::string_view village, std::string_view code) {
  std::string key = "dname/";
  key += Name(kind);
  key += '/';
  key += village;
  key += '/';
  key += code;
  return key;
}

}  // namespace

std::string DisplayName(StateStore& state, NameKind kind, std::string_view village,
                        std::string_view code) {
  if (kind == NameKind::kFund) {
    const FundState* f = FindFund(state, code);
    return f != nullptr ? f->rec.name : std::string();
  }
  if (kind != NameKind::kRule && !village.empty()) {
    if (std::optional<std::string> own = state.Get(RowKey(kind, village, code))) return *own;
  }
  return state.Get(RowKey(kind, "", code)).value_or(std::string());
}

std::string NameOrCode(StateStore& state, NameKind kind, std::string_view village,
                       std::string_view code) {
  std::string name = DisplayName(state, kind, village, code);
  return name.empty() ? std::string(code) : name;
}

std::map<std::string, std::string> DisplayNames(StateStore& state, NameKind kind,
                                                std::string_view village) {
  VLEDGER_ASSERT(kind != NameKind::kFund);
  std::map<std::string, std::string> names;
  auto scan = [&](std::string_view in) {
    std::string prefix = RowKey(kind, in, "");
    state.Scan(prefix, [&](std::string_view key, std::string_view value) {
      names[std::string(key.substr(prefix.size()))] = std::string(value);
      return true;
    });
  };
  scan("");
  if (kind != NameKind::kRule && !village.empty()) scan(village);
  return names;
}

void StoreDisplayName(StateStore& state, NameKind kind, std::string_view village,
                      std::string_view code, std::string_view name) {
  VLEDGER_ASSERT(kind != NameKind::kFund);
  VLEDGER_ASSERT(kind != NameKind::kRule || village.empty());
  state.Put(RowKey(kind, village, code), name);
}

}  // namespace vledger
