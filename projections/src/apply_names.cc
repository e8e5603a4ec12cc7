// ApplyBody for displayNameSet: the name of a rule, purpose, shop, fund or
// rule category (names.h). Names are an admin's, as rules and funds are.
#include <algorithm>

#include "apply_internal.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/names.h"
#include "vledger/projections/points.h"
#include "vledger/projections/validate.h"

namespace vledger::detail {
namespace {

// Whether a rule applying in `village` (all villages when empty) has
// category `code`.
bool CategoryUsed(StateStore& state, std::string_view village, std::string_view code) {
  std::vector<RuleRecord> rules = ListRules(state, village);
  return std::any_of(rules.begin(), rules.end(),
                     [&](const RuleRecord& r) { return r.category == code; });
}

}  // namespace

Status ApplyBody(ApplyCtx& ctx, const DisplayNameSet& b) {
  VLEDGER_ASSIGN_OR_RETURN(NameKind kind, Parse<NameKind>("kind", b.kind));
  VLEDGER_TRY(CheckId("code", b.code));
  VLEDGER_TRY(CheckName("name", b.name));
  bool county_code = kind == NameKind::kRule || kind == NameKind::kFund;
  if (county_code && !b.village.empty()) {
    if (kind == NameKind::kRule) {
      return Status::InvalidInput("village",
                                  "a rule's code is the same in every village; give no village");
    }
    return Status::InvalidInput("village",
                                "a fund's code is the same in every village; give no village");
  }
  if (!b.village.empty()) VLEDGER_TRY(RequireVillage(ctx.state, "village", b.village).status());
  switch (kind) {
    case NameKind::kRule: {
      const RuleRecord* rule = FindRule(ctx.state, b.code);
      if (rule == nullptr) return Status::NotFound("code", Msg("unknown rule \"{}\"", b.code));
      VLEDGER_TRY(RequireRole(ctx, {}, rule->village));
      break;
    }
    case NameKind::kFund: {
      std::optional<FundRecord> fund = LoadFund(ctx.state, b.code);
      if (!fund) return Status::NotFound("code", Msg("unknown fund \"{}\"", b.code));
      VLEDGER_TRY(RequireRole(ctx, {}, fund->village));
      fund->name = b.name;
      StoreFund(ctx.state, *fund);
      return Status::Ok();
    }
    case NameKind::kCategory:
      if (!CategoryUsed(ctx.state, b.village, b.code)) {
        return Status::NotFound("code", Msg("no rule has category \"{}\"", b.code));
      }
      VLEDGER_TRY(RequireRole(ctx, {}, b.village));
      break;
    case NameKind::kPurpose:
    case NameKind::kShop:
      // Free codes: a name may come before the code's first use.
      VLEDGER_TRY(RequireRole(ctx, {}, b.village));
      break;
  }
  StoreDisplayName(ctx.state, kind, b.village, b.code, b.name);
  return Status::Ok();
}

}  // namespace vledger::detail
