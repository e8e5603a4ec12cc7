// ApplyBody for the benefits catalogue and credit certificates
// (benefits.h): benefits are an admin's, certificates an attestor's.
#pragma once

#include "apply_internal.h"

namespace vledger::detail {

Status ApplyBody(ApplyCtx& ctx, const BenefitAdded& b);
Status ApplyBody(ApplyCtx& ctx, const BenefitWithdrawn& b);
Status ApplyBody(ApplyCtx& ctx, const AttestationIssued& b);
Status ApplyBody(ApplyCtx& ctx, const AttestationRevoked& b);

}  // namespace vledger::detail
