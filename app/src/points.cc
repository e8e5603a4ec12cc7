// The credit points commands and queries (points.h).
#include "vledger/app/points.h"

#include <sys/mman.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <tuple>

#include "guard.h"
#include "internal.h"
#include "vledger/app/benefits.h"
#include "vledger/app/grades.h"
#include "vledger/app/people.h"
#include "vledger/projections/names.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/small_bytes.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// The warning for a free-text value that goes into the public log.
// `option` (e.g. "--note") is public text.
Msg PublicWarning(std::string_view option) {
  return Msg("{} is part of the public log: keep personal details out of it", option);
}

// Runs `build` through the shared write path.
Result<AppendResult> Write(const Session& session, const AppendRequest& request,
                           const std::function<Status(CommitBuilder&)>& build) {
  return Append(session, request, build);
}

// The state a query answers from: the stored rows, or with `at` the log
// prefix 0..at replayed into memory.
struct QueryState {
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<StateStore> state;  // borrows *ledger
};

Result<QueryState> OpenQuery(const Session& session, const std::string& at) {
  QueryState q;
  VLEDGER_ASSIGN_OR_RETURN(q.ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(std::optional<uint64_t> seq, ParseAtSeq(at));
  if (seq) {
    VLEDGER_ASSIGN_OR_RETURN(q.state, StateAt(*q.ledger, *seq));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(q.state, StoredState(*q.ledger));
  }
  return q;
}

// The resident a query's RESIDENT argument means: an id, or a name among
// every village's residents (people.h, ResolveResident).
Result<std::string> ResidentOfQuery(QueryState& q, const std::string& text) {
  auto people = PeopleReader::Of(*q.ledger);
  VLEDGER_ASSIGN_OR_RETURN(std::string id,
                           ResolveResident(*people, *q.state, "RESIDENT", text, {}));
  VLEDGER_TRY(CheckId("RESIDENT", id));
  if (!LoadResident(*q.state, id)) {
    return Status::NotFound("RESIDENT", Msg("unknown resident \"{}\"", id));
  }
  return id;
}

Result<VillageRecord> VillageOf(StateStore& state, const std::string& village) {
  auto v = LoadVillage(state, village);
  if (!v) return Status::NotFound("--village", Msg("unknown village \"{}\"", village));
  return *v;
}

ResidentBalance BalanceOf(StateStore& state, const std::string& resident) {
  PointsBalance b = LoadBalance(state, resident);
  return ResidentBalance{resident, "", b.credit_score, b.spendable, "", {}};
}

// `s` as a JSON string, as Json's dump writes it.
void AppendJsonString(std::string& out, std::string_view s) {
  bool plain = std::all_of(s.begin(), s.end(),
                           [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (!plain) {
    out += Json(std::string(s)).dump();
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

Json ResidentBalanceJson(const ResidentBalance& b) {
  Json j{{"resident", b.resident},
         {"creditScore", b.credit_score},
         {"spendablePoints", b.spendable_points}};
  if (!b.grade.empty()) j["grade"] = b.grade;  // only under a grade policy (grades.h)
  if (!b.benefits.empty()) {  // only when the resident qualifies for one (benefits.h)
    Json list = Json::array();
    for (const BenefitRecord& x : b.benefits) {
      list.push_back(Json{{"code", x.code}, {"name", x.name}, {"partner", x.partner}});
    }
    j["benefits"] = std::move(list);
  }
  return j;
}

// The day a query's state is graded on: that of its last event (grades.h).
Result<std::string> QueryDay(QueryState& q, const std::string& at) {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<uint64_t> seq, ParseAtSeq(at));
  return GradedDay(*q.state, seq ? *seq : q.ledger->size() - 1);
}

// Sets each balance's grade (residents of any village).
Status AddGrades(QueryState& q, const std::string& at, std::vector<ResidentBalance>& balances) {
  VLEDGER_ASSIGN_OR_RETURN(std::string day, QueryDay(q, at));
  Grading grading(*q.state, day);
  for (ResidentBalance& b : balances) {
    std::string village = b.village;
    if (village.empty()) {
      auto r = LoadResident(*q.state, b.resident);
      if (!r) continue;
      village = r->village;
    }
    Grading::Of g = grading.For(village, b.resident, b.credit_score);
    b.grade = std::move(g.grade);
    b.benefits = std::move(g.benefits);
  }
  return Status::Ok();
}

// The household's credit score and its residents' spendable points summed.
HouseholdBalance HouseholdBalanceOf(StateStore& state, const HouseholdRecord& h) {
  HouseholdBalance out{std::string(h.id), HouseholdScore(state, h.id), 0, {}};
  for (const ResidentRecord& r : ListResidents(state, h.village)) {
    if (r.household != h.id) continue;
    out.spendable_points += LoadBalance(state, r.id).spendable;
    out.residents.push_back(std::string(r.id));
  }
  return out;
}

// Asks the kernel to back [data, data + bytes) with 2 MB pages where it
// can (transparent huge pages, where the system leaves them to be asked
// for). A new buffer of tens of megabytes is otherwise filled one 4 KB page
// fault at a time, which on a virtual machine costs microseconds each. Only
// the whole 2 MB pages inside the range are advised; a refusal changes
// nothing.
void AdviseHugePages(const void* data, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// Every resident of the county, by village and then id.
std::vector<ResidentBalance> CountyBalances(StateStore& state) {
  // Read in the rows' order, then sorted. A county has hundreds of
  // thousands of residents, and every new page this touches is a page
  // fault (47,800 of them took 40% of the bench county's 0.85 s): the rows
  // are small (ids kept in place) and in a deque, which grows without
  // copying what it holds, so the only large vector is the result, made
  // once at its size, in 2 MB pages where the system allows.
  struct Row {
    SmallBytes village, id;
    int64_t credit_score, spendable;
  };
  std::deque<Row> rows;
  ForEachResidentBrief(state, [&](const ResidentState::Brief& r) {
    rows.push_back(
        Row{SmallBytes(r.village), SmallBytes(r.id), r.bal.credit_score, r.bal.spendable});
  });
  // Sorted as small keys, the ids' first bytes as numbers (IdHead), rather
  // than as the rows.
  struct Key {
    uint64_t village, id;
    uint32_t at;
  };
  std::vector<Key> keys;
  keys.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); i++) {
    keys.push_back(Key{IdHead(rows[i].village), IdHead(rows[i].id), uint32_t(i)});
  }
  std::sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
    if (x.village != y.village) return x.village < y.village;
    const Row &a = rows[x.at], &b = rows[y.at];
    if (std::string_view(a.village) != std::string_view(b.village)) {
      return std::string_view(a.village) < std::string_view(b.village);
    }
    if (x.id != y.id) return x.id < y.id;
    return std::string_view(a.id) < std::string_view(b.id);
  });
  std::vector<ResidentBalance> out;
  out.reserve(rows.size());
  AdviseHugePages(out.data(), out.capacity() * sizeof(ResidentBalance));
  for (const Key& k : keys) {
    const Row& r = rows[k.at];
    out.push_back(ResidentBalance{
        std::string(r.id), std::string(r.village), r.credit_score, r.spendable, "", {}});
  }
  return out;
}

// What the event at `seq` did to the resident's points.
Result<HistoryRow> HistoryRowAt(StateStore& state, const std::string& resident, uint64_t seq) {
  VLEDGER_ASSIGN_OR_RETURN(Event e, state.ReadEvent(seq));
  HistoryRow row;
  row.seq = seq;
  row.type = EventTypeName(e.body);
  if (auto rec = LoadEntry(state, seq)) {
    const PointsEntry& pe = rec->deduction
                                ? static_cast<const PointsEntry&>(std::get<PointsDeducted>(e.body))
                                : static_cast<const PointsEntry&>(std::get<PointsAwarded>(e.body));
    row.kind = HistoryRow::Kind::kEntry;
    row.date = rec->occurred_on;
    row.rule = rec->rule;
    row.rule_name = DisplayName(state, NameKind::kRule, "", rec->rule);
    row.points = rec->points;
    row.status = rec->status;
    row.household = pe.household;
    row.note = pe.note;
  } else if (const auto* r = std::get_if<PointsRedeemed>(&e.body)) {
    row.kind = HistoryRow::Kind::kRedemption;
    row.date = CstDate(e.recorded_at_ms);
    row.points = -r->points;
    row.shop = r->shop;
    if (auto res = LoadResident(state, resident)) {
      row.shop_name = DisplayName(state, NameKind::kShop, res->village, r->shop);
    }
    row.item = r->item;
    row.quantity = r->quantity;
  } else if (const auto* x = std::get_if<PointsExpired>(&e.body)) {
    row.kind = HistoryRow::Kind::kExpiry;
    row.date = CstDate(e.recorded_at_ms);
    row.before = x->before;
    int64_t amount = 0;
    for (const auto& [id, v] : ExpiredAmounts(state, seq)) {
      if (id == resident) amount = v;
    }
    row.points = -amount;
  } else if (const auto* rev = std::get_if<EventReversed>(&e.body)) {
    row.kind = HistoryRow::Kind::kReversal;
    row.date = CstDate(e.recorded_at_ms);
    row.target = rev->target;
    row.reason = rev->reason;
  }
  row.reversed_by = ReversedBy(state, seq);
  return row;
}

Json HistoryRowJson(const HistoryRow& row) {
  Json j{{"seq", row.seq}, {"type", row.type}};
  switch (row.kind) {
    case HistoryRow::Kind::kEntry:
      j["date"] = row.date;
      j["rule"] = row.rule;
      j["points"] = row.points;
      j["status"] = EntryStatusName(row.status);
      if (!row.household.empty()) j["household"] = row.household;
      if (!row.note.empty()) j["note"] = row.note;
      break;
    case HistoryRow::Kind::kRedemption:
      j["date"] = row.date;
      j["points"] = row.points;
      j["shop"] = row.shop;
      j["item"] = row.item;
      j["quantity"] = row.quantity;
      break;
    case HistoryRow::Kind::kExpiry:
      j["date"] = row.date;
      j["before"] = row.before;
      j["points"] = row.points;
      break;
    case HistoryRow::Kind::kReversal:
      j["date"] = row.date;
      j["target"] = row.target;
      j["reason"] = row.reason;
      break;
    case HistoryRow::Kind::kOther:
      break;
  }
  if (row.reversed_by) j["reversedBy"] = *row.reversed_by;
  return j;
}

// The seqs of `review --approve` and `--reject`, parsed.
Result<EntriesReviewed> ParseReview(const ReviewRequest& request) {
  EntriesReviewed r;
  for (const std::string& s : request.approve) {
    VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeq("--approve", s));
    r.approved.push_back(seq);
  }
  for (const std::string& s : request.reject) {
    size_t colon = s.find(':');
    if (colon == std::string::npos) {
      return Status::InvalidInput("--reject", Msg("\"{}\" is not SEQ:REASON", s));
    }
    VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeq("--reject", s.substr(0, colon)));
    r.rejected.push_back(Rejection{seq, s.substr(colon + 1)});
  }
  if (r.approved.empty() && r.rejected.empty()) {
    return Status::InvalidInput("--approve", "give --approve SEQ or --reject SEQ:REASON");
  }
  return r;
}

