// Signed requests (RFC 9421) and the server's checks of them
// (net/http_signature.h, net/request_guard.h), and whose people a reader
// sees (app/people_view.h).
#include <gtest/gtest.h>

#include "app_fixture.h"
#include "vledger/app/people_view.h"
#include "vledger/ledger/bytes.h"
#include "vledger/net/http_signature.h"
#include "vledger/net/request_guard.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/state.h"

namespace vledger {
namespace {

using net::SignatureParams;
using net::SignedMessage;

// RFC 9421 appendix B.1.4: test-key-ed25519.
constexpr std::string_view kRfcKey =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kRfcPublicKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n"
    "-----END PUBLIC KEY-----\n";

// RFC 9421 appendix B.2: test-request.
SignedMessage RfcRequest() {
  SignedMessage m;
  m.method = "POST";
  m.scheme = "https";
  m.authority = "example.com";
  m.target = "/foo?param=Value&Pet=dog";
  m.fields = {{"Host", "example.com"},
              {"Date", "Tue, 20 Apr 2021 02:07:55 GMT"},
              {"Content-Type", "application/json"},
              {"Content-Digest",
               "sha-512=:WZDPaVn/"
               "7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"},
              {"Content-Length", "18"}};
  return m;
}

// RFC 9421 appendix B.2.6: signing a request using ed25519.
TEST(HttpSignature, Rfc9421AppendixB26) {
  SignatureParams p;
  p.components = {"date", "@method", "@path", "@authority", "content-type", "content-length"};
  p.created = 1618884473;
  p.keyid = "test-key-ed25519";
  std::string params_text = net::SerializeParams(p);
  EXPECT_EQ(params_text,
            R"(("date" "@method" "@path" "@authority" "content-type" "content-length"))"
            R"(;created=1618884473;keyid="test-key-ed25519")");
  Result<std::string> base = net::SignatureBase(RfcRequest(), p, params_text);
  ASSERT_TRUE(base.ok()) << base.status().message();
  EXPECT_EQ(*base,
            "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
            "\"@method\": POST\n"
            "\"@path\": /foo\n"
            "\"@authority\": example.com\n"
            "\"content-type\": application/json\n"
            "\"content-length\": 18\n"
            "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" "
            "\"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"");
  Result<PrivateKey> key = PrivateKey::ParsePem(kRfcKey);
  ASSERT_TRUE(key.ok());
  Result<net::SignatureFields> fields = net::SignMessage(RfcRequest(), p, *key, "sig-b26");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->signature,
            "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lI"
            "p5WPpBKRCw==:");
  // And the RFC's fields verify with its public key.
  Result<net::ReceivedSignature> received = net::ParseSignatureFields(
      "sig-b26=" + params_text,
      "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBK"
      "RCw==:");
  ASSERT_TRUE(received.ok()) << received.status().message();
  Result<PublicKey> pub = PublicKey::ParsePem(kRfcPublicKey);
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(net::VerifyMessage(RfcRequest(), *received, *pub).ok());
  SignedMessage other = RfcRequest();
  other.fields[1].second = "Tue, 20 Apr 2021 02:07:56 GMT";
  EXPECT_EQ(net::VerifyMessage(other, *received, *pub).code(), Code::kVerificationFailed);
}

TEST(HttpSignature, QueryAndTargetUri) {
  SignatureParams p;
  p.components = {"@query", "@target-uri"};
  SignedMessage m = RfcRequest();
  Result<std::string> base = net::SignatureBase(m, p, "X");
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(*base,
            "\"@query\": ?param=Value&Pet=dog\n"
            "\"@target-uri\": https://example.com/foo?param=Value&Pet=dog\n"
            "\"@signature-params\": X");
  m.target = "/v1/run";
  SignatureParams query_only;
  query_only.components = {"@query"};
  base = net::SignatureBase(m, query_only, "X");
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(*base, "\"@query\": ?\n\"@signature-params\": X");
}

TEST(HttpSignature, ContentDigestIsRfc9530) {
  // The body of RFC 9421 B.2 (RFC 9530 section 2 digests it so).
  EXPECT_EQ(net::ContentDigest("{\"hello\": \"world\"}"),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
}

TEST(HttpSignature, MalformedFieldsAreRefused) {
  const char* sig = "sig1=:AAAA:";
  for (const char* input :
       {"", "sig1", "sig1=", "sig1=(\"@method\"", "sig1=(@method)", "sig1=(\"@method\");created=x",
        "sig1=(\"@method\");what=1", "sig1=(\"@method\"), sig2=(\"@path\")",
        "sig1=(\"@method\");created=1;created=2", "SIG=(\"@method\")", "sig1=(\"@method\";x)"}) {
    EXPECT_FALSE(net::ParseSignatureFields(input, sig).ok()) << input;
  }
  EXPECT_FALSE(net::ParseSignatureFields("sig1=(\"@method\")", "sig2=:AAAA:").ok());
  EXPECT_FALSE(net::ParseSignatureFields("sig1=(\"@method\")", "sig1=:AAAA:").ok())
      << "not 64 bytes";
  EXPECT_FALSE(net::ParseSignatureFields(std::string(5000, 'a'), sig).ok());
}

// A ledger with two villages, a person in each, and keys of several roles.
class SignedRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* k : {"col1", "col2", "aud", "gone"})
      l_.Vl(std::string("key new --out ") + k + ".key", false);
    l_.Vl("village add V1 --name 一村");
    l_.Vl("village add V2 --name 二村");
    l_.Vl("key register --pub col1.key.pub --role collector --village V1");
    l_.Vl("key register --pub col2.key.pub --role collector --village V2");
    l_.Vl("key register --pub aud.key.pub --role auditor");
    l_.Vl("key register --pub gone.key.pub --role collector --village V1");
    l_.Vl("household add H1 --village V1 --head 张大");
    l_.Vl("resident add R1 --village V1 --household H1 --name 张大 --adult");
    l_.Vl("household add H2 --village V2 --head 李四");
    l_.Vl("resident add R2 --village V2 --household H2 --name 李四 --adult");
    l_.Vl("key revoke " + Key("gone").key_id());
    auto ledger = Ledger::Open(l_.ledger(), {Ledger::Access::kReader, 0});
    ASSERT_TRUE(ledger.ok());
    ledger_ = std::move(*ledger);
  }

