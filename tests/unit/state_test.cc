// Unit tests for the projection state (state.h): plain rows over the stored
// ones, entity tables loaded as needed and written once, index rows, and
// the rows of a replayed state in key order.
#include "vledger/projections/state.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "temp_dir.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/small_bytes.h"

namespace vledger {
namespace {

using testing::TempDir;

namespace fs = std::filesystem;
using Rows = std::vector<std::pair<std::string, std::string>>;

Rows ScanAll(StateStore& state, std::string_view prefix) {
  Rows rows;
  state.Scan(prefix, [&](std::string_view k, std::string_view v) {
    rows.emplace_back(std::string(k), std::string(v));
    return true;
  });
  return rows;
}

Rows Stored(const Ledger& ledger) {
  Rows rows;
  Status st = ledger.ScanState("", [&](std::string_view k, std::string_view v) {
    rows.emplace_back(std::string(k), std::string(v));
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return rows;
}

Result<Event> NoEvents(uint64_t seq) { return Status::NotFound(Msg("no event {}", seq)); }

// A real ledger whose commits carry the rows a StateStore staged.
class StateTest : public ::testing::Test {
 protected:
  StateTest() {
    auto key = PrivateKey::Generate();
    VLEDGER_ASSERT(key.ok());
    key_.emplace(std::move(key).value());
    auto ledger = Ledger::Create(tmp_.path() + "/ledger");
    VLEDGER_ASSERT(ledger.ok());
    ledger_ = std::move(ledger).value();
  }

  std::unique_ptr<StateStore> Live() {
    return std::make_unique<StateStore>(ledger_->Rows(), NoEvents);
  }

  // Commits one event with every row `state` changed.
  void Commit(StateStore& state) {
    auto txn = ledger_->BeginWrite();
    Event e;
    e.recorded_at_ms = 1'600'000'000'000 + static_cast<int64_t>(n_);
    e.key_id = key_->key_id();
    e.body = VillageRegistered{"V" + std::to_string(n_), "村"};
    n_++;
    txn->AddEvent(EncodeEvent(e), e);
    state.TakeWrites(
        [&](const std::string& k, const std::optional<std::string>& v) { txn->PutRow(k, v); });
    ASSERT_TRUE(txn->Commit(*key_).ok());
  }

  TempDir tmp_;
  std::optional<PrivateKey> key_;
  std::unique_ptr<Ledger> ledger_;
  uint64_t n_ = 0;
};

TEST_F(StateTest, PlainRowsOverlayTheStoredOnesUntilTheCommit) {
  {
    auto state = Live();
    for (auto [k, v] : Rows{{"r/a", "1"}, {"r/b", "2"}, {"r/c", "3"}, {"r/e", "5"}, {"s/x", "x"}}) {
      state->Put(k, v);
    }
    Commit(*state);
  }
  auto state = Live();
  state->Put("r/b", "20");  // shadows a stored row
  state->Delete("r/c");     // hides a stored row
  state->Put("r/d", "4");   // between stored ones
  state->Put("r/0", "0");   // before them
  state->Delete("r/zz");    // deleting an absent row is harmless
  state->Put("q", "outside the prefix");
  EXPECT_EQ(state->Get("r/a").value_or(""), "1");
  EXPECT_EQ(state->Get("r/b").value_or(""), "20");
  EXPECT_FALSE(state->Get("r/c").has_value());
  EXPECT_FALSE(state->Get("r/zz").has_value());
  Rows merged{{"r/0", "0"}, {"r/a", "1"}, {"r/b", "20"}, {"r/d", "4"}, {"r/e", "5"}};
  EXPECT_EQ(ScanAll(*state, "r/"), merged);
  EXPECT_EQ(ScanAll(*state, "s/"), (Rows{{"s/x", "x"}}));
  EXPECT_TRUE(ScanAll(*state, "nothing").empty());
  Rows first_two;
  state->Scan("r/", [&](std::string_view k, std::string_view v) {
    first_two.emplace_back(std::string(k), std::string(v));
    return first_two.size() < 2;
  });
  EXPECT_EQ(first_two, (Rows{{"r/0", "0"}, {"r/a", "1"}}));
  // Nothing is stored before the commit; then the stored rows are the merge,
  // and the state (reused) reads them back.
  EXPECT_EQ(Stored(*ledger_).size(), 5u);
  Commit(*state);
  EXPECT_EQ(ScanAll(*state, "r/"), merged);
  Rows all = merged;
  all.insert(all.begin(), {"q", "outside the prefix"});
  all.emplace_back("s/x", "x");
  EXPECT_EQ(Stored(*ledger_), all);
  // A row put after a delete is back.
  state->Delete("q");
  state->Put("q", "again");
  EXPECT_EQ(state->Get("q").value_or(""), "again");
  EXPECT_EQ(state->PendingChanges(), 1u);
}

TEST_F(StateTest, ARowReadOnceIsReadAgainAfterItsCommitChangedIt) {
  auto state = Live();
  EXPECT_FALSE(state->Get("bal/R1").has_value());  // read and remembered absent
  state->Put("bal/R1", "5");
  Commit(*state);
  EXPECT_EQ(state->Get("bal/R1").value_or(""), "5");
  state->Delete("bal/R1");
  Commit(*state);
  EXPECT_FALSE(state->Get("bal/R1").has_value());
  EXPECT_EQ(state->PendingChanges(), 0u);
}

TEST_F(StateTest, EntitiesLoadOnceAndAreWrittenWhenChanged) {
  {
    auto state = Live();
    StoreVillage(*state, VillageRecord{"V1", "一村"});
    StoreVillage(*state, VillageRecord{"V2", "二村"});
    EXPECT_EQ(state->PendingChanges(), 2u);
    Commit(*state);
  }
  Rows stored = Stored(*ledger_);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].first, "village/V1");
  EXPECT_EQ(VillageState::DecodeRow("V1", stored[0].second).rec.name, "一村");

  auto state = Live();
  const VillageState* v1 = FindVillage(*state, "V1");
  ASSERT_NE(v1, nullptr);
  EXPECT_EQ(FindVillage(*state, "V1"), v1);  // the same entity, not a copy
  EXPECT_EQ(FindVillage(*state, "V9"), nullptr);
  EXPECT_EQ(state->PendingChanges(), 0u);  // reading changes nothing
  MutableVillage(*state, "V2")->issued_pt = -7;
  EXPECT_EQ(state->PendingChanges(), 1u);
  Commit(*state);
  // A commit leaves the entity clean: changed again, it is written again.
  EXPECT_EQ(state->PendingChanges(), 0u);
  MutableVillage(*state, "V2")->expired_pt = 3;
  EXPECT_EQ(state->PendingChanges(), 1u);
  Commit(*state);
  auto fresh = Live();
  EXPECT_EQ(FindVillage(*fresh, "V2")->issued_pt, -7);
  EXPECT_EQ(FindVillage(*fresh, "V2")->expired_pt, 3);
  EXPECT_EQ(FindVillage(*fresh, "V1")->issued_pt, 0);
  std::vector<std::string> ids;
  fresh->table<VillageState>().ForEach(
      [&](std::string_view id, const VillageState&) { ids.emplace_back(id); });
  EXPECT_EQ(ids, (std::vector<std::string>{"V1", "V2"}));
}

TEST_F(StateTest, PrefetchLoadsStoredEntitiesInOneRead) {
  {
    auto state = Live();
    StoreVillage(*state, VillageRecord{"V1", "一村"});
    StoreVillage(*state, VillageRecord{"V3", "三村"});
    Commit(*state);
  }
  auto state = Live();
  state->table<VillageState>().Prefetch({"V3", "V2", "V1", "V3"});
  EXPECT_EQ(FindVillage(*state, "V1")->rec.name, "一村");
  EXPECT_EQ(FindVillage(*state, "V2"), nullptr);
  EXPECT_EQ(FindVillage(*state, "V3")->rec.name, "三村");
}

// The person owners are kept by the refs themselves (32 bytes) and stored
// under their lowercase hex: every way in and out of the table maps one to
// the other, and a row key that is not lowercase hex is damage.
TEST_F(StateTest, PersonOwnersAreKeptByRefAndStoredUnderItsHex) {
  const std::string low(32, '\x01'), high(32, '\xfe'), mid = std::string(31, '\x7f') + "\xa0";
  {
    auto state = Live();
    StorePersonOwner(*state, high, PersonOwner{.id = "R2", .kind = PersonOwnerKind::kResident});
    StorePersonOwner(*state, low, PersonOwner{.id = "R1", .kind = PersonOwnerKind::kResident});
    StorePersonOwner(*state, mid, PersonOwner{.id = "7", .kind = PersonOwnerKind::kDonor});
    Commit(*state);
  }
  Rows stored = Stored(*ledger_);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].first, "pref/" + Hex(low));
  EXPECT_EQ(stored[1].first, "pref/" + Hex(mid));
  EXPECT_EQ(stored[2].first, "pref/" + Hex(high));
  EXPECT_EQ(PersonOwner::DecodeRow(Hex(high), stored[2].second).id, "R2");

