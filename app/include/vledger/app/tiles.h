// The log as C2SP tlog-tiles (SPEC section 12, docs/FORMAT.md section 12):
//   TileFile                  one file of the tiled log, by its path: what a
//                             server answers at /checkpoint and /tile/…
//   tiles --out DIR [--at N]  every file of it into a folder, for any static
//                             web server or object store to publish
// Tiles are those of the tree of a stored, signed checkpoint, so a client
// checks them against it. The tile math and paths are ledger/tiles.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vledger/app/archive.h"
#include "vledger/app/session.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"
#include "vledger/ledger/tiles.h"

namespace vledger::app {

// The path of the checkpoint among the tiled log's files.
inline constexpr std::string_view kCheckpointPath = "checkpoint";

// One file of the tiled log, by its path after the log's prefix and "/":
//  - "checkpoint": the newest stored checkpoint's text (every signature
//    stored at its size);
//  - a tile path ("tile/0/x001/234.p/7", "tile/entries/000"): that tile of
//    the tree of the newest stored checkpoint. A partial tile of any width
//    whose entries lie in that tree is served (a client holding an older
//    checkpoint asks for the partial tiles of its size).
// InvalidInput (field "path") for a path that is neither; NotFound for a
// tile not wholly in that tree, and for any path while no checkpoint is
// stored; a storage error as the store reports it. Reads one stored
// checkpoint and one tile's hashes: no signature is checked here (the
// client checks; `verify` checks the stored checkpoints).
Result<std::string> TileFile(const Ledger& ledger, std::string_view path);

// `tile` of the tree of the first `size` events (size <= ledger.size()):
// NotFound when it is not wholly in that tree.
Result<std::string> TileAt(const Ledger& ledger, uint64_t size, const Tile& tile);

// ----------------------------------------------------------------- tiles

struct TilesRequest {
  std::string out_dir;         // the folder to write (absent, empty, or an earlier output)
  std::optional<uint64_t> at;  // the stored checkpoint of this size; default the newest
  ArchiveProgress progress;    // one stage, "write tiles", counted in files
};
struct TilesResult {
  std::string out_dir;
  vledger::Checkpoint head;  // the checkpoint written to DIR/checkpoint
  uint64_t files = 0;        // tiles of its tree (the checkpoint not counted)
  uint64_t written = 0;      // tile files written (new or changed)
  uint64_t unchanged = 0;    // tile files already there with the same bytes
  uint64_t removed = 0;      // tile files of an earlier output not in this tree
};

// `tiles --out DIR [--at SIZE]`: writes DIR/checkpoint (the stored
// checkpoint at SIZE, or the newest; checked against the tree first; a
// --key is not used: sign one first with `checkpoint`) and every tile of
// its tree under DIR/tile/, as a static site serves them. The result is a
// pure function of the log and the checkpoint: an earlier output in DIR is
// brought to exactly that (changed tiles rewritten, tiles of no longer
// covered sizes removed, files already right left alone), tiles first and
// the checkpoint last, so a site served from DIR during the update never
// names a tile it lacks. DIR must be absent, empty, or hold only an
// earlier output (DIR/checkpoint of this ledger's origin, tile paths under
// DIR/tile/); anything else is refused (InvalidInput naming --out) before
// anything is written.
Result<TilesResult> Tiles(const Session& session, const TilesRequest& request);
// {"dir","size","root","files","written","unchanged","removed"}
std::string TilesJson(const TilesResult& result);

}  // namespace vledger::app
