// Tile paths from outside (a server's /tile/… requests): ParseTilePath
// never crashes; what it accepts is the one spelling TilePath writes, a
// tile that starts below 2^64 leaves, and its bytes for any tree are
// bounded by a full tile.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "vledger/ledger/tiles.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto tile = vledger::ParseTilePath(text);
  if (tile.ok()) {
    FUZZ_CHECK(vledger::TilePath(*tile) == text);
    FUZZ_CHECK(tile->width >= 1 && tile->width <= vledger::kTileWidth);
    FUZZ_CHECK(tile->level >= 0 && tile->level < vledger::kTileLevelsMax);
    FUZZ_CHECK(!tile->entries || tile->level == 0);
    // In the largest tree, or in none: never a wrap-around.
    FUZZ_CHECK(!vledger::TileInTree(*tile, 0));
    if (vledger::TileInTree(*tile, 1000)) FUZZ_CHECK(tile->index < 4);
  }
  return 0;
}
