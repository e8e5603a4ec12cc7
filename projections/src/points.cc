#include "vledger/projections/points.h"

#include <fmt/format.h>

#include <algorithm>

#include "row_damage.h"
#include "row_vocab.h"
#include "varint.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/apply.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

std::string SeqKey(std::string_view prefix, uint64_t seq) {
  std::string k(prefix);
  PutU64be(&k, seq);
  return k;
}

std::string PendingKey(std::string_view village, uint64_t seq) {
  std::string k = "pend/";
  k.append(village);
  k += '/';
  PutU64be(&k, seq);
  return k;
}

int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// ---------------------------------------------------------- packed lists

struct PackedLot {
  uint32_t day;
  int64_t remaining;
};

void DecodeLots(std::string_view packed, std::vector<PackedLot>* out) {
  out->clear();
  uint64_t day = 0, delta = 0, amount = 0;
  while (!packed.empty()) {
    bool ok = GetVarint(&packed, &delta) && GetVarint(&packed, &amount);
    // ResidentState::DecodeRow checked the packed lots of a stored row.
    VLEDGER_ASSERT(ok && amount > 0);
    day += delta;
    out->push_back({static_cast<uint32_t>(day), static_cast<int64_t>(amount)});
  }
}

void EncodeLots(const std::vector<PackedLot>& lots, SmallBytes* out) {
  thread_local std::string packed;
  packed.clear();
  uint32_t prev = 0;
  for (const PackedLot& l : lots) {
    if (l.remaining == 0) continue;
    VLEDGER_ASSERT(l.remaining > 0 && l.day >= prev);
    PutVarint(&packed, l.day - prev);
    PutVarint(&packed, static_cast<uint64_t>(l.remaining));
    prev = l.day;
  }
  out->assign(packed);
}

struct PackedTurnover {
  uint32_t month;
  uint32_t household;  // index into ResidentState::households (0 when it is empty)
  int64_t points;
};

void DecodeTurnover(std::string_view packed, std::vector<PackedTurnover>* out) {
  out->clear();
  uint64_t month = 0, delta = 0, household = 0, points = 0;
  while (!packed.empty()) {
    bool ok =
        GetVarint(&packed, &delta) && GetVarint(&packed, &household) && GetVarint(&packed, &points);
    VLEDGER_ASSERT(ok);  // checked by ResidentState::DecodeRow for a stored row
    month += delta;
    out->push_back(
        {static_cast<uint32_t>(month), static_cast<uint32_t>(household), ZigzagDecode(points)});
  }
}

void EncodeTurnover(const std::vector<PackedTurnover>& list, SmallBytes* out) {
  thread_local std::string packed;
  packed.clear();
  uint32_t prev = 0;
  for (const PackedTurnover& t : list) {
    if (t.points == 0) continue;
    PutVarint(&packed, t.month - prev);
    PutVarint(&packed, t.household);
    PutVarint(&packed, ZigzagEncode(t.points));
    prev = t.month;
  }
  out->assign(packed);
}

std::vector<uint64_t> DecodeSeqs(std::string_view packed) {
  std::vector<uint64_t> out;
  uint64_t seq = 0, delta = 0;
  while (!packed.empty()) {
    bool ok = GetVarint(&packed, &delta);
    VLEDGER_ASSERT(ok);  // checked by ResidentState::DecodeRow for a stored row
    seq += delta;
    out.push_back(seq);
  }
  return out;
}

// Index of `household` in the resident's households (0 when it never moved).
uint32_t HouseholdIndex(const ResidentState& r, std::string_view household) {
  const auto& households = r.rare->households;
  if (households.empty() && household == r.rec.household) return 0;
  for (size_t i = 0; i < households.size(); i++) {
    if (households[i].first == household) return static_cast<uint32_t>(i);
  }
  // A household the resident was never in: the stored row lost one.
  throw RowReadError(detail::MalformedRow(std::string(ResidentState::kPrefix).append(r.rec.id)));
}

std::string_view HouseholdOfIndex(const ResidentState& r, uint32_t index) {
  const auto& households = r.rare->households;
  if (households.empty()) return r.rec.household;
  detail::CheckRow(index < households.size(), std::string(ResidentState::kPrefix).append(r.rec.id));
  return households[index].first;
}