  PrivateKey Key(const std::string& name) const {
    auto key = PrivateKey::LoadPem(l_.dir() + "/" + name + ".key");
    EXPECT_TRUE(key.ok());
    return std::move(*key);
  }

  // A /v1/run request as the client signs it.
  struct Signed {
    SignedMessage message;
    std::string body = R"({"args":["balance","R1"]})";
  };
  Signed Sign(const PrivateKey& key, int64_t created, const std::string& nonce = "") {
    Signed s;
    s.message.method = "POST";
    s.message.scheme = "http";
    s.message.authority = "127.0.0.1:8080";
    s.message.target = "/v1/run";
    s.message.fields = {{"Content-Digest", net::ContentDigest(s.body)}};
    SignatureParams p;
    p.components = {"@method", "@authority", "@path", "@query", "content-digest"};
    p.created = created;
    p.expires = created + 60;
    p.nonce = nonce.empty() ? Hex(RandomBytes(8)) : nonce;
    p.keyid = key.key_id();
    p.alg = "ed25519";
    auto fields = net::SignMessage(s.message, p, key);
    EXPECT_TRUE(fields.ok());
    s.message.fields.emplace_back("Signature-Input", fields->signature_input);
    s.message.fields.emplace_back("Signature", fields->signature);
    return s;
  }
  Result<net::Caller> Check(const Signed& s, int64_t now = kNow) {
    return net::CheckSignedRequest(s.message, s.body, *ledger_, nonces_, now);
  }

  static constexpr int64_t kNow = 1'700'000'000;
  testing::AppLedger l_;
  std::unique_ptr<Ledger> ledger_;
  net::NonceCache nonces_;
};

TEST_F(SignedRequests, AGoodSignatureNamesItsKeyAndView) {
  auto admin = PrivateKey::LoadPem(l_.admin_key());
  ASSERT_TRUE(admin.ok());
  Result<net::Caller> caller = Check(Sign(*admin, kNow));
  ASSERT_TRUE(caller.ok()) << caller.status().message();
  EXPECT_EQ(caller->key_id, admin->key_id());
  EXPECT_TRUE(caller->people.all);
  caller = Check(Sign(Key("col1"), kNow - 10));
  ASSERT_TRUE(caller.ok()) << caller.status().message();
  EXPECT_FALSE(caller->people.all);
  EXPECT_EQ(caller->people.villages, std::vector<std::string>{"V1"});
  caller = Check(Sign(Key("aud"), kNow));
  ASSERT_TRUE(caller.ok());
  EXPECT_TRUE(caller->people.nobody()) << "an auditor sees no names";
}

