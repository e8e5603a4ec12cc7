#include "apply_grades.h"

#include "vledger/projections/grades.h"

namespace vledger::detail {

Status ApplyBody(ApplyCtx& ctx, const GradePolicySet& b) {
  VLEDGER_TRY(RequireVillage(ctx.state, "village", b.village).status());
  VLEDGER_TRY(RequireRole(ctx, {}, b.village));
  VLEDGER_TRY(CheckGradePolicy(b));
  StoreGradePolicy(ctx.state, ctx.seq, b);
  return Status::Ok();
}

}  // namespace vledger::detail
