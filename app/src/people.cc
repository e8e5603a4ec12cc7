// People by name: resident find, names for RESIDENT arguments, names kept
// out of free text (people.h).
#include "vledger/app/people.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "guard.h"
#include "internal.h"
#include "name_index.h"
#include "pinyin.h"
#include "vledger/app/people_view.h"
#include "vledger/app/registry.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

class LedgerPeople final : public PeopleReader {
 public:
  explicit LedgerPeople(const Ledger& ledger) : ledger_(ledger) {}
  Result<std::optional<std::string>> GetNameRow(std::string_view key) override {
    return ledger_.GetNameRow(key);
  }
  Status ScanNameRows(std::string_view prefix, const RowSource::ScanFn& fn) override {
    return ledger_.ScanNameRows(prefix, fn);
  }
  Result<std::optional<PersonRecord>> LoadPerson(std::string_view ref) override {
    return ledger_.LoadPerson(ref);
  }
  Status CheckNamesVisible(std::string_view field) override {
    return app::CheckNamesVisible(ledger_, field);
  }

 private:
  const Ledger& ledger_;
};

class TxnPeople final : public PeopleReader {
 public:
  explicit TxnPeople(WriteTxn& txn) : txn_(txn) {}
  Result<std::optional<std::string>> GetNameRow(std::string_view key) override {
    return txn_.GetNameRow(key);
  }
  Status ScanNameRows(std::string_view prefix, const RowSource::ScanFn& fn) override {
    return txn_.ScanNameRows(prefix, fn);
  }
  Result<std::optional<PersonRecord>> LoadPerson(std::string_view ref) override {
    return txn_.LoadPerson(ref);
  }

 private:
  WriteTxn& txn_;
};

// Bytes of the UTF-8 character starting with `lead` (1 for a stray byte).
size_t CharBytes(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// The byte offsets at which the characters of `text` start.
std::vector<size_t> CharStarts(std::string_view text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); i += CharBytes(static_cast<unsigned char>(text[i]))) {
    starts.push_back(i);
  }
  return starts;
}

bool InScope(const std::vector<std::string>& villages, std::string_view village) {
  return villages.empty() || std::find(villages.begin(), villages.end(), village) != villages.end();
}

bool IsAsciiWordChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The ids indexed under exactly `name`, with their villages.
Result<std::vector<std::pair<std::string, std::string>>> IdsNamed(PeopleReader& people,
                                                                  std::string_view name) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string prefix = NameKey(name, "");
  VLEDGER_TRY(people.ScanNameRows(prefix, [&](std::string_view key, std::string_view village) {
    out.emplace_back(std::string(IdOfKey(key)), std::string(village));
    return true;
  }));
  return out;
}

// The resident `id` as find lists it; nullopt when it or its person
// record is gone.
Result<std::optional<ResidentMatch>> MatchOf(PeopleReader& people, StateStore& state,
                                             const std::string& id) {
  std::optional<ResidentRecord> r = LoadResident(state, id);
  if (!r) return std::optional<ResidentMatch>();
  VLEDGER_ASSIGN_OR_RETURN(std::optional<PersonRecord> person, people.LoadPerson(r->person_ref));
  if (!person) return std::optional<ResidentMatch>();
  ResidentMatch m{std::string(r->id),
                  person->person.name,
                  std::string(r->village),
                  std::string(r->household),
                  "",
                  person->person.birth_year,
                  r->status};
  if (auto h = LoadHousehold(state, r->household)) {
    VLEDGER_ASSIGN_OR_RETURN(std::optional<PersonRecord> head, people.LoadPerson(h->head_ref));
    m.head = head ? head->person.name : std::string(kErasedName);
  }
  return std::optional<ResidentMatch>(std::move(m));
}

// "R001 (H01, 王建国, 1970); R002 (…)": id (household, head, birth year).
Result<std::string> ChoiceList(PeopleReader& people, StateStore& state,
                               const std::vector<std::string>& ids) {
  std::string out;
  size_t listed = 0;
  for (const std::string& id : ids) {
    if (listed == kNameChoicesMax) {
      out += "; …";
      break;
    }
    VLEDGER_ASSIGN_OR_RETURN(std::optional<ResidentMatch> m, MatchOf(people, state, id));
    if (!m) continue;
    if (!out.empty()) out += "; ";
    out += m->id + " (" + m->household + ", " + (m->head.empty() ? "-" : m->head) + ", " +
           (m->birth_year ? std::to_string(m->birth_year) : "?") + ")";
    listed++;
  }
  return out;
}

