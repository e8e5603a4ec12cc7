#include "vledger/net/server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"

namespace vledger::net {
namespace {

// Commands running at once (each on a thread of its own); more are
// answered 503 until one ends.
constexpr size_t kCommandsMax = 256;

// A command started by /v1/run, and the handshake of each item it signs
// (a command may sign several: an import's commits, publish's checkpoint
// and commit), one at a time.
struct Pending {
  enum class State { kRunning, kAwaitingSignature, kSigned, kExpired, kDone };
  std::mutex mu;
  std::condition_variable cv;
  State state = State::kRunning;
  app::CommitToSign commit;
  std::optional<app::CheckpointToSign> checkpoint;  // set: the item is this checkpoint
  std::string signature;
  CommandOutput output;
  std::thread thread;
};

// Signs by handing the commit to the client and waiting for its
// signature, at most the lease.
class RemoteSigner final : public app::Signer {
 public:
  RemoteSigner(std::shared_ptr<Pending> pending, std::string key_id, int lease_ms)
      : pending_(std::move(pending)), key_id_(std::move(key_id)), lease_ms_(lease_ms) {}
  const std::string& key_id() const override { return key_id_; }
  bool remote() const override { return true; }

  Result<std::string> Sign(const app::CommitToSign& commit) override {
    std::unique_lock lock(pending_->mu);
    pending_->commit = commit;
    pending_->checkpoint.reset();
    if (!AwaitSignature(lock)) {
      return Status::Unavailable(
          Msg("the lease of commit {}..{} expired before its signature came (send the command "
              "again)",
              commit.first, commit.last));
    }
    return pending_->signature;
  }

  Result<std::string> SignCheckpoint(const app::CheckpointToSign& checkpoint) override {
    std::unique_lock lock(pending_->mu);
    pending_->commit = {};
    pending_->checkpoint = checkpoint;
    if (!AwaitSignature(lock)) {
      return Status::Unavailable(
          Msg("the lease of the checkpoint at size {} expired before its signature came (send "
              "the command again)",
              checkpoint.head.size));
    }
    return pending_->signature;
  }

 private:
  // Hands the item set in *pending_ to the client and waits, at most the
  // lease, for its signature. Under the Pending's lock.
  bool AwaitSignature(std::unique_lock<std::mutex>& lock) {
    Pending& p = *pending_;
    p.state = Pending::State::kAwaitingSignature;
    p.cv.notify_all();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(lease_ms_);
    if (!p.cv.wait_until(lock, deadline, [&] { return p.state == Pending::State::kSigned; })) {
      p.state = Pending::State::kExpired;
      return false;
    }
    return true;
  }

  std::shared_ptr<Pending> pending_;
  std::string key_id_;
  int lease_ms_;
};

int HttpStatusOf(int exit_code) {
  switch (exit_code) {
    case 0:
      return 200;
    case 1:
      return 409;
    case 2:
      return 400;
    case 3:
      return 422;
    case 4:
      return 503;
    default:
      return 500;
  }
}

void AnswerError(httplib::Response& res, int http_status, const std::string& line, int exit_code) {
  res.status = http_status;
  res.set_content(EncodeError(line, exit_code), "application/json");
}

// 429 with Retry-After: the request ran nothing; send it again then.
void AnswerTooMany(httplib::Response& res, int retry_after_s, const std::string& line) {
  res.set_header("Retry-After", std::to_string(retry_after_s));
  AnswerError(res, 429, line, 4);
}

int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The first line of a command's stderr, without the "vledger: error: ".
std::string FirstLine(const std::string& err) {
  std::string line = err.substr(0, err.find('\n'));
  return line;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    out += w;
    out += '\0';
  }
  return out;
}

// Raises a generation when the handler that made it ends (the write it
// may have made is then visible to every read).
class GenerationRaiser {
 public:
  explicit GenerationRaiser(std::atomic<uint64_t>& generation) : generation_(generation) {}
  ~GenerationRaiser() { generation_.fetch_add(1); }
  GenerationRaiser(const GenerationRaiser&) = delete;
  GenerationRaiser& operator=(const GenerationRaiser&) = delete;

