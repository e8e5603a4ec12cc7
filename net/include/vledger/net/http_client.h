// The HTTP/1.1 client of `--remote` and `sync` (net/client.h): one
// connection to a county server, kept open between requests (a command's
// /v1/run, then its /v1/commit), over TLS for https:// URLs. Built on
// Boost.Beast, which is header-only: `vledger` links it with the archive of
// OpenSSL it already links, so a remote command runs in `vledger` itself,
// with no second program started (docs/SERVER.md).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vledger/ledger/status.h"

namespace vledger::net {

struct HttpOptions {
  std::string ca_file;  // TLS: trust the certificates this CA file (PEM) signed
  int timeout_s = 30;   // connecting, each write, each wait for an answer
};

struct HttpAnswer {
  int status = 0;  // 0: no answer; `error` says why
  std::string body;
  std::string retry_after;  // the Retry-After header, as sent
  std::string error;        // why there was no answer
  // No answer because no connection could be made (a refused or
  // unreachable server; not a TLS handshake that failed after connecting).
  bool unconnected = false;
  // No answer because the server's certificate is not trusted (not signed
  // by the CA given, or not for the URL's host): OpenSSL's reason
  // ("self-signed certificate", "hostname mismatch"). Sending again cannot
  // help. Empty otherwise.
  std::string untrusted;
};

// Makes, on a thread of its own, the TLS client context that an https://
// client would make for `ca_file` ("": the system's CAs), so that the
// seconds' fraction OpenSSL takes to start and set one up (about 4.5 ms
// on the bench machine, docs/PERFORMANCE.md) passes while the program
// does the rest of its start. Called at most once, before main() (from a
// constructor of `vledger`: this file's own initializers may not have run
// yet, so it touches nothing they make), when the command line names an
// https:// server. OpenSSL is then started without the clean-up it would
// run at exit, so that a program that ends while the thread still works
// (a usage error) does not free what the thread is using.
void StartTlsContext(const char* ca_file);

class HttpClient {
 public:
  // For URL `http://HOST[:PORT]` or `https://HOST[:PORT]` (HOST may be an
  // IPv6 address in brackets): InvalidInput naming --remote for any other.
  // Nothing is connected yet. Takes the context StartTlsContext made, when
  // it was made for options.ca_file (waiting for it if need be).
  static Result<std::unique_ptr<HttpClient>> Open(const std::string& url,
                                                  const HttpOptions& options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // HOST[:PORT] as the URL gives it: the Host header of every request.
  const std::string& authority() const;

  // POST `body` to `path` with `headers` (Host, Content-Type and
  // Content-Length are added). Connects first when no connection is open,
  // or when the server closed the one kept; a failure is an answer with
  // status 0.
  HttpAnswer Post(const std::string& path,
                  const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body, const std::string& content_type);

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vledger::net
