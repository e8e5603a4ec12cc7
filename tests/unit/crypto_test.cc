// Unit tests for the integrity primitives: SHA-256, byte helpers (hex,
// base64, u64be, the projection record codec), Ed25519 keys and their PEM
// files, and the record hash chain and commit message of SPEC section 5.
#include "vledger/ledger/crypto.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "helpers.h"
#include "temp_dir.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/status.h"

namespace vledger {
namespace {

using testing::FromHex;
using testing::HashFromHex;
using testing::NewKey;
using testing::ReadAll;
using testing::TempDir;

namespace fs = std::filesystem;

void WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  ASSERT_EQ(::chmod(path.c_str(), mode), 0) << path;
}

mode_t FileMode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// ------------------------------------------------------------------ SHA-256

constexpr const char* kSha256Empty =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kSha256Abc =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

// Salts, nonces and request ids: as many bytes as asked (past 256, where
// one getrandom(2) call may return fewer), different each time.
TEST(RandomBytes, GivesTheBytesAskedForAndNeverTheSameTwice) {
  EXPECT_EQ(RandomBytes(0), "");
  for (size_t n : {1u, 16u, 300u, 100000u}) EXPECT_EQ(RandomBytes(n).size(), n);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; i++) seen.insert(RandomBytes(16));
  EXPECT_EQ(seen.size(), 1000u);
  std::string big = RandomBytes(100000);
  EXPECT_NE(big.find_first_not_of('\0', 50000), std::string::npos);  // its end was filled
}

TEST(Sha256, EmptyStringKnownAnswer) { EXPECT_EQ(Hex(Sha256("")), kSha256Empty); }

TEST(Sha256, AbcKnownAnswer) { EXPECT_EQ(Hex(Sha256("abc")), kSha256Abc); }

TEST(Sha256, TwoBlockMessageKnownAnswer) {
  // FIPS 180-2 appendix B.2: 448 bits, padding spills into a second block.
  EXPECT_EQ(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MillionAKnownAnswer) {
  EXPECT_EQ(Hex(Sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Hasher, FinishWithoutUpdateIsEmptyDigest) {
  Sha256Hasher hasher;
  EXPECT_EQ(Hex(hasher.Finish()), kSha256Empty);
  // Finish resets, so a second empty message hashes the same.
  EXPECT_EQ(Hex(hasher.Finish()), kSha256Empty);
}

TEST(Sha256Hasher, ReuseMatchesOneShotAcrossManyMessages) {
  Sha256Hasher hasher;
  for (size_t len = 0; len < 300; len++) {
    std::string msg(len, '\0');
    for (size_t i = 0; i < len; i++) msg[i] = static_cast<char>((i * 31 + len * 7) & 0xff);
    Hash expected = Sha256(msg);
    // Whole message at once.
    EXPECT_EQ(hasher.Update(msg).Finish(), expected) << "len " << len;
    // The same message fed in uneven pieces.
    size_t step = len % 13 + 1;
    for (size_t off = 0; off < len; off += step) {
      hasher.Update(std::string_view(msg).substr(off, step));
    }
    EXPECT_EQ(hasher.Finish(), expected) << "len " << len << " in pieces of " << step;
  }
  EXPECT_EQ(Hex(hasher.Update("abc").Finish()), kSha256Abc);
}

TEST(Sha256Hasher, IndependentHashersDoNotShareState) {
  Sha256Hasher a, b;
  a.Update("ab");
  b.Update("xyz");
  a.Update("c");
  EXPECT_EQ(Hex(a.Finish()), kSha256Abc);
  EXPECT_EQ(b.Finish(), Sha256("xyz"));
}

// ---------------------------------------------------------------------- hex

TEST(Hex, EncodesLowercase) {
  EXPECT_EQ(Hex(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(Hex(""), "");
}

TEST(Hex, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; i++) all += static_cast<char>(i);
  std::string hex = Hex(all);
  EXPECT_EQ(hex.size(), 512u);
  auto back = Unhex(hex);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, all);
}

TEST(Hex, UnhexAcceptsUppercase) {
  auto bytes = Unhex("DEADbeef");
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(*bytes, std::string("\xde\xad\xbe\xef", 4));
  EXPECT_EQ(Unhex("").value_or("x"), "");
}

TEST(Hex, UnhexRejectsOddLength) {
  EXPECT_FALSE(Unhex("abc").has_value());
  EXPECT_FALSE(Unhex("0").has_value());
}

TEST(Hex, UnhexRejectsNonHexCharacters) {
  EXPECT_FALSE(Unhex("0g").has_value());
  EXPECT_FALSE(Unhex("g0").has_value());
  EXPECT_FALSE(Unhex("zz").has_value());
  EXPECT_FALSE(Unhex("0x12").has_value());
  EXPECT_FALSE(Unhex("12 3").has_value());
  EXPECT_FALSE(Unhex(" 123").has_value());
  EXPECT_FALSE(Unhex(std::string("1\0", 2)).has_value());
  EXPECT_FALSE(Unhex("\xc3\xa9").has_value());
}

TEST(HashFrom, AcceptsExactly32Bytes) {
  EXPECT_TRUE(HashFrom(std::string(32, 'x')).has_value());
  EXPECT_FALSE(HashFrom(std::string(31, 'x')).has_value());
  EXPECT_FALSE(HashFrom(std::string(33, 'x')).has_value());
  EXPECT_FALSE(HashFrom("").has_value());
  Hash h = HashFromHex(kSha256Abc);
  EXPECT_EQ(Hex(h), kSha256Abc);
  EXPECT_EQ(AsString(h).size(), 32u);
}

// ------------------------------------------------------------------- base64

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64(plain), encoded) << plain;
    auto back = Unbase64(encoded);
    ASSERT_TRUE(back.has_value()) << encoded;
    EXPECT_EQ(*back, plain);
  }
}

