#include "vledger/points.h"

#include <algorithm>

#include "vledger/apply.h"
#include "vledger/bytes.h"
#include "vledger/codec.h"

namespace vledger {
namespace {

// Builds "a/b/c" from parts.
std::string Join(std::initializer_list<std::string_view> parts) {
  std::string k;
  for (std::string_view p : parts) {
    if (!k.empty()) k += '/';
    k.append(p);
  }
  return k;
}

std::string SeqKey(std::string_view prefix, uint64_t seq) {
  std::string k(prefix);
  PutU64be(&k, seq);
  return k;
}

int64_t GetI64(StateStore& state, const std::string& key) {
  auto row = state.Get(key);
  if (!row) return 0;
  RecordReader r(*row);
  int64_t v = r.I64();
  VLEDGER_ASSERT(r.ok());
  return v;
}

// Writes an amount row; a zero amount deletes it.
void PutI64(StateStore& state, const std::string& key, int64_t v) {
  if (v == 0) {
    state.Delete(key);
  } else {
    state.Put(key, RecordWriter().I64(v).Take());
  }
}

void AddI64(StateStore& state, const std::string& key, int64_t delta) {
  PutI64(state, key, GetI64(state, key) + delta);
}

RuleRecord DecodeRule(std::string_view row) {
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
  rule.cap_period = r.Str();
  rule.seq = r.U64();
  if (r.Bool()) rule.retired_seq = r.U64();
  VLEDGER_ASSERT(r.ok());
  return rule;
}

// (id, amount) rows under `prefix`, the id being the rest of the key.
std::vector<std::pair<std::string, int64_t>> AmountRows(StateStore& state,
                                                        const std::string& prefix) {
  std::vector<std::pair<std::string, int64_t>> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    RecordReader r(value);
    int64_t v = r.I64();
    VLEDGER_ASSERT(r.ok());
    out.emplace_back(std::string(key.substr(prefix.size())), v);
    return true;
  });
  return out;
}

// Parses "<date>/<u64be seq>" at the end of a lot key.
constexpr size_t kLotTailBytes = 1 + 10 + 1 + 8;  // "/" date "/" seq

Lot ParseLot(std::string_view key, std::string_view value) {
  VLEDGER_ASSERT(key.size() > kLotTailBytes);
  Lot lot;
  lot.key = std::string(key);
  lot.date = std::string(key.substr(key.size() - 19, 10));
  lot.seq = GetU64be(key.substr(key.size() - 8));
  RecordReader r(value);
  lot.remaining = r.I64();
  VLEDGER_ASSERT(r.ok() && lot.remaining > 0);
  return lot;
}

}  // namespace

// ---------------------------------------------------------------- rules

std::optional<RuleRecord> LoadRule(StateStore& state, std::string_view code) {
  auto row = state.Get(Join({"rule", code}));
  if (!row) return std::nullopt;
  return DecodeRule(*row);
}

void StoreRule(StateStore& state, const RuleRecord& rule) {
  RecordWriter w;
  w.Str(rule.code).Str(rule.village).Str(rule.category).Str(rule.description);
  w.I64(rule.points).Bool(rule.has_range).I64(rule.min).I64(rule.max);
  w.I64(rule.cap).Str(rule.cap_period).U64(rule.seq);
  w.Bool(rule.retired_seq.has_value()).U64(rule.retired_seq.value_or(0));
  state.Put(Join({"rule", rule.code}), w.Take());
}

