// The registry commands (SPEC section 9): villages and their policy,
// households, residents, and erasing a person record; and the lists of
// villages, households and residents.
//
// Writes take the values as the command line spells them (an empty string
// or an unset optional: not given) plus the request id and fingerprint of
// the shared write path (append.h); their result is the append. Lists read
// the stored state. Each command's `--json` document is XJson(result).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/app/append.h"
#include "vledger/app/builders.h"
#include "vledger/app/session.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/age.h"
#include "vledger/projections/registry.h"

namespace vledger::app {

// ------------------------------------------------------------- villages

// `village add CODE --name N`
struct VillageAddRequest : AppendRequest {
  std::string code, name;
};
struct VillageAddResult {
  AppendResult append;
};
Result<VillageAddResult> VillageAdd(const Session& session, const VillageAddRequest& request);
std::string VillageAddJson(const VillageAddResult& result);

// `village policy VILLAGE [--review on|off] [--star-points N] [--max-stars
// N] [--red-flag-share PCT] [--objection-office T] [--objection-phone P]
// [--public-names full|masked|none] [--site-url URL] [--board-top N]
// [--star-household-stars N] [--holidays DATES] [--workdays DATES]`: what is
// not given keeps the village's value; DATES is a comma-separated list of
// YYYY-MM-DD (sorted here), or "none" to clear it. An unknown village is not
// found ("village").
struct VillagePolicyRequest : AppendRequest {
  std::string village;
  std::string review;  // "on", "off" or empty
  std::optional<int64_t> star_points;
  std::optional<uint32_t> max_stars, red_flag_share;
  std::optional<std::string> objection_office, objection_phone, public_names, site_url;
  std::optional<uint32_t> board_top, star_household_stars;
  std::optional<std::string> holidays, workdays;
};
struct VillagePolicyResult {
  AppendResult append;
};
Result<VillagePolicyResult> VillagePolicy(const Session& session,
                                          const VillagePolicyRequest& request);
std::string VillagePolicyJson(const VillagePolicyResult& result);

// `village list`: every village, in code order.
struct VillageListRequest {};
struct VillageListResult {
  std::vector<VillageRecord> villages;
};
Result<VillageListResult> VillageList(const Session& session, const VillageListRequest& request);
std::string VillageListJson(const VillageListResult& result);

// ----------------------------------------------------------- households

// `household add ID --village V --head NAME [--phone P]`
struct HouseholdAddRequest : AppendRequest, HouseholdArgs {};
struct HouseholdAddResult {
  AppendResult append;
};
Result<HouseholdAddResult> HouseholdAdd(const Session& session, const HouseholdAddRequest& request);
std::string HouseholdAddJson(const HouseholdAddResult& result);

// `household head HOUSEHOLD --resident R`
struct HouseholdHeadRequest : AppendRequest {
  std::string household, resident;
};
struct HouseholdHeadResult {
  AppendResult append;
};
Result<HouseholdHeadResult> HouseholdHead(const Session& session,
                                          const HouseholdHeadRequest& request);
std::string HouseholdHeadJson(const HouseholdHeadResult& result);

// The name shown for an erased person record.
inline constexpr std::string_view kErasedName = "已删除";

// `household list [--village V]`: households in id order (of one village
// when given; unknown: not found, "--village"), each with its head's name.
// A person record that cannot be read (damaged, I/O) fails the list with
// that error: only an erased record shows as kErasedName.
struct HouseholdListRequest {
  std::string village;  // empty: every village
};
struct HouseholdRow {
  std::string id, village;
  std::string head;           // the head's name, or kErasedName
  std::string head_resident;  // empty until `household head`
};
struct HouseholdListResult {
  std::vector<HouseholdRow> households;
};
Result<HouseholdListResult> HouseholdList(const Session& session,
                                          const HouseholdListRequest& request);
std::string HouseholdListJson(const HouseholdListResult& result);

// ------------------------------------------------------------ residents

// `resident add ID --village V --household H --name N [--minor|--adult]
// [--birth-year Y] [--id-card C] [--phone P]`
struct ResidentAddRequest : AppendRequest, ResidentArgs {};
struct ResidentAddResult {
  AppendResult append;
};
Result<ResidentAddResult> ResidentAdd(const Session& session, const ResidentAddRequest& request);
std::string ResidentAddJson(const ResidentAddResult& result);

// `resident update ID [--household H] [--status S] [--name N] …`
struct ResidentUpdateRequest : AppendRequest, ResidentUpdateArgs {};
struct ResidentUpdateResult {
  AppendResult append;
};
Result<ResidentUpdateResult> ResidentUpdate(const Session& session,
                                            const ResidentUpdateRequest& request);
std::string ResidentUpdateJson(const ResidentUpdateResult& result);

// "adult", "minor" or "unknown", as the resident list names an age.
std::string_view AgeName(AgeClass age);

// `resident list [--village V]`: residents in id order (of one village when
// given; unknown: not found, "--village"), each with its name (kErasedName
// when erased) and its age today (the session's clock, CST). A person
// record that cannot be read fails the list with that error.
struct ResidentListRequest {
  std::string village;  // empty: every village
};
struct ResidentRow {
  std::string id, village, household, name;
  AgeClass age = AgeClass::kUnknown;
  ResidentStatus status = ResidentStatus::kActive;
};
struct ResidentListResult {
  std::vector<ResidentRow> residents;
};
Result<ResidentListResult> ResidentList(const Session& session, const ResidentListRequest& request);
std::string ResidentListJson(const ResidentListResult& result);

// -------------------------------------------------------------- persons

// `person erase ID --reason R`: erases the person record of resident ID, or
// of household ID's head (neither: not found, "ID"), in the same commit as
// its personErased event.
struct PersonEraseRequest : AppendRequest {
  std::string id, reason;
};
struct PersonEraseResult {
  AppendResult append;
};
Result<PersonEraseResult> PersonErase(const Session& session, const PersonEraseRequest& request);
std::string PersonEraseJson(const PersonEraseResult& result);

}  // namespace vledger::app