TEST(Base64, RoundTripsBinaryOfEveryLengthMod3) {
  for (size_t len = 0; len < 100; len++) {
    std::string bytes(len, '\0');
    for (size_t i = 0; i < len; i++) bytes[i] = static_cast<char>(255 - (i * 37 + len) % 256);
    std::string text = Base64(bytes);
    EXPECT_EQ(text.size(), (len + 2) / 3 * 4);
    auto back = Unbase64(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, bytes);
  }
}

TEST(Base64, UsesStandardAlphabet) {
  EXPECT_EQ(Base64("\xfb\xff"), "+/8=");
  EXPECT_EQ(Unbase64("+/8=").value_or(""), "\xfb\xff");
}

TEST(Base64, Unbase64RejectsWrongLength) {
  EXPECT_FALSE(Unbase64("Zg=").has_value());
  EXPECT_FALSE(Unbase64("Zg").has_value());
  EXPECT_FALSE(Unbase64("Zm9vY").has_value());
  EXPECT_FALSE(Unbase64("Zm9vYmFy=").has_value());
}

TEST(Base64, Unbase64RejectsNonCanonicalPaddingBits) {
  // "Zg==" is canonical for "f"; "Zh==" sets bits that the padding drops.
  EXPECT_FALSE(Unbase64("Zh==").has_value());
  EXPECT_FALSE(Unbase64("Zv==").has_value());
  // "Zm8=" is canonical for "fo"; "Zm9=" sets a dropped bit.
  EXPECT_FALSE(Unbase64("Zm9=").has_value());
  EXPECT_FALSE(Unbase64("Zm9vZm9=").has_value());
}

TEST(Base64, Unbase64RejectsBadCharactersAndMisplacedPadding) {
  EXPECT_FALSE(Unbase64("Zm-v").has_value());  // URL-safe alphabet
  EXPECT_FALSE(Unbase64("Zm_v").has_value());
  EXPECT_FALSE(Unbase64("Zm9v\n").has_value());
  EXPECT_FALSE(Unbase64("Zm 9").has_value());
  EXPECT_FALSE(Unbase64("Zm9\x80").has_value());
  EXPECT_FALSE(Unbase64("====").has_value());
  EXPECT_FALSE(Unbase64("Z===").has_value());
  EXPECT_FALSE(Unbase64("Z=g=").has_value());
  EXPECT_FALSE(Unbase64("Zg=A").has_value());
  EXPECT_FALSE(Unbase64("Zg==Zg==").has_value());  // padding before the end
  EXPECT_FALSE(Unbase64("Zm8=Zm9v").has_value());
}

// ------------------------------------------------------------------- u64be

TEST(U64be, IsBigEndian) {
  EXPECT_EQ(U64be(0x0102030405060708ull), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(U64be(0), std::string(8, '\0'));
  EXPECT_EQ(U64be(UINT64_MAX), std::string(8, '\xff'));
  std::string out = "x";
  PutU64be(&out, 256);
  EXPECT_EQ(out, std::string("x\0\0\0\0\0\0\x01\x00", 9));
}

TEST(U64be, RoundTrips) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256},
                     uint64_t{0x8000000000000000ull}, UINT64_MAX}) {
    EXPECT_EQ(GetU64be(U64be(v)), v);
  }
  // Reads only the first 8 bytes.
  EXPECT_EQ(GetU64be(U64be(42) + "trailing"), 42u);
}