RuleRecord DecodeRuleRow(std::string_view code, std::string_view row) {
  RecordReader r(row);
  RuleRecord rule;
  rule.code = r.Str();
  rule.village = r.Str();
  rule.category = r.Str();
  rule.description = r.Str();
  rule.points = r.I64();
  rule.has_range = r.Bool();
  rule.min = r.I64();
  rule.max = r.I64();
  rule.cap = r.I64();
  std::string cap_period = r.Str();
  if (rule.cap > 0)
    rule.cap_period = detail::DecodeVocab<CapPeriod>(cap_period, RuleRecord::kPrefix, code);
  rule.seq = r.U64();
  bool retired = r.Bool();
  uint64_t retired_seq = r.U64();
  if (retired) rule.retired_seq = retired_seq;
  detail::CheckRow(r.ok() && r.done() && (rule.cap > 0 || cap_period.empty()),
                   std::string(RuleRecord::kPrefix) + std::string(code));
  return rule;
}

}  // namespace

// ---------------------------------------------------------------- rules

std::string RuleRecord::EncodeRow() const {
  RecordWriter w;
  w.Str(code).Str(village).Str(category).Str(description);
  w.I64(points).Bool(has_range).I64(min).I64(max);
  w.I64(cap).Str(cap > 0 ? Name(cap_period) : std::string_view()).U64(seq);
  w.Bool(retired_seq.has_value()).U64(retired_seq.value_or(0));
  return w.Take();
}

RuleRecord RuleRecord::DecodeRow(std::string_view code, std::string_view row) {
  return DecodeRuleRow(code, row);
}

const RuleRecord* FindRule(StateStore& state, std::string_view code) {
  return state.table<RuleRecord>().Find(code);
}

std::optional<RuleRecord> LoadRule(StateStore& state, std::string_view code) {
  const RuleRecord* r = FindRule(state, code);
  return r ? std::optional<RuleRecord>(*r) : std::nullopt;
}

void StoreRule(StateStore& state, const RuleRecord& rule) {
  state.table<RuleRecord>().Put(rule.code, rule);
}

std::vector<RuleRecord> ListRules(StateStore& state, std::string_view village) {
  std::vector<RuleRecord> out;
  state.table<RuleRecord>().ForEach([&](std::string_view, const RuleRecord& rule) {
    if (village.empty() || rule.village.empty() || rule.village == village) out.push_back(rule);
  });
  return out;
}

// -------------------------------------------------------------- entries

const char* EntryStatusName(EntryStatus status) {
  switch (status) {
    case EntryStatus::kPending:
      return "pending";
    case EntryStatus::kApproved:
      return "approved";
    case EntryStatus::kRejected:
      return "rejected";
  }
  return "?";
}

std::optional<EntryRecord> LoadEntry(StateStore& state, uint64_t seq) {
  Result<Event> event = state.ReadEvent(seq);
  if (!event.ok() && event.status().is_storage_fault()) throw RowReadError(event.status());
  if (!event.ok()) return std::nullopt;
  const PointsEntry* b = std::get_if<PointsAwarded>(&event->body);
  bool deduction = false;
  if (b == nullptr) {
    b = std::get_if<PointsDeducted>(&event->body);
    deduction = true;
  }
  if (b == nullptr) return std::nullopt;
  const ResidentState* r = FindResident(state, b->resident);
  detail::CheckExists(r, b->resident);  // the entry's resident
  EntryRecord e;
  e.seq = seq;
  e.deduction = deduction;
  e.resident = b->resident;
  e.village = r->rec.village;
  e.household = b->household.empty() ? std::string(HouseholdAt(*r, seq)) : b->household;
  e.rule = b->rule;
  e.points = b->points;
  e.occurred_on = b->occurred_on;
  e.key_id = event->key_id;
  e.status = IsPending(state, e.village, seq) ? EntryStatus::kPending
             : IsRejected(state, seq)         ? EntryStatus::kRejected
                                              : EntryStatus::kApproved;
  return e;
}

std::vector<uint64_t> ListPending(StateStore& state, std::string_view village) {
  std::string prefix = "pend/" + std::string(village) + "/";
  std::vector<uint64_t> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view) {
    detail::CheckRow(key.size() == prefix.size() + 8, key);
    out.push_back(GetU64be(key.substr(prefix.size())));
    return true;
  });
  return out;
}

void SetPending(StateStore& state, std::string_view village, uint64_t seq, bool pending) {
  if (pending) {
    state.Put(PendingKey(village, seq), "");
  } else {
    state.Delete(PendingKey(village, seq));
  }
}

