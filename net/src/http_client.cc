#include "vledger/net/http_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <utility>

namespace vledger::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// Runs the asynchronous operation that `start` begins until it ends or
// its stream's deadline passes. The client is synchronous, and Beast's
// deadlines hold for asynchronous operations only.
template <class Start>
error_code RunOne(asio::io_context& io, Start&& start) {
  error_code result = asio::error::would_block;
  start([&result](error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

// Whether `s` names an IP address (TLS then sends no server name, and the
// certificate must name the address).
bool IsAddress(const std::string& s) {
  error_code ec;
  (void)asio::ip::make_address(s, ec);
  return !ec;
}

// A TLS client context as asio::ssl::context(tls_client) makes one, which
// trusts the certificates of `ca_file` ("": the system's CAs); nullptr
// when it cannot be made, with OpenSSL's error in *error and whether the
// CAs were the cause in *ca_failed. OpenSSL only: StartTlsContext runs
// it before this file's initializers.
SSL_CTX* NewClientContext(const char* ca_file, unsigned long* error, bool* ca_failed) {
  ERR_clear_error();
  *error = 0;
  *ca_failed = false;
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) {
    *error = ERR_get_error();
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(context, TLS1_VERSION);
  SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION);
  int loaded = *ca_file == '\0' ? SSL_CTX_set_default_verify_paths(context)
                                : SSL_CTX_load_verify_locations(context, ca_file, nullptr);
  if (loaded != 1) {
    *error = ERR_get_error();
    *ca_failed = true;
    SSL_CTX_free(context);
    return nullptr;
  }
  return context;
}

// The context StartTlsContext makes. Constant-initialized (no constructor
// runs), since it is written before this file's initializers run.
struct StartedContext {
  std::mutex mu;
  bool started = false;  // the thread was started, and not yet joined
  pthread_t thread{};
  char* ca_file = nullptr;     // what it is made for (malloc'ed)
  SSL_CTX* context = nullptr;  // what the thread made; nullptr: it could not
  // The CPUs the process may use, when the thread was started on the
  // others than its starter's; it then goes back to all of them.
  bool placed = false;
  cpu_set_t cpus{};
};
constinit StartedContext started_context;

void* MakeStartedContext(void*) {
  if (started_context.placed)
    sched_setaffinity(0, sizeof started_context.cpus, &started_context.cpus);
  // Without OpenSSL's clean-up at exit: the program may end while this
  // thread works (header). It starts OpenSSL with its error strings, as
  // SSL_CTX_new would; the errors it finds stay in this thread.
  OPENSSL_init_ssl(
      OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS,
      nullptr);
  unsigned long error = 0;
  bool ca_failed = false;
  started_context.context = NewClientContext(started_context.ca_file, &error, &ca_failed);
  ERR_clear_error();
  return nullptr;
}

// The context StartTlsContext made, when it was made for `ca_file` (the
// caller owns it); nullptr when none was started or it was for another
// file or could not be made (the caller then makes its own, and reports
// what fails).
SSL_CTX* TakeStartedContext(const std::string& ca_file) {
  std::lock_guard<std::mutex> lock(started_context.mu);
  if (!started_context.started) return nullptr;
  started_context.started = false;
  pthread_join(started_context.thread, nullptr);
  SSL_CTX* context = std::exchange(started_context.context, nullptr);
  if (context != nullptr && ca_file != started_context.ca_file) {
    SSL_CTX_free(context);
    context = nullptr;
  }
  std::free(std::exchange(started_context.ca_file, nullptr));
  return context;
}

}  // namespace

void StartTlsContext(const char* ca_file) {
  std::lock_guard<std::mutex> lock(started_context.mu);
  if (started_context.started) return;
  started_context.ca_file = ::strdup(ca_file);
  if (started_context.ca_file == nullptr) return;
  // Started on another CPU than this thread's, when there is one: a new
  // thread is otherwise queued on its starter's CPU, which the program's
  // initializers keep busy, and waited there up to 4 ms on the bench
  // machine (bench/history.md, twenty-first round). It goes back to every
  // CPU once it runs.
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) {
    std::free(std::exchange(started_context.ca_file, nullptr));
    return;
  }
  cpu_set_t others;
  const int here = sched_getcpu();
  if (sched_getaffinity(0, sizeof started_context.cpus, &started_context.cpus) == 0 && here >= 0 &&
      CPU_ISSET(here, &started_context.cpus) && CPU_COUNT(&started_context.cpus) > 1) {
    others = started_context.cpus;
    CPU_CLR(here, &others);
    started_context.placed = pthread_attr_setaffinity_np(&attr, sizeof others, &others) == 0;
  }
  started_context.started =
      pthread_create(&started_context.thread, &attr, MakeStartedContext, nullptr) == 0;
  pthread_attr_destroy(&attr);
  if (!started_context.started) std::free(std::exchange(started_context.ca_file, nullptr));
}