 private:
  std::atomic<uint64_t>& generation_;
};

// The answers of reads that depend on the events alone (not on stored
// checkpoints, reports or files), kept while no write was made and within
// the same minute of the clock (a read that counts days, such as a
// resident's age, sees the date change within a minute). Bounded: when
// full it starts over.
class ReadCache {
 public:
  struct Key {
    uint64_t generation;
    int64_t minute;
    std::string request;  // the caller's key id and the command line
  };
  static bool Cacheable(std::string_view command) {
    static constexpr std::string_view kCached[] = {
        "balance", "history", "rank", "fund", "statement", "summary", "household", "resident",
        "rule",    "village", "shop", "log",  "key",       "grade",   "benefit"};
    return std::find(std::begin(kCached), std::end(kCached), command) != std::end(kCached);
  }
  std::optional<std::string> Find(const Key& key) {
    std::lock_guard lock(mu_);
    if (key.generation != generation_ || key.minute != minute_) return std::nullopt;
    auto it = answers_.find(key.request);
    if (it == answers_.end()) return std::nullopt;
    return it->second;
  }
  void Insert(const Key& key, const std::string& body) {
    std::lock_guard lock(mu_);
    if (key.generation != generation_ || key.minute != minute_) {
      if (key.generation < generation_ || (key.generation == generation_ && key.minute < minute_)) {
        return;  // made before the newest write or minute: not kept
      }
      answers_.clear();
      bytes_ = 0;
      generation_ = key.generation;
      minute_ = key.minute;
    }
    if (answers_.size() >= kEntriesMax || bytes_ + key.request.size() + body.size() > kBytesMax) {
      answers_.clear();
      bytes_ = 0;
    }
    if (answers_.emplace(key.request, body).second) bytes_ += key.request.size() + body.size();
  }

 private:
  static constexpr size_t kEntriesMax = 4096;
  static constexpr size_t kBytesMax = 64 << 20;
  std::mutex mu_;
  uint64_t generation_ = 0;
  int64_t minute_ = 0;
  std::map<std::string, std::string> answers_;
  size_t bytes_ = 0;
};

class Server {
 public:
  // Signed requests are taken when made from `known_since_s` on (NonceCache).
  Server(const ServeOptions& options, const RunCommand& run, bool tls, int64_t known_since_s)
      : options_(options),
        run_(run),
        tls_(tls),
        by_address_(options.address_rate, options.address_burst),
        by_key_(options.key_rate, options.key_burst),
        nonces_(kNoncesMax, known_since_s) {}