  auto state = Live();
  EXPECT_EQ(LoadPersonOwner(*state, high)->id, "R2");  // one row read
  EXPECT_FALSE(LoadPersonOwner(*state, std::string(32, '\x02')).has_value());
  std::vector<std::string> ids;
  state->table<PersonOwner>().ForEach(
      [&](std::string_view id, const PersonOwner&) { ids.emplace_back(id); });
  EXPECT_EQ(ids, (std::vector<std::string>{low, mid, high}));

  // Prefetched by point reads and by the scan a large prefetch takes.
  for (size_t many : {size_t{3}, Table<PersonOwner>::kPrefetchScanMin}) {
    auto fresh = Live();
    std::vector<std::string> refs{high, low, mid};
    for (size_t i = refs.size(); i < many; i++)
      refs.emplace_back(AsView(Sha256(std::to_string(i))));
    fresh->table<PersonOwner>().Prefetch(refs);
    EXPECT_EQ(LoadPersonOwner(*fresh, low)->id, "R1") << many;
    EXPECT_EQ(LoadPersonOwner(*fresh, mid)->id, "7") << many;
    EXPECT_EQ(LoadPersonOwner(*fresh, high)->id, "R2") << many;
  }

  // A replay lists its rows under the hex, in key order.
  StateStore replay(static_cast<RowSource*>(nullptr), NoEvents);
  StorePersonOwner(replay, high, PersonOwner{.id = "R2", .kind = PersonOwnerKind::kResident});
  StorePersonOwner(replay, low, PersonOwner{.id = "R1", .kind = PersonOwnerKind::kResident});
  std::vector<std::string> keys;
  replay.ForEachRow([&](std::string_view k, std::string_view) { keys.emplace_back(k); });
  EXPECT_EQ(keys, (std::vector<std::string>{"pref/" + Hex(low), "pref/" + Hex(high)}));