// ------------------------------------------------------------ record codec

TEST(RecordCodec, RoundTripsEveryFieldKind) {
  const std::string binary("a\0b\xff", 4);
  const std::string long_text(1000, 'q');
  std::string data = RecordWriter()
                         .U64(0)
                         .U64(127)
                         .U64(128)
                         .U64(UINT64_MAX)
                         .I64(0)
                         .I64(-1)
                         .I64(1)
                         .I64(std::numeric_limits<int64_t>::min())
                         .I64(std::numeric_limits<int64_t>::max())
                         .Str("")
                         .Str(binary)
                         .Str(long_text)
                         .Bool(true)
                         .Bool(false)
                         .Take();
  RecordReader r(data);
  EXPECT_EQ(r.U64(), 0u);
  EXPECT_EQ(r.U64(), 127u);
  EXPECT_EQ(r.U64(), 128u);
  EXPECT_EQ(r.U64(), UINT64_MAX);
  EXPECT_EQ(r.I64(), 0);
  EXPECT_EQ(r.I64(), -1);
  EXPECT_EQ(r.I64(), 1);
  EXPECT_EQ(r.I64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(r.I64(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(r.Str(), "");
  EXPECT_EQ(r.Str(), binary);
  EXPECT_EQ(r.Str(), long_text);
  EXPECT_TRUE(r.Bool());
  EXPECT_FALSE(r.Bool());
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.done());
}

TEST(RecordCodec, VarintsAreCompact) {
  EXPECT_EQ(RecordWriter().U64(0).data(), std::string(1, '\0'));
  EXPECT_EQ(RecordWriter().U64(127).data(), "\x7f");
  EXPECT_EQ(RecordWriter().U64(128).data(), "\x80\x01");
  EXPECT_EQ(RecordWriter().U64(UINT64_MAX).data().size(), 10u);
  EXPECT_EQ(RecordWriter().I64(-1).data(), "\x01");  // zigzag
  EXPECT_EQ(RecordWriter().I64(1).data(), "\x02");
}

TEST(RecordCodec, EveryTruncationIsDetected) {
  std::string data =
      RecordWriter().U64(300).I64(-5000).Str("hello, world").U64(UINT64_MAX).Str("x").Take();
  for (size_t cut = 0; cut < data.size(); cut++) {
    RecordReader r(std::string_view(data).substr(0, cut));
    r.U64();
    r.I64();
    r.Str();
    r.U64();
    r.Str();
    EXPECT_FALSE(r.ok()) << "record cut to " << cut << " of " << data.size() << " bytes";
  }
}

TEST(RecordCodec, ShortReadYieldsZeros) {
  RecordReader r("");
  EXPECT_EQ(r.U64(), 0u);
  EXPECT_FALSE(r.ok());
  RecordReader s("\x80");  // continuation bit with nothing after it
  EXPECT_EQ(s.U64(), 0u);
  EXPECT_FALSE(s.ok());
  RecordReader t(
      "\x05"
      "ab");  // string claims 5 bytes, has 2
  EXPECT_EQ(t.Str(), "");
  EXPECT_FALSE(t.ok());
}

TEST(RecordCodec, RejectsVarintLongerThanTenBytes) {
  const std::string data = std::string(11, '\x80') + '\x01';
  RecordReader r(data);  // borrows: data must outlive it
  r.U64();
  EXPECT_FALSE(r.ok());
}

TEST(RecordCodec, RejectsHugeStringLength) {
  std::string data = RecordWriter().U64(UINT64_MAX).Take() + "abc";
  RecordReader r(data);
  EXPECT_EQ(r.Str(), "");
  EXPECT_FALSE(r.ok());
}

TEST(RecordCodec, TrailingBytesLeaveReaderNotDone) {
  std::string data = RecordWriter().U64(1).U64(2).Take();
  RecordReader r(data);
  EXPECT_EQ(r.U64(), 1u);
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(r.done());
}

// ------------------------------------------------------------------ Ed25519

// RFC 8032 section 7.1, TEST 1.
constexpr const char* kRfcSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr const char* kRfcPublic =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr const char* kRfcSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b"
    "46bd25bf5f0595bbe24655141438e7a100b";
// Lowercase hex of SHA-256(kRfcPublic)[:8], computed independently.
constexpr const char* kRfcKeyId = "21fe31dfa154a261";

PrivateKey RfcKey() {
  auto key = PrivateKey::FromSeed(FromHex(kRfcSeed));
  VLEDGER_ASSERT(key.ok());
  return std::move(key).value();
}

TEST(Ed25519, Rfc8032Test1FromSeed) {
  PrivateKey key = RfcKey();
  EXPECT_EQ(Hex(key.public_key().raw()), kRfcPublic);
  std::string sig = key.Sign("");
  EXPECT_EQ(sig.size(), kSignatureBytes);
  EXPECT_EQ(Hex(sig), kRfcSignature);
  EXPECT_TRUE(key.public_key().Verify("", sig));
}

TEST(Ed25519, Rfc8032Test1VerifiesWithRawPublicKey) {
  auto pub = PublicKey::FromRaw(FromHex(kRfcPublic));
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(pub->Verify("", FromHex(kRfcSignature)));
  EXPECT_FALSE(pub->Verify("x", FromHex(kRfcSignature)));
}

TEST(Ed25519, FromSeedRejectsWrongLength) {
  auto short_seed = PrivateKey::FromSeed(std::string(31, 'a'));
  ASSERT_FALSE(short_seed.ok());
  EXPECT_EQ(short_seed.status().code(), Code::kInvalidInput);
  EXPECT_FALSE(PrivateKey::FromSeed(std::string(33, 'a')).ok());
  EXPECT_FALSE(PrivateKey::FromSeed("").ok());
}

TEST(Ed25519, FromRawRejectsWrongLength) {
  auto pub = PublicKey::FromRaw(std::string(31, 'a'));
  ASSERT_FALSE(pub.ok());
  EXPECT_EQ(pub.status().code(), Code::kInvalidInput);
  EXPECT_FALSE(PublicKey::FromRaw(std::string(64, 'a')).ok());
}

TEST(Ed25519, SignVerifyRoundTrip) {
  PrivateKey key = NewKey();
  EXPECT_EQ(key.public_key().raw().size(), kPublicKeyBytes);
  for (std::string msg : {std::string(), std::string("hello"), std::string(10000, '\x7f')}) {
    std::string sig = key.Sign(msg);
    ASSERT_EQ(sig.size(), kSignatureBytes);
    EXPECT_TRUE(key.public_key().Verify(msg, sig));
    EXPECT_EQ(key.Sign(msg), sig) << "Ed25519 is deterministic";
  }
}

// A private key signs with libsodium and OpenSSL verifies (crypto.cc):
// Ed25519 is deterministic, so the two must agree byte for byte. Seeds
// and messages of every length up to 300 bytes, against OpenSSL's own
// signature and public key.
TEST(Ed25519, SignsAsOpenSslSignsForManySeedsAndMessages) {
  for (size_t n = 0; n <= 300; n += 7) {
    std::string seed = RandomBytes(32);
    std::string msg = RandomBytes(n);
    PrivateKey key = PrivateKey::FromSeed(seed).value();
    EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const uint8_t*>(seed.data()), seed.size());
    ASSERT_NE(pkey, nullptr);
    std::string pub(32, '\0');
    size_t pub_len = pub.size();
    ASSERT_EQ(EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<uint8_t*>(pub.data()), &pub_len),
              1);
    std::string sig(64, '\0');
    size_t sig_len = sig.size();
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ASSERT_EQ(EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey), 1);
    ASSERT_EQ(EVP_DigestSign(ctx, reinterpret_cast<uint8_t*>(sig.data()), &sig_len,
                             reinterpret_cast<const uint8_t*>(msg.data()), msg.size()),
              1);
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    EXPECT_EQ(Hex(key.public_key().raw()), Hex(pub)) << "seed " << Hex(seed);
    EXPECT_EQ(Hex(key.Sign(msg)), Hex(sig)) << "seed " << Hex(seed) << ", " << n << " bytes";
  }
}

