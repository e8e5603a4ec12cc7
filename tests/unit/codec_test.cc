// Tests of the canonical event codec: round trips, the exact byte layout
// SPEC section 5 relies on, refusal of hostile or non-canonical bytes, the
// person commitment and the JSON view of bodies.
#include "vledger/ledger/codec.h"

#include <capnp/any.h>
#include <capnp/message.h>
#include <capnp/schema.h>
#include <capnp/serialize.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "event.capnp.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"

namespace vledger {
namespace {

struct BodyCase {
  EventBody body;
  std::string json;  // EventBodyJson(body), written out by hand
};

// One body of every type in variant order (plus the report form of
// objectionFiled's `about`), with every field away from its default so a
// field the codec forgets shows up as a difference.
std::vector<BodyCase> EveryBody() {
  constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
  constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
  return {
      {Genesis{.name = "荣成市信用积分",
               .origin = "vledger/rc",
               .public_key = "\x01\x02\x03",
               .test_clock = true,
               .monotonic_time = true},
       R"({"name":"荣成市信用积分","origin":"vledger/rc","publicKey":"010203","testClock":true,)"
       R"("monotonicTime":true})"},
      {KeyRegistered{.public_key = "\xaa\xbb",
                     .role = "collector",
                     .villages = {"qujia", "dongcun"},
                     .label = "曲家村信息采集员"},
       R"({"publicKey":"aabb","role":"collector","villages":["qujia","dongcun"],)"
       R"("label":"曲家村信息采集员"})"},
      {KeyRevoked{.key_id = "0011223344556677"}, R"({"keyId":"0011223344556677"})"},
      {VillageRegistered{.code = "qujia", .name = "曲家村"}, R"({"code":"qujia","name":"曲家村"})"},
      {HouseholdRegistered{.id = "h1", .village = "qujia", .head_ref = "\x10\x11"},
       R"({"id":"h1","village":"qujia","headRef":"1011"})"},
      {HouseholdHeadSet{.household = "h1", .resident = "r1"},
       R"({"household":"h1","resident":"r1"})"},
      {VillagePolicySet{.village = "qujia",
                        .review = true,
                        .star_points = 25,
                        .max_stars = 7,
                        .red_flag_share_pct = 15,
                        .objection_office = "村务监督委员会",
                        .objection_phone = "0631-7654321",
                        .public_names = "masked",
                        .site_url = "https://x.cn/v",
                        .board_top = 12,
                        .star_household_stars = 3,
                        .holidays = {"2021-10-01"},
                        .workdays = {"2021-10-09"}},
       R"({"village":"qujia","review":true,"starPoints":25,"maxStars":7,"redFlagSharePct":15,)"
       R"("objectionOffice":"村务监督委员会","objectionPhone":"0631-7654321","publicNames":"masked",)"
       R"("siteUrl":"https://x.cn/v","boardTop":12,"starHouseholdStars":3,)"
       R"("holidays":["2021-10-01"],"workdays":["2021-10-09"]})"},
      {ResidentRegistered{.id = "r1",
                          .village = "qujia",
                          .household = "h1",
                          .minor = true,
                          .person_ref = "\x20\x21",
                          .adult = true},
       R"({"id":"r1","village":"qujia","household":"h1","minor":true,"personRef":"2021",)"
       R"("adult":true})"},
      {ResidentUpdated{.id = "r1",
                       .household = "h2",
                       .status = "departed",
                       .person_ref = "\x40",
                       .minor = true,
                       .adult = true},
       R"({"id":"r1","household":"h2","status":"departed","personRef":"40","minor":true,)"
       R"("adult":true})"},
      {PersonErased{.person_ref = "\x30", .reason = "request"},
       R"({"personRef":"30","reason":"request"})"},
      {RuleDefined{.code = "clean",
                   .village = "qujia",
                   .category = "环境整治",
                   .description = "litter",
                   .points = -5,
                   .has_range = true,
                   .min = -10,
                   .max = -1,
                   .cap = 30,
                   .cap_period = "month"},
       R"({"code":"clean","village":"qujia","category":"环境整治","description":"litter",)"
       R"("points":-5,"hasRange":true,"min":-10,"max":-1,"cap":30,"capPeriod":"month"})"},
      {RuleRetired{.code = "clean"}, R"({"code":"clean"})"},
      {PointsAwarded{PointsEntry{.resident = "r1",
                                 .rule = "help",
                                 .points = 10,
                                 .occurred_on = "2021-09-01",
                                 .note = "n1",
                                 .evidence = "\x40\x41",
                                 .household = "h1"}},
       R"({"resident":"r1","rule":"help","points":10,"occurredOn":"2021-09-01","note":"n1",)"
       R"("evidence":"4041","household":"h1"})"},
      {PointsDeducted{PointsEntry{.resident = "r2",
                                  .rule = "clean",
                                  .points = -3,
                                  .occurred_on = "2021-09-02",
                                  .note = "n2",
                                  .evidence = "\x42",
                                  .household = "h2"}},
       R"({"resident":"r2","rule":"clean","points":-3,"occurredOn":"2021-09-02","note":"n2",)"
       R"("evidence":"42","household":"h2"})"},
      {EntriesReviewed{
           .village = "qujia", .approved = {12, 13}, .rejected = {{.seq = 14, .reason = "dup"}}},
       R"({"village":"qujia","approved":[12,13],"rejected":[{"seq":14,"reason":"dup"}]})"},
      {PointsRedeemed{.resident = "r1", .shop = "s1", .item = "soap", .quantity = 2, .points = 8},
       R"({"resident":"r1","shop":"s1","item":"soap","quantity":2,"points":8})"},
      {PointsExpired{.village = "qujia", .before = "2021-01-01"},
       R"({"village":"qujia","before":"2021-01-01"})"},
      {FundOpened{.code = "f1",
                  .name = "爱心基金",
                  .kind = "charity",
                  .village = "qujia",
                  .list_beneficiaries = "masked"},
       R"({"code":"f1","name":"爱心基金","kind":"charity","village":"qujia",)"
       R"("listBeneficiaries":"masked"})"},
      {DonationReceived{.fund = "f1",
                        .donor_ref = "\x50",
                        .donor_org = "org",
                        .anonymous = true,
                        .public_name = true,
                        .amount_fen = 100000,
                        .purpose = "edu",
                        .receipt = "F1-1"},
       R"({"fund":"f1","donorRef":"50","donorOrg":"org","anonymous":true,"publicName":true,)"
       R"("amountFen":100000,"purpose":"edu","receipt":"F1-1"})"},
      {FundDisbursed{.fund = "f1",
                     .to_resident = "r1",
                     .to_household = "h1",
                     .amount_fen = 5000,
                     .purpose = "edu",
                     .period = "2021Q3",
                     .note = "n3",
                     .allowance = 23},
       R"({"fund":"f1","toResident":"r1","toHousehold":"h1","amountFen":5000,"purpose":"edu",)"
       R"("period":"2021Q3","note":"n3","allowance":23})"},
      {AllowanceAdded{.fund = "f1",
                      .to_resident = "r1",
                      .to_household = "h1",
                      .amount_fen = 3000,
                      .purpose = "elder",
                      .from_month = "2021-07",
                      .until_month = "2021-12"},
       R"({"fund":"f1","toResident":"r1","toHousehold":"h1","amountFen":3000,)"
       R"("purpose":"elder","fromMonth":"2021-07","untilMonth":"2021-12"})"},
      {AllowanceStopped{.allowance = 23}, R"({"allowance":23})"},
      {RestrictionReleased{.fund = "f1", .purpose = "edu", .amount_fen = 700, .consent = "ok"},
       R"({"fund":"f1","purpose":"edu","amountFen":700,"consent":"ok"})"},
      {DividendDeclared{.fund = "c1",
                        .village = "qujia",
                        .period = "2021",
                        .amount_fen = kI64Max,
                        .active_only = true},
       R"({"fund":"c1","village":"qujia","period":"2021","amountFen":9223372036854775807,)"
       R"("activeOnly":true})"},
      {EventReversed{.target = 12, .reason = "typo"}, R"({"target":12,"reason":"typo"})"},
      {DisclosurePublished{.village = "qujia",
                           .period = "2021Q3",
                           .kind = "bulletin",
                           .report_sha256 = "\x60\x61",
                           .tree_size = kU64Max,
                           .window_end = "2021-10-12",
                           .format = "md",
                           .lang = "zh"},
       R"({"village":"qujia","period":"2021Q3","kind":"bulletin","reportSha256":"6061",)"
       R"("treeSize":18446744073709551615,"windowEnd":"2021-10-12","format":"md","lang":"zh"})"},
      {ObjectionFiled{.about_event = 12,
                      .about_report = "",
                      .by_resident = "r2",
                      .by_ref = "\x70",
                      .text = "wrong",
                      .reply_due = "2021-10-11"},
       R"({"about":{"event":12},"byResident":"r2","byRef":"70","text":"wrong",)"
       R"("replyDue":"2021-10-11"})"},
      {ObjectionResolved{.objection = 26, .upheld = true, .answer = "fixed", .reversal = 27},
       R"({"objection":26,"upheld":true,"answer":"fixed","reversal":27})"},
      {DisplayNameSet{.kind = "purpose", .code = "edu", .village = "qujia", .name = "助学"},
       R"({"kind":"purpose","code":"edu","village":"qujia","name":"助学"})"},
      {ShopItemAdded{.village = "qujia", .shop = "CS01", .item = "soap", .points = 10, .stock = 5},
       R"({"village":"qujia","shop":"CS01","item":"soap","points":10,"stock":5})"},
      {ShopRestocked{.village = "qujia", .shop = "CS01", .item = "soap", .quantity = 3},
       R"({"village":"qujia","shop":"CS01","item":"soap","quantity":3})"},
      {GradePolicySet{.village = "qujia",
                      .effective_from = "2021-10-01",
                      .basis = "year",
                      .grades = {"AAA", "AA"},
                      .minimums = {200, -5},
                      .household_minimums = {600, 300}},
       R"({"village":"qujia","effectiveFrom":"2021-10-01","basis":"year","grades":["AAA","AA"],)"
       R"("minimums":[200,-5],"householdMinimums":[600,300]})"},
      {BenefitAdded{.code = "BUS",
                    .name = "免费乘公交",
                    .partner = "市交通集团",
                    .min_grade = "AA",
                    .villages = {"qujia", "wangjia"}},
       R"({"code":"BUS","name":"免费乘公交","partner":"市交通集团","minGrade":"AA",)"
       R"("villages":["qujia","wangjia"]})"},
      {BenefitWithdrawn{.code = "BUS"}, R"({"code":"BUS"})"},
      {AttestationIssued{.resident = "r1",
                         .benefit = "BUS",
                         .certificate_hash = "\xab\xcd",
                         .valid_until = "2021-12-29",
                         .grade = "AAA",
                         .checkpoint_size = 42},
       R"({"resident":"r1","benefit":"BUS","certificateHash":"abcd","validUntil":"2021-12-29",)"
       R"("grade":"AAA","checkpointSize":42})"},
      {AttestationRevoked{.certificate_hash = "\xab\xcd", .reason = "重新签发"},
       R"({"certificateHash":"abcd","reason":"重新签发"})"},
      {ObjectionFiled{.about_event = std::nullopt,
                      .about_report = "\x80\x81",
                      .by_resident = "r3",
                      .by_ref = "\x71",
                      .text = "report",
                      .reply_due = "2021-10-13"},
       R"({"about":{"report":"8081"},"byResident":"r3","byRef":"71","text":"report",)"
       R"("replyDue":"2021-10-13"})"},
  };
}

Event WithEnvelope(EventBody body) {
  return {.recorded_at_ms = 1632967200000,
          .key_id = "0011223344556677",
          .request_id = "req-1",
          .body = std::move(body)};
}

Event SampleEvent() { return WithEnvelope(EveryBody()[1].body); }  // keyRegistered

std::string AsBytes(kj::ArrayPtr<const capnp::word> words) {
  return {reinterpret_cast<const char*>(words.begin()), words.size() * sizeof(capnp::word)};
}

void ExpectFault(std::string_view bytes) {
  Result<Event> decoded = DecodeEvent(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Code::kVerificationFailed) << decoded.status().message();
  EXPECT_FALSE(decoded.status().message().empty());
}

// A genesis event built straight on Cap'n Proto, so tests can lay it out
// in ways EncodeEvent never would.
void FillGenesisEvent(::Event::Builder event) {
  event.setRecordedAt(1632967200000);
  event.setKeyId("0011223344556677");
  event.setRequestId("");
  ::Genesis::Builder genesis = event.getBody().initGenesis();
  genesis.setName("ledger");
  genesis.setOrigin("vledger/ledger");
  genesis.setPublicKey(capnp::Data::Reader(reinterpret_cast<const kj::byte*>("\x01\x02"), 2));
}

// Every JSON leaf differs from its type's default (0, false, "", []).
bool HasNoDefaultLeaf(const nlohmann::json& value) {
  if (value.is_object() || (value.is_array() && !value.empty())) {
    for (const auto& element : value) {
      if (!HasNoDefaultLeaf(element)) return false;
    }
    return true;
  }
  return value != nlohmann::json(0) && value != nlohmann::json(false) &&
         value != nlohmann::json("") && !value.is_array();
}

TEST(Codec, TestBodiesCoverEveryTypeAndSetEveryField) {
  std::vector<bool> seen(std::variant_size_v<EventBody>, false);
  for (const BodyCase& c : EveryBody()) {
    seen[c.body.index()] = true;
    EXPECT_TRUE(HasNoDefaultLeaf(nlohmann::json::parse(EventBodyJson(c.body))))
        << EventTypeName(c.body);
  }
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << "no case for index " << i;
}

TEST(Codec, EventBodyJsonShowsSchemaNamesHexDataAndNumbers) {
  for (const BodyCase& c : EveryBody()) {
    EXPECT_EQ(EventBodyJson(c.body), c.json) << EventTypeName(c.body);
  }
}

TEST(Codec, RoundTripsEveryBodyType) {
  for (const BodyCase& c : EveryBody()) {
    const Event event = WithEnvelope(c.body);
    const std::string bytes = EncodeEvent(event);
    Result<Event> decoded = DecodeEvent(bytes);
    ASSERT_TRUE(decoded.ok()) << EventTypeName(c.body) << ": " << decoded.status().message();
    EXPECT_EQ(decoded->recorded_at_ms, event.recorded_at_ms);
    EXPECT_EQ(decoded->key_id, event.key_id);
    EXPECT_EQ(decoded->request_id, event.request_id);
    EXPECT_EQ(decoded->body.index(), c.body.index());
    // The golden JSON names every field's value, so it compares the bodies.
    EXPECT_EQ(EventBodyJson(decoded->body), c.json);
    EXPECT_EQ(EncodeEvent(*decoded), bytes);
  }
}

TEST(Codec, RoundTripsEmptyTextsAndEmbeddedNulBytes) {
  Event event = WithEnvelope(KeyRegistered{.public_key = std::string("\0\0\x01", 3),
                                           .role = std::string("a\0b", 3),
                                           .villages = {"", std::string("\0", 1)},
                                           .label = ""});
  event.key_id = "";
  Result<Event> decoded = DecodeEvent(EncodeEvent(event));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  const auto& body = std::get<KeyRegistered>(decoded->body);
  EXPECT_EQ(body.public_key, std::string("\0\0\x01", 3));
  EXPECT_EQ(body.role, std::string("a\0b", 3));
  EXPECT_EQ(body.villages, (std::vector<std::string>{"", std::string("\0", 1)}));
  EXPECT_EQ(body.label, "");
  EXPECT_EQ(decoded->key_id, "");
}

TEST(Codec, EncodingIsDeterministic) {
  for (const BodyCase& c : EveryBody()) {
    const Event event = WithEnvelope(c.body);
    const Event copy = event;
    EXPECT_EQ(EncodeEvent(event), EncodeEvent(event));
    EXPECT_EQ(EncodeEvent(event), EncodeEvent(copy));
  }
}

TEST(Codec, EncodingStartsWithTheRootStructPointerOfOneCanonicalSegment) {
  const std::string bytes = EncodeEvent(SampleEvent());
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(bytes.size() % 8, 0u);
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  // Low 32 bits: kind 0 (struct) and offset 0, so the struct follows at once.
  EXPECT_EQ(byte(0) | byte(1) | byte(2) | byte(3), 0);
  // High 32 bits: data words, then pointers (keyId, requestId, body).
  EXPECT_EQ(byte(4) | byte(5) << 8, 2);
  EXPECT_EQ(byte(6) | byte(7) << 8, 3);
}

TEST(Codec, EncodingEqualsCapnpCanonicalizeOfTheSameContent) {
  capnp::MallocMessageBuilder message;
  FillGenesisEvent(message.initRoot<::Event>());
  const std::string expected = AsBytes(capnp::canonicalize(message.getRoot<::Event>().asReader()));
  Result<Event> decoded = DecodeEvent(expected);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(EncodeEvent(*decoded), expected);
}

TEST(Codec, EventTypeNameIsTheSchemaUnionMemberName) {
  const std::vector<std::string> expected = {
      "genesis",           "keyRegistered",       "keyRevoked",
      "villageRegistered", "householdRegistered", "householdHeadSet",
      "villagePolicySet",  "residentRegistered",  "residentUpdated",
      "personErased",      "ruleDefined",         "ruleRetired",
      "pointsAwarded",     "pointsDeducted",      "entriesReviewed",
      "pointsRedeemed",    "pointsExpired",       "fundOpened",
      "donationReceived",  "fundDisbursed",       "allowanceAdded",
      "allowanceStopped",  "restrictionReleased", "dividendDeclared",
      "eventReversed",     "disclosurePublished", "objectionFiled",
      "objectionResolved", "displayNameSet",      "shopItemAdded",
      "shopRestocked",     "gradePolicySet",      "benefitAdded",
      "benefitWithdrawn",  "attestationIssued",   "attestationRevoked"};
  ASSERT_EQ(expected.size(), std::variant_size_v<EventBody>);
  for (const BodyCase& c : EveryBody()) {
    EXPECT_EQ(EventTypeName(c.body), expected[c.body.index()]);
  }
}

TEST(Codec, DecodeRejectsEveryTruncation) {
  const std::string bytes = EncodeEvent(SampleEvent());
  for (size_t size = 0; size < bytes.size(); ++size) {
    SCOPED_TRACE(size);
    ExpectFault(std::string_view(bytes).substr(0, size));
  }
}

TEST(Codec, DecodeRejectsRandomGarbage) {
  std::mt19937_64 random(20210930);
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(8 * (1 + random() % 64), '\0');
    for (char& b : bytes) b = static_cast<char>(random());
    ExpectFault(bytes);
  }
}

// A flipped bit either breaks the message (Fault) or yields another valid
// event whose encoding is exactly the flipped bytes; it never crashes.
TEST(Codec, DecodeSurvivesEveryBitFlip) {
  for (const BodyCase& c : EveryBody()) {
    const std::string bytes = EncodeEvent(WithEnvelope(c.body));
    for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      std::string flipped = bytes;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      Result<Event> decoded = DecodeEvent(flipped);
      if (decoded.ok()) {
        EXPECT_EQ(EncodeEvent(*decoded), flipped) << EventTypeName(c.body) << " bit " << bit;
      } else {
        EXPECT_EQ(decoded.status().code(), Code::kVerificationFailed);
      }
    }
  }
}

