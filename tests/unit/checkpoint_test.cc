// C2SP checkpoints (signed notes), tlog-proof files and consistency proof
// text: exact layout, round trips, signature checks and strict parsing.
#include "vledger/ledger/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vledger/ledger/crypto.h"
#include "vledger/ledger/merkle.h"

namespace vledger {
namespace {

const std::string kEmDash = "\xE2\x80\x94";

PrivateKey KeyFromSeedByte(char byte) {
  return std::move(PrivateKey::FromSeed(std::string(32, byte))).value();
}

Checkpoint SampleCheckpoint() {
  return Checkpoint{"vledger/Demo-Village-0123abcd", 1234, Sha256("root")};
}

// Replaces the first occurrence of `from`, which must be present.
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string SignatureLine(const std::string& name, const std::string& raw) {
  return kEmDash + " " + name + " " + Base64(raw) + "\n";
}

// The signed-note example of golang.org/x/mod/sumdb/note (note_test.go):
// matching it byte for byte means Go tools and witnesses accept our notes.
TEST(NoteKey, MatchesGoSumdbNoteVector) {
  std::string signer = *Unbase64("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
  ASSERT_EQ(signer[0], '\x01');
  PrivateKey key = std::move(PrivateKey::FromSeed(signer.substr(1))).value();
  EXPECT_EQ(NoteKeyId("PeterNeumann", key.public_key()), 0xc74f20a3u);
  EXPECT_EQ(NoteVerifierKey("PeterNeumann", key.public_key()),
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  std::string text =
      "If you think cryptography is the answer to your problem,\n"
      "then you don't know what your problem is.\n";
  std::string line =
      SignatureLine("PeterNeumann", std::string("\xc7\x4f\x20\xa3", 4) + key.Sign(text));
  EXPECT_EQ(line, kEmDash +
                      " PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
                      "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n");
}

TEST(NoteKey, KeyNamesRefuseSpacesPlusAndControls) {
  EXPECT_TRUE(IsValidNoteKeyName("example.com/log42"));
  EXPECT_TRUE(IsValidNoteKeyName("vledger/Dörfli-ab12"));
  EXPECT_FALSE(IsValidNoteKeyName(""));
  EXPECT_FALSE(IsValidNoteKeyName("a b"));
  EXPECT_FALSE(IsValidNoteKeyName("a+b"));
  EXPECT_FALSE(IsValidNoteKeyName("a\tb"));
  EXPECT_FALSE(
      IsValidNoteKeyName("a\xC2\xA0"
                         "b"));  // U+00A0 no-break space
  EXPECT_FALSE(
      IsValidNoteKeyName("a\xE3\x80\x80"
                         "b"));  // U+3000 ideographic space
  EXPECT_FALSE(
      IsValidNoteKeyName("a\xFF"
                         "b"));  // not UTF-8
  EXPECT_FALSE(
      IsValidNoteKeyName("a\xC0\xAF"
                         "b"));  // overlong '/'
}

TEST(Checkpoint, SignedNoteHasTheC2spLayout) {
  PrivateKey key = KeyFromSeedByte(7);
  Checkpoint cp = SampleCheckpoint();
  std::string note = SignCheckpoint(cp, key);
  std::string body = cp.origin + "\n1234\n" + Base64(AsView(cp.root)) + "\n";
  EXPECT_EQ(CheckpointBody(cp), body);
  std::string prefix = body + "\n" + kEmDash + " " + cp.origin + " ";
  ASSERT_EQ(note.substr(0, prefix.size()), prefix);
  ASSERT_EQ(note.back(), '\n');
  std::string sig_b64 = note.substr(prefix.size(), note.size() - prefix.size() - 1);
  std::optional<std::string> raw = Unbase64(sig_b64);
  ASSERT_TRUE(raw.has_value());
  ASSERT_EQ(raw->size(), 68u);
  uint32_t key_id = NoteKeyId(cp.origin, key.public_key());
  EXPECT_EQ(raw->substr(0, 4),
            std::string({char(key_id >> 24), char(key_id >> 16), char(key_id >> 8), char(key_id)}));
  EXPECT_TRUE(key.public_key().Verify(body, raw->substr(4)));
}

TEST(Checkpoint, SigningIsDeterministic) {
  PrivateKey key = KeyFromSeedByte(7);
  EXPECT_EQ(SignCheckpoint(SampleCheckpoint(), key), SignCheckpoint(SampleCheckpoint(), key));
}

TEST(Checkpoint, ParseAndVerifyRoundTrip) {
  PrivateKey key = KeyFromSeedByte(7);
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, uint64_t{1234}, UINT64_MAX}) {
    Checkpoint cp = SampleCheckpoint();
    cp.size = size;
    std::string note = SignCheckpoint(cp, key);
    Result<Checkpoint> parsed = ParseCheckpoint(note);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_EQ(*parsed, cp);
    Checkpoint verified;
    Status st = VerifyCheckpoint(note, key.public_key(), &verified);
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(verified, cp);
  }
}

TEST(Checkpoint, VerifyRejectsTamperedSizeRootOrigin) {
  PrivateKey key = KeyFromSeedByte(7);
  Checkpoint cp = SampleCheckpoint();
  std::string note = SignCheckpoint(cp, key);
  std::string bad_size = Replace(note, "\n1234\n", "\n1235\n");
  std::string bad_root = Replace(note, Base64(AsView(cp.root)), Base64(AsView(Sha256("other"))));
  std::string bad_origin = Replace(note, cp.origin + "\n", "vledger/Other-0123abcd\n");
  for (const std::string& bad : {bad_size, bad_root}) {
    Status st = VerifyCheckpoint(bad, key.public_key(), nullptr);
    EXPECT_EQ(st.code(), Code::kVerificationFailed);
    EXPECT_NE(st.message().find("bad signature"), std::string::npos) << st.message();
  }
  // A changed origin is a different key name, so our key's signature is absent.
  Status st = VerifyCheckpoint(bad_origin, key.public_key(), nullptr);
  EXPECT_EQ(st.code(), Code::kVerificationFailed);
  EXPECT_NE(st.message().find("no signature by key"), std::string::npos) << st.message();
}

TEST(Checkpoint, VerifyRejectsTamperedSignature) {
  PrivateKey key = KeyFromSeedByte(7);
  std::string note = SignCheckpoint(SampleCheckpoint(), key);
  // Flip one bit of the signature bytes (after the key ID).
  std::string line = note.substr(note.rfind(kEmDash));
  std::string raw = *Unbase64(line.substr(line.rfind(' ') + 1, line.size() - line.rfind(' ') - 2));
  raw[10] ^= 0x01;
  std::string bad =
      note.substr(0, note.rfind(kEmDash)) + SignatureLine(SampleCheckpoint().origin, raw);
  Status st = VerifyCheckpoint(bad, key.public_key(), nullptr);
  EXPECT_EQ(st.code(), Code::kVerificationFailed);
  EXPECT_NE(st.message().find("bad signature"), std::string::npos) << st.message();
}

TEST(Checkpoint, VerifyRejectsAnotherKey) {
  std::string note = SignCheckpoint(SampleCheckpoint(), KeyFromSeedByte(7));
  PrivateKey other = KeyFromSeedByte(8);
  Status st = VerifyCheckpoint(note, other.public_key(), nullptr);
  EXPECT_EQ(st.code(), Code::kVerificationFailed);
  EXPECT_NE(st.message().find("no signature by key"), std::string::npos) << st.message();
}

TEST(Checkpoint, VerifyIgnoresSignaturesOfOtherKeys) {
  PrivateKey key = KeyFromSeedByte(7);
  Checkpoint cp = SampleCheckpoint();
  std::string note = SignCheckpoint(cp, key);
  std::string junk(68, '\x5a');
  // A witness cosignature and a line with our name but another key ID.
  std::string extended =
      note + SignatureLine("witness.example/w1", junk) + SignatureLine(cp.origin, junk);
  EXPECT_TRUE(VerifyCheckpoint(extended, key.public_key(), nullptr).ok());
  std::string witness_first = CheckpointBody(cp) + "\n" +
                              SignatureLine("witness.example/w1", junk) +
                              note.substr(note.rfind(kEmDash));
  EXPECT_TRUE(VerifyCheckpoint(witness_first, key.public_key(), nullptr).ok());
}

TEST(Checkpoint, VerifyRejectsABadLineFromOurKeyBesideAGoodOne) {
  PrivateKey key = KeyFromSeedByte(7);
  Checkpoint cp = SampleCheckpoint();
  std::string note = SignCheckpoint(cp, key);
  uint32_t id = NoteKeyId(cp.origin, key.public_key());
  std::string forged = std::string({char(id >> 24), char(id >> 16), char(id >> 8), char(id)}) +
                       std::string(64, '\x01');
  Status st = VerifyCheckpoint(note + SignatureLine(cp.origin, forged), key.public_key(), nullptr);
  EXPECT_EQ(st.code(), Code::kVerificationFailed);
  EXPECT_NE(st.message().find("bad signature"), std::string::npos);
}

TEST(Checkpoint, NoteSignersListsEveryLineInOrder) {
  PrivateKey key = KeyFromSeedByte(7);
  Checkpoint cp = SampleCheckpoint();
  std::string note =
      SignCheckpoint(cp, key) + SignatureLine("witness.example/w1", "\x01\x02\x03\x04x");
  auto signers = NoteSigners(note);
  ASSERT_TRUE(signers.ok()) << signers.status().message();
  ASSERT_EQ(signers->size(), 2u);
  EXPECT_EQ((*signers)[0].name, cp.origin);
  EXPECT_EQ((*signers)[0].key_id, NoteKeyId(cp.origin, key.public_key()));
  EXPECT_EQ((*signers)[1].name, "witness.example/w1");
  EXPECT_EQ((*signers)[1].key_id, 0x01020304u);
  EXPECT_EQ(NoteSigners("not a note").status().code(), Code::kVerificationFailed);
}

TEST(Checkpoint, AcceptsUpTo100SignaturesAndNoMore) {
  PrivateKey key = KeyFromSeedByte(7);
  std::string note = SignCheckpoint(SampleCheckpoint(), key);
  std::string witnesses;
  for (int i = 0; i < 99; i++)
    witnesses += SignatureLine("w" + std::to_string(i), std::string(68, 'x'));
  EXPECT_TRUE(VerifyCheckpoint(note + witnesses, key.public_key(), nullptr).ok());
  std::string one_more = note + witnesses + SignatureLine("w99", std::string(68, 'x'));
  EXPECT_EQ(VerifyCheckpoint(one_more, key.public_key(), nullptr).code(),
            Code::kVerificationFailed);
  EXPECT_EQ(ParseCheckpoint(one_more).status().code(), Code::kVerificationFailed);
}

TEST(Checkpoint, ParseRejectsMalformedNotes) {
  PrivateKey key = KeyFromSeedByte(7);
  Checkpoint cp = SampleCheckpoint();
  const std::string note = SignCheckpoint(cp, key);
  const std::string body = CheckpointBody(cp);
  const std::string sig_line = note.substr(note.rfind(kEmDash));
  const std::string root_b64 = Base64(AsView(cp.root));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"no final newline", note.substr(0, note.size() - 1)},
      {"no blank line", body + sig_line},
      {"no signature lines", body + "\n"},
      {"hyphen for em dash", body + "\n" + Replace(sig_line, kEmDash, "-")},
      {"no space after em dash", body + "\n" + Replace(sig_line, kEmDash + " ", kEmDash)},
      {"two spaces before signature",
       body + "\n" + Replace(sig_line, cp.origin + " ", cp.origin + "  ")},
      {"signature too short", body + "\n" + SignatureLine(cp.origin, "abcd")},
      {"signature not base64", body + "\n" + kEmDash + " " + cp.origin + " !!!!\n"},
      {"key name with plus", body + "\n" + SignatureLine("a+b", std::string(68, 'x'))},
      {"extension line", Replace(note, root_b64 + "\n", root_b64 + "\next\n")},
      {"two body lines", Replace(note, "1234\n" + root_b64 + "\n", "1234\n")},
      {"size with leading zero", Replace(note, "\n1234\n", "\n01234\n")},
      {"size with sign", Replace(note, "\n1234\n", "\n+1234\n")},
      {"negative size", Replace(note, "\n1234\n", "\n-1\n")},
      {"size overflow", Replace(note, "\n1234\n", "\n18446744073709551616\n")},
      {"size not decimal", Replace(note, "\n1234\n", "\n0x10\n")},
      {"root of 31 bytes", Replace(note, root_b64, Base64(std::string(31, 'r')))},
      {"root not canonical base64", Replace(note, root_b64, root_b64.substr(0, 42) + "B=")},
      {"root unpadded", Replace(note, root_b64, root_b64.substr(0, 43))},
      {"carriage return", Replace(note, "\n1234\n", "\n1234\r\n")},
      {"tab", Replace(note, cp.origin + "\n", cp.origin + "\t\n")},
      {"invalid UTF-8", Replace(note, "\n1234\n", "\n1234\n\xFF\n")},
      {"empty origin", Replace(note, cp.origin + "\n", "\n")},
      {"origin with space", Replace(note, cp.origin + "\n", "vledger/Demo Village\n")},
      {"origin with plus", Replace(note, cp.origin + "\n", "vledger/Demo+Village\n")},
      {"blank line in signatures", note + "\n" + sig_line},
      {"over 1 MiB", body + "\n" + sig_line + SignatureLine("w", std::string(800 * 1024, 'x'))},
  };
  for (const auto& [what, text] : cases) {
    Result<Checkpoint> parsed = ParseCheckpoint(text);
    EXPECT_EQ(parsed.status().code(), Code::kVerificationFailed) << what;
    Status st = VerifyCheckpoint(text, key.public_key(), nullptr);
    EXPECT_EQ(st.code(), Code::kVerificationFailed) << what;
    EXPECT_NE(st.message().find("malformed"), std::string::npos) << what << ": " << st.message();
  }
}

