// The client of `--remote URL` (SPEC section 12): sends the
// command line and the files it reads to a county server, checks and
// signs the commit the server prepared (the key never leaves this
// machine), and writes the files the command wrote.
#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "exit_code.h"
#include "net_files.h"
#include "net_outbox.h"
#include "net_parts.h"
#include "vledger/app/remote.h"
#include "vledger/app/report.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/net/client.h"
#include "vledger/projections/money.h"

namespace vledger::cli {
namespace {

namespace fs = std::filesystem;

// The command line as the server gets it: without what is this machine's
// (--remote, --ca, --key, --lang), with the language of this run, a
// request id when the command takes one, and file names replaced by the
// placeholders of the files sent.
struct Outgoing {
  net::CommandRequest request;
  std::map<std::string, std::string> outputs;  // placeholder -> local path
  app::CommitExpectation expect;
};

// The values a command line gave for `name`, if the chosen command has
// that option.
std::vector<std::string> Given(const CLI::App& cmd, const std::string& name) {
  const CLI::Option* opt = cmd.get_option_no_throw(name);
  if (opt == nullptr || opt->count() == 0) return {};
  return opt->results();
}

bool LooksLikeId(std::string_view s) {
  return !s.empty() && s.find_first_not_of(
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                           "0123456789-_.") == std::string_view::npos;
}

// What the events of the command must say (app/remote.h).
app::CommitExpectation Expectation(const std::string& words, const CLI::App& cmd) {
  app::CommitExpectation x;
  x.command = words;
  auto first = [&](const std::string& name) -> std::optional<std::string> {
    std::vector<std::string> v = Given(cmd, name);
    if (v.empty()) return std::nullopt;
    return v.front();
  };
  auto number = [](const std::optional<std::string>& text) -> std::optional<int64_t> {
    if (!text) return std::nullopt;
    try {
      size_t used = 0;
      int64_t v = std::stoll(*text, &used);
      if (used == text->size()) return v;
    } catch (...) {
    }
    return std::nullopt;
  };
  // A resident given by id is compared; one given by name is resolved by
  // the server, and the ids its events name are shown (RunRemotely).
  auto resident = [&](const std::string& given) {
    if (LooksLikeId(given)) {
      x.resident = given;
    } else {
      x.resident_name = given;
    }
  };
  if (words == "award" || words == "redeem") {
    if (auto r = first("RESIDENT")) resident(*r);
    x.rule = first("RULE");
    if (words == "award") x.points = number(first("--points"));
    x.shop = first("--shop");
  }
  if (words == "shop item add" || words == "shop restock") {
    x.shop = first("SHOP");
    x.village = first("--village");
    if (words == "shop item add") x.points = number(first("--points"));
  }
  if (words == "village grades") x.village = first("VILLAGE");
  if (words == "deduct") {
    std::vector<std::string> a = Given(cmd, "ARGS");
    if (a.size() == 2) resident(a[0]);
    if (!a.empty()) x.rule = a.back();
  }
  if (words == "donate" || words == "disburse" || words == "allowance add") {
    x.fund = first("FUND");
    if (auto to = first("--to"); to && words != "donate") {
      if (LooksLikeId(*to)) {
        x.to = to;  // a resident's or a household's id
      } else {
        x.resident_name = to;
      }
    }
    if (auto amount = first("--amount")) {
      Result<int64_t> fen = ParseYuan("--amount", *amount);
      if (fen.ok()) x.amount_fen = *fen;
    }
  }
  if (words == "reverse") {
    if (auto seq = number(first("SEQ")); seq && *seq >= 0) x.target = static_cast<uint64_t>(*seq);
  }
  if (words == "publish") {
    x.village = first("--village");
    x.period = first("--period");
  }
  if (app::SignsCheckpoints(words)) {
    if (auto size = number(first("--size")); size && *size >= 0) {
      x.checkpoint_size = static_cast<uint64_t>(*size);
    }
  }
  if (words == "import") {
    if (auto kind = first("--kind")) x.command = "import " + *kind;
  }
  return x;
}

// Replaces every word equal to `path` (or ending an `--opt=path`) by
// `placeholder`.
void Substitute(std::vector<std::string>& args, const std::string& path,
                const std::string& placeholder) {
  for (std::string& a : args) {
    if (a == path) a = placeholder;
    size_t eq = a.find('=');
    if (a.starts_with("--") && eq != std::string::npos && a.substr(eq + 1) == path) {
      a = a.substr(0, eq + 1) + placeholder;
    }
  }
}

Result<Outgoing> MakeOutgoing(Context& ctx, const CLI::App& app,
                              const std::vector<std::string>& given, const std::string& key_id) {
  Outgoing o;
  const auto chosen = Chosen(app);
  const std::string& words = chosen.first;
  const CLI::App* cmd = chosen.second;
  // This machine's options out; the language of this run in, first (the
  // server takes the first --lang as the language of messages). A command
  // with a --lang of its own (publish, report: the report's language)
  // keeps the one given after its name.
  o.request.args.push_back("--lang");
  o.request.args.push_back(CurrentLanguage() == Language::kChinese ? "zh" : "en");
  const bool own_lang = cmd != &app && cmd->get_option_no_throw("--lang") != nullptr;
  size_t command_at = given.size();
  if (cmd != &app) {
    std::string top = words.substr(0, words.find(' '));
    for (size_t i = 0; i < given.size() && command_at == given.size(); i++) {
      if (given[i] == top) command_at = i;
    }
  }
  static const std::set<std::string> kLocal = {"--remote", "--ca", "--key", "--lang"};
  for (size_t i = 0; i < given.size(); i++) {
    const std::string& a = given[i];
    if (a == "--") {
      o.request.args.insert(o.request.args.end(), given.begin() + i, given.end());
      break;
    }
    std::string name = a.substr(0, a.find('='));
    if (kLocal.count(name) > 0 && !(name == "--lang" && own_lang && i > command_at)) {
      if (name == a) i++;  // its value is the next word
      continue;
    }
    o.request.args.push_back(a);
  }
  // Files.
  int n = 0;
  // A file that cannot be read is refused as the local command refuses it
  // (exit 3, naming the option).
  auto send = [&](const std::string& name, const std::string& path) -> Status {
    std::string placeholder =
        std::string(kInPrefix) + std::to_string(n++) + "/" + fs::path(path).filename().string();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      Msg what("cannot read \"{}\"", path);
      return fs::exists(path, ec) ? Status::InvalidInput(name, what) : Status::NotFound(name, what);
    }
    VLEDGER_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path));
    o.request.files.push_back({placeholder, std::move(bytes)});
    Substitute(o.request.args, path, placeholder);
    return Status::Ok();
  };
  auto receive = [&](const std::string& path) {
    std::string placeholder =
        std::string(kOutPrefix) + std::to_string(n++) + "/" + fs::path(path).filename().string();
    o.outputs[placeholder] = path;
    Substitute(o.request.args, path, placeholder);
  };
  for (std::string_view name : kInputOptions) {
    for (const std::string& path : Given(*cmd, std::string(name))) {
      VLEDGER_TRY(send(std::string(name), path));
    }
  }
  for (std::string_view name : kOutputOptions) {
    for (const std::string& path : Given(*cmd, std::string(name))) receive(path);
  }
  for (const std::string& path : Given(*cmd, "FILE")) {
    if (words == "export") {
      receive(path);
    } else if (Listed(kFileReaders, words)) {
      VLEDGER_TRY(send("FILE", path));
    }
  }
  if (o.request.files.size() > net::kFilesMax) {
    return Status::InvalidInput(Msg("at most {} files go with a remote command", net::kFilesMax));
  }
  // A request id for every command that takes one, so that a retry after
  // a lost answer gets the original answer.
  o.expect = Expectation(words, *cmd);
  if (cmd->get_option_no_throw("--request-id") != nullptr) {
    std::vector<std::string> id = Given(*cmd, "--request-id");
    if (id.empty()) {
      id.push_back("r-" + Hex(RandomBytes(12)));
      o.request.args.push_back("--request-id");
      o.request.args.push_back(id.front());
    }
    o.expect.request_id = id.front();
  }
  o.request.key_id = key_id;
  o.expect.key_id = key_id;
  (void)ctx;
  return o;
}

}  // namespace

