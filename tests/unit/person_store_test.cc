// Unit tests for the person and request records of the store
// (person_store.h, request_store.h): their layouts round-trip, a person record's ref is its
// commitment, and a malformed stored row is a status, not a crash.
#include "vledger/ledger/person_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helpers.h"
#include "temp_dir.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/request_store.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"

namespace vledger {
namespace {

using testing::NewKey;
using testing::TempDir;

// Adds one event to `txn`, so that the next commit has something to seal.
void AddVillageEvent(WriteTxn& txn, const PrivateKey& key, uint64_t n) {
  Event e;
  e.recorded_at_ms = 1'600'000'000'000 + static_cast<int64_t>(n);
  e.key_id = key.key_id();
  e.request_id = "req-" + std::to_string(n);
  e.body = VillageRegistered{.code = "V" + std::to_string(n), .name = "Village"};
  std::string canonical = EncodeEvent(e);
  txn.AddEvent(canonical, std::move(e));
}

Person SomePerson() {
  Person p;
  p.name = "张三";
  p.birth_year = 1970;
  p.phone = "13800000000";
  p.birth_date = 19700101;
  return p;
}

class PersonStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Ledger> CreateLedger() {
    auto ledger = Ledger::Create(dir_.path() + "/ledger");
    VLEDGER_ASSERT(ledger.ok());
    return std::move(ledger).value();
  }

  TempDir dir_;
  PrivateKey key_ = NewKey();
};

TEST(PersonRecord, NewRecordHasAFreshSaltAndItsRefIsPersonRef) {
  PersonRecord a = NewPersonRecord(SomePerson());
  PersonRecord b = NewPersonRecord(SomePerson());
  EXPECT_EQ(a.salt.size(), kPersonSaltBytes);
  EXPECT_NE(a.salt, b.salt);
  EXPECT_EQ(a.ref(), PersonRef(a.salt, EncodePerson(a.person)));
  EXPECT_NE(a.ref(), b.ref());
}

TEST(PersonRecord, RowIsSaltThenCanonicalPersonAndDecodesBack) {
  PersonRecord record = NewPersonRecord(SomePerson());
  std::string row = record.EncodeRow();
  EXPECT_EQ(row, record.salt + EncodePerson(record.person));
  auto decoded = PersonRecord::DecodeRow(record.ref(), row);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, record);
}

TEST(PersonRecord, IdCardHashIsSha256OfSaltAndNumber) {
  PersonRecord record = NewPersonRecord(SomePerson());
  const std::string id = "11010519491231002X";
  EXPECT_EQ(record.IdCardHash(id), AsString(Sha256(record.salt + id)));
  EXPECT_NE(record.IdCardHash(id), NewPersonRecord(SomePerson()).IdCardHash(id));
}

TEST(PersonRecord, MalformedRowIsUnavailableNamingTheRef) {
  const std::string ref(32, '\x07');
  auto too_short = PersonRecord::DecodeRow(ref, "short");
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(too_short.status().code(), Code::kCorruption);
  EXPECT_NE(too_short.status().message().find(Hex(ref)), std::string::npos);
  auto garbage = PersonRecord::DecodeRow(ref, std::string(16, 's') + "not a person");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), Code::kCorruption);
  EXPECT_NE(garbage.status().message().find(Hex(ref)), std::string::npos);
}