// The check on the bytes alone (DecodesByBytesAlone) is taken by every
// flat kind as vledger writes it, and it never accepts bytes that Cap'n
// Proto's own canonical check, or re-encoding, would refuse: each bit flip
// it accepts is canonical and decodes to an event that encodes to exactly
// those bytes.
TEST(Codec, BytesAloneCheckIsNeverLaxerThanCapnp) {
  size_t flat_kinds = 0, accepted_flips = 0;
  for (const BodyCase& c : EveryBody()) {
    const std::string bytes = EncodeEvent(WithEnvelope(c.body));
    const std::string_view name = EventTypeName(c.body);
    const bool flat = name == "villageRegistered" || name == "householdRegistered" ||
                      name == "residentRegistered" || name == "pointsAwarded" ||
                      name == "pointsDeducted" || name == "pointsRedeemed" ||
                      name == "donationReceived" || name == "fundDisbursed";
    EXPECT_EQ(DecodesByBytesAlone(bytes), flat) << name;
    flat_kinds += flat;
    for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      std::string flipped = bytes;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      if (!DecodesByBytesAlone(flipped)) continue;
      accepted_flips++;
      kj::Array<capnp::word> words = kj::heapArray<capnp::word>(flipped.size() / 8);
      std::memcpy(words.begin(), flipped.data(), flipped.size());
      kj::ArrayPtr<const capnp::word> segment = words;
      capnp::SegmentArrayMessageReader message(kj::arrayPtr(&segment, 1));
      EXPECT_TRUE(message.isCanonical()) << name << " bit " << bit;
      Result<Event> decoded = DecodeEvent(flipped);
      if (decoded.ok()) {
        EXPECT_EQ(EncodeEvent(*decoded), flipped) << name << " bit " << bit;
      } else {
        // Only a text that lost its NUL may fail, as it would without the check.
        EXPECT_NE(decoded.status().message().find("== '\\0'"), std::string::npos)
            << name << " bit " << bit << ": " << decoded.status().message();
      }
    }
  }
  EXPECT_EQ(flat_kinds, 8u);
  EXPECT_GT(accepted_flips, 0u);  // flips of the data and text bytes stay flat
}

