// Reports: masking, working days, the footer line, section markers, and
// the privacy rules applied while a report is gathered, in every format.
#include "vledger/projections/report.h"

#include <gtest/gtest.h>

#include <map>

#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/apply.h"
#include "vledger/projections/objections.h"

namespace vledger {
namespace {

TEST(Report, MaskNameKeepsFirstAndLastCharacter) {
  EXPECT_EQ(MaskName("张三明"), "张*明");
  EXPECT_EQ(MaskName("欧阳明月"), "欧*月");
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("张"), "张*");
  EXPECT_EQ(MaskName("Li Lei"), "L*i");
}

TEST(Report, MaskPhoneShowsThreeAndFour) { EXPECT_EQ(MaskPhone("13812341234"), "138****1234"); }

TEST(Objections, WorkingDaysSkipWeekends) {
  EXPECT_EQ(AddWorkingDays("2021-09-30", 7), "2021-10-11");  // Thursday
  EXPECT_EQ(AddWorkingDays("2021-10-01", 1), "2021-10-04");  // Friday -> Monday
  EXPECT_EQ(AddWorkingDays("2021-10-02", 1), "2021-10-04");  // Saturday -> Monday
  EXPECT_EQ(AddWorkingDays("2020-02-27", 2), "2020-03-02");  // across 29 February
  EXPECT_EQ(AddWorkingDays("2021-12-31", 1), "2022-01-03");
}

TEST(Objections, WorkingDaysFollowTheCountysCalendar) {
  // 2021 National Day: 10-01 and 10-04..07 off, Sunday 09-26 and Saturday
  // 10-09 worked.
  WorkingCalendar c{{"2021-10-01", "2021-10-04", "2021-10-05", "2021-10-06", "2021-10-07"},
                    {"2021-09-26", "2021-10-09"}};
  EXPECT_EQ(AddWorkingDays("2021-09-30", 7, c), "2021-10-15");
  EXPECT_EQ(AddWorkingDays("2021-09-30", 1, c), "2021-10-08");
  EXPECT_EQ(AddWorkingDays("2021-09-25", 1, c), "2021-09-26");  // a Sunday worked
  EXPECT_FALSE(IsWorkingDay("2021-10-01", c));
  EXPECT_TRUE(IsWorkingDay("2021-10-09", c));
  EXPECT_EQ(AddWorkingDays("2021-09-30", 7, WorkingCalendar{}), AddWorkingDays("2021-09-30", 7));
}

TEST(Report, ChineseNumbersAndDates) {
  EXPECT_EQ(ChineseNumber(0), "零");
  EXPECT_EQ(ChineseNumber(10), "十");
  EXPECT_EQ(ChineseNumber(12), "十二");
  EXPECT_EQ(ChineseNumber(110), "一百一十");
  EXPECT_EQ(ChineseNumber(1005), "一千零五");
  EXPECT_EQ(ChineseNumber(3456), "三千四百五十六");
  EXPECT_EQ(ChineseNumber(10001), "一万零一");
  EXPECT_EQ(ChineseNumber(100010), "十万零一十");
  EXPECT_EQ(ChineseNumber(120000), "十二万");
  EXPECT_EQ(ChineseDate("2021-09-30"), "二〇二一年九月三十日");
  EXPECT_EQ(ChineseDate("2020-10-01"), "二〇二〇年十月一日");
}

TEST(Report, FooterCarriesEditionRendererAndWindow) {
  ReportArgs a{"V1", "2021Q3", "bulletin", "md", "zh", 42};
  a.edition = "board";
  a.window_days = 10;
  EXPECT_EQ(FooterLine(a),
            "vledger-report village=V1 period=2021Q3 kind=bulletin format=md lang=zh size=42 "
            "edition=board renderer=7 window=10");
  a.site_url = "https://x.cn/v/V1";
  auto parsed = ParseFooter("<footer>" + FooterLine(a) + "</footer>");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->edition, "board");
  EXPECT_EQ(parsed->renderer, kRendererVersion);
  EXPECT_EQ(parsed->window_days, 10);
  EXPECT_EQ(parsed->site_url, "https://x.cn/v/V1");
  // A footer that ends at size= is renderer 1's.
  auto old = ParseFooter(
      "vledger-report village=V1 period=2021Q3 kind=bulletin format=md "
      "lang=zh size=42\n");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->renderer, 1u);
  EXPECT_EQ(old->edition, "full");
}

