// `vledger serve`: registered here with every other command; the server
// itself is the network part's (Context::network, cli/net_serve.cc).
#include "context.h"

namespace vledger::cli {

void RegisterServeCommand(CLI::App& app, Context& ctx, Action* action) {
  auto o = std::make_shared<ServeArgs>();
  CLI::App* cmd = AddCommand(
      app, "serve", _("serve the ledger to collectors and readers over HTTP (county server)"));
  cmd->add_option("--listen", o->listen, _("HOST:PORT to listen on (PORT 0: any free port)"))
      ->required();
  cmd->add_option("--tls-cert", o->tls_cert, _("TLS certificate chain, PEM (with --tls-key)"));
  cmd->add_option("--tls-key", o->tls_key, _("TLS private key, PEM (with --tls-cert)"));
  cmd->add_option(
      "--checkpoint-key", o->checkpoint_key,
      _("a checkpointer key that keeps the newest checkpoint within seconds of the log"));
  cmd->add_option("--address-limit", o->address_limit,
                  _("requests of one address: RATE:BURST a second, or 0 for no limit"))
      ->capture_default_str();
  cmd->add_option("--key-limit", o->key_limit,
                  _("signed commands of one key: RATE:BURST a second, or 0 for no limit"))
      ->capture_default_str();
  cmd->callback([&ctx, action, o] {
    *action = [&ctx, o]() -> Status {
      if (ctx.network == nullptr || !ctx.network->serve) {
        return Status::Unavailable("this program has no network part (vledger-net)");
      }
      return ctx.network->serve(ctx, *o);
    };
  });
}

}  // namespace vledger::cli
