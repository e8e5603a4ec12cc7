// Randomized test of the points handlers against an independent model.
//
// 10,000 commands, valid and invalid (unknown residents and rules, retired
// rules, amounts outside a range, caps, overdrafts, double and pointless
// reversals, malformed and future dates, keys outside their village,
// self-review), go through ApplyEvent on a real ledger, one commit each.
// For every command the model predicts acceptance and the ledger must
// agree; a rejected command must write no row. Every 500 commands and at
// the end the model's balances, lots and turnover must equal the
// projections; at the end replay (rebuild) must give exactly the live
// rows, verify must pass, and every unit's postings must sum to zero.
// VLEDGER_POINTS_SEED and VLEDGER_POINTS_STEPS override the defaults.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <random>
#include <set>

#include "points_harness.h"
#include "vledger/projections/accounts.h"
#include "vledger/projections/points.h"
#include "vledger/projections/verify.h"

namespace vledger {
namespace {

using testing::TestLedger;

// The points earned on one day (SPEC section 3: lots, FIFO by age).
struct MLot {
  std::string date;
  int64_t amount;
};

struct MResident {
  std::string village, household;
  int64_t score = 0, spendable = 0;
  std::vector<MLot> lots;  // by date, one per date; sum == max(0, spendable)
};

struct MRule {
  std::string village;
  int64_t points = 0;
  bool has_range = false;
  int64_t min = 0, max = 0, cap = 0;
  std::string cap_period;
  bool retired = false;
};

struct MEntry {
  std::string resident, village, household, rule, date, author;
  int64_t points = 0;
  char status = 'P';  // P pending, A approved, J rejected
};

enum class Kind { kOther, kEntry, kRedeem, kExpire, kReversal, kReview };

struct MEvent {
  Kind kind = Kind::kOther;
  bool reversed = false;
  std::string village, resident;                         // redemption/expiry
  int64_t amount = 0;                                    // redemption
  std::vector<std::pair<std::string, int64_t>> expired;  // expiry
};

class Model {
 public:
  std::map<std::string, MResident> residents;
  std::map<std::string, std::string> heads;  // household -> head
  std::map<std::string, MRule> rules;
  std::map<std::string, bool> review;  // village -> review on
  std::map<uint64_t, MEntry> entries;
  std::map<uint64_t, MEvent> events;
  std::map<std::string, int64_t> cap_usage;  // rule/resident/period
  std::map<std::string, int64_t> turnover;   // village/period/resident
  std::map<std::string, int64_t> hturnover;  // village/period/household

  void Credit(MResident& r, int64_t amount, const std::string& date) {
    int64_t repay = r.spendable < 0 ? std::min(amount, -r.spendable) : 0;
    if (amount - repay > 0) {
      auto it = std::lower_bound(r.lots.begin(), r.lots.end(), date,
                                 [](const MLot& a, const std::string& d) { return a.date < d; });
      if (it != r.lots.end() && it->date == date) {
        it->amount += amount - repay;
      } else {
        r.lots.insert(it, MLot{date, amount - repay});
      }
    }
    r.spendable += amount;
  }

  // Takes the oldest points first; a reversed award takes back from its
  // own day first (`first_date`).
  void Debit(MResident& r, int64_t amount, const std::string& first_date = "") {
    int64_t left = amount;
    auto take = [&](MLot& lot) {
      int64_t n = std::min(left, lot.amount);
      lot.amount -= n;
      left -= n;
    };
    if (!first_date.empty()) {
      for (MLot& lot : r.lots) {
        if (lot.date == first_date) take(lot);
      }
    }
    for (MLot& lot : r.lots) take(lot);
    std::erase_if(r.lots, [](const MLot& l) { return l.amount == 0; });
    r.spendable -= amount;
  }

  void Turnover(const MEntry& e, int64_t sign) {
    for (const std::string& p : PeriodsOf(e.date)) {
      turnover[e.village + "/" + p + "/" + e.resident] += sign * e.points;
      hturnover[e.village + "/" + p + "/" + e.household] += sign * e.points;
    }
  }

  std::string CapKey(const MEntry& e) {
    const MRule& rule = rules[e.rule];
    return e.rule + "/" + e.resident + "/" +
           CapPeriodOf(e.date, *Parse<CapPeriod>("cap-period", rule.cap_period));
  }