TEST(Report, FooterRoundTripsAndTheLastOneCounts) {
  ReportArgs a{"V1", "2021Q3", "bulletin", "md", "zh", 42};
  std::string text =
      "x " + FooterLine({"V2", "2021", "points", "csv", "en", 7}) + "\n" + FooterLine(a) + "\n";
  auto parsed = ParseFooter(text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(FooterLine(*parsed), FooterLine(a));
  EXPECT_EQ(ParseFooter("no footer").status().code(), Code::kVerificationFailed);
  EXPECT_EQ(ParseFooter(FooterLine({"V1", "2021Q3", "weekly", "md", "zh", 1})).status().code(),
            Code::kVerificationFailed);
}

// A small village replayed into memory: two adults, a minor, a fund with
// a consenting donor, a donor who did not consent, and payments.
class ReportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    admin_id_ = key->key_id();
    Add(Genesis{"测试", "vledger/test", key->public_key().raw()});
    Add(VillageRegistered{"V1", "甲夼曲家村"});
    std::string head = Person("曲建国", "");
    Add(HouseholdRegistered{"H1", "V1", head});
    Add(ResidentRegistered{"R1", "V1", "H1", false, Person("曲建国", ""), true});
    Add(ResidentRegistered{"R2", "V1", "H1", false, Person("王秀英", "13812341234"), true});
    Add(ResidentRegistered{"R3", "V1", "H1", true, Person("曲子涵", "")});
    Add(ResidentRegistered{"R4", "V1", "H1", false, Person("欧阳明月", ""), true});
    Add(HouseholdHeadSet{"H1", "R1"});
    RuleDefined vol;
    vol.code = "VOL";
    vol.category = "志愿服务";
    vol.points = 5;
    vol.has_range = true;
    vol.min = 1;
    vol.max = 50;
    Add(vol);
    Award("R1", 25);
    Award("R2", 45);
    Award("R3", 30);
    FundOpened fund;
    fund.code = "CF";
    fund.name = "慈善基金";
    fund.kind = "charity";
    fund.village = "V1";
    fund.list_beneficiaries = "masked";
    Add(fund);
    Donate(Person("张三丰", ""), false, 10000);
    Donate(Person("李四光", ""), true, 20000);
    Pay("R4", 5000);
    Pay("R3", 3000);
  }

  std::string Person(const std::string& name, const std::string& phone, uint16_t birth_year = 0,
                     uint32_t birth_date = 0) {
    vledger::Person p;
    p.name = name;
    p.phone = phone;
    p.birth_year = birth_year;
    p.birth_date = birth_date;
    p.id_card_hash = std::string(32, 'x');
    std::string salt(16, static_cast<char>('a' + persons_.size()));
    std::string ref = PersonRef(salt, EncodePerson(p));
    persons_[ref] = p;
    return ref;
  }
  void Award(const std::string& resident, int64_t points) {
    PointsAwarded a;
    a.resident = resident;
    a.rule = "VOL";
    a.points = points;
    a.occurred_on = "2021-08-03";
    Add(a);
  }
  void Donate(const std::string& ref, bool public_name, int64_t fen) {
    DonationReceived d;
    d.fund = "CF";
    d.donor_ref = ref;
    d.public_name = public_name;
    d.amount_fen = fen;
    d.receipt = "R" + std::to_string(events_.size());
    Add(d);
  }
  void Pay(const std::string& resident, int64_t fen) {
    FundDisbursed p;
    p.fund = "CF";
    p.to_resident = resident;
    p.amount_fen = fen;
    p.purpose = "";
    Add(p);
  }
  void Add(EventBody body) {
    Event e;
    e.recorded_at_ms = now_ms_;
    e.key_id = admin_id_;
    e.body = std::move(body);
    uint64_t seq = events_.size();
    Status st = ApplyEvent(state_, seq, e);
    ASSERT_TRUE(st.ok()) << EventTypeName(e.body) << ": " << st.message();
    events_.push_back(std::move(e));
  }
  ReportData Build(const std::string& format) {
    PersonLookup lookup = [this](std::string_view ref) -> std::optional<vledger::Person> {
      auto it = persons_.find(std::string(ref));
      if (it == persons_.end()) return std::nullopt;
      return it->second;
    };
    ReportArgs args{"V1", "2021Q3", "bulletin", format, "zh", events_.size()};
    auto d = BuildReport(state_, lookup, args, "vledger/test\n1\nAAAA\n\n— vledger/test x\n");
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : ReportData{};
  }

  std::vector<Event> events_;
  StateStore state_{static_cast<RowSource*>(nullptr), [this](uint64_t seq) -> Result<Event> {
                      if (seq >= events_.size()) return Status::NotFound("no such event");
                      return events_[seq];
                    }};
  std::map<std::string, vledger::Person> persons_;
  std::string admin_id_;
  int64_t now_ms_ = 1632996000000;  // 2021-09-30T10:00:00Z
};