  // A key in capitals (or not hex at all) is not one the table wrote.
  for (const std::string& bad : {"pref/" + std::string(64, 'A'), std::string("pref/zz")}) {
    auto writer = Live();
    writer->Put(bad, stored[0].second);
    Commit(*writer);
    auto reader = Live();
    try {
      reader->table<PersonOwner>().ForEach([](std::string_view, const PersonOwner&) {});
      ADD_FAILURE() << bad << " was read";
    } catch (const RowReadError& e) {
      EXPECT_EQ(e.status().code(), Code::kCorruption) << bad;
      EXPECT_NE(e.status().message().find(bad), std::string::npos) << e.status().message();
    }
    writer->Delete(bad);
    Commit(*writer);
  }
}

// A pass over every resident's brief reads the stored rows it has not
// loaded, and takes those in memory (changed or new since the rows were
// stored) from memory, each resident once.
TEST_F(StateTest, BriefsAreTheStoredRowsOverlaidByTheEntitiesInMemory) {
  auto resident = [](const std::string& id, const std::string& village, int64_t score) {
    ResidentState r;
    r.rec.id = id;
    r.rec.village = village;
    r.bal.credit_score = score;
    r.bal.spendable = score - 1;
    return r;
  };
  {
    auto state = Live();
    for (int i = 1; i <= 3; i++) {
      state->table<ResidentState>().Insert("R" + std::to_string(i),
                                           resident("R" + std::to_string(i), "V1", i));
    }
    Commit(*state);
  }
  auto state = Live();
  FindResident(*state, "R3");  // loaded, unchanged
  state->table<ResidentState>().Mutable("R2")->bal.credit_score = 20;
  state->table<ResidentState>().Insert("R4", resident("R4", "V2", 4));
  std::map<std::string, std::pair<std::string, int64_t>> seen;
  int calls = 0;
  ForEachResidentBrief(*state, [&](const ResidentState::Brief& b) {
    calls++;
    seen[std::string(b.id)] = {std::string(b.village), b.bal.credit_score};
    if (b.id == "R1") {
      EXPECT_EQ(b.bal.spendable, 0);
    }
  });
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(seen,
            (std::map<std::string, std::pair<std::string, int64_t>>{
                {"R1", {"V1", 1}}, {"R2", {"V1", 20}}, {"R3", {"V1", 3}}, {"R4", {"V2", 4}}}));

  StateStore replay(nullptr, NoEvents);
  replay.table<ResidentState>().Put("R9", resident("R9", "V9", 9));
  calls = 0;
  ForEachResidentBrief(replay, [&](const ResidentState::Brief& b) {
    calls++;
    EXPECT_EQ(b.id, "R9");
    EXPECT_EQ(b.bal.credit_score, 9);
  });
  EXPECT_EQ(calls, 1);
}

// A resident with its record and balances filled.
ResidentState SampleResident(std::string person_ref) {
  ResidentState r;
  r.rec.id = "R1";
  r.rec.village = "V1";
  r.rec.household = "H1";
  r.rec.person_ref = std::move(person_ref);
  r.bal = PointsBalance{40, 30, 5, 5};
  return r;
}

