// The points and registry commands of the application layer (app/points.h,
// app/registry.h): household sums, review checks, ranking, queries at a
// seq, warnings, and what each refusal says.
#include <gtest/gtest.h>

#include "app_fixture.h"
#include "vledger/app/points.h"
#include "vledger/app/registry.h"

namespace vledger {
namespace {

using testing::AppLedger;

// Requests as the command line fills them.
app::BalanceRequest BalanceOf(const std::string& resident, const std::string& at = "") {
  app::BalanceRequest r;
  r.resident = resident;
  r.at = at;
  return r;
}
app::BalanceRequest HouseholdBalanceOf(const std::string& household) {
  app::BalanceRequest r;
  r.household = household;
  return r;
}
app::BalanceRequest VillageBalanceOf(const std::string& village) {
  app::BalanceRequest r;
  r.village = village;
  return r;
}
app::BalanceRequest CountyBalance() {
  app::BalanceRequest r;
  r.all = true;
  return r;
}
app::HistoryRequest HistoryOf(const std::string& resident, const std::string& at = "") {
  app::HistoryRequest r;
  r.resident = resident;
  r.at = at;
  return r;
}
app::RankRequest RankOf(const std::string& village, const std::string& period,
                        bool households = false) {
  app::RankRequest r;
  r.village = village;
  r.period = period;
  r.households = households;
  return r;
}
template <typename Request>
Request InVillage(const std::string& village) {
  Request r;
  r.village = village;
  return r;
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.starts_with(prefix);
}

class AppPointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V01 --name 曲家村");
    l.Vl("village add V02 --name 乙村");
    l.Vl("household add H001 --village V01 --head 曲建国");
    l.Vl("household add H002 --village V01 --head 曲二");
    l.Vl("household add H003 --village V02 --head 王三");
    l.Vl("resident add R001 --village V01 --household H001 --name 曲建国 --adult");
    l.Vl("resident add R002 --village V01 --household H001 --name 曲小红 --birth-year 2015");
    l.Vl("resident add R003 --village V01 --household H002 --name 曲二 --adult");
    l.Vl("resident add R004 --village V02 --household H003 --name 王三 --adult");
    l.Vl("household head H001 --resident R001");
    l.Vl("rule add VOL --category 志愿服务 --points 2 --min 1 --max 10");
    l.Vl("rule add LITTER --category 环境整治 --points -3");
  }

  Result<app::AwardResult> Award(const std::string& resident, const std::string& points,
                                 const std::string& on, const std::string& note = "") {
    app::AwardRequest r;
    r.resident = resident;
    r.rule = "VOL";
    r.points = points;
    r.on = on;
    r.note = note;
    return app::Award(l.AdminSession(), r);
  }

  uint64_t AwardSeq(const std::string& resident, const std::string& points, const std::string& on) {
    auto r = Award(resident, points, on);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r->append.first : 0;
  }

  Result<app::BalanceResult> Balance(app::BalanceRequest request) {
    return app::Balance(l.AdminSession(), request);
  }

  AppLedger l;
};

// ------------------------------------------------------------- balances

TEST_F(AppPointsTest, AHouseholdSumsItsResidentsSpendablePoints) {
  AwardSeq("R001", "5", "2021-07-05");
  AwardSeq("R002", "3", "2021-07-06");
  AwardSeq("R003", "4", "2021-07-07");  // another household
  auto b = Balance(HouseholdBalanceOf("H001"));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->scope, app::BalanceResult::Scope::kHousehold);
  EXPECT_EQ(b->household.spendable_points, 8);
  EXPECT_EQ(b->household.residents, (std::vector<std::string>{"R001", "R002"}));
  EXPECT_EQ(app::BalanceJson(*b),
            "{\"household\":\"H001\",\"creditScore\":" + std::to_string(b->household.credit_score) +
                ",\"spendablePoints\":8,\"residents\":[\"R001\",\"R002\"]}");
  // A household-level deduction is borne by the head alone.
  l.Vl("deduct --household H001 LITTER --on 2021-07-08");
  b = Balance(HouseholdBalanceOf("H001"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->household.spendable_points, 5);
  auto head = Balance(BalanceOf("R001"));
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(app::BalanceJson(*head), R"({"resident":"R001","creditScore":2,"spendablePoints":2})");
}