TEST(Ed25519, GeneratedKeysDiffer) {
  EXPECT_NE(NewKey().public_key().raw(), NewKey().public_key().raw());
}

TEST(Ed25519, FlippedMessageBitFailsVerification) {
  PrivateKey key = NewKey();
  std::string msg = "VLEDGER commit message";
  std::string sig = key.Sign(msg);
  for (size_t bit = 0; bit < msg.size() * 8; bit += 7) {
    std::string bad = msg;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(key.public_key().Verify(bad, sig)) << "bit " << bit;
  }
}

TEST(Ed25519, FlippedSignatureBitFailsVerification) {
  PrivateKey key = NewKey();
  std::string sig = key.Sign("msg");
  for (size_t bit = 0; bit < sig.size() * 8; bit += 5) {
    std::string bad = sig;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(key.public_key().Verify("msg", bad)) << "bit " << bit;
  }
}

TEST(Ed25519, WrongKeyOrWrongLengthSignatureFails) {
  PrivateKey key = NewKey();
  PrivateKey other = NewKey();
  std::string sig = key.Sign("msg");
  EXPECT_FALSE(other.public_key().Verify("msg", sig));
  EXPECT_FALSE(key.public_key().Verify("msg", sig.substr(0, 63)));
  EXPECT_FALSE(key.public_key().Verify("msg", sig + "x"));
  EXPECT_FALSE(key.public_key().Verify("msg", ""));
}