// Every reviewed seq is a points entry, all in one village (which becomes
// the review's village).
Status CheckReviewed(StateStore& state, EntriesReviewed& r) {
  std::vector<uint64_t> all(r.approved);
  for (const Rejection& x : r.rejected) all.push_back(x.seq);
  for (uint64_t seq : all) {
    auto e = LoadEntry(state, seq);
    if (!e) {
      return Status::NotFound("seq", Msg("seq {} is not a points entry", seq));
    }
    if (r.village.empty()) r.village = e->village;
    if (e->village != r.village) {
      return Status::InvalidInput(
          "seq", Msg("seq {} is in village \"{}\", not \"{}\"; review one village at a time", seq,
                     e->village, r.village));
    }
  }
  return Status::Ok();
}

}  // namespace

// ---------------------------------------------------------------- rules

Result<RuleAddResult> RuleAdd(const Session& session, const RuleAddRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return BuildRule(b, request);
                           }));
  return RuleAddResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string RuleAddJson(const RuleAddResult& result) { return result.append.json; }

Result<RuleRetireResult> RuleRetire(const Session& session, const RuleRetireRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return b.Add(RuleRetired{request.code}).status();
                           }));
  return RuleRetireResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string RuleRetireJson(const RuleRetireResult& result) { return result.append.json; }

