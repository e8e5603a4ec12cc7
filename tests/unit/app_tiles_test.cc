// The tiled log of the application layer (app/tiles.h) and the
// checkpointer role (app/checkpoint.h): tiles served for the newest stored
// checkpoint and checked against it, `tiles --out` as a pure function of
// the log and the checkpoint (an earlier output brought up to date, a
// foreign folder refused), and SignCheckpoint for a server.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app_fixture.h"
#include "helpers.h"
#include "vledger/app/checkpoint.h"
#include "vledger/app/tiles.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/crypto.h"

namespace vledger {
namespace {

namespace fs = std::filesystem;
using testing::AppLedger;
using testing::ReadAll;

// Every file under `dir`, by path relative to it, with its bytes.
std::map<std::string, std::string> FilesOf(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) {
      files[e.path().lexically_relative(dir).generic_string()] = ReadAll(e.path().string());
    }
  }
  return files;
}

class TilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V1 --name 曲家村");
    l.Vl("household add H1 --village V1 --head 曲建国");
    l.Vl("resident add R1 --village V1 --household H1 --name 曲一 --birth-year 1970");
    l.Vl("rule add VOL --category 志愿服务 --points 2 --min 1 --max 10");
  }

  // Appends `n` awards in commits of `batch`.
  void Awards(int n, int batch, const std::string& source) {
    std::string path = l.File(source + ".csv");
    std::ofstream out(path, std::ios::binary);
    out << "resident,rule,points,note\n";
    for (int i = 0; i < n; i++) out << "R1,VOL," << 1 + i % 10 << "," << source << i << "\n";
    out.close();
    l.Vl("import " + path + " --kind awards --batch " + std::to_string(batch));
  }

  std::unique_ptr<Ledger> Reader() {
    auto ledger = Ledger::Open(l.ledger(), {});
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    return std::move(ledger).value();
  }

  Result<std::string> File(std::string_view path) { return app::TileFile(*Reader(), path); }

  // The root of the tree of `size` read from the served tiles only.
  Hash RootFromTiles(uint64_t size) {
    NodeReader nodes = [&](int height, uint64_t index) -> Result<Hash> {
      int level = height / kTileHeight, extra = height % kTileHeight;
      std::vector<Hash> row;
      for (uint64_t i = index << extra; i < (index + 1) << extra; i++) {
        uint64_t n = i / kTileWidth, units = size >> (kTileHeight * level);
        Tile t{false, level, n, std::min<uint64_t>(kTileWidth, units - n * kTileWidth)};
        VLEDGER_ASSIGN_OR_RETURN(std::string bytes, File(TilePath(t)));
        VLEDGER_ASSIGN_OR_RETURN(auto hashes, TileHashes(bytes));
        row.push_back(hashes.at(i % kTileWidth));
      }
      for (; row.size() > 1; row.resize(row.size() / 2)) {
        for (size_t i = 0; i < row.size() / 2; i++)
          row[i] = MerkleNodeHash(row[2 * i], row[2 * i + 1]);
      }
      return row[0];
    };
    auto root = MerkleRoot(size, nodes);
    EXPECT_TRUE(root.ok()) << root.status().message();
    return root.ok() ? *root : Hash{};
  }

  Checkpoint Head(const std::string& text) {
    auto head = ParseCheckpoint(text);
    EXPECT_TRUE(head.ok());
    return *head;
  }

  AppLedger l;
};

TEST_F(TilesTest, NothingIsServedBeforeACheckpointIsStored) {
  auto none = File("checkpoint");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  EXPECT_EQ(File("tile/0/000.p/1").status().code(), Code::kNotFound);
  EXPECT_EQ(File("tile/0/0000").status().code(), Code::kInvalidInput);
  EXPECT_EQ(File("/checkpoint").status().code(), Code::kInvalidInput);
}

