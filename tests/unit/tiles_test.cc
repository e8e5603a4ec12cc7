// C2SP tlog-tiles: the path encoding, which tiles a tree has (the spec's
// own examples), and tile bytes against the Merkle tree they encode, with
// the root and inclusion proofs rebuilt from the tiles alone.
#include "vledger/ledger/tiles.h"

#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <string>
#include <vector>

#include "helpers.h"
#include "vledger/ledger/crypto.h"

namespace vledger {
namespace {

using testing::RecordHash;

Tile HashTile(int level, uint64_t index, uint64_t width = kTileWidth) {
  return Tile{false, level, index, width};
}
Tile Bundle(uint64_t index, uint64_t width = kTileWidth) { return Tile{true, 0, index, width}; }

// ------------------------------------------------------------------ paths

TEST(TilePath, EncodesIndexInGroupsOfThree) {
  EXPECT_EQ(TilePath(HashTile(0, 0)), "tile/0/000");
  EXPECT_EQ(TilePath(HashTile(0, 7)), "tile/0/007");
  EXPECT_EQ(TilePath(HashTile(1, 999)), "tile/1/999");
  EXPECT_EQ(TilePath(HashTile(0, 1000)), "tile/0/x001/000");
  EXPECT_EQ(TilePath(HashTile(0, 1234067)), "tile/0/x001/x234/067");  // the spec's example
  EXPECT_EQ(TilePath(HashTile(2, 1234, 7)), "tile/2/x001/234.p/7");
  EXPECT_EQ(TilePath(Bundle(0)), "tile/entries/000");
  EXPECT_EQ(TilePath(Bundle(1001, 255)), "tile/entries/x001/001.p/255");
}

TEST(TilePath, ParsesWhatItWrites) {
  for (const Tile& t : {HashTile(0, 0), HashTile(0, 1234067), HashTile(2, 1234, 7),
                        HashTile(7, 0, 1), HashTile(63, 0), Bundle(0), Bundle(5, 1),
                        Bundle(1000000, 200), HashTile(0, (uint64_t{1} << 56) - 1)}) {
    auto parsed = ParseTilePath(TilePath(t));
    ASSERT_TRUE(parsed.ok()) << TilePath(t) << ": " << parsed.status().message();
    EXPECT_EQ(*parsed, t) << TilePath(t);
  }
}

TEST(TilePath, RefusesAnythingElse) {
  for (std::string_view bad :
       {"", "tile", "tile/", "tile/0", "tile/0/", "/tile/0/000", "tile/00/000", "tile/64/000",
        "tile/-1/000", "tile/a/000", "tile/data/000", "tile/0/0000", "tile/0/12", "tile/0/1",
        "tile/0/x000/001", "tile/0/001/002", "tile/0/x001", "tile/0/x001/x002", "tile/0/y001/000",
        "tile/0/000.p", "tile/0/000.p/", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/07",
        "tile/0/000.p/x", "tile/0/000.p/5/6", "tile/0/000/", "tile/0/000.q/5", "tile/entries/",
        "tile/entries/000.p/0", "tile/0/000 ", "tile/0/+00",
        // an index past 2^64 - 1, and tiles starting past 2^64 leaves
        "tile/0/x018/x446/x744/x073/x709/x551/616", "tile/0/x072/x057/x594/x037/x927/936",
        "tile/7/001", "tile/8/001"}) {
    auto parsed = ParseTilePath(bad);
    EXPECT_FALSE(parsed.ok()) << "\"" << bad << "\" parsed";
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), Code::kInvalidInput) << bad;
    }
  }
}

// ------------------------------------------------------ tiles of a tree

