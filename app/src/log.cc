#include "vledger/app/log.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <variant>

#include "event_summary.h"
#include "guard.h"
#include "internal.h"
#include "logged.h"
#include "vledger/app/people.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/names.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

template <size_t... I>
std::vector<std::string> TypeNames(std::index_sequence<I...>) {
  return {EventTypeName(EventBody(std::in_place_index<I>))...};
}

// The filters of a log request, checked and resolved.
struct LogFilter {
  std::string since, until;  // recording dates (CST), inclusive; empty: open
  std::string by, village, resident, type;

  bool Matches(const EventSummary& s) const {
    std::string date = CstDate(s.recorded_at_ms);
    if (!since.empty() && date < since) return false;
    if (!until.empty() && date > until) return false;
    if (!by.empty() && s.key_id != by) return false;
    if (!type.empty() && s.type != type) return false;
    if (!resident.empty() && s.resident != resident) return false;
    if (!village.empty() && s.village != village &&
        std::find(s.villages.begin(), s.villages.end(), village) == s.villages.end()) {
      return false;
    }
    return true;
  }
};

Result<std::string> KindType(const std::string& kind) {
  for (const auto& [alias, type] : EventKindAliases()) {
    if (kind == alias) return type;
  }
  for (const std::string& type : EventTypeNames()) {
    if (kind == type) return type;
  }
  return Status::InvalidInput(
      "--kind", Msg("unknown event kind \"{}\": give an event type (pointsAwarded) or an alias "
                    "(award, deduct, redeem, donate, disburse, reverse …)",
                    kind));
}

Result<LogFilter> CheckFilter(const Session& session, const Ledger& ledger, StateStore& state,
                              const LogRequest& r) {
  LogFilter f;
  if (!r.since.empty()) VLEDGER_TRY(CheckCalendarDate("--since", r.since));
  if (!r.until.empty()) VLEDGER_TRY(CheckCalendarDate("--until", r.until));
  f.since = r.since;
  f.until = r.until;
  if (r.today) {
    VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, session.NowMs(ledger));
    std::string today = CstDate(now_ms);
    f.since = std::max(f.since, today);
    f.until = f.until.empty() ? today : std::min(f.until, today);
  }
  if (r.by == "me") {
    if (!session.HasSigner()) {
      return Status::InvalidInput("--by", "\"me\" is the key given with --key, and none was given");
    }
    VLEDGER_ASSIGN_OR_RETURN(std::shared_ptr<Signer> key, session.CommitSigner());
    f.by = key->key_id();
  } else if (!r.by.empty()) {
    if (!LoadKey(state, r.by)) return Status::NotFound("--by", Msg("unknown key \"{}\"", r.by));
    f.by = r.by;
  }
  if (!r.village.empty() && !LoadVillage(state, r.village)) {
    return Status::NotFound("--village", Msg("unknown village \"{}\"", r.village));
  }
  f.village = r.village;
  if (!r.resident.empty()) {
    // An id, or a name among every village's residents, as other reads take.
    auto people = PeopleReader::Of(ledger);
    VLEDGER_ASSIGN_OR_RETURN(f.resident,
                             ResolveResident(*people, state, "--resident", r.resident, {}));
    if (!LoadResident(state, f.resident)) {
      VLEDGER_TRY(CheckId("--resident", f.resident));
      return Status::NotFound("--resident", Msg("unknown resident \"{}\"", f.resident));
    }
  }
  if (!r.kind.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(f.type, KindType(r.kind));
  }
  return f;
}

// The villages whose residents' names the session's key may see (a
// server's client: its people view, people_view.h): none without a key
// (or with a key that does not load), an auditor's or an unregistered or
// revoked key's, a checkpointer's (it signs heads only); every village
// ("" in the list) for a key of every village.
std::vector<std::string> NameVillages(const Session& session, StateStore& state) {
  // A server's client: the villages of the key that signed its request.
  if (const auto& view = session.options().people_view) {
    if (view->all) return {""};
    return view->villages;
  }
  if (session.options().key_path.empty()) return {};
  auto key = session.SigningKey();
  if (!key.ok()) return {};
  auto record = LoadKey(state, key->key_id());
  if (!record || record->revoked_seq || record->role == Role::kAuditor ||
      record->role == Role::kCheckpointer) {
    return {};
  }
  if (record->villages.empty()) return {""};
  return record->villages;
}

}  // namespace