Result<RuleListResult> RuleList(const Session& session, const RuleListRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(session, request.at));
  if (!request.village.empty()) VLEDGER_TRY(VillageOf(*q.state, request.village).status());
  RuleListResult result;
  result.rules = ListRules(*q.state, request.village);
  for (const RuleRecord& r : result.rules) {
    result.names.push_back(DisplayName(*q.state, NameKind::kRule, "", r.code));
    result.category_names.push_back(
        NameOrCode(*q.state, NameKind::kCategory,
                   request.village.empty() ? r.village : request.village, r.category));
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string RuleListJson(const RuleListResult& result) {
  Json rules = Json::array();
  for (size_t i = 0; i < result.rules.size(); i++) {
    const RuleRecord& r = result.rules[i];
    Json j{{"code", r.code},
           {"village", r.village},
           {"category", r.category},
           {"description", r.description},
           {"points", r.points}};
    if (r.has_range) {
      j["min"] = r.min;
      j["max"] = r.max;
    }
    if (r.cap > 0) {
      j["cap"] = r.cap;
      j["capPeriod"] = std::string(Name(r.cap_period));
    }
    j["definedSeq"] = r.seq;
    j["retiredSeq"] = r.retired_seq ? Json(*r.retired_seq) : Json(nullptr);
    if (!result.names[i].empty()) j["name"] = result.names[i];
    rules.push_back(std::move(j));
  }
  return Json{{"rules", rules}}.dump();
}

// -------------------------------------------------------------- entries

Result<AwardResult> Award(const Session& session, const AwardRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return BuildAward(b, request);
                           }));
  AwardResult result{std::move(append), {}};
  if (!request.note.empty()) result.warnings.push_back(PublicWarning("--note"));
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string AwardJson(const AwardResult& result) { return result.append.json; }

