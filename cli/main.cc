// vledger: the command-line program. main() only wires the context and
// hands the command line to RunCommandLine (run.cc). The network part
// (serve, mirror, --remote) is the program vledger-net beside this one, which
// links the HTTP library and its shared libraries: this program, started
// for every local command, stays without them (docs/SERVER.md).
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "context.h"

namespace {

// Replaces this process with vledger-net running `args`; returns only on
// failure.
vledger::Status RunNetworkProgram(const std::vector<std::string>& args) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string program = (self.parent_path() / "vledger-net").string();
  std::vector<char*> argv;
  argv.push_back(program.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(program.c_str(), argv.data());
  return vledger::Status::Unavailable(
      vledger::Msg("cannot run {}: {}", program, std::strerror(errno)));
}

// Whether the command line goes to vledger-net whatever its command: a
// server URL given (--remote before the command, or $VLEDGER_REMOTE), or
// the command serve, mirror or sync. vledger-net is built from the same
// cli/ code and runs a command that stays local exactly as this program
// would, so handing over before parsing saves this process the parse.
bool ForNetworkProgram(const std::vector<std::string>& args) {
  const char* env = std::getenv("VLEDGER_REMOTE");
  if (env != nullptr && *env != '\0') return true;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--remote" || a.starts_with("--remote=")) return true;
    if (a == "--lang" || a == "--ledger" || a == "--key" || a == "--wait" || a == "--ca") {
      i++;  // its value
      continue;
    }
    if (a.starts_with('-')) continue;
    return a == "serve" || a == "mirror" || a == "sync";  // the command's word
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  vledger::cli::Context ctx;
  std::vector<std::string> args(argv + 1, argv + argc);
  // When vledger-net cannot be run, the command line is parsed here and
  // fails as it would have (network.handoff below) or runs locally.
  if (ForNetworkProgram(args)) (void)RunNetworkProgram(args);
  vledger::cli::Network network;
  network.handoff = [](vledger::cli::Context& c, const std::vector<std::string>& command_line) {
    vledger::Status st = RunNetworkProgram(command_line);
    c.PrintErrorLine(vledger::cli::_("vledger: error: ") + vledger::cli::Tr(st));
    return 4;
  };
  ctx.network = &network;
  return vledger::cli::RunCommandLine(ctx, std::move(args));
}