TEST_F(AppPointsTest, TheCountyIsListedByVillageThenId) {
  AwardSeq("R004", "1", "2021-07-05");
  auto b = Balance(CountyBalance());
  ASSERT_TRUE(b.ok());
  std::vector<std::string> order;
  for (const auto& r : b->residents) order.push_back(r.village + "/" + r.resident);
  EXPECT_EQ(order, (std::vector<std::string>{"V01/R001", "V01/R002", "V01/R003", "V02/R004"}));
  EXPECT_NE(app::BalanceJson(*b).find(
                R"({"resident":"R004","creditScore":1,"spendablePoints":1,"village":"V02"}]})"),
            std::string::npos);
}

// Ids that share their first eight bytes (which the county's sort compares
// as one number first) are still in byte order: villages' by the sort's
// last comparison (tried: ordering those by position instead fails this),
// residents' also by the stored rows' own order.
TEST_F(AppPointsTest, TheCountyIsInByteOrderWhereIdsShareTheirFirstBytes) {
  l.Vl("village add VILLAGE-0002 --name 丙村");
  l.Vl("village add VILLAGE-0001 --name 丁村");
  l.Vl("household add H101 --village VILLAGE-0001 --head 赵六");
  l.Vl("household add H102 --village VILLAGE-0002 --head 赵七");
  l.Vl("resident add R0000000-B --village V02 --household H003 --name 王四 --adult");
  l.Vl("resident add R0000000-A --village V02 --household H003 --name 王五 --adult");
  l.Vl("resident add R0000000-C --village VILLAGE-0001 --household H101 --name 赵六 --adult");
  l.Vl("resident add R0000000-D --village VILLAGE-0002 --household H102 --name 赵七 --adult");
  l.Vl("resident add R0000000-E --village VILLAGE-0001 --household H101 --name 赵八 --adult");
  auto b = Balance(CountyBalance());
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::vector<std::string> order;
  for (const auto& r : b->residents) order.push_back(r.village + "/" + r.resident);
  EXPECT_EQ(order,
            (std::vector<std::string>{"V01/R001", "V01/R002", "V01/R003", "V02/R0000000-A",
                                      "V02/R0000000-B", "V02/R004", "VILLAGE-0001/R0000000-C",
                                      "VILLAGE-0001/R0000000-E", "VILLAGE-0002/R0000000-D"}));
}

// The command line writes a county's JSON in pieces as it is made: put
// together, they are the document, whatever the size of a piece, and each
// piece but the last ends after a whole resident's row.
TEST_F(AppPointsTest, TheCountysJsonInPiecesIsTheWholeDocument) {
  AwardSeq("R001", "5", "2021-07-05");
  l.Vl("village grades V01 --from 2021-01-01 --grades A:8,B:3");
  auto b = Balance(CountyBalance());
  ASSERT_TRUE(b.ok()) << b.status().message();
  const std::string whole = app::BalanceJson(*b);
  ASSERT_TRUE(whole.starts_with(R"({"residents":[{"resident":"R001")")) << whole;
  for (size_t piece_bytes : {size_t{1}, size_t{40}, size_t{100}, whole.size(), size_t{64} << 10}) {
    std::vector<std::string> pieces;
    app::WriteBalanceJson(
        *b, [&](std::string_view piece) { pieces.emplace_back(piece); }, piece_bytes);
    std::string joined;
    for (const std::string& p : pieces) joined += p;
    EXPECT_EQ(joined, whole) << piece_bytes;
    // One resident to a piece, then the closing brackets.
    if (piece_bytes == 1) {
      EXPECT_EQ(pieces.size(), b->residents.size() + 1);
    }
    for (size_t i = 0; i + 1 < pieces.size(); i++) {
      EXPECT_GE(pieces[i].size(), piece_bytes) << i;
      EXPECT_TRUE(pieces[i].ends_with("}")) << pieces[i];
    }
  }
}