TlogProof SampleProof(const PrivateKey& key) {
  TlogProof proof;
  proof.extra = std::string(32, '\x11') + "canonical event bytes";
  proof.index = 1233;
  proof.path = {Sha256("a"), Sha256("b"), Sha256("c")};
  proof.checkpoint_text = SignCheckpoint(SampleCheckpoint(), key);
  return proof;
}

TEST(TlogProof, FormatProducesTheC2spLayout) {
  PrivateKey key = KeyFromSeedByte(7);
  TlogProof proof = SampleProof(key);
  std::string want = "c2sp.org/tlog-proof@v1\nextra " + Base64(proof.extra) + "\nindex 1233\n" +
                     Base64(AsView(Sha256("a"))) + "\n" + Base64(AsView(Sha256("b"))) + "\n" +
                     Base64(AsView(Sha256("c"))) + "\n\n" + proof.checkpoint_text;
  EXPECT_EQ(FormatTlogProof(proof), want);
}

TEST(TlogProof, ParseRoundTripsFormat) {
  PrivateKey key = KeyFromSeedByte(7);
  TlogProof proof = SampleProof(key);
  Result<TlogProof> parsed = ParseTlogProof(FormatTlogProof(proof));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, proof);

  // No extra data omits the line; a one-leaf tree has an empty path.
  proof.extra.clear();
  proof.path.clear();
  proof.index = 0;
  std::string text = FormatTlogProof(proof);
  EXPECT_EQ(text.substr(0, 32), "c2sp.org/tlog-proof@v1\nindex 0\n\n");
  parsed = ParseTlogProof(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, proof);
}

