// Credit grades (信用等级, SPEC section 12 "Benefits"): a village's grade
// policies (gradePolicySet), each in force from its date until a later one
// of the village takes effect, and the grade of a resident or household on
// a day.
//
// Rows (plain):
//   gradepol/<village>/<effectiveFrom>/<seq>   the policy (RecordWriter)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/event.h"
#include "vledger/projections/state.h"

namespace vledger {

inline constexpr size_t kGradesMax = 10;

struct GradePolicy {
  uint64_t seq = 0;  // the gradePolicySet
  std::string village, effective_from, basis;
  std::vector<std::string> grades;
  std::vector<int64_t> minimums, household_minimums;
};

// The policy of `village` in force on `date` (YYYY-MM-DD): of those taking
// effect on or before it, the latest date's, the later seq on the same date.
std::optional<GradePolicy> GradePolicyOn(StateStore& state, std::string_view village,
                                         std::string_view date);
// Every policy of the village, by date and seq.
std::vector<GradePolicy> GradePolicies(StateStore& state, std::string_view village);

// The grade of `score` under `minimums` (best first): the first reached;
// "" below the last.
std::string GradeOf(const GradePolicy& policy, const std::vector<int64_t>& minimums, int64_t score);

// What a resident's or a household's grade is judged on, on `date`: the
// credit score now (basis "score"), or the points of the date's year.
int64_t GradedScore(StateStore& state, const GradePolicy& policy, std::string_view resident,
                    std::string_view date);
int64_t GradedHouseholdScore(StateStore& state, const GradePolicy& policy,
                             std::string_view household, std::string_view date);

// Why the policy's thresholds are refused (unordered, overlapping, a
// count that differs), or Ok. `field` names the list.
Status CheckGradePolicy(const GradePolicySet& policy);

// For ApplyEvent only.
void StoreGradePolicy(StateStore& state, uint64_t seq, const GradePolicySet& policy);

}  // namespace vledger