// The county's balances are read from the stored rows without loading
// the residents: each row is what `balance R` says of its resident, grade
// and benefits included, now and replayed at an earlier seq.
TEST_F(AppPointsTest, EachCountyRowIsTheResidentsOwnBalance) {
  uint64_t first = AwardSeq("R001", "5", "2021-07-05");
  AwardSeq("R003", "9", "2021-07-06");
  AwardSeq("R004", "2", "2021-07-06");
  l.Vl("village grades V01 --from 2021-01-01 --grades A:8,B:3");
  l.Vl("benefit add BUS --name 免费乘公交 --partner 县交通局 --min-grade B --village V01");
  l.Vl("deduct R003 LITTER --on 2021-07-07");
  for (const std::string& at : {std::string(), std::to_string(first)}) {
    app::BalanceRequest county = CountyBalance();
    county.at = at;
    auto all = Balance(county);
    ASSERT_TRUE(all.ok()) << all.status().message();
    ASSERT_EQ(all->residents.size(), 4u);
    std::string json = app::BalanceJson(*all);
    for (const app::ResidentBalance& row : all->residents) {
      auto one = Balance(BalanceOf(row.resident, at));
      ASSERT_TRUE(one.ok()) << one.status().message();
      const app::ResidentBalance& b = one->residents.at(0);
      EXPECT_EQ(row.credit_score, b.credit_score) << row.resident << " at " << at;
      EXPECT_EQ(row.spendable_points, b.spendable_points) << row.resident;
      EXPECT_EQ(row.grade, b.grade) << row.resident;
      EXPECT_EQ(row.benefits.size(), b.benefits.size()) << row.resident;
      std::string own = app::BalanceJson(*one);
      own.insert(own.size() - 1, ",\"village\":\"" + row.village + "\"");
      EXPECT_NE(json.find(own), std::string::npos) << own << " in " << json;
    }
  }
  auto now = Balance(CountyBalance());
  ASSERT_TRUE(now.ok());
  const app::ResidentBalance& r3 = now->residents.at(2);
  ASSERT_EQ(r3.resident, "R003");
  EXPECT_EQ(r3.credit_score, 6);
  EXPECT_EQ(r3.grade, "B");
  ASSERT_EQ(r3.benefits.size(), 1u);
  EXPECT_EQ(r3.benefits[0].code, "BUS");
  EXPECT_EQ(now->residents.at(3).grade, "");  // V02 has no policy
}

TEST_F(AppPointsTest, BalanceAndHistoryAnswerAsOfASeq) {
  uint64_t first = AwardSeq("R001", "5", "2021-07-05");
  uint64_t second = AwardSeq("R001", "3", "2021-07-06");
  ASSERT_GT(second, first);
  auto then = Balance(BalanceOf("R001", std::to_string(first)));
  ASSERT_TRUE(then.ok()) << then.status().message();
  EXPECT_EQ(then->residents.at(0).credit_score, 5);
  auto now = Balance(BalanceOf("R001"));
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->residents.at(0).credit_score, 8);

  auto h = app::History(l.AdminSession(), HistoryOf("R001", std::to_string(first)));
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->rows.size(), 1u);
  EXPECT_EQ(h->rows[0].seq, first);
  EXPECT_EQ(h->rows[0].kind, app::HistoryRow::Kind::kEntry);
  EXPECT_EQ(
      app::HistoryJson(*h),
      "{\"resident\":\"R001\",\"creditScore\":5,\"spendablePoints\":5,\"history\":[{\"seq\":" +
          std::to_string(first) +
          ",\"type\":\"pointsAwarded\",\"date\":\"2021-07-05\",\"rule\":\"VOL\","
          "\"points\":5,\"status\":\"approved\"}]}");

  // A reversal shows on the reversed row and as a row of its own.
  l.Vl("reverse " + std::to_string(first) + " --reason 录错");
  h = app::History(l.AdminSession(), HistoryOf("R001"));
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->rows.size(), 3u);
  EXPECT_EQ(h->rows[0].reversed_by, h->rows[2].seq);
  EXPECT_EQ(h->rows[2].kind, app::HistoryRow::Kind::kReversal);
  EXPECT_EQ(h->rows[2].target, first);
  EXPECT_EQ(h->balance.credit_score, 3);
}

TEST_F(AppPointsTest, AMalformedAtIsInvalidInput) {
  auto b = Balance(BalanceOf("R001", "-1"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), Code::kInvalidInput);
  EXPECT_EQ(b.status().field(), "--at");
  auto at = app::ParseAtSeq("");
  ASSERT_TRUE(at.ok());
  EXPECT_FALSE(at->has_value());
}

// --------------------------------------------------------------- ranking

