// Disclosure projections: published reports (公示) and the question ledger
// (问题台账) of objections, closed item by item (销号). Rows:
//   disc/<village>/<u64be seq>   DisclosureRecord of a disclosurePublished
//   discsha/<sha256 hex>         u64 seq of the disclosure that published it
//   obj/<u64be seq>              ObjectionRecord of an objectionFiled
//   objev/<u64be event>/<u64be objection>   (empty) objection about an event
// An objection is open until an objectionResolved closes it; entries under
// an open objection are shown as disputed in reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/event.h"
#include "vledger/projections/state.h"

namespace vledger {

// Default objection window of a publication and default reply time of an
// objection, in working days (Mon-Fri; with a village's calendar, see
// WorkingCalendar, its holidays skipped and its 调休 weekend days counted).
inline constexpr int kObjectionWorkingDays = 7;
inline constexpr int kWindowWorkingDaysMax = 365;

struct DisclosureRecord {
  uint64_t seq = 0;
  std::string village, period, kind, format, lang;
  std::string report_sha256;  // raw 32 bytes
  uint64_t tree_size = 0;
  std::string window_end;    // YYYY-MM-DD, last day objections are taken
  std::string published_on;  // CST date of recordedAt
};

struct ObjectionRecord {
  uint64_t seq = 0;
  std::string village;  // the village the objection belongs to
  std::optional<uint64_t> about_event;
  std::string about_report;  // raw SHA-256 when about a report
  std::string by_resident, text, reply_due, filed_on;
  bool resolved = false;
  uint64_t resolved_seq = 0;
  bool upheld = false;
  std::string answer, resolved_on;
  uint64_t reversal = 0;  // seq of the eventReversed the resolution cited, or 0
};

std::optional<DisclosureRecord> LoadDisclosure(StateStore& state, std::string_view village,
                                               uint64_t seq);
void StoreDisclosure(StateStore& state, const DisclosureRecord& d);
// A village's disclosures in seq order.
std::vector<DisclosureRecord> ListDisclosures(StateStore& state, std::string_view village);
// The disclosure that published a report with this SHA-256 (raw bytes).
std::optional<DisclosureRecord> DisclosureBySha(StateStore& state, std::string_view sha256);

std::optional<ObjectionRecord> LoadObjection(StateStore& state, uint64_t seq);
void StoreObjection(StateStore& state, const ObjectionRecord& o);
// Objections in seq order; with a village, only that village's.
std::vector<ObjectionRecord> ListObjections(StateStore& state, std::string_view village);
// Seqs of unresolved objections about event `seq`.
std::vector<uint64_t> OpenObjectionsAbout(StateStore& state, uint64_t seq);

// The date `days` working days (Mon-Fri) after `date` (YYYY-MM-DD, valid).
std::string AddWorkingDays(std::string_view date, int days);

// A county's holiday calendar (a village policy's holidays and workdays):
// `holidays` are days off although Monday to Friday, `workdays` Saturdays
// and Sundays worked instead (调休). Both YYYY-MM-DD, ascending.
struct WorkingCalendar {
  std::vector<std::string> holidays, workdays;
};
inline constexpr size_t kCalendarDatesMax = 400;  // of each list, in one policy

// Whether `date` (valid) is a working day under `calendar`.
bool IsWorkingDay(std::string_view date, const WorkingCalendar& calendar);
// The date `days` working days after `date` under `calendar`.
std::string AddWorkingDays(std::string_view date, int days, const WorkingCalendar& calendar);

// The village an event belongs to, as far as the rows say ("" when none):
// points events by their resident, fund events by the fund or beneficiary.
std::string EventVillage(StateStore& state, const Event& event);

}  // namespace vledger
