// ApplyBody for gradePolicySet (grades.h): an admin's, as a village's
// other policies are.
#pragma once

#include "apply_internal.h"

namespace vledger::detail {

Status ApplyBody(ApplyCtx& ctx, const GradePolicySet& b);

}  // namespace vledger::detail
