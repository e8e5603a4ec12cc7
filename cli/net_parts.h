// The client of `--remote` (cli/net_client.cc, in both programs) and the
// server `serve` (cli/net_serve.cc, in vledger-net only: cli/main_net.cc).
#pragma once

#include <string>
#include <vector>

#include "context.h"

namespace vledger::cli {

// Runs the parsed command line `given` on the server of --remote
// (SPEC section 12); returns the exit code.
int RunRemotely(Context& ctx, const CLI::App& app, const std::vector<std::string>& given);

// `vledger serve`: returns when SIGTERM or SIGINT stopped it.
Status Serve(Context& ctx, const ServeArgs& args);

}  // namespace vledger::cli
