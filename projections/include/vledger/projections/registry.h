// Registry projections: keys, villages, households, residents, the ledger's
// own identity, and who a personRef belongs to.
//
// Entities (state.h), one row each:
//   key/<id>        KeyRecord
//   village/<code>  VillageState: the policy, the village's point accounts,
//                   its residents and households, its rules' use by month
//   hh/<id>         HouseholdState: the record and money paid to it
//   res/<id>        ResidentState: the record, both balances, lots,
//                   turnover by month, cap use, money paid, recent history
//   pref/<ref hex>  PersonOwner
// Plain row:
//   meta            ledger name, origin, root key id
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/small_bytes.h"
#include "vledger/projections/state.h"

namespace vledger {

struct LedgerMeta {
  std::string name, origin, root_key_id;
};

struct KeyRecord {
  std::string key_id, public_key;
  Role role = Role::kAdmin;
  std::string label;
  std::vector<std::string> villages;  // empty: every village
  uint64_t registered_seq = 0;
  std::optional<uint64_t> revoked_seq;

  static constexpr int kTableId = 0;
  static constexpr std::string_view kPrefix = "key/";
  std::string EncodeRow() const;
  static KeyRecord DecodeRow(std::string_view id, std::string_view row);
};

// Bounds of a village policy's bulletin fields.
inline constexpr size_t kPhoneBytesMax = 24;
inline constexpr size_t kSiteUrlBytesMax = 200;
inline constexpr uint32_t kBoardTopMax = 50;
inline constexpr uint32_t kBoardTopDefault = 10;

struct VillageRecord {
  std::string code, name;
  bool review = false;
  int64_t star_points = 20;
  uint32_t max_stars = 5;
  uint32_t red_flag_share_pct = 10;
  uint64_t seq = 0;
  // The bulletin's notice (villagePolicySet fields appended later; see
  // schemas/event.capnp for their meaning and defaults).
  std::string objection_office{}, objection_phone{}, public_names{}, site_url{};
  uint32_t board_top = 0, star_household_stars = 0;
  std::vector<std::string> holidays{}, workdays{};
};

// Approved, unreversed entries of one rule in one month (for bulletins).
struct RuleMonthUse {
  uint32_t month = 0;  // MonthIndex (points.h)
  std::string rule;
  int64_t entries = 0, points = 0;
};

struct VillageState {
  VillageRecord rec;
  // Point accounts (accounts.h): issued:<v>, expired:<v>, redeemed:<v>:<shop>.
  int64_t issued_pt = 0, expired_pt = 0;
  std::vector<std::pair<std::string, int64_t>> redeemed_pt;  // by shop, in byte order
  std::vector<SmallBytes> residents, households;             // ids, in byte order
  std::vector<RuleMonthUse> rule_use;                        // by (month, rule)

  static constexpr int kTableId = 1;
  static constexpr std::string_view kPrefix = "village/";
  std::string EncodeRow() const;
  static VillageState DecodeRow(std::string_view id, std::string_view row);
};

// A personRef kept in place (a resident's, a household head's): 32 bytes,
// or none (a record not given one). A replay of a county holds one per
// resident and household, and a std::string of 32 bytes is a heap
// allocation besides its own 32.
class InlineRef {
 public:
  static constexpr size_t kBytes = 32;
  InlineRef() = default;
  InlineRef(std::string_view ref) { *this = ref; }  // NOLINT: set like a string
  InlineRef& operator=(std::string_view ref) {
    VLEDGER_ASSERT(Fits(ref));
    size_ = static_cast<uint8_t>(ref.size());
    if (size_ > 0) std::memcpy(bytes_, ref.data(), kBytes);
    return *this;
  }
  // Whether `ref` can be kept: 32 bytes or none.
  static bool Fits(std::string_view ref) { return ref.empty() || ref.size() == kBytes; }