struct HttpClient::Impl {
  std::string host, port, authority;
  bool tls = false;
  HttpOptions options;
  asio::io_context io;
  std::unique_ptr<asio::ssl::context> tls_context;
  // At most one of them is open: the connection kept between requests.
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;  // bytes read past an answer, for the next

  std::chrono::seconds timeout() const { return std::chrono::seconds(options.timeout_s); }
  bool connected() const { return plain != nullptr || secure != nullptr; }
  beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*secure); }

  void Close() {
    if (connected()) {
      error_code ignored;
      lowest().socket().close(ignored);
    }
    secure.reset();
    plain.reset();
    buffer.clear();
  }

  // Whether the kept connection can take another request: the server has
  // sent nothing since its last answer (a close, or anything else).
  bool StillOpen() {
    pollfd p{lowest().socket().native_handle(), POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
  }

  // Connects (and shakes hands over TLS); "" or why not. `tcp_made`: a
  // connection was made (a TLS handshake that fails comes after one).
  // `untrusted`: why the server's certificate was not trusted, if the
  // handshake failed on it.
  std::string Connect(bool& tcp_made, std::string& untrusted) {
    tcp_made = false;
    untrusted.clear();
    Close();
    const std::string where = host + ":" + port;
    tcp::resolver resolver(io);
    error_code ec;
    tcp::resolver::results_type endpoints = resolver.resolve(host, port, ec);
    if (ec) return "cannot resolve " + host + ": " + ec.message();
    auto stream = std::make_unique<beast::tcp_stream>(io);
    stream->expires_after(timeout());
    ec = RunOne(io, [&](auto done) { stream->async_connect(endpoints, std::move(done)); });
    if (ec) return "cannot connect to " + where + ": " + ec.message();
    tcp_made = true;
    // Each request is written as headers, then body: without this, Nagle's
    // algorithm and delayed acknowledgements add 40 ms to each.
    stream->socket().set_option(tcp::no_delay(true), ec);
    if (!tls) {
      plain = std::move(stream);
      return "";
    }
    secure =
        std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*stream), *tls_context);
    // The certificate must be for the URL's host: OpenSSL checks the name
    // (sent as the server name too) or the IP address in the chain's check.
    SSL* ssl = secure->native_handle();
    bool named = IsAddress(host)
                     ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1
                     : SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 &&
                           SSL_set1_host(ssl, host.c_str()) == 1;
    if (!named) {
      Close();
      return "cannot set the TLS server name " + host;
    }
    secure->set_verify_mode(asio::ssl::verify_peer);
    beast::get_lowest_layer(*secure).expires_after(timeout());
    ec = RunOne(io, [&](auto done) {
      secure->async_handshake(asio::ssl::stream_base::client, std::move(done));
    });
    if (ec) {
      std::string why = "TLS with " + where + ": " + ec.message();
      if (ec.category() == asio::error::get_ssl_category() &&
          ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
              SSL_R_CERTIFICATE_VERIFY_FAILED) {
        // Not signed by a CA trusted here, or not for the host (OpenSSL's
        // reason: "self-signed certificate", "hostname mismatch", ...).
        untrusted = X509_verify_cert_error_string(SSL_get_verify_result(ssl));
        why = "the certificate of " + where + " is not trusted here (" + untrusted + ")";
      }
      Close();
      return why;
    }
    return "";
  }

  template <class Stream>
  HttpAnswer Exchange(Stream& stream, http::request<http::string_body>& request) {
    HttpAnswer answer;
    lowest().expires_after(timeout());
    error_code ec =
        RunOne(io, [&](auto done) { http::async_write(stream, request, std::move(done)); });
    if (ec) {
      Close();
      answer.error = "sending: " + ec.message();
      return answer;
    }
    http::response_parser<http::string_body> parser;
    // A command's output (`log`, `export`) has no bound of its own, and
    // cpp-httplib's client set none either. (Boost 1.74 compares a body's
    // length with boost::none, "no limit", as larger than it: an answer
    // whose header came apart from its body failed.)
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    lowest().expires_after(timeout());
    ec = RunOne(io, [&](auto done) { http::async_read(stream, buffer, parser, std::move(done)); });
    if (ec) {
      Close();
      answer.error = "receiving: " + ec.message();
      return answer;
    }
    http::response<http::string_body> response = parser.release();
    answer.status = static_cast<int>(response.result_int());
    answer.retry_after = std::string(response[http::field::retry_after]);
    answer.body = std::move(response.body());
    if (!response.keep_alive()) Close();
    return answer;
  }
};