TEST_F(SignedRequests, UnsignedSeesNobody) {
  Signed s;
  Result<net::Caller> caller = Check(s);
  ASSERT_TRUE(caller.ok());
  EXPECT_TRUE(caller->key_id.empty());
  EXPECT_TRUE(caller->people.nobody());
}

TEST_F(SignedRequests, EachCoveredComponentTamperedIsRefused) {
  PrivateKey key = Key("col1");
  auto refused = [&](const std::function<void(Signed&)>& tamper, const char* what) {
    Signed s = Sign(key, kNow);
    tamper(s);
    Result<net::Caller> caller = Check(s);
    EXPECT_FALSE(caller.ok()) << what;
    if (!caller.ok()) {
      EXPECT_EQ(caller.status().code(), Code::kPermissionDenied) << what;
    }
  };
  refused([](Signed& s) { s.message.method = "GET"; }, "@method");
  refused([](Signed& s) { s.message.authority = "evil.example:8080"; }, "@authority");
  refused([](Signed& s) { s.message.target = "/v1/commit"; }, "@path");
  refused([](Signed& s) { s.message.target = "/v1/run?x=1"; }, "@query");
  refused([](Signed& s) { s.body = R"({"args":["balance","R2"]})"; }, "body");
  refused(
      [](Signed& s) {
        s.body = R"({"args":["balance","R2"]})";
        s.message.fields[0].second = net::ContentDigest(s.body);
      },
      "content-digest");
  refused([](Signed& s) { s.message.fields[2].second[7] ^= 1; }, "signature");
  refused([](Signed& s) { s.message.fields.pop_back(); }, "no Signature");
  refused([](Signed& s) { s.message.fields.erase(s.message.fields.begin()); }, "no digest");
}

TEST_F(SignedRequests, ReplayedExpiredUnknownAndRevokedAreRefused) {
  PrivateKey key = Key("col1");
  Signed s = Sign(key, kNow, "n-1");
  ASSERT_TRUE(Check(s).ok());
  Result<net::Caller> again = Check(s);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("replay"), std::string::npos) << again.status().message();
  // The same nonce is another key's own.
  EXPECT_TRUE(Check(Sign(Key("col2"), kNow, "n-1")).ok());
  // created too old, too far ahead; expires past.
  EXPECT_FALSE(Check(Sign(key, kNow - net::kSignatureLifeSeconds - 1)).ok());
  EXPECT_FALSE(Check(Sign(key, kNow + net::kSignatureSkewSeconds + 1)).ok());
  EXPECT_FALSE(Check(Sign(key, kNow - 100), kNow).ok()) << "expires is created + 60";
  // A key the ledger does not hold, and a revoked one.
  auto stranger = PrivateKey::Generate();
  ASSERT_TRUE(stranger.ok());
  Result<net::Caller> unknown = Check(Sign(*stranger, kNow));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("not registered"), std::string::npos);
  Result<net::Caller> revoked = Check(Sign(Key("gone"), kNow));
  ASSERT_FALSE(revoked.ok());
  EXPECT_NE(revoked.status().message().find("revoked"), std::string::npos);
}

TEST(NonceCache, ForgetsExpiredAndIsBounded) {
  net::NonceCache cache(2);
  EXPECT_TRUE(cache.Insert("k", "a", 100, 10).ok());
  EXPECT_TRUE(cache.Insert("k", "b", 200, 10).ok());
  EXPECT_EQ(cache.Insert("k", "c", 200, 10).code(), Code::kUnavailable);
  EXPECT_EQ(cache.Insert("k", "b", 200, 101).code(), Code::kConflict);
  EXPECT_TRUE(cache.Insert("k", "c", 200, 101).ok()) << "a expired, so there is room";
}

