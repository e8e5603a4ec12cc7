// Credit points commands: the rule catalogue, awards, deductions,
// redemptions, the yearly expiry, reversals and reviews, and the queries
// balance, history, rank and pending (each with --at SEQ).
#include <algorithm>
#include <limits>
#include <memory>
#include <tuple>

#include "append.h"
#include "context.h"
#include "funds_cli.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {

namespace {

// --------------------------------------------------------------- parsing

// A signed decimal integer; a malformed value is input rejected (exit 3).
Result<int64_t> ParseInt64(const std::string& field, const std::string& text) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = std::string_view(text).substr(negative ? 1 : 0);
  if (digits.empty() || digits.size() > 19 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::Rejected(field + ": \"" + text + "\" is not an integer");
  }
  uint64_t v = 0;  // 19 digits fit in uint64
  for (char c : digits) v = v * 10 + static_cast<uint64_t>(c - '0');
  uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  if (v > limit) return Status::Rejected(field + ": " + text + " is out of range");
  return negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

Result<uint64_t> ParseSeq(const std::string& field, const std::string& text) {
  VLEDGER_ASSIGN_OR_RETURN(int64_t v, ParseInt64(field, text));
  if (v < 0) return Status::Rejected(field + ": " + text + " is not a seq");
  return static_cast<uint64_t>(v);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// ------------------------------------------------------------ plumbing

struct CommonOpts {
  std::string request_id;
};

void AddRequestId(CLI::App* cmd, std::string& request_id) {
  cmd->add_option("--request-id", request_id, "idempotency key");
}

// Runs `build` through the shared write path, after `warn` (for public
// free-text fields).
template <typename Opts, typename Fn, typename WarnFn>
void OnAppend(CLI::App* cmd, Context& ctx, Action* action, std::shared_ptr<Opts> o, Fn build,
              WarnFn warn) {
  cmd->callback([&ctx, action, o, cmd, build, warn] {
    *action = [&ctx, o, fp = Fingerprint(*cmd), build, warn] {
      warn(*o);
      return AppendCommand(ctx, {o->request_id, fp},
                           [&](CommitBuilder& b) { return build(*o, b); });
    };
  });
}

template <typename Opts, typename Fn>
void OnAppend(CLI::App* cmd, Context& ctx, Action* action, std::shared_ptr<Opts> o, Fn build) {
  OnAppend(cmd, ctx, action, o, build, [](const Opts&) {});
}

void WarnPublic(Context& ctx, const char* what) {
  ctx.Warn(std::string(what) + " is part of the public log: keep personal details out of it");
}

// The state a query answers from: the live rows, or with --at SEQ the log
// prefix 0..SEQ replayed into memory.
struct QueryState {
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<StateStore> state;  // borrows *ledger
};

Result<QueryState> OpenQuery(Context& ctx, const std::string& at) {
  QueryState q;
  VLEDGER_ASSIGN_OR_RETURN(q.ledger, ctx.OpenReader());
  if (at.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(q.state, StoredState(*q.ledger));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeq("--at", at));
    VLEDGER_ASSIGN_OR_RETURN(q.state, StateAt(*q.ledger, seq));
  }
  return q;
}

// ------------------------------------------------------------ commands

void RegisterRuleCommands(CLI::App& app, Context& ctx, Action* action);
void RegisterEntryCommands(CLI::App& app, Context& ctx, Action* action);
void RegisterQueryCommands(CLI::App& app, Context& ctx, Action* action);

Json RuleJson(const RuleRecord& r) {
  Json j{{"code", r.code},       {"village", r.village}, {"category", r.category},
         {"description", r.description}, {"points", r.points}};
  if (r.has_range) {
    j["min"] = r.min;
    j["max"] = r.max;
  }
  if (r.cap > 0) {
    j["cap"] = r.cap;
    j["capPeriod"] = r.cap_period;
  }
  j["definedSeq"] = r.seq;
  j["retiredSeq"] = r.retired_seq ? Json(*r.retired_seq) : Json(nullptr);
  return j;
}

Status ListRulesCmd(Context& ctx, const std::string& village, const std::string& at) {
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(ctx, at));
  if (!village.empty() && !LoadVillage(*q.state, village)) {
    return Status::Rejected("--village: unknown village " + Quoted(village));
  }
  Json rules = Json::array();
  for (const RuleRecord& r : ListRules(*q.state, village)) {
    rules.push_back(RuleJson(r));
    if (ctx.options.json) continue;
    std::string amount = r.has_range ? std::to_string(r.min) + ".." + std::to_string(r.max)
                                     : std::to_string(r.points);
    std::string line = r.code + "  " + (r.village.empty() ? "*" : r.village) + "  " + r.category +
                       "  " + amount;
    if (r.cap > 0) line += "  cap " + std::to_string(r.cap) + "/" + r.cap_period;
    if (r.retired_seq) line += "  (retired at seq " + std::to_string(*r.retired_seq) + ")";
    if (!r.description.empty()) line += "  " + r.description;
    ctx.PrintLine(line);
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"rules", rules}});
  return Status::Ok();
}

void RegisterRuleCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* rule = AddCommand(app, "rule", "the village rule catalogue (村规民约)");
  rule->require_subcommand(1);
  {
    struct Opts : CommonOpts, RuleArgs {};
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*rule, "add", "define a rule (admin)");
    cmd->add_option("CODE", o->code, "rule code")->required();
    cmd->add_option("--category", o->category, "e.g. 孝老爱亲, 环境整治, 志愿服务, 移风易俗")
        ->required();
    cmd->add_option("--points", o->points, "default points; negative for a deduction rule")
        ->required();
    cmd->add_option("--village", o->village, "village code (default: every village)");
    cmd->add_option("--min", o->min, "smallest amount a collector may give");
    cmd->add_option("--max", o->max, "largest amount a collector may give");
    cmd->add_option("--cap", o->cap, "most points per resident per --cap-period");
    cmd->add_option("--cap-period", o->cap_period, "month|quarter|year");
    cmd->add_option("--desc", o->desc, "description");
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) {
      return BuildRule(b, op);
    });
  }
  {
    struct Opts : CommonOpts {
      std::string code;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*rule, "retire", "retire a rule; entries already made keep it");
    cmd->add_option("CODE", o->code, "rule code")->required();
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) {
      return b.Add(RuleRetired{op.code}).status();
    });
  }
  {
    auto o = std::make_shared<std::pair<std::string, std::string>>();
    CLI::App* cmd = AddCommand(*rule, "list", "list rules");
    cmd->add_option("--village", o->first, "rules that apply in this village");
    cmd->add_option("--at", o->second, "as of just after event SEQ");
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o] { return ListRulesCmd(ctx, o->first, o->second); };
    });
  }
}

void RegisterEntryCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    struct Opts : CommonOpts, AwardArgs {};
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "award", "award points under a rule");
    cmd->add_option("RESIDENT", o->resident, "resident id")->required();
    cmd->add_option("RULE", o->rule, "rule code")->required();
    cmd->add_option("--points", o->points, "amount, when the rule has a range (default: its points)");
    cmd->add_option("--on", o->on, "date of the act, YYYY-MM-DD (default: today, CST)");
    cmd->add_option("--note", o->note, "public note");
    cmd->add_option("--evidence", o->evidence, "SHA-256 (hex) of a photo or certificate");
    AddRequestId(cmd, o->request_id);
    OnAppend(
        cmd, ctx, action, o,
        [](const Opts& op, CommitBuilder& b) { return BuildAward(b, op); },
        [&ctx](const Opts& op) {
          if (!op.note.empty()) WarnPublic(ctx, "--note");
        });
  }
  {
    struct Opts : CommonOpts {
      std::vector<std::string> args;
      std::string household, points, on, note, evidence;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "deduct", "deduct points under a deduction rule");
    cmd->add_option("ARGS", o->args, "RESIDENT RULE, or RULE with --household")->required();
    cmd->add_option("--household", o->household, "household-level: borne by the head (户主)");
    cmd->add_option("--points", o->points, "magnitude, when the rule has a range");
    cmd->add_option("--on", o->on, "date of the act, YYYY-MM-DD (default: today, CST)");
    cmd->add_option("--note", o->note, "public note");
    cmd->add_option("--evidence", o->evidence, "SHA-256 (hex) of a photo or certificate");
    AddRequestId(cmd, o->request_id);
    OnAppend(
        cmd, ctx, action, o,
        [](const Opts& op, CommitBuilder& b) -> Status {
          DeductionArgs d{"", op.household, "", op.points, op.on, op.note, op.evidence};
          if (!op.household.empty()) {
            if (op.args.size() != 1) {
              return Status::Usage("deduct: with --household give only RULE");
            }
            d.rule = op.args[0];
          } else {
            if (op.args.size() != 2) return Status::Usage("deduct: give RESIDENT RULE");
            d.resident = op.args[0];
            d.rule = op.args[1];
          }
          return BuildDeduction(b, d);
        },
        [&ctx](const Opts& op) {
          if (!op.note.empty()) WarnPublic(ctx, "--note");
        });
  }
  {
    struct Opts : CommonOpts, RedemptionArgs {};
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "redeem", "spend points at the credit supermarket (信用超市)");
    cmd->add_option("RESIDENT", o->resident, "resident id")->required();
    cmd->add_option("--points", o->points, "spendable points taken")->required();
    cmd->add_option("--item", o->item, "item (public)")->required();
    cmd->add_option("--shop", o->shop, "shop code (default: default)");
    cmd->add_option("--qty", o->qty, "quantity (default 1)");
    AddRequestId(cmd, o->request_id);
    OnAppend(
        cmd, ctx, action, o,
        [](const Opts& op, CommitBuilder& b) { return BuildRedemption(b, op); },
        [&ctx](const Opts&) { WarnPublic(ctx, "--item"); });
  }
  {
    struct Opts : CommonOpts {
      std::string village, before;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "expire", "yearly clearing: lots earned before a date lapse");
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--before", o->before, "cut-off date YYYY-MM-DD")->required();
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) -> Status {
      VLEDGER_TRY(CheckDate("--before", op.before));
      return b.Add(PointsExpired{op.village, op.before}).status();
    });
  }
  {
    struct Opts : CommonOpts {
      std::string seq, reason;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "reverse", "undo a value event (once), with a public reason");
    cmd->add_option("SEQ", o->seq, "seq of the event to reverse")->required();
    cmd->add_option("--reason", o->reason, "why (public, listed as 更正说明)")->required();
    AddRequestId(cmd, o->request_id);
    OnAppend(
        cmd, ctx, action, o,
        [](const Opts& op, CommitBuilder& b) -> Status {
          VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeq("SEQ", op.seq));
          return b.Add(EventReversed{seq, op.reason}).status();
        },
        [&ctx](const Opts&) { WarnPublic(ctx, "--reason"); });
  }
  {
    struct Opts : CommonOpts {
      std::vector<std::string> approve, reject;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "review", "approve or reject pending entries (reviewer)");
    cmd->add_option("--approve", o->approve, "SEQ of an entry to approve")->expected(1, -1);
    cmd->add_option("--reject", o->reject, "SEQ:REASON of an entry to reject")->expected(1, -1);
    AddRequestId(cmd, o->request_id);
    OnAppend(
        cmd, ctx, action, o,
        [](const Opts& op, CommitBuilder& b) -> Status {
          EntriesReviewed r;
          for (const std::string& s : op.approve) {
            VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeq("--approve", s));
            r.approved.push_back(seq);
          }
          for (const std::string& s : op.reject) {
            size_t colon = s.find(':');
            if (colon == std::string::npos) {
              return Status::Rejected("--reject: " + Quoted(s) + " is not SEQ:REASON");
            }
            VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeq("--reject", s.substr(0, colon)));
            r.rejected.push_back(Rejection{seq, s.substr(colon + 1)});
          }
          std::vector<uint64_t> all(r.approved);
          for (const Rejection& x : r.rejected) all.push_back(x.seq);
          if (all.empty()) return Status::Usage("review: give --approve SEQ or --reject SEQ:REASON");
          for (uint64_t seq : all) {
            auto e = LoadEntry(b.state(), seq);
            if (!e) {
              return Status::Rejected("seq: seq " + std::to_string(seq) + " is not a points entry");
            }
            if (r.village.empty()) r.village = e->village;
            if (e->village != r.village) {
              return Status::Rejected("seq: seq " + std::to_string(seq) + " is in village " +
                                      Quoted(e->village) + ", not " + Quoted(r.village) +
                                      "; review one village at a time");
            }
          }
          return b.Add(r).status();
        },
        [&ctx](const Opts& op) {
          if (!op.reject.empty()) WarnPublic(ctx, "a rejection reason");
        });
  }
}

// -------------------------------------------------------------- queries

Json BalanceJson(StateStore& state, const std::string& resident) {
  PointsBalance b = LoadBalance(state, resident);
  return Json{{"resident", resident},
              {"creditScore", b.credit_score},
              {"spendablePoints", b.spendable}};
}

