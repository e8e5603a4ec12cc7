// Registry projections: keys, villages, households, residents, the ledger's
// own identity. Rows live in a StateStore under these prefixes:
//   meta            ledger name, origin, root key id
//   key/<id>        KeyRecord
//   village/<code>  VillageRecord
//   hh/<id>         HouseholdRecord
//   res/<id>        ResidentRecord
//   pref/<ref hex>  which resident or household a personRef belongs to
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vledger/state.h"

namespace vledger {

struct LedgerMeta {
  std::string name, origin, root_key_id;
};

struct KeyRecord {
  std::string key_id, public_key, role, label;
  std::vector<std::string> villages;  // empty: every village
  uint64_t registered_seq = 0;
  std::optional<uint64_t> revoked_seq;
};

struct VillageRecord {
  std::string code, name;
  bool review = false;
  int64_t star_points = 20;
  uint32_t max_stars = 5;
  uint32_t red_flag_share_pct = 10;
  uint64_t seq = 0;
};

struct HouseholdRecord {
  std::string id, village, head_ref;
  std::string head_resident;  // empty until `household head`
  uint64_t seq = 0;
};

struct ResidentRecord {
  std::string id, village, household, person_ref;
  bool minor = false;
  std::string status = "active";  // active, departed, deceased
  uint64_t seq = 0;
};

// Who a personRef belongs to.
struct PersonOwner {
  std::string kind;  // "resident", "household" or "donor"
  std::string id;
  bool erased = false;
  uint64_t erased_seq = 0;
};

std::optional<LedgerMeta> LoadMeta(StateStore& state);
void StoreMeta(StateStore& state, const LedgerMeta& meta);

std::optional<KeyRecord> LoadKey(StateStore& state, std::string_view key_id);
void StoreKey(StateStore& state, const KeyRecord& key);

std::optional<VillageRecord> LoadVillage(StateStore& state, std::string_view code);
void StoreVillage(StateStore& state, const VillageRecord& village);

std::optional<HouseholdRecord> LoadHousehold(StateStore& state, std::string_view id);
void StoreHousehold(StateStore& state, const HouseholdRecord& household);

std::optional<ResidentRecord> LoadResident(StateStore& state, std::string_view id);
void StoreResident(StateStore& state, const ResidentRecord& resident);

std::optional<PersonOwner> LoadPersonOwner(StateStore& state, std::string_view person_ref);
void StorePersonOwner(StateStore& state, std::string_view person_ref, const PersonOwner& owner);

// Lists in id byte order.
std::vector<KeyRecord> ListKeys(StateStore& state);
std::vector<VillageRecord> ListVillages(StateStore& state);
std::vector<HouseholdRecord> ListHouseholds(StateStore& state, std::string_view village);
std::vector<ResidentRecord> ListResidents(StateStore& state, std::string_view village);

}  // namespace vledger
