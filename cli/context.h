// What every command needs: the global options, the clock, the ledger and
// the signing key, and the output channel. main() builds one Context and
// passes it to the commands; nothing here is global.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "i18n.h"
#include "vledger/app/session.h"
#include "vledger/ledger/status.h"

namespace vledger::cli {

using Json = nlohmann::ordered_json;

struct GlobalOptions {
  std::string ledger_dir;  // --ledger, else $VLEDGER_DIR, else ./vledger-data
  std::string key_path;    // --key, else $VLEDGER_KEY
  bool json = false;       // --json
  int wait_seconds = 0;    // --wait
};

class Context {
 public:
  GlobalOptions options;
  // Faults of a failed command beyond the one it returned (an import's bad
  // rows after its summary): printed after that error, a line each.
  std::vector<Status> more_errors;

  // The application layer's session for these options: the ledger, the
  // key (its passphrase from VLEDGER_KEY_PASSPHRASE, else asked on the
  // terminal), the wait, and VLEDGER_NOW.
  app::Session Session() const;

  // Output: one JSON document with --json, else human lines.
  void PrintJson(const Json& doc) const;
  void PrintLine(const std::string& line) const;
  // A warning on stderr (e.g. "notes are public"), already in the user's
  // language, or a library's message translated here.
  void Warn(const std::string& line) const;
  void Warn(const Msg& msg) const;
};

// A recorded time as human output shows it: 2021-09-30T10:00:00Z (whole
// seconds).
std::string UtcTime(int64_t ms);

// Passphrases typed at a prompt: at most this many bytes.
inline constexpr size_t kPassphraseBytesMax = 1024;
// Asks on /dev/tty with echo off; refused when there is no terminal or
// nothing was typed.
Result<std::string> PromptPassphrase(const std::string& prompt);

// A command's action, run after the command line parsed.
using Action = std::function<Status()>;

// Adds a subcommand that accepts the global options after its own and
// stores its action in `*action` when chosen.
CLI::App* AddCommand(CLI::App& parent, const std::string& name, const std::string& help);

// For a seq, size or count read by CLI11 into a uint64_t: digits only
// (at most 19), so "-1" is refused as typed (exit 2, "SEQ: \"-1\" is not a
// seq") instead of wrapping to 18446744073709551615, and "010" is 10, not
// CLI11's octal 8. `what` names the value: N_("seq"), N_("size"),
// N_("number") (translated when the message is made).
CLI::Validator WholeNumber(const char* what);

// The explicitly given options and positionals of `cmd` (not the global
// ones, not --request-id) as one canonical string, for idempotency.
// Numeric options are compared as numbers (`--points 01` is `--points 1`).
std::string Fingerprint(const CLI::App& cmd);

// Registration of the command groups (one file each).
void RegisterLedgerCommands(CLI::App& app, Context& ctx, Action* action);
void RegisterRegistryCommands(CLI::App& app, Context& ctx, Action* action);
// `resident find` under the `resident` command (commands_people.cc).
void RegisterResidentFind(CLI::App& resident, Context& ctx, Action* action);
void RegisterAuditCommands(CLI::App& app, Context& ctx, Action* action);   // commands_audit.cc
void RegisterPointsCommands(CLI::App& app, Context& ctx, Action* action);  // commands_points.cc
void RegisterFundCommands(CLI::App& app, Context& ctx, Action* action);    // commands_funds.cc
void RegisterImportCommand(CLI::App& app, Context& ctx, Action* action);   // commands_import.cc
void RegisterReliabilityCommands(CLI::App& app, Context& ctx, Action* action);  // backup, restore
void RegisterReportCommands(CLI::App& app, Context& ctx, Action* action);   // commands_report.cc
void RegisterDemoCommand(CLI::App& app, Context& ctx, Action* action);      // commands_demo.cc
void RegisterTemplateCommand(CLI::App& app, Context& ctx, Action* action);  // commands_template.cc
void RegisterMirrorCommands(CLI::App& app, Context& ctx, Action* action);   // commands_mirror.cc
// `completion bash` and the hidden `__complete` (commands_completion.cc);
// registered last, as the script is generated from the whole tree.
void RegisterCompletionCommands(CLI::App& app, Context& ctx, Action* action);

// `verify --archive FILE [--checkpoint F --pub KEY]` (commands_audit.cc).
Status VerifyArchiveCommand(Context& ctx, const std::string& archive, const std::string& checkpoint,
                            const std::string& pub);

// Parses and runs one command line; returns the exit code (main()).
int RunCommandLine(Context& ctx, std::vector<std::string> args);

}  // namespace vledger::cli
