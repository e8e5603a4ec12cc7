// Command actions over the application layer: run an app entry point on
// the request the command line filled, then print its result (the JSON
// document with --json, else human lines) and, once it succeeded, its
// warnings. A refused command prints only its error.
#pragma once

#include <memory>
#include <string>

#include "append.h"
#include "context.h"
#include "i18n.h"

namespace vledger::cli {

// `--request-id ID` into `request_id`.
inline void AddRequestId(CLI::App* cmd, std::string& request_id) {
  cmd->add_option("--request-id", request_id, "idempotency key");
}

// `--allow-names` into `allow`: free text may name a registered person
// (refused otherwise, SPEC section 12).
inline void AddAllowNames(CLI::App* cmd, bool& allow) {
  cmd->add_flag("--allow-names", allow,
                _("the text may name a registered person (it goes into the public log)"));
}

// Prints a write's result and then its warnings (when it has any).
template <typename Result, typename ToJson>
void PrintWrite(Context& ctx, const Result& result, ToJson to_json) {
  if (ctx.options.json) {
    ctx.PrintLine(to_json(result));
  } else {
    PrintAppendResult(ctx, result.append);
  }
  if constexpr (requires { result.warnings; }) {
    for (const Msg& warning : result.warnings) ctx.Warn(Tr(warning));
  }
}

// Sets `cmd`'s action: `run(session, *request)` (an app write; the request
// gets the command line's fingerprint first), then PrintWrite.
template <typename Request, typename Run, typename ToJson>
void OnWrite(CLI::App* cmd, Context& ctx, Action* action, std::shared_ptr<Request> request, Run run,
             ToJson to_json) {
  cmd->callback([&ctx, action, request, cmd, run, to_json] {
    *action = [&ctx, request, fp = Fingerprint(*cmd), run, to_json]() -> Status {
      request->fingerprint = fp;
      VLEDGER_ASSIGN_OR_RETURN(auto result, run(ctx.Session(), *request));
      PrintWrite(ctx, result, to_json);
      return Status::Ok();
    };
  });
}

// Sets `cmd`'s action: `run(session, *request)` (an app query), then its
// JSON document with --json, else `print(ctx, result)`.
template <typename Request, typename Run, typename ToJson, typename Print>
void OnQuery(CLI::App* cmd, Context& ctx, Action* action, std::shared_ptr<Request> request, Run run,
             ToJson to_json, Print print) {
  cmd->callback([&ctx, action, request, run, to_json, print] {
    *action = [&ctx, request, run, to_json, print]() -> Status {
      VLEDGER_ASSIGN_OR_RETURN(auto result, run(ctx.Session(), *request));
      if (ctx.options.json) {
        ctx.PrintLine(to_json(result));
      } else {
        print(ctx, result);
      }
      return Status::Ok();
    };
  });
}

}  // namespace vledger::cli