TEST(Ed25519, PrivateKeyMovesKeepTheKey) {
  PrivateKey key = NewKey();
  std::string raw = key.public_key().raw();
  PrivateKey moved = std::move(key);
  EXPECT_EQ(moved.public_key().raw(), raw);
  EXPECT_TRUE(moved.public_key().Verify("m", moved.Sign("m")));
  PrivateKey assigned = NewKey();
  assigned = std::move(moved);
  EXPECT_EQ(assigned.public_key().raw(), raw);
  EXPECT_TRUE(assigned.public_key().Verify("m", assigned.Sign("m")));
}

TEST(KeyId, IsFirst8BytesOfSha256OfRawKeyInLowercaseHex) {
  EXPECT_EQ(KeyIdOf(FromHex(kRfcPublic)), kRfcKeyId);
  PrivateKey rfc = RfcKey();
  EXPECT_EQ(rfc.key_id(), kRfcKeyId);
  EXPECT_EQ(rfc.public_key().key_id(), kRfcKeyId);

  PrivateKey key = NewKey();
  std::string id = key.key_id();
  ASSERT_EQ(id.size(), 16u);
  EXPECT_EQ(id, Hex(Sha256(key.public_key().raw())).substr(0, 16));
  for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
}

// ---------------------------------------------------------------------- PEM

TEST(Pem, PrivateAndPublicPemRoundTripInMemory) {
  PrivateKey key = NewKey();
  std::string pem = key.ToPem();
  EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  auto back = PrivateKey::ParsePem(pem);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->public_key().raw(), key.public_key().raw());
  EXPECT_EQ(back->Sign("m"), key.Sign("m"));

  std::string pub_pem = key.public_key().ToPem();
  EXPECT_NE(pub_pem.find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
  auto pub = PublicKey::ParsePem(pub_pem);
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  EXPECT_EQ(pub->raw(), key.public_key().raw());
}

// RFC 8410 section 10.3: an Ed25519 private key as PKCS#8, its seed and
// the public key the RFC's second example names for it.
TEST(Pem, Rfc8410PrivateKeyLoadsAsItsSeed) {
  const std::string pem =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
      "-----END PRIVATE KEY-----\n";
  auto key = PrivateKey::ParsePem(pem);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(Hex(key->public_key().raw()),
            "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");
  auto from_seed = PrivateKey::FromSeed(
      FromHex("d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842"));
  ASSERT_TRUE(from_seed.ok());
  EXPECT_EQ(key->Sign("m"), from_seed->Sign("m"));
  // With CRLF line ends, and the base64 cut into shorter lines.
  auto crlf = PrivateKey::ParsePem(
      "-----BEGIN PRIVATE KEY-----\r\n"
      "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp\r\n"
      "+K06/nwoy/HU++CXqI9EdVhC\r\n"
      "-----END PRIVATE KEY-----\r\n");
  ASSERT_TRUE(crlf.ok()) << crlf.status().message();
  EXPECT_EQ(crlf->public_key().raw(), key->public_key().raw());
  // A seed of 33 or 31 bytes is not a key.
  const std::string bad[] = {
      "-----BEGIN PRIVATE KEY-----\n"
      "MC8CAQAwBQYDK2VwBCMEIdTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhCAA==\n"
      "-----END PRIVATE KEY-----\n",
      "-----BEGIN PRIVATE KEY-----\n"
      "MC0CAQAwBQYDK2VwBCEEH9Tuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVg=\n"
      "-----END PRIVATE KEY-----\n",
  };
  for (const std::string& text : bad) {
    auto rejected = PrivateKey::ParsePem(text);
    EXPECT_FALSE(rejected.ok()) << text;
  }
}