  void Count(MEntry& e) {
    MResident& r = residents[e.resident];
    r.score += e.points;
    if (e.points > 0) {
      Credit(r, e.points, e.date);
    } else {
      Debit(r, -e.points);
    }
    Turnover(e, 1);
  }
};

// Keys: admin; collectors c1 (V1), c2 (V2); reviewers r1 (V1), r2 (V2).
class RandomRun {
 public:
  explicit RandomRun(uint64_t seed) : rng_(seed) {}

  void Setup() {
    for (const char* v : {"V1", "V2"}) {
      t_.Must("admin", VillageRegistered{v, std::string("村") + v});
      m_.review[v] = false;
    }
    t_.AddKey("c1", "collector", {"V1"});
    t_.AddKey("c2", "collector", {"V2"});
    t_.AddKey("r1", "reviewer", {"V1"});
    t_.AddKey("r2", "reviewer", {"V2"});
    for (int v = 1; v <= 2; v++) {
      std::string village = "V" + std::to_string(v);
      std::string col = "c" + std::to_string(v);
      for (int h = 1; h <= 6; h++) {
        std::string hh = village + "H" + std::to_string(h);
        t_.Must(col, HouseholdRegistered{hh, village, testing::RefOf(hh)});
        for (int i = 1; i <= 3; i++) {
          std::string id = hh + "R" + std::to_string(i);
          t_.Must(col, ResidentRegistered{id, village, hh, i == 3, testing::RefOf(id)});
          MResident r;
          r.village = village;
          r.household = hh;
          m_.residents[id] = r;
        }
        if (h != 6) {  // household 6 has no head
          t_.Must(col, HouseholdHeadSet{hh, hh + "R1"});
          m_.heads[hh] = hh + "R1";
        }
      }
    }
    AddRule("AW", "", 5, false, 0, 0, 0, "");
    AddRule("RG1", "V1", 2, true, 1, 10, 20, "month");
    AddRule("RG2", "V2", 3, true, 2, 8, 15, "quarter");
    AddRule("DD", "", -10, false, 0, 0, 0, "");
    AddRule("DR", "", -5, true, -20, -1, 30, "year");
    AddRule("OLD", "", 3, false, 0, 0, 0, "");
    t_.Must("admin", RuleRetired{"OLD"});
    m_.rules["OLD"].retired = true;
    for (uint64_t s = 0; s < t_.size(); s++) m_.events[s] = MEvent{};
  }

  void Run(int steps) {
    for (int step = 0; step < steps; step++) {
      Step(step);
      if (::testing::Test::HasFatalFailure()) return;
      if (step % 500 == 499) CheckModel();
    }
    CheckModel();
  }

  void Finish() {
    EXPECT_EQ(t_.rejected_writes(), 0u) << "a rejected command wrote rows";
    // rebuild: replay gives exactly the live rows
    StateStore replay(static_cast<RowSource*>(nullptr),
                      [this](uint64_t seq) { return t_.ledger().ReadDecoded(seq); });
    ASSERT_TRUE(Replay(t_.ledger(), t_.size(), replay).ok());
    std::map<std::string, std::string, std::less<>> live, replayed;
    replay.ForEachRow([&](std::string_view k, std::string_view v) {
      replayed.emplace(std::string(k), std::string(v));
    });
    ASSERT_TRUE(t_.ledger()
                    .ScanState("",
                               [&](std::string_view k, std::string_view v) {
                                 live.emplace(std::string(k), std::string(v));
                                 return true;
                               })
                    .ok());
    EXPECT_TRUE(live == replayed) << "live projections differ from replay (" << live.size()
                                  << " vs " << replayed.size() << " rows)";
    // rebuild in batches of a few rows (a county's rebuild writes hundreds
    // of batches): the stored rows are the live ones again, every one.
    auto rebuilt_rows = RebuildProjections(t_.ledger(), 512);
    ASSERT_TRUE(rebuilt_rows.ok()) << rebuilt_rows.status().message();
    std::map<std::string, std::string, std::less<>> rebuilt;
    ASSERT_TRUE(t_.ledger()
                    .ScanState("",
                               [&](std::string_view k, std::string_view v) {
                                 rebuilt.emplace(std::string(k), std::string(v));
                                 return true;
                               })
                    .ok());
    EXPECT_GT(*rebuilt_rows, 1000u);
    EXPECT_TRUE(rebuilt == live) << "rebuilt projections differ from the live ones ("
                                 << rebuilt.size() << " vs " << live.size() << " rows)";
    auto outcome = VerifyLedger(t_.ledger());
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    EXPECT_TRUE(outcome->ok) << outcome->problem;
    auto view = t_.View();
    for (const auto& [unit, total] : UnitTotals(*view)) EXPECT_EQ(total, 0) << unit;
    std::cout << "points random: " << accepted_ << " accepted, " << rejected_ << " rejected, "
              << t_.size() << " events\n";
    // Both kinds must be well represented, or the run tests little.
    EXPECT_GT(accepted_, (accepted_ + rejected_) / 4);
    EXPECT_GT(rejected_, (accepted_ + rejected_) / 10);
  }

