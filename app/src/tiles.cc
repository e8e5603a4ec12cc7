// The log as C2SP tlog-tiles: one file for a server (TileFile), the whole
// tiled log into a folder (`tiles --out DIR`).
#include "vledger/app/tiles.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_set>
#include <vector>

#include "guard.h"
#include "vledger/app/checkpoint.h"
#include "vledger/app/report.h"

namespace vledger::app {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr std::string_view kTmpSuffix = ".tmp";
constexpr uint64_t kProgressFilesStep = 256;  // files between progress calls

// The record hashes of a tile, from the stored chunks of hashes.
RecordHashReader RecordHashes(const Ledger& ledger) {
  return [&ledger](uint64_t first, uint64_t count, std::vector<Hash>* out) -> Status {
    out->clear();
    out->reserve(count);
    VLEDGER_TRY(ledger.ScanHashes(first, first + count, [&](uint64_t, std::string_view h) {
      out->push_back(*HashFrom(h));
      return Status::Ok();
    }));
    if (out->size() != count) {
      return Status::VerificationFailed(
          Msg("hash of event {} is missing", first + static_cast<uint64_t>(out->size())));
    }
    return Status::Ok();
  };
}

// The session without its signing key: tiles are written at a stored head.
Session WithoutKey(const Session& session) { return session.WithoutSigner(); }

// ------------------------------------------------------ the output folder

std::string ErrnoText() { return std::strerror(errno); }

// The files of an earlier output in DIR (paths relative to DIR).
struct EarlierOutput {
  std::unordered_set<std::string> tiles;  // tile paths
  std::vector<std::string> leftovers;     // *.tmp of an output cut short
};

Status NotAnOutput(const std::string& dir, const std::string& what) {
  return Status::InvalidInput(
      "--out", Msg("{} is not empty and holds no earlier tiles output ({}); give an empty or new "
                   "folder",
                   dir, what));
}

Status CheckEarlierCheckpoint(const std::string& dir, const fs::path& path,
                              const std::string& origin) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return NotAnOutput(dir, path.string());
  auto head = ParseCheckpoint(text);
  if (!head.ok()) return NotAnOutput(dir, path.string());
  if (head->origin != origin) {
    return Status::InvalidInput("--out", Msg("{} holds the tiles of another log ({}), not of {}",
                                             dir, head->origin, origin));
  }
  return Status::Ok();
}

Status ScanTileFolder(const std::string& dir, EarlierOutput* out) {
  fs::path base = fs::path(dir).lexically_normal();
  if (!base.has_filename()) base = base.parent_path();  // "site/"
  std::error_code ec;
  fs::recursive_directory_iterator it(base / "tile", ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    if (entry.is_symlink()) return NotAnOutput(dir, entry.path().string());
    if (entry.is_directory()) continue;
    std::string rel = entry.path().lexically_relative(base).generic_string();
    if (!entry.is_regular_file()) return NotAnOutput(dir, rel);
    if (rel.ends_with(kTmpSuffix)) {
      out->leftovers.push_back(rel);
    } else if (ParseTilePath(rel).ok()) {
      out->tiles.insert(rel);
    } else {
      return NotAnOutput(dir, rel);
    }
  }
  if (ec) return Status::InvalidInput("--out", Msg("cannot read {}: {}", dir, ec.message()));
  return Status::Ok();
}

// The earlier output in DIR, or a refusal when DIR holds anything else.
// Creates DIR when absent.
Result<EarlierOutput> OpenOutput(const std::string& dir, const std::string& origin) {
  EarlierOutput out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    if (!fs::create_directories(dir, ec)) {
      return Status::InvalidInput("--out", Msg("cannot create {}: {}", dir, ec.message()));
    }
    return out;
  }
  if (!fs::is_directory(dir, ec))
    return Status::InvalidInput("--out", Msg("{} is not a folder", dir));
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name == kCheckpointPath && it->is_regular_file() && !it->is_symlink()) {
      VLEDGER_TRY(CheckEarlierCheckpoint(dir, it->path(), origin));
    } else if (name == std::string(kCheckpointPath) + std::string(kTmpSuffix)) {
      out.leftovers.push_back(name);
    } else if (name == "tile" && it->is_directory() && !it->is_symlink()) {
      VLEDGER_TRY(ScanTileFolder(dir, &out));
    } else {
      return NotAnOutput(dir, name);
    }
  }
  if (ec) return Status::InvalidInput("--out", Msg("cannot read {}: {}", dir, ec.message()));
  return out;
}

// Whether the file at `path` holds exactly `bytes`.
bool SameBytes(const std::string& path, const std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string have(bytes.size() + 1, '\0');
  in.read(have.data(), static_cast<std::streamsize>(have.size()));
  return static_cast<size_t>(in.gcount()) == bytes.size() &&
         std::equal(bytes.begin(), bytes.end(), have.begin());
}

// Writes `bytes` to path + ".tmp" and renames it into place, unsynced:
// the folder is synced once after every tile is written.
Status WriteTileFile(const std::string& path, const std::string& bytes) {
  std::string tmp = path + std::string(kTmpSuffix);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::InvalidInput("--out", Msg("cannot write {}: {}", tmp, ErrnoText()));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  std::string why = done == bytes.size() ? "" : ErrnoText();
  if (::close(fd) != 0 && why.empty()) why = ErrnoText();
  if (!why.empty()) {
    ::unlink(tmp.c_str());
    return Status::InvalidInput("--out", Msg("cannot write {}: {}", tmp, why));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    why = ErrnoText();
    ::unlink(tmp.c_str());
    return Status::InvalidInput("--out", Msg("cannot rename {} to {}: {}", tmp, path, why));
  }
  return Status::Ok();
}

