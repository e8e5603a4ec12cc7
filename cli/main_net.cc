// vledger-net: the commands of vledger with the network part — `serve`,
// and any command with --remote (SPEC section 12). `vledger` runs this
// program in its own place for those (cli/main.cc); it is built from the
// same cli/ code and links net/ (docs/SERVER.md).
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "context.h"
#include "exit_code.h"
#include "mirror_http.h"
#include "vledger/app/checkpoint.h"
#include "vledger/app/feed.h"
#include "vledger/app/remote.h"
#include "vledger/app/report.h"
#include "vledger/app/tiles.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/net/client.h"
#include "vledger/net/server.h"
#include "vledger/projections/money.h"

namespace vledger::cli {
namespace {

namespace fs = std::filesystem;

// Files a command reads (sent with a remote request) and writes (sent
// back), by option name; a positional FILE is read by these commands and
// written by `export`.
constexpr std::string_view kInputOptions[] = {"--pub", "--checkpoint", "--archive"};
constexpr std::string_view kOutputOptions[] = {"--out"};
constexpr std::string_view kFileReaders[] = {"import", "verify-proof", "verify-report",
                                             "verify-consistency"};
constexpr size_t kFileBytesMax = 64u << 20;
// `serve --checkpoint-key`: how often the newest checkpoint is brought up
// to the log's size, and how long a signing waits for the lease.
constexpr int kCheckpointEverySeconds = 5;
constexpr int kCheckpointLeaseWaitSeconds = 20;

constexpr std::string_view kInPrefix = "@vledger-in/";
constexpr std::string_view kOutPrefix = "@vledger-out/";

bool Listed(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(Msg("cannot read {}", path));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() > kFileBytesMax) {
    return Status::InvalidInput(Msg("{}: over {} bytes, too large to send", path, kFileBytesMax));
  }
  return bytes;
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// ------------------------------------------------------------ the client

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
  if (words == "award" || words == "redeem") {
    if (auto r = first("RESIDENT"); r && LooksLikeId(*r)) x.resident = r;
    x.rule = first("RULE");
    if (words == "award") x.points = number(first("--points"));
    x.shop = first("--shop");
  }
  if (words == "deduct") {
    std::vector<std::string> a = Given(cmd, "ARGS");
    if (a.size() == 2 && LooksLikeId(a[0])) x.resident = a[0];
    if (!a.empty()) x.rule = a.back();
  }
  if (words == "donate" || words == "disburse" || words == "allowance add") {
    x.fund = first("FUND");
    if (auto to = first("--to"); to && words != "donate" && LooksLikeId(*to)) {
      // A household id is not a resident's: compared only when the event
      // names a resident (the server's reading of the id is checked by
      // the apply code).
      (void)to;
    }
    if (auto amount = first("--amount")) {
      Result<int64_t> fen = ParseYuan("--amount", *amount);
      if (fen.ok()) x.amount_fen = *fen;
    }
  }
  if (words == "reverse") {
    if (auto seq = number(first("SEQ")); seq && *seq >= 0) x.target = static_cast<uint64_t>(*seq);
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
  std::string words;
  const CLI::App* cmd = &app;
  while (!cmd->get_subcommands().empty()) {
    cmd = cmd->get_subcommands().front();
    words += (words.empty() ? "" : " ") + cmd->get_name();
  }
  // This machine's options out; the language of this run in.
  static const std::set<std::string> kLocal = {"--remote", "--ca", "--key", "--lang"};
  for (size_t i = 0; i < given.size(); i++) {
    const std::string& a = given[i];
    if (a == "--") {
      o.request.args.insert(o.request.args.end(), given.begin() + i, given.end());
      break;
    }
    std::string name = a.substr(0, a.find('='));
    if (kLocal.count(name) > 0) {
      if (name == a) i++;  // its value is the next word
      continue;
    }
    o.request.args.push_back(a);
  }
  o.request.args.push_back("--lang");
  o.request.args.push_back(CurrentLanguage() == Language::kChinese ? "zh" : "en");
  // Files.
  int n = 0;
  auto send = [&](const std::string& path) -> Status {
    std::string placeholder =
        std::string(kInPrefix) + std::to_string(n++) + "/" + fs::path(path).filename().string();
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
    for (const std::string& path : Given(*cmd, std::string(name))) VLEDGER_TRY(send(path));
  }
  for (std::string_view name : kOutputOptions) {
    for (const std::string& path : Given(*cmd, std::string(name))) receive(path);
  }
  for (const std::string& path : Given(*cmd, "FILE")) {
    if (words == "export") {
      receive(path);
    } else if (Listed(kFileReaders, words)) {
      VLEDGER_TRY(send(path));
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
  net::RemoteOptions options;
  options.url = ctx.options.remote;
  options.ca_file = ctx.options.ca_file;
  const app::CommitExpectation& expect = outgoing->expect;
  Result<net::CommandOutput> out = net::RunRemote(options, outgoing->request, signer.get(),
                                                  [&expect](const app::CommitToSign& commit) {
                                                    return app::CheckPreparedCommit(expect, commit);
                                                  });
  if (!out.ok()) return fail(out.status());
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

// ------------------------------------------------------------ the server

// A scratch folder for one served command's files; removed with it.
class Scratch {
 public:
  Scratch() {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "vledger-serve.XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) dir_ = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// The path a placeholder stands for in `scratch`; nullopt when the word is
// not a well-formed placeholder (a client cannot name a file of the server).
std::optional<std::string> PlaceholderPath(const Scratch& scratch, std::string_view word) {
  std::string_view kind;
  if (word.starts_with(kInPrefix)) kind = "in-";
  if (word.starts_with(kOutPrefix)) kind = "out-";
  if (kind.empty()) return std::nullopt;
  std::string_view rest = word.substr(kind == "in-" ? kInPrefix.size() : kOutPrefix.size());
  size_t slash = rest.find('/');
  if (slash == 0 || slash > 2 || slash == std::string_view::npos) return std::nullopt;
  std::string_view number = rest.substr(0, slash);
  std::string_view name = rest.substr(slash + 1);
  if (number.find_first_not_of("0123456789") != std::string_view::npos || name.empty() ||
      name.size() > 255 || name == "." || name == ".." ||
      name.find('/') != std::string_view::npos || name.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  return scratch.dir() + "/" + std::string(kind) + std::string(number) + "/" + std::string(name);
}

net::CommandOutput RunServed(const Serving& base, const net::CommandRequest& request,
                             std::shared_ptr<app::Signer> signer) {
  net::CommandOutput result;
  OutputSink sink;
  Serving serving = base;
  serving.signer = std::move(signer);
  Scratch scratch;
  auto refuse = [&](const Status& st) {
    result.exit_code = ExitCode(st);
    result.err = _("vledger: error: ") + Tr(st) + "\n";
    return result;
  };
  if (scratch.dir().empty()) return refuse(Status::Io("no scratch folder for the command's files"));
  std::vector<std::string> args = request.args;
  std::map<std::string, std::string> outputs;  // path -> placeholder
  for (std::string& a : args) {
    size_t eq = a.starts_with("--") ? a.find('=') : std::string::npos;
    std::string head = eq == std::string::npos ? "" : a.substr(0, eq + 1);
    std::string word = eq == std::string::npos ? a : a.substr(eq + 1);
    std::optional<std::string> path = PlaceholderPath(scratch, word);
    if (!path) {
      if (word.starts_with("@vledger-")) {
        return refuse(Status::Usage(Msg("\"{}\" is not a file sent with the request", word)));
      }
      continue;
    }
    std::error_code ec;
    fs::create_directories(fs::path(*path).parent_path(), ec);
    if (word.starts_with(kOutPrefix)) outputs[*path] = word;
    a = head + *path;
  }
  for (const net::FileBlob& f : request.files) {
    std::optional<std::string> path = PlaceholderPath(scratch, f.name);
    if (!path || !f.name.starts_with(kInPrefix)) {
      return refuse(Status::Usage(Msg("\"{}\" is not a name a file can be sent under", f.name)));
    }
    if (Status st = app::WriteFileAtomically(*path, f.bytes); !st.ok()) return refuse(st);
  }
  Context ctx;
  ctx.sink = &sink;
  ctx.serving = &serving;
  result.exit_code = RunCommandLine(ctx, args);
  for (const auto& [path, placeholder] : outputs) {
    ReplaceAll(sink.out, path, placeholder);
    ReplaceAll(sink.err, path, placeholder);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    Result<std::string> bytes = ReadWholeFile(path);
    if (bytes.ok()) result.files.push_back({placeholder, std::move(*bytes)});
  }
  result.out = std::move(sink.out);
  result.err = std::move(sink.err);
  return result;
}

// A library refusal as an HTTP answer of the log's routes: the one-line
// English message (these routes are read by programs, not people).
net::HttpAnswer RefusedAnswer(const Status& st) {
  net::HttpAnswer a;
  a.status = st.code() == Code::kInvalidInput ? 400 : st.code() == Code::kNotFound ? 404 : 500;
  a.body = st.message() + "\n";
  return a;
}

// The log as others follow it (SPEC section 12, Server; docs/FORMAT.md):
// GET /checkpoint (the newest stored checkpoint), the C2SP tlog-tiles under
// /tile/…, and the event feed /events?from=N&limit=K for mirrors. Reads
// of the shared ledger's last whole commit (docs/SERVER.md, Threads).
std::vector<net::Route> LogRoutes(const Ledger& ledger) {
  std::vector<net::Route> routes;
  routes.push_back({R"(/(checkpoint|tile/.+))", [&ledger](const net::HttpRequest& req) {
                      Result<std::string> file = app::TileFile(ledger, req.matches.at(0));
                      if (!file.ok()) return RefusedAnswer(file.status());
                      net::HttpAnswer a;
                      if (req.matches.at(0) != "checkpoint") {
                        a.content_type = "application/octet-stream";
                      }
                      a.body = std::move(*file);
                      return a;
                    }});
  routes.push_back({R"(/events)", [&ledger](const net::HttpRequest& req) {
                      auto number = [&req](const char* name,
                                           uint64_t fallback) -> Result<uint64_t> {
                        for (const auto& [k, v] : req.params) {
                          if (k != name) continue;
                          if (v.empty() || v.size() > 19 ||
                              v.find_first_not_of("0123456789") != std::string::npos) {
                            return Status::InvalidInput(name, Msg("not a whole number: \"{}\"", v));
                          }
                          return std::stoull(v);
                        }
                        return fallback;
                      };
                      Result<uint64_t> from = number("from", 0);
                      if (!from.ok()) return RefusedAnswer(from.status());
                      Result<uint64_t> limit = number("limit", app::kFeedEventsMax);
                      if (!limit.ok()) return RefusedAnswer(limit.status());
                      Result<std::string> page = app::EventsFeed(ledger, *from, *limit);
                      if (!page.ok()) return RefusedAnswer(page.status());
                      net::HttpAnswer a;
                      a.content_type = "application/octet-stream";
                      a.body = std::move(*page);
                      return a;
                    }});
  return routes;
}

// Signs a checkpoint at the ledger's size under the lease, when the
// newest stored one is older (app::SignCheckpoint reads one row and writes
// nothing when it is not).
Status SignFreshCheckpoint(app::SharedWriter& writer, const PrivateKey& key) {
  VLEDGER_ASSIGN_OR_RETURN(auto lease, writer.Acquire(kCheckpointLeaseWaitSeconds));
  Result<app::SignedHead> head = app::SignCheckpoint(key, writer.ledger());
  return head.ok() ? Status::Ok() : head.status();
}

// `serve --checkpoint-key`: a thread that keeps the newest checkpoint
// within kCheckpointEverySeconds of the log (every few seconds, not after
// each commit: every stored checkpoint is checked again by `verify`).
class CheckpointSigner {
 public:
  CheckpointSigner(std::shared_ptr<app::SharedWriter> writer, const PrivateKey* key)
      : writer_(std::move(writer)), key_(key) {
    if (key_) thread_ = std::thread([this] { Run(); });
  }
  ~CheckpointSigner() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    // The last commits of the server's life get their checkpoint too.
    if (key_) (void)SignFreshCheckpoint(*writer_, *key_);
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(kCheckpointEverySeconds),
                         [this] { return stop_; })) {
      lock.unlock();
      Status st = SignFreshCheckpoint(*writer_, *key_);
      if (!st.ok()) std::cerr << Tr(st.WithPrefix(Msg("checkpoint"))) << "\n";
      lock.lock();
    }
  }
  std::shared_ptr<app::SharedWriter> writer_;
  const PrivateKey* key_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

Status Serve(Context& ctx, const ServeArgs& args) {
  size_t colon = args.listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    try {
      size_t used = 0;
      port = std::stoi(args.listen.substr(colon + 1), &used);
      if (used != args.listen.size() - colon - 1) port = -1;
    } catch (...) {
      port = -1;
    }
  }
  if (port < 0 || port > 65535) {
    return Status::Usage(Msg("--listen: \"{}\" is not HOST:PORT", args.listen));
  }
  // Before the ledger's own threads start (net/server.h).
  net::BlockStopSignals();
  VLEDGER_ASSIGN_OR_RETURN(auto writer, ctx.Session().OpenSharedWriter());
  // The catalogs' binding is the process's: made before any thread runs.
  BindCatalog();
  Serving serving{ctx.options.ledger_dir, writer, nullptr};
  // --checkpoint-key: read once, before listening (a bad file is refused
  // at start, not at the first signing).
  std::optional<PrivateKey> checkpoint_key;
  if (!args.checkpoint_key.empty()) {
    app::SessionOptions key_options = ctx.Session().options();
    key_options.key_path = args.checkpoint_key;
    VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, app::Session(key_options).SigningKey());
    checkpoint_key.emplace(std::move(key));
    VLEDGER_TRY(SignFreshCheckpoint(*writer, *checkpoint_key));
  }
  CheckpointSigner signer_thread(writer, checkpoint_key ? &*checkpoint_key : nullptr);
  net::ServeOptions options;
  options.routes = LogRoutes(writer->ledger());
  options.host = args.listen.substr(0, colon);
  options.port = port;
  options.tls_cert = args.tls_cert;
  options.tls_key = args.tls_key;
  bool tls = !args.tls_cert.empty();
  options.on_listening = [&ctx, &options, tls](int bound) {
    ctx.PrintRaw(Tr("listening on {}://{}:{}", tls ? "https" : "http", options.host, bound) + "\n");
  };
  return net::Serve(
      options, [&serving](const net::CommandRequest& request, std::shared_ptr<app::Signer> signer) {
        return RunServed(serving, request, std::move(signer));
      });
}

}  // namespace
}  // namespace vledger::cli

int main(int argc, char** argv) {
  vledger::cli::Context ctx;
  vledger::cli::Network network;
  network.serve = vledger::cli::Serve;
  network.remote = vledger::cli::RunRemotely;
  network.mirror_source = vledger::cli::HttpMirrorSource;
  ctx.network = &network;
  return vledger::cli::RunCommandLine(ctx, std::vector<std::string>(argv + 1, argv + argc));
}
