// The registry commands and lists (registry.h).
#include "vledger/app/registry.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "guard.h"
#include "internal.h"
#include "name_index.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// Runs `build` through the shared write path.
Result<AppendResult> Write(const Session& session, const AppendRequest& request,
                           const std::function<Status(CommitBuilder&)>& build) {
  return Append(session, request, build);
}

// The person record at `ref`; none when erased. A record that cannot be
// read is the read's error (a damaged row is not shown as erased).
Result<std::optional<Person>> LoadPersonAt(const Ledger& ledger, std::string_view ref) {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<PersonRecord> record, ledger.LoadPerson(ref));
  if (!record) return std::optional<Person>();
  return std::optional<Person>(std::move(record->person));
}

// What a list shows for a name its reader may not see (a server's client,
// people_view.h), erased or not.
constexpr std::string_view kWithheldName = "不公开";

// The name a list shows: kErasedName for an erased record.
std::string NameOf(const Ledger& ledger, const std::optional<Person>& person) {
  if (person) return person->name;
  return std::string(ledger.people_filter() ? kWithheldName : kErasedName);
}

Status CheckVillageKnown(StateStore& state, const std::string& village) {
  if (!village.empty() && !LoadVillage(state, village)) {
    return Status::NotFound("--village", Msg("unknown village \"{}\"", village));
  }
  return Status::Ok();
}

}  // namespace

// ------------------------------------------------------------- villages

Result<VillageAddResult> VillageAdd(const Session& session, const VillageAddRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return b.Add(VillageRegistered{request.code, request.name}).status();
                           }));
  return VillageAddResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string VillageAddJson(const VillageAddResult& result) { return result.append.json; }

namespace {

// A comma-separated list of dates, sorted; "none" or "" is the empty list.
// The dates themselves are checked where the event is applied.
std::vector<std::string> DateList(const std::string& text) {
  std::vector<std::string> out;
  if (text == "none") return out;
  size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    size_t comma = std::min(text.find(',', pos), text.size());
    std::string date = text.substr(pos, comma - pos);
    date.erase(0, date.find_first_not_of(' '));
    date.erase(date.find_last_not_of(' ') + 1);
    if (!date.empty()) out.push_back(date);
    pos = comma + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The policy event's field names as the command's flags.
Status NamingPolicyFlags(Status st) {
  static const std::pair<const char*, const char*> kFlags[] = {
      {"objectionOffice", "--objection-office"},
      {"objectionPhone", "--objection-phone"},
      {"publicNames", "--public-names"},
      {"siteUrl", "--site-url"},
      {"boardTop", "--board-top"},
      {"starHouseholdStars", "--star-household-stars"},
      {"holidays", "--holidays"},
      {"workdays", "--workdays"}};
  for (const auto& [field, flag] : kFlags) {
    if (st.field() == field) return st.WithField(flag);
  }
  return st;
}

}  // namespace

Result<VillagePolicyResult> VillagePolicy(const Session& session,
                                          const VillagePolicyRequest& request) try {
  auto build = [&](CommitBuilder& b) -> Status {
    VLEDGER_TRY(CheckId("village", request.village));
    auto v = LoadVillage(b.state(), request.village);
    if (!v) return Status::NotFound("village", Msg("unknown village \"{}\"", request.village));
    VillagePolicySet p{v->code,
                       v->review,
                       v->star_points,
                       v->max_stars,
                       v->red_flag_share_pct,
                       v->objection_office,
                       v->objection_phone,
                       v->public_names,
                       v->site_url,
                       v->board_top,
                       v->star_household_stars,
                       v->holidays,
                       v->workdays};
    if (!request.review.empty()) p.review = request.review == "on";
    if (request.star_points) p.star_points = *request.star_points;
    if (request.max_stars) p.max_stars = *request.max_stars;
    if (request.red_flag_share) p.red_flag_share_pct = *request.red_flag_share;
    if (request.objection_office) p.objection_office = *request.objection_office;
    if (request.objection_phone) p.objection_phone = *request.objection_phone;
    if (request.public_names) p.public_names = *request.public_names;
    if (request.site_url) p.site_url = *request.site_url;
    if (request.board_top) p.board_top = *request.board_top;
    if (request.star_household_stars) p.star_household_stars = *request.star_household_stars;
    if (request.holidays) p.holidays = DateList(*request.holidays);
    if (request.workdays) p.workdays = DateList(*request.workdays);
    return NamingPolicyFlags(b.Add(p).status());
  };
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, build));
  return VillagePolicyResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string VillagePolicyJson(const VillagePolicyResult& result) { return result.append.json; }

Result<VillageListResult> VillageList(const Session& session, const VillageListRequest&) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  return VillageListResult{ListVillages(*state)};
} catch (...) {
  return CaughtStatus();
}

std::string VillageListJson(const VillageListResult& result) {
  Json out = Json::array();
  for (const VillageRecord& v : result.villages) {
    Json village{{"code", v.code},          {"name", v.name},
                 {"review", v.review},      {"starPoints", v.star_points},
                 {"maxStars", v.max_stars}, {"redFlagSharePct", v.red_flag_share_pct}};
    // The bulletin's notice fields only when set: a village without them
    // lists as it did before they existed.
    auto set = [&village](const char* key, const auto& value, bool given) {
      if (given) village[key] = value;
    };
    set("objectionOffice", v.objection_office, !v.objection_office.empty());
    set("objectionPhone", v.objection_phone, !v.objection_phone.empty());
    set("publicNames", v.public_names, !v.public_names.empty());
    set("siteUrl", v.site_url, !v.site_url.empty());
    set("boardTop", v.board_top, v.board_top != 0);
    set("starHouseholdStars", v.star_household_stars, v.star_household_stars != 0);
    set("holidays", v.holidays, !v.holidays.empty());
    set("workdays", v.workdays, !v.workdays.empty());
    out.push_back(std::move(village));
  }
  return Json{{"villages", out}}.dump();
}