Result<std::unique_ptr<HttpClient>> HttpClient::Open(const std::string& url,
                                                     const HttpOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::string rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
    impl->tls = true;
  }
  // HOST[:PORT] and nothing after it, HOST a name or [IPv6].
  size_t host_end = 0;
  if (rest.starts_with('[')) {
    host_end = rest.find(']');
    if (host_end != std::string::npos) {
      impl->host = rest.substr(1, host_end - 1);
      host_end++;
    }
  } else {
    host_end = rest.find_first_of(":/?#");
    if (host_end == std::string::npos) host_end = rest.size();
    impl->host = rest.substr(0, host_end);
  }
  bool valid = host_end != std::string::npos && !impl->host.empty();
  if (valid && host_end < rest.size()) {
    impl->port = rest.substr(host_end + 1);
    valid = rest[host_end] == ':' && !impl->port.empty() && impl->port.size() <= 5 &&
            impl->port.find_first_not_of("0123456789") == std::string::npos &&
            std::stoi(impl->port) > 0 && std::stoi(impl->port) <= 65535;
  }
  if (!valid) {
    return Status::InvalidInput("--remote", Msg("\"{}\" is not a URL this program can use", url));
  }
  impl->authority = rest;
  if (impl->port.empty()) impl->port = impl->tls ? "443" : "80";
  if (impl->tls) {
    SSL_CTX* context = TakeStartedContext(options.ca_file);
    unsigned long error = 0;
    bool ca_failed = false;
    if (context == nullptr) context = NewClientContext(options.ca_file.c_str(), &error, &ca_failed);
    if (context == nullptr) {
      const error_code ec(static_cast<int>(error), asio::error::get_ssl_category());
      if (!ca_failed) return Status::Unavailable(Msg("cannot set up TLS: {}", ec.message()));
      if (options.ca_file.empty()) {
        return Status::Unavailable(
            Msg("cannot load the system's CA certificates: {}", ec.message()));
      }
      // Why: the file cannot be read, or OpenSSL's reason ("no
      // certificate or crl found").
      const char* reason = ::access(options.ca_file.c_str(), R_OK) != 0
                               ? std::strerror(errno)
                               : ERR_reason_error_string(error);
      return Status::InvalidInput(
          "--ca", Msg("cannot load the CA certificates of \"{}\": {}", options.ca_file,
                      reason != nullptr ? std::string(reason) : ec.message()));
    }
    impl->tls_context = std::make_unique<asio::ssl::context>(context);
  }
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpClient::~HttpClient() { impl_->Close(); }

const std::string& HttpClient::authority() const { return impl_->authority; }

HttpAnswer HttpClient::Post(const std::string& path,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body, const std::string& content_type) {
  Impl& c = *impl_;
  if (c.connected() && !c.StillOpen()) c.Close();
  if (!c.connected()) {
    bool tcp_made = false;
    HttpAnswer answer;
    answer.error = c.Connect(tcp_made, answer.untrusted);
    if (!answer.error.empty()) {
      answer.unconnected = !tcp_made;
      return answer;
    }
  }
  http::request<http::string_body> request{http::verb::post, path, 11};
  request.set(http::field::host, c.authority);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.set(http::field::content_type, content_type);
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();
  return c.plain ? c.Exchange(*c.plain, request) : c.Exchange(*c.secure, request);
}

}  // namespace vledger::net