// The residents whose names are closest to `text`, which names nobody:
// the same pinyin, then the same surname, length and all but one character.
Result<std::vector<std::string>> ClosestNames(PeopleReader& people, StateStore& state,
                                              std::string_view text,
                                              const std::vector<std::string>& villages) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  auto add = [&](const std::string& id) {
    if (ids.size() >= kNameChoicesMax || !seen.insert(id).second) return;
    auto r = LoadResident(state, id);
    if (r && InScope(villages, r->village)) ids.push_back(id);
  };
  Pinyin pinyin([&people](std::string_view ch) {
    return people.GetNameRow(std::string(kCharPrefix) + std::string(ch));
  });
  VLEDGER_ASSIGN_OR_RETURN(PinyinReading reading, pinyin.Of(text));
  if (!reading.full.empty()) {
    VLEDGER_TRY(people.ScanNameRows(PinyinKey(kPinyinPrefix, reading.full, ""),
                                    [&](std::string_view key, std::string_view) {
                                      add(std::string(IdOfKey(key)));
                                      return ids.size() < kNameChoicesMax;
                                    }));
  }
  std::vector<size_t> starts = CharStarts(text);
  if (starts.size() >= 2) {
    std::string surname(text.substr(0, starts[1]));
    size_t scanned = 0;
    VLEDGER_TRY(people.ScanNameRows(
        std::string(kNamePrefix) + surname, [&](std::string_view key, std::string_view) {
          std::string_view name = key.substr(kNamePrefix.size());
          name = name.substr(0, name.find('\0'));
          std::vector<size_t> other = CharStarts(name);
          if (other.size() == starts.size()) {
            size_t differing = 0;
            for (size_t i = 0; i < starts.size(); i++) {
              size_t end_a = i + 1 < starts.size() ? starts[i + 1] : text.size();
              size_t end_b = i + 1 < other.size() ? other[i + 1] : name.size();
              if (text.substr(starts[i], end_a - starts[i]) !=
                  name.substr(other[i], end_b - other[i])) {
                differing++;
              }
            }
            if (differing <= 1) add(std::string(IdOfKey(key)));
          }
          return ids.size() < kNameChoicesMax && ++scanned < 10'000;
        }));
  }
  return ids;
}

}  // namespace

std::unique_ptr<PeopleReader> PeopleReader::Of(const Ledger& ledger) {
  return std::make_unique<LedgerPeople>(ledger);
}

std::unique_ptr<PeopleReader> PeopleReader::Of(WriteTxn& txn) {
  return std::make_unique<TxnPeople>(txn);
}

Result<std::string> ResolveResident(PeopleReader& people, StateStore& state, std::string_view field,
                                    const std::string& text,
                                    const std::vector<std::string>& villages) try {
  if (text.empty() || LoadResident(state, text)) return text;
  // A reader that sees no names takes the text as an id (which the
  // command then finds or not), or refuses it as a name.
  if (Status hidden = people.CheckNamesVisible(field); !hidden.ok()) {
    if (CheckId(field, text).ok()) return text;
    return hidden;
  }
  VLEDGER_ASSIGN_OR_RETURN(auto named, IdsNamed(people, text));
  std::vector<std::string> ids;
  for (auto& [id, village] : named) {
    if (InScope(villages, village) && LoadResident(state, id)) ids.push_back(std::move(id));
  }
  if (ids.size() == 1) return ids[0];
  if (ids.size() > 1) {
    VLEDGER_ASSIGN_OR_RETURN(std::string list, ChoiceList(people, state, ids));
    return Status::Conflict(field, Msg("{0} is the name of {1} residents (id (household, head of "
                                       "household, birth year)): {2}; give the id",
                                       text, ids.size(), list));
  }
  if (CheckId(field, text).ok()) return text;
  VLEDGER_ASSIGN_OR_RETURN(std::vector<std::string> closest,
                           ClosestNames(people, state, text, villages));
  if (closest.empty()) return Status::NotFound(field, Msg("no resident is named {}", text));
  VLEDGER_ASSIGN_OR_RETURN(std::string list, ChoiceList(people, state, closest));
  return Status::NotFound(
      field, Msg("no resident is named {0}; the closest (id (household, head of household, birth "
                 "year)): {1}",
                 text, list));
} catch (...) {
  return CaughtStatus();
}

Status NameChecker::Check(PeopleReader& people, std::string_view field, std::string_view text) try {
  std::vector<size_t> starts = CharStarts(text);
  starts.push_back(text.size());
  for (size_t i = 0; i + 2 < starts.size(); i++) {
    // A Latin name counts only as whole words.
    if (IsAsciiWordChar(text[starts[i]]) && i > 0 && IsAsciiWordChar(text[starts[i] - 1])) {
      continue;
    }
    std::string pair(text.substr(starts[i], starts[i + 2] - starts[i]));
    auto it = names_by_start_.find(pair);
    if (it == names_by_start_.end()) {
      std::vector<std::string> names;
      VLEDGER_TRY(people.ScanNameRows(std::string(kNamePrefix) + pair,
                                      [&](std::string_view key, std::string_view village) {
                                        if (!InScope(villages_, village)) return true;
                                        std::string_view name = key.substr(kNamePrefix.size());
                                        name = name.substr(0, name.find('\0'));
                                        if (names.empty() || names.back() != name) {
                                          names.emplace_back(name);
                                        }
                                        return true;
                                      }));
      it = names_by_start_.emplace(std::move(pair), std::move(names)).first;
    }
    std::string_view rest = text.substr(starts[i]);
    for (const std::string& name : it->second) {
      if (!rest.starts_with(name)) continue;
      size_t end = starts[i] + name.size();
      if (IsAsciiWordChar(name.back()) && end < text.size() && IsAsciiWordChar(text[end])) {
        continue;
      }
      return Status::InvalidInput(
          field, Msg("contains {}, the name of a registered person: the text goes into the "
                     "public log (give --allow-names if it must)",
                     name));
    }
  }
  return Status::Ok();
} catch (...) {
  return CaughtStatus();
}

