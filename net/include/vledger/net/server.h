// `vledger serve`: the county server. It holds the ledger's one writer
// for its life and runs, for each request, the command line a client sent
// with the front end's own code (the RunCommand it was given: net/ knows
// nothing of the CLI), on a thread of its own:
//
//  - a read runs against a reader of the ledger's last whole commit, many
//    at once;
//  - a write takes the writer (the lease) once its whole request is read,
//    builds its events, and hands the commit to the client to sign
//    (RemoteSigner). The lease ends when the signature comes (checked,
//    then committed), when lease_ms pass without one (nothing written;
//    the client prepares again), or when the command refuses.
//
// SIGTERM and SIGINT stop it: no new request is taken, the requests in
// flight (a commit among them) finish, then Serve returns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vledger/app/session.h"
#include "vledger/app/signer.h"
#include "vledger/ledger/status.h"
#include "vledger/net/protocol.h"
#include "vledger/net/request_guard.h"

namespace vledger::net {

// Runs one command line as the server's front end would (the CLI's
// RunCommandLine): with the server's ledger, its shared writer and, for a
// commit, `signer` (null: the client gave no key); its reads see the
// people `caller` may see (app/people_view.h).
using RunCommand = std::function<CommandOutput(
    const CommandRequest& request, std::shared_ptr<app::Signer> signer, const Caller& caller)>;

// A request to an added route, and its answer (the HTTP library stays
// inside net/).
struct HttpRequest {
  std::string path;
  std::vector<std::string> matches;                         // the route pattern's groups
  std::vector<std::pair<std::string, std::string>> params;  // the query
};
struct HttpAnswer {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};
// A GET route (ECMAScript regex over the path) and its handler, for the
// feeds other parts of the program serve (/checkpoint, /tile/..., /events).
struct Route {
  std::string pattern;
  std::function<HttpAnswer(const HttpRequest&)> handler;
};

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string tls_cert, tls_key;  // both or neither: PEM files
  int threads = 32;               // requests served at once
  int lease_ms = 5000;            // how long a prepared commit waits for its signature
  int read_timeout_s = 10;        // a request's headers and body, each
  int write_timeout_s = 10;
  size_t request_bytes_max = kRequestBytesMax;
  // The ledger whose registered keys signed requests are checked against
  // (docs/SERVER.md, "Signed requests"); null: every signed request is
  // refused.
  const Ledger* keys = nullptr;
  // Token buckets (docs/SERVER.md, "Limits"): every request of one
  // address; every /v1/run signed by one key. A rate of 0: no limit.
  double address_rate = 20, address_burst = 100;
  double key_rate = 5, key_burst = 50;
  std::vector<Route> routes;  // added GET routes
  // Called once listening, with the port (0 in options: the one chosen).
  std::function<void(int port)> on_listening;
};

// Blocks SIGTERM and SIGINT in the calling thread and so in every thread
// it starts after: Serve takes them in one thread of its own. Called
// before anything starts threads (opening the ledger does), else such a
// thread could take the signal and end the process at once.
void BlockStopSignals();

// Serves until SIGTERM or SIGINT. Unavailable when it cannot listen or
// read the TLS files.
Status Serve(const ServeOptions& options, const RunCommand& run);

// The read commands served under GET /v1/...: their first word.
bool IsReadRoute(std::string_view command);

}  // namespace vledger::net