  void Route(httplib::Server& http) {
    // Every request, of every route, takes a token of its address first:
    // here for those without a body; a POST in its handler, once its body
    // was read (answered before, the body left unread would be taken for
    // the connection's next request).
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.method == "POST" || !AddressLimited(req, res)) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      return httplib::Server::HandlerResponse::Handled;
    });
    http.Post("/v1/run",
              [this](const httplib::Request& req, httplib::Response& res) { HandleRun(req, res); });
    http.Post("/v1/commit", [this](const httplib::Request& req, httplib::Response& res) {
      HandleCommit(req, res);
    });
    http.Get(R"(/v1/(.+))",
             [this](const httplib::Request& req, httplib::Response& res) { HandleRead(req, res); });
    for (const net::Route& route : options_.routes) {
      auto handler = route.handler;
      http.Get(route.pattern, [handler](const httplib::Request& req, httplib::Response& res) {
        HttpRequest r;
        r.path = req.path;
        for (size_t i = 1; i < req.matches.size(); i++) r.matches.push_back(req.matches[i]);
        for (const auto& [k, v] : req.params) r.params.emplace_back(k, v);
        HttpAnswer a = handler(r);
        res.status = a.status;
        res.set_content(a.body, a.content_type);
      });
    }
  }

  // Waits for every command thread (their leases end within lease_ms).
  void JoinAll() {
    std::map<std::string, std::shared_ptr<Pending>> leases;
    std::set<std::shared_ptr<Pending>> running;
    {
      std::lock_guard lock(mu_);
      leases.swap(leases_);
      running.swap(running_);
    }
    for (auto& p : running) {
      if (p->thread.joinable()) p->thread.join();
    }
  }

 private:
  // Whether `req` is beyond its address's rate: then answered 429.
  bool AddressLimited(const httplib::Request& req, httplib::Response& res) {
    std::optional<int> wait = by_address_.Take(req.remote_addr, std::chrono::steady_clock::now());
    if (!wait) return false;
    AnswerTooMany(res, *wait,
                  "too many requests from " + req.remote_addr + ": send again in " +
                      std::to_string(*wait) + " s");
    return true;
  }

  // Who sent `req`: its signature checked (an unsigned request: nobody),
  // or the refusal already answered (nullopt).
  std::optional<Caller> Authenticate(const httplib::Request& req, httplib::Response& res) {
    if (!req.has_header("Signature-Input") && !req.has_header("Signature")) return Caller{};
    SignedMessage message;
    message.method = req.method;
    message.scheme = tls_ ? "https" : "http";
    message.authority = req.get_header_value("Host");
    message.target = req.target;
    for (const auto& [name, value] : req.headers) message.fields.emplace_back(name, value);
    Result<Caller> caller =
        options_.keys != nullptr
            ? CheckSignedRequest(message, req.body, *options_.keys, nonces_, UnixSeconds())
            : Result<Caller>(Status::PermissionDenied("signed requests are not checked here"));
    if (caller.ok()) return std::move(*caller);
    if (caller.status().code() == Code::kUnavailable) {
      AnswerError(res, 503, caller.status().message(), 4);
    } else {
      AnswerError(res, 401, caller.status().message(), 3);
    }
    return std::nullopt;
  }

  // Starts `request` on a thread of its own; waits until it ends or asks
  // for a signature.
  Result<std::shared_ptr<Pending>> Start(const CommandRequest& request, const Caller& caller) {
    auto pending = std::make_shared<Pending>();
    {
      std::lock_guard lock(mu_);
      Sweep();
      if (running_.size() >= kCommandsMax) {
        return Status::Unavailable(Msg("the server is busy: {} commands running", running_.size()));
      }
      running_.insert(pending);
    }
    std::shared_ptr<app::Signer> signer;
    if (!request.key_id.empty()) {
      signer = std::make_shared<RemoteSigner>(pending, request.key_id, options_.lease_ms);
    }
    pending->thread = std::thread([this, pending, request, signer, caller] {
      CommandOutput out = run_(request, signer, caller);
      std::lock_guard lock(pending->mu);
      pending->output = std::move(out);
      pending->state = Pending::State::kDone;
      pending->cv.notify_all();
    });
    std::unique_lock lock(pending->mu);
    pending->cv.wait(lock, [&] { return pending->state != Pending::State::kRunning; });
    return pending;
  }

  // Forgets commands that ended (their threads joined). Under mu_.
  void Sweep() {
    for (auto it = running_.begin(); it != running_.end();) {
      std::shared_ptr<Pending> p = *it;
      bool done;
      {
        std::lock_guard lock(p->mu);
        done = p->state == Pending::State::kDone;
      }
      if (done && p->thread.joinable()) {
        p->thread.join();
        for (auto l = leases_.begin(); l != leases_.end();) {
          l = l->second == p ? leases_.erase(l) : std::next(l);
        }
        it = running_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // The output of an ended command; its thread joined by whoever takes it
  // out of running_ (here, or Sweep). Lock order: mu_ before a Pending's
  // mu, never the other way round.
  CommandOutput Finish(const std::shared_ptr<Pending>& p) {
    {
      std::unique_lock lock(p->mu);
      p->cv.wait(lock, [&] { return p->state == Pending::State::kDone; });
    }
    bool mine;
    {
      std::lock_guard lock(mu_);
      mine = running_.erase(p) > 0;
    }
    if (mine && p->thread.joinable()) p->thread.join();
    return p->output;
  }

  void HandleRun(const httplib::Request& req, httplib::Response& res) {
    if (AddressLimited(req, res)) return;
    std::optional<Caller> caller = Authenticate(req, res);
    if (!caller) return;
    Result<CommandRequest> request = ParseRequest(req.body);
    if (!request.ok()) return AnswerError(res, 400, request.status().message(), 2);
    // A commit's key is the key that signed the request.
    if (!request->key_id.empty() && request->key_id != caller->key_id) {
      return AnswerError(
          res, 401,
          caller->key_id.empty()
              ? "a request naming key " + request->key_id + " must be signed by it"
              : "the request names key " + request->key_id + " but is signed by " + caller->key_id,
          3);
    }
    if (!caller->key_id.empty()) {
      if (std::optional<int> wait =
              by_key_.Take(caller->key_id, std::chrono::steady_clock::now())) {
        return AnswerTooMany(res, *wait,
                             "too many requests of key " + caller->key_id + ": send again in " +
                                 std::to_string(*wait) + " s");
      }
    }
    Result<std::shared_ptr<Pending>> started = Start(*request, *caller);
    if (!started.ok()) return AnswerError(res, 503, started.status().message(), 4);
    res.set_content(EncodeAnswer(AnswerOf(*started)), "application/json");
  }

  // The answer of a command that ended or awaits a signature: its output,
  // or the item to sign under a fresh lease.
  RunAnswer AnswerOf(const std::shared_ptr<Pending>& p) {
    RunAnswer answer;
    {
      std::lock_guard lock(p->mu);
      if (p->state == Pending::State::kAwaitingSignature) {
        answer.sign = Prepared{Hex(RandomBytes(16)), p->commit, p->checkpoint};
      }
    }
    if (answer.sign) {
      // Should the lease end meanwhile, /v1/commit finds it expired.
      std::lock_guard lock(mu_);
      leases_[answer.sign->lease] = p;
    } else {
      answer.done = Finish(p);
    }
    return answer;
  }

  void HandleCommit(const httplib::Request& req, httplib::Response& res) {
    GenerationRaiser raise(generation_);
    if (AddressLimited(req, res) || !Authenticate(req, res)) return;
    Result<CommitSignature> signature = ParseSignature(req.body);
    if (!signature.ok()) return AnswerError(res, 400, signature.status().message(), 2);
    std::shared_ptr<Pending> p;
    {
      std::lock_guard lock(mu_);
      auto it = leases_.find(signature->lease);
      if (it != leases_.end()) {
        p = it->second;
        leases_.erase(it);
      }
    }
    bool signed_in_time = false;
    if (p) {
      std::lock_guard lock(p->mu);
      if (p->state == Pending::State::kAwaitingSignature) {
        p->signature = signature->signature;
        p->state = Pending::State::kSigned;
        p->cv.notify_all();
        signed_in_time = true;
      }
    }
    if (!signed_in_time) {
      return AnswerError(res, 409, "lease expired: nothing was written (prepare the commit again)",
                         4);
    }
    // The command goes on: it ends, or asks for its next signature.
    {
      std::unique_lock lock(p->mu);
      p->cv.wait(lock, [&] {
        return p->state == Pending::State::kDone || p->state == Pending::State::kAwaitingSignature;
      });
    }
    res.set_content(EncodeAnswer(AnswerOf(p)), "application/json");
  }

  // GET /v1/balance/R?at=5 runs `balance R --at 5 --json`.
  void HandleRead(const httplib::Request& req, httplib::Response& res) {
    std::optional<Caller> caller = Authenticate(req, res);
    if (!caller) return;
    CommandRequest request;
    std::string path = req.matches[1];
    for (size_t at = 0; at <= path.size();) {
      size_t slash = std::min(path.find('/', at), path.size());
      if (slash > at) request.args.push_back(path.substr(at, slash - at));
      at = slash + 1;
    }
    if (request.args.empty() || !IsReadRoute(request.args[0])) {
      return AnswerError(res, 404, "no such read (see docs/SERVER.md)", 2);
    }
    if (request.args.size() + 2 * req.params.size() + 3 > kArgsMax) {
      return AnswerError(res, 400, "too many parameters", 2);
    }
    for (const auto& [name, value] : req.params) {
      request.args.push_back("--" + name);
      if (!value.empty()) request.args.push_back(value);
    }
    request.args.push_back("--json");
    request.args.push_back("--lang");
    request.args.push_back("en");
    // The answer of a read of the events alone, kept until the next write
    // (docs/SERVER.md, "Cached reads").
    std::optional<ReadCache::Key> cached;
    if (ReadCache::Cacheable(request.args[0])) {
      cached = ReadCache::Key{generation_.load(), UnixSeconds() / 60,
                              caller->key_id + '\n' + Joined(request.args)};
      if (std::optional<std::string> body = cache_.Find(*cached)) {
        return res.set_content(*body, "application/json");
      }
    }
    Result<std::shared_ptr<Pending>> started = Start(request, *caller);
    if (!started.ok()) return AnswerError(res, 503, started.status().message(), 4);
    CommandOutput out = Finish(*started);
    if (out.exit_code != 0) {
      return AnswerError(res, HttpStatusOf(out.exit_code), FirstLine(out.err), out.exit_code);
    }
    if (cached) cache_.Insert(*cached, out.out);
    res.set_content(out.out, "application/json");
  }

  const ServeOptions& options_;
  const RunCommand& run_;
  bool tls_;
  RateLimiter by_address_, by_key_;
  NonceCache nonces_;
  // Raised after every /v1/commit (every write is signed, so it ends in
  // one): a cached read of an older generation is not used.
  std::atomic<uint64_t> generation_{0};
  ReadCache cache_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Pending>> leases_;
  std::set<std::shared_ptr<Pending>> running_;
};

}  // namespace

bool IsReadRoute(std::string_view command) {
  static constexpr std::string_view kReads[] = {
      "balance",     "history", "rank",    "log",    "fund",      "statement", "checkpoint",
      "consistency", "prove",   "summary", "report", "household", "resident",  "rule",
      "village",     "shop",    "verify",  "key",    "grade",     "benefit"};
  return std::find(std::begin(kReads), std::end(kReads), command) != std::end(kReads);
}

namespace {

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

}  // namespace

void BlockStopSignals() {
  sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

Status Serve(const ServeOptions& options, const RunCommand& run) {
  // SIGTERM and SIGINT are taken by one thread (sigwait), which stops the
  // server; every other thread, made after this, has them blocked.
  sigset_t stop_signals = StopSignals();
  BlockStopSignals();
  // A client that goes away mid-answer must not end the server.
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<httplib::Server> http;
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty()) {
      return Status::Usage("--tls-cert and --tls-key go together");
    }
    auto tls =
        std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!tls->is_valid()) {
      return Status::Unavailable(
          Msg("cannot use the TLS certificate {} and key {}", options.tls_cert, options.tls_key));
    }
    http = std::move(tls);
  } else {
    http = std::make_unique<httplib::Server>();
  }
  int threads = std::max(options.threads, 4);
  http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http->set_read_timeout(options.read_timeout_s, 0);
  http->set_write_timeout(options.write_timeout_s, 0);
  http->set_payload_max_length(options.request_bytes_max);
  http->set_keep_alive_max_count(1000);
  http->set_tcp_nodelay(true);
  // The nonces of signed requests are kept in memory: one signed before
  // this process started may have been taken by an earlier one, so it is
  // answered "sign it again" (request_guard.h). Signatures carry whole
  // seconds: requests are taken from the next whole second on, no sooner.
  const int64_t known_since_s = UnixSeconds() + 1;
  std::this_thread::sleep_until(
      std::chrono::system_clock::time_point(std::chrono::seconds(known_since_s)));
  Server server(options, run, !options.tls_cert.empty(), known_since_s);
  server.Route(*http);

  int port = options.port == 0
                 ? http->bind_to_any_port(options.host)
                 : (http->bind_to_port(options.host, options.port) ? options.port : -1);
  if (port < 0) {
    return Status::Unavailable(Msg("cannot listen on {}:{}", options.host, options.port));
  }
  if (options.on_listening) options.on_listening(port);
  std::atomic<bool> stopping = false;
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    stopping = true;
    http->stop();
  });
  http->listen_after_bind();
  // Ended without a signal (the listening socket failed): wake the stopper.
  if (!stopping) pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  server.JoinAll();
  return Status::Ok();
}

}  // namespace vledger::net
