// Parses a command line, runs the chosen command and maps its Status to
// the exit codes of SPEC section 7 — the one place that does so.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli11_words.h"
#include "context.h"
#include "exit_code.h"
#include "i18n.h"
#include "vledger/projections/validate.h"

#ifndef VLEDGER_VERSION
#define VLEDGER_VERSION "unknown"
#endif

namespace vledger::cli {

// The command chosen, as its words ("key new"), and its innermost App.
std::pair<std::string, const CLI::App*> Chosen(const CLI::App& app) {
  std::string words;
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
    words += (words.empty() ? "" : " ") + at->get_name();
  }
  return {words, at};
}

namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

// The text of a Status in the user's language. A row is a line of an
// import file, its field the column: "line 6, column rule: unknown rule
// \"NOSUCH\"".
std::string ErrorText(const Status& st) {
  if (!st.row()) return Tr(st);
  std::string text = st.field().empty() ? Tr("line {}: ", *st.row())
                                        : Tr("line {}, column {}: ", *st.row(), st.field());
  if (st.seq()) text += Tr("seq {}: ", *st.seq());
  for (const Msg& p : st.prefixes()) text += Tr("{}: ", Tr(p));
  return text + Tr(st.msg());
}

void PrintError(const Context& ctx, const Status& st) {
  std::string msg = ErrorText(st);
  for (char& c : msg) {
    if (c == '\n') c = ' ';  // one line, always
  }
  // Messages quote what the user typed or a file held: its control
  // characters are shown escaped, never sent to the terminal.
  ctx.PrintErrorLine(_("vledger: error: ") + EscapeControls(msg));
}

// Prints `st`, then each of `more` (a line per fault), and returns the exit
// code of `st`.
int Fail(const Context& ctx, const Status& st, const std::vector<Status>& more = {}) {
  PrintError(ctx, st);
  for (const Status& s : more) PrintError(ctx, s);
  return ExitCode(st);
}

// Commands that work on a ledger folder itself (SPEC section 12: never
// sent to a server; --remote with them is a usage error) ...
bool LedgerFolderCommand(const std::string& words) {
  static constexpr std::string_view kFolder[] = {"init",    "serve", "mirror", "backup", "restore",
                                                 "rebuild", "demo",  "tiles",  "site"};
  return std::find(std::begin(kFolder), std::end(kFolder), words) != std::end(kFolder);
}
// ... and those that need no ledger at all: run here even with --remote.
bool NoLedgerCommand(const std::string& words) {
  return words == "key new" || words.starts_with("completion") || words == "__complete" ||
         words == "sync";
}
// Neither is ever run by a server for a client.
bool LocalOnly(const std::string& words) {
  return LedgerFolderCommand(words) || NoLedgerCommand(words);
}

// Where the command goes: this process, or a server (--remote, else
// $VLEDGER_REMOTE). Usage when the combination cannot be meant.
Result<bool> RunsRemotely(Context& ctx, const CLI::App& app, const std::string& words) {
  bool explicit_remote = app.count("--remote") > 0;
  if (!explicit_remote) ctx.options.remote = EnvOr("VLEDGER_REMOTE", "");
  if (ctx.options.remote.empty() || NoLedgerCommand(words)) return false;
  if (LedgerFolderCommand(words)) {
    if (!explicit_remote) return false;  // $VLEDGER_REMOTE is for the commands that can go
    return Status::Usage(
        Msg("--remote: \"{}\" works on a ledger folder of this machine only", words));
  }
  if (app.count("--ledger") > 0) {
    return Status::Usage("--remote and --ledger go to different ledgers: give one of them");
  }
  return true;
}

// A word where a command should be that names none (`vledger nosuchcmd`,
// `vledger key nosuch`): CLI11 only says a subcommand is required.
std::optional<std::string> UnknownCommand(const CLI::App& app) {
  auto [words, at] = Chosen(app);
  if (at->get_require_subcommand_min() == 0) return std::nullopt;
  for (const std::string& arg : app.remaining(true)) {
    if (!arg.starts_with('-')) return words.empty() ? arg : words + " " + arg;
  }
  return std::nullopt;
}

// An option given with an empty value (`--points ''`, often an unset shell
// variable) is a command line that does not parse: taken as "not given",
// it would silently mean the default. No option of vledger gives an empty
// value a meaning of its own: `--note ''` is refused as well (leave the
// option out for no note), so one rule holds for every option.
Status CheckNoEmptyValues(const CLI::App& app) {
  for (const CLI::App* at = &app;; at = at->get_subcommands().front()) {
    for (const CLI::Option* opt : at->get_options()) {
      if (!opt->nonpositional() || opt->count() == 0 || opt->get_expected_max() == 0) continue;
      for (const std::string& v : opt->results()) {
        if (v.empty()) return Status::Usage(Msg("{}: a value is required", opt->get_name()));
      }
    }
    if (at->get_subcommands().empty()) return Status::Ok();
  }
}