std::string BalanceLine(const Json& j) {
  return j["resident"].get<std::string>() + "  credit score " +
         std::to_string(j["creditScore"].get<int64_t>()) + "  spendable " +
         std::to_string(j["spendablePoints"].get<int64_t>());
}

struct BalanceArgs {
  std::string resident, village, household, fund, at;
  bool all = false;
};

// `balance --all`: every resident of the county, by village and then id,
// each with its village. The JSON document is written row by row rather
// than built as one Json value (a county has hundreds of thousands).
void PrintCountyBalances(Context& ctx, StateStore& state) {
  std::vector<ResidentRecord> residents = ListResidents(state, "");
  std::sort(residents.begin(), residents.end(), [](const auto& x, const auto& y) {
    return std::tie(x.village, x.id) < std::tie(y.village, y.id);
  });
  if (!ctx.options.json) {
    for (const ResidentRecord& r : residents) {
      ctx.PrintLine(r.village + "  " + BalanceLine(BalanceJson(state, r.id)));
    }
    return;
  }
  std::string doc = "{\"residents\":[";
  for (size_t i = 0; i < residents.size(); i++) {
    Json j = BalanceJson(state, residents[i].id);
    j["village"] = residents[i].village;
    if (i > 0) doc += ',';
    doc += j.dump();
  }
  ctx.PrintLine(doc + "]}");
}

Status BalanceCmd(Context& ctx, const BalanceArgs& a) {
  int given = !a.resident.empty() + !a.village.empty() + !a.household.empty() + !a.fund.empty() +
              a.all;
  if (given != 1) {
    return Status::Usage(
        "balance: give one of RESIDENT, --village V, --household H, --fund F, --all");
  }
  if (!a.fund.empty()) {
    std::optional<uint64_t> at;
    if (!a.at.empty()) {
      VLEDGER_ASSIGN_OR_RETURN(at, ParseSeq("--at", a.at));
    }
    return FundBalanceCommand(ctx, a.fund, at);
  }
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(ctx, a.at));
  StateStore& state = *q.state;
  if (a.all) {
    PrintCountyBalances(ctx, state);
    return Status::Ok();
  }
  if (!a.resident.empty()) {
    VLEDGER_TRY(CheckId("RESIDENT", a.resident));
    if (!LoadResident(state, a.resident)) {
      return Status::Rejected("RESIDENT: unknown resident " + Quoted(a.resident));
    }
    Json j = BalanceJson(state, a.resident);
    if (ctx.options.json) {
      ctx.PrintJson(j);
    } else {
      ctx.PrintLine(BalanceLine(j));
    }
    return Status::Ok();
  }
  if (!a.household.empty()) {
    VLEDGER_TRY(CheckId("--household", a.household));
    auto h = LoadHousehold(state, a.household);
    if (!h) return Status::Rejected("--household: unknown household " + Quoted(a.household));
    int64_t spendable = 0;
    Json members = Json::array();
    for (const ResidentRecord& r : ListResidents(state, h->village)) {
      if (r.household != h->id) continue;
      spendable += LoadBalance(state, r.id).spendable;
      members.push_back(r.id);
    }
    Json j{{"household", h->id},
           {"creditScore", HouseholdScore(state, h->id)},
           {"spendablePoints", spendable},
           {"residents", members}};
    if (ctx.options.json) {
      ctx.PrintJson(j);
    } else {
      ctx.PrintLine(h->id + "  credit score " + std::to_string(HouseholdScore(state, h->id)) +
                    "  spendable " + std::to_string(spendable) + "  (" +
                    std::to_string(members.size()) + " residents)");
    }
    return Status::Ok();
  }
  VLEDGER_TRY(CheckId("--village", a.village));
  if (!LoadVillage(state, a.village)) {
    return Status::Rejected("--village: unknown village " + Quoted(a.village));
  }
  Json rows = Json::array();
  for (const ResidentRecord& r : ListResidents(state, a.village)) {
    Json j = BalanceJson(state, r.id);
    if (!ctx.options.json) ctx.PrintLine(BalanceLine(j));
    rows.push_back(std::move(j));
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"village", a.village}, {"residents", rows}});
  return Status::Ok();
}

