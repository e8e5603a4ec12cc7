// `vledger sync [--list]`: sends the outbox — the commands kept by
// `--outbox` while the county server could not be reached (SPEC section
// 12). Registered here with every other command; the sending is the
// network part's (Context::network, cli/net_outbox.cc).
#include "context.h"

namespace vledger::cli {

void RegisterSyncCommand(CLI::App& app, Context& ctx, Action* action) {
  auto o = std::make_shared<SyncArgs>();
  CLI::App* cmd = AddCommand(
      app, "sync",
      _("send the commands kept in the outbox (--outbox) to their server, oldest first"));
  cmd->add_flag("--list", o->list, _("show what the outbox holds; send nothing"));
  cmd->callback([&ctx, action, o] {
    *action = [&ctx, o]() -> Status {
      if (ctx.network == nullptr || !ctx.network->sync) {
        return Status::Unavailable("this program has no network part (vledger-net)");
      }
      return ctx.network->sync(ctx, *o);
    };
  });
}

}  // namespace vledger::cli
