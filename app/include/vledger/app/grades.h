// Credit grades (信用等级, SPEC section 12 "Benefits"): `village grades V
// --from DATE --grades AAA:200,AA:150,… [--households AAA:600,…] [--basis
// score|year]` sets a village's grade policy from a date (an event, like
// any policy change); `grade RESIDENT` and `grade --household H` say the
// grade as of the ledger's last event (or --at SEQ): the policy in force on
// that event's day (China Standard Time), applied to the credit score, or
// with basis year to the points of that day's year.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vledger/app/append.h"
#include "vledger/app/session.h"
#include "vledger/projections/grades.h"

namespace vledger::app {

struct GradePolicyArgs {
  std::string village, from, basis = "score", grades, households;
};
// Builds the gradePolicySet of `a` (thresholds "NAME:MIN,…", best first).
Status BuildGradePolicy(CommitBuilder& b, const GradePolicyArgs& a);

struct GradePolicyRequest : AppendRequest, GradePolicyArgs {};
struct GradePolicyResult {
  AppendResult append;
};
Result<GradePolicyResult> SetGradePolicy(const Session& session, const GradePolicyRequest& request);
std::string GradePolicyJson(const GradePolicyResult& result);

// `grade RESIDENT [--at SEQ]` or `grade --household H [--at SEQ]`.
struct GradeRequest {
  std::string resident, household, at;
};
struct GradeResult {
  std::string resident, household, village;
  std::string date;   // the day graded
  std::string grade;  // "" when no policy is in force, or below every grade
  int64_t score = 0;  // what was graded
  std::optional<GradePolicy> policy;
};
Result<GradeResult> Grade(const Session& session, const GradeRequest& request);
std::string GradeJson(const GradeResult& result);

// The CST day of the state's last event (`at`, else the ledger's last).
Result<std::string> GradedDay(StateStore& state, uint64_t last_seq);
// Many residents' grades on one day: Grading (benefits.h).

}  // namespace vledger::app
