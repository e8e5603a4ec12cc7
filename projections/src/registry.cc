#include "vledger/registry.h"

#include "vledger/bytes.h"

namespace vledger {
namespace {

std::string Key(std::string_view prefix, std::string_view id) {
  std::string k(prefix);
  k += '/';
  k.append(id);
  return k;
}

void PutStrings(RecordWriter& w, const std::vector<std::string>& list) {
  w.U64(list.size());
  for (const auto& s : list) w.Str(s);
}

std::vector<std::string> GetStrings(RecordReader& r) {
  uint64_t n = r.U64();
  std::vector<std::string> list;
  for (uint64_t i = 0; i < n && r.ok(); i++) list.push_back(r.Str());
  return list;
}

// Decodes a row with `decode`, asserting it is well-formed: projection rows
// are written only by this file, so a malformed one is a bug or damage.
template <typename T, typename F>
std::optional<T> Decode(const std::optional<std::string>& row, F decode) {
  if (!row) return std::nullopt;
  RecordReader r(*row);
  T value = decode(r);
  VLEDGER_ASSERT(r.ok());
  return value;
}

KeyRecord DecodeKey(RecordReader& r) {
  KeyRecord k;
  k.key_id = r.Str();
  k.public_key = r.Str();
  k.role = r.Str();
  k.label = r.Str();
  k.villages = GetStrings(r);
  k.registered_seq = r.U64();
  if (r.Bool()) k.revoked_seq = r.U64();
  return k;
}

VillageRecord DecodeVillage(RecordReader& r) {
  VillageRecord v;
  v.code = r.Str();
  v.name = r.Str();
  v.review = r.Bool();
  v.star_points = r.I64();
  v.max_stars = static_cast<uint32_t>(r.U64());
  v.red_flag_share_pct = static_cast<uint32_t>(r.U64());
  v.seq = r.U64();
  return v;
}

HouseholdRecord DecodeHousehold(RecordReader& r) {
  HouseholdRecord h;
  h.id = r.Str();
  h.village = r.Str();
  h.head_ref = r.Str();
  h.head_resident = r.Str();
  h.seq = r.U64();
  return h;
}

ResidentRecord DecodeResident(RecordReader& r) {
  ResidentRecord res;
  res.id = r.Str();
  res.village = r.Str();
  res.household = r.Str();
  res.person_ref = r.Str();
  res.minor = r.Bool();
  res.status = r.Str();
  res.seq = r.U64();
  return res;
}

template <typename T, typename F>
std::vector<T> List(StateStore& state, std::string_view prefix, F decode) {
  std::vector<T> out;
  state.Scan(prefix, [&](std::string_view, std::string_view value) {
    RecordReader r(value);
    out.push_back(decode(r));
    VLEDGER_ASSERT(r.ok());
    return true;
  });
  return out;
}

}  // namespace

std::optional<LedgerMeta> LoadMeta(StateStore& state) {
  return Decode<LedgerMeta>(state.Get("meta"), [](RecordReader& r) {
    LedgerMeta m;
    m.name = r.Str();
    m.origin = r.Str();
    m.root_key_id = r.Str();
    return m;
  });
}

void StoreMeta(StateStore& state, const LedgerMeta& m) {
  state.Put("meta", RecordWriter().Str(m.name).Str(m.origin).Str(m.root_key_id).Take());
}

std::optional<KeyRecord> LoadKey(StateStore& state, std::string_view key_id) {
  return Decode<KeyRecord>(state.Get(Key("key", key_id)), DecodeKey);
}

void StoreKey(StateStore& state, const KeyRecord& k) {
  RecordWriter w;
  w.Str(k.key_id).Str(k.public_key).Str(k.role).Str(k.label);
  PutStrings(w, k.villages);
  w.U64(k.registered_seq).Bool(k.revoked_seq.has_value()).U64(k.revoked_seq.value_or(0));
  state.Put(Key("key", k.key_id), w.Take());
}

std::optional<VillageRecord> LoadVillage(StateStore& state, std::string_view code) {
  return Decode<VillageRecord>(state.Get(Key("village", code)), DecodeVillage);
}

void StoreVillage(StateStore& state, const VillageRecord& v) {
  state.Put(Key("village", v.code), RecordWriter()
                                        .Str(v.code)
                                        .Str(v.name)
                                        .Bool(v.review)
                                        .I64(v.star_points)
                                        .U64(v.max_stars)
                                        .U64(v.red_flag_share_pct)
                                        .U64(v.seq)
                                        .Take());
}

std::optional<HouseholdRecord> LoadHousehold(StateStore& state, std::string_view id) {
  return Decode<HouseholdRecord>(state.Get(Key("hh", id)), DecodeHousehold);
}

void StoreHousehold(StateStore& state, const HouseholdRecord& h) {
  state.Put(Key("hh", h.id),
            RecordWriter().Str(h.id).Str(h.village).Str(h.head_ref).Str(h.head_resident).U64(h.seq).Take());
}

std::optional<ResidentRecord> LoadResident(StateStore& state, std::string_view id) {
  return Decode<ResidentRecord>(state.Get(Key("res", id)), DecodeResident);
}

void StoreResident(StateStore& state, const ResidentRecord& r) {
  state.Put(Key("res", r.id), RecordWriter()
                                  .Str(r.id)
                                  .Str(r.village)
                                  .Str(r.household)
                                  .Str(r.person_ref)
                                  .Bool(r.minor)
                                  .Str(r.status)
                                  .U64(r.seq)
                                  .Take());
}

std::optional<PersonOwner> LoadPersonOwner(StateStore& state, std::string_view person_ref) {
  return Decode<PersonOwner>(state.Get(Key("pref", Hex(person_ref))), [](RecordReader& r) {
    PersonOwner o;
    o.kind = r.Str();
    o.id = r.Str();
    o.erased = r.Bool();
    o.erased_seq = r.U64();
    return o;
  });
}

void StorePersonOwner(StateStore& state, std::string_view person_ref, const PersonOwner& o) {
  state.Put(Key("pref", Hex(person_ref)),
            RecordWriter().Str(o.kind).Str(o.id).Bool(o.erased).U64(o.erased_seq).Take());
}

std::vector<KeyRecord> ListKeys(StateStore& state) {
  return List<KeyRecord>(state, "key/", DecodeKey);
}

std::vector<VillageRecord> ListVillages(StateStore& state) {
  return List<VillageRecord>(state, "village/", DecodeVillage);
}

std::vector<HouseholdRecord> ListHouseholds(StateStore& state, std::string_view village) {
  auto all = List<HouseholdRecord>(state, "hh/", DecodeHousehold);
  std::erase_if(all, [&](const HouseholdRecord& h) { return !village.empty() && h.village != village; });
  return all;
}

std::vector<ResidentRecord> ListResidents(StateStore& state, std::string_view village) {
  auto all = List<ResidentRecord>(state, "res/", DecodeResident);
  std::erase_if(all, [&](const ResidentRecord& r) { return !village.empty() && r.village != village; });
  return all;
}

}  // namespace vledger
