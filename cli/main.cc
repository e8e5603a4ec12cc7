// vledger: the command-line program. main() only wires the context and
// hands the command line to RunCommandLine (run.cc). The network part
// (serve, mirror, --remote) is the program vledger-net beside this one, which
// links the HTTP library and its shared libraries: this program, started
// for every local command, stays without them (docs/SERVER.md).
#include <unistd.h>

#include <cerrno>
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

}  // namespace

int main(int argc, char** argv) {
  vledger::cli::Context ctx;
  std::vector<std::string> args(argv + 1, argv + argc);
  vledger::cli::Network network;
  network.handoff = [](vledger::cli::Context& c, const std::vector<std::string>& command_line) {
    vledger::Status st = RunNetworkProgram(command_line);
    c.PrintErrorLine(vledger::cli::_("vledger: error: ") + vledger::cli::Tr(st));
    return 4;
  };
  ctx.network = &network;
  return vledger::cli::RunCommandLine(ctx, std::move(args));
}