TEST_F(AppPointsTest, RankOrdersByPointsAndTiesShareARank) {
  AwardSeq("R003", "5", "2021-07-05");
  AwardSeq("R001", "5", "2021-07-06");
  AwardSeq("R002", "3", "2021-07-07");
  AwardSeq("R004", "9", "2021-07-07");  // another village
  auto r = app::Rank(l.AdminSession(), RankOf("V01", "2021Q3"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->ranking.size(), 3u);
  EXPECT_EQ(r->ranking[0].id, "R001");  // ties: by id
  EXPECT_EQ(r->ranking[0].rank, 1u);
  EXPECT_EQ(r->ranking[1].id, "R003");
  EXPECT_EQ(r->ranking[1].rank, 1u);
  EXPECT_EQ(r->ranking[2].id, "R002");
  EXPECT_EQ(r->ranking[2].rank, 3u);
  EXPECT_PRED2(
      StartsWith, app::RankJson(*r),
      R"({"village":"V01","period":"2021Q3","ranking":[{"rank":1,"resident":"R001","points":5,"stars":0,)");

  auto h = app::Rank(l.AdminSession(), RankOf("V01", "2021Q3", true));
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->ranking.size(), 2u);
  EXPECT_EQ(h->ranking[0].id, "H001");
  EXPECT_EQ(h->ranking[0].points, 8);
  EXPECT_NE(app::RankJson(*h).find(R"("household":"H001")"), std::string::npos);

  auto none = app::Rank(l.AdminSession(), RankOf("V01", "2020"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->ranking.empty());
}

// ---------------------------------------------------------------- review

class AppReviewTest : public AppPointsTest {
 protected:
  void SetUp() override {
    AppPointsTest::SetUp();
    l.Vl("key new --out rev.key", false);
    l.Vl("key register --pub rev.key.pub --role reviewer --village V01");
    l.Vl("village policy V01 --review on");
    l.Vl("village policy V02 --review on");
    p1 = AwardSeq("R003", "4", "2021-08-10");
    p2 = AwardSeq("R003", "2", "2021-08-11");
    p3 = AwardSeq("R004", "3", "2021-08-12");
  }

  Result<app::ReviewResult> Review(std::vector<std::string> approve,
                                   std::vector<std::string> reject) {
    app::ReviewRequest r;
    r.approve = std::move(approve);
    r.reject = std::move(reject);
    return app::Review(l.SessionFor(l.File("rev.key")), r);
  }

  uint64_t p1 = 0, p2 = 0, p3 = 0;
};

TEST_F(AppReviewTest, PendingListsTheVillagesEntriesInSeqOrder) {
  auto p = app::Pending(l.AdminSession(), InVillage<app::PendingRequest>("V01"));
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->pending.size(), 2u);
  EXPECT_EQ(p->pending[0].seq, p1);
  EXPECT_EQ(p->pending[1].seq, p2);
  std::string json = app::PendingJson(*p);
  EXPECT_PRED2(StartsWith, json,
               "{\"village\":\"V01\",\"pending\":[{\"seq\":" + std::to_string(p1) +
                   ",\"type\":\"pointsAwarded\",\"resident\":\"R003\"," + "\"rule\":\"VOL\"");
  // Nothing counts before review.
  auto b = Balance(BalanceOf("R003"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->residents.at(0).credit_score, 0);
}

TEST_F(AppReviewTest, ApprovedEntriesCountAndRejectionReasonsAreWarnedAbout) {
  auto r = Review({std::to_string(p1)}, {std::to_string(p2) + ":证据不足"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].English().find("a rejection reason is part of the public log"),
            std::string::npos);
  auto b = Balance(BalanceOf("R003"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->residents.at(0).credit_score, 4);
  auto p = app::Pending(l.AdminSession(), InVillage<app::PendingRequest>("V01"));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->pending.empty());
  EXPECT_EQ(app::PendingJson(*p), R"({"village":"V01","pending":[]})");
  // An approval alone warns about nothing.
  l.Vl("village policy V01 --review off");
  uint64_t p4 = AwardSeq("R001", "1", "2021-08-13");
  l.Vl("village policy V01 --review on");
  auto again = Review({std::to_string(p4)}, {});
  ASSERT_FALSE(again.ok());  // approved already: not pending
}

TEST_F(AppReviewTest, EntriesOfTwoVillagesAreRefused) {
  auto r = Review({std::to_string(p1), std::to_string(p3)}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
  EXPECT_EQ(r.status().field(), "seq");
  EXPECT_NE(r.status().message().find("review one village at a time"), std::string::npos);
}

TEST_F(AppReviewTest, ASeqThatIsNoEntryIsNotFound) {
  auto r = Review({"99999"}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().field(), "seq");
  EXPECT_EQ(r.status().message(), "seq: seq 99999 is not a points entry");
  r = Review({"0"}, {});  // the genesis
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

TEST_F(AppReviewTest, MalformedSeqsAreInvalidInput) {
  auto r = Review({}, {std::to_string(p2)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
  EXPECT_EQ(r.status().field(), "--reject");
  r = Review({"-1"}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "--approve");
  r = Review({}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
}

// -------------------------------------------------------------- warnings

TEST_F(AppPointsTest, ANoteIsWarnedAboutOnlyWhenTheAwardSucceeded) {
  auto ok = Award("R001", "2", "2021-07-05", "义务理发");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->warnings.size(), 1u);
  EXPECT_EQ(ok->warnings[0].English(),
            "--note is part of the public log: keep personal details out of it");
  auto plain = Award("R001", "2", "2021-07-05");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->warnings.empty());
  auto refused = Award("NOPE", "2", "2021-07-05", "hi");
  ASSERT_FALSE(refused.ok());
  EXPECT_PRED2(StartsWith, refused.status().message(), "resident: ");
  // A blank note is refused naming the option (validate.h's message).
  auto blank = Award("R001", "2", "2021-07-05", "\u3000");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.status().code(), Code::kInvalidInput);
  EXPECT_PRED2(StartsWith, blank.status().message(), "--note: ");
}

// -------------------------------------------------------------- refusals

TEST_F(AppPointsTest, UnknownNamesAreNotFoundNamingTheirField) {
  struct Case {
    Status status;
    std::string field;
  };
  app::Session s = l.AdminSession();
  std::vector<Case> cases = {
      {Balance(BalanceOf("R999")).status(), "RESIDENT"},
      {Balance(HouseholdBalanceOf("H999")).status(), "--household"},
      {Balance(VillageBalanceOf("V99")).status(), "--village"},
      {app::History(s, HistoryOf("R999")).status(), "RESIDENT"},
      {app::Rank(s, RankOf("V99", "2021")).status(), "--village"},
      {app::Pending(s, InVillage<app::PendingRequest>("V99")).status(), "--village"},
      {app::RuleList(s, InVillage<app::RuleListRequest>("V99")).status(), "--village"},
      {app::ResidentList(s, InVillage<app::ResidentListRequest>("V99")).status(), "--village"},
      {app::HouseholdList(s, InVillage<app::HouseholdListRequest>("V99")).status(), "--village"},
  };
  app::VillagePolicyRequest policy;
  policy.village = "V99";
  policy.review = "on";
  cases.push_back({app::VillagePolicy(s, policy).status(), "village"});
  app::PersonEraseRequest erase;
  erase.id = "X999";
  erase.reason = "已迁出";
  cases.push_back({app::PersonErase(s, erase).status(), "ID"});
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), Code::kNotFound) << c.status.message();
    EXPECT_EQ(c.status.field(), c.field) << c.status.message();
    EXPECT_EQ(c.status.message().find(c.field + ": " + c.field), std::string::npos)
        << "field repeated in the text: " << c.status.message();
  }
  EXPECT_EQ(cases[0].status.message(), "RESIDENT: unknown resident \"R999\"");
}