Result<LoggedEvent> Logged(const StoredEvent& stored) {
  auto e = DecodeEvent(stored.canonical);
  if (!e.ok()) return e.status().WithSeq(stored.seq);
  return LoggedEvent{stored.seq, Hex(stored.hash), EventTypeName(e->body), e->recorded_at_ms,
                     e->key_id,  e->request_id,    EventBodyJson(e->body), {}};
}

std::string LoggedEventJson(const LoggedEvent& e) {
  Json j{{"seq", e.seq},
         {"hash", e.hash},
         {"type", e.type},
         {"recordedAt", e.recorded_at_ms},
         {"keyId", e.key_id}};
  if (!e.request_id.empty()) j["requestId"] = e.request_id;
  j["body"] = Json::parse(e.body_json);
  return j.dump();
}

const std::vector<std::pair<std::string, std::string>>& EventKindAliases() {
  static const std::vector<std::pair<std::string, std::string>> aliases = {
      {"award", "pointsAwarded"},
      {"deduct", "pointsDeducted"},
      {"redeem", "pointsRedeemed"},
      {"expire", "pointsExpired"},
      {"review", "entriesReviewed"},
      {"reverse", "eventReversed"},
      {"donate", "donationReceived"},
      {"disburse", "fundDisbursed"},
      {"dividend", "dividendDeclared"},
      {"release", "restrictionReleased"},
      {"allowance", "allowanceAdded"},
      {"allowance-stop", "allowanceStopped"},
      {"village", "villageRegistered"},
      {"household", "householdRegistered"},
      {"resident", "residentRegistered"},
      {"resident-update", "residentUpdated"},
      {"rule", "ruleDefined"},
      {"rule-retire", "ruleRetired"},
      {"fund", "fundOpened"},
      {"key", "keyRegistered"},
      {"key-revoke", "keyRevoked"},
      {"erase", "personErased"},
      {"publish", "disclosurePublished"},
      {"objection", "objectionFiled"},
      {"objection-resolve", "objectionResolved"},
      {"name", "displayNameSet"},
      {"shop-item", "shopItemAdded"},
      {"restock", "shopRestocked"},
      {"grades", "gradePolicySet"},
      {"benefit", "benefitAdded"},
      {"benefit-withdrawn", "benefitWithdrawn"},
      {"attest", "attestationIssued"},
      {"attest-revoked", "attestationRevoked"},
  };
  return aliases;
}

std::vector<std::string> EventTypeNames() {
  return TypeNames(std::make_index_sequence<std::variant_size_v<EventBody>>());
}

Result<LogResult> Log(const Session& session, const LogRequest& r) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  VLEDGER_ASSIGN_OR_RETURN(LogFilter filter, CheckFilter(session, *ledger, *state, r));
  std::vector<std::string> name_villages = NameVillages(session, *state);
  PersonNameFn name = [&](const std::string& ref, const std::string& village) -> std::string {
    bool visible = std::any_of(name_villages.begin(), name_villages.end(),
                               [&](const std::string& v) { return v.empty() || v == village; });
    if (!visible) return "";
    std::optional<Person> person = PersonOf(ledger->LoadPerson(ref));
    return person ? person->name : "";
  };
  LogResult out;
  VLEDGER_TRY(ledger->ScanEvents(r.from, ledger->size(), [&](const StoredEvent& stored) -> Status {
    if (r.limit != 0 && out.events.size() >= r.limit) return Status::Ok();
    auto event = DecodeEvent(stored.canonical);
    if (!event.ok()) return event.status().WithSeq(stored.seq);
    EventSummary summary = Summarize(*state, stored.seq, *event, name);
    if (!filter.Matches(summary)) return Status::Ok();
    VLEDGER_ASSIGN_OR_RETURN(LoggedEvent e, Logged(stored));
    e.summary = std::move(summary);
    out.events.push_back(std::move(e));
    return Status::Ok();
  }));
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string LogJson(const LogResult& r) {
  Json events = Json::array();
  for (const LoggedEvent& e : r.events) events.push_back(Json::parse(LoggedEventJson(e)));
  return Json{{"events", events}}.dump();
}

