// Parses a command line, runs the chosen command and maps its Status to
// the exit codes of SPEC section 7 — the one place that does so.
#include <cstdlib>
#include <exception>
#include <iostream>

#include "context.h"
#include "vledger/rows.h"

namespace vledger::cli {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

int Fail(const Status& st) {
  std::string msg = st.message();
  for (char& c : msg) {
    if (c == '\n') c = ' ';  // one line, always
  }
  std::cerr << "vledger: error: " << msg << "\n";
  return st.exit_code();
}

}  // namespace

int RunCommandLine(Context& ctx, std::vector<std::string> args) {
  CLI::App app("vledger: a signed, hash-chained ledger for village credit points and funds",
               "vledger");
  app.require_subcommand(1);
  ctx.options = GlobalOptions{};
  ctx.options.ledger_dir = EnvOr("VLEDGER_DIR", "./vledger-data");
  ctx.options.key_path = EnvOr("VLEDGER_KEY", "");
  app.add_option("--ledger", ctx.options.ledger_dir, "ledger folder (default $VLEDGER_DIR or ./vledger-data)");
  app.add_option("--key", ctx.options.key_path, "signing key, PKCS#8 PEM (default $VLEDGER_KEY)");
  app.add_flag("--json", ctx.options.json, "print one JSON document");
  app.add_option("--wait", ctx.options.wait_seconds, "wait up to SECONDS for another writer")
      ->check(CLI::Range(0, 86400));

  Action action;
  RegisterLedgerCommands(app, ctx, &action);
  RegisterRegistryCommands(app, ctx, &action);
  RegisterAuditCommands(app, ctx, &action);
  RegisterPointsCommands(app, ctx, &action);
  RegisterFundCommands(app, ctx, &action);
  RegisterImportCommand(app, ctx, &action);
  RegisterReliabilityCommands(app, ctx, &action);
  RegisterReportCommands(app, ctx, &action);
  RegisterDemoCommand(app, ctx, &action);

  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    std::cerr << "vledger: error: " << what << " (see vledger --help)\n";
    return 2;
  }
  if (!action) return Fail(Status::Usage("no command given (see vledger --help)"));
  try {
    Status st = action();
    return st.ok() ? 0 : Fail(st);
  } catch (const RowReadError& e) {
    // A stored row that could not be read (rows.h): nothing was written.
    return Fail(e.status());
  } catch (const std::exception& e) {
    return Fail(Status::Internal(std::string("unexpected error: ") + e.what()));
  }
}

}  // namespace vledger::cli
