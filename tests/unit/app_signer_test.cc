// What a commit's signer is given (app/signer.h, app::CommitSigned): the
// canonical bytes of the events it signs go to a signer outside this
// process, which checks them before it signs, and not to this process's
// own key, which signs the message alone.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app_fixture.h"
#include "vledger/app/append.h"
#include "vledger/app/signer.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/event.h"
#include "vledger/ledger/store.h"

namespace vledger {
namespace {

// Signs with a key it holds and records the events each commit offered.
class RecordingSigner final : public app::Signer {
 public:
  RecordingSigner(PrivateKey key, bool remote)
      : key_(std::move(key)), key_id_(key_.key_id()), remote_(remote) {}
  const std::string& key_id() const override { return key_id_; }
  Result<std::string> Sign(const app::CommitToSign& commit) override {
    offered.push_back(commit.canonical_events);
    return key_.Sign(commit.message);
  }
  Result<std::string> SignCheckpoint(const app::CheckpointToSign& checkpoint) override {
    return key_.Sign(checkpoint.body);
  }
  bool remote() const override { return remote_; }

  std::vector<std::vector<std::string>> offered;

 private:
  PrivateKey key_;
  std::string key_id_;
  bool remote_;
};

TEST(AppSigner, OnlyASignerOutsideTheProcessIsGivenTheEventsItSigns) {
  testing::AppLedger l;
  l.Vl("village add V01 --name 曲家村");
  app::Session s = l.AdminSession();
  int village = 10;
  for (bool remote : {false, true}) {
    SCOPED_TRACE(remote ? "remote" : "local");
    auto ledger = s.OpenWriter();
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    auto key = s.SigningKey();
    ASSERT_TRUE(key.ok()) << key.status().message();
    auto now = s.AppendNowMs(**ledger);
    ASSERT_TRUE(now.ok()) << now.status().message();
    auto txn = (*ledger)->BeginWrite();
    std::vector<std::string> added;
    for (int i = 0; i < 3; i++) {
      Event e;
      e.recorded_at_ms = *now;
      e.key_id = key->key_id();
      e.body = VillageRegistered{"V" + std::to_string(village++), "村"};
      added.push_back(EncodeEvent(e));
      txn->AddEvent(added.back(), e);
    }
    std::optional<PublicKey> registered;
    if (remote) registered = key->public_key();
    RecordingSigner signer(std::move(*key), remote);
    auto commit = app::CommitSigned(signer, registered, *txn, 0, false);
    ASSERT_TRUE(commit.ok()) << commit.status().message();
    ASSERT_EQ(signer.offered.size(), 1u);
    if (remote) {
      EXPECT_EQ(signer.offered[0], added);
    } else {
      EXPECT_TRUE(signer.offered[0].empty());
    }
    EXPECT_EQ(commit->last - commit->first + 1, 3u);
  }
}

}  // namespace
}  // namespace vledger