TEST(TlogProof, ParseAcceptsThe63HashPathAndNoLonger) {
  PrivateKey key = KeyFromSeedByte(7);
  TlogProof proof = SampleProof(key);
  proof.path.assign(63, Sha256("p"));
  EXPECT_TRUE(ParseTlogProof(FormatTlogProof(proof)).ok());
  proof.path.push_back(Sha256("p"));
  EXPECT_EQ(ParseTlogProof(FormatTlogProof(proof)).status().code(), Code::kVerificationFailed);
}

TEST(TlogProof, ParseRejectsMalformedInput) {
  PrivateKey key = KeyFromSeedByte(7);
  TlogProof proof = SampleProof(key);
  const std::string good = FormatTlogProof(proof);
  const std::string extra_line = "extra " + Base64(proof.extra) + "\n";
  const std::string hash_a = Base64(AsView(Sha256("a"))) + "\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"wrong header", Replace(good, "tlog-proof@v1", "tlog-proof@v2")},
      {"header with trailing space", Replace(good, "@v1\n", "@v1 \n")},
      {"no index", Replace(good, "index 1233\n", "")},
      {"index leading zero", Replace(good, "index 1233\n", "index 01233\n")},
      {"index not decimal", Replace(good, "index 1233\n", "index x\n")},
      {"index two spaces", Replace(good, "index 1233\n", "index  1233\n")},
      {"index overflow", Replace(good, "index 1233\n", "index 18446744073709551616\n")},
      {"empty extra", Replace(good, extra_line, "extra \n")},
      {"extra not base64", Replace(good, extra_line, "extra *\n")},
      {"extra after index",
       Replace(Replace(good, extra_line, ""), "index 1233\n", "index 1233\n" + extra_line)},
      {"path hash not base64", Replace(good, hash_a, "not-a-hash\n")},
      {"path hash of 31 bytes", Replace(good, hash_a, Base64(std::string(31, 'a')) + "\n")},
      {"no blank line",
       Replace(good, "\n\n" + SampleCheckpoint().origin, "\n" + SampleCheckpoint().origin)},
      {"no checkpoint", good.substr(0, good.find("\n\n") + 2)},
      {"broken checkpoint", Replace(good, "\n1234\n", "\n01234\n")},
      {"over 1 MiB",
       Replace(good, extra_line, "extra " + Base64(std::string(800 * 1024, 'e')) + "\n")},
  };
  for (const auto& [what, text] : cases) {
    EXPECT_EQ(ParseTlogProof(text).status().code(), Code::kVerificationFailed) << what;
  }
}