int RunRemotely(Context& ctx, const CLI::App& app, const std::vector<std::string>& given) {
  auto fail = [&](const Status& st) {
    ctx.PrintErrorLine(_("vledger: error: ") + Tr(st));
    return ExitCode(st);
  };
  std::unique_ptr<app::LocalSigner> signer;
  if (!ctx.options.key_path.empty()) {
    Result<PrivateKey> key = ctx.Session().SigningKey();
    if (!key.ok()) return fail(key.status());
    signer = std::make_unique<app::LocalSigner>(std::move(*key));
  }
  Result<Outgoing> outgoing = MakeOutgoing(ctx, app, given, signer ? signer->key_id() : "");
  if (!outgoing.ok()) return fail(outgoing.status());
  std::optional<app::OutboxEntry> keep;  // --outbox: kept if the server cannot be reached
  if (ctx.options.outbox) {
    auto entry =
        PrepareOutbox(ctx, app, outgoing->request, outgoing->expect, !outgoing->outputs.empty());
    if (!entry.ok()) return fail(entry.status());
    keep = std::move(*entry);
  }
  net::RemoteOptions options;
  options.url = ctx.options.remote;
  options.ca_file = ctx.options.ca_file;
  options.key = signer ? &signer->key() : nullptr;  // signs each request (RFC 9421)
  // A server that cannot be connected to at all, twice 50 ms apart: the
  // command is kept in the outbox at once rather than after the backoff.
  if (keep) options.unreachable_attempts_max = 2;
  app::CommitExpectation& expect = outgoing->expect;
  std::vector<std::string> named;  // the ids a resident given by name became
  Result<net::CommandOutput> out = net::RunRemote(
      options, outgoing->request, signer.get(),
      [&ctx, &expect, &named](const app::CommitToSign& commit) {
        Status st = app::CheckPreparedCommit(expect, commit, &named);
        // An import's progress, commit by commit, where a local import
        // shows its bar (a terminal, no --json).
        if (st.ok() && expect.command.starts_with("import") && !ctx.options.json &&
            ::isatty(STDERR_FILENO) == 1) {
          std::cerr << Tr("import: commit {}..{} checked and signed", commit.first, commit.last)
                    << "\n"
                    << std::flush;
        }
        return st;
      },
      [&expect](const app::CheckpointToSign& checkpoint) {
        Status st = app::CheckPreparedCheckpoint(expect, checkpoint);
        // A disclosure after it names the size of the head just signed.
        if (st.ok() && expect.command == "publish") expect.tree_size = checkpoint.head.size;
        return st;
      });
  if (!out.ok() && keep && out.status().code() == Code::kUnavailable) {
    return KeepInOutbox(ctx, *keep, signer.get(), out.status());
  }
  if (!out.ok()) return fail(out.status());
  if (expect.resident_name) {
    for (const std::string& id : named) {
      ctx.PrintErrorLine(
          Tr("{} → {} (the server's reading of the name)", *expect.resident_name, id));
    }
  }
  for (const net::FileBlob& f : out->files) {
    auto local = outgoing->outputs.find(f.name);
    if (local == outgoing->outputs.end()) continue;  // none asked for: not written
    if (Status st = app::WriteFileAtomically(local->second, f.bytes); !st.ok()) return fail(st);
  }
  for (const auto& [placeholder, path] : outgoing->outputs) {
    ReplaceAll(out->out, placeholder, path);
    ReplaceAll(out->err, placeholder, path);
  }
  std::cout << out->out << std::flush;
  std::cerr << out->err << std::flush;
  return out->exit_code;
}

}  // namespace vledger::cli
