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
#include <utility>
#include <vector>

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"
#include "vledger/projections/shelf.h"
#include "vledger/projections/state.h"

namespace vledger {

// The version of the renderers' output. Raised whenever the bytes a report
// renders to change for the same log and arguments, so that verify-report
// can tell a report of another version from a report that was altered.
// Version 1 wrote no edition= and renderer= in its footer; version 3
// printed the board edition in a tighter type, so that it fits the page
// its estimate promises (Chromium, A4); version 4 added credit grades (a
// ranking column and the residents per grade) for villages with a grade
// policy; version 5 leaves residents tied at the board's last rank to the
// full bulletin when they alone would push the ranking past the page;
// version 6 added the credit supermarkets' monthly statements (a shops
// section after the funds) for villages whose shops had a shelf; version
// 7 gives the board edition the residents per credit grade too (one line
// after the star households; the same rows as the full edition's in CSV
// and JSON).
inline constexpr uint32_t kRendererVersion = 7;

struct ReportArgs {
  ReportArgs() = default;
  // The parameters every report has; the others keep their defaults.
  ReportArgs(std::string village_code, std::string period_text, std::string kind_name,
             std::string format_name, std::string lang_code, uint64_t prefix_size)
      : village(std::move(village_code)),
        period(std::move(period_text)),
        kind(std::move(kind_name)),
        format(std::move(format_name)),
        lang(std::move(lang_code)),
        size(prefix_size) {}