Status CheckNoNames(PeopleReader& people, std::string_view field, std::string_view text,
                    const std::vector<std::string>& villages) {
  return NameChecker(villages).Check(people, field, text);
}

namespace {

// Whether the index has residents whose pinyin is still to read.
Result<uint64_t> PendingPinyin(const Ledger& ledger) {
  uint64_t pending = 0;
  VLEDGER_TRY(ledger.ScanNameRows(kPinyinPendingPrefix, [&](std::string_view, std::string_view) {
    pending++;
    return true;
  }));
  return pending;
}

// Reads the pinyin the index lacks, when the ledger can be written now;
// returns how many residents still lack it (0 when read).
Result<uint64_t> ReadPendingPinyin(const Session& session, uint64_t pending) {
  auto writer = session.OpenWriter();
  if (!writer.ok()) {
    // Another writer, or a ledger this user may only read: search without.
    if (writer.status().is_storage_fault() || writer.status().code() == Code::kUnavailable) {
      return pending;
    }
    return writer.status();
  }
  VLEDGER_TRY(FillPinyin(**writer).status());
  return uint64_t{0};
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsLetters(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

}  // namespace

Result<ResidentFindResult> ResidentFind(const Session& session,
                                        const ResidentFindRequest& request) try {
  std::string text = request.text;
  while (!text.empty() && text.back() == ' ') text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(0, 1);
  if (text.empty()) return Status::InvalidInput("TEXT", "give a name, pinyin, initials or an id");
  VLEDGER_TRY(CheckText("TEXT", text, false));
  ResidentFindResult result;
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_TRY(CheckNamesVisible(*ledger, "TEXT"));
  VLEDGER_ASSIGN_OR_RETURN(uint64_t pending, PendingPinyin(*ledger));
  if (pending > 0) {
    ledger.reset();
    VLEDGER_ASSIGN_OR_RETURN(result.unread_pinyin, ReadPendingPinyin(session, pending));
    VLEDGER_ASSIGN_OR_RETURN(ledger, session.OpenReader());
  }
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  if (!request.village.empty() && !LoadVillage(*state, request.village)) {
    return Status::NotFound("--village", Msg("unknown village \"{}\"", request.village));
  }
  auto people = PeopleReader::Of(*ledger);
  std::set<std::string> seen;
  // Adds resident `id` when new and of the village asked for; false once
  // more than kFindMatchesMax matched.
  Status failed;
  auto add = [&](const std::string& id) -> bool {
    if (result.residents.size() > kFindMatchesMax || !seen.insert(id).second) return true;
    auto m = MatchOf(*people, *state, id);
    if (!m.ok()) {
      failed = m.status();
      return false;
    }
    if (!*m || (!request.village.empty() && (*m)->village != request.village)) return true;
    result.residents.push_back(std::move(**m));
    return result.residents.size() <= kFindMatchesMax;
  };
  add(text);
  if (auto h = LoadHousehold(*state, text)) {
    for (const ResidentRecord& r : ListResidents(*state, h->village)) {
      if (r.household == h->id && !add(std::string(r.id))) break;
    }
  }
  auto scan = [&](const std::string& prefix) -> Status {
    VLEDGER_TRY(people->ScanNameRows(prefix, [&](std::string_view key, std::string_view) {
      return add(std::string(IdOfKey(key)));
    }));
    return failed;
  };
  VLEDGER_TRY(scan(std::string(kNamePrefix) + text));
  if (IsLetters(text)) {
    VLEDGER_TRY(scan(std::string(kPinyinPrefix) + Lower(text)));
    VLEDGER_TRY(scan(std::string(kInitialsPrefix) + Lower(text)));
  }
  VLEDGER_TRY(failed);
  if (result.residents.size() > kFindMatchesMax) {
    result.residents.resize(kFindMatchesMax);
    result.truncated = true;
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string ResidentFindJson(const ResidentFindResult& result) {
  Json out = Json::array();
  for (const ResidentMatch& m : result.residents) {
    out.push_back(Json{{"id", m.id},
                       {"name", m.name},
                       {"village", m.village},
                       {"household", m.household},
                       {"head", m.head},
                       {"birthYear", m.birth_year ? Json(m.birth_year) : Json(nullptr)},
                       {"status", std::string(Name(m.status))}});
  }
  return Json{{"residents", out}, {"truncated", result.truncated}}.dump();
}

Result<uint64_t> RebuildNames(Ledger& writer) try { return RebuildNameIndex(writer); } catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