// EncodeEvent writes the common flat kinds itself, without a builder:
// the bytes must be the builder's and canonicalize()'s exactly, for every
// kind and for values at the edges of the layout: empty texts and data,
// lengths on either side of a word (a text's NUL makes 7 bytes a full
// word), zero scalars (a data section of zero words is dropped whole),
// negative and extreme numbers, every combination of the booleans.
TEST(Codec, FlatKindsAreWrittenAsTheBuilderWritesThem) {
  size_t flat_kinds = 0;
  for (const BodyCase& c : EveryBody()) {
    const Event event = WithEnvelope(c.body);
    const std::string_view name = EventTypeName(c.body);
    const bool flat = name == "villageRegistered" || name == "householdRegistered" ||
                      name == "residentRegistered" || name == "pointsAwarded" ||
                      name == "pointsDeducted" || name == "pointsRedeemed" ||
                      name == "donationReceived" || name == "fundDisbursed";
    EXPECT_EQ(EncodesByBytesAlone(event), flat) << name;
    EXPECT_EQ(EncodeEvent(event), EncodeEventWithBuilder(event)) << name;
    flat_kinds += flat;
  }
  EXPECT_EQ(flat_kinds, 8u);

  std::mt19937_64 rng(20261205);
  const std::vector<size_t> lengths = {0, 1, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 200};
  auto text = [&] {
    std::string s(lengths[rng() % lengths.size()], '\0');
    for (char& ch : s) ch = static_cast<char>('a' + rng() % 26);
    return s;
  };
  auto data = [&] {
    std::string s(lengths[rng() % lengths.size()], '\0');
    for (char& ch : s) ch = static_cast<char>(rng());  // NUL bytes too
    return s;
  };
  const std::vector<int64_t> edges = {0,
                                      1,
                                      -1,
                                      7,
                                      1 << 20,
                                      std::numeric_limits<int64_t>::min(),
                                      std::numeric_limits<int64_t>::max()};
  auto i64 = [&] { return rng() % 2 ? edges[rng() % edges.size()] : static_cast<int64_t>(rng()); };
  auto u32 = [&] { return static_cast<uint32_t>(rng() % 3 == 0 ? 0 : rng()); };
  auto u64 = [&] { return rng() % 3 == 0 ? uint64_t{0} : uint64_t{rng()}; };
  auto yes = [&] { return rng() % 2 == 0; };
  auto entry = [&]<typename T>() {
    T e;
    e.resident = text();
    e.rule = text();
    e.points = i64();
    e.occurred_on = text();
    e.note = text();
    e.evidence = data();
    e.household = text();
    return e;
  };
  size_t checked = 0;
  // Decoded again into one event per kind, which holds the last event of
  // that kind (DecodeEventInto reuses it): a field its reader leaves out
  // keeps the earlier event's value, and the encoding differs.
  std::vector<Event> reused(8);
  for (int round = 0; round < 400; round++) {
    const std::vector<EventBody> bodies = {
        VillageRegistered{.code = text(), .name = text()},
        HouseholdRegistered{.id = text(), .village = text(), .head_ref = data()},
        ResidentRegistered{.id = text(),
                           .village = text(),
                           .household = text(),
                           .minor = yes(),
                           .person_ref = data(),
                           .adult = yes()},
        entry.operator()<PointsAwarded>(),
        entry.operator()<PointsDeducted>(),
        PointsRedeemed{
            .resident = text(), .shop = text(), .item = text(), .quantity = u32(), .points = i64()},
        DonationReceived{.fund = text(),
                         .donor_ref = data(),
                         .donor_org = text(),
                         .anonymous = yes(),
                         .public_name = yes(),
                         .amount_fen = i64(),
                         .purpose = text(),
                         .receipt = text()},
        FundDisbursed{.fund = text(),
                      .to_resident = text(),
                      .to_household = text(),
                      .amount_fen = i64(),
                      .purpose = text(),
                      .period = text(),
                      .note = text(),
                      .allowance = u64()},
    };
    for (size_t kind = 0; kind < bodies.size(); kind++) {
      const EventBody& body = bodies[kind];
      const Event event{.recorded_at_ms = round % 5 == 0 ? 0 : i64(),
                        .key_id = text(),
                        .request_id = text(),
                        .body = body};
      ASSERT_TRUE(EncodesByBytesAlone(event)) << EventTypeName(body);
      const std::string bytes = EncodeEvent(event);
      ASSERT_EQ(bytes, EncodeEventWithBuilder(event)) << EventTypeName(body) << " round " << round;
      EXPECT_TRUE(DecodesByBytesAlone(bytes)) << EventTypeName(body);
      ASSERT_TRUE(DecodeEventInto(bytes, &reused[kind]).ok()) << EventTypeName(body);
      ASSERT_EQ(EncodeEvent(reused[kind]), bytes) << EventTypeName(body) << " round " << round;
      checked++;
    }
  }
  // All scalars zero: the body's data section is dropped whole.
  Event zero;
  zero.body = FundDisbursed{};
  EXPECT_EQ(EncodeEvent(zero), EncodeEventWithBuilder(zero));
  EXPECT_EQ(checked, 400u * 8);
}

