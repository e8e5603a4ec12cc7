// Credit grades (grades.h).
#include "vledger/app/grades.h"

#include <nlohmann/json.hpp>

#include "guard.h"
#include "internal.h"
#include "vledger/app/points.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// "AAA:200,AA:150,…" into names and minimums, best first.
Status ParseThresholds(std::string_view field, const std::string& text,
                       std::vector<std::string>* names, std::vector<int64_t>* minimums) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string part =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t colon = part.rfind(':');
    if (colon == std::string::npos) {
      return Status::InvalidInput(field, Msg("\"{}\" is not GRADE:MINIMUM", part));
    }
    if (names != nullptr) names->push_back(part.substr(0, colon));
    VLEDGER_ASSIGN_OR_RETURN(int64_t min, ParseInt64(field, part.substr(colon + 1)));
    minimums->push_back(min);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Status::Ok();
}

}  // namespace

Status BuildGradePolicy(CommitBuilder& b, const GradePolicyArgs& a) try {
  GradePolicySet e;
  VLEDGER_TRY(CheckId("VILLAGE", a.village));
  e.village = a.village;
  VLEDGER_TRY(CheckDate("--from", a.from));
  e.effective_from = a.from;
  if (a.basis != "score" && a.basis != "year") {
    return Status::InvalidInput("--basis", Msg("\"{}\" is not score or year", a.basis));
  }
  e.basis = a.basis;
  VLEDGER_TRY(ParseThresholds("--grades", a.grades, &e.grades, &e.minimums));
  if (!a.households.empty()) {
    std::vector<std::string> names;
    VLEDGER_TRY(ParseThresholds("--households", a.households, &names, &e.household_minimums));
    if (names != e.grades) {
      return Status::InvalidInput("--households",
                                  "name the same grades as --grades, in the same order");
    }
  }
  return b.Add(e).status();
} catch (...) {
  return CaughtStatus();
}

Result<GradePolicyResult> SetGradePolicy(const Session& session,
                                         const GradePolicyRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Append(session, request, [&](CommitBuilder& b) {
                             return BuildGradePolicy(b, request);
                           }));
  return GradePolicyResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string GradePolicyJson(const GradePolicyResult& result) { return result.append.json; }

Result<std::string> GradedDay(StateStore& state, uint64_t last_seq) {
  VLEDGER_ASSIGN_OR_RETURN(Event e, state.ReadEvent(last_seq));
  return CstDate(e.recorded_at_ms);
}

Result<GradeResult> Grade(const Session& session, const GradeRequest& request) try {
  if (request.resident.empty() == request.household.empty()) {
    return Status::InvalidInput("grade: give RESIDENT or --household H");
  }
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(std::optional<uint64_t> at, ParseAtSeq(request.at));
  std::unique_ptr<StateStore> state;
  uint64_t last = 0;
  if (at) {
    VLEDGER_ASSIGN_OR_RETURN(state, StateAt(*ledger, *at));
    last = *at;
  } else {
    VLEDGER_ASSIGN_OR_RETURN(state, StoredState(*ledger));
    last = ledger->size() - 1;
  }
  GradeResult result;
  VLEDGER_ASSIGN_OR_RETURN(result.date, GradedDay(*state, last));
  if (!request.household.empty()) {
    VLEDGER_TRY(CheckId("--household", request.household));
    auto h = LoadHousehold(*state, request.household);
    if (!h) {
      return Status::NotFound("--household", Msg("unknown household \"{}\"", request.household));
    }
    result.household = h->id;
    result.village = h->village;
    result.policy = GradePolicyOn(*state, h->village, result.date);
    if (result.policy) {
      result.score = GradedHouseholdScore(*state, *result.policy, h->id, result.date);
      result.grade = GradeOf(*result.policy, result.policy->household_minimums, result.score);
    } else {
      result.score = HouseholdScore(*state, h->id);
    }
    return result;
  }
  VLEDGER_TRY(CheckId("RESIDENT", request.resident));
  auto r = LoadResident(*state, request.resident);
  if (!r) return Status::NotFound("RESIDENT", Msg("unknown resident \"{}\"", request.resident));
  result.resident = r->id;
  result.village = r->village;
  result.policy = GradePolicyOn(*state, r->village, result.date);
  if (result.policy) {
    result.score = GradedScore(*state, *result.policy, r->id, result.date);
    result.grade = GradeOf(*result.policy, result.policy->minimums, result.score);
  } else {
    result.score = LoadBalance(*state, r->id).credit_score;
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string GradeJson(const GradeResult& result) {
  Json out;
  if (!result.resident.empty()) {
    out["resident"] = result.resident;
  } else {
    out["household"] = result.household;
  }
  out["village"] = result.village;
  out["date"] = result.date;
  out["score"] = result.score;
  out["grade"] = result.grade.empty() ? Json() : Json(result.grade);
  if (result.policy) {
    out["basis"] = result.policy->basis;
    out["policySeq"] = result.policy->seq;
    out["effectiveFrom"] = result.policy->effective_from;
  }
  return out.dump();
}

}  // namespace vledger::app