TEST(ConsistencyProofText, RoundTrips) {
  std::vector<Hash> proof = {Sha256("x"), Sha256("y")};
  std::string text = FormatConsistencyProof(proof);
  EXPECT_EQ(text, Base64(AsView(Sha256("x"))) + "\n" + Base64(AsView(Sha256("y"))) + "\n");
  EXPECT_EQ(*ParseConsistencyProof(text), proof);
  EXPECT_EQ(FormatConsistencyProof({}), "");
  EXPECT_TRUE(ParseConsistencyProof("")->empty());
}

TEST(ConsistencyProofText, ParseRejectsMalformedInput) {
  std::string line = Base64(AsView(Sha256("x"))) + "\n";
  std::string too_many;
  for (int i = 0; i < 65; i++) too_many += line;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"no final newline", line.substr(0, line.size() - 1)},
      {"blank line", line + "\n"},
      {"not base64", "zzz\n"},
      {"31 bytes", Base64(std::string(31, 'a')) + "\n"},
      {"carriage return", line.substr(0, line.size() - 1) + "\r\n"},
      {"65 hashes", too_many},
  };
  for (const auto& [what, text] : cases) {
    EXPECT_EQ(ParseConsistencyProof(text).status().code(), Code::kVerificationFailed) << what;
  }
  EXPECT_TRUE(ParseConsistencyProof(too_many.substr(line.size())).ok());  // 64 is fine
}

}  // namespace
}  // namespace vledger

