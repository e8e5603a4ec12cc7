// `tiles --out DIR [--at SIZE]`: the log as C2SP tlog-tiles in a folder
// (app/tiles.h), for any static web server or object store to publish.
#include <memory>
#include <optional>
#include <string>

#include "audit.h"
#include "vledger/app/tiles.h"

namespace vledger::cli {
namespace {

Status RunTiles(Context& ctx, const std::string& out_dir, std::optional<uint64_t> at) {
  StageProgress progress;
  auto r = app::Tiles(ctx.Session(), app::TilesRequest{out_dir, at, progress.Callback()});
  progress.Finish();
  if (!r.ok()) return r.status();
  if (ctx.options.json) {
    ctx.PrintLine(app::TilesJson(*r));
    return Status::Ok();
  }
  ctx.PrintLine(Tr("wrote {}: the tiles of the checkpoint of size {} (root {})", r->out_dir,
                   r->head.size, Hex(r->head.root)));
  ctx.PrintLine(Tr("{} tile files: {} written, {} already there; {} earlier ones removed", r->files,
                   r->written, r->unchanged, r->removed));
  return Status::Ok();
}

}  // namespace

void RegisterTilesCommand(CLI::App& app, Context& ctx, Action* action) {
  struct Opts {
    std::string out;
    uint64_t at = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd =
      AddCommand(app, "tiles", _("write the log as C2SP tlog-tiles for a static web server"));
  cmd->add_option("--out", o->out, _("the folder to write (absent, empty or an earlier output)"))
      ->required();
  CLI::Option* at =
      cmd->add_option("--at", o->at, _("the stored checkpoint of this size (default: the newest)"))
          ->check(WholeNumber(N_("size")));
  cmd->callback([&ctx, action, o, at] {
    *action = [&ctx, o, at] {
      std::optional<uint64_t> n;
      if (at->count() > 0) n = o->at;
      return RunTiles(ctx, o->out, n);
    };
  });
}

}  // namespace vledger::cli
