// Credit certificates: attest, attest revoke, verify-attestation (attest.h).
#include "vledger/app/attest.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "guard.h"
#include "internal.h"
#include "vledger/app/benefits.h"
#include "vledger/app/checkpoint.h"
#include "vledger/app/grades.h"
#include "vledger/app/report.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/age.h"
#include "vledger/projections/benefits.h"
#include "vledger/projections/grades.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// A certificate file: a regular file of at most kCertificateBytesMax bytes.
Result<std::string> ReadCertificate(std::string_view field, const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status::NotFound(field, Msg("{} is not a file", path));
  }
  if (fs::file_size(path, ec) > kCertificateBytesMax) {
    return Status::InvalidInput(field, Msg("{} is larger than a certificate", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(Msg("cannot read {}", path));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The ID-card number as the person records hash it: checked, with an
// upper-case check character. Never quoted in a message.
Result<std::string> IdCardNumber(std::string_view field, const std::string& id_card,
                                 std::string_view today) {
  VLEDGER_TRY(IdCardBirthDate(field, id_card, today).status());
  std::string id = id_card;
  if (id[17] == 'x') id[17] = 'X';
  return id;
}

// The folder --out goes into exists and may be written: checked before
// anything is recorded, so that a certificate recorded is one written.
Status CheckOutFolder(const std::string& out) {
  fs::path dir = fs::path(out).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec) || ::access(dir.c_str(), W_OK) != 0) {
    return Status::InvalidInput("--out", Msg("cannot write into {}", dir.string()));
  }
  if (fs::is_directory(out, ec)) return Status::InvalidInput("--out", Msg("{} is a folder", out));
  return Status::Ok();
}

// What `attest` computes from the log before anything is written.
struct Issue {
  Certificate certificate;
  std::string id_card;
};

// The resident's grade and the benefit at the newest stored checkpoint.
Status StateTheGrade(const Session& session, const Ledger& ledger, const AttestRequest& request,
                     const KeyRecord& key, Issue* issue) {
  Certificate& c = issue->certificate;
  // The newest stored checkpoint (checked against the tree), never a new
  // one: the attestor key signs no checkpoint.
  VLEDGER_ASSIGN_OR_RETURN(SignedHead head,
                           CheckpointForUse(session.WithoutSigner(), ledger, std::nullopt));
  c.origin = head.head.origin;
  c.checkpoint_size = head.head.size;
  c.checkpoint_root = head.head.root;
  VLEDGER_ASSIGN_OR_RETURN(auto state, StateAt(ledger, c.checkpoint_size - 1));
  VLEDGER_ASSIGN_OR_RETURN(c.issued, GradedDay(*state, c.checkpoint_size - 1));
  auto r = LoadResident(*state, request.resident);
  if (!r) {
    return Status::NotFound("RESIDENT", Msg("unknown resident \"{}\" at checkpoint {}",
                                            request.resident, c.checkpoint_size));
  }
  if (!key.villages.empty() &&
      std::find(key.villages.begin(), key.villages.end(), r->village) == key.villages.end()) {
    return Status::PermissionDenied(
        "--key", Msg("key {} (role attestor) is outside its village scope: village \"{}\"",
                     key.key_id, r->village));
  }
  c.resident = r->id;
  c.village = r->village;
  std::optional<GradePolicy> policy = GradePolicyOn(*state, r->village, c.issued);
  if (!policy) {
    return Status::FailedPrecondition(
        "RESIDENT", Msg("village {} has no grade policy in force on {}", r->village, c.issued));
  }
  c.grade = GradeOf(*policy, policy->minimums, GradedScore(*state, *policy, r->id, c.issued));
  if (c.grade.empty()) {
    return Status::FailedPrecondition(
        "RESIDENT", Msg("resident {} is below every grade on {}", r->id, c.issued));
  }
  if (request.benefit.empty()) return Status::Ok();
  std::optional<BenefitRecord> b = LoadBenefit(*state, request.benefit);
  if (!b) {
    return Status::NotFound("--for", Msg("unknown benefit \"{}\" at checkpoint {}", request.benefit,
                                         c.checkpoint_size));
  }
  if (b->withdrawn_seq) {
    return Status::FailedPrecondition(
        "--for", Msg("benefit {} was withdrawn at seq {}", b->code, *b->withdrawn_seq));
  }
  if (!BenefitIsFor(*b, r->village)) {
    return Status::FailedPrecondition("--for",
                                      Msg("benefit {} is not for village {}", b->code, r->village));
  }
  if (!GradeReaches(*policy, c.grade, b->min_grade)) {
    return Status::FailedPrecondition(
        "--for", Msg("resident {} (grade {}) does not qualify for benefit {} ({} or better)", r->id,
                     c.grade, b->code, b->min_grade));
  }
  c.benefit = b->code;
  c.benefit_name = b->name;
  c.partner = b->partner;
  return Status::Ok();
}

// The resident's masked name and ID-card number, from the person record
// of the resident as the log stands now.
Status StateThePerson(const Ledger& ledger, StateStore& now, const AttestRequest& request,
                      Issue* issue) {
  Certificate& c = issue->certificate;
  auto r = LoadResident(now, c.resident);
  VLEDGER_ASSERT(r.has_value());  // residents are never removed
  if (r->status != ResidentStatus::kActive) {
    return Status::FailedPrecondition("RESIDENT", r->status == ResidentStatus::kDeceased
                                                      ? Msg("resident \"{}\" is deceased", r->id)
                                                      : Msg("resident \"{}\" is departed", r->id));
  }
  Result<std::optional<PersonRecord>> record =
      r->person_ref.empty() ? Result<std::optional<PersonRecord>>(std::nullopt)
                            : ledger.LoadPerson(r->person_ref);
  VLEDGER_TRY(record.status());
  std::optional<Person> person;
  if (*record) person = (*record)->person;
  if (!KnownAdultOn(AgeFactsOf(*r, person), c.issued)) {
    return Status::FailedPrecondition(
        "RESIDENT",
        Msg("resident {} is a minor or of unknown age; certificates are for adults", r->id));
  }
  if (!person || person->id_card_hash.empty()) {
    return Status::FailedPrecondition("RESIDENT",
                                      Msg("resident {} has no ID card on record", r->id));
  }
  if (request.id_card.empty()) {
    return Status::InvalidInput(
        "--id-card",
        "give the resident's ID-card number: the ledger keeps only a salted hash of it");
  }
  VLEDGER_ASSIGN_OR_RETURN(issue->id_card, IdCardNumber("--id-card", request.id_card, c.issued));
  if ((*record)->IdCardHash(issue->id_card) != person->id_card_hash) {
    return Status::InvalidInput("--id-card",
                                Msg("is not the number on resident {}'s record", r->id));
  }
  c.name = MaskName(person->name);
  return Status::Ok();
}

Status WriteCertificateFiles(const std::string& out, const std::string& note,
                             std::vector<std::string>* files) {
  std::string png = QrPng(note);
  std::string svg = QrSvg(note, "信用证明");  // i18n-ok: the certificate's own word
  VLEDGER_TRY(WriteFileAtomically(out, note));
  VLEDGER_TRY(WriteFileAtomically(out + ".png", png));
  VLEDGER_TRY(WriteFileAtomically(out + ".svg", svg + "\n"));
  *files = {out, out + ".png", out + ".svg"};
  return Status::Ok();
}

// Whether the certificate still holds at the newest stored checkpoint
// (CertificateLapse).
Status CheckStillHolds(const Ledger& ledger, const Certificate& c, uint64_t size) {
  if (size <= c.checkpoint_size) return Status::Ok();
  VLEDGER_ASSIGN_OR_RETURN(auto state, StateAt(ledger, size - 1));
  VLEDGER_ASSIGN_OR_RETURN(
      std::optional<Lapse> lapse,
      CertificateLapse(*state, size, c.village, c.resident, c.grade, c.benefit, c.checkpoint_size));
  if (!lapse) return Status::Ok();
  if (lapse->benefit_withdrawn) {
    return Status::VerificationFailed(
        Msg("no longer valid from checkpoint {}: benefit {} was withdrawn", size, c.benefit));
  }
  return Status::VerificationFailed(
      Msg("no longer valid from checkpoint {} (seq {}): grade now {}, {} or better needed", size,
          size - 1, lapse->grade_now.empty() ? "-" : lapse->grade_now, lapse->least));
}

// The checks that need the county's ledger.
Status CheckOnline(const Session& session, const Certificate& c, const PublicKey& pub,
                   const std::string& note, VerifyAttestationResult* result) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  auto meta = LoadMeta(*state);
  if (!meta) return Status::Corruption(Msg("{}: the ledger has no genesis", ledger->dir()));
  if (meta->origin != c.origin) {
    return Status::VerificationFailed(Msg(
        "another county's certificate: origin {}, this ledger's is {}", c.origin, meta->origin));
  }
  auto key = LoadKey(*state, pub.key_id());
  if (!key || key->role != Role::kAttestor) {
    return Status::VerificationFailed(
        Msg("key {} is no registered attestor key of this county", pub.key_id()));
  }
  if (key->revoked_seq) {
    return Status::VerificationFailed(
        Msg("the attestor key {} was revoked at seq {}", pub.key_id(), *key->revoked_seq));
  }
  std::string hash(AsView(Sha256(note)));
  auto issued = LoadAttestation(*state, hash);
  if (!issued) {
    return Status::VerificationFailed("not recorded in this county's ledger: no attestationIssued");
  }
  if (issued->revoked_seq) {
    return Status::VerificationFailed(
        Msg("the certificate was revoked at seq {}", *issued->revoked_seq));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto latest, ledger->LatestCheckpoint());
  result->checked_at = latest ? latest->first : 0;
  VLEDGER_TRY(CheckStillHolds(*ledger, c, result->checked_at));
  result->online = true;
  return Status::Ok();
}

