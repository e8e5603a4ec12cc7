// --outbox and `vledger sync` (SPEC section 12): a command that appends,
// kept when the county server cannot be reached, and sent later through
// the normal prepare -> sign -> commit with the request id it was given
// when entered (the server keeps the answer of every request id in the
// ledger: an entry that landed but whose answer was lost is answered
// again, never applied twice).
#include "net_outbox.h"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "exit_code.h"
#include "vledger/app/remote.h"
#include "vledger/app/session.h"
#include "vledger/ledger/crypto.h"
#include "vledger/net/client.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

Result<std::string> TheOutboxDir() { return app::OutboxDir(Env("XDG_DATA_HOME"), Env("HOME")); }

// This machine's clock (VLEDGER_NOW when set, as a test ledger's is), in
// milliseconds since the epoch.
Result<int64_t> EntryNowMs() {
  std::string fixed = Env("VLEDGER_NOW");
  if (!fixed.empty()) return app::ParseFixedNow("VLEDGER_NOW", fixed);
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string IsoUtc(int64_t ms) {
  time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm = {};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

// Inserts `words` before a "--" that ends the options (else at the end).
void InsertOptions(std::vector<std::string>& args, std::initializer_list<std::string> words) {
  auto at = std::find(args.begin(), args.end(), "--");
  args.insert(at, words);
}

// The value after the last `option` among the options, set to `value`.
void SetLast(std::vector<std::string>& args, const std::string& option, const std::string& value) {
  auto end = std::find(args.begin(), args.end(), "--");
  for (auto it = end; it != args.begin();) {
    --it;
    if (*it == option && it + 1 != end) {
      *(it + 1) = value;
      return;
    }
  }
}

// A Status of the exit code `code` (the first failure of a sync).
Status OfExitCode(int code, Msg msg) {
  switch (code) {
    case 1:
      return Status::VerificationFailed(std::move(msg));
    case 2:
      return Status::Usage(std::move(msg));
    case 3:
      return Status::InvalidInput(std::move(msg));
    case 4:
      return Status::Unavailable(std::move(msg));
    default:
      return Status::Internal(std::move(msg));
  }
}

}  // namespace

Result<std::optional<app::OutboxEntry>> PrepareOutbox(Context& ctx, const CLI::App& app,
                                                      net::CommandRequest& request,
                                                      const app::CommitExpectation& expect,
                                                      bool writes_files) {
  // --outbox is this machine's: never sent (a word after "--" is kept).
  auto end = std::find(request.args.begin(), request.args.end(), "--");
  request.args.erase(std::remove(request.args.begin(), end, "--outbox"), end);
  auto [words, cmd] = Chosen(app);
  if (cmd->get_option_no_throw("--request-id") == nullptr || writes_files ||
      expect.request_id.empty()) {
    return std::optional<app::OutboxEntry>();
  }
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, EntryNowMs());
  app::OutboxEntry e;
  e.entered_at = IsoUtc(now_ms);
  e.on = CstDate(now_ms);
  const CLI::Option* on = cmd->get_option_no_throw("--on");
  if (on != nullptr) {
    if (on->count() == 0) {
      InsertOptions(request.args, {"--on", e.on});
    } else {
      e.on = on->results().front();
    }
  }
  e.command = words;
  e.server = ctx.options.remote;
  e.key_id = request.key_id;
  e.request_id = expect.request_id;
  e.args = request.args;
  for (const net::FileBlob& f : request.files) e.files.push_back({f.name, f.bytes});
  e.expect = expect;
  return std::optional<app::OutboxEntry>(std::move(e));
}

int KeepInOutbox(Context& ctx, const app::OutboxEntry& entry, const app::LocalSigner* signer,
                 const Status& why) {
  auto fail = [&](const Status& st) {
    ctx.PrintErrorLine(_("vledger: error: ") + Tr(st));
    return ExitCode(st);
  };
  if (signer == nullptr) {
    // Nothing to sign the entry with: the server would refuse it too.
    ctx.PrintErrorLine(_("vledger: error: ") + Tr(why));
    return fail(
        Status::InvalidInput("--key", "no signing key given (use --key FILE or set VLEDGER_KEY)"));
  }
  Result<std::string> dir = TheOutboxDir();
  if (!dir.ok()) return fail(dir.status());
  Result<std::string> name = app::WriteOutboxEntry(*dir, entry, signer->key());
  if (!name.ok()) return fail(name.status());
  if (ctx.options.json) {
    ctx.PrintJson(Json{
        {"queued", true}, {"entry", *name}, {"on", entry.on}, {"request_id", entry.request_id}});
  } else {
    ctx.Warn(Tr(why));
    ctx.PrintLine(
        Tr("the server cannot be reached: \"{}\" (act dated {}) is kept in the outbox "
           "as {}/{}; `vledger sync` sends it",
           entry.command, entry.on, *dir, *name));
  }
  return 0;
}

