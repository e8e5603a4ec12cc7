// `vledger mirror URL [--once]` (SPEC section 12; app/mirror.h): a replica
// of a server's log in the --ledger folder, following until SIGTERM. And
// the hidden `vledger __feed --from N --limit K`, which prints the page of
// the event feed a server answers `GET /events` with (app/feed.h), for
// tests and static publishing.
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

#include "context.h"
#include "i18n.h"
#include "vledger/app/feed.h"
#include "vledger/app/mirror.h"

namespace vledger::cli {
namespace {

std::atomic<bool> stop_requested{false};

void OnStopSignal(int /*signal*/) { stop_requested = true; }

Status RunMirror(Context& ctx, const std::string& url, bool once, int interval_seconds) {
  if (ctx.network == nullptr || !ctx.network->mirror_source) {
    return Status::Unavailable("this program has no network part (vledger-net)");
  }
  VLEDGER_ASSIGN_OR_RETURN(app::MirrorSource source, ctx.network->mirror_source(url));
  app::MirrorRequest request;
  request.source = std::move(source);
  request.once = once;
  request.poll_interval_ms = int64_t{interval_seconds} * 1000;
  stop_requested = false;
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGINT, OnStopSignal);
  request.stopping = [] { return stop_requested.load(); };
  if (!once && !ctx.options.json) {
    request.progress = [&ctx](const app::MirrorProgress& p) {
      ctx.PrintLine(Tr("replica at {} events (+{}), newest checkpoint at size {}", p.size,
                       p.appended, p.checkpoint));
    };
  }
  VLEDGER_ASSIGN_OR_RETURN(app::MirrorResult r, app::Mirror(ctx.Session(), request));
  if (ctx.options.json) {
    ctx.PrintLine(app::MirrorJson(r));
  } else if (r.checkpoint) {
    ctx.PrintLine(Tr(
        "replica {} holds {} events (+{} this run), verified; checkpoint at size "
        "{}, root {}",
        ctx.options.ledger_dir, r.size, r.appended, r.checkpoint->size, Hex(r.checkpoint->root)));
  } else {
    ctx.PrintLine(
        Tr("replica {} holds {} events (+{} this run), verified; the server has signed "
           "no checkpoint yet",
           ctx.options.ledger_dir, r.size, r.appended));
  }
  return Status::Ok();
}

Status RunFeed(Context& ctx, uint64_t from, uint64_t limit) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.Session().OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(std::string page, app::EventsFeed(*ledger, from, limit));
  std::cout.write(page.data(), static_cast<std::streamsize>(page.size()));
  std::cout.flush();
  return Status::Ok();
}

}  // namespace

void RegisterMirrorCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    struct Opts {
      std::string url;
      bool once = false;
      int interval_seconds = 5;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "mirror",
                               _("follow a county server's log into the --ledger folder (a "
                                 "verified replica) until SIGTERM"));
    cmd->add_option("URL", o->url, _("the server, e.g. https://ledger.example.gov.cn"))->required();
    cmd->add_flag("--once", o->once, _("catch up once, then exit"));
    cmd->add_option("--interval", o->interval_seconds,
                    _("seconds between two polls of the server (default 5)"))
        ->check(CLI::Range(1, 3600));
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o] { return RunMirror(ctx, o->url, o->once, o->interval_seconds); };
    });
  }
  {
    // Hidden (no group): the page GET /events answers.
    struct Opts {
      uint64_t from = 0, limit = app::kFeedEventsMax;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* feed = AddCommand(app, "__feed", "");
    feed->group("");
    feed->add_option("--from", o->from)->check(WholeNumber(N_("seq")));
    feed->add_option("--limit", o->limit)->check(WholeNumber(N_("number")));
    feed->callback(
        [&ctx, action, o] { *action = [&ctx, o] { return RunFeed(ctx, o->from, o->limit); }; });
  }
}

}  // namespace vledger::cli