TEST(Pem, SaveLoadRoundTripWritesPrivateFileWithMode0600) {
  TempDir dir;
  PrivateKey key = NewKey();
  std::string priv = dir.File("admin.key"), pub = dir.File("admin.key.pub");
  ASSERT_TRUE(key.SavePem(priv, pub).ok());
  EXPECT_EQ(FileMode(priv), 0600u);
  EXPECT_EQ(ReadAll(priv), key.ToPem());
  EXPECT_EQ(ReadAll(pub), key.public_key().ToPem());

  auto loaded = PrivateKey::LoadPem(priv);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->public_key().raw(), key.public_key().raw());
  EXPECT_EQ(loaded->key_id(), key.key_id());
  EXPECT_EQ(loaded->Sign("commit"), key.Sign("commit"));
}

TEST(Pem, SavePemHonoursMode0600UnderPermissiveUmask) {
  TempDir dir;
  PrivateKey key = NewKey();
  mode_t old = ::umask(0);
  Status st = key.SavePem(dir.File("k"), "");
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(FileMode(dir.File("k")), 0600u);
  EXPECT_FALSE(fs::exists(dir.File("k.pub")));
}

TEST(Pem, SavePemRefusesToOverwritePrivateKey) {
  TempDir dir;
  PrivateKey first = NewKey();
  PrivateKey second = NewKey();
  ASSERT_TRUE(first.SavePem(dir.File("k"), "").ok());
  Status st = second.SavePem(dir.File("k"), "");
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  EXPECT_EQ(ReadAll(dir.File("k")), first.ToPem());
}

TEST(Pem, SavePemRefusesToOverwritePublicKeyAndWritesNothing) {
  TempDir dir;
  WriteFile(dir.File("k.pub"), "existing", 0644);
  PrivateKey key = NewKey();
  Status st = key.SavePem(dir.File("k"), dir.File("k.pub"));
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  EXPECT_FALSE(fs::exists(dir.File("k")));
  EXPECT_EQ(ReadAll(dir.File("k.pub")), "existing");
}

TEST(Pem, LoadPemRefusesGroupOrWorldReadableFile) {
  TempDir dir;
  PrivateKey key = NewKey();
  std::string priv = dir.File("k");
  ASSERT_TRUE(key.SavePem(priv, "").ok());
  for (mode_t mode : {mode_t{0644}, mode_t{0640}, mode_t{0604}, mode_t{0660}}) {
    ASSERT_EQ(::chmod(priv.c_str(), mode), 0);
    auto loaded = PrivateKey::LoadPem(priv);
    ASSERT_FALSE(loaded.ok()) << std::oct << mode;
    EXPECT_EQ(loaded.status().code(), Code::kInvalidInput);
  }
  ASSERT_EQ(::chmod(priv.c_str(), 0400), 0);
  EXPECT_TRUE(PrivateKey::LoadPem(priv).ok());
}

