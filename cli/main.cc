// vledger: the command-line program. main() only wires the context and
// hands the command line to RunCommandLine (run.cc). It runs a command
// with --remote, and `sync`, itself (the client, net/client.h, linked from
// archives like the rest of it). The server and the mirror's HTTP source
// (serve, mirror) are the program vledger-net beside this one, which links
// the HTTP server library and its shared libraries: this program, started
// for every command, stays without them (docs/SERVER.md).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "context.h"
#include "net_outbox.h"
#include "net_parts.h"
#include "vledger/net/http_client.h"

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

// Whether the command line goes to vledger-net: the command serve or
// mirror, whose server and HTTP source only vledger-net has (a command
// with --remote, and `sync`, run here: the client is in this program).
// vledger-net is built from the same cli/ code, so handing over before
// parsing saves this process the parse.
bool ForNetworkProgram(const std::vector<std::string>& args) {
  std::optional<std::string> word = vledger::cli::CommandWordOf(args);
  return word == "serve" || word == "mirror";
}

// The commands that go over the whole log or a whole file: much of their
// time is memory they touch for the first time, a page fault every 4 KB,
// and TLB misses across hundreds of megabytes (bench/history.md,
// seventeenth round).
constexpr std::string_view kWholeLedgerCommands[] = {"import", "verify", "rebuild", "restore"};
constexpr std::string_view kHugePagesTunable = "glibc.malloc.hugetlb";

// Whether the kernel gives transparent huge pages to the memory a program
// asks for them (madvise) and to no other: then glibc.malloc.hugetlb=1
// changes what a command gets. With "always" it has them anyway, with
// "never" it cannot.
bool HugePagesOnRequest() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  return std::getline(in, modes) && modes.find("[madvise]") != std::string::npos;
}

// For a command of kWholeLedgerCommands, replaces this process with this
// program run again with glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES:
// glibc then asks for transparent huge pages for its heap (madvise), 2 MB
// a page fault instead of 4 KB. glibc reads its tunables only when a
// process starts, hence the new start (a few milliseconds, against the
// seconds of such a command). Nothing is done when the environment names
// that tunable already (the caller's choice, or this program's second
// start) or the kernel would not heed it; when the start fails, the
// command runs here as it is.
void StartWithHugePages(char** argv, const std::vector<std::string>& args) {
  std::optional<std::string> word = vledger::cli::CommandWordOf(args);
  if (!word || std::find(std::begin(kWholeLedgerCommands), std::end(kWholeLedgerCommands), *word) ==
                   std::end(kWholeLedgerCommands)) {
    return;
  }
  const char* given = std::getenv("GLIBC_TUNABLES");
  std::string tunables = given != nullptr ? given : "";
  if (tunables.find(kHugePagesTunable) != std::string::npos || !HugePagesOnRequest()) return;
  const std::string before = tunables;
  tunables += tunables.empty() ? "" : ":";
  tunables += std::string(kHugePagesTunable) + "=1";
  if (::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  if (given != nullptr) {
    ::setenv("GLIBC_TUNABLES", before.c_str(), 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
}

// A command line that names an https:// server (--remote URL, or
// $VLEDGER_REMOTE) has its TLS context made on a second thread from here
// on (net/http_client.h): OpenSSL's start and the context's set-up, about
// 4.5 ms on the bench machine, then pass while this thread runs the
// program's initializers (RocksDB's option tables, the C++ streams,
// CLI11's validators: 4-6 ms here) and parses the command line, reads the
// key and makes the request. So this runs before those initializers
// (priority 101, the first a program may use), when only the C library is
// ready: it reads argv (which glibc passes to such a function) with
// string_view alone. The options are found as CLI11 reads them; a value
// read wrongly here costs only the thread's work, since the client takes
// the context only when it was made for the --ca it was given.
__attribute__((constructor(101))) void StartTlsEarly(int argc, char** argv, char** /*envp*/) {
  const char* url = nullptr;
  const char* ca_file = "";
  for (int i = 1; i < argc; i++) {
    const std::string_view arg = argv[i];
    if ((arg == "--remote" || arg == "--ca") && i + 1 < argc) {
      (arg == "--remote" ? url : ca_file) = argv[++i];
    } else if (arg.starts_with("--remote=")) {
      url = argv[i] + std::string_view("--remote=").size();
    } else if (arg.starts_with("--ca=")) {
      ca_file = argv[i] + std::string_view("--ca=").size();
    }
  }
  if (url == nullptr) url = std::getenv("VLEDGER_REMOTE");
  if (url != nullptr && std::string_view(url).starts_with("https://")) {
    vledger::net::StartTlsContext(ca_file);
  }
}

}  // namespace

int main(int argc, char** argv) {
  vledger::cli::Context ctx;
  std::vector<std::string> args(argv + 1, argv + argc);
  // When vledger-net cannot be run, the command line is parsed here and
  // fails as it would have (network.handoff below) or runs locally.
  if (ForNetworkProgram(args)) (void)RunNetworkProgram(args);
  StartWithHugePages(argv, args);
  vledger::cli::Network network;
  network.remote = vledger::cli::RunRemotely;
  network.sync = vledger::cli::SyncOutbox;
  network.handoff = [](vledger::cli::Context& c, const std::vector<std::string>& command_line) {
    vledger::Status st = RunNetworkProgram(command_line);
    c.PrintErrorLine(vledger::cli::_("vledger: error: ") + vledger::cli::Tr(st));
    return 4;
  };
  ctx.network = &network;
  return vledger::cli::RunCommandLine(ctx, std::move(args));
}