// The commands each group adds at the top level (and `village`, to which
// the grades add `village grades`). A command line builds only the groups
// that add to its command: CLI11 makes every option of every command
// it is given, a good part of a short command's own work (for `award`,
// the other 90 commands' options were 40 % of the program's instructions
// before the ledger is opened). A word missing here builds every group, as
// does a group found not to add its word (RunCommandLine checks): this
// table can cost speed, never behaviour.
struct CommandGroup {
  void (*add)(CLI::App&, Context&, Action*);
  std::string_view words;  // space-separated, with a space at each end
};
constexpr CommandGroup kCommandGroups[] = {
    {RegisterLedgerCommands, " init key log summary show verify rebuild "},
    // `grade` too: the grades' group adds `village grades` to `village`.
    {RegisterRegistryCommands, " village household resident person grade "},
    {RegisterAuditCommands,
     " checkpoint prove verify-proof consistency verify-consistency export tiles site "},
    {RegisterPointsCommands,
     " rule name award deduct redeem expire reverse review balance history rank pending "},
    {RegisterShopCommands, " shop "},
    {RegisterGradeCommands, " grade village "},
    {RegisterBenefitCommands, " benefit attest verify-attestation "},
    {RegisterFundCommands, " fund donate disburse release dividend allowance donor statement "},
    {RegisterImportCommand, " import "},
    {RegisterReliabilityCommands, " backup restore "},
    {RegisterReportCommands, " report publish verify-report objection "},
    {RegisterDemoCommand, " demo "},
    {RegisterTemplateCommand, " template "},
    {RegisterServeCommand, " serve "},
    {RegisterMirrorCommands, " mirror "},
    {RegisterSyncCommand, " sync "},
    // `completion` describes every command: it never runs alone.
    {RegisterCompletionCommands, " "},
};

// The groups (bits of kCommandGroups) that add to the command a command
// line names, and that word (CommandWordOf); no group for help, version,
// an unknown word or option (then every group).
std::pair<uint32_t, std::string> GroupsOf(const std::vector<std::string>& args) {
  std::optional<std::string> word = CommandWordOf(args);
  if (!word) return {};
  uint32_t groups = 0;
  for (size_t g = 0; g < std::size(kCommandGroups); g++) {
    if (kCommandGroups[g].words.find(" " + *word + " ") != std::string_view::npos) {
      groups |= 1u << g;
    }
  }
  return {groups, *word};
}

// The application, its global options and the commands of the groups
// `only` (every command when 0); `lang_option` and `action` are bound to it.
std::unique_ptr<CLI::App> MakeApp(Context& ctx, std::string& lang_option, Action& action,
                                  uint32_t only) {
  auto made = std::make_unique<CLI::App>(
      _("vledger: a signed, hash-chained ledger for village credit points and funds"), "vledger");
  CLI::App& app = *made;
  UseTranslatedHelp(app);
  app.require_subcommand(1);
  ctx.options = GlobalOptions{};
  ctx.more_errors.clear();
  ctx.options.ledger_dir = EnvOr("VLEDGER_DIR", "./vledger-data");
  ctx.options.key_path = EnvOr("VLEDGER_KEY", "");
  app.add_option("--lang", lang_option,
                 _("language of messages and help: zh or en (default $VLEDGER_LANG, else the "
                   "locale)"));
  app.add_option("--ledger", ctx.options.ledger_dir,
                 _("ledger folder (default $VLEDGER_DIR or ./vledger-data)"));
  app.add_option("--key", ctx.options.key_path,
                 _("signing key, PKCS#8 PEM (default $VLEDGER_KEY)"));
  app.add_flag("--json", ctx.options.json, _("print one JSON document"));
  app.add_option("--wait", ctx.options.wait_seconds, _("wait up to SECONDS for another writer"))
      ->check(CLI::Range(0, 86400));
  app.add_option("--remote", ctx.options.remote,
                 _("run the command on a county server at URL (default $VLEDGER_REMOTE)"));
  app.add_option("--ca", ctx.options.ca_file,
                 _("trust the server certificates this CA file (PEM) signed"));
  app.add_flag("--outbox", ctx.options.outbox,
               _("with --remote: when the server cannot be reached, keep a command that "
                 "appends for `vledger sync`"));
  app.set_version_flag("--version", std::string("vledger ") + VLEDGER_VERSION,
                       _("print the program's version and exit"));

  for (size_t g = 0; g < std::size(kCommandGroups); g++) {
    if (only == 0 || (only & (1u << g)) != 0) kCommandGroups[g].add(app, ctx, &action);
  }
  return made;
}

}  // namespace