Result<DeductResult> Deduct(const Session& session, const DeductRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return BuildDeduction(b, request);
                           }));
  DeductResult result{std::move(append), {}};
  if (!request.note.empty()) result.warnings.push_back(PublicWarning("--note"));
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string DeductJson(const DeductResult& result) { return result.append.json; }

Result<RedeemResult> Redeem(const Session& session, const RedeemRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return BuildRedemption(b, request);
                           }));
  return RedeemResult{std::move(append), {PublicWarning("--item")}};
} catch (...) {
  return CaughtStatus();
}

std::string RedeemJson(const RedeemResult& result) { return result.append.json; }

Result<ExpireResult> Expire(const Session& session, const ExpireRequest& request) try {
  auto build = [&](CommitBuilder& b) -> Status {
    VLEDGER_TRY(CheckDate("--before", request.before));
    return b.Add(PointsExpired{request.village, request.before}).status();
  };
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, build));
  return ExpireResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string ExpireJson(const ExpireResult& result) { return result.append.json; }

Result<ReverseResult> Reverse(const Session& session, const ReverseRequest& request) try {
  auto build = [&](CommitBuilder& b) -> Status {
    VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeq("SEQ", request.seq));
    return b.Add(EventReversed{seq, request.reason}).status();
  };
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, build));
  return ReverseResult{std::move(append), {PublicWarning("--reason")}};
} catch (...) {
  return CaughtStatus();
}

std::string ReverseJson(const ReverseResult& result) { return result.append.json; }

Result<ReviewResult> Review(const Session& session, const ReviewRequest& request) try {
  auto build = [&](CommitBuilder& b) -> Status {
    VLEDGER_ASSIGN_OR_RETURN(EntriesReviewed r, ParseReview(request));
    VLEDGER_TRY(CheckReviewed(b.state(), r));
    return b.Add(r).status();
  };
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, build));
  ReviewResult result{std::move(append), {}};
  if (!request.reject.empty())
    result.warnings.push_back(
        Msg("a rejection reason is part of the public log: keep personal details out of it"));
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string ReviewJson(const ReviewResult& result) { return result.append.json; }