Json CertificateJson(const Certificate& c) {
  Json j{{"origin", c.origin}, {"resident", c.resident},
         {"name", c.name},     {"village", c.village},
         {"grade", c.grade},   {"checkpointSize", c.checkpoint_size},
         {"issued", c.issued}, {"validUntil", c.valid_until}};
  if (!c.benefit.empty()) {
    j["benefit"] = c.benefit;
    j["benefitName"] = c.benefit_name;
    j["partner"] = c.partner;
  }
  j["attestor"] = c.attestor;
  return j;
}

}  // namespace

Result<std::optional<Lapse>> CertificateLapse(StateStore& state, uint64_t size,
                                              const std::string& village,
                                              const std::string& resident, const std::string& grade,
                                              const std::string& benefit,
                                              uint64_t checkpoint_size) {
  if (size <= checkpoint_size) return std::optional<Lapse>();
  VLEDGER_ASSIGN_OR_RETURN(std::string day, GradedDay(state, size - 1));
  std::optional<GradePolicy> policy = GradePolicyOn(state, village, day);
  Lapse lapse;
  if (policy) {
    lapse.grade_now =
        GradeOf(*policy, policy->minimums, GradedScore(state, *policy, resident, day));
  }
  lapse.least = grade;
  if (!benefit.empty()) {
    std::optional<BenefitRecord> b = LoadBenefit(state, benefit);
    if (!b || b->withdrawn_seq) {
      lapse.benefit_withdrawn = true;
      return std::optional<Lapse>(lapse);
    }
    lapse.least = b->min_grade;
  }
  if (!policy || !GradeReaches(*policy, lapse.grade_now, lapse.least)) {
    return std::optional<Lapse>(lapse);
  }
  return std::optional<Lapse>();
}