TEST_F(TilesTest, TilesOfTheNewestCheckpointRebuildItsRoot) {
  Awards(600, 150, "a");
  l.Vl("checkpoint");
  auto text = File("checkpoint");
  ASSERT_TRUE(text.ok());
  Checkpoint head = Head(*text);
  ASSERT_EQ(head.size, Reader()->size());
  EXPECT_EQ(RootFromTiles(head.size), head.root);

  // Entry bundles hold h[n]; level 0 its leaf.
  auto bundle = File("tile/entries/001");
  ASSERT_TRUE(bundle.ok());
  auto h300 = Reader()->ReadHash(300);
  ASSERT_TRUE(h300.ok());
  EXPECT_EQ(bundle->substr(44 * 34, 34), std::string("\x00\x20", 2) + AsString(*h300));
  auto level0 = File("tile/0/001");
  ASSERT_TRUE(level0.ok());
  EXPECT_EQ(level0->substr(44 * 32, 32), AsString(MerkleLeafHash(*h300)));

  // The tree's partial tiles, and an older size's; nothing past the head.
  uint64_t width = head.size % 256;
  EXPECT_TRUE(File("tile/0/002.p/" + std::to_string(width)).ok());
  EXPECT_TRUE(File("tile/0/002.p/1").ok());
  EXPECT_TRUE(File("tile/1/000.p/2").ok());
  auto past = File("tile/0/002.p/" + std::to_string(width + 1));
  EXPECT_EQ(past.status().code(), Code::kNotFound);
  EXPECT_EQ(File("tile/0/002").status().code(), Code::kNotFound);
  EXPECT_EQ(File("tile/2/000.p/1").status().code(), Code::kNotFound);

  // Appends after it change nothing served until a new checkpoint.
  Awards(10, 10, "b");
  auto same = File("checkpoint");
  EXPECT_EQ(*same, *text);
  EXPECT_EQ(File("tile/0/002.p/" + std::to_string(width + 1)).status().code(), Code::kNotFound);
  l.Vl("checkpoint");
  EXPECT_TRUE(File("tile/0/002.p/" + std::to_string(width + 10)).ok());
}

