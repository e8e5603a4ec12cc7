// `site --out DIR [--village V] [--at SIZE]`: the villager site, a static
// web site verified in the browser (app/site.h).
#include <memory>
#include <optional>
#include <string>

#include "audit.h"
#include "vledger/app/site.h"

namespace vledger::cli {
namespace {

Status RunSite(Context& ctx, const app::SiteRequest& request) {
  auto r = app::Site(ctx.Session(), request);
  if (!r.ok()) return r.status();
  if (ctx.options.json) {
    ctx.PrintLine(app::SiteJson(*r));
    return Status::Ok();
  }
  ctx.PrintLine(Tr("wrote {}: the villager site at the checkpoint of size {} (root {})", r->out_dir,
                   r->head.size, Hex(r->head.root)));
  ctx.PrintLine(Tr("{} villages, {} resident pages, {} files, {} bytes", r->villages, r->residents,
                   r->files, r->bytes));
  return Status::Ok();
}

}  // namespace

void RegisterSiteCommand(CLI::App& app, Context& ctx, Action* action) {
  struct Opts {
    std::string out, village;
    uint64_t at = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd =
      AddCommand(app, "site", _("write the villager site: static pages verified in the browser"));
  cmd->add_option("--out", o->out, _("the folder to write (absent or empty)"))->required();
  cmd->add_option("--village", o->village, _("only this village (default: every village)"));
  CLI::Option* at =
      cmd->add_option("--at", o->at, _("the stored checkpoint of this size (default: the newest)"))
          ->check(WholeNumber(N_("size")));
  cmd->callback([&ctx, action, o, at] {
    *action = [&ctx, o, at] {
      app::SiteRequest request{o->out, o->village, std::nullopt};
      if (at->count() > 0) request.at = o->at;
      return RunSite(ctx, request);
    };
  });
}

}  // namespace vledger::cli
