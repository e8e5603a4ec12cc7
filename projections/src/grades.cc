#include "vledger/projections/grades.h"

#include <set>

#include "row_damage.h"
#include "vledger/ledger/bytes.h"
#include "vledger/projections/points.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

std::string Prefix(std::string_view village) { return "gradepol/" + std::string(village) + "/"; }

GradePolicy Decode(std::string_view key, std::string_view village, std::string_view value) {
  RecordReader r(value);
  GradePolicy p;
  p.village = std::string(village);
  p.seq = r.U64();
  p.effective_from = r.Str();
  p.basis = r.Str();
  uint64_t n = r.U64(), h = r.U64();
  detail::CheckRow(r.ok() && n <= kGradesMax && (h == 0 || h == n), key);
  for (uint64_t i = 0; i < n; i++) p.grades.push_back(r.Str());
  for (uint64_t i = 0; i < n; i++) p.minimums.push_back(r.I64());
  for (uint64_t i = 0; i < h; i++) p.household_minimums.push_back(r.I64());
  detail::CheckRow(r.ok() && r.done(), key);
  return p;
}

Status CheckThresholds(std::string_view field, const std::vector<int64_t>& minimums) {
  for (size_t i = 1; i < minimums.size(); i++) {
    if (minimums[i] >= minimums[i - 1]) {
      return Status::InvalidInput(
          field, Msg("the minimums must fall strictly from the best grade down: {} after {}",
                     std::to_string(minimums[i]), std::to_string(minimums[i - 1])));
    }
  }
  for (int64_t m : minimums) {
    if (m < -kEntryPointsMax * 1000 || m > kEntryPointsMax * 1000) {
      return Status::InvalidInput(field, Msg("{} is beyond the limit", std::to_string(m)));
    }
  }
  return Status::Ok();
}

}  // namespace

std::vector<GradePolicy> GradePolicies(StateStore& state, std::string_view village) {
  std::vector<GradePolicy> out;
  state.Scan(Prefix(village), [&](std::string_view key, std::string_view value) {
    out.push_back(Decode(key, village, value));
    return true;
  });
  return out;
}

std::optional<GradePolicy> GradePolicyOn(StateStore& state, std::string_view village,
                                         std::string_view date) {
  std::optional<GradePolicy> in_force;
  for (GradePolicy& p : GradePolicies(state, village)) {
    if (p.effective_from <= date) in_force = std::move(p);
  }
  return in_force;
}

std::string GradeOf(const GradePolicy& policy, const std::vector<int64_t>& minimums,
                    int64_t score) {
  for (size_t i = 0; i < minimums.size() && i < policy.grades.size(); i++) {
    if (score >= minimums[i]) return policy.grades[i];
  }
  return "";
}

int64_t GradedScore(StateStore& state, const GradePolicy& policy, std::string_view resident,
                    std::string_view date) {
  if (policy.basis == "year") return PeriodPoints(state, date.substr(0, 4), resident);
  return LoadBalance(state, resident).credit_score;
}

int64_t GradedHouseholdScore(StateStore& state, const GradePolicy& policy,
                             std::string_view household, std::string_view date) {
  if (policy.basis == "year") {
    for (const auto& [id, points] :
         HouseholdPeriodPointsList(state, policy.village, date.substr(0, 4))) {
      if (id == household) return points;
    }
    return 0;
  }
  return HouseholdScore(state, household);
}

Status CheckGradePolicy(const GradePolicySet& p) {
  VLEDGER_TRY(CheckDate("effectiveFrom", p.effective_from));
  if (p.basis != "score" && p.basis != "year") {
    return Status::InvalidInput("basis", Msg("\"{}\" is not score or year", p.basis));
  }
  if (p.grades.empty() || p.grades.size() > kGradesMax) {
    return Status::InvalidInput("grades", Msg("give 1 to {} grades", kGradesMax));
  }
  std::set<std::string> seen;
  for (const std::string& g : p.grades) {
    VLEDGER_TRY(CheckName("grades", g));
    if (!seen.insert(g).second) {
      return Status::InvalidInput("grades", Msg("grade \"{}\" is given twice", g));
    }
  }
  if (p.minimums.size() != p.grades.size()) {
    return Status::InvalidInput("minimums", "give one minimum per grade");
  }
  VLEDGER_TRY(CheckThresholds("minimums", p.minimums));
  if (!p.household_minimums.empty()) {
    if (p.household_minimums.size() != p.grades.size()) {
      return Status::InvalidInput("householdMinimums", "give one household minimum per grade");
    }
    VLEDGER_TRY(CheckThresholds("householdMinimums", p.household_minimums));
  }
  return Status::Ok();
}

void StoreGradePolicy(StateStore& state, uint64_t seq, const GradePolicySet& p) {
  RecordWriter w;
  w.U64(seq).Str(p.effective_from).Str(p.basis).U64(p.grades.size());
  w.U64(p.household_minimums.size());
  for (const std::string& g : p.grades) w.Str(g);
  for (int64_t m : p.minimums) w.I64(m);
  for (int64_t m : p.household_minimums) w.I64(m);
  state.Put(Prefix(p.village) + p.effective_from + "/" + U64be(seq), w.Take());
}

}  // namespace vledger
