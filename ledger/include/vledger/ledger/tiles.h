// The Merkle tree as C2SP tlog-tiles (c2sp.org/tlog-tiles; SPEC section 12,
// docs/FORMAT.md): tile paths, which tiles a tree of a given size has, and
// the bytes of a tile. Pure functions; the nodes come from a NodeReader.
//
// A hash tile at level L, index N holds up to 256 hashes: hash i is the
// root of the perfect subtree of 256^L leaves starting at leaf
// (N * 256 + i) * 256^L, i.e. Merkle node (8 * L, N * 256 + i) in the
// numbering of merkle.h. Level 0 holds leaf hashes H(0x00 || h[n]). An
// entry bundle N holds the entries n = N * 256 + i, each h[n] (32 bytes)
// behind its length as a 2-byte big-endian integer (0x00 0x20). A partial
// tile (width W below 256) holds the first W hashes or entries of the
// tile; the tiles of a tree of `size` leaves are its full tiles and, at
// each level, one partial tile of width floor(size / 256^L) mod 256 when
// that is not zero.
//
// Paths: "tile/<L>/<N>[.p/<W>]" and "tile/entries/<N>[.p/<W>]", N written
// in groups of three digits, all but the last prefixed with "x"
// ("x001/x234/067"), L and W with no leading zero.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/merkle.h"
#include "vledger/ledger/status.h"

namespace vledger {

// A tile covers a subtree of height 8: 256 hashes.
inline constexpr int kTileHeight = 8;
inline constexpr uint64_t kTileWidth = 256;
// Tile levels the spec allows (0 to 63). A tree of up to 2^64 - 1 leaves
// has tiles at levels 0 to 7 only.
inline constexpr int kTileLevelsMax = 64;
// The bytes of a full hash tile and of a full entry bundle.
inline constexpr size_t kHashTileBytes = kTileWidth * 32;
inline constexpr size_t kEntryBundleBytes = kTileWidth * (2 + 32);

struct Tile {
  bool entries = false;  // an entry bundle (tile/entries/…), else a hash tile
  int level = 0;         // 0 for an entry bundle
  uint64_t index = 0;
  uint64_t width = kTileWidth;  // 1..256; below 256 a partial tile

  bool partial() const { return width < kTileWidth; }
  bool operator==(const Tile&) const = default;
};

// The tile's path, e.g. "tile/0/x001/234.p/7" or "tile/entries/000".
std::string TilePath(const Tile& tile);

// Parses a path as TilePath writes it (nothing else: no leading "/", no
// extra zeros, no "x000/" group in front). InvalidInput naming `field`
// for anything else, and for an index whose tile would start past 2^64
// leaves.
Result<Tile> ParseTilePath(std::string_view path, std::string_view field = "path");

// Whether every hash or entry of `tile` is part of the tree of `size`
// leaves (its last leaf is below size): then its bytes are final.
bool TileInTree(const Tile& tile, uint64_t size);

// Calls fn with every tile of the tree of `size` leaves: entry bundles,
// then the hash tiles level by level, each by index, full tiles then the
// partial one. Stops at the first Status that is not ok and returns it.
Status ForEachTile(uint64_t size, const std::function<Status(const Tile&)>& fn);

// The number of tiles ForEachTile visits.
uint64_t TileCount(uint64_t size);

// Reads `count` record hashes h[first..first+count-1] into `out`.
using RecordHashReader =
    std::function<Status(uint64_t first, uint64_t count, std::vector<Hash>* out)>;

// The bytes of `tile` (which must lie in the tree: TileInTree): level 0
// and entry bundles from the record hashes, higher levels from the nodes
// at level 8 * L. Passes on a reader's error.
Result<std::string> TileBytes(const Tile& tile, const RecordHashReader& records,
                              const NodeReader& nodes);

// The hashes of a hash tile (InvalidInput when `bytes` is not a whole
// number of 32-byte hashes).
Result<std::vector<Hash>> TileHashes(std::string_view bytes);

}  // namespace vledger