TEST_F(ReportFixture, MinorsOnlyInTotals) {
  ReportData d = Build("json");
  ASSERT_EQ(d.residents_ranked.size(), 2u);
  EXPECT_EQ(d.residents_ranked[0].id, "R2");
  EXPECT_EQ(d.residents_ranked[0].stars, 2u);
  EXPECT_TRUE(d.residents_ranked[0].red_flag);
  EXPECT_EQ(d.minor_points, 30);
  EXPECT_EQ(d.total_points, 100);
  ASSERT_EQ(d.funds.size(), 1u);
  EXPECT_EQ(d.funds[0].minor_payments, 1u);
  EXPECT_EQ(d.funds[0].minor_fen, 3000);
}

TEST_F(ReportFixture, OnlyResidentsKnownToBeAdultsOnTheReportDateAreNamed) {
  // A child by birth year whose --minor was forgotten, a resident of
  // unknown age, one born in 2003 (birth year only: a minor all 2021), and
  // one whose ID card says 2003-06-15 (an adult since 2021-06-15) though
  // declared a minor.
  Add(ResidentRegistered{"R5", "V1", "H1", false, Person("曲小刚", "", 2016)});
  Add(ResidentRegistered{"R6", "V1", "H1", false, Person("曲未知", "")});
  Add(ResidentRegistered{"R7", "V1", "H1", false, Person("曲青年", "", 2003)});
  Add(ResidentRegistered{"R8", "V1", "H1", true, Person("曲身份", "", 2003, 20030615)});
  for (const char* r : {"R5", "R6", "R7", "R8"}) Award(r, 10);
  std::string out = RenderReport(Build("md"));
  for (const char* hidden : {"曲小刚", "曲未知", "曲青年"}) {
    EXPECT_EQ(out.find(hidden), std::string::npos) << hidden;
  }
  EXPECT_NE(out.find("曲身份"), std::string::npos);
  EXPECT_EQ(Build("json").minors, 4u);  // R3, R5, R6, R7
  // The report's date is its last event's: one recorded in 2022 makes the
  // resident born in 2003 an adult.
  now_ms_ = 1641340800000;  // 2022-01-05T00:00:00Z
  Add(VillageRegistered{"V2", "乙村"});
  out = RenderReport(Build("md"));
  EXPECT_NE(out.find("曲青年"), std::string::npos);
  EXPECT_EQ(out.find("曲小刚"), std::string::npos);
  EXPECT_EQ(out.find("曲未知"), std::string::npos);
}

TEST_F(ReportFixture, NoFormatLeaksPersonalData) {
  for (const char* format : {"html", "md", "csv", "json"}) {
    std::string out = RenderReport(Build(format));
    for (const char* secret : {"曲子涵", "张三丰", "欧阳明月", "13812341234", "xxxxxxxx"}) {
      EXPECT_EQ(out.find(secret), std::string::npos) << format << " shows " << secret;
    }
    EXPECT_NE(out.find("李四光"), std::string::npos) << format;
    EXPECT_NE(out.find("爱心人士"), std::string::npos) << format;
    EXPECT_NE(out.find("王秀英"), std::string::npos) << format;
  }
  EXPECT_NE(RenderReport(Build("html")).find("欧*月"), std::string::npos);
}