Result<AttestResult> Attest(const Session& session, const AttestRequest& request) try {
  VLEDGER_TRY(CheckId("RESIDENT", request.resident));
  if (!request.benefit.empty()) VLEDGER_TRY(CheckId("--for", request.benefit));
  if (request.valid_days <= 0 || request.valid_days > kAttestationValidDaysMax) {
    return Status::InvalidInput("--valid-days", Msg("{} is not from 1 to {}", request.valid_days,
                                                    kAttestationValidDaysMax));
  }
  if (request.out.empty()) return Status::InvalidInput("--out", "give the certificate's file");
  VLEDGER_TRY(CheckOutFolder(request.out));
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, session.SigningKey());
  Issue issue;
  {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
    VLEDGER_ASSIGN_OR_RETURN(auto now, StoredState(*ledger));
    auto record = LoadKey(*now, key.key_id());
    if (!record || record->revoked_seq || record->role != Role::kAttestor) {
      return Status::PermissionDenied(
          "--key", Msg("key {} is no registered attestor key; an attestor key signs certificates",
                       key.key_id()));
    }
    VLEDGER_TRY(StateTheGrade(session, *ledger, request, *record, &issue));
    VLEDGER_TRY(StateThePerson(*ledger, *now, request, &issue));
  }
  Certificate& c = issue.certificate;
  c.valid_until = CivilFromDays(DaysFromCivil(c.issued) + request.valid_days);
  c.attestor = key.key_id();
  c.salt = RandomBytes(kCertificateSaltBytes);
  c.id_check = IdCardCheck(c.salt, issue.id_card);
  std::string note = SignNote(CertificateBody(c), c.origin, key);
  if (QrPng(note).empty()) {
    return Status::InvalidInput("--out", "the certificate is too long for a QR code");
  }
  std::string hash(AsView(Sha256(note)));
  // The hash goes into the result kept with a request id: a repeat answers
  // with the certificate recorded the first time, and writes no new one.
  auto hash_member = [&] { return JsonMembers{{"certificateHash", Json(Hex(hash)).dump()}}; };
  auto build = [&](CommitBuilder& b) {
    return b
        .Add(AttestationIssued{.resident = c.resident,
                               .benefit = c.benefit,
                               .certificate_hash = hash,
                               .valid_until = c.valid_until,
                               .grade = c.grade,
                               .checkpoint_size = c.checkpoint_size})
        .status();
  };
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Append(session, request, build, hash_member));
  AttestResult result{std::move(append), c, Hex(hash), {}};
  if (result.append.repeated) return result;
  VLEDGER_TRY(WriteCertificateFiles(request.out, note, &result.files));
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string AttestJson(const AttestResult& result) {
  if (result.append.repeated) return result.append.json;  // the first answer
  Json j = Json::parse(result.append.json);
  j["certificate"] = CertificateJson(result.certificate);
  j["files"] = result.files;
  return j.dump();
}

