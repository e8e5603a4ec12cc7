// Benefits (礼遇) and credit certificates (信用证明), SPEC section 12: the
// catalogue of what residents of a credit grade or better receive from a
// partner (benefitAdded, benefitWithdrawn), and the certificates attestor
// keys issue and revoke (attestationIssued, attestationRevoked). The
// certificate itself is a signed note the resident keeps (docs/FORMAT.md);
// the log holds only its hash.
//
// Rows (plain):
//   benefit/<code>        the benefit (RecordWriter)
//   attest/<hash hex>     an issued certificate (RecordWriter)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/event.h"
#include "vledger/projections/grades.h"
#include "vledger/projections/state.h"

namespace vledger {

// Limits: villages a benefit names, days a certificate is valid.
inline constexpr size_t kBenefitVillagesMax = 1000;
inline constexpr int64_t kAttestationValidDaysMax = 366;

struct BenefitRecord {
  std::string code, name, partner, min_grade;
  std::vector<std::string> villages;  // empty: every village
  uint64_t added_seq = 0;
  std::optional<uint64_t> withdrawn_seq;
};

std::optional<BenefitRecord> LoadBenefit(StateStore& state, std::string_view code);
// Every benefit, withdrawn ones included, in code order.
std::vector<BenefitRecord> ListBenefits(StateStore& state);
// Whether the benefit is for residents of `village`.
bool BenefitIsFor(const BenefitRecord& benefit, std::string_view village);
// Whether `grade` (a grade of `policy`, "" for none) is `min_grade` or a
// better one of the policy. A policy that does not name `min_grade`
// qualifies nobody.
bool GradeReaches(const GradePolicy& policy, std::string_view grade, std::string_view min_grade);
// Whether some grade policy of `village` names `grade`.
bool VillageNamesGrade(StateStore& state, std::string_view village, std::string_view grade);

struct AttestationRecord {
  std::string certificate_hash;  // 32 bytes
  uint64_t seq = 0;              // the attestationIssued
  std::string resident, village, benefit, valid_until, grade, key_id;
  uint64_t checkpoint_size = 0;
  std::optional<uint64_t> revoked_seq;
};
std::optional<AttestationRecord> LoadAttestation(StateStore& state, std::string_view hash);
// Every issued certificate, revoked ones included, in hash order.
std::vector<AttestationRecord> ListAttestations(StateStore& state);

// Why the certificate's event is refused (beyond the author's role), or Ok.
Status CheckAttestationIssued(StateStore& state, uint64_t seq, const AttestationIssued& e);

// For ApplyEvent only.
void StoreBenefit(StateStore& state, const BenefitRecord& benefit);
void StoreAttestation(StateStore& state, const AttestationRecord& record);

}  // namespace vledger
