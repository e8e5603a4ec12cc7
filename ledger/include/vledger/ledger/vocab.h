// Closed vocabularies that events carry as text: key roles, resident
// statuses, fund kinds, a fund's beneficiary-list policy, rule cap periods
// and report (disclosure) kinds, formats and languages.
//
// The log (schemas/) and the projection rows keep the text: Name(e) is the
// exact text stored and printed, Parse<E>(field, text) its inverse. A text
// outside the vocabulary is InvalidInput naming `field`, with the message
// the command has always refused it with ("\"x\" is not credit or
// charity"). Projections read the text of an event once, where its handler
// validates it, and hold the enum from then on.
#pragma once

#include <cstdint>
#include <string_view>

#include "vledger/ledger/status.h"

namespace vledger {

// Who a key is. An admin writes everything; the others write what
// projections/apply.cc's RequireRole lets them, in their villages. A
// checkpointer writes no event: it signs checkpoints only; an attestor
// signs credit certificates and writes only their issuance and revocation
// (SPEC section 12).
enum class Role : uint8_t {
  kAdmin,
  kCollector,
  kTreasurer,
  kReviewer,
  kAuditor,
  kCheckpointer,
  kAttestor
};

enum class ResidentStatus : uint8_t { kActive, kDeparted, kDeceased };

enum class FundKind : uint8_t { kCredit, kCharity };

// Whether a fund's statements name its beneficiaries.
enum class BeneficiaryList : uint8_t { kNone, kMasked, kFull };

// The period a capped rule's cap counts over.
enum class CapPeriod : uint8_t { kMonth, kQuarter, kYear };

// What a report or disclosure covers.
enum class ReportKind : uint8_t { kBulletin, kPoints, kFunds };
enum class ReportFormat : uint8_t { kHtml, kMd, kCsv, kJson };
enum class ReportLang : uint8_t { kZh, kEn };

// What a display name (displayNameSet) names.
enum class NameKind : uint8_t { kRule, kPurpose, kShop, kFund, kCategory };

std::string_view Name(Role role);
std::string_view Name(ResidentStatus status);
std::string_view Name(FundKind kind);
std::string_view Name(BeneficiaryList list);
std::string_view Name(CapPeriod period);
std::string_view Name(ReportKind kind);
std::string_view Name(ReportFormat format);
std::string_view Name(ReportLang lang);
std::string_view Name(NameKind kind);

// The enumerator named `text`, or InvalidInput naming `field`.
template <typename E>
Result<E> Parse(std::string_view field, std::string_view text);

template <>
Result<Role> Parse<Role>(std::string_view field, std::string_view text);
template <>
Result<ResidentStatus> Parse<ResidentStatus>(std::string_view field, std::string_view text);
template <>
Result<FundKind> Parse<FundKind>(std::string_view field, std::string_view text);
template <>
Result<BeneficiaryList> Parse<BeneficiaryList>(std::string_view field, std::string_view text);
template <>
Result<CapPeriod> Parse<CapPeriod>(std::string_view field, std::string_view text);
template <>
Result<ReportKind> Parse<ReportKind>(std::string_view field, std::string_view text);
template <>
Result<ReportFormat> Parse<ReportFormat>(std::string_view field, std::string_view text);
template <>
Result<ReportLang> Parse<ReportLang>(std::string_view field, std::string_view text);
template <>
Result<NameKind> Parse<NameKind>(std::string_view field, std::string_view text);

}  // namespace vledger