Result<AttestRevokeResult> AttestRevoke(const Session& session,
                                        const AttestRevokeRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(std::string note, ReadCertificate("FILE", request.file));
  std::string hash(AsView(Sha256(note)));
  VLEDGER_ASSIGN_OR_RETURN(
      AppendResult append, Append(session, request, [&](CommitBuilder& b) {
        return b.Add(AttestationRevoked{.certificate_hash = hash, .reason = request.reason})
            .status();
      }));
  return AttestRevokeResult{std::move(append), Hex(hash)};
} catch (...) {
  return CaughtStatus();
}

std::string AttestRevokeJson(const AttestRevokeResult& result) {
  Json j = Json::parse(result.append.json);
  j["certificateHash"] = result.certificate_hash;
  return j.dump();
}

Result<VerifyAttestationResult> VerifyAttestation(const Session& session,
                                                  const VerifyAttestationRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(std::string note, ReadCertificate("FILE", request.file));
  VLEDGER_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::LoadPem(request.pub));
  CheckedNote checked = CheckNote(note, pub);
  switch (checked.check) {
    case NoteCheck::kMalformed:
      return checked.error.WithPrefix("certificate malformed");
    case NoteCheck::kNotByKey:
      return Status::VerificationFailed(
          Msg("not signed by the given key {} (under any name)", pub.key_id()));
    case NoteCheck::kBadSignature:
      return Status::VerificationFailed(
          "tampered: the signature does not match the certificate's text");
    case NoteCheck::kValid:
      break;
  }
  VerifyAttestationResult result;
  VLEDGER_ASSIGN_OR_RETURN(result.certificate, ParseCertificateBody(checked.body));
  const Certificate& c = result.certificate;
  if (checked.key_name != c.origin) {
    return Status::VerificationFailed(
        Msg("tampered: signed under key name {}, not the origin {}", checked.key_name, c.origin));
  }
  if (c.attestor != pub.key_id()) {
    return Status::VerificationFailed(Msg(
        "certificate malformed: it names attestor {}, signed by key {}", c.attestor, pub.key_id()));
  }
  // Today: the ledger's clock online (a --test-clock ledger honours its
  // fixed time), else the checker's own (its fixed time when given).
  int64_t now_ms = 0;
  if (request.online) {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
    VLEDGER_ASSIGN_OR_RETURN(now_ms, session.NowMs(*ledger));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(now_ms, session.InitNowMs(true));
  }
  result.today = CstDate(now_ms);
  if (result.today > c.valid_until) {
    return Status::VerificationFailed(
        Msg("expired: valid until {}, today is {}", c.valid_until, result.today));
  }
  if (!request.id_card.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(std::string id,
                             IdCardNumber("--id-card", request.id_card, result.today));
    if (IdCardCheck(c.salt, id) != c.id_check) {
      return Status::VerificationFailed(
          "another person's ID card: the ID-card check does not match");
    }
    result.id_card_checked = true;
  }
  if (request.online) VLEDGER_TRY(CheckOnline(session, c, pub, note, &result));
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string VerifyAttestationJson(const VerifyAttestationResult& result) {
  Json j{{"valid", true}, {"certificate", CertificateJson(result.certificate)}};
  j["today"] = result.today;
  j["idCardChecked"] = result.id_card_checked;
  j["online"] = result.online;
  if (result.online) j["checkedAtCheckpoint"] = result.checked_at;
  return j.dump();
}

}  // namespace vledger::app