std::vector<std::string> PathsOf(uint64_t size) {
  std::vector<std::string> paths;
  Status st = ForEachTile(size, [&](const Tile& t) {
    paths.push_back(TilePath(t));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(paths.size(), TileCount(size));
  return paths;
}

TEST(ForEachTile, TheSpecsTreeOf70000) {
  // "273 full level 0 tiles, one partial level 0 tile of width 112, one
  // full level 1 tile, one partial level 1 tile of width 17, and one
  // partial level 2 tile of width 1" (plus the entry bundles, as level 0).
  std::map<std::string, int> count;  // by level and full/partial
  std::vector<Tile> partials;
  ASSERT_TRUE(ForEachTile(70000, [&](const Tile& t) {
                std::string what = t.entries ? "entries" : std::to_string(t.level);
                count[what + (t.partial() ? ".p" : "")]++;
                if (t.partial()) partials.push_back(t);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(count["entries"], 273);
  EXPECT_EQ(count["entries.p"], 1);
  EXPECT_EQ(count["0"], 273);
  EXPECT_EQ(count["0.p"], 1);
  EXPECT_EQ(count["1"], 1);
  EXPECT_EQ(count["1.p"], 1);
  EXPECT_EQ(count.count("2"), 0u);
  EXPECT_EQ(count["2.p"], 1);
  EXPECT_EQ(count.size(), 7u);
  ASSERT_EQ(partials.size(), 4u);
  EXPECT_EQ(partials[0], Bundle(273, 112));
  EXPECT_EQ(partials[1], HashTile(0, 273, 112));
  EXPECT_EQ(partials[2], HashTile(1, 1, 17));
  EXPECT_EQ(partials[3], HashTile(2, 0, 1));
  EXPECT_EQ(TileCount(70000), 551u);
}

TEST(ForEachTile, SmallTrees) {
  EXPECT_TRUE(PathsOf(0).empty());
  EXPECT_EQ(PathsOf(1), (std::vector<std::string>{"tile/entries/000.p/1", "tile/0/000.p/1"}));
  EXPECT_EQ(PathsOf(255), (std::vector<std::string>{"tile/entries/000.p/255", "tile/0/000.p/255"}));
  // "a tree of size 256 will be represented by a full level 0 tile and a
  // partial level 1 tile of width 1"
  EXPECT_EQ(PathsOf(256),
            (std::vector<std::string>{"tile/entries/000", "tile/0/000", "tile/1/000.p/1"}));
  EXPECT_EQ(PathsOf(257),
            (std::vector<std::string>{"tile/entries/000", "tile/entries/001.p/1", "tile/0/000",
                                      "tile/0/001.p/1", "tile/1/000.p/1"}));
  std::vector<std::string> big = PathsOf(65536 + 3);
  EXPECT_EQ(big.size(), 256u + 1 + 256 + 1 + 1 + 1);
  EXPECT_EQ(big.back(), "tile/2/000.p/1");
  EXPECT_EQ(big[big.size() - 2], "tile/1/000");
}

TEST(TileInTree, FullAndPartialTiles) {
  EXPECT_FALSE(TileInTree(HashTile(0, 0), 255));
  EXPECT_TRUE(TileInTree(HashTile(0, 0, 255), 255));
  EXPECT_TRUE(TileInTree(HashTile(0, 0, 7), 255));  // an older size's partial tile
  EXPECT_FALSE(TileInTree(HashTile(0, 1, 1), 256));
  EXPECT_TRUE(TileInTree(HashTile(0, 0), 256));
  EXPECT_TRUE(TileInTree(HashTile(1, 0, 1), 256));
  EXPECT_FALSE(TileInTree(HashTile(1, 0, 2), 511));
  EXPECT_TRUE(TileInTree(HashTile(1, 0, 2), 512));
  EXPECT_FALSE(TileInTree(HashTile(2, 0, 1), 65535));
  EXPECT_TRUE(TileInTree(HashTile(2, 0, 1), 65536));
  EXPECT_TRUE(TileInTree(Bundle(0, 3), 3));
  EXPECT_FALSE(TileInTree(Bundle(0, 4), 3));
  // 2^64 - 1 leaves hold 255 nodes of 2^56 leaves: level 7 is the last.
  EXPECT_TRUE(TileInTree(HashTile(7, 0, 255), UINT64_MAX));
  EXPECT_FALSE(TileInTree(HashTile(7, 0), UINT64_MAX));
  EXPECT_FALSE(TileInTree(HashTile(8, 0, 1), UINT64_MAX));
  EXPECT_FALSE(TileInTree(HashTile(63, 0, 1), UINT64_MAX));
  EXPECT_TRUE(TileInTree(HashTile(6, 255, 255), UINT64_MAX));
}

// ------------------------------------------------ tiles against the tree

// The tiles of a synthetic log of `size` record hashes, and the tree.
class TiledLog {
 public:
  explicit TiledLog(uint64_t size) : size_(size) {
    for (uint64_t i = 0; i < size; i++) {
      records_.push_back(RecordHash(i));
      tree_.Append(records_.back());
    }
    EXPECT_TRUE(ForEachTile(size, [&](const Tile& t) {
                  auto bytes = TileBytes(t, Records(), tree_.Reader());
                  EXPECT_TRUE(bytes.ok()) << TilePath(t) << ": " << bytes.status().message();
                  files_[TilePath(t)] = bytes.ok() ? *bytes : "";
                  return Status::Ok();
                }).ok());
  }

  RecordHashReader Records() const {
    return [this](uint64_t first, uint64_t count, std::vector<Hash>* out) {
      out->assign(records_.begin() + static_cast<ptrdiff_t>(first),
                  records_.begin() + static_cast<ptrdiff_t>(first + count));
      return Status::Ok();
    };
  }

  uint64_t size() const { return size_; }
  const std::vector<Hash>& records() const { return records_; }
  const MemoryMerkleTree& tree() const { return tree_; }
  const std::map<std::string, std::string>& files() const { return files_; }

  // Hash i of the tiles of level `level`, as a client reads it: from the
  // full tile when there is one, else from the tree's partial tile.
  Hash TileHash(int level, uint64_t i) const {
    auto full = files_.find(TilePath(HashTile(level, i / kTileWidth)));
    if (full != files_.end()) return Nth(full->second, i % kTileWidth);
    uint64_t width = (size_ >> (kTileHeight * level)) % kTileWidth;
    auto part = files_.find(TilePath(HashTile(level, i / kTileWidth, width)));
    EXPECT_NE(part, files_.end()) << "level " << level << " hash " << i;
    EXPECT_LT(i % kTileWidth, width);
    return part == files_.end() ? Hash{} : Nth(part->second, i % kTileWidth);
  }

  // The root of the perfect subtree of 2^height leaves at `index`, from the
  // tiles alone: hashes of the tile level at or below `height`, folded.
  Hash Subtree(int height, uint64_t index) const {
    int level = height / kTileHeight, extra = height % kTileHeight;
    std::vector<Hash> row;
    for (uint64_t i = index << extra; i < (index + 1) << extra; i++)
      row.push_back(TileHash(level, i));
    for (; row.size() > 1; row.resize(row.size() / 2)) {
      for (size_t i = 0; i < row.size() / 2; i++)
        row[i] = MerkleNodeHash(row[2 * i], row[2 * i + 1]);
    }
    return row[0];
  }

  // MerkleRoot and InclusionProof over nodes read from the tiles only.
  NodeReader FromTiles() const {
    return [this](int height, uint64_t index) -> Result<Hash> { return Subtree(height, index); };
  }

 private:
  static Hash Nth(const std::string& tile, uint64_t i) {
    EXPECT_LE((i + 1) * 32, tile.size());
    return *HashFrom(std::string_view(tile).substr(i * 32, 32));
  }

  uint64_t size_;
  std::vector<Hash> records_;
  MemoryMerkleTree tree_;
  std::map<std::string, std::string> files_;
};

// MTH of a full tile's 256 hashes: the node it stands for one level up.
Hash TileRoot(const std::string& tile) {
  auto hashes = TileHashes(tile);
  EXPECT_TRUE(hashes.ok());
  std::vector<Hash> row = *hashes;
  EXPECT_EQ(row.size(), kTileWidth);
  for (; row.size() > 1; row.resize(row.size() / 2)) {
    for (size_t i = 0; i < row.size() / 2; i++) row[i] = MerkleNodeHash(row[2 * i], row[2 * i + 1]);
  }
  return row[0];
}

void CheckTiles(const TiledLog& log) {
  SCOPED_TRACE("size " + std::to_string(log.size()));
  for (const auto& [path, bytes] : log.files()) {
    auto tile = ParseTilePath(path);
    ASSERT_TRUE(tile.ok()) << path;
    const uint64_t first = tile->index * kTileWidth;
    if (tile->entries) {
      // Each entry: u16be length 32, then h[n].
      ASSERT_EQ(bytes.size(), tile->width * 34) << path;
      for (uint64_t i = 0; i < tile->width; i++) {
        EXPECT_EQ(bytes.substr(i * 34, 2), std::string("\x00\x20", 2)) << path;
        EXPECT_EQ(bytes.substr(i * 34 + 2, 32), AsString(log.records()[first + i])) << path;
      }
      continue;
    }
    ASSERT_EQ(bytes.size(), tile->width * 32) << path;
    for (uint64_t i = 0; i < tile->width; i++) {
      Hash want = tile->level == 0
                      ? MerkleLeafHash(log.records()[first + i])
                      : TileRoot(log.files().at(TilePath(HashTile(tile->level - 1, first + i))));
      EXPECT_EQ(bytes.substr(i * 32, 32), AsString(want)) << path << " hash " << i;
    }
  }
  // A client's view: the root and every inclusion proof from tiles alone.
  auto root = MerkleRoot(log.size(), log.FromTiles());
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, *log.tree().Root());
  for (uint64_t index : {uint64_t{0}, log.size() / 2, log.size() - 1}) {
    auto path = InclusionProof(index, log.size(), log.FromTiles());
    ASSERT_TRUE(path.ok());
    EXPECT_TRUE(
        VerifyInclusion(index, log.size(), MerkleLeafHash(log.records()[index]), *path, *root))
        << "index " << index;
    auto want = InclusionProof(index, log.size(), log.tree().Reader());
    EXPECT_EQ(*path, *want) << "index " << index;
  }
}

TEST(TileBytes, MatchTheTreeAtEdgeSizes) {
  for (uint64_t size : {1, 2, 255, 256, 257, 511, 512, 65535, 65536, 65536 + 3}) {
    TiledLog log(size);
    CheckTiles(log);
  }
}

TEST(TileBytes, AnOlderSizesPartialTileIsAPrefixOfTheNewerTile) {
  TiledLog old_log(300), new_log(600);
  for (const auto& [path, bytes] : old_log.files()) {
    auto tile = ParseTilePath(path);
    ASSERT_TRUE(tile.ok());
    Tile full = *tile;
    full.width = kTileWidth;
    const std::string* newer = nullptr;
    if (new_log.files().count(TilePath(full))) newer = &new_log.files().at(TilePath(full));
    // tile/1 of 300 (width 1) is a prefix of tile/1 of 600 (width 2).
    if (!newer) {
      for (uint64_t w = 1; w < kTileWidth && !newer; w++) {
        full.width = w;
        if (new_log.files().count(TilePath(full))) newer = &new_log.files().at(TilePath(full));
      }
    }
    ASSERT_NE(newer, nullptr) << path;
    EXPECT_EQ(newer->substr(0, bytes.size()), bytes) << path;
  }
}

TEST(TileBytes, PassesOnAReadersError) {
  RecordHashReader failing = [](uint64_t, uint64_t, std::vector<Hash>*) {
    return Status::VerificationFailed("hash of event 3 is missing");
  };
  MemoryMerkleTree tree;
  auto bytes = TileBytes(HashTile(0, 0, 4), failing, tree.Reader());
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), Code::kVerificationFailed);
  bytes = TileBytes(HashTile(1, 0, 1), failing, tree.Reader());  // no node 8/0 in an empty tree
  EXPECT_FALSE(bytes.ok());
}

TEST(TileHashes, RefusesATornTile) {
  EXPECT_FALSE(TileHashes(std::string(33, 'a')).ok());
  EXPECT_EQ(TileHashes(std::string(64, 'a'))->size(), 2u);
}

}  // namespace
}  // namespace vledger
