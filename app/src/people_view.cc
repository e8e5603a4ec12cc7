#include "vledger/app/people_view.h"

#include <algorithm>
#include <map>
#include <memory>

#include "guard.h"
#include "internal.h"
#include "name_index.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/state.h"

namespace vledger::app {

Result<RequestKey> LoadRequestKey(const Ledger& ledger, std::string_view key_id) try {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(ledger));
  std::optional<KeyRecord> record = LoadKey(*state, key_id);
  if (!record) return Status::PermissionDenied(Msg("key {} is not registered", key_id));
  if (record->revoked_seq) {
    return Status::PermissionDenied(
        Msg("key {} was revoked at seq {}", key_id, *record->revoked_seq));
  }
  VLEDGER_ASSIGN_OR_RETURN(PublicKey public_key, PublicKey::FromRaw(record->public_key));
  return RequestKey{record->key_id, std::move(public_key), record->role, record->villages};
} catch (...) {
  return CaughtStatus();
}

PeopleView PeopleViewOf(const RequestKey* key) {
  PeopleView view;
  if (key == nullptr) return view;
  switch (key->role) {
    case Role::kAdmin:
      view.all = true;
      break;
    case Role::kCollector:
    case Role::kTreasurer:
    case Role::kReviewer:
    case Role::kAttestor:  // a certificate carries the masked name
      view.all = key->villages.empty();
      view.villages = key->villages;
      break;
    case Role::kAuditor:
    case Role::kCheckpointer:
      break;
  }
  return view;
}

namespace {

// The village whose people a person record belongs to, read from the
// reader's own projections (one StateStore per reader: a reader is one
// command's, on one thread), remembered per ref.
class VillageOfPerson {
 public:
  explicit VillageOfPerson(const Ledger& ledger) : ledger_(ledger) {}

  // "" for a donor's record, an unknown ref, or projections that do not load.
  const std::string& OfRef(std::string_view ref) {
    auto it = by_ref_.find(ref);
    if (it != by_ref_.end()) return it->second;
    std::string village;
    if (StateStore* state = State()) {
      if (auto owner = LoadPersonOwner(*state, ref)) {
        if (owner->kind == PersonOwnerKind::kResident) village = OfResident(owner->id);
        if (owner->kind == PersonOwnerKind::kHousehold) {
          if (auto h = LoadHousehold(*state, owner->id)) village = h->village;
        }
      }
    }
    return by_ref_.emplace(std::string(ref), std::move(village)).first->second;
  }

  std::string OfResident(std::string_view id) {
    StateStore* state = State();
    if (state == nullptr) return "";
    auto r = LoadResident(*state, id);
    return r ? std::string(r->village) : "";
  }

 private:
  StateStore* State() {
    if (!state_) {
      auto state = StoredState(ledger_);
      if (!state.ok()) return nullptr;
      state_ = std::move(*state);
    }
    return state_.get();
  }

  const Ledger& ledger_;
  std::unique_ptr<StateStore> state_;
  std::map<std::string, std::string, std::less<>> by_ref_;
};

}  // namespace

void ApplyPeopleView(Ledger& reader, const PeopleView& view) {
  if (view.all) return;
  Ledger::PeopleFilter filter;
  filter.none = view.nobody();
  if (!filter.none) {
    auto villages = std::make_shared<std::vector<std::string>>(view.villages);
    auto seen = [villages](std::string_view village) {
      return !village.empty() &&
             std::find(villages->begin(), villages->end(), village) != villages->end();
    };
    auto of = std::make_shared<VillageOfPerson>(reader);
    filter.person = [of, seen](std::string_view ref) { return seen(of->OfRef(ref)); };
    filter.name_row = [of, seen](std::string_view key, std::string_view value) {
      if (key.starts_with(kNamePrefix)) return seen(value);
      if (key.starts_with(kNameResidentPrefix)) {
        auto row = IndexedResident::Decode(value);
        return row && seen(row->village);
      }
      if (key.starts_with(kPinyinPrefix) || key.starts_with(kInitialsPrefix)) {
        return seen(of->OfResident(IdOfKey(key)));
      }
      // Readings of characters, and the residents whose pinyin is still
      // to read (ids only): nobody's personal data.
      return key.starts_with(kCharPrefix) || key.starts_with(kPinyinPendingPrefix);
    };
  }
  reader.SetPeopleFilter(std::move(filter));
}

Status CheckNamesVisible(const Ledger& ledger, std::string_view field) {
  const Ledger::PeopleFilter* filter = ledger.people_filter();
  if (filter == nullptr || !filter->none) return Status::Ok();
  return Status::InvalidInput(
      field, Msg("a name is looked up only for a signed request of a key that may see it"));
}

}  // namespace vledger::app