// One history row: what an event did to the resident's points.
Result<Json> HistoryRow(StateStore& state, const std::string& resident, uint64_t seq) {
  VLEDGER_ASSIGN_OR_RETURN(Event e, state.ReadEvent(seq));
  Json j{{"seq", seq}, {"type", EventTypeName(e.body)}};
  if (auto rec = LoadEntry(state, seq)) {
    const PointsEntry& pe = rec->deduction
                                ? static_cast<const PointsEntry&>(std::get<PointsDeducted>(e.body))
                                : static_cast<const PointsEntry&>(std::get<PointsAwarded>(e.body));
    j["date"] = rec->occurred_on;
    j["rule"] = rec->rule;
    j["points"] = rec->points;
    j["status"] = EntryStatusName(rec->status);
    if (!pe.household.empty()) j["household"] = pe.household;
    if (!pe.note.empty()) j["note"] = pe.note;
  } else if (const auto* r = std::get_if<PointsRedeemed>(&e.body)) {
    j["date"] = CstDate(e.recorded_at_ms);
    j["points"] = -r->points;
    j["shop"] = r->shop;
    j["item"] = r->item;
    j["quantity"] = r->quantity;
  } else if (const auto* x = std::get_if<PointsExpired>(&e.body)) {
    j["date"] = CstDate(e.recorded_at_ms);
    j["before"] = x->before;
    int64_t amount = 0;
    for (const auto& [id, v] : ExpiredAmounts(state, seq)) {
      if (id == resident) amount = v;
    }
    j["points"] = -amount;
  } else if (const auto* rev = std::get_if<EventReversed>(&e.body)) {
    j["date"] = CstDate(e.recorded_at_ms);
    j["target"] = rev->target;
    j["reason"] = rev->reason;
  }
  if (auto by = ReversedBy(state, seq)) j["reversedBy"] = *by;
  return j;
}

std::string HistoryLine(const Json& j) {
  std::string line = std::to_string(j["seq"].get<uint64_t>()) + "  " +
                     j.value("date", std::string("")) + "  " + j["type"].get<std::string>();
  if (j.contains("rule")) line += "  " + j["rule"].get<std::string>();
  if (j.contains("points")) line += "  " + std::to_string(j["points"].get<int64_t>());
  if (j.contains("status")) line += "  " + j["status"].get<std::string>();
  if (j.contains("item")) {
    line += "  " + j["item"].get<std::string>() + " x" + std::to_string(j["quantity"].get<uint32_t>()) +
            " at " + j["shop"].get<std::string>();
  }
  if (j.contains("target")) {
    line += "  of seq " + std::to_string(j["target"].get<uint64_t>()) + ": " +
            j["reason"].get<std::string>();
  }
  if (j.contains("reversedBy")) {
    line += "  (reversed at seq " + std::to_string(j["reversedBy"].get<uint64_t>()) + ")";
  }
  return line;
}

Status HistoryCmd(Context& ctx, const std::string& resident, const std::string& at) {
  VLEDGER_TRY(CheckId("RESIDENT", resident));
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(ctx, at));
  StateStore& state = *q.state;
  if (!LoadResident(state, resident)) {
    return Status::Rejected("RESIDENT: unknown resident " + Quoted(resident));
  }
  Json out = BalanceJson(state, resident);
  Json rows = Json::array();
  for (uint64_t seq : ListHistory(state, resident)) {
    VLEDGER_ASSIGN_OR_RETURN(Json row, HistoryRow(state, resident, seq));
    rows.push_back(std::move(row));
  }
  out["history"] = rows;
  if (ctx.options.json) {
    ctx.PrintJson(out);
    return Status::Ok();
  }
  ctx.PrintLine(BalanceLine(out));
  for (const Json& row : rows) ctx.PrintLine(HistoryLine(row));
  return Status::Ok();
}

struct RankArgs {
  std::string village, period, at;
  bool households = false;
};

Status RankCmd(Context& ctx, const RankArgs& a) {
  VLEDGER_TRY(CheckId("--village", a.village));
  VLEDGER_TRY(CheckPeriod("--period", a.period));
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(ctx, a.at));
  auto village = LoadVillage(*q.state, a.village);
  if (!village) return Status::Rejected("--village: unknown village " + Quoted(a.village));
  auto points = a.households ? HouseholdPeriodPointsList(*q.state, a.village, a.period)
                             : PeriodPointsList(*q.state, a.village, a.period);
  const char* id_key = a.households ? "household" : "resident";
  Json ranking = Json::array();
  for (const RankRow& r : ComputeRanking(std::move(points), *village)) {
    ranking.push_back(Json{{"rank", r.rank},
                           {id_key, r.id},
                           {"points", r.points},
                           {"stars", r.stars},
                           {"redFlag", r.red_flag}});
    if (!ctx.options.json) {
      std::string stars;
      for (uint32_t i = 0; i < r.stars; i++) stars += "★";
      ctx.PrintLine(std::to_string(r.rank) + "  " + r.id + "  " + std::to_string(r.points) + "  " +
                    stars +
                    (r.red_flag ? "  红旗" : ""));
    }
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"village", a.village}, {"period", a.period}, {"ranking", ranking}});
  } else if (ranking.empty()) {
    ctx.PrintLine("no points in " + a.village + " for " + a.period);
  }
  return Status::Ok();
}

