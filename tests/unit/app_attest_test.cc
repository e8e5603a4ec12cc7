// The credit certificate's body, ID-card check and QR code (app/attest.h;
// docs/FORMAT.md section 13). The commands are driven by attest.sh.
#include <gtest/gtest.h>

#include <string>

#include "vledger/app/attest.h"
#include "vledger/ledger/crypto.h"

namespace vledger::app {
namespace {

Certificate Sample(bool benefit) {
  Certificate c;
  c.origin = "vledger/礼遇-3b0c9e1f";
  c.resident = "R1";
  c.name = "曲*国";
  c.village = "V1";
  c.grade = "AAA";
  c.checkpoint_size = 42;
  c.checkpoint_root.fill(7);
  c.issued = "2021-09-30";
  c.valid_until = "2021-12-29";
  if (benefit) {
    c.benefit = "BUS";
    c.benefit_name = "免费乘公交";
    c.partner = "市交通集团";
  }
  c.attestor = "7c1e5f0a9d2b4c68";
  c.salt = std::string(kCertificateSaltBytes, '\x4f');
  c.id_check = "9a3c";
  return c;
}

TEST(Certificate, BodyParsesBackWithAndWithoutABenefit) {
  for (bool benefit : {false, true}) {
    Certificate c = Sample(benefit);
    std::string body = CertificateBody(c);
    EXPECT_EQ(body.substr(0, 23), "vledger-attestation/v1\n");
    Result<Certificate> back = ParseCertificateBody(body);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(CertificateBody(*back), body);
    EXPECT_EQ(back->benefit_name, c.benefit_name);
    EXPECT_EQ(back->salt, c.salt);
  }
}

TEST(Certificate, ParseRefusesEveryOtherForm) {
  std::string body = CertificateBody(Sample(true));
  auto refused = [](const std::string& text) {
    Result<Certificate> r = ParseCertificateBody(text);
    return !r.ok() && r.status().code() == Code::kVerificationFailed;
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(body.substr(0, body.size() - 1)));  // no final line end
  EXPECT_TRUE(refused("vledger-attestation/v2" + body.substr(22)));
  EXPECT_TRUE(refused(body + "extra line\n"));
  std::string upper = body;
  upper.replace(upper.find("id-check 4f"), 11, "id-check 4F");
  EXPECT_TRUE(refused(upper));
  std::string reordered = body;
  reordered.replace(reordered.find("issued"), 6, "issuex");
  EXPECT_TRUE(refused(reordered));
  std::string late = body;
  late.replace(late.find("valid-until 2021-12-29"), 22, "valid-until 2021-09-29");
  EXPECT_TRUE(refused(late));
}

TEST(Certificate, IdCardCheckIsTheFirstFourHexDigitsOfTheSaltedHash) {
  std::string salt(kCertificateSaltBytes, '\x01');
  std::string id = "11010519491231002X";
  EXPECT_EQ(IdCardCheck(salt, id), Hex(Sha256(salt + id)).substr(0, 4));
  EXPECT_NE(IdCardCheck(salt, id), IdCardCheck(std::string(kCertificateSaltBytes, '\x02'), id));
}

TEST(Certificate, QrPngIsAPngOfWholeModules) {
  std::string png = QrPng("vledger-attestation/v1\n");
  ASSERT_GT(png.size(), 33u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(png[at])) << 24 |
           static_cast<uint32_t>(static_cast<uint8_t>(png[at + 1])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(png[at + 2])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(png[at + 3]));
  };
  EXPECT_EQ(u32(16), u32(20));  // square
  EXPECT_EQ(u32(16) % 8, 0u);   // 8 pixels a module
  EXPECT_EQ(png.substr(png.size() - 8, 4), "IEND");
}

}  // namespace
}  // namespace vledger::app