TEST_F(PersonStoreTest, RecordRoundTripsThroughACommit) {
  auto ledger = CreateLedger();
  PersonRecord record = NewPersonRecord(SomePerson());
  record.person.id_card_hash = record.IdCardHash("110105194912310021");
  std::string ref;
  {
    auto txn = ledger->BeginWrite();
    ref = txn->PutPerson(record);
    EXPECT_EQ(ref, record.ref());
    auto pending = txn->LoadPerson(ref);
    ASSERT_TRUE(pending.ok() && pending->has_value());
    EXPECT_EQ(**pending, record);
    AddVillageEvent(*txn, key_, 0);
    ASSERT_TRUE(txn->Commit(key_).ok());
  }
  auto loaded = ledger->LoadPerson(ref);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, record);
  EXPECT_EQ((*loaded)->ref(), ref);
  auto stored = ledger->GetPerson(ref);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(**stored, record.salt + EncodePerson(record.person));  // the layout is unchanged

  auto absent = ledger->LoadPerson(std::string(32, '\0'));
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());

  std::vector<PersonRecord> scanned;
  ASSERT_TRUE(ledger
                  ->ScanPersonRecords([&](const Ledger::StoredPerson& p) {
                    EXPECT_TRUE(p.matches_ref);
                    EXPECT_EQ(p.ref, ref);
                    if (p.record.ok()) scanned.push_back(*p.record);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(scanned.size(), 1u);
  EXPECT_EQ(scanned[0], record);
}

TEST_F(PersonStoreTest, MalformedStoredRowIsUnavailableNotACrash) {
  auto ledger = CreateLedger();
  const std::string short_ref(32, '\x01'), bad_ref(32, '\x02');
  ASSERT_TRUE(
      ledger
          ->PutPersons({{short_ref, "too short"}, {bad_ref, std::string(16, 's') + "not a person"}})
          .ok());
  for (const std::string& ref : {short_ref, bad_ref}) {
    auto loaded = ledger->LoadPerson(ref);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().is_storage_fault(), true);
    EXPECT_NE(loaded.status().message().find(Hex(ref)), std::string::npos);
    auto txn = ledger->BeginWrite();
    EXPECT_FALSE(txn->LoadPerson(ref).ok());
  }
  int rows = 0;
  ASSERT_TRUE(ledger
                  ->ScanPersonRecords([&](const Ledger::StoredPerson& p) {
                    rows++;
                    EXPECT_FALSE(p.matches_ref);
                    EXPECT_FALSE(p.record.ok());
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(rows, 2);
}

TEST_F(PersonStoreTest, RestorePersonsWritesTheArchiveBytes) {
  auto ledger = CreateLedger();
  PersonRecord record = NewPersonRecord(SomePerson());
  ASSERT_TRUE(
      ledger
          ->RestorePersons({ArchivePerson{record.ref(), record.salt, EncodePerson(record.person)}})
          .ok());
  auto loaded = ledger->LoadPerson(record.ref());
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ(**loaded, record);
}

TEST_F(PersonStoreTest, RequestRecordRoundTrips) {
  auto ledger = CreateLedger();
  const RequestRecord record{"award R1 5", R"({"seq":0,"last":0})", key_.key_id()};
  {
    auto txn = ledger->BeginWrite();
    auto none = txn->LoadRequest("r1");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    txn->StoreRequest("r1", record);
    AddVillageEvent(*txn, key_, 0);
    ASSERT_TRUE(txn->Commit(key_).ok());
  }
  auto row = ledger->GetRequestRow(RequestKey("r1"));
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ(**row, EncodeRequestRecord(record));
  EXPECT_EQ(RequestKey("r1"), "req/r1");
  auto txn = ledger->BeginWrite();
  auto loaded = txn->LoadRequest("r1");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, record);
}

TEST_F(PersonStoreTest, OldRequestRecordReadsWithAnEmptyKeyId) {
  auto ledger = CreateLedger();
  {
    auto txn = ledger->BeginWrite();
    // The layout before records kept their key: fingerprint and result only.
    txn->PutRequestRow("req/old", RecordWriter().Str("fp").Str(R"({"seq":0})").Take());
    txn->PutRequestRow("req/bad", "\xff");
    AddVillageEvent(*txn, key_, 0);
    ASSERT_TRUE(txn->Commit(key_).ok());
  }
  auto txn = ledger->BeginWrite();
  auto old = txn->LoadRequest("old");
  ASSERT_TRUE(old.ok()) << old.status().message();
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ(**old, (RequestRecord{"fp", R"({"seq":0})", ""}));
  auto bad = txn->LoadRequest("bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().is_storage_fault(), true);
  EXPECT_EQ(bad.status().message(), "the record of request id \"bad\" is damaged");
}

TEST_F(PersonStoreTest, ImportRecordAndImportedRowsRoundTrip) {
  auto ledger = CreateLedger();
  const std::string ids = std::string(16, 'a') + std::string(16, 'b');
  {
    auto txn = ledger->BeginWrite();
    auto none = txn->LoadImport("jan");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    txn->StoreImport("jan", ImportRecord{"ab12", true});
    txn->StoreImport("feb", ImportRecord{"cd34", false});
    txn->StoreImportedRows("jan", 7, ids);
    AddVillageEvent(*txn, key_, 0);
    ASSERT_TRUE(txn->Commit(key_).ok());
  }
  auto row = ledger->GetRequestRow("imp/jan");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ(**row, RecordWriter().Str("ab12").Bool(true).Take());
  row = ledger->GetRequestRow("imr/jan/" + U64be(7));
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ(**row, ids);

  auto txn = ledger->BeginWrite();
  auto jan = txn->LoadImport("jan");
  ASSERT_TRUE(jan.ok() && jan->has_value());
  EXPECT_EQ(**jan, (ImportRecord{"ab12", true}));
  std::vector<std::string> labels;
  ASSERT_TRUE(ledger
                  ->ScanImports([&](std::string_view label, const ImportRecord&) {
                    labels.emplace_back(label);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(labels, (std::vector<std::string>{"feb", "jan"}));
  auto imported = ledger->LoadImportedRows("jan");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->size(), 2u);
  EXPECT_EQ(imported->at(std::string(16, 'b')), 7u);
  auto other = ledger->LoadImportedRows("ja");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

TEST_F(PersonStoreTest, DamagedImportRowsAreUnavailable) {
  auto ledger = CreateLedger();
  {
    auto txn = ledger->BeginWrite();
    txn->PutRequestRow("imp/bad", "\xff");
    txn->PutRequestRow("imr/bad/" + U64be(1), "not 16");
    AddVillageEvent(*txn, key_, 0);
    ASSERT_TRUE(txn->Commit(key_).ok());
  }
  Status scan = ledger->ScanImports([](std::string_view, const ImportRecord&) { return true; });
  EXPECT_EQ(scan.is_storage_fault(), true);
  EXPECT_EQ(scan.message(), "import record of \"bad\" is damaged");
  auto txn = ledger->BeginWrite();
  EXPECT_EQ(txn->LoadImport("bad").status().is_storage_fault(), true);
  auto imported = ledger->LoadImportedRows("bad");
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.status().message(), "import progress row of \"bad\" is damaged");
}

}  // namespace
}  // namespace vledger