std::vector<RuleRecord> ListRules(StateStore& state, std::string_view village) {
  std::vector<RuleRecord> out;
  state.Scan("rule/", [&](std::string_view, std::string_view value) {
    RuleRecord rule = DecodeRule(value);
    if (village.empty() || rule.village.empty() || rule.village == village) {
      out.push_back(std::move(rule));
    }
    return true;
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
  auto row = state.Get(SeqKey("ent/", seq));
  if (!row) return std::nullopt;
  RecordReader r(*row);
  EntryRecord e;
  e.seq = seq;
  e.deduction = r.Bool();
  e.resident = r.Str();
  e.household = r.Str();
  e.village = r.Str();
  e.rule = r.Str();
  e.points = r.I64();
  e.occurred_on = r.Str();
  e.key_id = r.Str();
  uint64_t status = r.U64();
  e.review_seq = r.U64();
  VLEDGER_ASSERT(r.ok() && status <= 2);
  e.status = static_cast<EntryStatus>(status);
  return e;
}

void StoreEntry(StateStore& state, const EntryRecord& e) {
  RecordWriter w;
  w.Bool(e.deduction).Str(e.resident).Str(e.household).Str(e.village).Str(e.rule);
  w.I64(e.points).Str(e.occurred_on).Str(e.key_id);
  w.U64(static_cast<uint64_t>(e.status)).U64(e.review_seq);
  state.Put(SeqKey("ent/", e.seq), w.Take());
}

std::vector<uint64_t> ListPending(StateStore& state, std::string_view village) {
  std::string prefix = Join({"pend", village}) + "/";
  std::vector<uint64_t> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view) {
    VLEDGER_ASSERT(key.size() == prefix.size() + 8);
    out.push_back(GetU64be(key.substr(prefix.size())));
    return true;
  });
  return out;
}

void SetPending(StateStore& state, std::string_view village, uint64_t seq, bool pending) {
  std::string key = SeqKey(Join({"pend", village}) + "/", seq);
  if (pending) {
    state.Put(key, "");
  } else {
    state.Delete(key);
  }
}

int64_t CapUsage(StateStore& state, std::string_view rule, std::string_view resident,
                 std::string_view period) {
  return GetI64(state, Join({"capu", rule, resident, period}));
}

void AddCapUsage(StateStore& state, std::string_view rule, std::string_view resident,
                 std::string_view period, int64_t delta) {
  AddI64(state, Join({"capu", rule, resident, period}), delta);
}

// ------------------------------------------------------------- balances

PointsBalance LoadBalance(StateStore& state, std::string_view resident) {
  auto row = state.Get(Join({"pts", resident}));
  PointsBalance b;
  if (!row) return b;
  RecordReader r(*row);
  b.credit_score = r.I64();
  b.spendable = r.I64();
  b.redeemed = r.I64();
  b.expired = r.I64();
  VLEDGER_ASSERT(r.ok());
  return b;
}

void StoreBalance(StateStore& state, std::string_view resident, const PointsBalance& b) {
  std::string key = Join({"pts", resident});
  if (b.credit_score == 0 && b.spendable == 0 && b.redeemed == 0 && b.expired == 0) {
    state.Delete(key);
    return;
  }
  state.Put(key, RecordWriter().I64(b.credit_score).I64(b.spendable).I64(b.redeemed).I64(b.expired).Take());
}

int64_t HouseholdScore(StateStore& state, std::string_view household) {
  return GetI64(state, Join({"hpts", household}));
}

void AddHouseholdScore(StateStore& state, std::string_view household, int64_t delta) {
  AddI64(state, Join({"hpts", household}), delta);
}

// ----------------------------------------------------------------- lots

std::string LotKey(std::string_view village, std::string_view resident, std::string_view date,
                   uint64_t seq) {
  return SeqKey(Join({"lot", village, resident, date}) + "/", seq);
}

void PutLot(StateStore& state, const std::string& key, int64_t remaining) {
  VLEDGER_ASSERT(remaining >= 0);
  PutI64(state, key, remaining);
}

std::vector<Lot> ListLots(StateStore& state, std::string_view village, std::string_view resident) {
  std::vector<Lot> out;
  state.Scan(Join({"lot", village, resident}) + "/", [&](std::string_view key, std::string_view value) {
    out.push_back(ParseLot(key, value));
    return true;
  });
  return out;
}

std::vector<std::pair<std::string, Lot>> ListVillageLots(StateStore& state,
                                                         std::string_view village) {
  std::string prefix = Join({"lot", village}) + "/";
  std::vector<std::pair<std::string, Lot>> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    Lot lot = ParseLot(key, value);
    std::string_view rest = key.substr(prefix.size());
    VLEDGER_ASSERT(rest.size() > kLotTailBytes);
    out.emplace_back(std::string(rest.substr(0, rest.size() - kLotTailBytes)), std::move(lot));
    return true;
  });
  return out;
}

// ------------------------------------------------------------- periods