// DecodeBrief reads a resident row without copying it: it refuses the rows
// DecodeRow refuses, every truncation and every one-bit change of a row
// with each field filled, and reads the same fields from the others.
TEST(ResidentRow, TheBriefRefusesWhatTheFullDecodeRefuses) {
  ResidentState r = SampleResident(std::string(32, 'p'));
  r.rec.adult = true;
  r.rec.seq = 300;
  r.rare.mut().households = {{"H0", 2}, {"H1", 200}};
  r.lots = std::string("\x85\x01\x01\x86\x01\x1b", 6);      // (133, 1), (134, 27)
  r.turnover = std::string("\x01\x00\x0a\x02\x01\x1e", 6);  // (1, 0, 10), (2, 1, 30)
  r.rare.mut().caps = {CapUse{"VOL", "2021Q3", 6}};
  r.rare.mut().paid_fen = {{"F1", 1200}};
  r.recent = std::string("\x90\x02\x01", 3);
  r.rare.mut().hist_chunks = 1;
  r.rare.mut().hist_chain.fill(7);
  const std::string row = r.EncodeRow();
  auto full = [](const std::string& bytes) -> std::optional<ResidentState> {
    try {
      return ResidentState::DecodeRow("R1", bytes);
    } catch (const RowReadError&) {
      return std::nullopt;
    }
  };
  auto brief = [](const std::string& bytes) -> std::optional<ResidentState::Brief> {
    try {
      return ResidentState::DecodeBrief("R1", bytes);
    } catch (const RowReadError&) {
      return std::nullopt;
    }
  };
  auto same = [&](const std::string& bytes) {
    std::optional<ResidentState> f = full(bytes);
    std::optional<ResidentState::Brief> b = brief(bytes);
    if (f.has_value() != b.has_value()) return false;
    if (!f) return true;
    return b->id == f->rec.id && b->village == f->rec.village &&
           b->person_ref == f->rec.person_ref && b->bal.credit_score == f->bal.credit_score &&
           b->bal.spendable == f->bal.spendable && b->bal.redeemed == f->bal.redeemed &&
           b->bal.expired == f->bal.expired;
  };
  ASSERT_TRUE(brief(row).has_value());
  EXPECT_EQ(brief(row)->bal.credit_score, 40);
  EXPECT_EQ(brief(row)->village, "V1");
  int refused = 0;
  for (size_t n = 0; n < row.size(); n++) {
    EXPECT_TRUE(same(row.substr(0, n))) << "truncated to " << n;
    refused += !full(row.substr(0, n));
  }
  EXPECT_TRUE(same(row + "x"));
  EXPECT_FALSE(brief(row + "x").has_value());
  for (size_t i = 0; i < row.size(); i++) {
    for (int bit = 0; bit < 8; bit++) {
      std::string flipped = row;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      EXPECT_TRUE(same(flipped)) << "byte " << i << " bit " << bit;
      refused += !full(flipped);
    }
  }
  EXPECT_GT(refused, static_cast<int>(row.size()));  // the checks were met
}

// A resident's person ref is kept in place (InlineRef): 32 bytes or none.
// A row holding a ref of any other length is refused by both decodes,
// not cut to fit.
TEST(ResidentRow, APersonRefIsThirtyTwoBytesOrNone) {
  const std::string ref = "0123456789abcdef0123456789ABCDEF";
  ResidentState r = SampleResident(ref);
  EXPECT_EQ(r.rec.person_ref.view(), ref);
  const std::string row = r.EncodeRow();
  EXPECT_EQ(ResidentState::DecodeRow("R1", row).rec.person_ref.view(), ref);
  EXPECT_EQ(ResidentState::DecodeBrief("R1", row).person_ref, ref);
  ResidentState none = SampleResident("");
  EXPECT_TRUE(ResidentState::DecodeRow("R1", none.EncodeRow()).rec.person_ref.empty());
  // The same row with a ref of 31 or 33 bytes (its length's varint and the
  // bytes), the fields after it as they were.
  size_t at = row.find(std::string(1, '\x20') + ref);
  ASSERT_NE(at, std::string::npos);
  for (const std::string& other : {ref.substr(0, 31), ref + "x", ref.substr(0, 16)}) {
    std::string bad = row;
    bad.replace(at, 1 + ref.size(), std::string(1, static_cast<char>(other.size())) + other);
    EXPECT_THROW(ResidentState::DecodeRow("R1", bad), RowReadError) << other.size();
    EXPECT_THROW(ResidentState::DecodeBrief("R1", bad), RowReadError) << other.size();
  }
}

// A household head's ref is kept in place too: a row whose ref is not 32
// bytes (or none) is refused.
TEST(HouseholdRow, AHeadRefIsThirtyTwoBytesOrNone) {
  const std::string ref(32, 'h');
  HouseholdState h;
  h.rec.id = "H1";
  h.rec.village = "V1";
  h.rec.head_ref = ref;
  h.rec.seq = 4;
  const std::string row = h.EncodeRow();
  HouseholdState back = HouseholdState::DecodeRow("H1", row);
  EXPECT_EQ(back.rec.head_ref.view(), ref);
  EXPECT_EQ(back.EncodeRow(), row);
  size_t at = row.find(std::string(1, '\x20') + ref);
  ASSERT_NE(at, std::string::npos);
  for (size_t n : {size_t{31}, size_t{33}}) {
    std::string bad = row;
    bad.replace(at, 1 + ref.size(), std::string(1, static_cast<char>(n)) + std::string(n, 'h'));
    EXPECT_THROW(HouseholdState::DecodeRow("H1", bad), RowReadError) << n;
  }
}