Status SyncOutbox(Context& ctx, const SyncArgs& args) {
  auto fail = [](const Status& st) { return st; };
  Result<std::string> dir = TheOutboxDir();
  if (!dir.ok()) return fail(dir.status());
  Result<std::vector<app::OutboxListing>> listed = app::ListOutbox(*dir);
  if (!listed.ok()) return fail(listed.status());
  const std::string& only = ctx.options.remote;  // --remote / $VLEDGER_REMOTE: that server only

  if (args.list) {
    Json entries = Json::array();
    for (const app::OutboxListing& l : *listed) {
      if (!only.empty() && l.fault.ok() && l.server != only) continue;
      if (ctx.options.json) {
        Json j{{"entry", l.name}};
        if (l.fault.ok()) {
          j["entered_at"] = l.entered_at;
          j["on"] = l.on;
          j["command"] = l.command;
          j["server"] = l.server;
          j["request_id"] = l.request_id;
          j["args"] = l.args;
        } else {
          j["error"] = Tr(l.fault);
        }
        entries.push_back(std::move(j));
      } else if (l.fault.ok()) {
        ctx.PrintLine(Tr("{}  entered {}  act dated {}  {}  -> {}", l.name, l.entered_at, l.on,
                         l.command, l.server));
      } else {
        ctx.PrintLine(Tr("{}  cannot be read: {}", l.name, Tr(l.fault)));
      }
    }
    if (ctx.options.json) {
      ctx.PrintJson(Json{{"outbox", *dir}, {"entries", std::move(entries)}});
    } else if (entries.empty() && listed->empty()) {
      ctx.PrintLine(Tr("the outbox {} is empty", *dir));
    }
    return Status::Ok();
  }

  if (ctx.options.key_path.empty()) {
    return fail(
        Status::InvalidInput("--key", "no signing key given (use --key FILE or set VLEDGER_KEY)"));
  }
  Result<PrivateKey> key = ctx.Session().SigningKey();
  if (!key.ok()) return fail(key.status());
  app::LocalSigner signer(std::move(*key));
  const PublicKey& public_key = signer.key().public_key();
  Result<app::OutboxLock> lock = app::OutboxLock::Take(*dir);
  if (!lock.ok()) return fail(lock.status());
  // Listed again under the lock: another sync may have sent some.
  listed = app::ListOutbox(*dir);
  if (!listed.ok()) return fail(listed.status());

  Json sent = Json::array(), refused = Json::array(), kept = Json::array();
  int first_failure = 0, failures = 0;
  std::string first_failed;
  bool stopped = false;
  auto failed = [&](int code, const std::string& name) {
    failures++;
    if (first_failure == 0) {
      first_failure = code;
      first_failed = name;
    }
  };
  // Moves `name` aside with `error` (the lines to show, already in the
  // user's language).
  auto refuse = [&](const std::string& name, int code, const std::string& error) {
    Result<std::string> to = app::RefuseOutboxEntry(*dir, name, error);
    std::string where = to.ok() ? *to : std::string();
    if (ctx.options.json) {
      refused.push_back(
          Json{{"entry", name}, {"exit", code}, {"error", error}, {"moved_to", where}});
    } else {
      ctx.PrintErrorLine(
          Tr("vledger: error: outbox entry {}/{} refused (exit {}): {}", *dir, name, code, error));
      if (to.ok()) ctx.PrintErrorLine(Tr("  moved to {}, with the error beside it", where));
    }
    if (!to.ok()) ctx.PrintErrorLine(_("vledger: error: ") + Tr(to.status()));
    failed(code, name);
  };

  for (const app::OutboxListing& l : *listed) {
    Result<std::string> bytes = app::ReadOutboxFile(*dir, l.name);
    if (!bytes.ok()) {
      if (bytes.status().code() == Code::kNotFound) continue;  // sent meanwhile
      ctx.PrintErrorLine(_("vledger: error: ") + Tr(bytes.status()));
      failed(ExitCode(bytes.status()), l.name);
      continue;
    }
    Result<app::OutboxEntry> entry = app::DecodeOutboxEntry(*bytes, public_key);
    if (!entry.ok()) {
      if (entry.status().code() == Code::kPermissionDenied) {
        // Another collector's entry: kept for that key.
        if (ctx.options.json) {
          kept.push_back(Json{{"entry", l.name}, {"error", Tr(entry.status())}});
        } else {
          ctx.PrintErrorLine(
              Tr("vledger: error: outbox entry {}/{} kept: {}", *dir, l.name, Tr(entry.status())));
        }
        failed(ExitCode(entry.status()), l.name);
        continue;
      }
      refuse(l.name, ExitCode(entry.status()), Tr(entry.status()));
      continue;
    }
    if (!only.empty() && entry->server != only) continue;  // for another server

    net::CommandRequest request;
    request.args = entry->args;
    request.key_id = entry->key_id;
    for (const app::OutboxFile& f : entry->files) request.files.push_back({f.name, f.bytes});
    // Presentation only (neither is part of what the request id covers):
    // the language of this run, and JSON when this run prints JSON.
    SetLast(request.args, "--lang", CurrentLanguage() == Language::kChinese ? "zh" : "en");
    if (ctx.options.json &&
        std::find(request.args.begin(), request.args.end(), "--json") == request.args.end()) {
      request.args.insert(request.args.begin(), "--json");
    }
    net::RemoteOptions options;
    options.url = entry->server;
    options.ca_file = ctx.options.ca_file;
    options.key = &signer.key();  // signs each request (RFC 9421), as a direct run does
    app::CommitExpectation expect = entry->expect;
    std::vector<std::string> named;  // the ids a resident given by name became
    Result<net::CommandOutput> out = net::RunRemote(
        options, request, &signer,
        [&expect, &named](const app::CommitToSign& commit) {
          return app::CheckPreparedCommit(expect, commit, &named);
        },
        [&expect](const app::CheckpointToSign& checkpoint) {
          Status st = app::CheckPreparedCheckpoint(expect, checkpoint);
          if (st.ok() && expect.command == "publish") expect.tree_size = checkpoint.head.size;
          return st;
        });
    if (!out.ok()) {
      if (out.status().code() == Code::kUnavailable) {
        // The server is not there: everything stays for the next sync.
        ctx.PrintErrorLine(_("vledger: error: ") + Tr(out.status()));
        failed(4, l.name);
        stopped = true;
        break;
      }
      refuse(l.name, ExitCode(out.status()), Tr(out.status()));
      continue;
    }
    if (out->exit_code == 4 || out->exit_code == 5) {
      // The server's trouble, not the command's: kept, and stop.
      std::cerr << out->err << std::flush;
      failed(out->exit_code, l.name);
      stopped = true;
      break;
    }
    if (out->exit_code != 0) {
      std::string error = out->err;
      while (!error.empty() && error.back() == '\n') error.pop_back();
      refuse(l.name, out->exit_code, error);
      continue;
    }
    // The answer is in: only now is the entry removed.
    Status removed = app::RemoveOutboxEntry(*dir, l.name);
    if (ctx.options.json) {
      Json result = Json::parse(out->out, nullptr, false);
      Json j{{"entry", l.name},
             {"command", entry->command},
             {"on", entry->on},
             {"request_id", entry->request_id}};
      if (result.is_discarded()) {
        j["output"] = out->out;
      } else {
        j["result"] = std::move(result);
      }
      sent.push_back(std::move(j));
    } else {
      ctx.PrintLine(Tr("sent {} (\"{}\", act dated {}):", l.name, entry->command, entry->on));
      std::cout << out->out << std::flush;
    }
    std::cerr << out->err << std::flush;
    if (!removed.ok()) {
      ctx.PrintErrorLine(_("vledger: error: ") + Tr(removed));
      failed(ExitCode(removed), l.name);
    }
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"sent", std::move(sent)},
                       {"refused", std::move(refused)},
                       {"kept", std::move(kept)},
                       {"stopped", stopped}});
  }
  if (first_failure != 0) {
    return OfExitCode(
        first_failure,
        Msg("not every outbox entry was sent ({} failed; the first: {})", failures, first_failed));
  }
  return Status::Ok();
}

}  // namespace vledger::cli