// DecodeEventInto an event that holds another: every kind after every
// kind gives the event decoded anew, also after bytes that fail; and an
// event of the same kind keeps its strings' memory.
TEST(Codec, DecodingIntoAnEventReusesIt) {
  std::vector<std::string> encoded;
  for (const BodyCase& c : EveryBody()) encoded.push_back(EncodeEvent(WithEnvelope(c.body)));
  for (const std::string& before : encoded) {
    for (const std::string& bytes : encoded) {
      Event event;
      ASSERT_TRUE(DecodeEventInto(before, &event).ok());
      ASSERT_TRUE(DecodeEventInto(bytes, &event).ok());
      EXPECT_EQ(EncodeEvent(event), bytes) << EventTypeName(event.body);
    }
  }
  Event event;
  ASSERT_TRUE(DecodeEventInto(encoded.front(), &event).ok());
  const std::string truncated = encoded.back().substr(0, encoded.back().size() - 8);
  EXPECT_EQ(DecodeEventInto(truncated, &event).code(), Code::kVerificationFailed);
  ASSERT_TRUE(DecodeEventInto(encoded.back(), &event).ok());
  EXPECT_EQ(EncodeEvent(event), encoded.back());

  auto award = [](std::string request_id, std::string note) {
    return EncodeEvent(Event{.recorded_at_ms = 1,
                             .key_id = "0011223344556677",
                             .request_id = std::move(request_id),
                             .body = PointsAwarded{{.resident = "R1",
                                                    .rule = "A1",
                                                    .points = 5,
                                                    .occurred_on = "2026-12-05",
                                                    .note = std::move(note),
                                                    .evidence = "",
                                                    .household = "H1"}}});
  };
  // A shorter value goes into the longer one's memory: a string made anew
  // would have the capacity of its own length.
  Event reused;
  ASSERT_TRUE(DecodeEventInto(award(std::string(60, 'a'), std::string(50, 'n')), &reused).ok());
  ASSERT_TRUE(DecodeEventInto(award(std::string(36, 'b'), std::string(30, 'm')), &reused).ok());
  EXPECT_EQ(reused.request_id, std::string(36, 'b'));
  EXPECT_GE(reused.request_id.capacity(), 60u);
  EXPECT_EQ(std::get<PointsAwarded>(reused.body).note, std::string(30, 'm'));
  EXPECT_GE(std::get<PointsAwarded>(reused.body).note.capacity(), 50u);
}

