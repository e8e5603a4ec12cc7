// Shared by the ApplyEvent handlers (apply_*.cc). Each event body type has
// one ApplyBody overload that validates, authorizes, then writes rows.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "vledger/projections/apply.h"
#include "vledger/projections/registry.h"

namespace vledger::detail {

// A whole number in a message.
inline std::string Num(int64_t v) { return std::to_string(v); }

struct ApplyCtx {
  StateStore& state;
  uint64_t seq;
  const Event& event;
  const KeyRecord* author;  // nullptr only for the genesis
};

// Why resident `r`, departed or deceased, cannot receive or give points
// or money.
inline Msg NotActive(const ResidentRecord& r) {
  if (r.status == ResidentStatus::kDeceased) return Msg("resident \"{}\" is deceased", r.id);
  return Msg("resident \"{}\" is departed", r.id);
}

// The author must be an admin, or hold one of `roles` with `village` in its
// scope. An empty `village` is a county-level resource: only keys without a
// village scope may write it.
Status RequireRole(const ApplyCtx& ctx, std::initializer_list<Role> roles,
                   std::string_view village);

// Lookups that reject with the field named. The entities stay valid as
// long as the state.
Result<const VillageState*> RequireVillage(StateStore& state, std::string_view field,
                                           std::string_view code);
Result<const HouseholdState*> RequireHousehold(StateStore& state, std::string_view field,
                                               std::string_view id);
Result<const ResidentState*> RequireResident(StateStore& state, std::string_view field,
                                             std::string_view id);
Status RequirePersonRef(std::string_view field, std::string_view ref);

// ledger and registry (apply_registry.cc)
Status ApplyBody(ApplyCtx& ctx, const Genesis& b);
Status ApplyBody(ApplyCtx& ctx, const KeyRegistered& b);
Status ApplyBody(ApplyCtx& ctx, const KeyRevoked& b);
Status ApplyBody(ApplyCtx& ctx, const VillageRegistered& b);
Status ApplyBody(ApplyCtx& ctx, const VillagePolicySet& b);
Status ApplyBody(ApplyCtx& ctx, const HouseholdRegistered& b);
Status ApplyBody(ApplyCtx& ctx, const HouseholdHeadSet& b);
Status ApplyBody(ApplyCtx& ctx, const ResidentRegistered& b);
Status ApplyBody(ApplyCtx& ctx, const ResidentUpdated& b);
Status ApplyBody(ApplyCtx& ctx, const PersonErased& b);

// display names (apply_names.cc)
Status ApplyBody(ApplyCtx& ctx, const DisplayNameSet& b);

}  // namespace vledger::detail

// Handlers of the other event families, one header each. Every event body
// type has its ApplyBody overload: ApplyEvent's std::visit does not compile
// when one is missing.
#include "apply_benefits.h"
#include "apply_disclosure.h"
#include "apply_funds.h"
#include "apply_grades.h"
#include "apply_points.h"
#include "apply_shop.h"
