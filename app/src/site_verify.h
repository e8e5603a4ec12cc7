// The villager site's page for partners (a bus company, a school): verify.html
// checks a credit certificate in the browser, as `verify-attestation` does,
// against attest.json, which the site publishes beside it (docs/FORMAT.md
// section 14, "The villager site"). Internal to app/ (site.cc writes them).
#pragma once

#include <string>

#include "vledger/app/checkpoint.h"
#include "vledger/ledger/status.h"
#include "vledger/projections/state.h"

namespace vledger::app {

// attest.json at the checkpoint `head` (`state`: the log through seq
// head.size-1; `date`: the checkpoint's date, YYYY-MM-DD):
//   {"format":"vledger-site-attest/v1","origin","size","date","checkpoint",
//    "attestors":[{"keyId","key","label","registeredSeq"[,"revokedSeq"]}],
//    "lapsed":[{"hash","from","why"[,"grade","least"]}]}
// The attestors are every key registered with the attestor role (revoked
// ones too, with the seq of their revocation), in key id order. `lapsed`
// lists, in hash order, each certificate recorded before the checkpoint
// and not expired on `date` that `verify-attestation` would call no longer
// valid at this checkpoint: revoked by `attest revoke` (why "revoked",
// from its seq), or its benefit withdrawn ("benefit") or the resident's
// grade no longer reaching the benefit's or the certificate's grade
// ("grade", with the grade now and the least needed), both from seq
// size-1 (CertificateLapse, internal.h). Deterministic: sorted, no clock.
Result<std::string> SiteAttestData(StateStore& state, const SignedHead& head,
                                   const std::string& date);

// verify.html between its page head and its footer: the form (the
// certificate's text, an optional ID-card number) and the result box its
// script (assets/verify.js) fills.
std::string VerifyPageBody(const std::string& ledger_name, const std::string& date, uint64_t size);

}  // namespace vledger::app
