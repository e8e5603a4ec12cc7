// Helpers shared by the command implementations of app/src (not part of
// the application layer's interface).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "vledger/app/append.h"
#include "vledger/ledger/person_store.h"
#include "vledger/projections/age.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/state.h"

namespace vledger::app {

inline std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A signed decimal integer as a command line or an import cell spells it;
// malformed or out of range: invalid input naming `field`.
Result<int64_t> ParseInt64(std::string_view field, const std::string& text);
// A seq: digits only.
Result<uint64_t> ParseSeq(std::string_view field, const std::string& text);

// Resolves a payee: a resident id, else a household id, else a resident's
// name (ResidentArg); returns (resident, household), one of them empty.
Result<std::pair<std::string, std::string>> ResolveTo(CommitBuilder& b, std::string_view field,
                                                      const std::string& to);
// The resident a RESIDENT argument of a write means: an id, or a name
// among the writing key's villages (people.h, ResolveResident).
Result<std::string> ResidentArg(CommitBuilder& b, std::string_view field, const std::string& text);
// The fund `code` (not found: naming `field`).
Result<FundRecord> FundOf(StateStore& state, std::string_view field, const std::string& code);
// A payment's or allowance's purpose names money the fund held: a purpose
// that never held any (ListPurposes keeps every one, zero included) is
// most likely a typo, which would silently draw unrestricted money.
Status CheckPurposeHeld(StateStore& state, const FundRecord& fund, const std::string& purpose);

// The person of a loaded record; nullopt when erased. An unreadable record
// throws RowReadError with the read's status, which the entry point's guard
// (guard.h) returns.
std::optional<Person> PersonOf(const Result<std::optional<PersonRecord>>& record);

// The text as a QR code (libqrencode, error correction M), one SVG path of
// its dark modules with a four-module quiet zone, `label` its aria-label.
// Deterministic: same text, same bytes.
std::string QrSvg(const std::string& text, std::string_view label);

// Why a credit certificate no longer holds at the checkpoint of `size`,
// `state` holding the log through seq size-1: the benefit was withdrawn, or
// the resident's grade there (on the day GradedDay gives) no longer reaches
// the benefit's least grade or, without a benefit, the certificate's grade.
// nullopt while it holds, and always for a checkpoint not after the
// certificate's own. `verify-attestation` (online) and the villager site's
// attest.json apply this one rule (attest.cc).
struct Lapse {
  bool benefit_withdrawn = false;
  std::string grade_now;  // "" for none
  std::string least;      // the grade needed
};
Result<std::optional<Lapse>> CertificateLapse(StateStore& state, uint64_t size,
                                              const std::string& village,
                                              const std::string& resident, const std::string& grade,
                                              const std::string& benefit, uint64_t checkpoint_size);

// `report cards` and `report receipt` (report.h, print.cc).
struct ReportRequest;
struct ReportResult;
Result<ReportResult> PrintCards(const Session& session, const ReportRequest& request);
Result<ReportResult> PrintReceipt(const Session& session, const ReportRequest& request);

}  // namespace vledger::app