TEST(ResidentRow, WhatFewResidentsHaveIsKeptOnlyForThoseThatHaveIt) {
  ResidentState plain = SampleResident(std::string(32, 'p'));
  plain.lots = std::string("\x85\x01\x1e", 3);
  const std::string plain_row = plain.EncodeRow();
  ResidentState decoded = ResidentState::DecodeRow("R1", plain_row);
  EXPECT_FALSE(decoded.rare.allocated());
  EXPECT_TRUE(decoded.rare->households.empty());
  EXPECT_EQ(CapUsage(decoded, "VOL", "2021Q3"), 0);
  AddCapUsage(decoded, "VOL", "2021Q3", 0);  // no use: nothing to keep
  EXPECT_FALSE(decoded.rare.allocated());
  EXPECT_EQ(decoded.EncodeRow(), plain_row);

  // A resident that has them: decoded, copied (a copy of its own) and
  // written back byte for byte.
  ResidentState moved = plain;
  moved.rare.mut().households = {{"H0", 2}, {"H1", 200}};
  AddCapUsage(moved, "VOL", "2021Q3", 6);
  moved.rare.mut().paid_fen = {{"F1", 1200}};
  moved.rare.mut().hist_chunks = 2;
  moved.rare.mut().hist_chain.fill(3);
  const std::string moved_row = moved.EncodeRow();
  EXPECT_NE(moved_row, plain_row);
  ResidentState again = ResidentState::DecodeRow("R1", moved_row);
  ASSERT_TRUE(again.rare.allocated());
  EXPECT_EQ(again.EncodeRow(), moved_row);
  EXPECT_EQ(HouseholdAt(again, 100), "H0");
  EXPECT_EQ(HouseholdAt(again, 200), "H1");
  EXPECT_EQ(CapUsage(again, "VOL", "2021Q3"), 6);
  EXPECT_EQ(again.rare->hist_chunks, 2u);
  EXPECT_EQ(again.rare->hist_chain, moved.rare->hist_chain);
  ResidentState copy = again;
  AddCapUsage(copy, "VOL", "2021Q3", -6);
  copy.rare.mut().paid_fen.clear();
  EXPECT_EQ(CapUsage(copy, "VOL", "2021Q3"), 0);
  EXPECT_EQ(CapUsage(again, "VOL", "2021Q3"), 6);
  EXPECT_EQ(again.EncodeRow(), moved_row);
  copy = again;
  EXPECT_EQ(copy.EncodeRow(), moved_row);
  EXPECT_FALSE(plain.rare.allocated());
}