  std::string village, period;
  std::string kind = "bulletin";  // bulletin, points, funds
  std::string format = "html";    // html, md, csv, json
  std::string lang = "zh";        // zh, en
  uint64_t size = 0;              // the log prefix: events 0..size-1
  std::string edition = "full";   // full, board (the one-page board bulletin)
  uint32_t renderer = kRendererVersion;
  int window_days = 7;   // the objection window (公示期) in working days
  std::string site_url;  // the QR code's URL when given on the command line
};

// Checks kind, format, lang, edition, window, village id and period.
// InvalidInput naming the flag.
Status CheckReportArgs(const ReportArgs& args);
// A --site-url ("" passes): http:// or https://, at most kSiteUrlBytesMax
// bytes, none of the characters a QR payload or an HTML attribute would
// trip on. InvalidInput naming --site-url.
Status CheckSiteUrl(std::string_view url);

// "vledger-report village=V period=P kind=K format=F lang=L size=N
// edition=E renderer=R window=W" and, when the site URL was given on the
// command line, " site=URL" (SPEC §12; window= and site= are ours).
std::string FooterLine(const ReportArgs& args);
// Finds the last footer line in a report's bytes; VerificationFailed when
// there is none. A footer without edition= and renderer= is renderer 1.
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
  std::string grade;      // the credit grade on the report's date (grades.h), or ""
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

// A credit supermarket's month in the bulletin: its monthly statement
// (ShelfMonth, shelf.h, what `report shop` prints), every item on the
// shelf by the month's end.
struct ShopMonth {
  std::string month;  // YYYY-MM
  std::vector<ShelfMonthLine> lines;
};

// A village's shop in the bulletin: its months of the period up to the
// report's date. No resident is named: a statement counts items only.
struct ShopSummary {
  std::string code, name;                     // name: its display name, or ""
  std::vector<ShopMonth> months;              // the full edition's; the board keeps none
  int64_t received = 0, sold = 0, taken = 0;  // the months' totals
  uint64_t items = 0;                         // items on the shelf at the last month's end
  int64_t stock = 0;                          // units left then, all items together
};

struct CorrectionLine {
  uint64_t seq = 0, target = 0;
  // summary: whose entry, which rule by name, its points or amount and
  // date, in the report's language, names as the village's policy says;
  // change: what the correction did to it.
  std::string date, type, summary, change, reason;
  bool disputed = false;
};

struct ObjectionLine {
  uint64_t seq = 0;
  // "第 123 条：<the entry's summary>" ("seq 123: …" in English), or
  // "公示 <sha256 hex prefix>" ("report …") for an objection to a report.
  std::string about;
  std::string filed_on, reply_due, text;
  bool resolved = false, upheld = false;
  std::string resolved_on, answer;
  uint64_t reversal = 0;
};

// What a notice (公示) needs besides its tables (SPEC §12, issue 20).
struct NoticeInfo {
  std::string published_on;   // the report's date
  std::string window_end;     // last day of the objection window (公示期)
  std::string office, phone;  // where objections are raised ("" = not set)
  std::string county_key_id;  // the ledger's root key id, as the site shows it
};

// The board edition fits one A4 page when its estimated printed height,
// in tenths of a millimetre, is at most kBoardHeightMax (A4's 273 mm
// between the page's 12 mm margins, less 2 mm). The heights are
// Chromium's for report_html.cc's board style, measured (tests/browser,
// board.sh prints the board and counts the PDF's pages): a fixed part for
// the title, headings, table heads, notice, signature and checkpoint; a
// ranked resident's row; a line of running names (the red flags and star
// households, kBoardNamesPerLine and kBoardHouseholdsPerLine a line; the
// residents per grade, kBoardGradesPerLine a line); a fund's row; a
// correction's or objection's row, a line of it per kBoardRowBytes bytes
// of its text; and, when the bulletin has shops, the shops' heading and a
// row per shop and for the table's head (a fund's row's height: the same
// type; board.sh prints the demo village's board with seven shops, the
// most its estimate puts on one page, and counts one page). Over it the
// top list shrinks to kBoardTopMin; still over, the board takes two pages.
inline constexpr uint64_t kBoardHeightMax = 2710;
inline constexpr uint64_t kBoardFixedHeight = 1520;
inline constexpr uint64_t kBoardRankedRowHeight = 53;
inline constexpr uint64_t kBoardNamesLineHeight = 51;
inline constexpr size_t kBoardNamesPerLine = 11;      // red flags (the label takes one)
inline constexpr size_t kBoardHouseholdsPerLine = 5;  // star households (the label takes three)
inline constexpr size_t kBoardGradesPerLine = 6;      // "A 级 12 人" (the label takes one)
inline constexpr uint64_t kBoardFundRowHeight = 48;
inline constexpr uint64_t kBoardShopsHeadingHeight = 62;  // the shops section's h2
inline constexpr uint64_t kBoardShopRowHeight = 48;
inline constexpr uint64_t kBoardTextLineHeight = 45;  // a correction's or objection's line
inline constexpr size_t kBoardRowBytes = 60;
inline constexpr uint64_t kBoardTopMin = 5;

// The board edition: what is kept of the ranking, and how it is paged.
struct BoardInfo {
  uint64_t top = 0;                        // residents ranked down to this rank (ties kept)
  uint64_t residents_ranked = 0;           // of the full ranking, before the cut
  std::vector<RankedRow> red_flags;        // every resident with a red flag
  std::vector<RankedRow> star_households;  // households at the star threshold
  uint32_t star_household_stars = 0;
  uint32_t pages = 1;  // 1, or 2 when the one page cannot hold it
  // When the residents tied at the last rank would not fit on the page even
  // at the shortest top list, they are left to the full bulletin: how many,
  // and their rank (0: none left off).
  uint64_t tied_left_off = 0, tied_rank = 0;
};

struct ReportData {
  ReportArgs args;
  NoticeInfo notice;
  BoardInfo board;                    // edition "board" only
  std::string public_names = "full";  // full, masked, none
  std::string site_url;               // the QR code's URL ("" = the checkpoint text)
  std::string qr_payload;             // what the QR code encodes
  std::string root_hex;               // the checkpoint's root hash, lowercase hex
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
  // Under a grade policy in force on the report's date (grades.h): the
  // ranked rows carry grades, and every resident of the village is
  // counted under a grade (best first) or as ungraded.
  bool graded = false;
  std::vector<std::pair<std::string, uint64_t>> grade_counts;
  uint64_t ungraded = 0;
  std::vector<RuleUse> rules;
  std::vector<CategoryTotal> categories;
  std::vector<FundSummary> funds;
  // The village's credit supermarkets (bulletins only): every shop with
  // a shelf whose items moved (received or redeemed) in the period's
  // months up to the report's date, in shop code order. Empty: the
  // bulletin has no shops section. The board edition shows one row a
  // shop (ShopSummary's totals), the full edition every month's items.
  std::vector<ShopSummary> shops;
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
inline constexpr const char* kSectionGrades = "grades";
inline constexpr const char* kSectionFunds = "funds";
inline constexpr const char* kSectionShops = "shops";
inline constexpr const char* kSectionCorrections = "corrections";
inline constexpr const char* kSectionObjections = "objections";
inline constexpr const char* kSectionCheckpoint = "checkpoint";
inline constexpr const char* kSectionFooter = "footer";

inline constexpr const char* kSectionNotice = "notice";
inline constexpr const char* kSectionBoard = "board";

// The size in Chinese numerals (3,456 -> 三千四百五十六), and a date
// YYYY-MM-DD in words (二〇二一年九月三十日).
std::string ChineseNumber(uint64_t n);
std::string ChineseDate(std::string_view date);

// The section of `report` (in `format`) that byte `offset` lies in.
std::string SectionAt(std::string_view format, std::string_view report, size_t offset);

// The row label helpers shared by the renderers (report_text.cc).
namespace report {
bool En(const ReportData& d);
// A label in the report's language.
const char* L(const ReportData& d, const char* zh, const char* en);
std::string Stars(uint32_t n);
// A whole number: "1234".
inline std::string N(int64_t v) { return std::to_string(v); }
std::string Yuan(int64_t fen);  // "1234.50"
std::string PurposeLabel(const ReportData& d, std::string_view purpose);
// A rule's or category's display name, else its code (names.h).
std::string RuleLabel(const ReportData& d, const std::string& code);
std::string CategoryLabel(const ReportData& d, const std::string& category);
// The display name of a code in `names`, else "".
std::string NameOf(const std::map<std::string, std::string>& names, const std::string& code);
bool HasPoints(const ReportData& d);
// "第 300 条" (zh) or "seq 300" (en).
std::string SeqLabel(const ReportData& d, uint64_t seq);
// A ranked row's name, or its id when names are not shown.
std::string RowName(const RankedRow& row);
bool Board(const ReportData& d);  // the board edition
// The notice's lines as plain text (each format escapes them): the
// publication date, the objection window and its last day, where to raise
// objections, what the notice was computed over (size and date in words)
// and the county key's id.
std::vector<std::string> NoticeLines(const ReportData& d);
// The signature and stamp line (村务监督委员会（盖章）) and its date.
std::string SignatureLine(const ReportData& d);
// The caption of the QR code: what scanning it gives.
std::string QrCaption(const ReportData& d);
// "第 1 页 / 共 2 页" or "Page 1 of 2".
std::string PageLabel(const ReportData& d, uint32_t page, uint32_t pages);
// `s` escaped for HTML text and attribute values (& < > " ').
std::string HtmlEscape(std::string_view s);
// The board's line for residents tied at the last rank left to the full
// bulletin ("" when none were).
std::string TiedLeftOff(const ReportData& d);
// The board's line of residents per credit grade (d.graded):
// "A 级 12 人、B 级 30 人、未达等级 5 人" ("A: 12, B: 30, no grade: 5").
std::string GradeCountsLine(const ReportData& d);
bool HasFunds(const ReportData& d);
bool HasShops(const ReportData& d);  // a bulletin with a shop in d.shops
// A shop's label: its display name and code (红星超市（CS01）), or its code.
std::string ShopLabel(const ReportData& d, const ShopSummary& s);
std::string Title(const ReportData& d);      // village, period and kind
std::string TitleTail(const ReportData& d);  // the same without the village
}  // namespace report

}  // namespace vledger