TEST_F(TilesTest, WritesAFolderThatIsAPureFunctionOfTheCheckpoint) {
  Awards(300, 100, "a");
  l.Vl("checkpoint");
  const uint64_t first_size = Reader()->size();
  std::string dir = l.File("site");
  auto wrote = app::Tiles(l.AdminSession(), {dir, std::nullopt, {}});
  ASSERT_TRUE(wrote.ok()) << wrote.status().message();
  EXPECT_EQ(wrote->head.size, first_size);
  EXPECT_EQ(wrote->files, TileCount(first_size));
  EXPECT_EQ(wrote->written, wrote->files);
  auto files = FilesOf(dir);
  EXPECT_EQ(files.size(), wrote->files + 1);
  EXPECT_EQ(files.at("checkpoint"), *File("checkpoint"));
  for (const auto& [path, bytes] : files) {
    if (path != "checkpoint") {
      EXPECT_EQ(bytes, *File(path)) << path;
    }
  }

  // Again: nothing to write.
  auto again = app::Tiles(l.AdminSession(), {dir, std::nullopt, {}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->written, 0u);
  EXPECT_EQ(again->unchanged, again->files);
  EXPECT_EQ(FilesOf(dir), files);

  // A newer checkpoint: the earlier output becomes exactly a fresh one.
  Awards(300, 100, "b");
  l.Vl("checkpoint");
  auto update = app::Tiles(l.AdminSession(), {dir, std::nullopt, {}});
  ASSERT_TRUE(update.ok()) << update.status().message();
  EXPECT_GT(update->removed, 0u);  // the partial tiles of the older size
  EXPECT_GT(update->unchanged, 0u);
  std::string fresh = l.File("fresh");
  ASSERT_TRUE(app::Tiles(l.AdminSession(), {fresh, std::nullopt, {}}).ok());
  EXPECT_EQ(FilesOf(dir), FilesOf(fresh));

  // Back to the older checkpoint (--at): the same as the first output.
  auto back = app::Tiles(l.AdminSession(), {dir, first_size, {}});
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(FilesOf(dir), files);
  EXPECT_FALSE(fs::exists(dir + "/tile/entries/002.p/" + std::to_string((first_size + 300) % 256)));
}

TEST_F(TilesTest, RefusesAForeignFolderAndAnUnstoredSize) {
  l.Vl("checkpoint");
  std::string dir = l.File("docs");
  fs::create_directories(dir);
  std::ofstream(dir + "/index.html") << "<html></html>";
  auto refused = app::Tiles(l.AdminSession(), {dir, std::nullopt, {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kInvalidInput);
  EXPECT_EQ(refused.status().field(), "--out");
  EXPECT_FALSE(fs::exists(dir + "/tile"));
  EXPECT_FALSE(fs::exists(dir + "/checkpoint"));

  // A stray file under tile/ is no tile either, and is kept.
  std::string stray = l.File("stray");
  ASSERT_TRUE(app::Tiles(l.AdminSession(), {stray, std::nullopt, {}}).ok());
  std::ofstream(stray + "/tile/notes.txt") << "mine";
  EXPECT_EQ(app::Tiles(l.AdminSession(), {stray, std::nullopt, {}}).status().code(),
            Code::kInvalidInput);
  EXPECT_TRUE(fs::exists(stray + "/tile/notes.txt"));

  auto unstored = app::Tiles(l.AdminSession(), {l.File("x"), uint64_t{2}, {}});
  ASSERT_FALSE(unstored.ok());
  EXPECT_EQ(unstored.status().code(), Code::kNotFound);
  EXPECT_EQ(unstored.status().field(), "--at");
}

TEST_F(TilesTest, SignCheckpointForAServerIsCheapWhenNothingChanged) {
  l.Vl("key new --out cp.key");
  l.Vl("key register --pub cp.key.pub --role checkpointer --label server");
  l.Vl("key new --out c.key");
  l.Vl("key register --pub c.key.pub --role collector --village V1");
  auto cp = PrivateKey::LoadPem(l.dir() + "/cp.key");
  auto collector = PrivateKey::LoadPem(l.dir() + "/c.key");
  ASSERT_TRUE(cp.ok() && collector.ok());
  auto count = [](const Ledger& ledger) {
    int n = 0;
    EXPECT_TRUE(ledger
                    .ScanCheckpoints([&](uint64_t, std::string_view) {
                      n++;
                      return Status::Ok();
                    })
                    .ok());
    return n;
  };
  {
    auto writer = Ledger::Open(l.ledger(), {Ledger::Access::kWriter, 0});
    ASSERT_TRUE(writer.ok());
    auto refused = app::SignCheckpoint(*collector, **writer);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
    EXPECT_EQ(count(**writer), 0);

    auto signed_head = app::SignCheckpoint(*cp, **writer);
    ASSERT_TRUE(signed_head.ok()) << signed_head.status().message();
    EXPECT_EQ(signed_head->head.size, (*writer)->size());
    EXPECT_TRUE(VerifyCheckpoint(signed_head->text, cp->public_key(), nullptr).ok());
    EXPECT_EQ(count(**writer), 1);
    auto same = app::SignCheckpoint(*cp, **writer);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same->text, signed_head->text);
    EXPECT_EQ(count(**writer), 1);
  }
  // The admin countersigns the same size: both signatures stay.
  l.Vl("checkpoint");
  auto text = File("checkpoint");
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(VerifyCheckpoint(*text, cp->public_key(), nullptr).ok());
  Awards(3, 3, "c");
  {
    auto writer = Ledger::Open(l.ledger(), {Ledger::Access::kWriter, 0});
    ASSERT_TRUE(writer.ok());
    auto newer = app::SignCheckpoint(*cp, **writer);
    ASSERT_TRUE(newer.ok()) << newer.status().message();
    EXPECT_EQ(newer->head.size, (*writer)->size());
    EXPECT_EQ(count(**writer), 2);
  }
  EXPECT_EQ(l.Run("verify", false), 0);
}

}  // namespace
}  // namespace vledger
