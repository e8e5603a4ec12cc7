#include "vledger/projections/benefits.h"

#include <algorithm>

#include "row_damage.h"
#include "vledger/ledger/bytes.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

constexpr std::string_view kBenefitPrefix = "benefit/";
constexpr std::string_view kAttestPrefix = "attest/";

BenefitRecord DecodeBenefit(std::string_view key, std::string_view value) {
  RecordReader r(value);
  BenefitRecord b;
  b.code = std::string(key.substr(kBenefitPrefix.size()));
  b.name = r.Str();
  b.partner = r.Str();
  b.min_grade = r.Str();
  b.added_seq = r.U64();
  if (r.Bool()) b.withdrawn_seq = r.U64();
  uint64_t n = r.U64();
  detail::CheckRow(r.ok() && n <= kBenefitVillagesMax, key);
  for (uint64_t i = 0; i < n; i++) b.villages.push_back(r.Str());
  detail::CheckRow(r.ok() && r.done(), key);
  return b;
}

}  // namespace

std::optional<BenefitRecord> LoadBenefit(StateStore& state, std::string_view code) {
  std::string key = std::string(kBenefitPrefix) + std::string(code);
  std::optional<std::string> value = state.Get(key);
  if (!value) return std::nullopt;
  return DecodeBenefit(key, *value);
}

std::vector<BenefitRecord> ListBenefits(StateStore& state) {
  std::vector<BenefitRecord> out;
  state.Scan(kBenefitPrefix, [&](std::string_view key, std::string_view value) {
    out.push_back(DecodeBenefit(key, value));
    return true;
  });
  return out;
}

bool BenefitIsFor(const BenefitRecord& benefit, std::string_view village) {
  return benefit.villages.empty() || std::find(benefit.villages.begin(), benefit.villages.end(),
                                               village) != benefit.villages.end();
}

bool GradeReaches(const GradePolicy& policy, std::string_view grade, std::string_view min_grade) {
  if (grade.empty()) return false;
  auto at = [&](std::string_view g) {
    return std::find(policy.grades.begin(), policy.grades.end(), g) - policy.grades.begin();
  };
  auto need = at(min_grade), have = at(grade);
  auto n = static_cast<std::ptrdiff_t>(policy.grades.size());
  return need < n && have < n && have <= need;
}

bool VillageNamesGrade(StateStore& state, std::string_view village, std::string_view grade) {
  for (const GradePolicy& p : GradePolicies(state, village)) {
    if (std::find(p.grades.begin(), p.grades.end(), grade) != p.grades.end()) return true;
  }
  return false;
}

namespace {

AttestationRecord DecodeAttestation(std::string_view key, std::string_view value,
                                    std::string_view hash) {
  RecordReader r(value);
  AttestationRecord a;
  a.certificate_hash = std::string(hash);
  a.seq = r.U64();
  a.resident = r.Str();
  a.village = r.Str();
  a.benefit = r.Str();
  a.valid_until = r.Str();
  a.grade = r.Str();
  a.key_id = r.Str();
  a.checkpoint_size = r.U64();
  if (r.Bool()) a.revoked_seq = r.U64();
  detail::CheckRow(r.ok() && r.done(), key);
  return a;
}

}  // namespace

std::optional<AttestationRecord> LoadAttestation(StateStore& state, std::string_view hash) {
  std::string key = std::string(kAttestPrefix) + Hex(hash);
  std::optional<std::string> value = state.Get(key);
  if (!value) return std::nullopt;
  return DecodeAttestation(key, *value, hash);
}

std::vector<AttestationRecord> ListAttestations(StateStore& state) {
  std::vector<AttestationRecord> out;
  state.Scan(kAttestPrefix, [&](std::string_view key, std::string_view value) {
    std::optional<std::string> hash = Unhex(key.substr(kAttestPrefix.size()));
    detail::CheckRow(hash.has_value() && hash->size() == 32, key);
    out.push_back(DecodeAttestation(key, value, *hash));
    return true;
  });
  return out;
}

Status CheckAttestationIssued(StateStore& state, uint64_t seq, const AttestationIssued& e) {
  if (e.certificate_hash.size() != 32) {
    return Status::InvalidInput("certificateHash", "must be 32 bytes");
  }
  if (LoadAttestation(state, e.certificate_hash)) {
    return Status::AlreadyExists("certificateHash", "this certificate is already recorded");
  }
  VLEDGER_TRY(CheckDate("validUntil", e.valid_until));
  VLEDGER_TRY(CheckName("grade", e.grade));
  if (e.checkpoint_size == 0 || e.checkpoint_size > seq) {
    return Status::InvalidInput("checkpointSize",
                                Msg("{} is no log size before this event", e.checkpoint_size));
  }
  if (!e.benefit.empty()) {
    std::optional<BenefitRecord> b = LoadBenefit(state, e.benefit);
    if (!b) {
      VLEDGER_TRY(CheckId("benefit", e.benefit));
      return Status::NotFound("benefit", Msg("unknown benefit \"{}\"", e.benefit));
    }
    if (b->withdrawn_seq) {
      return Status::FailedPrecondition(
          "benefit", Msg("benefit {} was withdrawn at seq {}", e.benefit, *b->withdrawn_seq));
    }
  }
  return Status::Ok();
}

void StoreBenefit(StateStore& state, const BenefitRecord& b) {
  RecordWriter w;
  w.Str(b.name).Str(b.partner).Str(b.min_grade).U64(b.added_seq).Bool(b.withdrawn_seq.has_value());
  if (b.withdrawn_seq) w.U64(*b.withdrawn_seq);
  w.U64(b.villages.size());
  for (const std::string& v : b.villages) w.Str(v);
  state.Put(std::string(kBenefitPrefix) + b.code, w.Take());
}

void StoreAttestation(StateStore& state, const AttestationRecord& a) {
  RecordWriter w;
  w.U64(a.seq).Str(a.resident).Str(a.village).Str(a.benefit).Str(a.valid_until).Str(a.grade);
  w.Str(a.key_id).U64(a.checkpoint_size).Bool(a.revoked_seq.has_value());
  if (a.revoked_seq) w.U64(*a.revoked_seq);
  state.Put(std::string(kAttestPrefix) + Hex(a.certificate_hash), w.Take());
}

}  // namespace vledger