 private:
  void AddRule(const std::string& code, const std::string& village, int64_t points, bool has_range,
               int64_t min, int64_t max, int64_t cap, const std::string& period) {
    t_.Must("admin",
            RuleDefined{code, village, "类别", "", points, has_range, min, max, cap, period});
    m_.rules[code] = MRule{village, points, has_range, min, max, cap, period, false};
  }

  int Rand(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Rand(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Rand(static_cast<int>(v.size())))];
  }

  std::string RandomDate() { return fmt::format("2021-{:02d}-{:02d}", 1 + Rand(9), 1 + Rand(28)); }
  std::string RandomResident() {
    if (Chance(3)) return "NOBODY";
    auto it = m_.residents.begin();
    std::advance(it, Rand(static_cast<int>(m_.residents.size())));
    return it->first;
  }
  std::string CollectorFor(const std::string& village) {
    if (Chance(5)) return "admin";
    if (Chance(4)) return village == "V1" ? "c2" : "c1";  // outside its scope
    if (Chance(1)) return village == "V1" ? "r1" : "r2";  // wrong role
    return village == "V1" ? "c1" : "c2";
  }
  bool MayCollect(const std::string& who, const std::string& village) {
    return who == "admin" || (who == "c1" && village == "V1") || (who == "c2" && village == "V2");
  }

  void Step(int step) {
    int roll = Rand(100);
    std::string what;
    bool predicted = false;
    EventBody body;
    std::string who;
    std::function<void(uint64_t)> apply;
    if (roll < 35) {
      predicted = GenEntry(false, &body, &who, &apply, &what);
    } else if (roll < 50) {
      predicted = GenEntry(true, &body, &who, &apply, &what);
    } else if (roll < 65) {
      predicted = GenRedeem(&body, &who, &apply, &what);
    } else if (roll < 80) {
      predicted = GenReverse(&body, &who, &apply, &what);
    } else if (roll < 92) {
      predicted = GenReview(&body, &who, &apply, &what);
    } else if (roll < 94) {
      predicted = GenExpire(&body, &who, &apply, &what);
    } else if (roll < 97) {
      std::string v = Chance(50) ? "V1" : "V2";
      bool on = Chance(50);
      body = VillagePolicySet{v, on, 20, 5, 10, {}, {}, {}, {}, 0, 0, {}, {}};
      who = "admin";
      predicted = true;
      apply = [this, v, on](uint64_t) { m_.review[v] = on; };
      what = "policy " + v;
    } else {
      predicted = GenRule(&body, &who, &apply, &what);
    }
    uint64_t seq = t_.size();
    Status st = t_.Append(who, body);
    bool accepted = st.ok();
    ASSERT_TRUE(st.ok() || st.is_refusal()) << st.message();
    ASSERT_EQ(accepted, predicted) << "step " << step << " seq " << seq << ": " << what << " by "
                                   << who << ": " << (accepted ? "accepted" : st.message());
    ASSERT_EQ(t_.size(), seq + (accepted ? 1 : 0));
    if (accepted) {
      accepted_++;
      m_.events[seq] = MEvent{};
      apply(seq);
    } else {
      rejected_++;
    }
  }