// -------------------------------------------------------------- registry

TEST_F(AppPointsTest, ResidentsAreListedWithNamesAgesAndErasures) {
  l.Vl("person erase R003 --reason 本人要求");
  auto r = app::ResidentList(l.AdminSession(), InVillage<app::ResidentListRequest>("V01"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->residents.size(), 3u);
  EXPECT_EQ(r->residents[0].name, "曲建国");
  EXPECT_EQ(r->residents[0].age, AgeClass::kAdult);
  EXPECT_EQ(r->residents[1].age, AgeClass::kMinor);
  EXPECT_EQ(r->residents[2].name, app::kErasedName);
  EXPECT_EQ(app::AgeName(AgeClass::kUnknown), "unknown");
  std::string json = app::ResidentListJson(*r);
  EXPECT_PRED2(
      StartsWith, json,
      R"({"residents":[{"id":"R001","village":"V01","household":"H001","name":"曲建国","minor":false,"status":"active","age":"adult"},)");

  auto h = app::HouseholdList(l.AdminSession(), app::HouseholdListRequest());
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->households.size(), 3u);
  EXPECT_EQ(h->households[0].head, "曲建国");
  EXPECT_EQ(h->households[0].head_resident, "R001");
  EXPECT_PRED2(
      StartsWith, app::HouseholdListJson(*h),
      R"({"households":[{"id":"H001","village":"V01","head":"曲建国","headResident":"R001"},)");

  auto v = app::VillageList(l.AdminSession(), {});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(
      app::VillageListJson(*v),
      R"({"villages":[{"code":"V01","name":"曲家村","review":false,"starPoints":20,"maxStars":5,"redFlagSharePct":10},)"
      R"({"code":"V02","name":"乙村","review":false,"starPoints":20,"maxStars":5,"redFlagSharePct":10}]})");
}

}  // namespace
}  // namespace vledger