TEST(Pem, LoadPemRejectsMissingFile) {
  TempDir dir;
  auto loaded = PrivateKey::LoadPem(dir.File("absent"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Code::kInvalidInput);
  auto pub = PublicKey::LoadPem(dir.File("absent"));
  ASSERT_FALSE(pub.ok());
  EXPECT_EQ(pub.status().code(), Code::kInvalidInput);
}

TEST(Pem, MalformedPemIsRejected) {
  TempDir dir;
  std::string good = NewKey().ToPem();
  const std::string bad_texts[] = {
      "",
      "not a key",
      "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
      good.substr(0, good.size() / 2),  // truncated
      "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
  };
  for (const std::string& text : bad_texts) {
    auto key = PrivateKey::ParsePem(text);
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_EQ(key.status().code(), Code::kInvalidInput);
    auto pub = PublicKey::ParsePem(text);
    ASSERT_FALSE(pub.ok()) << text;
    EXPECT_EQ(pub.status().code(), Code::kInvalidInput);
  }
  WriteFile(dir.File("bad.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            0600);
  auto loaded = PrivateKey::LoadPem(dir.File("bad.key"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Code::kInvalidInput);
  // The message names the file.
  EXPECT_NE(loaded.status().message().find(dir.File("bad.key")), std::string::npos);
}

TEST(Pem, PrivateKeyParsePemRejectsPublicKeyPem) {
  auto key = PrivateKey::ParsePem(NewKey().public_key().ToPem());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Code::kInvalidInput);
}

TEST(Pem, PublicKeyLoadPemAcceptsSpkiAndPrivatePem) {
  TempDir dir;
  PrivateKey key = NewKey();
  ASSERT_TRUE(key.SavePem(dir.File("k"), dir.File("k.pub")).ok());
  auto from_pub = PublicKey::LoadPem(dir.File("k.pub"));
  ASSERT_TRUE(from_pub.ok()) << from_pub.status().message();
  EXPECT_EQ(from_pub->raw(), key.public_key().raw());
  auto from_priv = PublicKey::LoadPem(dir.File("k"));
  ASSERT_TRUE(from_priv.ok()) << from_priv.status().message();
  EXPECT_EQ(from_priv->raw(), key.public_key().raw());
  EXPECT_EQ(from_priv->key_id(), key.key_id());
}

// Test-only OpenSSL helpers: keys in forms vledger never writes itself.
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// `key` as an AES-256-CBC encrypted PKCS#8 PEM under `passphrase`.
std::string EncryptedPem(const PrivateKey& key, const std::string& passphrase) {
  std::string plain = key.ToPem();
  std::unique_ptr<BIO, BioDeleter> in(
      BIO_new_mem_buf(plain.data(), static_cast<int>(plain.size())));
  std::unique_ptr<EVP_PKEY, PkeyDeleter> pkey(
      PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  VLEDGER_ASSERT(pkey != nullptr);
  std::unique_ptr<BIO, BioDeleter> out(BIO_new(BIO_s_mem()));
  VLEDGER_ASSERT(
      PEM_write_bio_PKCS8PrivateKey(out.get(), pkey.get(), EVP_aes_256_cbc(), passphrase.data(),
                                    static_cast<int>(passphrase.size()), nullptr, nullptr) == 1);
  return BioText(out.get());
}

TEST(Pem, EncryptedPkcs8LoadsWithRightPassphrase) {
  TempDir dir;
  PrivateKey key = NewKey();
  std::string pem = EncryptedPem(key, "secret");
  ASSERT_NE(pem.find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  WriteFile(dir.File("enc.key"), pem, 0600);
  auto loaded = PrivateKey::LoadPem(dir.File("enc.key"), "secret");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->public_key().raw(), key.public_key().raw());
  EXPECT_EQ(loaded->Sign("m"), key.Sign("m"));
}

TEST(Pem, EncryptedPkcs8RejectsWrongOrMissingPassphrase) {
  TempDir dir;
  PrivateKey key = NewKey();
  WriteFile(dir.File("enc.key"), EncryptedPem(key, "secret"), 0600);
  auto wrong = PrivateKey::LoadPem(dir.File("enc.key"), "Secret");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), Code::kInvalidInput);
  auto missing = PrivateKey::LoadPem(dir.File("enc.key"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kInvalidInput);
  EXPECT_NE(missing.status().message().find("encrypted"), std::string::npos)
      << missing.status().message();
}

TEST(Pem, EncryptedKeyFromOpensslCliLoads) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "no openssl program on PATH";
  }
  TempDir dir;
  std::string path = dir.File("cli.key");
  std::string cmd =
      "umask 077 && openssl genpkey -algorithm ed25519 -aes-256-cbc -pass pass:secret"
      " -out '" +
      path + "' 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto loaded = PrivateKey::LoadPem(path, "secret");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(loaded->public_key().Verify("m", loaded->Sign("m")));
  EXPECT_EQ(PrivateKey::LoadPem(path, "wrong").status().code(), Code::kInvalidInput);
  EXPECT_EQ(PrivateKey::LoadPem(path).status().code(), Code::kInvalidInput);
}

TEST(Pem, NonEd25519KeyIsRejected) {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  ASSERT_NE(ec, nullptr);
  std::unique_ptr<BIO, BioDeleter> priv_bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(priv_bio.get(), ec.get(), nullptr, nullptr, 0, nullptr,
                                          nullptr),
            1);
  std::unique_ptr<BIO, BioDeleter> pub_bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PUBKEY(pub_bio.get(), ec.get()), 1);

  auto key = PrivateKey::ParsePem(BioText(priv_bio.get()));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Code::kInvalidInput);
  auto pub = PublicKey::ParsePem(BioText(pub_bio.get()));
  ASSERT_FALSE(pub.ok());
  EXPECT_EQ(pub.status().code(), Code::kInvalidInput);
}

// -------------------------------------------------------------------- chain