  // An award (or deduction), valid or not; returns the prediction.
  bool GenEntry(bool deduction, EventBody* body, std::string* who,
                std::function<void(uint64_t)>* apply, std::string* what) {
    PointsEntry e;
    e.resident = RandomResident();
    std::vector<std::string> codes;
    for (const auto& [code, rule] : m_.rules) {
      if (Chance(97) && (rule.points < 0) != deduction) continue;  // 3%: wrong kind
      codes.push_back(code);
    }
    e.rule = codes.empty() || Chance(2) ? "NORULE" : Pick(codes);
    const MRule* rule = m_.rules.count(e.rule) ? &m_.rules[e.rule] : nullptr;
    if (rule != nullptr) {
      e.points = rule->points;
      if (rule->has_range) e.points = rule->min + Rand(static_cast<int>(rule->max - rule->min + 1));
      if (Chance(4)) e.points += deduction ? -1 - Rand(25) : 1 + Rand(25);
    } else {
      e.points = deduction ? -5 : 5;
    }
    e.occurred_on = RandomDate();
    if (Chance(2)) e.occurred_on = "2021-10-05";  // after the recording day
    if (Chance(2)) e.occurred_on = "2021-02-30";  // no such day
    bool household_level = false;
    const MResident* r = m_.residents.count(e.resident) ? &m_.residents[e.resident] : nullptr;
    if (deduction && r != nullptr && Chance(15)) {
      household_level = true;
      e.household = r->household;
      auto head = m_.heads.find(r->household);
      if (head != m_.heads.end() && Chance(90)) e.resident = head->second;
      r = &m_.residents[e.resident];
    }
    *who = r != nullptr ? CollectorFor(r->village) : "c1";
    *what = std::string(deduction ? "deduct " : "award ") + e.resident + " " + e.rule + " " +
            std::to_string(e.points) + " on " + e.occurred_on +
            (household_level ? " (household)" : "");

    bool ok = r != nullptr && MayCollect(*who, r->village) && rule != nullptr && !rule->retired &&
              (rule->village.empty() || rule->village == r->village) &&
              (rule->points < 0) == deduction &&
              (rule->has_range ? e.points >= rule->min && e.points <= rule->max
                               : e.points == rule->points) &&
              e.occurred_on <= testing::kToday && e.occurred_on != "2021-02-30";
    if (ok && household_level) {
      auto head = m_.heads.find(e.household);
      ok = head != m_.heads.end() && head->second == e.resident;
    }
    MEntry entry;
    if (ok) {
      entry = MEntry{e.resident, r->village, r->household, e.rule, e.occurred_on, *who, e.points};
      if (rule->cap > 0) {
        ok = m_.cap_usage[m_.CapKey(entry)] + std::abs(e.points) <= rule->cap;
      }
    }
    if (deduction) {
      *body = PointsDeducted{e};
    } else {
      *body = PointsAwarded{e};
    }
    *apply = [this, entry](uint64_t seq) mutable {
      m_.events[seq].kind = Kind::kEntry;
      if (m_.rules[entry.rule].cap > 0) m_.cap_usage[m_.CapKey(entry)] += std::abs(entry.points);
      entry.status = m_.review[entry.village] ? 'P' : 'A';
      if (entry.status == 'A') m_.Count(entry);
      m_.entries[seq] = entry;
    };
    return ok;
  }

  bool GenRedeem(EventBody* body, std::string* who, std::function<void(uint64_t)>* apply,
                 std::string* what) {
    std::string id = RandomResident();
    const MResident* r = m_.residents.count(id) ? &m_.residents[id] : nullptr;
    int64_t spendable = r != nullptr ? r->spendable : 0;
    int64_t points = 1 + Rand(static_cast<int>(std::max<int64_t>(spendable, 0) + 5));
    uint32_t qty = Chance(2) ? 0 : 1 + static_cast<uint32_t>(Rand(3));
    std::string shop = Chance(50) ? "default" : "S1";
    *who = r != nullptr ? CollectorFor(r->village) : "c1";
    *body = PointsRedeemed{id, shop, "商品", qty, points};
    *what = "redeem " + id + " " + std::to_string(points) + " (spendable " +
            std::to_string(spendable) + ")";
    *apply = [this, id, points](uint64_t seq) {
      MEvent& ev = m_.events[seq];
      ev.kind = Kind::kRedeem;
      ev.resident = id;
      ev.amount = points;
      m_.Debit(m_.residents[id], points);
    };
    return r != nullptr && MayCollect(*who, r->village) && qty >= 1 && points <= spendable;
  }

  bool GenExpire(EventBody* body, std::string* who, std::function<void(uint64_t)>* apply,
                 std::string* what) {
    std::string village = Chance(50) ? "V1" : "V2";
    std::string before = Chance(5) ? "2021-11-01" : RandomDate();
    *who = CollectorFor(village);
    *body = PointsExpired{village, before};
    *what = "expire " + village + " before " + before;
    *apply = [this, village, before](uint64_t seq) {
      MEvent& ev = m_.events[seq];
      ev.kind = Kind::kExpire;
      ev.village = village;
      for (auto& [id, r] : m_.residents) {
        if (r.village != village) continue;
        int64_t lapsed = 0;
        for (const MLot& lot : r.lots) lapsed += lot.date < before ? lot.amount : 0;
        if (lapsed == 0) continue;
        std::erase_if(r.lots, [&](const MLot& l) { return l.date < before; });
        r.spendable -= lapsed;
        ev.expired.emplace_back(id, lapsed);
      }
    };
    return MayCollect(*who, village) && before <= testing::kToday;
  }

