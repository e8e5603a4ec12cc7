#include "vledger/ledger/vocab.h"

#include <array>
#include <string>

namespace vledger {
namespace {

// How a refusal lists the vocabulary: "a, b or c" (the registry and fund
// events), or "one of a|b|c" (the disclosure flags).
enum class Listing { kOr, kOneOf };

template <typename E>
struct Vocab;

template <>
struct Vocab<Role> {
  static constexpr std::array<std::string_view, 7> kNames = {
      "admin", "collector", "treasurer", "reviewer", "auditor", "checkpointer", "attestor"};
  static constexpr Listing kListing = Listing::kOr;
};
template <>
struct Vocab<ResidentStatus> {
  static constexpr std::array<std::string_view, 3> kNames = {"active", "departed", "deceased"};
  static constexpr Listing kListing = Listing::kOr;
};
template <>
struct Vocab<FundKind> {
  static constexpr std::array<std::string_view, 2> kNames = {"credit", "charity"};
  static constexpr Listing kListing = Listing::kOr;
};
template <>
struct Vocab<BeneficiaryList> {
  static constexpr std::array<std::string_view, 3> kNames = {"none", "masked", "full"};
  static constexpr Listing kListing = Listing::kOr;
};
template <>
struct Vocab<CapPeriod> {
  static constexpr std::array<std::string_view, 3> kNames = {"month", "quarter", "year"};
  static constexpr Listing kListing = Listing::kOr;
};
template <>
struct Vocab<ReportKind> {
  static constexpr std::array<std::string_view, 3> kNames = {"bulletin", "points", "funds"};
  static constexpr Listing kListing = Listing::kOneOf;
};
template <>
struct Vocab<ReportFormat> {
  static constexpr std::array<std::string_view, 4> kNames = {"html", "md", "csv", "json"};
  static constexpr Listing kListing = Listing::kOneOf;
};
template <>
struct Vocab<ReportLang> {
  static constexpr std::array<std::string_view, 2> kNames = {"zh", "en"};
  static constexpr Listing kListing = Listing::kOneOf;
};
template <>
struct Vocab<NameKind> {
  static constexpr std::array<std::string_view, 5> kNames = {"rule", "purpose", "shop", "fund",
                                                             "category"};
  static constexpr Listing kListing = Listing::kOr;
};

template <typename E>
std::string_view NameOf(E e) {
  auto i = static_cast<size_t>(e);
  VLEDGER_ASSERT(i < Vocab<E>::kNames.size());
  return Vocab<E>::kNames[i];
}

// The names from `first` to before `end`, joined by `separator`.
template <typename E>
std::string Joined(size_t first, size_t end, std::string_view separator) {
  const auto& names = Vocab<E>::kNames;
  std::string out;
  for (size_t i = first; i < end; i++) {
    if (i > first) out += separator;
    out += names[i];
  }
  return out;
}

// "TEXT" is not one of a|b|c, or is not a, b or c.
template <typename E>
Msg NotListed(std::string_view text) {
  const auto& names = Vocab<E>::kNames;
  if (Vocab<E>::kListing == Listing::kOneOf) {
    return Msg("\"{}\" is not one of {}", text, Joined<E>(0, names.size(), "|"));
  }
  if (names.size() == 1) return Msg("\"{}\" is not {}", text, names[0]);
  return Msg("\"{}\" is not {} or {}", text, Joined<E>(0, names.size() - 1, ", "), names.back());
}

template <typename E>
Result<E> ParseOf(std::string_view field, std::string_view text) {
  const auto& names = Vocab<E>::kNames;
  for (size_t i = 0; i < names.size(); i++) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return Status::InvalidInput(field, NotListed<E>(text));
}

}  // namespace

std::string_view Name(Role role) { return NameOf(role); }
std::string_view Name(ResidentStatus status) { return NameOf(status); }
std::string_view Name(FundKind kind) { return NameOf(kind); }
std::string_view Name(BeneficiaryList list) { return NameOf(list); }
std::string_view Name(CapPeriod period) { return NameOf(period); }
std::string_view Name(ReportKind kind) { return NameOf(kind); }
std::string_view Name(ReportFormat format) { return NameOf(format); }
std::string_view Name(ReportLang lang) { return NameOf(lang); }
std::string_view Name(NameKind kind) { return NameOf(kind); }

template <>
Result<Role> Parse<Role>(std::string_view field, std::string_view text) {
  return ParseOf<Role>(field, text);
}
template <>
Result<ResidentStatus> Parse<ResidentStatus>(std::string_view field, std::string_view text) {
  return ParseOf<ResidentStatus>(field, text);
}
template <>
Result<FundKind> Parse<FundKind>(std::string_view field, std::string_view text) {
  return ParseOf<FundKind>(field, text);
}
template <>
Result<BeneficiaryList> Parse<BeneficiaryList>(std::string_view field, std::string_view text) {
  return ParseOf<BeneficiaryList>(field, text);
}
template <>
Result<CapPeriod> Parse<CapPeriod>(std::string_view field, std::string_view text) {
  return ParseOf<CapPeriod>(field, text);
}
template <>
Result<ReportKind> Parse<ReportKind>(std::string_view field, std::string_view text) {
  return ParseOf<ReportKind>(field, text);
}
template <>
Result<ReportFormat> Parse<ReportFormat>(std::string_view field, std::string_view text) {
  return ParseOf<ReportFormat>(field, text);
}
template <>
Result<ReportLang> Parse<ReportLang>(std::string_view field, std::string_view text) {
  return ParseOf<ReportLang>(field, text);
}
template <>
Result<NameKind> Parse<NameKind>(std::string_view field, std::string_view text) {
  return ParseOf<NameKind>(field, text);
}

}  // namespace vledger