TEST(Codec, DecodeRejectsANonCanonicalLayoutOfAValidEvent) {
  capnp::MallocMessageBuilder message;
  ::Event::Builder event = message.initRoot<::Event>();
  FillGenesisEvent(event);
  event.setKeyId("a key id that is replaced");  // stays behind, orphaned
  event.setKeyId("0011223344556677");
  auto segments = message.getSegmentsForOutput();
  ASSERT_EQ(segments.size(), 1u);

  // The same content in canonical form is a valid event...
  Result<Event> canonical = DecodeEvent(AsBytes(capnp::canonicalize(event.asReader())));
  ASSERT_TRUE(canonical.ok()) << canonical.status().message();
  // ... but the layout with the orphan is not.
  ExpectFault(AsBytes(segments[0]));
  EXPECT_NE(DecodeEvent(AsBytes(segments[0])).status().message().find("canonical"),
            std::string::npos);
}

TEST(Codec, DecodeRejectsATrailingWord) {
  ExpectFault(EncodeEvent(SampleEvent()) + std::string(8, '\0'));
}

TEST(Codec, DecodeRejectsStreamFramedBytes) {
  // A segment table in front is not C(e), even though the message is valid.
  capnp::MallocMessageBuilder message;
  FillGenesisEvent(message.initRoot<::Event>());
  ExpectFault(AsBytes(capnp::messageToFlatArray(message)));
}