bool IsPending(StateStore& state, std::string_view village, uint64_t seq) {
  return state.Get(PendingKey(village, seq)).has_value();
}

void SetRejected(StateStore& state, uint64_t seq, uint64_t review_seq) {
  state.Put(SeqKey("rej/", seq), RecordWriter().U64(review_seq).Take());
}

bool IsRejected(StateStore& state, uint64_t seq) {
  return state.Get(SeqKey("rej/", seq)).has_value();
}

int64_t CapUsage(const ResidentState& r, std::string_view rule, std::string_view period) {
  for (const CapUse& c : r.rare->caps) {
    if (c.rule == rule && c.period == period) return c.used;
  }
  return 0;
}

void AddCapUsage(ResidentState& r, std::string_view rule, std::string_view period, int64_t delta) {
  if (delta == 0) return;  // stored uses are never zero
  std::vector<CapUse>& caps = r.rare.mut().caps;
  auto it =
      std::lower_bound(caps.begin(), caps.end(), std::make_pair(rule, period),
                       [](const CapUse& c, const std::pair<std::string_view, std::string_view>& k) {
                         std::string_view rule_of(c.rule), period_of(c.period);
                         return std::tie(rule_of, period_of) < std::tie(k.first, k.second);
                       });
  if (it == caps.end() || it->rule != rule || it->period != period) {
    it = caps.insert(it, CapUse{std::string(rule), std::string(period), 0});
  }
  it->used += delta;
  if (it->used == 0) caps.erase(it);
}

// ------------------------------------------------------------- balances

PointsBalance LoadBalance(StateStore& state, std::string_view resident) {
  const ResidentState* r = FindResident(state, resident);
  return r ? r->bal : PointsBalance{};
}

int64_t HouseholdScore(StateStore& state, std::string_view household) {
  const HouseholdState* h = FindHousehold(state, household);
  if (h == nullptr) return 0;
  int64_t total = 0;
  std::vector<PackedTurnover> list;
  for (const ResidentState* r : VillageResidents(state, h->rec.village)) {
    DecodeTurnover(r->turnover, &list);
    for (const PackedTurnover& t : list) {
      if (HouseholdOfIndex(*r, t.household) == household) total += t.points;
    }
  }
  return total;
}

// ----------------------------------------------------------------- lots

// Day numbers count from 0000-03-01, so every date CheckDate accepts
// (kDateYearMin-kDateYearMax, 1970-2200) has a small non-negative one.
constexpr int64_t kDayNumberOffset = 719468;  // days from 0000-03-01 to 1970-01-01

uint32_t DayNumber(std::string_view date) {
  VLEDGER_ASSERT(date.size() == 10);
  int64_t days = DaysFromCivil(date) + kDayNumberOffset;
  VLEDGER_ASSERT(days >= 0 && days <= UINT32_MAX);
  return static_cast<uint32_t>(days);
}

std::string DateOfDay(uint32_t day) {
  return CivilFromDays(static_cast<int64_t>(day) - kDayNumberOffset);
}

std::vector<Lot> ListLots(const ResidentState& r) {
  std::vector<PackedLot> lots;
  DecodeLots(r.lots, &lots);
  std::vector<Lot> out;
  for (const PackedLot& l : lots) out.push_back({DateOfDay(l.day), l.remaining});
  return out;
}

void CreditSpendable(ResidentState& r, int64_t amount, std::string_view date) {
  VLEDGER_ASSERT(amount > 0);
  int64_t repay = r.bal.spendable < 0 ? std::min(amount, -r.bal.spendable) : 0;
  int64_t lot = amount - repay;
  if (lot > 0) {
    thread_local std::vector<PackedLot> lots;
    DecodeLots(r.lots, &lots);
    uint32_t day = DayNumber(date);
    auto it = std::lower_bound(lots.begin(), lots.end(), day,
                               [](const PackedLot& l, uint32_t d) { return l.day < d; });
    if (it != lots.end() && it->day == day) {
      it->remaining += lot;
    } else {
      lots.insert(it, PackedLot{day, lot});
    }
    EncodeLots(lots, &r.lots);
  }
  r.bal.spendable += amount;
}

