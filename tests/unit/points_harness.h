// Test harness for the points tests: a real ledger in a temp folder whose
// events go through ApplyEvent and are committed one per command, with
// keys by name; it counts the rows a rejected event left pending (none: a
// handler validates before it writes).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "temp_dir.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/apply.h"
#include "vledger/projections/state.h"

namespace vledger::testing {

namespace fs = std::filesystem;

inline constexpr int64_t kNowMs = 1632996000000;  // 2021-09-30T10:00:00Z, 18:00 CST
inline constexpr const char* kToday = "2021-09-30";

// The person records RefOf made, as the person store keeps them: salt ||
// C(Person), by personRef.
inline std::map<std::string, std::string>& PersonRows() {
  static std::map<std::string, std::string> rows;
  return rows;
}

// The personRef of a person record named `what` (a valid commitment, with a
// salt of its own); Append stores the record with the event that names it,
// as the CLI does.
inline std::string RefOf(const std::string& what) {
  std::string salt = AsString(Sha256("salt:" + what)).substr(0, 16);
  Person person;
  person.name = what;
  std::string record = EncodePerson(person);
  std::string ref = PersonRef(salt, record);
  PersonRows()[ref] = salt + record;
  return ref;
}

class TestLedger {
 public:
  // `monotonic_time`: the genesis says recorded times never go backwards,
  // as every ledger made by `init` now does (the default is a ledger made
  // before that flag existed).
  explicit TestLedger(bool monotonic_time = false) {
    auto ledger = Ledger::Create(dir_.path() + "/ledger");
    VLEDGER_ASSERT(ledger.ok());
    ledger_ = std::move(ledger).value();
    auto admin = PrivateKey::Generate();
    VLEDGER_ASSERT(admin.ok());
    std::string raw = admin->public_key().raw();
    ids_["admin"] = admin->key_id();
    keys_.emplace("admin", std::move(admin).value());
    Must("admin", Genesis{.name = "测试",
                          .origin = "vledger/test",
                          .public_key = raw,
                          .monotonic_time = monotonic_time});
  }

  Ledger& ledger() { return *ledger_; }
  uint64_t size() const { return ledger_->size(); }
  const std::string& key_id(const std::string& name) { return ids_[name]; }
  // Writes a rejected event attempted, summed over all rejections.
  size_t rejected_writes() const { return rejected_writes_; }

  // Registers a key `name` with a role and village scope.
  void AddKey(const std::string& name, const std::string& role, std::vector<std::string> villages) {
    auto key = PrivateKey::Generate();
    VLEDGER_ASSERT(key.ok());
    Must("admin", KeyRegistered{key->public_key().raw(), role, std::move(villages), name});
    ids_[name] = key->key_id();
    keys_.emplace(name, std::move(key).value());
  }

  // Applies `body` as the next event by key `who` and commits it; on a
  // rejection nothing is committed.
  Status Append(const std::string& who, EventBody body, int64_t now_ms = kNowMs) {
    const PrivateKey& key = keys_.at(who);
    Event event;
    event.recorded_at_ms = now_ms;
    event.key_id = key.key_id();
    event.body = std::move(body);
    auto txn = ledger_->BeginWrite();
    WriteTxn* t = txn.get();
    StateStore state(ledger_->Rows(), [t](uint64_t seq) { return t->ReadEvent(seq); });
    uint64_t seq = txn->next_seq();
    Status st = ApplyEvent(state, seq, event);
    if (!st.ok()) {
      rejected_writes_ += state.PendingChanges();
      txn->Abort();
      return st;
    }
    for (const std::string* ref : PersonRefs(event.body)) {
      auto row = PersonRows().find(*ref);
      if (row != PersonRows().end()) txn->PutPerson(*ref, row->second);
    }
    std::string canonical = EncodeEvent(event);
    txn->AddEvent(std::move(canonical), std::move(event));
    state.TakeWrites(
        [t](const std::string& k, const std::optional<std::string>& v) { t->PutRow(k, v); });
    auto commit = txn->Commit(key);
    if (!commit.ok()) return commit.status();
    return Status::Ok();
  }

  void Must(const std::string& who, EventBody body) {
    std::string type = EventTypeName(body);
    Status st = Append(who, std::move(body));
    ASSERT_TRUE(st.ok()) << type << ": " << st.message();
  }

  // The live projection rows.
  std::unique_ptr<StateStore> View() {
    auto state = StoredState(*ledger_);
    VLEDGER_ASSERT(state.ok());
    return std::move(state).value();
  }

 private:
  static std::vector<const std::string*> PersonRefs(const EventBody& body) {
    if (const auto* r = std::get_if<ResidentRegistered>(&body)) return {&r->person_ref};
    if (const auto* h = std::get_if<HouseholdRegistered>(&body)) return {&h->head_ref};
    if (const auto* d = std::get_if<DonationReceived>(&body)) return {&d->donor_ref};
    return {};
  }

  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::map<std::string, PrivateKey> keys_;
  std::map<std::string, std::string> ids_;
  size_t rejected_writes_ = 0;
};

}  // namespace vledger::testing
