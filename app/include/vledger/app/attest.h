// Credit certificates (信用证明, SPEC section 12 "Benefits"; the format is
// docs/FORMAT.md "Credit certificates"): a C2SP signed note by an attestor
// key that states a resident's credit grade (and a benefit it qualifies
// for) at a stored checkpoint, for a partner to check without the ledger.
//
//   attest RESIDENT [--for BENEFIT] --valid-days N --id-card C --out F
//       writes F (the note), F.png and F.svg (its QR code), and records
//       attestationIssued (the note's hash, never the name or the card);
//   attest revoke F [--reason T]    records attestationRevoked;
//   verify-attestation F --pub KEY [--id-card C] [--offline]
//       checks the signature, the dates and the card offline, and with a
//       ledger whether the key is one of its attestors, the certificate is
//       recorded and not revoked, and the grade still holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/app/append.h"
#include "vledger/app/session.h"
#include "vledger/ledger/bytes.h"

namespace vledger::app {

// The first line of every certificate body.
inline constexpr std::string_view kCertificateFormat = "vledger-attestation/v1";
// Bytes of the per-certificate salt and hex digits of the ID-card check.
inline constexpr size_t kCertificateSaltBytes = 16;
inline constexpr size_t kIdCheckHexDigits = 4;
// Certificates larger than this are not read.
inline constexpr size_t kCertificateBytesMax = 16 * 1024;

// What a certificate states, line by line (docs/FORMAT.md).
struct Certificate {
  std::string origin;  // the county's ledger origin, also the signature's key name
  std::string resident, name, village, grade;  // name masked (张*明)
  uint64_t checkpoint_size = 0;
  Hash checkpoint_root{};
  std::string issued, valid_until;             // YYYY-MM-DD, China Standard Time
  std::string benefit, benefit_name, partner;  // all empty without --for
  std::string attestor;                        // the signing key's id
  std::string salt;                            // kCertificateSaltBytes raw bytes
  std::string id_check;                        // kIdCheckHexDigits lowercase hex
};

// The note body: lines ending in '\n'.
std::string CertificateBody(const Certificate& c);
// The strict inverse (VerificationFailed "certificate malformed: …").
Result<Certificate> ParseCertificateBody(std::string_view body);
// The first kIdCheckHexDigits hex digits of SHA-256(salt || id_card).
std::string IdCardCheck(std::string_view salt, std::string_view id_card);
// The text as a QR code in PNG (1-bit grey, 8 pixels a module, a quiet
// zone of four modules); "" when the text does not fit a QR code.
std::string QrPng(const std::string& text);

struct AttestRequest : AppendRequest {
  std::string resident, benefit, id_card, out;
  int64_t valid_days = 0;
};
struct AttestResult {
  AppendResult append;
  Certificate certificate;
  std::string certificate_hash;    // hex
  std::vector<std::string> files;  // F, F.png, F.svg
};
Result<AttestResult> Attest(const Session& session, const AttestRequest& request);
std::string AttestJson(const AttestResult& result);

struct AttestRevokeRequest : AppendRequest {
  std::string file, reason;
};
struct AttestRevokeResult {
  AppendResult append;
  std::string certificate_hash;  // hex
};
Result<AttestRevokeResult> AttestRevoke(const Session& session, const AttestRevokeRequest& request);
std::string AttestRevokeJson(const AttestRevokeResult& result);

// Online: also checked against the session's ledger.
struct VerifyAttestationRequest {
  std::string file, pub, id_card;
  bool online = true;
};
struct VerifyAttestationResult {
  Certificate certificate;
  std::string today;
  bool id_card_checked = false;
  bool online = false;
  uint64_t checked_at = 0;  // online: the newest stored checkpoint's size
};
// VerificationFailed (exit 1) with one line saying why a certificate is
// not valid; InvalidInput, NotFound or Io for a file or key that cannot be
// read.
Result<VerifyAttestationResult> VerifyAttestation(const Session& session,
                                                  const VerifyAttestationRequest& request);
std::string VerifyAttestationJson(const VerifyAttestationResult& result);

}  // namespace vledger::app