// Cap'n Proto reads a null text as "", but vledger always writes the
// pointer, so bytes with nulls would hash differently from the re-encoding.
TEST(Codec, DecodeRejectsCanonicalBytesWithNullWhereVledgerWritesEmpty) {
  capnp::MallocMessageBuilder message;
  ::Event::Builder event = message.initRoot<::Event>();
  FillGenesisEvent(event);
  event.disownRequestId();
  const std::string bytes = AsBytes(capnp::canonicalize(event.asReader()));
  ExpectFault(bytes);
}

TEST(Codec, DecodeRejectsAnUnknownBodyMember) {
  std::string bytes = EncodeEvent(WithEnvelope(ObjectionResolved{.objection = 1, .answer = "a"}));
  // The body discriminant sits in the data section, right after the root pointer.
  const size_t offset =
      8 + 2 * capnp::Schema::from<::Event::Body>().getProto().getStruct().getDiscriminantOffset();
  const size_t data_words = static_cast<uint8_t>(bytes[4]) | static_cast<uint8_t>(bytes[5]) << 8;
  ASSERT_LE(offset + 2, 8 + 8 * data_words);
  ASSERT_EQ(static_cast<uint8_t>(bytes[offset]), ::Event::Body::OBJECTION_RESOLVED);
  bytes[offset] = static_cast<char>(200);  // a member some future schema might add
  ExpectFault(bytes);
  EXPECT_NE(DecodeEvent(bytes).status().message().find("unknown event body"), std::string::npos);
}