// ---------------------------------------------------------------- summary

namespace {

void Tally(SummaryRow& row, const PointsEntry& entry, bool deduction, bool reversed) {
  EntryTally& t = reversed ? row.reversed : deduction ? row.deductions : row.awards;
  t.count++;
  t.points += entry.points;
}

Json TallyJson(const EntryTally& t) { return Json{{"count", t.count}, {"points", t.points}}; }

Json RowJson(const SummaryRow& row) {
  return Json{{"awards", TallyJson(row.awards)},
              {"deductions", TallyJson(row.deductions)},
              {"reversed", TallyJson(row.reversed)}};
}

}  // namespace

Result<SummaryResult> Summary(const Session& session, const SummaryRequest& r) try {
  VLEDGER_TRY(CheckMonth("--month", r.month));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  if (!r.village.empty() && !LoadVillage(*state, r.village)) {
    return Status::NotFound("--village", Msg("unknown village \"{}\"", r.village));
  }
  std::map<std::string, SummaryRow> by_key, by_category;
  SummaryResult out;
  out.month = r.month;
  out.village = r.village;
  VLEDGER_TRY(ledger->ScanEvents(0, ledger->size(), [&](const StoredEvent& stored) -> Status {
    auto event = DecodeEvent(stored.canonical);
    if (!event.ok()) return event.status().WithSeq(stored.seq);
    const PointsEntry* entry = std::get_if<PointsAwarded>(&event->body);
    bool deduction = false;
    if (entry == nullptr) {
      entry = std::get_if<PointsDeducted>(&event->body);
      deduction = true;
    }
    if (entry == nullptr || entry->occurred_on.compare(0, 7, r.month) != 0) return Status::Ok();
    if (!r.village.empty()) {
      auto resident = LoadResident(*state, entry->resident);
      if (!resident || resident->village != r.village) return Status::Ok();
    }
    if (IsRejected(*state, stored.seq)) return Status::Ok();
    bool reversed = ReversedBy(*state, stored.seq).has_value();
    auto rule = LoadRule(*state, entry->rule);
    std::string category = rule ? rule->category : "";
    Tally(by_key[event->key_id], *entry, deduction, reversed);
    Tally(by_category[category], *entry, deduction, reversed);
    Tally(out.total, *entry, deduction, reversed);
    return Status::Ok();
  }));
  for (auto& [key_id, row] : by_key) {
    row.key_id = key_id;
    if (auto key = LoadKey(*state, key_id)) {
      row.label = key->label;
      row.role = std::string(Name(key->role));
    }
    out.collectors.push_back(row);
  }
  for (auto& [category, row] : by_category) {
    row.category = category;
    if (!category.empty()) {
      row.category_name = DisplayName(*state, NameKind::kCategory, r.village, category);
    }
    out.categories.push_back(row);
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string SummaryJson(const SummaryResult& r) {
  Json collectors = Json::array(), categories = Json::array();
  for (const SummaryRow& row : r.collectors) {
    Json j{{"keyId", row.key_id}, {"label", row.label}, {"role", row.role}};
    j.update(RowJson(row));
    collectors.push_back(j);
  }
  for (const SummaryRow& row : r.categories) {
    Json j{{"category", row.category}};
    if (!row.category_name.empty()) j["name"] = row.category_name;
    j.update(RowJson(row));
    categories.push_back(j);
  }
  return Json{{"month", r.month},
              {"village", r.village},
              {"collectors", collectors},
              {"categories", categories},
              {"total", RowJson(r.total)}}
      .dump();
}

}  // namespace vledger::app
