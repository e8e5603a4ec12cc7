// The outbox's entries (app/outbox.h): a signed, canonical form that
// comes back as it was written, and any change to the file, or a check
// with another key, refused.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "temp_dir.h"
#include "vledger/app/outbox.h"
#include "vledger/ledger/bytes.h"

namespace vledger::app {
namespace {

using Json = nlohmann::json;

PrivateKey Key(char seed) {
  Result<PrivateKey> key = PrivateKey::FromSeed(std::string(32, seed));
  VLEDGER_ASSERT(key.ok());
  return std::move(*key);
}

OutboxEntry Entry(const PrivateKey& key) {
  OutboxEntry e;
  e.entered_at = "2026-03-01T02:00:00.000Z";
  e.on = "2026-03-01";
  e.command = "award";
  e.server = "http://127.0.0.1:8080";
  e.key_id = key.key_id();
  e.request_id = "r-0123456789abcdef";
  e.args = {"award",        "R1",         "GOOD", "--lang",    "zh",
            "--request-id", e.request_id, "--on", "2026-03-01"};
  e.files = {{"@vledger-in/0/a.pub", std::string("\0\1binary\xff", 9)}};
  e.expect.command = "award";
  e.expect.key_id = key.key_id();
  e.expect.request_id = e.request_id;
  e.expect.resident = "R1";
  e.expect.rule = "GOOD";
  e.expect.points = 5;
  e.expect.target = 7;
  return e;
}

void ExpectSame(const OutboxEntry& a, const OutboxEntry& b) {
  EXPECT_EQ(a.entered_at, b.entered_at);
  EXPECT_EQ(a.on, b.on);
  EXPECT_EQ(a.command, b.command);
  EXPECT_EQ(a.server, b.server);
  EXPECT_EQ(a.key_id, b.key_id);
  EXPECT_EQ(a.request_id, b.request_id);
  EXPECT_EQ(a.args, b.args);
  ASSERT_EQ(a.files.size(), b.files.size());
  for (size_t i = 0; i < a.files.size(); i++) {
    EXPECT_EQ(a.files[i].name, b.files[i].name);
    EXPECT_EQ(a.files[i].bytes, b.files[i].bytes);
  }
  EXPECT_EQ(a.expect.command, b.expect.command);
  EXPECT_EQ(a.expect.resident, b.expect.resident);
  EXPECT_EQ(a.expect.rule, b.expect.rule);
  EXPECT_EQ(a.expect.fund, b.expect.fund);
  EXPECT_EQ(a.expect.points, b.expect.points);
  EXPECT_EQ(a.expect.amount_fen, b.expect.amount_fen);
  EXPECT_EQ(a.expect.target, b.expect.target);
}

TEST(Outbox, RoundTrip) {
  PrivateKey key = Key(1);
  OutboxEntry e = Entry(key);
  Result<std::string> bytes = EncodeOutboxEntry(e, key);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_EQ(bytes->find("PRIVATE"), std::string::npos);
  Result<OutboxEntry> back = DecodeOutboxEntry(*bytes, key.public_key());
  ASSERT_TRUE(back.ok()) << back.status().message();
  ExpectSame(e, *back);
  // The canonical form: keys sorted, so encoding what was read gives the
  // same bytes.
  EXPECT_EQ(*EncodeOutboxEntry(*back, key), *bytes);
}

// Every member (and each member of `expect`), changed, added or removed,
// makes the file refused.
TEST(Outbox, EveryChangeIsRefused) {
  PrivateKey key = Key(1);
  std::string bytes = *EncodeOutboxEntry(Entry(key), key);
  const Json original = Json::parse(bytes);
  std::vector<std::pair<std::string, Json>> changed;
  for (const auto& [name, value] : original.items()) {
    if (name == "signature" || name == "key_id") continue;
    Json j = original;
    if (value.is_string()) {
      j[name] = value.get<std::string>() + "x";
    } else if (name == "args") {
      j[name][2] = "BAD";
    } else if (name == "files") {
      j[name][0]["bytes"] = Base64("other bytes");
    } else if (name == "expect") {
      for (const auto& [member, v] : value.items()) {
        Json k = original;
        k["expect"][member] =
            v.is_string() ? Json(v.get<std::string>() + "x") : Json(v.get<int64_t>() + 1);
        changed.push_back({"expect." + member, k});
      }
      Json k = original;
      k["expect"]["fund"] = "F1";  // a value added
      changed.push_back({"expect.fund added", k});
      continue;
    }
    changed.push_back({name, j});
    Json removed = original;
    removed.erase(name);
    changed.push_back({name + " removed", removed});
  }
  Json added = original;
  added["note"] = "x";
  changed.push_back({"a member added", added});
  Json files_added = original;
  files_added["files"].push_back({{"name", "@vledger-in/1/b"}, {"bytes", Base64("b")}});
  changed.push_back({"a file added", files_added});
  Json signature = original;
  std::string sig = *Unbase64(original["signature"].get<std::string>());
  sig[0] ^= 1;
  signature["signature"] = Base64(sig);
  changed.push_back({"signature", signature});
  ASSERT_GT(changed.size(), 20u);
  for (const auto& [what, j] : changed) {
    Result<OutboxEntry> read = DecodeOutboxEntry(j.dump(), key.public_key());
    EXPECT_FALSE(read.ok()) << what << " changed, yet accepted";
    if (!read.ok()) {
      EXPECT_EQ(read.status().code(), Code::kVerificationFailed) << what;
    }
  }
  // Not JSON at all, or cut short.
  EXPECT_EQ(DecodeOutboxEntry(bytes.substr(0, bytes.size() / 2), key.public_key()).status().code(),
            Code::kVerificationFailed);
  EXPECT_EQ(DecodeOutboxEntry("", key.public_key()).status().code(), Code::kVerificationFailed);
}

TEST(Outbox, AnotherKeyIsRefused) {
  PrivateKey key = Key(1), other = Key(2);
  std::string bytes = *EncodeOutboxEntry(Entry(key), key);
  // Checked with another collector's key: not its entry.
  Result<OutboxEntry> read = DecodeOutboxEntry(bytes, other.public_key());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kPermissionDenied);
  // Re-signed by another key in the first key's name: the signature fails.
  OutboxEntry forged = Entry(key);
  forged.args[1] = "R2";
  Json j = Json::parse(*EncodeOutboxEntry(Entry(other), other));
  j["key_id"] = key.key_id();
  j["expect"]["key_id"] = key.key_id();
  read = DecodeOutboxEntry(j.dump(), key.public_key());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kVerificationFailed);
  // An entry is signed only by the key it names.
  EXPECT_FALSE(EncodeOutboxEntry(Entry(key), other).ok());
}