// -------------------------------------------------------------- queries

Result<std::optional<uint64_t>> ParseAtSeq(const std::string& at) try {
  if (at.empty()) return std::optional<uint64_t>();
  VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeq("--at", at));
  return std::optional<uint64_t>(seq);
} catch (...) {
  return CaughtStatus();
}

Result<BalanceResult> Balance(const Session& session, const BalanceRequest& request) try {
  int given = !request.resident.empty() + !request.village.empty() + !request.household.empty() +
              request.all;
  if (given != 1) {
    return Status::InvalidInput("balance: give one of RESIDENT, --village V, --household H, --all");
  }
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(session, request.at));
  StateStore& state = *q.state;
  BalanceResult result;
  if (request.all) {
    result.scope = BalanceResult::Scope::kCounty;
    result.residents = CountyBalances(state);
  } else if (!request.resident.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(std::string id, ResidentOfQuery(q, request.resident));
    result.scope = BalanceResult::Scope::kResident;
    result.residents.push_back(BalanceOf(state, id));
  } else if (!request.household.empty()) {
    VLEDGER_TRY(CheckId("--household", request.household));
    auto h = LoadHousehold(state, request.household);
    if (!h)
      return Status::NotFound("--household", Msg("unknown household \"{}\"", request.household));
    result.scope = BalanceResult::Scope::kHousehold;
    result.household = HouseholdBalanceOf(state, *h);
  } else {
    VLEDGER_TRY(CheckId("--village", request.village));
    VLEDGER_TRY(VillageOf(state, request.village).status());
    result.scope = BalanceResult::Scope::kVillage;
    result.village = request.village;
    for (const ResidentRecord& r : ListResidents(state, request.village)) {
      result.residents.push_back(BalanceOf(state, std::string(r.id)));
    }
  }
  VLEDGER_TRY(AddGrades(q, request.at, result.residents));
  return result;
} catch (...) {
  return CaughtStatus();
}

void WriteBalanceJson(const BalanceResult& result,
                      const std::function<void(std::string_view)>& write, size_t piece_bytes) {
  switch (result.scope) {
    case BalanceResult::Scope::kResident:
      VLEDGER_ASSERT(result.residents.size() == 1);
      return write(ResidentBalanceJson(result.residents[0]).dump());
    case BalanceResult::Scope::kHousehold: {
      const HouseholdBalance& h = result.household;
      return write(Json{{"household", h.household},
                        {"creditScore", h.credit_score},
                        {"spendablePoints", h.spendable_points},
                        {"residents", h.residents}}
                       .dump());
    }
    case BalanceResult::Scope::kVillage: {
      Json rows = Json::array();
      for (const ResidentBalance& b : result.residents) rows.push_back(ResidentBalanceJson(b));
      return write(Json{{"village", result.village}, {"residents", rows}}.dump());
    }
    case BalanceResult::Scope::kCounty:
      break;
  }
  // A county has hundreds of thousands of residents: written row by row
  // rather than built as one Json value, and without a Json value for the
  // rows that have only ids and numbers (the same text as its dump).
  std::string doc = "{\"residents\":[";
  doc.reserve(std::min(piece_bytes, 80 * result.residents.size()) + 512);
  for (size_t i = 0; i < result.residents.size(); i++) {
    const ResidentBalance& b = result.residents[i];
    if (i > 0) doc += ',';
    if (!b.grade.empty() || !b.benefits.empty()) {
      Json j = ResidentBalanceJson(b);
      j["village"] = b.village;
      doc += j.dump();
    } else {
      doc += "{\"resident\":";
      AppendJsonString(doc, b.resident);
      doc += ",\"creditScore\":";
      doc += std::to_string(b.credit_score);
      doc += ",\"spendablePoints\":";
      doc += std::to_string(b.spendable_points);
      doc += ",\"village\":";
      AppendJsonString(doc, b.village);
      doc += '}';
    }
    if (doc.size() >= piece_bytes) {
      write(doc);
      doc.clear();
    }
  }
  doc += "]}";
  write(doc);
}