void DebitSpendable(ResidentState& r, int64_t amount, std::string_view first_date) {
  VLEDGER_ASSERT(amount > 0);
  thread_local std::vector<PackedLot> lots;
  DecodeLots(r.lots, &lots);
  int64_t left = amount;
  if (!first_date.empty()) {
    uint32_t day = DayNumber(first_date);
    for (PackedLot& l : lots) {
      if (l.day != day) continue;
      int64_t take = std::min(left, l.remaining);
      l.remaining -= take;
      left -= take;
    }
  }
  for (PackedLot& l : lots) {
    if (left == 0) break;
    int64_t take = std::min(left, l.remaining);
    l.remaining -= take;
    left -= take;
  }
  // Lots sum to max(0, spendable): when they run out, all of them went.
  VLEDGER_ASSERT(left == 0 || amount - left == std::max<int64_t>(0, r.bal.spendable));
  EncodeLots(lots, &r.lots);
  r.bal.spendable -= amount;
}

int64_t ExpireLots(ResidentState& r, std::string_view before) {
  if (r.lots.empty()) return 0;
  thread_local std::vector<PackedLot> lots;
  DecodeLots(r.lots, &lots);
  uint32_t cutoff = DayNumber(before);
  int64_t lapsed = 0;
  for (PackedLot& l : lots) {
    if (l.day >= cutoff) break;
    lapsed += l.remaining;
    l.remaining = 0;
  }
  if (lapsed > 0) EncodeLots(lots, &r.lots);
  return lapsed;
}

// ------------------------------------------------------------- periods

uint32_t MonthIndex(std::string_view date_or_month) {
  VLEDGER_ASSERT(date_or_month.size() >= 7);
  return static_cast<uint32_t>(12 * Digits(date_or_month.substr(0, 4)) +
                               Digits(date_or_month.substr(5, 2)) - 1);
}

std::string MonthName(uint32_t month) {
  return fmt::format("{:04d}-{:02d}", month / 12, month % 12 + 1);
}

std::pair<uint32_t, uint32_t> PeriodMonths(std::string_view period) {
  uint32_t year = static_cast<uint32_t>(Digits(period.substr(0, 4)));
  if (period.size() == 4) return {12 * year, 12 * year + 11};
  if (period.size() == 7 && period[4] == '-') {
    uint32_t m = MonthIndex(period);
    return {m, m};
  }
  VLEDGER_ASSERT(period.size() == 6 && period[4] == 'Q');
  uint32_t q = static_cast<uint32_t>(period[5] - '1');
  return {12 * year + 3 * q, 12 * year + 3 * q + 2};
}

std::vector<std::string> PeriodsOf(std::string_view date) {
  VLEDGER_ASSERT(date.size() == 10);
  return {std::string(date.substr(0, 7)), CapPeriodOf(date, CapPeriod::kQuarter),
          std::string(date.substr(0, 4))};
}

std::string CapPeriodOf(std::string_view date, CapPeriod cap_period) {
  VLEDGER_ASSERT(date.size() == 10);
  std::string year(date.substr(0, 4));
  switch (cap_period) {
    case CapPeriod::kMonth:
      return std::string(date.substr(0, 7));
    case CapPeriod::kQuarter:
      return year + "Q" + std::to_string((Digits(date.substr(5, 2)) - 1) / 3 + 1);
    case CapPeriod::kYear:
      return year;
  }
  AssertFailed("known CapPeriod", __FILE__, __LINE__);
}

void AddTurnover(ResidentState& r, std::string_view household, std::string_view date,
                 int64_t delta) {
  if (delta == 0) return;
  thread_local std::vector<PackedTurnover> list;
  DecodeTurnover(r.turnover, &list);
  PackedTurnover key{MonthIndex(date), HouseholdIndex(r, household), delta};
  auto it = std::lower_bound(list.begin(), list.end(), key, [](const auto& a, const auto& b) {
    return std::tie(a.month, a.household) < std::tie(b.month, b.household);
  });
  if (it != list.end() && it->month == key.month && it->household == key.household) {
    it->points += delta;
  } else {
    list.insert(it, key);
  }
  EncodeTurnover(list, &r.turnover);
}

int64_t PeriodPoints(const ResidentState& r, std::string_view period) {
  auto [first, last] = PeriodMonths(period);
  std::string_view packed = r.turnover;
  uint64_t month = 0, delta = 0, household = 0, points = 0;
  int64_t total = 0;
  while (!packed.empty()) {
    bool ok =
        GetVarint(&packed, &delta) && GetVarint(&packed, &household) && GetVarint(&packed, &points);
    VLEDGER_ASSERT(ok);  // checked by ResidentState::DecodeRow for a stored row
    month += delta;
    if (month > last) break;
    if (month >= first) total += ZigzagDecode(points);
  }
  return total;
}