TEST(RateLimiter, BurstThenRate) {
  net::RateLimiter limiter(2, 5);
  auto t = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 5; i++) EXPECT_FALSE(limiter.Take("a", t)) << i;
  std::optional<int> wait = limiter.Take("a", t);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 1);
  EXPECT_FALSE(limiter.Take("b", t)) << "another address has its own bucket";
  t += std::chrono::milliseconds(500);
  EXPECT_FALSE(limiter.Take("a", t)) << "2 a second: one token in 0.5 s";
  EXPECT_TRUE(limiter.Take("a", t));
  net::RateLimiter none(0, 0);
  for (int i = 0; i < 1000; i++) EXPECT_FALSE(none.Take("a", t));
}

TEST_F(SignedRequests, AViewHidesOtherVillagesPeople) {
  auto open = [&](const app::PeopleView& view) {
    auto ledger = Ledger::Open(l_.ledger(), {Ledger::Access::kReader, 0});
    EXPECT_TRUE(ledger.ok());
    app::ApplyPeopleView(**ledger, view);
    return std::move(*ledger);
  };
  auto state = StoredState(*ledger_);
  ASSERT_TRUE(state.ok());
  auto r1 = LoadResident(**state, "R1");
  auto r2 = LoadResident(**state, "R2");
  ASSERT_TRUE(r1 && r2);
  auto names = [](const Ledger& l, std::string_view prefix) {
    int n = 0;
    EXPECT_TRUE(l.ScanNameRows(prefix, [&](std::string_view, std::string_view) {
                   n++;
                   return true;
                 }).ok());
    return n;
  };
  auto persons = [](const Ledger& l) {
    int n = 0;
    EXPECT_TRUE(l.ScanPersons([&](std::string_view, std::string_view) {
                   n++;
                   return Status::Ok();
                 }).ok());
    return n;
  };

  auto all = open({true, {}});
  EXPECT_TRUE((*all->LoadPerson(r1->person_ref)).has_value());
  EXPECT_TRUE((*all->LoadPerson(r2->person_ref)).has_value());
  EXPECT_EQ(names(*all, "n/"), 2);
  EXPECT_TRUE(app::CheckNamesVisible(*all, "TEXT").ok());

  auto v1 = open({false, {"V1"}});
  EXPECT_TRUE((*v1->LoadPerson(r1->person_ref)).has_value());
  EXPECT_FALSE((*v1->LoadPerson(r2->person_ref)).has_value());
  EXPECT_FALSE((*v1->GetPerson(r2->person_ref)).has_value());
  EXPECT_EQ(names(*v1, "n/"), 1);
  EXPECT_EQ(names(*v1, "r/"), 1);
  EXPECT_FALSE((*v1->GetNameRow("r/R2")).has_value());
  EXPECT_TRUE((*v1->GetNameRow("r/R1")).has_value());
  EXPECT_EQ(persons(*all), 4) << "two heads, two residents";
  EXPECT_EQ(persons(*v1), 2);
  EXPECT_EQ(*v1->PersonsWithheld(), v1->size());

  auto nobody = open({});
  EXPECT_FALSE((*nobody->LoadPerson(r1->person_ref)).has_value());
  EXPECT_EQ(names(*nobody, ""), 0);
  EXPECT_EQ(persons(*nobody), 0);
  EXPECT_EQ(app::CheckNamesVisible(*nobody, "TEXT").code(), Code::kInvalidInput);
}

// Nonces are kept in memory only: after a restart, a request signed before
// it could be sent again unnoticed, so it is answered "sign it again"
// (Unavailable: the client retries with a new signature).
TEST_F(SignedRequests, SignedBeforeTheServerStartedIsSignedAgain) {
  net::NonceCache restarted(net::kNoncesMax, kNow);
  PrivateKey key = Key("col1");
  Signed before = Sign(key, kNow - 1, "n-before");
  Result<net::Caller> caller =
      net::CheckSignedRequest(before.message, before.body, *ledger_, restarted, kNow + 5);
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kUnavailable) << caller.status().message();
  EXPECT_NE(caller.status().message().find("before the server started"), std::string::npos);
  Signed after = Sign(key, kNow, "n-after");
  EXPECT_TRUE(
      net::CheckSignedRequest(after.message, after.body, *ledger_, restarted, kNow + 5).ok());
}

}  // namespace
}  // namespace vledger
