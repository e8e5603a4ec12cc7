// Display names of codes (SPEC section 3): the name people read for a rule,
// a purpose, a shop, a fund or a rule category, set by displayNameSet.
// Codes stay what the log and JSON carry; human output and reports show
// the name, or the code where none was set.
//
// Rows:
//   dname/<kind>/<village>/<code>   (plain) the name; <village> empty for a
//                                   name that holds in every village
// A fund's name is its record's (fundOpened, renamed by displayNameSet):
// FundRecord.name, so no dname/ row is kept for funds.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "vledger/ledger/vocab.h"
#include "vledger/projections/state.h"

namespace vledger {

// The name of `code` as seen in `village` (empty: county-wide): the
// village's own name, else the county-wide one; "" when there is none.
// Rules and funds have one name, whatever the village.
std::string DisplayName(StateStore& state, NameKind kind, std::string_view village,
                        std::string_view code);

// The same, or `code` itself when it has no name.
std::string NameOrCode(StateStore& state, NameKind kind, std::string_view village,
                       std::string_view code);

// Every name of `kind` that holds in `village`: code -> name, the
// village's own names over the county-wide ones (for rules, which have no
// village names, give ""). Not for funds.
std::map<std::string, std::string> DisplayNames(StateStore& state, NameKind kind,
                                                std::string_view village);

// Stores a name (apply only; for rule, purpose, shop and category).
void StoreDisplayName(StateStore& state, NameKind kind, std::string_view village,
                      std::string_view code, std::string_view name);

}  // namespace vledger