int64_t PeriodPoints(StateStore& state, std::string_view period, std::string_view resident) {
  const ResidentState* r = FindResident(state, resident);
  return r ? PeriodPoints(*r, period) : 0;
}

std::vector<std::pair<std::string, int64_t>> PeriodPointsList(StateStore& state,
                                                              std::string_view village,
                                                              std::string_view period) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const ResidentState* r : VillageResidents(state, village)) {
    int64_t p = PeriodPoints(*r, period);
    if (p != 0) out.emplace_back(r->rec.id, p);
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> DividendPointsList(StateStore& state,
                                                                std::string_view village,
                                                                std::string_view period,
                                                                bool active_only,
                                                                std::vector<std::string>* skipped) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const ResidentState* r : VillageResidents(state, village)) {
    int64_t p = PeriodPoints(*r, period);
    if (p == 0) continue;
    if (active_only && r->rec.status != ResidentStatus::kActive) {
      if (skipped != nullptr && p > 0) skipped->push_back(std::string(r->rec.id));
      continue;
    }
    out.emplace_back(r->rec.id, p);
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> HouseholdPeriodPointsList(StateStore& state,
                                                                       std::string_view village,
                                                                       std::string_view period) {
  auto [first, last] = PeriodMonths(period);
  std::vector<std::pair<std::string, int64_t>> sums;
  std::vector<PackedTurnover> list;
  for (const ResidentState* r : VillageResidents(state, village)) {
    DecodeTurnover(r->turnover, &list);
    for (const PackedTurnover& t : list) {
      if (t.month < first || t.month > last) continue;
      AddToSorted(sums, HouseholdOfIndex(*r, t.household), t.points, false);
    }
  }
  std::erase_if(sums, [](const auto& s) { return s.second == 0; });
  return sums;
}

std::vector<RuleMonthUse> RuleUseInPeriod(const VillageState& v, std::string_view period) {
  auto [first, last] = PeriodMonths(period);
  std::vector<RuleMonthUse> out;
  for (const RuleMonthUse& u : v.rule_use) {
    if (u.month < first || u.month > last) continue;
    auto it =
        std::lower_bound(out.begin(), out.end(), u.rule,
                         [](const RuleMonthUse& a, const std::string& r) { return a.rule < r; });
    if (it == out.end() || it->rule != u.rule) {
      it = out.insert(it, RuleMonthUse{0, u.rule, 0, 0});
    }
    it->entries += u.entries;
    it->points += u.points;
  }
  std::erase_if(out, [](const RuleMonthUse& u) { return u.entries == 0; });
  return out;
}

void AddRuleUse(VillageState& v, std::string_view date, std::string_view rule, int64_t entries,
                int64_t points) {
  uint32_t month = MonthIndex(date);
  auto it =
      std::lower_bound(v.rule_use.begin(), v.rule_use.end(), std::make_pair(month, rule),
                       [](const RuleMonthUse& u, const std::pair<uint32_t, std::string_view>& k) {
                         std::string_view rule_of(u.rule);
                         return std::tie(u.month, rule_of) < std::tie(k.first, k.second);
                       });
  if (it == v.rule_use.end() || it->month != month || it->rule != rule) {
    it = v.rule_use.insert(it, RuleMonthUse{month, std::string(rule), 0, 0});
  }
  it->entries += entries;
  it->points += points;
  if (it->entries == 0 && it->points == 0) v.rule_use.erase(it);
}

// ---------------------------------------------------- expiries, reversals

std::vector<std::pair<std::string, int64_t>> ExpiredAmounts(StateStore& state, uint64_t seq) {
  std::string prefix = SeqKey("expd/", seq) + "/";
  std::vector<std::pair<std::string, int64_t>> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    RecordReader r(value);
    int64_t v = r.I64();
    detail::CheckRow(r.ok(), key);
    out.emplace_back(std::string(key.substr(prefix.size())), v);
    return true;
  });
  return out;
}

void StoreExpiredAmount(StateStore& state, uint64_t seq, std::string_view resident,
                        int64_t amount) {
  std::string key = SeqKey("expd/", seq) + "/";
  key.append(resident);
  if (amount == 0) {
    state.Delete(key);
  } else {
    state.Put(key, RecordWriter().I64(amount).Take());
  }
}