TEST(Chain, DomainsIncludeTrailingNul) {
  EXPECT_EQ(kEventDomain.size(), 17u);
  EXPECT_EQ(kEventDomain, std::string_view("VLEDGER-EVENT-V1\0", 17));
  EXPECT_EQ(kEventDomain.back(), '\0');
  EXPECT_EQ(kCommitDomain.size(), 18u);
  EXPECT_EQ(kCommitDomain, std::string_view("VLEDGER-COMMIT-V1\0", 18));
  for (uint8_t b : kZeroHash) EXPECT_EQ(b, 0);
}

TEST(Chain, RecordHashMatchesHandBuiltSha256) {
  Hash prev = Sha256("previous");
  const std::string canonical("\x00\x01 canonical bytes \xff", 20);
  for (uint64_t seq : {uint64_t{0}, uint64_t{1}, uint64_t{0x0102030405060708ull}, UINT64_MAX}) {
    std::string preimage("VLEDGER-EVENT-V1", 16);
    preimage += '\0';
    for (int shift = 56; shift >= 0; shift -= 8) {
      preimage += static_cast<char>((seq >> shift) & 0xff);
    }
    preimage.append(reinterpret_cast<const char*>(prev.data()), prev.size());
    preimage += canonical;
    ASSERT_EQ(preimage.size(), 17u + 8u + 32u + canonical.size());
    EXPECT_EQ(RecordHash(seq, prev, canonical), Sha256(preimage)) << "seq " << seq;
  }
}

TEST(Chain, RecordHashKnownAnswers) {
  // Computed independently (Python hashlib) from the SPEC formula.
  EXPECT_EQ(Hex(RecordHash(0, kZeroHash, "")),
            "ab2fe862adc884acc495f2e3b94cf3b537ef0375bd020b6eddaac9f739fe2115");
  Hash prev{};
  for (size_t i = 0; i < prev.size(); i++) prev[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(Hex(RecordHash(5, prev, "hello")),
            "d7ab15dfa989d490e70aa95c3280d485dec3682a8013a7d8f2d15cb7f1b87cc6");
}

TEST(Chain, RecordHashWithReusedHasherMatchesOneShot) {
  Sha256Hasher hasher;
  Hash prev_reused = kZeroHash;
  Hash prev_fresh = kZeroHash;
  for (uint64_t seq = 0; seq < 200; seq++) {
    std::string canonical(seq % 50, static_cast<char>('a' + seq % 26));
    prev_reused = RecordHash(hasher, seq, prev_reused, canonical);
    prev_fresh = RecordHash(seq, prev_fresh, canonical);
    ASSERT_EQ(prev_reused, prev_fresh) << "seq " << seq;
  }
}

TEST(Chain, RecordHashDependsOnSeqPrevAndBytes) {
  Hash h = RecordHash(7, kZeroHash, "event");
  EXPECT_NE(RecordHash(8, kZeroHash, "event"), h);
  EXPECT_NE(RecordHash(7, Sha256("x"), "event"), h);
  EXPECT_NE(RecordHash(7, kZeroHash, "evenT"), h);
}

TEST(Chain, CommitMessageLayoutIsExact) {
  Hash last_hash = Sha256("last");
  std::string msg = CommitMessage(0x0102030405060708ull, 0x1112131415161718ull, last_hash);
  ASSERT_EQ(msg.size(), 18u + 8u + 8u + 32u);
  EXPECT_EQ(msg.substr(0, 18), std::string("VLEDGER-COMMIT-V1\0", 18));
  EXPECT_EQ(msg.substr(18, 8), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(msg.substr(26, 8), std::string("\x11\x12\x13\x14\x15\x16\x17\x18", 8));
  EXPECT_EQ(msg.substr(34), AsString(last_hash));
}

TEST(Chain, CommitSignatureVerifiesOnlyOverItsOwnRange) {
  PrivateKey key = RfcKey();
  Hash h = Sha256("h");
  std::string sig = key.Sign(CommitMessage(3, 5, h));
  EXPECT_TRUE(key.public_key().Verify(CommitMessage(3, 5, h), sig));
  EXPECT_FALSE(key.public_key().Verify(CommitMessage(3, 6, h), sig));
  EXPECT_FALSE(key.public_key().Verify(CommitMessage(2, 5, h), sig));
  EXPECT_FALSE(key.public_key().Verify(CommitMessage(3, 5, Sha256("g")), sig));
}

}  // namespace
}  // namespace vledger