// ----------------------------------------------------------- households

Result<HouseholdAddResult> HouseholdAdd(const Session& session,
                                        const HouseholdAddRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return BuildHousehold(b, request);
                           }));
  return HouseholdAddResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string HouseholdAddJson(const HouseholdAddResult& result) { return result.append.json; }

Result<HouseholdHeadResult> HouseholdHead(const Session& session,
                                          const HouseholdHeadRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             VLEDGER_ASSIGN_OR_RETURN(
                                 std::string resident,
                                 ResidentArg(b, "--resident", request.resident));
                             return b.Add(HouseholdHeadSet{request.household, resident}).status();
                           }));
  return HouseholdHeadResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string HouseholdHeadJson(const HouseholdHeadResult& result) { return result.append.json; }

Result<HouseholdListResult> HouseholdList(const Session& session,
                                          const HouseholdListRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  VLEDGER_TRY(CheckVillageKnown(*state, request.village));
  HouseholdListResult result;
  for (const HouseholdRecord& h : ListHouseholds(*state, request.village)) {
    VLEDGER_ASSIGN_OR_RETURN(std::optional<Person> head, LoadPersonAt(*ledger, h.head_ref));
    result.households.push_back(HouseholdRow{std::string(h.id), std::string(h.village),
                                             NameOf(*ledger, head), std::string(h.head_resident)});
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string HouseholdListJson(const HouseholdListResult& result) {
  Json out = Json::array();
  for (const HouseholdRow& h : result.households) {
    out.push_back(Json{
        {"id", h.id}, {"village", h.village}, {"head", h.head}, {"headResident", h.head_resident}});
  }
  return Json{{"households", out}}.dump();
}

// ------------------------------------------------------------ residents

Result<ResidentAddResult> ResidentAdd(const Session& session,
                                      const ResidentAddRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return BuildResident(b, request);
                           }));
  return ResidentAddResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string ResidentAddJson(const ResidentAddResult& result) { return result.append.json; }

Result<ResidentUpdateResult> ResidentUpdate(const Session& session,
                                            const ResidentUpdateRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, [&](CommitBuilder& b) {
                             return BuildResidentUpdate(b, request);
                           }));
  return ResidentUpdateResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string ResidentUpdateJson(const ResidentUpdateResult& result) { return result.append.json; }

std::string_view AgeName(AgeClass age) {
  switch (age) {
    case AgeClass::kAdult:
      return "adult";
    case AgeClass::kMinor:
      return "minor";
    case AgeClass::kUnknown:
      break;
  }
  return "unknown";
}

Result<ResidentListResult> ResidentList(const Session& session,
                                        const ResidentListRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  VLEDGER_TRY(CheckVillageKnown(*state, request.village));
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, session.NowMs(*ledger));
  std::string today = CstDate(now_ms);
  ResidentListResult result;
  for (const ResidentRecord& r : ListResidents(*state, request.village)) {
    VLEDGER_ASSIGN_OR_RETURN(std::optional<Person> person, LoadPersonAt(*ledger, r.person_ref));
    result.residents.push_back(ResidentRow{std::string(r.id), std::string(r.village),
                                           std::string(r.household), NameOf(*ledger, person),
                                           AgeOn(AgeFactsOf(r, person), today), r.status});
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string ResidentListJson(const ResidentListResult& result) {
  Json out = Json::array();
  for (const ResidentRow& r : result.residents) {
    out.push_back(Json{{"id", r.id},
                       {"village", r.village},
                       {"household", r.household},
                       {"name", r.name},
                       {"minor", r.age == AgeClass::kMinor},
                       {"status", std::string(Name(r.status))},
                       {"age", std::string(AgeName(r.age))}});
  }
  return Json{{"residents", out}}.dump();
}

// -------------------------------------------------------------- persons

Result<PersonEraseResult> PersonErase(const Session& session,
                                      const PersonEraseRequest& request) try {
  auto build = [&](CommitBuilder& b) -> Status {
    std::string id = request.id;
    if (!LoadHousehold(b.state(), id)) {
      VLEDGER_ASSIGN_OR_RETURN(id, ResidentArg(b, "ID", id));
    }
    VLEDGER_TRY(CheckId("ID", id));
    std::string ref;
    if (auto r = LoadResident(b.state(), id)) {
      ref = r->person_ref;
      VLEDGER_TRY(UnindexResident(b.txn(), r->id));
    } else if (auto h = LoadHousehold(b.state(), id)) {
      ref = h->head_ref;
    } else {
      return Status::NotFound("ID", Msg("no resident or household \"{}\"", request.id));
    }
    b.txn().DeletePerson(ref);
    return b.Add(PersonErased{ref, request.reason}).status();
  };
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Write(session, request, build));
  return PersonEraseResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string PersonEraseJson(const PersonEraseResult& result) { return result.append.json; }

}  // namespace vledger::app
