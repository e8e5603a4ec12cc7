// The benefits catalogue (benefits.h).
#include "vledger/app/benefits.h"

#include <nlohmann/json.hpp>

#include "guard.h"
#include "internal.h"
#include "vledger/app/points.h"
#include "vledger/projections/grades.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// The grade names a grade policy of the benefit's villages (of some village
// when it is for all): a least grade no policy names would qualify nobody,
// most likely a typo.
Status CheckMinGrade(StateStore& state, const BenefitAddRequest& r) {
  if (r.villages.empty()) {
    for (const VillageRecord& v : ListVillages(state)) {
      if (VillageNamesGrade(state, v.code, r.min_grade)) return Status::Ok();
    }
    return Status::InvalidInput("--min-grade",
                                Msg("no village's grade policy names grade \"{}\"", r.min_grade));
  }
  for (const std::string& v : r.villages) {
    if (FindVillage(state, v) == nullptr) continue;  // refused by the event's handler
    if (!VillageNamesGrade(state, v, r.min_grade)) {
      return Status::InvalidInput(
          "--min-grade", Msg("village {} has no grade policy naming grade \"{}\"", v, r.min_grade));
    }
  }
  return Status::Ok();
}

Json BenefitJson(const BenefitRecord& b) {
  Json j{{"code", b.code},          {"name", b.name},         {"partner", b.partner},
         {"minGrade", b.min_grade}, {"villages", b.villages}, {"seq", b.added_seq}};
  if (b.withdrawn_seq) j["withdrawnSeq"] = *b.withdrawn_seq;
  return j;
}

}  // namespace

Result<BenefitAddResult> BenefitAdd(const Session& session, const BenefitAddRequest& request) try {
  VLEDGER_TRY(CheckId("CODE", request.code));
  VLEDGER_TRY(CheckName("--name", request.name));
  VLEDGER_TRY(CheckName("--partner", request.partner));
  VLEDGER_TRY(CheckName("--min-grade", request.min_grade));
  for (const std::string& v : request.villages) VLEDGER_TRY(CheckId("--village", v));
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Append(session, request, [&](CommitBuilder& b) {
                             VLEDGER_TRY(CheckMinGrade(b.state(), request));
                             return b
                                 .Add(BenefitAdded{.code = request.code,
                                                   .name = request.name,
                                                   .partner = request.partner,
                                                   .min_grade = request.min_grade,
                                                   .villages = request.villages})
                                 .status();
                           }));
  return BenefitAddResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string BenefitAddJson(const BenefitAddResult& result) { return result.append.json; }

Result<BenefitWithdrawResult> BenefitWithdraw(const Session& session,
                                              const BenefitWithdrawRequest& request) try {
  VLEDGER_TRY(CheckId("CODE", request.code));
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Append(session, request, [&](CommitBuilder& b) {
                             return b.Add(BenefitWithdrawn{.code = request.code}).status();
                           }));
  return BenefitWithdrawResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string BenefitWithdrawJson(const BenefitWithdrawResult& result) { return result.append.json; }

Result<BenefitListResult> BenefitList(const Session& session,
                                      const BenefitListRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(std::optional<uint64_t> at, ParseAtSeq(request.at));
  std::unique_ptr<StateStore> state;
  if (at) {
    VLEDGER_ASSIGN_OR_RETURN(state, StateAt(*ledger, *at));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(state, StoredState(*ledger));
  }
  BenefitListResult result;
  for (BenefitRecord& b : ListBenefits(*state)) {
    if (b.withdrawn_seq && !request.all) continue;
    result.benefits.push_back(std::move(b));
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string BenefitListJson(const BenefitListResult& result) {
  Json list = Json::array();
  for (const BenefitRecord& b : result.benefits) list.push_back(BenefitJson(b));
  return Json{{"benefits", list}}.dump();
}

bool Qualifies(StateStore& state, const BenefitRecord& benefit, std::string_view village,
               std::string_view resident, std::string_view day) {
  if (benefit.withdrawn_seq || !BenefitIsFor(benefit, village)) return false;
  std::optional<GradePolicy> policy = GradePolicyOn(state, village, day);
  if (!policy) return false;
  std::string grade =
      GradeOf(*policy, policy->minimums, GradedScore(state, *policy, resident, day));
  return GradeReaches(*policy, grade, benefit.min_grade);
}

const std::optional<GradePolicy>& Grading::PolicyOf(std::string_view village) {
  if (last_ != policies_.end() && last_->first == village) return last_->second;
  last_ = policies_.find(village);
  if (last_ == policies_.end()) {
    last_ = policies_.emplace(std::string(village), GradePolicyOn(state_, village, day_)).first;
  }
  return last_->second;
}

Grading::Of Grading::For(std::string_view village, std::string_view resident,
                         std::optional<int64_t> credit_score) {
  Of out;
  const std::optional<GradePolicy>& policy = PolicyOf(village);
  if (!policy) return out;
  int64_t score = credit_score && policy->basis != "year"
                      ? *credit_score
                      : GradedScore(state_, *policy, resident, day_);
  out.grade = GradeOf(*policy, policy->minimums, score);
  if (!catalogue_) catalogue_ = ListBenefits(state_);
  for (const BenefitRecord& b : *catalogue_) {
    if (b.withdrawn_seq || !BenefitIsFor(b, village)) continue;
    if (GradeReaches(*policy, out.grade, b.min_grade)) out.benefits.push_back(b);
  }
  return out;
}

std::vector<BenefitRecord> QualifyingBenefits(StateStore& state, std::string_view village,
                                              std::string_view resident, std::string_view day) {
  return Grading(state, std::string(day)).For(village, resident).benefits;
}

}  // namespace vledger::app