  bool GenReverse(EventBody* body, std::string* who, std::function<void(uint64_t)>* apply,
                  std::string* what) {
    uint64_t size = t_.size();
    uint64_t target = Chance(3) ? size + 3 : static_cast<uint64_t>(rng_() % size);
    // Prefer value events: most random seqs would be registrations.
    for (int tries = 0; tries < 20 && target < size && m_.events[target].kind == Kind::kOther;
         tries++) {
      target = static_cast<uint64_t>(rng_() % size);
    }
    MEvent* ev = target < size ? &m_.events[target] : nullptr;
    std::string village;
    bool ok = ev != nullptr && !ev->reversed;
    if (ok) {
      switch (ev->kind) {
        case Kind::kEntry: {
          const MEntry& e = m_.entries[target];
          village = e.village;
          ok = e.status == 'A' && (e.points < 0 || m_.residents[e.resident].spendable >= e.points);
          break;
        }
        case Kind::kRedeem:
          village = m_.residents[ev->resident].village;
          break;
        case Kind::kExpire:
          village = ev->village;
          ok = !ev->expired.empty();
          break;
        default:
          ok = false;
      }
    }
    *who = village.empty() ? "c1" : CollectorFor(village);
    ok = ok && MayCollect(*who, village);
    *body = EventReversed{target, "更正"};
    *what = "reverse " + std::to_string(target);
    *apply = [this, target](uint64_t seq) {
      MEvent& t = m_.events[target];
      t.reversed = true;
      m_.events[seq].kind = Kind::kReversal;
      if (t.kind == Kind::kEntry) {
        MEntry& e = m_.entries[target];
        MResident& r = m_.residents[e.resident];
        r.score -= e.points;
        if (e.points > 0) {
          m_.Debit(r, e.points, e.date);
        } else {
          m_.Credit(r, -e.points, testing::kToday);
        }
        m_.Turnover(e, -1);
        if (m_.rules[e.rule].cap > 0) m_.cap_usage[m_.CapKey(e)] -= std::abs(e.points);
      } else if (t.kind == Kind::kRedeem) {
        m_.Credit(m_.residents[t.resident], t.amount, testing::kToday);
      } else if (t.kind == Kind::kExpire) {
        for (const auto& [id, amount] : t.expired) {
          m_.Credit(m_.residents[id], amount, testing::kToday);
        }
      }
    };
    return ok;
  }

  bool GenReview(EventBody* body, std::string* who, std::function<void(uint64_t)>* apply,
                 std::string* what) {
    std::string village = Chance(50) ? "V1" : "V2";
    std::vector<uint64_t> pending;
    for (const auto& [seq, e] : m_.entries) {
      if (e.status == 'P' && e.village == village) pending.push_back(seq);
    }
    EntriesReviewed r;
    r.village = village;
    std::set<uint64_t> chosen;
    int n = pending.empty() ? 0 : 1 + Rand(std::min<int>(4, static_cast<int>(pending.size())));
    for (int i = 0; i < n; i++) chosen.insert(Pick(pending));
    if (Chance(5) || chosen.empty()) {
      // An entry that is not pending, or no entry at all.
      std::vector<uint64_t> others;
      for (const auto& [seq, e] : m_.entries) {
        if (e.status != 'P') others.push_back(seq);
      }
      if (!others.empty()) chosen.insert(Pick(others));
    }
    for (uint64_t seq : chosen) {
      if (Chance(70)) {
        r.approved.push_back(seq);
      } else {
        r.rejected.push_back(Rejection{seq, Chance(3) ? "" : "理由"});
      }
    }
    *who = Chance(85) ? (village == "V1" ? "r1" : "r2")
                      : Pick(std::vector<std::string>{"admin", "c1", "r1", "r2"});
    bool ok = !chosen.empty() && (*who == "admin" || (*who == "r1" && village == "V1") ||
                                  (*who == "r2" && village == "V2"));
    std::string author_id = t_.key_id(*who);
    for (uint64_t seq : chosen) {
      const MEntry& e = m_.entries[seq];
      ok = ok && e.status == 'P' && e.village == village && t_.key_id(e.author) != author_id;
    }
    for (const Rejection& x : r.rejected) ok = ok && !x.reason.empty();
    *what = "review " + village + " approve " + std::to_string(r.approved.size()) + " reject " +
            std::to_string(r.rejected.size());
    *body = r;
    *apply = [this, r](uint64_t) {
      for (uint64_t seq : r.approved) {
        MEntry& e = m_.entries[seq];
        e.status = 'A';
        m_.Count(e);
      }
      for (const Rejection& x : r.rejected) {
        MEntry& e = m_.entries[x.seq];
        e.status = 'J';
        if (m_.rules[e.rule].cap > 0) m_.cap_usage[m_.CapKey(e)] -= std::abs(e.points);
      }
    };
    return ok;
  }