std::vector<std::string> PeriodsOf(std::string_view date) {
  VLEDGER_ASSERT(date.size() == 10);
  int month = (date[5] - '0') * 10 + (date[6] - '0');
  std::string year(date.substr(0, 4));
  return {std::string(date.substr(0, 7)), year + "Q" + std::to_string((month - 1) / 3 + 1), year};
}

std::string CapPeriodOf(std::string_view date, std::string_view cap_period) {
  auto periods = PeriodsOf(date);
  if (cap_period == "month") return periods[0];
  if (cap_period == "quarter") return periods[1];
  VLEDGER_ASSERT(cap_period == "year");
  return periods[2];
}

int64_t PeriodPoints(StateStore& state, std::string_view village, std::string_view period,
                     std::string_view resident) {
  return GetI64(state, Join({"turn", village, period, resident}));
}

std::vector<std::pair<std::string, int64_t>> PeriodPointsList(StateStore& state,
                                                              std::string_view village,
                                                              std::string_view period) {
  return AmountRows(state, Join({"turn", village, period}) + "/");
}

std::vector<std::pair<std::string, int64_t>> HouseholdPeriodPointsList(StateStore& state,
                                                                       std::string_view village,
                                                                       std::string_view period) {
  return AmountRows(state, Join({"hturn", village, period}) + "/");
}

void AddTurnover(StateStore& state, std::string_view village, std::string_view resident,
                 std::string_view household, std::string_view date, int64_t delta) {
  for (const std::string& period : PeriodsOf(date)) {
    AddI64(state, Join({"turn", village, period, resident}), delta);
    AddI64(state, Join({"hturn", village, period, household}), delta);
  }
}

// ---------------------------------------------------- expiries, reversals

std::vector<std::pair<std::string, int64_t>> ExpiredAmounts(StateStore& state, uint64_t seq) {
  return AmountRows(state, SeqKey("expd/", seq) + "/");
}

void StoreExpiredAmount(StateStore& state, uint64_t seq, std::string_view resident,
                        int64_t amount) {
  std::string key = SeqKey("expd/", seq) + "/";
  key.append(resident);
  PutI64(state, key, amount);
}

std::optional<uint64_t> ReversedBy(StateStore& state, uint64_t seq) {
  auto row = state.Get(SeqKey("rev/", seq));
  if (!row) return std::nullopt;
  RecordReader r(*row);
  uint64_t by = r.U64();
  VLEDGER_ASSERT(r.ok());
  return by;
}

void StoreReversal(StateStore& state, uint64_t target, uint64_t reversal_seq) {
  state.Put(SeqKey("rev/", target), RecordWriter().U64(reversal_seq).Take());
}

void AddHistory(StateStore& state, std::string_view resident, uint64_t seq) {
  state.Put(SeqKey(Join({"hist", resident}) + "/", seq), "");
}

std::vector<uint64_t> ListHistory(StateStore& state, std::string_view resident) {
  std::string prefix = Join({"hist", resident}) + "/";
  std::vector<uint64_t> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view) {
    VLEDGER_ASSERT(key.size() == prefix.size() + 8);
    out.push_back(GetU64be(key.substr(prefix.size())));
    return true;
  });
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

// ---------------------------------------------------------------- --at

Result<std::unique_ptr<StateStore>> StateAt(const Ledger& ledger, uint64_t seq) {
  if (seq >= ledger.size()) {
    return Status::Rejected("--at: seq " + std::to_string(seq) + " is past the log (size " +
                            std::to_string(ledger.size()) + ")");
  }
  if (seq + 1 == ledger.size()) return ledger.StateView();
  auto state = std::make_unique<MemoryState>(
      [&ledger](uint64_t s) { return ledger.ReadDecoded(s); });
  Status scan = ledger.ScanEvents(0, seq + 1, [&](const StoredEvent& e) -> Status {
    VLEDGER_ASSIGN_OR_RETURN(Event event, DecodeEvent(e.canonical));
    Status applied = ApplyEvent(*state, e.seq, event);
    if (!applied.ok()) {
      return Status::Fault("seq " + std::to_string(e.seq) + " does not replay: " +
                           applied.message() + " (run `vledger verify`)");
    }
    return Status::Ok();
  });
  VLEDGER_TRY(scan);
  return std::unique_ptr<StateStore>(std::move(state));
}

}  // namespace vledger
