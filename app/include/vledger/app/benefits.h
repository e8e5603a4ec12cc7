// The benefits catalogue (礼遇目录, SPEC section 12 "Benefits"): `benefit
// add CODE --name N --partner P --min-grade G [--village V]...` (admin;
// benefitAdded), `benefit withdraw CODE` (benefitWithdrawn) and `benefit
// list`. A resident qualifies for a benefit of their village when their
// credit grade (grades.h) under the village's policy in force is the
// benefit's least grade or a better one; `balance R` lists the benefits
// the resident qualifies for.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/app/append.h"
#include "vledger/app/session.h"
#include "vledger/projections/benefits.h"

namespace vledger::app {

// `benefit add CODE --name N --partner P --min-grade G [--village V]...`:
// the grade must be one that a grade policy of each village names (of some
// village when the benefit is for every village).
struct BenefitAddRequest : AppendRequest {
  std::string code, name, partner, min_grade;
  std::vector<std::string> villages;
};
struct BenefitAddResult {
  AppendResult append;
};
Result<BenefitAddResult> BenefitAdd(const Session& session, const BenefitAddRequest& request);
std::string BenefitAddJson(const BenefitAddResult& result);

// `benefit withdraw CODE`
struct BenefitWithdrawRequest : AppendRequest {
  std::string code;
};
struct BenefitWithdrawResult {
  AppendResult append;
};
Result<BenefitWithdrawResult> BenefitWithdraw(const Session& session,
                                              const BenefitWithdrawRequest& request);
std::string BenefitWithdrawJson(const BenefitWithdrawResult& result);

// `benefit list [--all] [--at SEQ]`: the benefits in code order; withdrawn
// ones only with --all.
struct BenefitListRequest {
  std::string at;
  bool all = false;
};
struct BenefitListResult {
  std::vector<BenefitRecord> benefits;
};
Result<BenefitListResult> BenefitList(const Session& session, const BenefitListRequest& request);
std::string BenefitListJson(const BenefitListResult& result);

// The grades and qualifying benefits of many residents on one day
// (YYYY-MM-DD): each village's policy in force and the catalogue are read
// once, not once a resident (a county's balances ask for 286,000).
class Grading {
 public:
  Grading(StateStore& state, std::string day) : state_(state), day_(std::move(day)) {}
  Grading(const Grading&) = delete;
  Grading& operator=(const Grading&) = delete;
  struct Of {
    std::string grade;                    // "" without a policy in force, or below every grade
    std::vector<BenefitRecord> benefits;  // as QualifyingBenefits
  };
  // `credit_score`, when the caller has it, saves reading the resident
  // again under a policy on the score.
  Of For(std::string_view village, std::string_view resident,
         std::optional<int64_t> credit_score = std::nullopt);

 private:
  const std::optional<GradePolicy>& PolicyOf(std::string_view village);
  StateStore& state_;
  std::string day_;
  std::map<std::string, std::optional<GradePolicy>, std::less<>> policies_;
  // The village asked for last: residents come by village.
  decltype(policies_)::iterator last_ = policies_.end();
  std::optional<std::vector<BenefitRecord>> catalogue_;
};

// The benefits (not withdrawn, for the village) that resident `resident`
// of `village` qualifies for on `day` (YYYY-MM-DD), in code order; none
// without a grade policy in force.
std::vector<BenefitRecord> QualifyingBenefits(StateStore& state, std::string_view village,
                                              std::string_view resident, std::string_view day);
// Whether the resident's grade on `day` reaches the benefit's.
bool Qualifies(StateStore& state, const BenefitRecord& benefit, std::string_view village,
               std::string_view resident, std::string_view day);

}  // namespace vledger::app