std::string BalanceJson(const BalanceResult& result) {
  std::string doc;
  WriteBalanceJson(
      result, [&doc](std::string_view piece) { doc += piece; }, SIZE_MAX);
  return doc;
}

Result<HistoryResult> History(const Session& session, const HistoryRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(session, request.at));
  StateStore& state = *q.state;
  VLEDGER_ASSIGN_OR_RETURN(std::string id, ResidentOfQuery(q, request.resident));
  HistoryResult result{BalanceOf(state, id), {}};
  for (uint64_t seq : ListHistory(state, id)) {
    VLEDGER_ASSIGN_OR_RETURN(HistoryRow row, HistoryRowAt(state, id, seq));
    result.rows.push_back(std::move(row));
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string HistoryJson(const HistoryResult& result) {
  Json out = ResidentBalanceJson(result.balance);
  Json rows = Json::array();
  for (const HistoryRow& row : result.rows) rows.push_back(HistoryRowJson(row));
  out["history"] = rows;
  return out.dump();
}

Result<RankResult> Rank(const Session& session, const RankRequest& request) try {
  VLEDGER_TRY(CheckId("--village", request.village));
  VLEDGER_TRY(CheckPeriod("--period", request.period));
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(session, request.at));
  VLEDGER_ASSIGN_OR_RETURN(VillageRecord village, VillageOf(*q.state, request.village));
  auto points = request.households
                    ? HouseholdPeriodPointsList(*q.state, request.village, request.period)
                    : PeriodPointsList(*q.state, request.village, request.period);
  RankResult result{request.village,
                    request.period,
                    request.households,
                    ComputeRanking(std::move(points), village),
                    {}};
  VLEDGER_ASSIGN_OR_RETURN(std::string day, QueryDay(q, request.at));
  if (std::optional<GradePolicy> policy = GradePolicyOn(*q.state, request.village, day)) {
    for (const RankRow& r : result.ranking) {
      result.grades.push_back(
          request.households
              ? GradeOf(*policy, policy->household_minimums,
                        GradedHouseholdScore(*q.state, *policy, r.id, day))
              : GradeOf(*policy, policy->minimums, GradedScore(*q.state, *policy, r.id, day)));
    }
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string RankJson(const RankResult& result) {
  const char* id_key = result.households ? "household" : "resident";
  Json ranking = Json::array();
  for (size_t i = 0; i < result.ranking.size(); i++) {
    const RankRow& r = result.ranking[i];
    Json row{{"rank", r.rank},
             {id_key, r.id},
             {"points", r.points},
             {"stars", r.stars},
             {"redFlag", r.red_flag}};
    if (i < result.grades.size() && !result.grades[i].empty()) row["grade"] = result.grades[i];
    ranking.push_back(std::move(row));
  }
  return Json{{"village", result.village}, {"period", result.period}, {"ranking", ranking}}.dump();
}

Result<PendingResult> Pending(const Session& session, const PendingRequest& request) try {
  VLEDGER_TRY(CheckId("--village", request.village));
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(session, request.at));
  VLEDGER_TRY(VillageOf(*q.state, request.village).status());
  PendingResult result{request.village, {}};
  for (uint64_t seq : ListPending(*q.state, request.village)) {
    auto e = LoadEntry(*q.state, seq);
    if (!e) {
      return Status::Corruption(
                 Msg("pending entry of village \"{}\" is not a points entry", request.village))
          .WithSeq(seq);
    }
    result.pending.push_back(std::move(*e));
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string PendingJson(const PendingResult& result) {
  Json rows = Json::array();
  for (const EntryRecord& e : result.pending) {
    rows.push_back(Json{{"seq", e.seq},
                        {"type", e.deduction ? "pointsDeducted" : "pointsAwarded"},
                        {"resident", e.resident},
                        {"rule", e.rule},
                        {"points", e.points},
                        {"date", e.occurred_on},
                        {"keyId", e.key_id}});
  }
  return Json{{"village", result.village}, {"pending", rows}}.dump();
}

}  // namespace vledger::app