namespace vledger {
namespace {

// Generic signed notes (credit certificates, docs/FORMAT.md section 13).
TEST(SignedNote, CheckNoteTellsValidTamperedOtherKeyAndMalformed) {
  PrivateKey key = KeyFromSeedByte('a');
  PrivateKey other = KeyFromSeedByte('b');
  std::string note = SignNote("line one\nline two\n", "county/x", key);
  EXPECT_EQ(note.substr(0, 19), "line one\nline two\n\n");

  CheckedNote ok = CheckNote(note, key.public_key());
  EXPECT_EQ(ok.check, NoteCheck::kValid);
  EXPECT_EQ(ok.body, "line one\nline two\n");
  EXPECT_EQ(ok.key_name, "county/x");

  std::string tampered = note;
  tampered[5] = 'O';
  EXPECT_EQ(CheckNote(tampered, key.public_key()).check, NoteCheck::kBadSignature);
  EXPECT_EQ(CheckNote(note, other.public_key()).check, NoteCheck::kNotByKey);
  CheckedNote cut = CheckNote(note.substr(0, 12), key.public_key());
  EXPECT_EQ(cut.check, NoteCheck::kMalformed);
  EXPECT_EQ(cut.error.code(), Code::kVerificationFailed);
}

TEST(SignedNote, SignatureLineIsTheCheckpointFormsUnderTheGivenName) {
  PrivateKey key = KeyFromSeedByte('c');
  Checkpoint head{"county/x", 3, Hash{}};
  // The same signer and body give the checkpoint's bytes: one format.
  EXPECT_EQ(SignNote(CheckpointBody(head), head.origin, key), SignCheckpoint(head, key));
}

}  // namespace
}  // namespace vledger
