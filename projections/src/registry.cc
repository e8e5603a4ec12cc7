#include "vledger/projections/registry.h"

#include <algorithm>

#include "row_damage.h"
#include "row_vocab.h"
#include "varint.h"
#include "vledger/ledger/bytes.h"

namespace vledger {
namespace {

// A list of strings (std::string or SmallBytes).
template <typename S>
void PutStrings(RecordWriter& w, const std::vector<S>& list) {
  w.U64(list.size());
  for (const auto& s : list) w.Str(std::string_view(s));
}

template <typename S = std::string>
std::vector<S> GetStrings(RecordReader& r) {
  uint64_t n = r.U64();
  std::vector<S> list;
  for (uint64_t i = 0; i < n && r.ok(); i++) list.emplace_back(r.View());
  return list;
}

void PutAmounts(RecordWriter& w, const std::vector<std::pair<std::string, int64_t>>& list) {
  w.U64(list.size());
  for (const auto& [name, v] : list) w.Str(name).I64(v);
}

std::vector<std::pair<std::string, int64_t>> GetAmounts(RecordReader& r) {
  uint64_t n = r.U64();
  std::vector<std::pair<std::string, int64_t>> list;
  for (uint64_t i = 0; i < n && r.ok(); i++) {
    std::string name = r.Str();
    list.emplace_back(std::move(name), r.I64());
  }
  return list;
}

// Projection rows are written only by this library, so a malformed one is
// damage: Corruption naming the row (row_damage.h).
void CheckDecoded(const RecordReader& r, std::string_view prefix, std::string_view id,
                  bool valid = true) {
  detail::CheckRow(valid && r.ok() && r.done(), std::string(prefix) + std::string(id));
}

// Whether `packed` is whole groups of `width` varints, each group's
// `positive`-th varint (when given) above zero: the packed lists of a
// resident row (points.cc), checked here so that their decoders meet only
// well-formed bytes.
bool VarintGroups(std::string_view packed, int width, int positive = -1) {
  while (!packed.empty()) {
    for (int i = 0; i < width; i++) {
      uint64_t v = 0;
      if (!GetVarint(&packed, &v) || (i == positive && v == 0)) return false;
    }
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------- codecs

std::string_view Name(PersonOwnerKind kind) {
  switch (kind) {
    case PersonOwnerKind::kResident:
      return "resident";
    case PersonOwnerKind::kHousehold:
      return "household";
    case PersonOwnerKind::kDonor:
      return "donor";
  }
  AssertFailed("known PersonOwnerKind", __FILE__, __LINE__);
}

template <>
Result<PersonOwnerKind> Parse<PersonOwnerKind>(std::string_view field, std::string_view text) {
  for (auto kind :
       {PersonOwnerKind::kResident, PersonOwnerKind::kHousehold, PersonOwnerKind::kDonor}) {
    if (Name(kind) == text) return kind;
  }
  return Status::InvalidInput(field, Msg("\"{}\" is not resident, household or donor", text));
}

std::string KeyRecord::EncodeRow() const {
  RecordWriter w;
  w.Str(key_id).Str(public_key).Str(Name(role)).Str(label);
  PutStrings(w, villages);
  w.U64(registered_seq).Bool(revoked_seq.has_value()).U64(revoked_seq.value_or(0));
  return w.Take();
}

KeyRecord KeyRecord::DecodeRow(std::string_view id, std::string_view row) {
  RecordReader r(row);
  KeyRecord k;
  k.key_id = r.Str();
  k.public_key = r.Str();
  k.role = detail::DecodeVocab<Role>(r.Str(), kPrefix, id);
  k.label = r.Str();
  k.villages = GetStrings(r);
  k.registered_seq = r.U64();
  bool revoked = r.Bool();
  uint64_t revoked_seq = r.U64();
  if (revoked) k.revoked_seq = revoked_seq;
  CheckDecoded(r, kPrefix, id);
  return k;
}

std::string VillageState::EncodeRow() const {
  RecordWriter w;
  w.Str(rec.code).Str(rec.name).Bool(rec.review).I64(rec.star_points).U64(rec.max_stars);
  w.U64(rec.red_flag_share_pct).U64(rec.seq);
  w.I64(issued_pt).I64(expired_pt);
  PutAmounts(w, redeemed_pt);
  PutStrings(w, residents);
  PutStrings(w, households);
  w.U64(rule_use.size());
  for (const RuleMonthUse& u : rule_use) w.U64(u.month).Str(u.rule).I64(u.entries).I64(u.points);
  // Appended: a row written before these fields ends above, and reads as
  // their defaults.
  w.Str(rec.objection_office).Str(rec.objection_phone).Str(rec.public_names).Str(rec.site_url);
  w.U64(rec.board_top).U64(rec.star_household_stars);
  PutStrings(w, rec.holidays);
  PutStrings(w, rec.workdays);
  return w.Take();
}

VillageState VillageState::DecodeRow(std::string_view id, std::string_view row) {
  RecordReader r(row);
  VillageState v;
  v.rec.code = r.Str();
  v.rec.name = r.Str();
  v.rec.review = r.Bool();
  v.rec.star_points = r.I64();
  v.rec.max_stars = static_cast<uint32_t>(r.U64());
  v.rec.red_flag_share_pct = static_cast<uint32_t>(r.U64());
  v.rec.seq = r.U64();
  v.issued_pt = r.I64();
  v.expired_pt = r.I64();
  v.redeemed_pt = GetAmounts(r);
  v.residents = GetStrings<SmallBytes>(r);
  v.households = GetStrings<SmallBytes>(r);
  uint64_t n = r.U64();
  for (uint64_t i = 0; i < n && r.ok(); i++) {
    RuleMonthUse u;
    u.month = static_cast<uint32_t>(r.U64());
    u.rule = r.Str();
    u.entries = r.I64();
    u.points = r.I64();
    v.rule_use.push_back(std::move(u));
  }
  if (r.ok() && !r.done()) {
    v.rec.objection_office = r.Str();
    v.rec.objection_phone = r.Str();
    v.rec.public_names = r.Str();
    v.rec.site_url = r.Str();
    v.rec.board_top = static_cast<uint32_t>(r.U64());
    v.rec.star_household_stars = static_cast<uint32_t>(r.U64());
    v.rec.holidays = GetStrings(r);
    v.rec.workdays = GetStrings(r);
  }
  CheckDecoded(r, kPrefix, id);
  return v;
}

std::string HouseholdState::EncodeRow() const {
  RecordWriter w;
  w.Str(rec.id).Str(rec.village).Str(rec.head_ref).Str(rec.head_resident).U64(rec.seq);
  PutAmounts(w, paid_fen);
  return w.Take();
}

HouseholdState HouseholdState::DecodeRow(std::string_view id, std::string_view row) {
  RecordReader r(row);
  HouseholdState h;
  h.rec.id = r.Str();
  h.rec.village = r.Str();
  std::string_view head_ref = r.View();
  bool ref_fits = InlineRef::Fits(head_ref);
  if (ref_fits) h.rec.head_ref = head_ref;
  h.rec.head_resident = r.Str();
  h.rec.seq = r.U64();
  h.paid_fen = GetAmounts(r);
  CheckDecoded(r, kPrefix, id, ref_fits);
  return h;
}

std::string ResidentState::EncodeRow() const {
  RecordWriter w;
  // The declaration takes the varint a bool once held: 0 none, 1 minor, 2 adult.
  w.Str(rec.id).Str(rec.village).Str(rec.household).Str(rec.person_ref);
  w.U64(rec.minor ? 1 : rec.adult ? 2 : 0);
  w.Str(Name(rec.status)).U64(rec.seq);
  w.I64(bal.credit_score).I64(bal.spendable).I64(bal.redeemed).I64(bal.expired);
  w.U64(rare->households.size());
  for (const auto& [h, from] : rare->households) w.Str(h).U64(from);
  w.Str(lots).Str(turnover);
  w.U64(rare->caps.size());
  for (const CapUse& c : rare->caps) w.Str(c.rule).Str(c.period).I64(c.used);
  PutAmounts(w, rare->paid_fen);
  w.Str(recent).U64(rare->hist_chunks).Str(AsView(rare->hist_chain));
  return w.Take();
}

ResidentState ResidentState::DecodeRow(std::string_view id, std::string_view row) {
  RecordReader r(row);
  ResidentState s;
  s.rec.id = r.Str();
  s.rec.village = r.Str();
  s.rec.household = r.Str();
  std::string_view ref = r.View();
  bool ref_fits = InlineRef::Fits(ref);
  if (ref_fits) s.rec.person_ref = ref;
  uint64_t declared = r.U64();
  s.rec.minor = declared == 1;
  s.rec.adult = declared == 2;
  s.rec.status = detail::DecodeVocab<ResidentStatus>(r.Str(), kPrefix, id);
  s.rec.seq = r.U64();
  s.bal.credit_score = r.I64();
  s.bal.spendable = r.I64();
  s.bal.redeemed = r.I64();
  s.bal.expired = r.I64();
  uint64_t moves = r.U64();
  for (uint64_t i = 0; i < moves && r.ok(); i++) {
    std::string h = r.Str();
    s.rare.mut().households.emplace_back(std::move(h), r.U64());
  }
  s.lots = r.View();
  s.turnover = r.View();
  uint64_t n = r.U64();
  for (uint64_t i = 0; i < n && r.ok(); i++) {
    CapUse c;
    c.rule = r.Str();
    c.period = r.Str();
    c.used = r.I64();
    s.rare.mut().caps.push_back(std::move(c));
  }
  if (PaidByFund paid = GetAmounts(r); !paid.empty()) s.rare.mut().paid_fen = std::move(paid);
  s.recent = r.View();
  uint64_t hist_chunks = r.U64();
  auto chain = HashFrom(r.View());
  bool packed =
      VarintGroups(s.lots, 2, 1) && VarintGroups(s.turnover, 3) && VarintGroups(s.recent, 1);
  CheckDecoded(r, kPrefix, id, chain.has_value() && ref_fits && declared <= 2 && packed);
  if (hist_chunks != 0 || *chain != Hash{}) {
    s.rare.mut().hist_chunks = hist_chunks;
    s.rare.mut().hist_chain = *chain;
  }
  return s;
}

ResidentState::Brief ResidentState::DecodeBrief(std::string_view id, std::string_view row) {
  // The fields of EncodeRow in order, each checked as DecodeRow checks it
  // (state_test: the two refuse the same rows).
  RecordReader r(row);
  Brief b;
  b.id = r.View();
  b.village = r.View();
  r.View();  // household
  b.person_ref = r.View();
  uint64_t declared = r.U64();
  detail::DecodeVocab<ResidentStatus>(r.View(), kPrefix, id);
  r.U64();  // seq
  b.bal.credit_score = r.I64();
  b.bal.spendable = r.I64();
  b.bal.redeemed = r.I64();
  b.bal.expired = r.I64();
  for (uint64_t i = 0, moves = r.U64(); i < moves && r.ok(); i++) r.View(), r.U64();
  std::string_view lots = r.View(), turnover = r.View();
  for (uint64_t i = 0, n = r.U64(); i < n && r.ok(); i++) r.View(), r.View(), r.I64();
  for (uint64_t i = 0, n = r.U64(); i < n && r.ok(); i++) r.View(), r.I64();  // paid_fen
  std::string_view recent = r.View();
  r.U64();  // history chunks
  bool chain = r.View().size() == sizeof(Hash);
  bool packed = VarintGroups(lots, 2, 1) && VarintGroups(turnover, 3) && VarintGroups(recent, 1);
  CheckDecoded(r, kPrefix, id, chain && InlineRef::Fits(b.person_ref) && declared <= 2 && packed);
  return b;
}

std::string PersonOwner::EncodeRow() const {
  return RecordWriter().Str(Name(kind)).Str(id).Bool(erased).U64(erased_seq).Take();
}

std::string PersonOwner::MemoryId(std::string_view row_id) {
  std::optional<std::string> ref = Unhex(row_id);
  // Only lowercase hex: the key must be the one RowId gives.
  if (!ref || Hex(*ref) != row_id) {
    throw RowReadError(detail::MalformedRow(std::string(kPrefix) + std::string(row_id)));
  }
  return *std::move(ref);
}

PersonOwner PersonOwner::DecodeRow(std::string_view row_id, std::string_view row) {
  RecordReader r(row);
  PersonOwner o;
  o.kind = detail::DecodeVocab<PersonOwnerKind>(r.Str(), kPrefix, row_id);
  o.id = r.Str();
  o.erased = r.Bool();
  o.erased_seq = r.U64();
  CheckDecoded(r, kPrefix, row_id);
  return o;
}

// ------------------------------------------------------- sorted amounts

void AddToSorted(std::vector<std::pair<std::string, int64_t>>& list, std::string_view id,
                 int64_t delta, bool drop_zero) {
  auto it = std::lower_bound(list.begin(), list.end(), id,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  if (it == list.end() || it->first != id) {
    if (delta == 0 && drop_zero) return;
    list.insert(it, {std::string(id), delta});
    return;
  }
  it->second += delta;
  if (drop_zero && it->second == 0) list.erase(it);
}

int64_t SortedAmount(const std::vector<std::pair<std::string, int64_t>>& list,
                     std::string_view id) {
  auto it = std::lower_bound(list.begin(), list.end(), id,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  return it != list.end() && it->first == id ? it->second : 0;
}

namespace {

void InsertSorted(std::vector<SmallBytes>& list, std::string_view id) {
  auto it = std::lower_bound(list.begin(), list.end(), id,
                             [](std::string_view a, std::string_view b) { return a < b; });
  if (it == list.end() || *it != id) list.insert(it, SmallBytes(id));
}

}  // namespace

// ------------------------------------------------------------- records

std::optional<LedgerMeta> LoadMeta(StateStore& state) {
  auto row = state.Get("meta");
  if (!row) return std::nullopt;
  RecordReader r(*row);
  LedgerMeta m;
  m.name = r.Str();
  m.origin = r.Str();
  m.root_key_id = r.Str();
  CheckDecoded(r, "meta", "");
  return m;
}

void StoreMeta(StateStore& state, const LedgerMeta& m) {
  state.Put("meta", RecordWriter().Str(m.name).Str(m.origin).Str(m.root_key_id).Take());
}

const KeyRecord* FindKey(StateStore& state, std::string_view key_id) {
  return state.table<KeyRecord>().Find(key_id);
}

bool SignsCheckpointsAt(const KeyRecord& key, uint64_t size) {
  if (key.role != Role::kAdmin && key.role != Role::kCheckpointer) return false;
  if (key.registered_seq >= size) return false;
  return !key.revoked_seq || *key.revoked_seq >= size;
}

std::optional<KeyRecord> LoadKey(StateStore& state, std::string_view key_id) {
  const KeyRecord* k = FindKey(state, key_id);
  return k ? std::optional<KeyRecord>(*k) : std::nullopt;
}

void StoreKey(StateStore& state, const KeyRecord& key) {
  state.table<KeyRecord>().Put(key.key_id, key);
}

const VillageState* FindVillage(StateStore& state, std::string_view code) {
  return state.table<VillageState>().Find(code);
}

VillageState* MutableVillage(StateStore& state, std::string_view code) {
  return state.table<VillageState>().Mutable(code);
}

std::optional<VillageRecord> LoadVillage(StateStore& state, std::string_view code) {
  const VillageState* v = FindVillage(state, code);
  return v ? std::optional<VillageRecord>(v->rec) : std::nullopt;
}

void StoreVillage(StateStore& state, const VillageRecord& village) {
  auto& villages = state.table<VillageState>();
  if (VillageState* v = villages.Mutable(village.code)) {
    v->rec = village;
    return;
  }
  VillageState v;
  v.rec = village;
  villages.Insert(village.code, std::move(v));
}

const HouseholdState* FindHousehold(StateStore& state, std::string_view id) {
  return state.table<HouseholdState>().Find(id);
}

HouseholdState* MutableHousehold(StateStore& state, std::string_view id) {
  return state.table<HouseholdState>().Mutable(id);
}

std::optional<HouseholdRecord> LoadHousehold(StateStore& state, std::string_view id) {
  const HouseholdState* h = FindHousehold(state, id);
  return h ? std::optional<HouseholdRecord>(h->rec) : std::nullopt;
}

void StoreHousehold(StateStore& state, const HouseholdRecord& household) {
  auto& households = state.table<HouseholdState>();
  if (HouseholdState* h = households.Mutable(household.id)) {
    h->rec = household;
    return;
  }
  HouseholdState h;
  h.rec = household;
  households.Insert(household.id, std::move(h));
  VillageState* v = MutableVillage(state, household.village);
  detail::CheckExists(v, household.village);
  InsertSorted(v->households, household.id);
}

const ResidentState* FindResident(StateStore& state, std::string_view id) {
  return state.table<ResidentState>().Find(id);
}

ResidentState* MutableResident(StateStore& state, std::string_view id) {
  return state.table<ResidentState>().Mutable(id);
}

std::optional<ResidentRecord> LoadResident(StateStore& state, std::string_view id) {
  const ResidentState* r = FindResident(state, id);
  return r ? std::optional<ResidentRecord>(r->rec) : std::nullopt;
}

void StoreResident(StateStore& state, const ResidentRecord& resident, uint64_t seq) {
  auto& residents = state.table<ResidentState>();
  if (ResidentState* r = residents.Mutable(resident.id)) {
    if (r->rec.household != resident.household) {
      auto& households = r->rare.mut().households;
      if (households.empty()) households.emplace_back(r->rec.household, r->rec.seq);
      households.emplace_back(resident.household, seq);
    }
    r->rec = resident;
    return;
  }
  ResidentState r;
  r.rec = resident;
  residents.Insert(resident.id, std::move(r));
  VillageState* v = MutableVillage(state, resident.village);
  detail::CheckExists(v, resident.village);
  InsertSorted(v->residents, resident.id);
}

std::optional<PersonOwner> LoadPersonOwner(StateStore& state, std::string_view person_ref) {
  const PersonOwner* o = state.table<PersonOwner>().Find(person_ref);
  return o ? std::optional<PersonOwner>(*o) : std::nullopt;
}

void StorePersonOwner(StateStore& state, std::string_view person_ref, const PersonOwner& owner) {
  state.table<PersonOwner>().Put(person_ref, owner);
}

std::string_view HouseholdAt(const ResidentState& r, uint64_t seq) {
  std::string_view at = r.rec.household;
  const auto& households = r.rare->households;
  if (households.empty()) return at;
  at = households.front().first;
  for (const auto& [household, from] : households) {
    if (from <= seq) at = household;
  }
  return at;
}

// ---------------------------------------------------------------- lists

std::vector<KeyRecord> ListKeys(StateStore& state) {
  std::vector<KeyRecord> out;
  state.table<KeyRecord>().ForEach([&](std::string_view, const KeyRecord& k) { out.push_back(k); });
  return out;
}

std::vector<VillageRecord> ListVillages(StateStore& state) {
  std::vector<VillageRecord> out;
  state.table<VillageState>().ForEach(
      [&](std::string_view, const VillageState& v) { out.push_back(v.rec); });
  return out;
}

std::vector<HouseholdRecord> ListHouseholds(StateStore& state, std::string_view village) {
  std::vector<HouseholdRecord> out;
  if (village.empty()) {
    state.table<HouseholdState>().ForEach(
        [&](std::string_view, const HouseholdState& h) { out.push_back(h.rec); });
    return out;
  }
  const VillageState* v = FindVillage(state, village);
  if (v == nullptr) return out;
  // A copy: the table may load rows meanwhile.
  std::vector<std::string> ids(v->households.begin(), v->households.end());
  state.table<HouseholdState>().Prefetch(ids);
  for (const std::string& id : ids) {
    const HouseholdState* h = FindHousehold(state, id);
    detail::CheckExists(h, id);  // in the village's index
    out.push_back(h->rec);
  }
  return out;
}

std::vector<const ResidentState*> VillageResidents(StateStore& state, std::string_view village) {
  std::vector<const ResidentState*> out;
  const VillageState* v = FindVillage(state, village);
  if (v == nullptr) return out;
  std::vector<std::string> ids(v->residents.begin(), v->residents.end());
  state.table<ResidentState>().Prefetch(ids);
  out.reserve(ids.size());
  for (const std::string& id : ids) {
    const ResidentState* r = FindResident(state, id);
    detail::CheckExists(r, id);  // in the village's index
    out.push_back(r);
  }
  return out;
}

void ForEachResidentBrief(StateStore& state,
                          const std::function<void(const ResidentState::Brief&)>& fn) {
  state.table<ResidentState>().ForEachBrief(fn);
}

std::vector<ResidentRecord> ListResidents(StateStore& state, std::string_view village) {
  std::vector<ResidentRecord> out;
  if (village.empty()) {
    state.table<ResidentState>().ForEach(
        [&](std::string_view, const ResidentState& r) { out.push_back(r.rec); });
    return out;
  }
  for (const ResidentState* r : VillageResidents(state, village)) out.push_back(r->rec);
  return out;
}

}  // namespace vledger