  std::string_view view() const { return {bytes_, size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: read like a string
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  friend bool operator==(const InlineRef& a, std::string_view b) { return a.view() == b; }

 private:
  char bytes_[kBytes] = {};
  uint8_t size_ = 0;
};

// A record's ids are SmallBytes (16 bytes, up to 15 in place): every id
// of a county fits, and a replay holds one record per resident and
// household.
struct HouseholdRecord {
  SmallBytes id, village;
  InlineRef head_ref;
  SmallBytes head_resident;  // empty until `household head`
  uint64_t seq = 0;
};

// Money paid to a beneficiary, per fund (account paid:<fund>:<id>).
using PaidByFund = std::vector<std::pair<std::string, int64_t>>;  // by fund, in byte order

struct HouseholdState {
  HouseholdRecord rec;
  PaidByFund paid_fen;

  static constexpr int kTableId = 2;
  static constexpr std::string_view kPrefix = "hh/";
  std::string EncodeRow() const;
  static HouseholdState DecodeRow(std::string_view id, std::string_view row);
};

struct ResidentRecord {
  SmallBytes id, village, household;
  InlineRef person_ref;
  // Declared age (--minor, --adult); what decides a resident's age is in
  // age.h.
  bool minor = false, adult = false;
  ResidentStatus status = ResidentStatus::kActive;
  uint64_t seq = 0;
};

struct PointsBalance {
  int64_t credit_score = 0;
  int64_t spendable = 0;  // also the balance of account resident:<id>
  int64_t redeemed = 0;   // redemptions net of reversed ones
  int64_t expired = 0;    // expiries net of reversed ones
};

// Points counted against a capped rule, per resident and cap period.
struct CapUse {
  std::string rule, period;
  int64_t used = 0;
};

// A value most entities of a kind do not have, behind a pointer allocated
// when it is first changed: 8 bytes in the entity instead of the value's
// size. Reading one never set gives an empty T; copies copy the value.
template <typename T>
class Sparse {
 public:
  Sparse() = default;
  Sparse(const Sparse& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Sparse(Sparse&&) noexcept = default;
  Sparse& operator=(const Sparse& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Sparse& operator=(Sparse&&) noexcept = default;
  ~Sparse() = default;

  const T& operator*() const { return p_ ? *p_ : Empty(); }
  const T* operator->() const { return &**this; }
  // The value, for changing it (allocated if there was none).
  T& mut() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  bool allocated() const { return p_ != nullptr; }

 private:
  static const T& Empty() {
    static const T empty{};
    return empty;
  }
  std::unique_ptr<T> p_;
};

// What few residents have: a move to another household, a capped rule's
// use, money paid to them from a fund, history moved to index rows.
struct ResidentRare {
  // When the resident has moved: every household it joined, with the seq
  // it joined at, oldest first (else empty: only rec.household since
  // rec.seq). Turnover names a household by its first index here.
  std::vector<std::pair<std::string, uint64_t>> households;
  std::vector<CapUse> caps;
  PaidByFund paid_fen;
  // History chunks written to index rows (ResidentState::recent).
  uint64_t hist_chunks = 0;
  Hash hist_chain{};
};

// A resident's projections. The packed fields are sequences of varints
// (points.h reads and writes them), kept packed in memory too: they grow
// with the resident's entries. A county holds hundreds of thousands of
// these in memory during a replay, so what few have is in `rare`.
struct ResidentState {
  ResidentRecord rec;
  PointsBalance bal;
  SmallBytes lots;      // packed (day, remaining): spendable points by day earned
  SmallBytes turnover;  // packed (month, household index, points)
  Sparse<ResidentRare> rare;
  // History: events touching the resident. The newest (at most
  // kHistoryChunk) are here; older ones went to index rows
  // hist/<id>/<u64be first seq> in chunks (rare->hist_chunks of them),
  // chained by rare->hist_chain.
  SmallBytes recent;  // packed seq deltas

  // Cache hints for the packed fields an entry reads and appends to.
  void Prefetch() const {
    __builtin_prefetch(lots.data());
    __builtin_prefetch(turnover.data());
    __builtin_prefetch(turnover.data() + turnover.size());
    __builtin_prefetch(recent.data());
  }

  static constexpr int kTableId = 3;
  static constexpr std::string_view kPrefix = "res/";
  std::string EncodeRow() const;
  static ResidentState DecodeRow(std::string_view id, std::string_view row);

  // A few fields, for passes over every resident (Table::ForEachBrief):
  // views into the entity or the row, valid during the call they are
  // passed to.
  struct Brief {
    std::string_view id, village, person_ref;
    PointsBalance bal;
  };
  Brief brief() const { return Brief{rec.id, rec.village, rec.person_ref, bal}; }
  // Checks the whole row as DecodeRow does, with no copy.
  static Brief DecodeBrief(std::string_view id, std::string_view row);
};

// What owns a personRef: its row stores the text Name(kind).
enum class PersonOwnerKind : uint8_t { kResident, kHousehold, kDonor };
std::string_view Name(PersonOwnerKind kind);
template <>
Result<PersonOwnerKind> Parse<PersonOwnerKind>(std::string_view field, std::string_view text);

// Who a personRef belongs to. In memory the table's ids are the refs
// themselves (32 bytes); in row keys, their lowercase hex.
// Fields in this order leave no padding between them (48 bytes).
struct PersonOwner {
  std::string id;
  uint64_t erased_seq = 0;
  PersonOwnerKind kind = PersonOwnerKind::kResident;
  bool erased = false;

  static constexpr int kTableId = 4;
  static constexpr std::string_view kPrefix = "pref/";  // + hex of the ref
  static std::string RowId(std::string_view ref) { return Hex(ref); }
  static std::string MemoryId(std::string_view row_id);
  std::string EncodeRow() const;
  static PersonOwner DecodeRow(std::string_view id, std::string_view row);
};

std::optional<LedgerMeta> LoadMeta(StateStore& state);
void StoreMeta(StateStore& state, const LedgerMeta& meta);

const KeyRecord* FindKey(StateStore& state, std::string_view key_id);
std::optional<KeyRecord> LoadKey(StateStore& state, std::string_view key_id);
void StoreKey(StateStore& state, const KeyRecord& key);
// Whether `key` could sign checkpoints of the first `size` events (SPEC
// section 12, Roles): an admin or checkpointer key registered before event
// `size` and not revoked by then. The one rule for signing heads
// (app/checkpoint.h) and for checking them (verify, verify --archive).
bool SignsCheckpointsAt(const KeyRecord& key, uint64_t size);

const VillageState* FindVillage(StateStore& state, std::string_view code);
VillageState* MutableVillage(StateStore& state, std::string_view code);
std::optional<VillageRecord> LoadVillage(StateStore& state, std::string_view code);
// Stores the record (policy) of a new or registered village.
void StoreVillage(StateStore& state, const VillageRecord& village);

const HouseholdState* FindHousehold(StateStore& state, std::string_view id);
HouseholdState* MutableHousehold(StateStore& state, std::string_view id);
std::optional<HouseholdRecord> LoadHousehold(StateStore& state, std::string_view id);
// Stores the record of a new or registered household (a new one joins its
// village's list).
void StoreHousehold(StateStore& state, const HouseholdRecord& household);

const ResidentState* FindResident(StateStore& state, std::string_view id);
ResidentState* MutableResident(StateStore& state, std::string_view id);
std::optional<ResidentRecord> LoadResident(StateStore& state, std::string_view id);
// Stores the record of a new or registered resident, as changed by the
// event at `seq` (a new one joins its village's list; a move to another
// household is remembered).
void StoreResident(StateStore& state, const ResidentRecord& resident, uint64_t seq);
// The household the resident was in when the event at `seq` was applied.
std::string_view HouseholdAt(const ResidentState& r, uint64_t seq);

std::optional<PersonOwner> LoadPersonOwner(StateStore& state, std::string_view person_ref);
void StorePersonOwner(StateStore& state, std::string_view person_ref, const PersonOwner& owner);

// Lists in id byte order. With a village, ListHouseholds and ListResidents
// read only that village's members.
std::vector<KeyRecord> ListKeys(StateStore& state);
std::vector<VillageRecord> ListVillages(StateStore& state);
std::vector<HouseholdRecord> ListHouseholds(StateStore& state, std::string_view village);
std::vector<ResidentRecord> ListResidents(StateStore& state, std::string_view village);
// Calls fn(ResidentState::Brief) for every resident of the county, in no
// particular order, without loading the residents (a county has hundreds
// of thousands).
void ForEachResidentBrief(StateStore& state,
                          const std::function<void(const ResidentState::Brief&)>& fn);
// A village's residents, without copying: nullptr entries never occur.
std::vector<const ResidentState*> VillageResidents(StateStore& state, std::string_view village);

// Adds `delta` to `id`'s entry of a sorted (name, amount) list, dropping an
// entry that reaches zero when `drop_zero`.
void AddToSorted(std::vector<std::pair<std::string, int64_t>>& list, std::string_view id,
                 int64_t delta, bool drop_zero);
int64_t SortedAmount(const std::vector<std::pair<std::string, int64_t>>& list, std::string_view id);

}  // namespace vledger