// ResidentUpdated.personRef was appended after such events were written:
// an event without it has exactly the bytes the older schema gave it (three
// pointers), so stored events still decode; one with it round-trips.
TEST(Codec, ResidentUpdatedWithoutPersonRefKeepsItsOlderEncoding) {
  const Event event =
      WithEnvelope(ResidentUpdated{.id = "r1", .household = "h2", .status = "", .person_ref = ""});
  capnp::MallocMessageBuilder message;
  ::Event::Builder root = message.initRoot<::Event>();
  root.setRecordedAt(event.recorded_at_ms);
  root.setKeyId(event.key_id);
  root.setRequestId(event.request_id);
  ::ResidentUpdated::Builder body = root.getBody().initResidentUpdated();
  body.setId("r1");
  body.setHousehold("h2");
  body.setStatus("");  // the fields the older schema had, as vledger wrote them
  capnp::AnyStruct::Reader any = root.asReader();
  kj::Array<capnp::word> older = any.canonicalize();
  const std::string older_bytes(reinterpret_cast<const char*>(older.begin()),
                                older.size() * sizeof(capnp::word));
  EXPECT_EQ(EncodeEvent(event), older_bytes);
  Result<Event> decoded = DecodeEvent(older_bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(std::get<ResidentUpdated>(decoded->body).person_ref.empty());

  const Event with_ref = WithEnvelope(ResidentUpdated{
      .id = "r1", .household = "", .status = "", .person_ref = std::string(32, '\x07')});
  Result<Event> back = DecodeEvent(EncodeEvent(with_ref));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(std::get<ResidentUpdated>(back->body).person_ref, std::string(32, '\x07'));
}

TEST(Codec, PersonRoundTripsAndRefusesGarbage) {
  const Person person{.name = "曲秀英",
                      .birth_year = 1948,
                      .phone = "13800000000",
                      .id_card_hash = "\x01\x02\x03",
                      .birth_date = 19480305};
  const std::string bytes = EncodePerson(person);
  EXPECT_EQ(EncodePerson(person), bytes);
  Result<Person> decoded = DecodePerson(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->name, person.name);
  EXPECT_EQ(decoded->birth_year, person.birth_year);
  EXPECT_EQ(decoded->phone, person.phone);
  EXPECT_EQ(decoded->id_card_hash, person.id_card_hash);
  EXPECT_EQ(decoded->birth_date, person.birth_date);
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_EQ(DecodePerson(bytes.substr(0, size)).status().code(), Code::kVerificationFailed);
  }
  EXPECT_EQ(DecodePerson(bytes + std::string(8, '\0')).status().code(), Code::kVerificationFailed);
}

