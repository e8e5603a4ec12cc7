// vledger-net's `serve` (SPEC section 12, docs/SERVER.md): the county
// server's front end. Each request's command line runs through the CLI's
// own RunCommandLine against the shared writer; the log's routes
// (/checkpoint, /tile/…, /events) and the checkpointer thread live here.
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "exit_code.h"
#include "net_files.h"
#include "net_parts.h"
#include "vledger/app/checkpoint.h"
#include "vledger/app/feed.h"
#include "vledger/app/report.h"
#include "vledger/app/tiles.h"
#include "vledger/net/server.h"

namespace vledger::cli {
namespace {

namespace fs = std::filesystem;

// `serve --checkpoint-key`: how often the newest checkpoint is brought up
// to the log's size, and how long a signing waits for the lease.
constexpr int kCheckpointEverySeconds = 5;
constexpr int kCheckpointLeaseWaitSeconds = 20;

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
  switch (st.code()) {
    case Code::kInvalidInput:
      a.status = 400;
      break;
    case Code::kNotFound:
      a.status = 404;
      break;
    case Code::kConflict:  // /events from a seq that is no commit's start of this log
      a.status = 409;
      break;
    default:
      a.status = 500;
  }
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

}  // namespace

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

}  // namespace vledger::cli
