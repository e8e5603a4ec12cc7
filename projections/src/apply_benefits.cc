#include "apply_benefits.h"

#include <algorithm>

#include "vledger/projections/benefits.h"
#include "vledger/projections/validate.h"

namespace vledger::detail {

Status ApplyBody(ApplyCtx& ctx, const BenefitAdded& b) {
  VLEDGER_TRY(RequireRole(ctx, {}, ""));
  VLEDGER_TRY(CheckId("code", b.code));
  if (LoadBenefit(ctx.state, b.code)) {
    return Status::AlreadyExists("code", Msg("benefit {} already exists", b.code));
  }
  VLEDGER_TRY(CheckName("name", b.name));
  VLEDGER_TRY(CheckName("partner", b.partner));
  VLEDGER_TRY(CheckName("minGrade", b.min_grade));
  if (b.villages.size() > kBenefitVillagesMax) {
    return Status::InvalidInput("villages", Msg("at most {} villages", kBenefitVillagesMax));
  }
  for (size_t i = 0; i < b.villages.size(); i++) {
    VLEDGER_TRY(RequireVillage(ctx.state, "villages", b.villages[i]).status());
    if (std::find(b.villages.begin(), b.villages.begin() + i, b.villages[i]) !=
        b.villages.begin() + i) {
      return Status::InvalidInput("villages", Msg("\"{}\" is given twice", b.villages[i]));
    }
  }
  StoreBenefit(ctx.state, BenefitRecord{.code = b.code,
                                        .name = b.name,
                                        .partner = b.partner,
                                        .min_grade = b.min_grade,
                                        .villages = b.villages,
                                        .added_seq = ctx.seq,
                                        .withdrawn_seq = std::nullopt});
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const BenefitWithdrawn& b) {
  VLEDGER_TRY(RequireRole(ctx, {}, ""));
  std::optional<BenefitRecord> benefit = LoadBenefit(ctx.state, b.code);
  if (!benefit) {
    VLEDGER_TRY(CheckId("code", b.code));
    return Status::NotFound("code", Msg("unknown benefit \"{}\"", b.code));
  }
  if (benefit->withdrawn_seq) {
    return Status::FailedPrecondition(
        "code", Msg("benefit {} was withdrawn at seq {}", b.code, *benefit->withdrawn_seq));
  }
  benefit->withdrawn_seq = ctx.seq;
  StoreBenefit(ctx.state, *benefit);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const AttestationIssued& b) {
  VLEDGER_ASSIGN_OR_RETURN(const ResidentState* r,
                           RequireResident(ctx.state, "resident", b.resident));
  // Only an attestor key issues certificates: it signs the note too, and a
  // checker trusts a certificate by its key's role (SPEC section 12).
  if (ctx.author->role != Role::kAttestor) {
    return Status::PermissionDenied(
        Msg("key {} is no attestor key; credit certificates are issued by attestor keys",
            ctx.author->key_id));
  }
  VLEDGER_TRY(RequireRole(ctx, {Role::kAttestor}, r->rec.village));
  VLEDGER_TRY(CheckAttestationIssued(ctx.state, ctx.seq, b));
  if (!b.benefit.empty()) {
    std::optional<BenefitRecord> benefit = LoadBenefit(ctx.state, b.benefit);
    if (!BenefitIsFor(*benefit, r->rec.village)) {
      return Status::FailedPrecondition(
          "benefit", Msg("benefit {} is not for village {}", b.benefit, r->rec.village));
    }
  }
  StoreAttestation(ctx.state, AttestationRecord{.certificate_hash = b.certificate_hash,
                                                .seq = ctx.seq,
                                                .resident = b.resident,
                                                .village = std::string(r->rec.village),
                                                .benefit = b.benefit,
                                                .valid_until = b.valid_until,
                                                .grade = b.grade,
                                                .key_id = ctx.author->key_id,
                                                .checkpoint_size = b.checkpoint_size,
                                                .revoked_seq = std::nullopt});
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const AttestationRevoked& b) {
  if (b.certificate_hash.size() != 32) {
    return Status::InvalidInput("certificateHash", "must be 32 bytes");
  }
  std::optional<AttestationRecord> a = LoadAttestation(ctx.state, b.certificate_hash);
  if (!a) {
    return Status::NotFound("certificateHash",
                            Msg("no certificate {} was issued", Hex(b.certificate_hash)));
  }
  VLEDGER_TRY(RequireRole(ctx, {Role::kAttestor}, a->village));
  if (a->revoked_seq) {
    return Status::FailedPrecondition(
        "certificateHash", Msg("the certificate was revoked at seq {}", *a->revoked_seq));
  }
  VLEDGER_TRY(CheckText("reason", b.reason, true));
  a->revoked_seq = ctx.seq;
  StoreAttestation(ctx.state, *a);
  return Status::Ok();
}

}  // namespace vledger::detail
