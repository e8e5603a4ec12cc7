#include "vledger/projections/objections.h"

#include <fmt/format.h>

#include <algorithm>

#include "row_damage.h"
#include "vledger/ledger/bytes.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

constexpr std::string_view kDiscPrefix = "disc/";
constexpr std::string_view kDiscShaPrefix = "discsha/";
constexpr std::string_view kObjPrefix = "obj/";
constexpr std::string_view kObjEventPrefix = "objev/";

std::string DiscKey(std::string_view village, uint64_t seq) {
  std::string k(kDiscPrefix);
  k.append(village);
  k += '/';
  PutU64be(&k, seq);
  return k;
}

std::string ObjKey(uint64_t seq) {
  std::string k(kObjPrefix);
  PutU64be(&k, seq);
  return k;
}

std::string ObjEventKey(uint64_t event, uint64_t objection) {
  std::string k(kObjEventPrefix);
  PutU64be(&k, event);
  k += '/';
  PutU64be(&k, objection);
  return k;
}

DisclosureRecord DecodeDisclosure(std::string_view key, std::string_view row) {
  RecordReader r(row);
  DisclosureRecord d;
  d.seq = r.U64();
  d.village = r.Str();
  d.period = r.Str();
  d.kind = r.Str();
  d.format = r.Str();
  d.lang = r.Str();
  d.report_sha256 = r.Str();
  d.tree_size = r.U64();
  d.window_end = r.Str();
  d.published_on = r.Str();
  detail::CheckRow(r.ok(), key);
  return d;
}

ObjectionRecord DecodeObjection(std::string_view key, std::string_view row) {
  RecordReader r(row);
  ObjectionRecord o;
  o.seq = r.U64();
  o.village = r.Str();
  if (r.Bool()) o.about_event = r.U64();
  o.about_report = r.Str();
  o.by_resident = r.Str();
  o.text = r.Str();
  o.reply_due = r.Str();
  o.filed_on = r.Str();
  o.resolved = r.Bool();
  o.resolved_seq = r.U64();
  o.upheld = r.Bool();
  o.answer = r.Str();
  o.resolved_on = r.Str();
  o.reversal = r.U64();
  detail::CheckRow(r.ok(), key);
  return o;
}

}  // namespace

std::optional<DisclosureRecord> LoadDisclosure(StateStore& state, std::string_view village,
                                               uint64_t seq) {
  std::string key = DiscKey(village, seq);
  auto row = state.Get(key);
  if (!row) return std::nullopt;
  return DecodeDisclosure(key, *row);
}

void StoreDisclosure(StateStore& state, const DisclosureRecord& d) {
  state.Put(DiscKey(d.village, d.seq), RecordWriter()
                                           .U64(d.seq)
                                           .Str(d.village)
                                           .Str(d.period)
                                           .Str(d.kind)
                                           .Str(d.format)
                                           .Str(d.lang)
                                           .Str(d.report_sha256)
                                           .U64(d.tree_size)
                                           .Str(d.window_end)
                                           .Str(d.published_on)
                                           .Take());
  state.Put(std::string(kDiscShaPrefix) + Hex(d.report_sha256),
            RecordWriter().Str(d.village).U64(d.seq).Take());
}

std::vector<DisclosureRecord> ListDisclosures(StateStore& state, std::string_view village) {
  std::vector<DisclosureRecord> out;
  std::string prefix = std::string(kDiscPrefix) + std::string(village) + "/";
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() == prefix.size() + 8) out.push_back(DecodeDisclosure(key, value));
    return true;
  });
  return out;
}

std::optional<DisclosureRecord> DisclosureBySha(StateStore& state, std::string_view sha256) {
  std::string key = std::string(kDiscShaPrefix) + Hex(sha256);
  auto row = state.Get(key);
  if (!row) return std::nullopt;
  RecordReader r(*row);
  std::string village = r.Str();
  uint64_t seq = r.U64();
  detail::CheckRow(r.ok(), key);
  return LoadDisclosure(state, village, seq);
}

std::optional<ObjectionRecord> LoadObjection(StateStore& state, uint64_t seq) {
  std::string key = ObjKey(seq);
  auto row = state.Get(key);
  if (!row) return std::nullopt;
  return DecodeObjection(key, *row);
}

void StoreObjection(StateStore& state, const ObjectionRecord& o) {
  RecordWriter w;
  w.U64(o.seq).Str(o.village).Bool(o.about_event.has_value());
  if (o.about_event) w.U64(*o.about_event);
  w.Str(o.about_report).Str(o.by_resident).Str(o.text).Str(o.reply_due).Str(o.filed_on);
  w.Bool(o.resolved).U64(o.resolved_seq).Bool(o.upheld).Str(o.answer).Str(o.resolved_on);
  w.U64(o.reversal);
  state.Put(ObjKey(o.seq), w.Take());
  if (o.about_event) {
    // The index holds open objections only, so a lookup stays small.
    if (o.resolved) {
      state.Delete(ObjEventKey(*o.about_event, o.seq));
    } else {
      state.Put(ObjEventKey(*o.about_event, o.seq), "");
    }
  }
}