TEST(Outbox, FolderFilesListAndRefused) {
  testing::TempDir tmp;
  std::string dir = tmp.File("data/vledger/outbox");
  PrivateKey key = Key(1);
  EXPECT_TRUE(ListOutbox(dir)->empty());  // none yet: no folder
  OutboxEntry first = Entry(key), second = Entry(key);
  second.request_id = second.expect.request_id = "r-second";
  Result<std::string> a = WriteOutboxEntry(dir, first, key);
  ASSERT_TRUE(a.ok()) << a.status().message();
  Result<std::string> b = WriteOutboxEntry(dir, second, key);
  ASSERT_TRUE(b.ok());
  struct stat st = {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir + "/" + *a).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<std::vector<OutboxListing>> listed = ListOutbox(dir);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, *a);  // oldest first
  EXPECT_EQ((*listed)[0].request_id, first.request_id);
  EXPECT_EQ((*listed)[1].request_id, "r-second");
  EXPECT_TRUE(DecodeOutboxEntry(*ReadOutboxFile(dir, *a), key.public_key()).ok());

  Result<std::string> moved = RefuseOutboxEntry(dir, *a, "vledger: error: refused");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, dir + "/refused/" + *a);
  std::ifstream error(*moved + ".error");
  std::stringstream text;
  text << error.rdbuf();
  EXPECT_EQ(text.str(), "vledger: error: refused\n");
  EXPECT_TRUE(RemoveOutboxEntry(dir, *b).ok());
  EXPECT_TRUE(ListOutbox(dir)->empty());

  // One sync at a time.
  Result<OutboxLock> lock = OutboxLock::Take(dir);
  ASSERT_TRUE(lock.ok());
  EXPECT_EQ(OutboxLock::Take(dir).status().code(), Code::kUnavailable);
}

TEST(Outbox, Folder) {
  EXPECT_EQ(*OutboxDir("/x/data", "/h/clerk"), "/x/data/vledger/outbox");
  EXPECT_EQ(*OutboxDir("", "/h/clerk"), "/h/clerk/.local/share/vledger/outbox");
  EXPECT_EQ(*OutboxDir("relative", "/h/clerk"), "/h/clerk/.local/share/vledger/outbox");
  EXPECT_FALSE(OutboxDir("", "").ok());
}

}  // namespace
}  // namespace vledger::app
