// ApplyBody for the ledger and registry events.
#include <algorithm>

#include "apply_internal.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/objections.h"
#include "vledger/projections/validate.h"

namespace vledger::detail {
namespace {

size_t ActiveAdmins(StateStore& state) {
  size_t n = 0;
  for (const KeyRecord& k : ListKeys(state)) {
    if (k.role == Role::kAdmin && !k.revoked_seq) n++;
  }
  return n;
}

// The calendar's dates: real, ascending, no repeats; holidays Monday to
// Friday, workdays Saturday or Sunday.
Status CheckCalendar(std::string_view field, const std::vector<std::string>& dates, bool weekend) {
  if (dates.size() > kCalendarDatesMax) {
    return Status::InvalidInput(field, Msg("at most {} dates", kCalendarDatesMax));
  }
  for (size_t i = 0; i < dates.size(); i++) {
    VLEDGER_TRY(CheckDate(field, dates[i]));
    if (i > 0 && dates[i] <= dates[i - 1]) {
      return Status::InvalidInput(field, Msg("{} is not after {}", dates[i], dates[i - 1]));
    }
    bool weekday = IsWorkingDay(dates[i], WorkingCalendar{});
    if (weekend == weekday) {
      return Status::InvalidInput(field, weekend ? Msg("{} is not a Saturday or Sunday", dates[i])
                                                 : Msg("{} is a Saturday or Sunday", dates[i]));
    }
  }
  return Status::Ok();
}

Status CheckBulletinPolicy(const VillagePolicySet& b) {
  VLEDGER_TRY(CheckText("objectionOffice", b.objection_office, true));
  if (b.objection_phone.size() > kPhoneBytesMax ||
      b.objection_phone.find_first_not_of("0123456789-+() ") != std::string::npos) {
    return Status::InvalidInput(
        "objectionPhone",
        Msg("digits, spaces and -+() only, at most {} characters", kPhoneBytesMax));
  }
  if (!b.public_names.empty() && b.public_names != "full" && b.public_names != "masked" &&
      b.public_names != "none") {
    return Status::InvalidInput("publicNames", "give full, masked or none");
  }
  bool web = b.site_url.starts_with("https://") || b.site_url.starts_with("http://");
  if (!b.site_url.empty() && (!web || b.site_url.size() > kSiteUrlBytesMax ||
                              b.site_url.find_first_of(" \t\r\n#\"<>,&'") != std::string::npos)) {
    return Status::InvalidInput(
        "siteUrl", Msg("give an http:// or https:// address of at most {} bytes, without spaces, "
                       "quotes, &, commas or #",
                       kSiteUrlBytesMax));
  }
  if (b.board_top > kBoardTopMax) {
    return Status::InvalidInput("boardTop", Msg("give 1..{}", kBoardTopMax));
  }
  if (b.star_household_stars > b.max_stars) {
    return Status::InvalidInput("starHouseholdStars", Msg("at most maxStars ({})", b.max_stars));
  }
  VLEDGER_TRY(CheckCalendar("holidays", b.holidays, false));
  return CheckCalendar("workdays", b.workdays, true);
}

}  // namespace

Status ApplyBody(ApplyCtx& ctx, const Genesis& b) {
  VLEDGER_TRY(CheckName("name", b.name));
  VLEDGER_TRY(CheckText("origin", b.origin, false));
  if (b.origin.find('\n') != std::string::npos)
    return Status::InvalidInput("origin", "must be one line");
  if (b.public_key.size() != kPublicKeyBytes)
    return Status::InvalidInput("publicKey", "must be 32 bytes");
  std::string root_id = KeyIdOf(b.public_key);
  if (ctx.event.key_id != root_id) {
    return Status::InvalidInput(
        Msg("genesis must be signed by its own root admin key {}", root_id));
  }
  StoreMeta(ctx.state, LedgerMeta{b.name, b.origin, root_id});
  KeyRecord root;
  root.key_id = root_id;
  root.public_key = b.public_key;
  root.role = Role::kAdmin;
  root.label = "root admin";
  root.registered_seq = ctx.seq;
  StoreKey(ctx.state, root);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const KeyRegistered& b) {
  VLEDGER_TRY(RequireRole(ctx, {}, ""));
  if (b.public_key.size() != kPublicKeyBytes)
    return Status::InvalidInput("publicKey", "must be 32 bytes");
  VLEDGER_ASSIGN_OR_RETURN(Role role, Parse<Role>("role", b.role));
  VLEDGER_TRY(CheckText("label", b.label, true));
  if (role == Role::kAdmin && !b.villages.empty()) {
    return Status::InvalidInput("village", "an admin key acts in every village; give no --village");
  }
  if (role == Role::kCheckpointer && !b.villages.empty()) {
    return Status::InvalidInput("village",
                                "a checkpointer key signs the whole log's checkpoints; give no "
                                "--village");
  }
  if ((role == Role::kCollector || role == Role::kReviewer) && b.villages.empty()) {
    return Status::InvalidInput("village", Msg("a {} key needs at least one --village", b.role));
  }
  for (size_t i = 0; i < b.villages.size(); i++) {
    VLEDGER_TRY(RequireVillage(ctx.state, "village", b.villages[i]).status());
    if (std::find(b.villages.begin(), b.villages.begin() + i, b.villages[i]) !=
        b.villages.begin() + i) {
      return Status::InvalidInput("village", Msg("\"{}\" is given twice", b.villages[i]));
    }
  }
  std::string id = KeyIdOf(b.public_key);
  if (FindKey(ctx.state, id))
    return Status::AlreadyExists("publicKey", Msg("key {} is already registered", id));
  KeyRecord key;
  key.key_id = id;
  key.public_key = b.public_key;
  key.role = role;
  key.label = b.label;
  key.villages = b.villages;
  key.registered_seq = ctx.seq;
  StoreKey(ctx.state, key);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const KeyRevoked& b) {
  VLEDGER_TRY(RequireRole(ctx, {}, ""));
  auto key = LoadKey(ctx.state, b.key_id);
  if (!key) return Status::NotFound("keyId", Msg("unknown key \"{}\"", b.key_id));
  if (key->revoked_seq) {
    return Status::FailedPrecondition(
        "keyId", Msg("key {} was already revoked at seq {}", b.key_id, *key->revoked_seq));
  }
  if (key->role == Role::kAdmin && ActiveAdmins(ctx.state) <= 1) {
    return Status::FailedPrecondition("keyId",
                                      Msg("key {} is the last active admin key", b.key_id));
  }
  key->revoked_seq = ctx.seq;
  StoreKey(ctx.state, *key);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const VillageRegistered& b) {
  VLEDGER_TRY(RequireRole(ctx, {}, ""));
  VLEDGER_TRY(CheckId("code", b.code));
  VLEDGER_TRY(CheckName("name", b.name));
  if (FindVillage(ctx.state, b.code))
    return Status::AlreadyExists("code", Msg("village \"{}\" exists", b.code));
  VillageRecord v;
  v.code = b.code;
  v.name = b.name;
  v.seq = ctx.seq;
  StoreVillage(ctx.state, v);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const VillagePolicySet& b) {
  VLEDGER_ASSIGN_OR_RETURN(const VillageState* village,
                           RequireVillage(ctx.state, "village", b.village));
  VillageRecord v = village->rec;
  VLEDGER_TRY(RequireRole(ctx, {}, b.village));
  if (b.star_points <= 0) return Status::InvalidInput("star-points", "must be greater than zero");
  if (b.max_stars < 1 || b.max_stars > 10)
    return Status::InvalidInput("max-stars", "must be 1 to 10");
  if (b.red_flag_share_pct > 100) return Status::InvalidInput("red-flag-share", "must be 0 to 100");
  VLEDGER_TRY(CheckBulletinPolicy(b));
  v.review = b.review;
  v.star_points = b.star_points;
  v.max_stars = b.max_stars;
  v.red_flag_share_pct = b.red_flag_share_pct;
  v.objection_office = b.objection_office;
  v.objection_phone = b.objection_phone;
  v.public_names = b.public_names;
  v.site_url = b.site_url;
  v.board_top = b.board_top;
  v.star_household_stars = b.star_household_stars;
  v.holidays = b.holidays;
  v.workdays = b.workdays;
  StoreVillage(ctx.state, v);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const HouseholdRegistered& b) {
  VLEDGER_TRY(CheckId("id", b.id));
  VLEDGER_TRY(RequireVillage(ctx.state, "village", b.village).status());
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, b.village));
  VLEDGER_TRY(RequirePersonRef("headRef", b.head_ref));
  if (FindHousehold(ctx.state, b.id))
    return Status::AlreadyExists("id", Msg("household \"{}\" exists", b.id));
  if (LoadPersonOwner(ctx.state, b.head_ref))
    return Status::AlreadyExists("headRef", "person reference is in use");
  HouseholdRecord h;
  h.id = b.id;
  h.village = b.village;
  h.head_ref = b.head_ref;
  h.seq = ctx.seq;
  StoreHousehold(ctx.state, h);
  StorePersonOwner(ctx.state, b.head_ref,
                   PersonOwner{.id = b.id, .kind = PersonOwnerKind::kHousehold});
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const HouseholdHeadSet& b) {
  VLEDGER_ASSIGN_OR_RETURN(const HouseholdState* household,
                           RequireHousehold(ctx.state, "household", b.household));
  HouseholdRecord h = household->rec;
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, h.village));
  VLEDGER_ASSIGN_OR_RETURN(const ResidentState* resident,
                           RequireResident(ctx.state, "resident", b.resident));
  const ResidentRecord& r = resident->rec;
  if (r.household != h.id) {
    return Status::InvalidInput("resident",
                                Msg("resident \"{}\" is not in household \"{}\"", r.id, h.id));
  }
  if (r.status != ResidentStatus::kActive) {
    return Status::FailedPrecondition("resident", NotActive(r));
  }
  h.head_resident = r.id;
  StoreHousehold(ctx.state, h);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const ResidentRegistered& b) {
  VLEDGER_TRY(CheckId("id", b.id));
  VLEDGER_TRY(RequireVillage(ctx.state, "village", b.village).status());
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, b.village));
  VLEDGER_ASSIGN_OR_RETURN(const HouseholdState* household,
                           RequireHousehold(ctx.state, "household", b.household));
  const HouseholdRecord& h = household->rec;
  if (h.village != b.village) {
    return Status::InvalidInput("household",
                                Msg("household \"{}\" is in village \"{}\"", h.id, h.village));
  }
  VLEDGER_TRY(RequirePersonRef("personRef", b.person_ref));
  if (b.minor && b.adult) {
    return Status::InvalidInput("minor", "a resident is declared a minor or an adult, not both");
  }
  if (FindResident(ctx.state, b.id))
    return Status::AlreadyExists("id", Msg("resident \"{}\" exists", b.id));
  if (LoadPersonOwner(ctx.state, b.person_ref)) {
    return Status::AlreadyExists("personRef", "person reference is in use");
  }
  ResidentRecord r;
  r.id = b.id;
  r.village = b.village;
  r.household = b.household;
  r.person_ref = b.person_ref;
  r.minor = b.minor;
  r.adult = b.adult;
  r.seq = ctx.seq;
  StoreResident(ctx.state, r, ctx.seq);
  StorePersonOwner(ctx.state, b.person_ref,
                   PersonOwner{.id = b.id, .kind = PersonOwnerKind::kResident});
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const ResidentUpdated& b) {
  VLEDGER_ASSIGN_OR_RETURN(const ResidentState* resident, RequireResident(ctx.state, "id", b.id));
  ResidentRecord r = resident->rec;
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector}, r.village));
  if (b.household.empty() && b.status.empty() && b.person_ref.empty() && !b.minor && !b.adult) {
    return Status::InvalidInput("household",
                                "give a new household, a status, a person record or an age");
  }
  if (b.minor && b.adult) {
    return Status::InvalidInput("minor", "a resident is declared a minor or an adult, not both");
  }
  if (!b.person_ref.empty()) {
    VLEDGER_TRY(RequirePersonRef("personRef", b.person_ref));
    if (LoadPersonOwner(ctx.state, b.person_ref)) {
      return Status::AlreadyExists("personRef", "person reference is in use");
    }
    r.person_ref = b.person_ref;
    StorePersonOwner(ctx.state, b.person_ref,
                     PersonOwner{.id = std::string(r.id), .kind = PersonOwnerKind::kResident});
  }
  if (b.minor || b.adult) {
    r.minor = b.minor;
    r.adult = b.adult;
  }
  if (!b.household.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(const HouseholdState* h,
                             RequireHousehold(ctx.state, "household", b.household));
    if (h->rec.village != r.village) {
      return Status::InvalidInput(
          "household", Msg("household \"{}\" is in village \"{}\"", h->rec.id, h->rec.village));
    }
    r.household = h->rec.id;
  }
  if (!b.status.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(r.status, Parse<ResidentStatus>("status", b.status));
  }
  StoreResident(ctx.state, r, ctx.seq);
  return Status::Ok();
}

Status ApplyBody(ApplyCtx& ctx, const PersonErased& b) {
  VLEDGER_TRY(RequirePersonRef("personRef", b.person_ref));
  VLEDGER_TRY(CheckText("reason", b.reason, false));
  auto owner = LoadPersonOwner(ctx.state, b.person_ref);
  if (!owner) return Status::NotFound("personRef", "unknown person reference");
  if (owner->erased) {
    return Status::FailedPrecondition(
        "personRef", Msg("person was already erased at seq {}", owner->erased_seq));
  }
  std::string village;
  if (owner->kind == PersonOwnerKind::kResident) {
    village = LoadResident(ctx.state, owner->id)->village;
  } else if (owner->kind == PersonOwnerKind::kHousehold) {
    village = LoadHousehold(ctx.state, owner->id)->village;
  }
  VLEDGER_TRY(RequireRole(ctx, {Role::kCollector, Role::kTreasurer}, village));
  owner->erased = true;
  owner->erased_seq = ctx.seq;
  StorePersonOwner(ctx.state, b.person_ref, *owner);
  return Status::Ok();
}

}  // namespace vledger::detail
