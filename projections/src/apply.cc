#include "vledger/projections/apply.h"

#include <algorithm>

#include "apply_internal.h"
#include "vledger/ledger/rows.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace detail {
namespace {

// The refusals that name the author's role have one pattern per role, so
// that a translation names the role in its own words. An admin is never
// refused by RequireRole.
Msg MayNotWrite(const KeyRecord& key, const char* type) {
  switch (key.role) {
    case Role::kCollector:
      return Msg("key {} (role collector) may not write {}", key.key_id, type);
    case Role::kTreasurer:
      return Msg("key {} (role treasurer) may not write {}", key.key_id, type);
    case Role::kReviewer:
      return Msg("key {} (role reviewer) may not write {}", key.key_id, type);
    case Role::kAuditor:
      return Msg("key {} (role auditor) may not write {}", key.key_id, type);
    case Role::kCheckpointer:
      return Msg("key {} (role checkpointer) may not write {}", key.key_id, type);
    case Role::kAttestor:
      return Msg("key {} (role attestor) may not write {}", key.key_id, type);
    case Role::kAdmin:
      break;
  }
  return Msg("key {} (role admin) may not write {}", key.key_id, type);
}

Msg OutsideScope(const KeyRecord& key, std::string_view village) {
  switch (key.role) {
    case Role::kCollector:
      return Msg("key {} (role collector) is outside its village scope: village \"{}\"", key.key_id,
                 village);
    case Role::kTreasurer:
      return Msg("key {} (role treasurer) is outside its village scope: village \"{}\"", key.key_id,
                 village);
    case Role::kReviewer:
      return Msg("key {} (role reviewer) is outside its village scope: village \"{}\"", key.key_id,
                 village);
    case Role::kAuditor:
      return Msg("key {} (role auditor) is outside its village scope: village \"{}\"", key.key_id,
                 village);
    case Role::kCheckpointer:
      return Msg("key {} (role checkpointer) is outside its village scope: village \"{}\"",
                 key.key_id, village);
    case Role::kAttestor:
      return Msg("key {} (role attestor) is outside its village scope: village \"{}\"", key.key_id,
                 village);
    case Role::kAdmin:
      break;
  }
  return Msg("key {} (role admin) is outside its village scope: village \"{}\"", key.key_id,
             village);
}

}  // namespace

Status RequireRole(const ApplyCtx& ctx, std::initializer_list<Role> roles,
                   std::string_view village) {
  const KeyRecord& key = *ctx.author;
  if (key.role == Role::kAdmin) return Status::Ok();
  if (std::find(roles.begin(), roles.end(), key.role) == roles.end()) {
    return Status::PermissionDenied(MayNotWrite(key, EventTypeName(ctx.event.body)));
  }
  if (key.villages.empty()) return Status::Ok();
  if (village.empty()) {
    return Status::PermissionDenied(
        Msg("key {} is scoped to villages and may not write county-level {}", key.key_id,
            EventTypeName(ctx.event.body)));
  }
  if (std::find(key.villages.begin(), key.villages.end(), village) == key.villages.end()) {
    return Status::PermissionDenied(OutsideScope(key, village));
  }
  return Status::Ok();
}

Result<const VillageState*> RequireVillage(StateStore& state, std::string_view field,
                                           std::string_view code) {
  const VillageState* v = FindVillage(state, code);
  if (v == nullptr) {
    VLEDGER_TRY(CheckId(field, code));
    return Status::NotFound(field, Msg("unknown village \"{}\"", code));
  }
  return v;
}

Result<const HouseholdState*> RequireHousehold(StateStore& state, std::string_view field,
                                               std::string_view id) {
  const HouseholdState* h = FindHousehold(state, id);
  if (h == nullptr) {
    VLEDGER_TRY(CheckId(field, id));
    return Status::NotFound(field, Msg("unknown household \"{}\"", id));
  }
  return h;
}

Result<const ResidentState*> RequireResident(StateStore& state, std::string_view field,
                                             std::string_view id) {
  const ResidentState* r = FindResident(state, id);
  if (r == nullptr) {
    VLEDGER_TRY(CheckId(field, id));
    return Status::NotFound(field, Msg("unknown resident \"{}\"", id));
  }
  return r;
}

Status RequirePersonRef(std::string_view field, std::string_view ref) {
  if (ref.size() != 32) return Status::InvalidInput(field, "person reference must be 32 bytes");
  return Status::Ok();
}

// Resolves and checks the author before any body handler runs.
static Status CheckAuthor(StateStore& state, uint64_t seq, const Event& event,
                          const KeyRecord** author) {
  bool is_genesis = std::holds_alternative<Genesis>(event.body);
  if (is_genesis != (seq == 0)) {
    if (is_genesis) return Status::InvalidInput("genesis must be the first event (seq 0)");
    return Status::InvalidInput("the first event must be a genesis");
  }
  if (is_genesis) return Status::Ok();
  *author = FindKey(state, event.key_id);
  if (*author == nullptr)
    return Status::PermissionDenied(Msg("key {} is not registered", event.key_id));
  if ((*author)->revoked_seq) {
    return Status::PermissionDenied(
        Msg("key {} was revoked at seq {}", event.key_id, *(*author)->revoked_seq));
  }
  if ((*author)->role == Role::kCheckpointer) {
    return Status::PermissionDenied(
        Msg("key {} (role checkpointer) signs checkpoints only, never events", event.key_id));
  }
  if ((*author)->role == Role::kAttestor &&
      !std::holds_alternative<AttestationIssued>(event.body) &&
      !std::holds_alternative<AttestationRevoked>(event.body)) {
    return Status::PermissionDenied(
        Msg("key {} (role attestor) signs credit certificates only, never {}", event.key_id,
            EventTypeName(event.body)));
  }
  return Status::Ok();
}

}  // namespace detail

Status ApplyEvent(StateStore& state, uint64_t seq, const Event& event) {
  // A stored row that cannot be read ends the event with its storage error
  // (rows.h). Replay reads no stored rows: the try costs it nothing.
  try {
    const KeyRecord* author = nullptr;
    VLEDGER_TRY(detail::CheckAuthor(state, seq, event, &author));
    VLEDGER_TRY(CheckText("requestId", event.request_id, true));
    detail::ApplyCtx ctx{state, seq, event, author};
    return std::visit([&](const auto& body) { return detail::ApplyBody(ctx, body); }, event.body);
  } catch (const RowReadError& e) {
    return e.status();
  }
}

void PrefetchFor(StateStore& state, const Event& event, int stage) {
  if (const auto* b = std::get_if<PointsAwarded>(&event.body)) {
    state.table<ResidentState>().Hint(b->resident, stage);
  } else if (const auto* d = std::get_if<PointsDeducted>(&event.body)) {
    state.table<ResidentState>().Hint(d->resident, stage);
  } else if (const auto* r = std::get_if<PointsRedeemed>(&event.body)) {
    state.table<ResidentState>().Hint(r->resident, stage);
  } else if (const auto* f = std::get_if<FundDisbursed>(&event.body)) {
    if (!f->to_resident.empty()) state.table<ResidentState>().Hint(f->to_resident, stage);
  }
}

}  // namespace vledger
