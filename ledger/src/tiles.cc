// C2SP tlog-tiles over the RFC 9162 tree of merkle.h: paths and tile bytes.
#include "vledger/ledger/tiles.h"

#include <charconv>
#include <cstdio>

namespace vledger {
namespace {

constexpr std::string_view kTilePrefix = "tile/";
constexpr std::string_view kEntriesLevel = "entries";
constexpr std::string_view kPartialSuffix = ".p";
// An index below 2^64 has at most 20 digits: seven groups of three.
constexpr size_t kIndexGroupsMax = 7;

// Merkle nodes of level 8 * level below `size` leaves: size >> (8 * level),
// 0 where the shift passes 63 bits.
uint64_t NodesBelow(uint64_t size, int level) {
  int shift = kTileHeight * level;
  return shift >= 64 ? 0 : size >> shift;
}

// A decimal number with no leading zero (and not empty), at most `max`.
bool ParsePlainNumber(std::string_view text, uint64_t max, uint64_t* out) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return err == std::errc() && end == text.data() + text.size() && *out <= max;
}

bool IsThreeDigits(std::string_view group) {
  return group.size() == 3 && group.find_first_not_of("0123456789") == std::string_view::npos;
}

// Splits `text` at '/'.
std::vector<std::string_view> PathElements(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    size_t slash = text.find('/', start);
    out.push_back(text.substr(start, slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

Status Malformed(std::string_view field, std::string_view path) {
  return Status::InvalidInput(field, Msg("\"{}\" is not a tile path", path));
}

// The index of a tile from its groups ("x001", "x234", "067"); false when
// malformed or past 2^64 - 1.
bool ParseIndex(const std::vector<std::string_view>& groups, uint64_t* index) {
  if (groups.empty() || groups.size() > kIndexGroupsMax) return false;
  uint64_t n = 0;
  for (size_t i = 0; i < groups.size(); i++) {
    std::string_view g = groups[i];
    bool last = i + 1 == groups.size();
    if (!last) {
      if (g.empty() || g[0] != 'x') return false;
      g.remove_prefix(1);
    }
    if (!IsThreeDigits(g)) return false;
    uint64_t digits = static_cast<uint64_t>((g[0] - '0') * 100 + (g[1] - '0') * 10 + (g[2] - '0'));
    if (n > (UINT64_MAX - digits) / 1000) return false;
    n = n * 1000 + digits;
  }
  *index = n;
  return true;
}

// Whether the first leaf of the tile, index * 256^(level + 1), is below 2^64.
bool TileStartFits(const Tile& tile) {
  int shift = kTileHeight * (tile.level + 1);
  if (shift >= 64) return tile.index == 0;
  return tile.index < (uint64_t{1} << (64 - shift));
}

}  // namespace

std::string TilePath(const Tile& tile) {
  std::string path(kTilePrefix);
  path += tile.entries ? std::string(kEntriesLevel) : std::to_string(tile.level);
  std::string index;
  uint64_t n = tile.index;
  char group[8];
  std::snprintf(group, sizeof group, "%03u", static_cast<unsigned>(n % 1000));
  index = group;
  for (n /= 1000; n > 0; n /= 1000) {
    std::snprintf(group, sizeof group, "x%03u/", static_cast<unsigned>(n % 1000));
    index.insert(0, group);
  }
  path += "/" + index;
  if (tile.partial()) path += std::string(kPartialSuffix) + "/" + std::to_string(tile.width);
  return path;
}

Result<Tile> ParseTilePath(std::string_view path, std::string_view field) {
  if (!path.starts_with(kTilePrefix)) return Malformed(field, path);
  std::vector<std::string_view> elements = PathElements(path.substr(kTilePrefix.size()));
  if (elements.size() < 2) return Malformed(field, path);
  Tile tile;
  uint64_t level = 0;
  if (elements[0] == kEntriesLevel) {
    tile.entries = true;
  } else if (ParsePlainNumber(elements[0], kTileLevelsMax - 1, &level)) {
    tile.level = static_cast<int>(level);
  } else {
    return Malformed(field, path);
  }
  std::vector<std::string_view> groups(elements.begin() + 1, elements.end());
  // "067.p/7": the width follows the last group.
  if (groups.size() >= 2 && groups[groups.size() - 2].ends_with(kPartialSuffix)) {
    if (!ParsePlainNumber(groups.back(), kTileWidth - 1, &tile.width) || tile.width == 0) {
      return Malformed(field, path);
    }
    groups.pop_back();
    groups.back().remove_suffix(kPartialSuffix.size());
  }
  if (!ParseIndex(groups, &tile.index)) return Malformed(field, path);
  // One spelling per tile: no "x000/" in front.
  if (TilePath(tile) != path) return Malformed(field, path);
  if (!TileStartFits(tile)) {
    return Status::InvalidInput(field, Msg("tile path \"{}\" starts past 2^64 leaves", path));
  }
  return tile;
}

bool TileInTree(const Tile& tile, uint64_t size) {
  uint64_t units = NodesBelow(size, tile.level);
  if (tile.width == 0 || tile.width > kTileWidth || units < tile.width) return false;
  return tile.index <= (units - tile.width) / kTileWidth;
}

Status ForEachTile(uint64_t size, const std::function<Status(const Tile&)>& fn) {
  auto level_tiles = [&](bool entries, int level) -> Status {
    uint64_t units = NodesBelow(size, level);
    for (uint64_t n = 0; n < units / kTileWidth; n++) {
      VLEDGER_TRY(fn(Tile{entries, level, n, kTileWidth}));
    }
    if (units % kTileWidth != 0) {
      VLEDGER_TRY(fn(Tile{entries, level, units / kTileWidth, units % kTileWidth}));
    }
    return Status::Ok();
  };
  VLEDGER_TRY(level_tiles(true, 0));
  for (int level = 0; NodesBelow(size, level) > 0; level++) {
    VLEDGER_TRY(level_tiles(false, level));
  }
  return Status::Ok();
}

uint64_t TileCount(uint64_t size) {
  auto level_count = [&](int level) {
    uint64_t units = NodesBelow(size, level);
    return units / kTileWidth + (units % kTileWidth != 0 ? 1 : 0);
  };
  uint64_t count = level_count(0);  // entry bundles
  for (int level = 0; NodesBelow(size, level) > 0; level++) count += level_count(level);
  return count;
}

Result<std::string> TileBytes(const Tile& tile, const RecordHashReader& records,
                              const NodeReader& nodes) {
  VLEDGER_ASSERT(tile.width >= 1 && tile.width <= kTileWidth);
  const uint64_t first = tile.index * kTileWidth;
  std::string out;
  if (tile.entries || tile.level == 0) {
    std::vector<Hash> hashes;
    VLEDGER_TRY(records(first, tile.width, &hashes));
    VLEDGER_ASSERT(hashes.size() == tile.width);
    out.reserve(tile.width * (tile.entries ? 34 : 32));
    for (const Hash& h : hashes) {
      if (tile.entries) {
        out.push_back('\0');
        out.push_back(static_cast<char>(32));  // u16be length of the entry h[n]
        out.append(AsView(h));
      } else {
        out.append(AsView(MerkleLeafHash(h)));
      }
    }
    return out;
  }
  out.reserve(tile.width * 32);
  for (uint64_t i = 0; i < tile.width; i++) {
    VLEDGER_ASSIGN_OR_RETURN(Hash node, nodes(kTileHeight * tile.level, first + i));
    out.append(AsView(node));
  }
  return out;
}

Result<std::vector<Hash>> TileHashes(std::string_view bytes) {
  if (bytes.size() % 32 != 0) {
    return Status::InvalidInput(
        Msg("a tile of {} bytes is not a whole number of 32-byte hashes", bytes.size()));
  }
  std::vector<Hash> out(bytes.size() / 32);
  for (size_t i = 0; i < out.size(); i++) out[i] = *HashFrom(bytes.substr(32 * i, 32));
  return out;
}

}  // namespace vledger
