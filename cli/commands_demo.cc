// `vledger demo [DIR]`: builds the sample village ledger. The village's
// data and the commands that build it are not part of the program: they
// are demo/*.csv and demo/village, which this command runs with this
// program (VLEDGER_DEMO_DATA names another folder holding them).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "context.h"

#ifndef VLEDGER_DEMO_DATA
#define VLEDGER_DEMO_DATA ""
#endif

namespace vledger::cli {
namespace {

// The folder of demo/village: VLEDGER_DEMO_DATA, else `../share/vledger/
// demo` from the program (an installed program: /usr/bin/vledger reads
// /usr/share/vledger/demo), else the demo/ folder of the source tree the
// program was built from.
std::string DemoData() {
  const char* env = std::getenv("VLEDGER_DEMO_DATA");
  if (env != nullptr && *env != '\0') return env;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path installed = exe.parent_path().parent_path() / "share/vledger/demo";
    if (std::filesystem::exists(installed / "village", ec)) return installed.string();
  }
  return VLEDGER_DEMO_DATA;
}

Status RunDemo(const std::string& dir) {
  std::string data = DemoData();
  std::string script = data + "/village";
  if (data.empty() || ::access(script.c_str(), R_OK) != 0) {
    return Status::Unavailable(
        Msg("demo: the demo village's data is not at {} (set "
            "VLEDGER_DEMO_DATA to the demo/ folder of vledger's sources)",
            data.empty() ? std::string("(none)") : data));
  }
  std::error_code ec;
  std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec) return Status::Internal(Msg("demo: cannot find the vledger program: {}", ec.message()));
  // The demo ledger is made with init --test-clock: the same every time.
  if (std::getenv("VLEDGER_NOW") == nullptr) ::setenv("VLEDGER_NOW", "2021-09-30T10:00:00Z", 1);
  // The script's output and exit code are the command's.
  std::fflush(nullptr);
  const char* argv[] = {"bash", script.c_str(), self.c_str(), dir.c_str(), nullptr};
  ::execvp("bash", const_cast<char* const*>(argv));
  return Status::Internal(Msg("demo: cannot run bash: {}", std::strerror(errno)));
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, Context& ctx, Action* action) {
  (void)ctx;
  auto dir = std::make_shared<std::string>("./vledger-demo");
  CLI::App* cmd = AddCommand(app, "demo", _("build a sample village ledger (keys in DIR-keys/)"));
  cmd->add_option("DIR", *dir, _("ledger folder (default ./vledger-demo)"));
  cmd->callback([action, dir] { *action = [dir] { return RunDemo(*dir); }; });
}

}  // namespace vledger::cli