TEST_F(ReportFixture, ErasedPersonShowsAsDeleted) {
  for (auto it = persons_.begin(); it != persons_.end(); ++it) {
    if (it->second.name == "王秀英") {
      persons_.erase(it);
      break;
    }
  }
  std::string out = RenderReport(Build("md"));
  EXPECT_NE(out.find("已删除"), std::string::npos);
  EXPECT_EQ(out.find("王秀英"), std::string::npos);
}

TEST_F(ReportFixture, SameInputsSameBytes) {
  for (const char* format : {"html", "md", "csv", "json"}) {
    EXPECT_EQ(RenderReport(Build(format)), RenderReport(Build(format))) << format;
  }
}

TEST_F(ReportFixture, SectionAtNamesEverySection) {
  for (const char* format : {"html", "md", "csv", "json"}) {
    std::string out = RenderReport(Build(format));
    size_t at = out.find("王秀英");
    ASSERT_NE(at, std::string::npos);
    std::string want = std::string(format) == "json" ? "rankingResidents" : kSectionResidents;
    EXPECT_EQ(SectionAt(format, out, at), want) << format;
    std::string footer = std::string(format) == "json" ? "footer" : kSectionFooter;
    EXPECT_EQ(SectionAt(format, out, out.rfind("vledger-report")), footer) << format;
    EXPECT_EQ(SectionAt(format, out, 0), kSectionHeader) << format;
  }
}

// Text from the public log that a spreadsheet would run as a formula, or
// Markdown would turn into markup or a link, is defused; numbers are not.
TEST_F(ReportFixture, CsvDefusesFormulasAndMarkdownEscapesMarkupAndLinks) {
  ReportData d = Build("csv");
  d.rules.push_back({"SORT", "环境整治", "-垃圾不分类", "-3", 2, -6});
  CorrectionLine c;
  c.seq = 9;
  c.target = 8;
  c.date = "2021-09-30";
  c.type = "pointsDeducted";
  c.summary = "+1";
  c.reason = "-2+3+cmd|' /C calc'!A0";
  c.change = "=HYPERLINK(1)";
  d.corrections.push_back(c);
  ObjectionLine o;
  o.seq = 10;
  o.about = "seq 8";
  o.filed_on = "2021-09-30";
  o.reply_due = "2021-10-11";
  o.text = "=1+1";
  o.answer = "@SUM(A1)";
  d.objections.push_back(o);
  o.seq = 11;
  o.text = "\tx";
  o.answer = "\rcmd";
  d.objections.push_back(o);
  o.seq = 12;
  o.text = "a~b <i> & http://evil.example www.Evil.example x@y.cn 1:2 曲建国";
  o.answer = "无";
  d.objections.push_back(o);
  d.residents_ranked[0].points = -5;

  std::string csv = RenderCsv(d);
  EXPECT_NE(csv.find("\r\nrules,SORT,环境整治,'-垃圾不分类,-3,2,-6\r\n"), std::string::npos) << csv;
  EXPECT_NE(
      csv.find(",9,2021-09-30,8,pointsDeducted,'+1,'-2+3+cmd|' /C calc'!A0,0,'=HYPERLINK(1)\r\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",'=1+1,open,,,'@SUM(A1),\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'\tx,open,,,\"'\rcmd\",\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\nranking-residents,1,R2,王秀英,-5,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",-2+3"), std::string::npos);

  d.args.format = "md";
  std::string md = RenderMarkdown(d);
  EXPECT_NE(md.find("| a\\~b \\<i\\> \\& http\\://evil.example www\\.Evil.example x\\@y.cn 1:2 "
                    "曲建国 |"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("http://"), std::string::npos);
  // A cell with nothing to escape is unchanged.
  EXPECT_NE(md.find("| 王秀英 |"), std::string::npos);
}

}  // namespace
}  // namespace vledger