Status PendingCmd(Context& ctx, const std::string& village, const std::string& at) {
  VLEDGER_TRY(CheckId("--village", village));
  VLEDGER_ASSIGN_OR_RETURN(QueryState q, OpenQuery(ctx, at));
  if (!LoadVillage(*q.state, village)) {
    return Status::Rejected("--village: unknown village " + Quoted(village));
  }
  Json rows = Json::array();
  for (uint64_t seq : ListPending(*q.state, village)) {
    auto e = LoadEntry(*q.state, seq);
    VLEDGER_ASSERT(e.has_value());
    rows.push_back(Json{{"seq", seq},
                        {"type", e->deduction ? "pointsDeducted" : "pointsAwarded"},
                        {"resident", e->resident},
                        {"rule", e->rule},
                        {"points", e->points},
                        {"date", e->occurred_on},
                        {"keyId", e->key_id}});
    if (!ctx.options.json) {
      ctx.PrintLine(std::to_string(seq) + "  " + e->resident + "  " + e->rule + "  " +
                    std::to_string(e->points) + "  " + e->occurred_on + "  by " + e->key_id);
    }
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"village", village}, {"pending", rows}});
  } else if (rows.empty()) {
    ctx.PrintLine("nothing pending in " + village);
  }
  return Status::Ok();
}

void RegisterQueryCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto a = std::make_shared<BalanceArgs>();
    CLI::App* cmd = AddCommand(app, "balance", "credit score and spendable points (or a fund)");
    cmd->add_option("RESIDENT", a->resident, "resident id");
    cmd->add_option("--village", a->village, "every resident of a village");
    cmd->add_option("--household", a->household, "a household's totals");
    cmd->add_option("--fund", a->fund, "a fund's balance");
    cmd->add_flag("--all", a->all, "every resident of the county, by village");
    cmd->add_option("--at", a->at, "as of just after event SEQ");
    cmd->callback([&ctx, action, a] { *action = [&ctx, a] { return BalanceCmd(ctx, *a); }; });
  }
  {
    auto a = std::make_shared<std::pair<std::string, std::string>>();
    CLI::App* cmd = AddCommand(app, "history", "a resident's entries, redemptions and expiries");
    cmd->add_option("RESIDENT", a->first, "resident id")->required();
    cmd->add_option("--at", a->second, "as of just after event SEQ");
    cmd->callback([&ctx, action, a] {
      *action = [&ctx, a] { return HistoryCmd(ctx, a->first, a->second); };
    });
  }
  {
    auto a = std::make_shared<RankArgs>();
    CLI::App* cmd = AddCommand(app, "rank", "a village's points ranking for a period");
    cmd->add_option("--village", a->village, "village code")->required();
    cmd->add_option("--period", a->period, "2021Q3, 2021-07 or 2021")->required();
    cmd->add_flag("--households", a->households, "rank households instead of residents");
    cmd->add_option("--at", a->at, "as of just after event SEQ");
    cmd->callback([&ctx, action, a] { *action = [&ctx, a] { return RankCmd(ctx, *a); }; });
  }
  {
    auto a = std::make_shared<std::pair<std::string, std::string>>();
    CLI::App* cmd = AddCommand(app, "pending", "entries waiting for review in a village");
    cmd->add_option("--village", a->first, "village code")->required();
    cmd->add_option("--at", a->second, "as of just after event SEQ");
    cmd->callback([&ctx, action, a] {
      *action = [&ctx, a] { return PendingCmd(ctx, a->first, a->second); };
    });
  }
}

}  // namespace


void RegisterPointsCommands(CLI::App& app, Context& ctx, Action* action) {
  RegisterRuleCommands(app, ctx, action);
  RegisterEntryCommands(app, ctx, action);
  RegisterQueryCommands(app, ctx, action);
}

}  // namespace vledger::cli
