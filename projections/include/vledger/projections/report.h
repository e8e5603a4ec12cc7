// Public reports (公示, SPEC section 8): the points report, the funds report
// and the bulletin that holds both, in HTML, Markdown, CSV and JSON.
//
// A report is a pure function of (the projection rows of a log prefix of
// size N, the person records they reference, the arguments, the signed
// checkpoint at N): no clock, no locale, no hash-map order. BuildReport
// gathers a ReportData from the rows; one renderer per format turns it into
// bytes (report_html.cc, report_md.cc, report_csv.cc, report_json.cc).
//
// Privacy is applied while gathering, so no renderer can leak: minors and
// residents of unknown age (age.h) are only counted in totals, donors are
// named only with consent (else 爱心人士), beneficiaries are listed only as
// the fund's listBeneficiaries policy says (masked as 张*明 unless "full"),
// ID-card hashes and phones are never read into ReportData.
//
// Every output is cut into named sections (kSection* below) with a stable
// marker per format, so `verify-report` can name the first section that
// differs: HTML and Markdown carry "<!-- section:NAME -->" lines, CSV rows
// start with the section name, JSON has one top-level key per section.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"
#include "vledger/projections/state.h"

namespace vledger {

struct ReportArgs {
  std::string village, period;
  std::string kind = "bulletin";  // bulletin, points, funds
  std::string format = "html";    // html, md, csv, json
  std::string lang = "zh";        // zh, en
  uint64_t size = 0;              // the log prefix: events 0..size-1
};

// Checks kind, format, lang, village id and period. InvalidInput naming the flag.
Status CheckReportArgs(const ReportArgs& args);

// "vledger-report village=V period=P kind=K format=F lang=L size=N".
std::string FooterLine(const ReportArgs& args);
// Finds the last footer line in a report's bytes; VerificationFailed when there is none.
Result<ReportArgs> ParseFooter(std::string_view report);

// A person record beside the chain, by personRef; nullopt once erased.
using PersonLookup = std::function<std::optional<Person>(std::string_view person_ref)>;

// Names as public output shows them.
std::string MaskName(std::string_view name);    // 张*明; two characters: 张*
std::string MaskPhone(std::string_view phone);  // 138****1234

struct RankedRow {
  uint64_t rank = 0;
  std::string id, name;  // name: a person's, 已删除 once erased
  int64_t points = 0;
  uint32_t stars = 0;
  bool red_flag = false;
  bool disputed = false;  // an entry of the period is under an open objection
};

struct RuleUse {
  std::string code, category, description;
  std::string amount;  // "5", "-10" or "1..50"
  uint64_t entries = 0;
  int64_t points = 0;
};

struct CategoryTotal {
  std::string category;
  int64_t awarded = 0, deducted = 0;  // deducted <= 0
};

struct DonorLine {
  std::string label;  // a consenting donor's name, an organisation, or 爱心人士
  uint64_t gifts = 0;
  int64_t amount_fen = 0;
};

struct PurposeLine {
  std::string purpose;  // "" = unrestricted
  uint64_t payments = 0;
  int64_t amount_fen = 0;
};

struct BeneficiaryLine {
  std::string name;  // masked or full, per the fund's policy
  std::string purpose;
  uint64_t payments = 0;
  int64_t amount_fen = 0;
};

struct FundSummary {
  std::string code, name, kind, policy;
  int64_t opening_fen = 0, income_fen = 0, payments_fen = 0, closing_fen = 0;
  std::vector<DonorLine> donors;
  std::vector<PurposeLine> purposes;
  std::vector<BeneficiaryLine> beneficiaries;  // empty unless the policy lists them
  uint64_t minor_payments = 0;                 // paid to minors: counted only
  int64_t minor_fen = 0;
};

struct CorrectionLine {
  uint64_t seq = 0, target = 0;
  std::string date, type, summary, reason;
  bool disputed = false;
};

struct ObjectionLine {
  uint64_t seq = 0;
  std::string about;  // "seq 123" or "report <sha256 hex prefix>"
  std::string filed_on, reply_due, text;
  bool resolved = false, upheld = false;
  std::string resolved_on, answer;
  uint64_t reversal = 0;
};

struct ReportData {
  ReportArgs args;
  // The report's date: recordedAt (China Standard Time) of event size-1.
  // Residents are named only when known to be adults on it (age.h).
  std::string date;
  std::string ledger_name, village_name;
  int64_t star_points = 20;
  uint32_t max_stars = 5, red_flag_share_pct = 10;
  // Totals count everyone, minors included.
  uint64_t residents = 0, minors = 0, residents_with_points = 0;
  int64_t total_points = 0, minor_points = 0;
  std::vector<RankedRow> residents_ranked, households_ranked;
  std::vector<RuleUse> rules;
  std::vector<CategoryTotal> categories;
  std::vector<FundSummary> funds;
  std::optional<uint64_t> previous_disclosure;  // seq of the last one of this kind
  std::vector<CorrectionLine> corrections;
  std::vector<ObjectionLine> objections;
  std::string checkpoint;  // the signed note at size N
  std::string qr_svg;      // the checkpoint as a QR code, inline SVG (HTML only)
  // Every personRef whose record the report read (for verify-report).
  std::vector<std::string> person_refs;
  // Display names (names.h) that hold in the village: code -> name. A
  // code without one is shown as it is.
  std::map<std::string, std::string> rule_names, category_names, purpose_names;
};

// Gathers a report from `state`, the rows of the log prefix args.size.
// NotFound (field "--village") when the village is unknown at that size.
Result<ReportData> BuildReport(StateStore& state, const PersonLookup& persons,
                               const ReportArgs& args, std::string checkpoint);

// The report's bytes in args.format.
std::string RenderReport(const ReportData& data);
std::string RenderHtml(const ReportData& data);
std::string RenderMarkdown(const ReportData& data);
std::string RenderCsv(const ReportData& data);
std::string RenderJson(const ReportData& data);

// Section names, in output order; a kind leaves out what it does not cover.
inline constexpr const char* kSectionHeader = "header";
inline constexpr const char* kSectionSummary = "summary";
inline constexpr const char* kSectionResidents = "ranking-residents";
inline constexpr const char* kSectionHouseholds = "ranking-households";
inline constexpr const char* kSectionRules = "rules";
inline constexpr const char* kSectionCategories = "categories";
inline constexpr const char* kSectionFunds = "funds";
inline constexpr const char* kSectionCorrections = "corrections";
inline constexpr const char* kSectionObjections = "objections";
inline constexpr const char* kSectionCheckpoint = "checkpoint";
inline constexpr const char* kSectionFooter = "footer";

// The section of `report` (in `format`) that byte `offset` lies in.
std::string SectionAt(std::string_view format, std::string_view report, size_t offset);

// The row label helpers shared by the renderers (report_text.cc).
namespace report {
bool En(const ReportData& d);
// A label in the report's language.
const char* L(const ReportData& d, const char* zh, const char* en);
std::string Stars(uint32_t n);
std::string Yuan(int64_t fen);  // "1234.50"
std::string PurposeLabel(const ReportData& d, std::string_view purpose);
// A rule's or category's display name, else its code (names.h).
std::string RuleLabel(const ReportData& d, const std::string& code);
std::string CategoryLabel(const ReportData& d, const std::string& category);
// The display name of a code in `names`, else "".
std::string NameOf(const std::map<std::string, std::string>& names, const std::string& code);
bool HasPoints(const ReportData& d);
bool HasFunds(const ReportData& d);
std::string Title(const ReportData& d);      // village, period and kind
std::string TitleTail(const ReportData& d);  // the same without the village
}  // namespace report

}  // namespace vledger
