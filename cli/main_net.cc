// vledger-net: the commands of vledger with the whole network part —
// `serve` and `mirror` (SPEC section 12), which `vledger` runs this
// program in its own place for (cli/main.cc), and, as `vledger` does
// itself, any command with --remote and `sync`. It is built from the same
// cli/ code and links net/ (docs/SERVER.md). The client is
// cli/net_client.cc, the server cli/net_serve.cc, the mirror's HTTP
// source cli/mirror_http.cc, the outbox and `sync` cli/net_outbox.cc.
#include <string>
#include <vector>

#include "context.h"
#include "mirror_http.h"
#include "net_outbox.h"
#include "net_parts.h"

int main(int argc, char** argv) {
  vledger::cli::Context ctx;
  vledger::cli::Network network;
  network.serve = vledger::cli::Serve;
  network.remote = vledger::cli::RunRemotely;
  network.mirror_source = vledger::cli::HttpMirrorSource;
  network.sync = vledger::cli::SyncOutbox;
  ctx.network = &network;
  return vledger::cli::RunCommandLine(ctx, std::vector<std::string>(argv + 1, argv + argc));
}
