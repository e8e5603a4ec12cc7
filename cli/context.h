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
#include <utility>
#include <vector>

#include "i18n.h"
#include "vledger/app/mirror.h"
#include "vledger/app/session.h"
#include "vledger/ledger/status.h"

namespace vledger::cli {

using Json = nlohmann::ordered_json;

struct GlobalOptions {
  std::string ledger_dir;  // --ledger, else $VLEDGER_DIR, else ./vledger-data
  std::string key_path;    // --key, else $VLEDGER_KEY
  bool json = false;       // --json
  int wait_seconds = 0;    // --wait
  std::string remote;      // --remote, else $VLEDGER_REMOTE (empty: local)
  std::string ca_file;     // --ca: the CA a remote server's certificate is checked with
  bool outbox = false;     // --outbox: keep a write for an unreachable server (net_outbox.h)
};

// Where a command's output goes when it is not this process's stdout and
// stderr: a server collects it for its client.
struct OutputSink {
  std::string out, err;
};

// A command run by a server for a client (cli/net_serve.cc): the server's
// ledger and writer, the client's signer.
struct Serving {
  std::string ledger_dir;
  std::shared_ptr<app::SharedWriter> writer;
  std::shared_ptr<app::Signer> signer;  // null: the client gave no key
  // Whose people the client's reads see (app/people_view.h): the key that
  // signed its request may see them, or nobody's.
  app::PeopleView people_view;
};

struct ServeArgs {
  std::string listen;  // HOST:PORT
  std::string tls_cert, tls_key, checkpoint_key;
  // RATE:BURST token buckets (docs/SERVER.md, "Limits"); "0": no limit.
  std::string address_limit = "20:100", key_limit = "5:50";
};

// `vledger sync` (cli/commands_sync.cc, cli/net_outbox.cc).
struct SyncArgs {
  bool list = false;  // --list: show what is kept, send nothing
};

class Context;
// The network (serve, --remote) as the program that runs the command
// provides it: `vledger` hands the command line to `vledger-net`, which
// links the HTTP library (cli/main.cc, cli/main_net.cc).
struct Network {
  // `vledger`: runs the whole command line in vledger-net instead (serve,
  // mirror, --remote); returns only on failure, with the exit code.
  std::function<int(Context& ctx, const std::vector<std::string>& args)> handoff;
  // vledger-net: the server, the remote client, the mirror's HTTP source.
  std::function<Status(Context& ctx, const ServeArgs& args)> serve;
  std::function<Result<app::MirrorSource>(const std::string& url)> mirror_source;
  // Runs the parsed command line `args` (as given) on the server; returns
  // the exit code.
  std::function<int(Context& ctx, const CLI::App& app, const std::vector<std::string>& args)>
      remote;
  // Sends the outbox (`sync`).
  std::function<Status(Context& ctx, const SyncArgs& args)> sync;
};

class Context {
 public:
  GlobalOptions options;
  // Faults of a failed command beyond the one it returned (an import's bad
  // rows after its summary): printed after that error, a line each.
  std::vector<Status> more_errors;
  // Set by the program (main): how to serve and run remotely.
  const Network* network = nullptr;
  // Set when a server runs the command: output to `sink`, the server's
  // ledger and signer.
  OutputSink* sink = nullptr;
  const Serving* serving = nullptr;

  // The application layer's session for these options: the ledger, the
  // key (its passphrase from VLEDGER_KEY_PASSPHRASE, else asked on the
  // terminal), the wait, and VLEDGER_NOW.
  app::Session Session() const;

  // Output: one JSON document with --json, else human lines.
  void PrintJson(const Json& doc) const;
  void PrintLine(const std::string& line) const;
  // Bytes as they are (a checkpoint note, a proof file, a report).
  void PrintRaw(const std::string& bytes) const;
  // An error line (already "vledger: error: ..."), on stderr.
  void PrintErrorLine(const std::string& line) const;
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
void RegisterReportCommands(CLI::App& app, Context& ctx, Action* action);  // commands_report.cc
void RegisterShopCommands(CLI::App& app, Context& ctx, Action* action);    // commands_shop.cc
// `village grades` (under `village`, registered before) and `grade` (commands_grades.cc).
void RegisterGradeCommands(CLI::App& app, Context& ctx, Action* action);
// `benefit`, `attest` and `verify-attestation` (commands_benefits.cc).
void RegisterBenefitCommands(CLI::App& app, Context& ctx, Action* action);
void RegisterDemoCommand(CLI::App& app, Context& ctx, Action* action);      // commands_demo.cc
void RegisterTemplateCommand(CLI::App& app, Context& ctx, Action* action);  // commands_template.cc
void RegisterMirrorCommands(CLI::App& app, Context& ctx, Action* action);   // commands_mirror.cc
// `completion bash` and the hidden `__complete` (commands_completion.cc);
// registered last, as the script is generated from the whole tree.
void RegisterSyncCommand(CLI::App& app, Context& ctx, Action* action);  // commands_sync.cc
void RegisterCompletionCommands(CLI::App& app, Context& ctx, Action* action);
// `serve --listen HOST:PORT [--tls-cert F --tls-key F]` (commands_serve.cc).
void RegisterServeCommand(CLI::App& app, Context& ctx, Action* action);
// A server's bound on how long a command waits for the writer (the lease
// of the commands before it), in seconds.
inline constexpr int kServedWaitSeconds = 20;

// `verify --archive FILE [--checkpoint F --pub KEY]` (commands_audit.cc).
Status VerifyArchiveCommand(Context& ctx, const std::string& archive, const std::string& checkpoint,
                            const std::string& pub);

// Parses and runs one command line; returns the exit code (main()).
int RunCommandLine(Context& ctx, std::vector<std::string> args);
// The word of the command a command line names: its first word after the
// global options; none for help, version, or an option it does not know.
std::optional<std::string> CommandWordOf(const std::vector<std::string>& args);
// The command a parsed command line chose, as its words ("key new"), and
// its innermost App.
std::pair<std::string, const CLI::App*> Chosen(const CLI::App& app);

}  // namespace vledger::cli