// Removes the files of an earlier output this one does not hold, then
// every folder under DIR/tile left empty. Returns how many tiles it removed.
Result<uint64_t> RemoveStale(const std::string& dir, const EarlierOutput& earlier) {
  uint64_t removed = 0;
  auto remove = [&](const std::string& rel) -> Status {
    fs::path path = fs::path(dir) / rel;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Status::InvalidInput("--out", Msg("cannot remove {}: {}", path.string(), ErrnoText()));
    }
    return Status::Ok();
  };
  for (const std::string& rel : earlier.tiles) {
    VLEDGER_TRY(remove(rel));
    removed++;
  }
  for (const std::string& rel : earlier.leftovers) VLEDGER_TRY(remove(rel));
  // Deepest folders first: a folder's path is longer than its parent's.
  std::vector<fs::path> folders;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(fs::path(dir) / "tile", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_directory() && !it->is_symlink()) folders.push_back(it->path());
  }
  std::sort(folders.begin(), folders.end(), [](const fs::path& a, const fs::path& b) {
    return a.native().size() > b.native().size();
  });
  for (const fs::path& folder : folders) {
    if (fs::is_empty(folder, ec)) fs::remove(folder, ec);
  }
  return removed;
}

// Writes every tile of the tree of `size` into DIR, leaving files that
// already hold the right bytes; takes what it wrote or kept out of
// `earlier`, so that what is left there is stale.
Status WriteTiles(const Ledger& ledger, uint64_t size, const std::string& dir,
                  const ArchiveProgress& progress, EarlierOutput* earlier, TilesResult* out) {
  const uint64_t total = TileCount(size);
  std::string made_folder;
  uint64_t done = 0;
  Status st = ForEachTile(size, [&](const Tile& tile) -> Status {
    VLEDGER_ASSIGN_OR_RETURN(std::string bytes, TileAt(ledger, size, tile));
    std::string rel = TilePath(tile);
    fs::path path = fs::path(dir) / rel;
    bool had = earlier->tiles.erase(rel) > 0;
    if (had && SameBytes(path.string(), bytes)) {
      out->unchanged++;
    } else {
      std::string folder = path.parent_path().string();
      if (folder != made_folder) {
        std::error_code ec;
        fs::create_directories(folder, ec);
        if (ec)
          return Status::InvalidInput("--out", Msg("cannot create {}: {}", folder, ec.message()));
        made_folder = folder;
      }
      VLEDGER_TRY(WriteTileFile(path.string(), bytes));
      out->written++;
    }
    out->files++;
    done++;
    if (progress && (done % kProgressFilesStep == 0 || done == total))
      progress(Msg("write tiles"), done, total);
    return Status::Ok();
  });
  return st;
}

}  // namespace

Result<std::string> TileAt(const Ledger& ledger, uint64_t size, const Tile& tile) try {
  if (size > ledger.size()) {
    return Status::VerificationFailed(
        Msg("the checkpoint covers {} events but the log holds {}", size, ledger.size()));
  }
  if (!TileInTree(tile, size)) {
    return Status::NotFound("path",
                            Msg("tile {} is not in the tree of {} events", TilePath(tile), size));
  }
  return TileBytes(tile, RecordHashes(ledger), ledger.MerkleNodes());
} catch (...) {
  return CaughtStatus();
}

Result<std::string> TileFile(const Ledger& ledger, std::string_view path) try {
  std::optional<Tile> tile;
  if (path != kCheckpointPath) {
    VLEDGER_ASSIGN_OR_RETURN(tile, ParseTilePath(path));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto newest, ledger.LatestCheckpoint());
  if (!newest) return Status::NotFound("path", "no checkpoint is stored yet");
  if (!tile) return std::move(newest->second);
  return TileAt(ledger, newest->first, *tile);
} catch (...) {
  return CaughtStatus();
}

Result<TilesResult> Tiles(const Session& session, const TilesRequest& request) try {
  if (request.out_dir.empty()) return Status::InvalidInput("--out", "give the folder to write");
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  auto head = CheckpointForUse(WithoutKey(session), *ledger, request.at);
  if (!head.ok() && request.at && head.status().code() == Code::kNotFound) {
    return Status::NotFound("--at", Msg("no checkpoint is stored at size {} (sign one with "
                                        "`vledger checkpoint --size {}`)",
                                        *request.at, *request.at));
  }
  if (!head.ok()) return head.status();
  TilesResult out;
  out.out_dir = request.out_dir;
  out.head = head->head;
  VLEDGER_ASSIGN_OR_RETURN(EarlierOutput earlier, OpenOutput(request.out_dir, head->head.origin));
  VLEDGER_TRY(
      WriteTiles(*ledger, head->head.size, request.out_dir, request.progress, &earlier, &out));
  VLEDGER_TRY(SyncFolder(request.out_dir));
  // The checkpoint last: it names only tiles that are there.
  std::string checkpoint_path = (fs::path(request.out_dir) / kCheckpointPath).string();
  if (!SameBytes(checkpoint_path, head->text)) {
    VLEDGER_TRY(WriteFileAtomically(checkpoint_path, head->text));
  }
  VLEDGER_ASSIGN_OR_RETURN(out.removed, RemoveStale(request.out_dir, earlier));
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string TilesJson(const TilesResult& r) {
  return Json{{"dir", r.out_dir},    {"size", r.head.size},  {"root", Hex(r.head.root)},
              {"files", r.files},    {"written", r.written}, {"unchanged", r.unchanged},
              {"removed", r.removed}}
      .dump();
}

}  // namespace vledger::app