  bool GenRule(EventBody* body, std::string* who, std::function<void(uint64_t)>* apply,
               std::string* what) {
    if (Chance(15)) {
      std::vector<std::string> codes;
      for (const auto& [code, rule] : m_.rules) codes.push_back(code);
      std::string code = Pick(codes);
      *who = Chance(80) ? "admin" : "c1";
      *body = RuleRetired{code};
      *what = "retire " + code;
      *apply = [this, code](uint64_t) { m_.rules[code].retired = true; };
      return *who == "admin" && !m_.rules[code].retired;
    }
    std::string code = "N" + std::to_string(rule_counter_++ / (Chance(10) ? 2 : 1));
    bool negative = Chance(40);
    int64_t points = negative ? -1 - Rand(10) : 1 + Rand(10);
    std::string village = Chance(50) ? "" : (Chance(50) ? "V1" : "V2");
    *who = Chance(90) ? "admin" : "c2";
    *body = RuleDefined{code, village, "类别", "", points, false, 0, 0, 0, ""};
    *what = "rule add " + code;
    *apply = [this, code, village, points](uint64_t) {
      m_.rules[code] = MRule{village, points, false, 0, 0, 0, "", false};
    };
    return *who == "admin" && !m_.rules.count(code);
  }

  // The projections must equal the model.
  void CheckModel() {
    auto view = t_.View();
    for (const auto& [id, r] : m_.residents) {
      PointsBalance b = LoadBalance(*view, id);
      ASSERT_EQ(b.credit_score, r.score) << id;
      ASSERT_EQ(b.spendable, r.spendable) << id;
      ASSERT_EQ(AccountBalance(*view, kPointsUnit, "resident:" + id), r.spendable) << id;
      std::vector<std::pair<std::string, int64_t>> got, want;
      const ResidentState* rs = FindResident(*view, id);
      ASSERT_NE(rs, nullptr) << id;
      for (const Lot& lot : ListLots(*rs)) got.emplace_back(lot.date, lot.remaining);
      for (const MLot& lot : r.lots) want.emplace_back(lot.date, lot.amount);
      ASSERT_EQ(got, want) << "lots of " << id;
    }
    for (const auto& [key, v] : m_.turnover) {
      size_t a = key.find('/'), b = key.rfind('/');
      ASSERT_EQ(PeriodPoints(*view, key.substr(a + 1, b - a - 1), key.substr(b + 1)), v) << key;
    }
    for (const auto& [key, v] : m_.hturnover) {
      size_t a = key.find('/'), b = key.rfind('/');
      int64_t got = 0;
      for (const auto& [hh, p] :
           HouseholdPeriodPointsList(*view, key.substr(0, a), key.substr(a + 1, b - a - 1))) {
        if (hh == key.substr(b + 1)) got = p;
      }
      ASSERT_EQ(got, v) << key;
    }
    for (const auto& [key, v] : m_.cap_usage) {
      size_t a = key.find('/'), b = key.rfind('/');
      const ResidentState* rs = FindResident(*view, key.substr(a + 1, b - a - 1));
      ASSERT_NE(rs, nullptr) << key;
      ASSERT_EQ(CapUsage(*rs, key.substr(0, a), key.substr(b + 1)), v) << key;
    }
  }

  std::mt19937_64 rng_;
  TestLedger t_;
  Model m_;
  int accepted_ = 0, rejected_ = 0, rule_counter_ = 0;
};

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

TEST(PointsRandom, TenThousandCommandsKeepEveryInvariantAndReplayExactly) {
  auto seed = static_cast<uint64_t>(EnvInt("VLEDGER_POINTS_SEED", 20210930));
  int steps = EnvInt("VLEDGER_POINTS_STEPS", 10'000);
  SCOPED_TRACE("VLEDGER_POINTS_SEED=" + std::to_string(seed));
  RandomRun run(seed);
  run.Setup();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  run.Run(steps);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  run.Finish();
}

}  // namespace
}  // namespace vledger