std::optional<std::string> CommandWordOf(const std::vector<std::string>& args) {
  static constexpr std::string_view kWithValue[] = {"--lang", "--ledger", "--key",
                                                    "--wait", "--remote", "--ca"};
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--json" || a == "--outbox") continue;
    if (std::find(std::begin(kWithValue), std::end(kWithValue), a) != std::end(kWithValue)) {
      i++;
      continue;
    }
    if (a.starts_with("--") && a.find('=') != std::string::npos) {
      std::string_view name = std::string_view(a).substr(0, a.find('='));
      if (std::find(std::begin(kWithValue), std::end(kWithValue), name) != std::end(kWithValue)) {
        continue;
      }
      return std::nullopt;
    }
    if (a.empty() || a.starts_with('-')) return std::nullopt;
    return a;
  }
  return std::nullopt;
}

int RunCommandLine(Context& ctx, std::vector<std::string> args) {
  // The language first: the help texts registered below are in it.
  auto env = [](const char* name) { return std::getenv(name); };
  Result<Language> lang = ChooseLanguage(args, env);
  if (!lang.ok()) {
    // A --lang naming no language: said in the language of the environment.
    Result<Language> fallback = ChooseLanguage({}, env);
    UseLanguage(fallback.ok() ? *fallback : Language::kEnglish);
    return Fail(ctx, lang.status());
  }
  UseLanguage(*lang);
  std::string lang_option;
  Action action;
  auto [only, word] = GroupsOf(args);
  std::unique_ptr<CLI::App> made = MakeApp(ctx, lang_option, action, only);
  auto named = [&word](const CLI::App* c) { return c->get_name() == word; };
  if (only != 0 && made->get_subcommands(named).empty()) {
    action = nullptr;
    made = MakeApp(ctx, lang_option, action, 0);
  }
  CLI::App& app = *made;

  const std::vector<std::string> given = args;
  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (auto unknown = UnknownCommand(app)) {
      return Fail(ctx, Status::Usage(Msg("unknown command \"{}\" (see vledger --help)", *unknown)));
    }
    return Fail(ctx, Status::Usage(Msg("{} (see vledger --help)", ParseErrorText(e))));
  }
  if (!action) return Fail(ctx, Status::Usage("no command given (see vledger --help)"));
  if (Status st = CheckNoEmptyValues(app); !st.ok()) return Fail(ctx, st);
  const std::string words = Chosen(app).first;
  if (ctx.serving != nullptr) {
    // A client's command line: the server's ledger only, and nothing of
    // this machine beyond it.
    if (LocalOnly(words)) {
      return Fail(ctx, Status::Usage(Msg("\"{}\" cannot be run on a server", words)));
    }
    for (const char* option : {"--ledger", "--key", "--remote", "--ca"}) {
      if (app.count(option) > 0) {
        return Fail(ctx, Status::Usage(Msg("{} cannot be sent to a server", option)));
      }
    }
  } else {
    Result<bool> remote = RunsRemotely(ctx, app, words);
    if (!remote.ok()) return Fail(ctx, remote.status());
    if (ctx.options.outbox && !*remote && words != "sync") {
      return Fail(ctx, Status::Usage("--outbox keeps commands for a server: give --remote URL"));
    }
    // A part this program lacks (`vledger` has no server and no mirror's
    // HTTP source): the whole command line goes to vledger-net.
    const Network* net = ctx.network;
    bool lacking = net != nullptr &&
                   ((*remote && !net->remote) || (words == "serve" && !net->serve) ||
                    (words == "mirror" && !net->mirror_source) || (words == "sync" && !net->sync));
    if (lacking && net->handoff) return net->handoff(ctx, given);
    if (*remote) {
      if (ctx.network == nullptr || !ctx.network->remote) {
        return Fail(ctx, Status::Unavailable("this program has no network part (vledger-net)"));
      }
      return ctx.network->remote(ctx, app, given);
    }
  }
  try {
    Status st = action();
    return st.ok() ? 0 : Fail(ctx, st, ctx.more_errors);
  } catch (const std::exception& e) {
    // The application layer returns every error as a Status; this is a
    // last resort for a fault of cli/ itself.
    return Fail(ctx, Status::Internal(Msg("unexpected error: {}", e.what())));
  }
}

}  // namespace vledger::cli