std::optional<uint64_t> ReversedBy(StateStore& state, uint64_t seq) {
  std::string key = SeqKey("rev/", seq);
  auto row = state.Get(key);
  if (!row) return std::nullopt;
  RecordReader r(*row);
  uint64_t by = r.U64();
  detail::CheckRow(r.ok(), key);
  return by;
}

void StoreReversal(StateStore& state, uint64_t target, uint64_t reversal_seq) {
  state.Put(SeqKey("rev/", target), RecordWriter().U64(reversal_seq).Take());
}

// ---------------------------------------------------------------- history

Hash ChainHistory(const Hash& chain, std::string_view chunk_value) {
  Sha256Hasher h;
  h.Update(AsView(chain)).Update(chunk_value);
  return h.Finish();
}

std::optional<std::vector<uint64_t>> DecodeHistoryChunk(std::string_view value) {
  std::vector<uint64_t> out;
  uint64_t seq = 0, delta = 0;
  while (!value.empty()) {
    if (!GetVarint(&value, &delta)) return std::nullopt;
    if (!out.empty() && delta == 0) return std::nullopt;
    seq += delta;
    out.push_back(seq);
  }
  if (out.size() != kHistoryChunk) return std::nullopt;
  return out;
}

void AddHistory(StateStore& state, ResidentState& r, uint64_t seq) {
  // The newest seqs (DecodeSeqs), read in place: how many, the first and
  // the last. Every entry of a replay comes here, so no list is made.
  size_t count = 0;
  uint64_t first = 0, last = 0;
  for (std::string_view packed = r.recent; !packed.empty(); count++) {
    uint64_t delta = 0;
    bool ok = GetVarint(&packed, &delta);
    VLEDGER_ASSERT(ok);  // checked by ResidentState::DecodeRow for a stored row
    last += delta;
    if (count == 0) first = last;
  }
  if (count > 0 && last == seq) return;  // one event, several entries of it
  VLEDGER_ASSERT(count == 0 || last < seq);
  if (count == kHistoryChunk) {
    std::string key(kHistoryPrefix);
    key.append(r.rec.id);
    key += '/';
    PutU64be(&key, first);
    state.Emit(key, r.recent);
    ResidentRare& rare = r.rare.mut();
    rare.hist_chain = ChainHistory(rare.hist_chain, r.recent);
    rare.hist_chunks++;
    r.recent.clear();
    count = 0;
  }
  std::string delta;  // at most 10 bytes: in place
  PutVarint(&delta, count == 0 ? seq : seq - last);
  r.recent.append(delta);
}

std::vector<uint64_t> ListHistory(StateStore& state, std::string_view resident) {
  std::vector<uint64_t> out;
  const ResidentState* r = FindResident(state, resident);
  if (r == nullptr) return out;
  std::string prefix = std::string(kHistoryPrefix) + std::string(resident) + "/";
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() != prefix.size() + 8) return true;
    auto seqs = DecodeHistoryChunk(value);
    detail::CheckRow(seqs.has_value(), key);
    out.insert(out.end(), seqs->begin(), seqs->end());
    return true;
  });
  for (uint64_t seq : DecodeSeqs(r->recent)) out.push_back(seq);
  return out;
}

// -------------------------------------------------------------- ranking

std::vector<RankRow> ComputeRanking(std::vector<std::pair<std::string, int64_t>> points,
                                    const VillageRecord& policy) {
  std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;  // std::string compares bytes as unsigned char
  });
  uint64_t positive = 0;
  for (const auto& p : points) positive += p.second > 0 ? 1 : 0;
  // ceil(n * share / 100) in integers.
  uint64_t flags = (positive * policy.red_flag_share_pct + 99) / 100;
  std::vector<RankRow> out;
  for (size_t i = 0; i < points.size(); i++) {
    RankRow row;
    row.rank = (i > 0 && points[i].second == points[i - 1].second) ? out.back().rank : i + 1;
    row.id = points[i].first;
    row.points = points[i].second;
    if (row.points > 0 && policy.star_points > 0) {
      row.stars = static_cast<uint32_t>(
          std::min<int64_t>(policy.max_stars, row.points / policy.star_points));
    }
    row.red_flag = row.points > 0 && row.rank <= flags;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace vledger