TEST(StateReplay, KeepsEverythingInMemoryAndListsRowsInKeyOrder) {
  StateStore state(static_cast<RowSource*>(nullptr), NoEvents);
  EXPECT_TRUE(state.replay());
  state.Put("b", "2");
  state.Put("a", "1");
  state.Put("zz", "last");
  state.Put("c", "3");
  state.Delete("c");
  state.Delete("absent");
  StoreVillage(state, VillageRecord{"V2", "二村"});
  StoreVillage(state, VillageRecord{"V1", "一村"});
  RuleRecord rule;
  rule.code = "R";
  rule.category = "类";
  StoreRule(state, rule);
  EXPECT_EQ(ScanAll(state, ""), (Rows{{"a", "1"}, {"b", "2"}, {"zz", "last"}}));
  std::vector<std::string> keys;
  state.ForEachRow([&](std::string_view k, std::string_view) { keys.emplace_back(k); });
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "rule/R", "village/V1", "village/V2", "zz"}));
  EXPECT_EQ(state.ReadEvent(4).status().code(), Code::kNotFound);

  // A key range: the rows from `from` on and before `to` (none: to the
  // end), whether the bounds fall between tables, inside one, or among
  // the plain rows; ranges that meet give every row once, in order.
  auto range = [&](std::string_view from, std::string_view to) {
    std::vector<std::string> got;
    state.ForEachRow([&](std::string_view k, std::string_view) { got.emplace_back(k); }, from, to);
    return got;
  };
  EXPECT_EQ(range("", "rule/"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(range("rule/", "village/"), (std::vector<std::string>{"rule/R"}));
  EXPECT_EQ(range("village/", ""), (std::vector<std::string>{"village/V1", "village/V2", "zz"}));
  EXPECT_EQ(range("village/V2", "zz"), (std::vector<std::string>{"village/V2"}));
  EXPECT_EQ(range("b", "village/V2"), (std::vector<std::string>{"b", "rule/R", "village/V1"}));
  EXPECT_EQ(range("village/V10", "village/V9"), (std::vector<std::string>{"village/V2"}));
  EXPECT_TRUE(range("zzz", "").empty());
  for (const std::vector<std::string_view>& splits :
       std::vector<std::vector<std::string_view>>{{"pref/", "res/"}, {"b", "village/V2"}, {"a"}}) {
    std::vector<std::string> joined;
    for (size_t i = 0; i <= splits.size(); i++) {
      for (std::string& k : range(i == 0 ? "" : splits[i - 1], i < splits.size() ? splits[i] : ""))
        joined.push_back(std::move(k));
    }
    EXPECT_EQ(joined, keys);
  }
}

// IdMap finds every id added, no other, and keeps each entry where it was
// added however much the index grows.
TEST(IdMap, FindsWhatWasAddedAndEntriesStayPut) {
  IdMap<int> map;
  EXPECT_EQ(map.Find("R000000"), nullptr);
  auto* first = map.Add("R000000", 0);
  constexpr int kIds = 100'000;
  for (int i = 1; i < kIds; i++) {
    char id[16];
    snprintf(id, sizeof id, "R%06d", i);
    ASSERT_EQ(map.Find(id), nullptr) << id;
    map.Add(id, i);
  }
  map.Add("", -1);  // an empty id is an id like any other
  EXPECT_EQ(map.size(), size_t{kIds} + 1);
  EXPECT_EQ(map.Find("R000000"), first);
  EXPECT_EQ(first->second, 0);
  for (int i = 0; i < kIds; i++) {
    char id[16];
    snprintf(id, sizeof id, "R%06d", i);
    const auto* e = map.Find(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_EQ(e->first.view(), id);
    EXPECT_EQ(e->second, i);
  }
  EXPECT_EQ(map.Find("")->second, -1);
  EXPECT_EQ(map.Find("R100000"), nullptr);
  EXPECT_EQ(map.Find("R00000"), nullptr);
  EXPECT_EQ(map.Find(std::string("R000000\0", 8)), nullptr);
  int n = 0;
  for (const auto& [id, value] : map) {
    EXPECT_EQ(value, n < kIds ? n : -1);  // in the order added
    n++;
  }
  EXPECT_EQ(n, kIds + 1);
}

// An index dropped (DropIndex: a replayed state whose rows are written
// next) leaves every entry listed in the order added, and a lookup or an
// addition after it is an internal error, not a silent miss.
TEST(IdMap, ADroppedIndexListsEveryEntryAndFindsNone) {
  IdMap<int> map;
  constexpr int kIds = 5'000;
  for (int i = 0; i < kIds; i++) map.Add("R" + std::to_string(100'000 + i), i);
  map.DropIndex();
  EXPECT_EQ(map.size(), size_t{kIds});
  int n = 0;
  for (const auto& [id, value] : map) {
    EXPECT_EQ(std::string_view(id), "R" + std::to_string(100'000 + n));
    EXPECT_EQ(value, n++);
  }
  EXPECT_EQ(n, kIds);
  map.PrefetchSlot("R100000");  // hints are no lookups: nothing to do
  EXPECT_EQ(map.FindFirstProbe("R100000"), nullptr);
  EXPECT_EXIT(map.Find("R100000"), ::testing::ExitedWithCode(5), "assertion failed");
  EXPECT_EXIT(map.Add("R200000", 0), ::testing::ExitedWithCode(5), "assertion failed");
  IdMap<int> empty;
  empty.DropIndex();
  EXPECT_EQ(empty.Find("R100000"), nullptr);  // an empty map has nothing to find
  EXPECT_NE(empty.Add("R100000", 1), nullptr);
  EXPECT_EQ(empty.Find("R100000")->second, 1);
}

// Ids of every length an id may have (CheckId: up to 64 characters; a
// person ref is 32 raw bytes, NULs included) are kept whole, those kept in
// place (up to IdKey::kInline) and those on the heap alike, across the
// chunks entries are kept in.
TEST(IdMap, KeepsIdsOfEveryLengthWhole) {
  IdMap<size_t> map;
  std::vector<std::string> ids;
  for (size_t len = 1; len <= 64; len++) {
    // Ending in the length (1-64), so no id is another's with a byte more.
    for (char c : {'a', 'b', '\0', '\xff'}) {
      std::string id = std::string(len - 1, c) + static_cast<char>(len);
      if (len > 1 || ids.empty()) ids.push_back(id);
    }
  }
  for (size_t i = 0; i < ids.size(); i++) {
    ASSERT_EQ(map.Find(ids[i]), nullptr) << i;
    map.Add(ids[i], i);
  }
  ASSERT_EQ(map.size(), ids.size());
  for (size_t i = 0; i < ids.size(); i++) {
    const auto* e = map.Find(ids[i]);
    ASSERT_NE(e, nullptr) << i;
    EXPECT_EQ(e->first.view(), ids[i]);
    EXPECT_EQ(e->second, i);
    // One byte short or one more is another id.
    EXPECT_EQ(map.Find(ids[i].substr(0, ids[i].size() - 1)), nullptr) << i;
    EXPECT_EQ(map.Find(ids[i] + 'x'), nullptr) << i;
  }
  size_t n = 0;
  for (const auto& [id, value] : map) EXPECT_EQ(std::string_view(id), ids[n++]);
  EXPECT_EQ(n, ids.size());
}

// A resident's packed fields: every length in place or on the heap, and
// every way from one to the other, against a std::string doing the same.
TEST(SmallBytes, KeepsBytesOfEveryLengthWhole) {
  auto in_place = [](const SmallBytes& b) {
    const char* p = b.data();
    return p >= reinterpret_cast<const char*>(&b) && p < reinterpret_cast<const char*>(&b + 1);
  };
  const std::string bytes = [] {
    std::string s;
    for (int i = 0; i < 300; i++) s += static_cast<char>("ab\0\xff"[i % 4]);
    return s;
  }();
  SmallBytes grown;
  std::string model;
  for (size_t n = 0; n <= 300; n++) {
    ASSERT_EQ(grown.view(), model) << n;
    ASSERT_EQ(grown.size(), n);
    EXPECT_EQ(grown.empty(), n == 0);
    EXPECT_EQ(in_place(grown), n <= SmallBytes::kInline) << n;
    // Assigned whole, copied, moved: the same bytes.
    SmallBytes assigned;
    assigned = bytes.substr(0, n);
    EXPECT_EQ(assigned.view(), model) << n;
    SmallBytes copy(grown);
    EXPECT_EQ(copy.view(), model) << n;
    SmallBytes moved(std::move(copy));
    EXPECT_EQ(moved.view(), model) << n;
    EXPECT_TRUE(copy.empty());  // NOLINT: moved from, left empty
    // From this length to every other one, and back.
    for (size_t m : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{31}, size_t{33}, n / 2}) {
      SmallBytes b(grown);
      b = std::string(m, 'q');
      EXPECT_EQ(b.view(), std::string(m, 'q')) << n << " -> " << m;
      b = moved;
      EXPECT_EQ(b.view(), model) << m << " -> " << n;
    }
    // Assigned a part of itself.
    SmallBytes self(grown);
    self.assign(self.view().substr(n / 3));
    EXPECT_EQ(self.view(), model.substr(n / 3)) << n;
    if (n == bytes.size()) break;
    grown.append(bytes.substr(n, 1));
    model += bytes[n];
  }
  SmallBytes several;
  std::string several_model;
  for (size_t n : {3, 9, 4, 20, 1, 100}) {
    several.append(bytes.substr(0, n));
    several_model += bytes.substr(0, n);
    ASSERT_EQ(several.view(), several_model);
  }
  several.clear();
  EXPECT_TRUE(several.empty());
  // An empty view may have no data at all (a row's missing field): under
  // UBSan, copying from it would be an error.
  several.append(std::string_view());
  several = std::string_view();
  EXPECT_TRUE(several.empty());
  EXPECT_TRUE(in_place(several));
  several.append("xy");
  EXPECT_EQ(several.view(), "xy");
}

TEST(IdMap, ReserveLeavesEntriesAndLookupsAsTheyWere) {
  IdMap<std::string> map;
  map.Add("a", "1");
  map.Reserve(50'000);
  map.Add("b", "2");
  EXPECT_EQ(map.Find("a")->second, "1");
  EXPECT_EQ(map.Find("b")->second, "2");
  EXPECT_EQ(map.Find("c"), nullptr);
  map.Reserve(1);  // never shrinks
  EXPECT_EQ(map.Find("a")->second, "1");
}

// Cache hints (IdMap::PrefetchSlot, PrefetchEntry, FindFirstProbe) only
// read: on an empty map, for absent ids, they find nothing and change
// nothing; FindFirstProbe gives an entry only from the slot where the
// search for the id starts, and the entry of the id there when it is.
TEST(IdMap, HintsFindNothingWrongAndChangeNothing) {
  IdMap<int> map;
  map.PrefetchSlot("R1");
  map.PrefetchEntry("R1", 512);
  EXPECT_EQ(map.FindFirstProbe("R1"), nullptr);
  constexpr int kIds = 10'000;
  for (int i = 0; i < kIds; i++) map.Add("R" + std::to_string(i), i);
  int first_probe = 0;
  for (int i = 0; i < kIds + 100; i++) {
    std::string id = "R" + std::to_string(i);
    map.PrefetchSlot(id);
    map.PrefetchEntry(id, 512);
    const auto* e = map.FindFirstProbe(id);
    if (i >= kIds) {
      EXPECT_TRUE(e == nullptr || e->first != id) << id;
    } else if (e != nullptr && e->first == id) {
      EXPECT_EQ(e, map.Find(id)) << id;
      first_probe++;
    }
  }
  EXPECT_GT(first_probe, kIds / 2);  // the index is at most three quarters full
  EXPECT_EQ(map.size(), size_t{kIds});
  EXPECT_EQ(map.Find("R17")->second, 17);
}

// Stored rows in a map (none unless put there), counting what it is
// asked: every row read and scan, and the scans alone.
struct MapRows : RowSource {
  std::map<std::string, std::string, std::less<>> rows;
  int reads = 0, scans = 0;
  std::optional<std::string> GetRow(std::string_view key) override {
    reads++;
    auto it = rows.find(key);
    if (it == rows.end()) return std::nullopt;
    return it->second;
  }
  std::vector<std::optional<std::string>> GetRows(const std::vector<std::string>& keys) override {
    std::vector<std::optional<std::string>> out;
    for (const auto& key : keys) out.push_back(GetRow(key));
    return out;
  }
  void ScanRows(std::string_view prefix, const ScanFn& fn) override {
    reads++;
    scans++;
    for (auto it = rows.lower_bound(prefix); it != rows.end() && it->first.starts_with(prefix);
         ++it) {
      if (!fn(it->first, it->second)) return;
    }
  }
};

// A prefix under which a live state's scan found no stored row is not
// scanned in the stored rows again (an import of redemptions asks for each
// row whether its shop has a shelf), while its pending rows still are; a
// prefix with stored rows is scanned each time; once the changes are
// taken for a commit, every prefix is scanned in the stored rows again.
TEST(StateLive, APrefixFoundEmptyIsNotScannedAgainUntilTheCommit) {
  MapRows stored;
  stored.rows = {{"shelf/V1/S1/毛巾", "x"}};
  StateStore state(&stored, NoEvents);
  EXPECT_EQ(ScanAll(state, "shelf/V1/S1/"), (Rows{{"shelf/V1/S1/毛巾", "x"}}));
  EXPECT_EQ(ScanAll(state, "shelf/V1/S1/"), (Rows{{"shelf/V1/S1/毛巾", "x"}}));
  EXPECT_EQ(stored.scans, 2);
  EXPECT_TRUE(ScanAll(state, "shelf/V2/S2/").empty());
  EXPECT_TRUE(ScanAll(state, "shelf/V2/S2/").empty());
  EXPECT_EQ(stored.scans, 3);
  state.Put("shelf/V2/S2/米", "y");
  EXPECT_EQ(ScanAll(state, "shelf/V2/S2/"), (Rows{{"shelf/V2/S2/米", "y"}}));
  EXPECT_EQ(stored.scans, 3);
  // The commit stores the pending rows: a prefix found empty before it is
  // read from the stored rows again after it.
  state.TakeWrites([&](const std::string& k, const std::optional<std::string>& v) {
    if (v) stored.rows[k] = *v;
  });
  EXPECT_EQ(ScanAll(state, "shelf/V2/S2/"), (Rows{{"shelf/V2/S2/米", "y"}}));
  EXPECT_EQ(stored.scans, 4);
}

// A replay's entities are never written from the state (its rows are
// listed whole), so it keeps no list of those it changed: a live state
// over the same changes has one.
TEST(StateReplay, KeepsNoListOfChangedEntities) {
  auto change = [](StateStore& state) {
    StoreVillage(state, VillageRecord{"V1", "一村"});
    StoreVillage(state, VillageRecord{"V2", "二村"});
    MutableVillage(state, "V1")->issued_pt = -3;
  };
  StateStore replay(static_cast<RowSource*>(nullptr), NoEvents);
  change(replay);
  EXPECT_EQ(replay.table<VillageState>().dirty_count(), 0u);
  EXPECT_EQ(FindVillage(replay, "V1")->issued_pt, -3);
  std::vector<std::string> keys;
  replay.ForEachRow([&](std::string_view k, std::string_view) { keys.emplace_back(k); });
  EXPECT_EQ(keys, (std::vector<std::string>{"village/V1", "village/V2"}));

  MapRows rows;
  StateStore live(&rows, NoEvents);
  change(live);
  EXPECT_EQ(live.table<VillageState>().dirty_count(), 2u);
}

// Hints on a live state read no row and load nothing (a later lookup
// still reads its row once); on a replayed state they leave the entities
// as they were.
TEST(StateReplay, HintsReadNoRowAndChangeNoEntity) {
  MapRows rows;
  StateStore live(&rows, NoEvents);
  for (int stage = 0; stage < 3; stage++) live.table<ResidentState>().Hint("R1", stage);
  EXPECT_EQ(rows.reads, 0);
  EXPECT_EQ(FindResident(live, "R1"), nullptr);
  EXPECT_EQ(rows.reads, 1);

  StateStore replay(nullptr, NoEvents);
  ResidentState r;
  r.rec.id = "R1";
  r.lots = std::string(100, 'x');
  r.turnover = std::string(300, 'y');
  r.recent = "z";
  replay.table<ResidentState>().Put("R1", r);
  std::string before = FindResident(replay, "R1")->EncodeRow();
  for (int stage = 0; stage < 3; stage++) {
    replay.table<ResidentState>().Hint("R1", stage);
    replay.table<ResidentState>().Hint("R2", stage);
  }
  EXPECT_EQ(FindResident(replay, "R1")->EncodeRow(), before);
  EXPECT_EQ(FindResident(replay, "R2"), nullptr);
}

// Entities are listed in id byte order also where ids share their first
// eight bytes, end within them, hold zero bytes or bytes of 0x80 and up.
TEST(StateReplay, EntitiesAreListedInIdByteOrder) {
  StateStore state(static_cast<RowSource*>(nullptr), NoEvents);
  std::vector<std::string> ids = {
      "V1",    "abcdefgh1", "abcdefgh", "abcdefgh0", std::string("ab\0", 3), "ab", "\xff",
      "\x80z", "abcdefg",   "b",        "a"};
  for (const std::string& id : ids) StoreVillage(state, VillageRecord{id, "村"});
  std::vector<std::string> listed;
  state.table<VillageState>().ForEach(
      [&](std::string_view id, const VillageState&) { listed.emplace_back(id); });
  std::vector<std::string> want = ids;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(listed, want);
  EXPECT_LT(std::string("ab"), std::string("ab\0", 3));  // the order the list must follow
  EXPECT_LT(std::string("z"), std::string("\x80z"));
}

TEST(StateReplay, IndexRowsAreKeptDroppedOrSunk) {
  StateStore state(static_cast<RowSource*>(nullptr), NoEvents);
  state.Emit("hist/R1/x", "kept");
  EXPECT_EQ(state.Get("hist/R1/x").value_or(""), "kept");
  state.SetIndexRows(IndexRows::kDrop);
  state.Emit("hist/R1/y", "dropped");
  EXPECT_FALSE(state.Get("hist/R1/y").has_value());
  Rows sunk;
  state.SetIndexRows(IndexRows::kSink, [&](std::string_view k, std::string_view v) {
    sunk.emplace_back(std::string(k), std::string(v));
  });
  state.Emit("fmov/F/z", "sunk");
  EXPECT_EQ(sunk, (Rows{{"fmov/F/z", "sunk"}}));
  EXPECT_FALSE(state.Get("fmov/F/z").has_value());
}

}  // namespace
}  // namespace vledger