// A person record that decodes is one vledger would write, byte for byte:
// a flipped bit is refused or gives another valid record.
TEST(Codec, PersonDecodeSurvivesEveryBitFlip) {
  for (const Person& person :
       {Person{"曲秀英", 1948, "13800000000", "\x01\x02"}, Person{"李", 0, "", ""}}) {
    const std::string bytes = EncodePerson(person);
    for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      std::string flipped = bytes;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      Result<Person> decoded = DecodePerson(flipped);
      if (decoded.ok()) {
        EXPECT_EQ(EncodePerson(*decoded), flipped) << "bit " << bit;
      } else {
        EXPECT_EQ(decoded.status().code(), Code::kVerificationFailed);
      }
    }
  }
}

TEST(Codec, PersonRefHashesTagWithNulThenSaltThenRecord) {
  std::string salt;
  for (char b = 0; b < 16; ++b) salt.push_back(b);
  const std::string ref = PersonRef(salt, "abc");
  ASSERT_EQ(ref.size(), 32u);
  const std::string tag("VLEDGER-PERSON-V1\0", 18);
  EXPECT_EQ(ref, AsString(Sha256(tag + salt + "abc")));
  // Computed independently: printf 'VLEDGER-PERSON-V1\0' <salt 00..0f> 'abc' | sha256sum
  EXPECT_EQ(Hex(ref), "6046dd4928e742e452db6c4f6ae312d496ddb93dceb7ff2b803d5ffc8f39eb87");
}

TEST(Codec, EventBodyJsonReplacesInvalidUtf8InsteadOfThrowing) {
  const std::string json = EventBodyJson(RuleRetired{.code = "a\xff"});
  EXPECT_EQ(json, "{\"code\":\"a\xEF\xBF\xBD\"}");
}

}  // namespace
}  // namespace vledger