std::vector<ObjectionRecord> ListObjections(StateStore& state, std::string_view village) {
  std::vector<ObjectionRecord> out;
  state.Scan(kObjPrefix, [&](std::string_view key, std::string_view value) {
    if (key.size() != kObjPrefix.size() + 8) return true;
    ObjectionRecord o = DecodeObjection(key, value);
    if (village.empty() || o.village == village) out.push_back(std::move(o));
    return true;
  });
  return out;
}

std::vector<uint64_t> OpenObjectionsAbout(StateStore& state, uint64_t seq) {
  std::string prefix(kObjEventPrefix);
  PutU64be(&prefix, seq);
  prefix += '/';
  std::vector<uint64_t> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view) {
    if (key.size() == prefix.size() + 8) out.push_back(GetU64be(key.substr(prefix.size())));
    return true;
  });
  return out;
}

std::string AddWorkingDays(std::string_view date, int days) {
  VLEDGER_ASSERT(date.size() == 10 && days >= 0);
  int64_t z = DaysFromCivil(date);
  while (days > 0) {
    z++;
    // 1970-01-01 was a Thursday: weekday 0 = Monday.
    int64_t weekday = ((z % 7) + 7 + 3) % 7;
    if (weekday < 5) days--;
  }
  return CivilFromDays(z);
}

bool IsWorkingDay(std::string_view date, const WorkingCalendar& calendar) {
  auto listed = [&](const std::vector<std::string>& dates) {
    return std::binary_search(dates.begin(), dates.end(), date);
  };
  int64_t z = DaysFromCivil(date);
  int64_t weekday = ((z % 7) + 7 + 3) % 7;  // 0 = Monday
  if (weekday >= 5) return listed(calendar.workdays);
  return !listed(calendar.holidays);
}

std::string AddWorkingDays(std::string_view date, int days, const WorkingCalendar& calendar) {
  VLEDGER_ASSERT(date.size() == 10 && days >= 0);
  int64_t z = DaysFromCivil(date);
  // Every holiday listed lengthens the walk by at most a day.
  const int64_t steps_max =
      int64_t{days} * 7 / 5 + 7 + static_cast<int64_t>(calendar.holidays.size());
  std::string day(date);
  for (int64_t step = 0; days > 0 && step < steps_max; step++) {
    z++;
    day = CivilFromDays(z);
    if (IsWorkingDay(day, calendar)) days--;
  }
  VLEDGER_ASSERT(days == 0);
  return day;
}

std::string EventVillage(StateStore& state, const Event& event) {
  auto resident_village = [&](const std::string& id) -> std::string {
    auto r = LoadResident(state, id);
    return r ? std::string(r->village) : "";
  };
  auto household_village = [&](const std::string& id) -> std::string {
    auto h = LoadHousehold(state, id);
    return h ? std::string(h->village) : "";
  };
  auto fund_village = [&](const std::string& code) -> std::string {
    auto f = LoadFund(state, code);
    return f ? f->village : "";
  };
  const EventBody& b = event.body;
  if (const auto* e = std::get_if<DonationReceived>(&b)) return fund_village(e->fund);
  if (const auto* e = std::get_if<RestrictionReleased>(&b)) return fund_village(e->fund);
  if (const auto* e = std::get_if<FundOpened>(&b)) return e->village;
  if (const auto* e = std::get_if<FundDisbursed>(&b); e && !fund_village(e->fund).empty()) {
    return fund_village(e->fund);
  }
  if (const auto* e = std::get_if<PointsAwarded>(&b)) return resident_village(e->resident);
  if (const auto* e = std::get_if<PointsDeducted>(&b)) return resident_village(e->resident);
  if (const auto* e = std::get_if<PointsRedeemed>(&b)) return resident_village(e->resident);
  if (const auto* e = std::get_if<PointsExpired>(&b)) return e->village;
  if (const auto* e = std::get_if<EntriesReviewed>(&b)) return e->village;
  if (const auto* e = std::get_if<DividendDeclared>(&b)) return e->village;
  if (const auto* e = std::get_if<FundDisbursed>(&b)) {
    return e->to_resident.empty() ? household_village(e->to_household)
                                  : resident_village(e->to_resident);
  }
  if (const auto* e = std::get_if<AllowanceAdded>(&b)) {
    return e->to_resident.empty() ? household_village(e->to_household)
                                  : resident_village(e->to_resident);
  }
  if (const auto* e = std::get_if<ResidentRegistered>(&b)) return e->village;
  if (const auto* e = std::get_if<ResidentUpdated>(&b)) return resident_village(e->id);
  if (const auto* e = std::get_if<HouseholdRegistered>(&b)) return e->village;
  if (const auto* e = std::get_if<HouseholdHeadSet>(&b)) return household_village(e->household);
  if (const auto* e = std::get_if<VillagePolicySet>(&b)) return e->village;
  if (const auto* e = std::get_if<VillageRegistered>(&b)) return e->code;
  if (const auto* e = std::get_if<DisclosurePublished>(&b)) return e->village;
  if (const auto* e = std::get_if<RuleDefined>(&b)) return e->village;
  return "";
}

}  // namespace vledger
