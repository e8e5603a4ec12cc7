#include "mirror_http.h"

#include <httplib.h>

#include <memory>

namespace vledger::cli {
namespace {

constexpr time_t kConnectTimeoutSeconds = 10;
constexpr time_t kReadTimeoutSeconds = 120;
// How much of an error answer's body a message quotes.
constexpr size_t kQuotedBodyBytesMax = 200;

struct Server {
  std::string url;     // as given, for messages
  std::string origin;  // scheme://host[:port]
  std::string prefix;  // the path before /checkpoint and /events ("" or "/x")
};

// The first line of an error answer (the server's one-line error).
std::string FirstLine(const std::string& body) {
  std::string line = body.substr(0, body.find('\n'));
  if (line.size() > kQuotedBodyBytesMax) line.resize(kQuotedBodyBytesMax);
  return line;
}

// GET `path`: the body of a 200 answer; with `absent`, a 404 sets it and
// gives an empty body; anything else is Unavailable.
Result<std::string> Get(const Server& server, const std::string& path, bool* absent) {
  httplib::Client client(server.origin);
  client.set_connection_timeout(kConnectTimeoutSeconds);
  client.set_read_timeout(kReadTimeoutSeconds);
  std::string body;
  bool too_large = false;
  httplib::Result res = client.Get(server.prefix + path, [&](const char* data, size_t length) {
    if (body.size() + length > kMirrorBodyBytesMax) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  const std::string where = server.url + path;
  if (too_large) {
    return Status::Unavailable(
        Msg("{}: the answer is over {} MiB", where, kMirrorBodyBytesMax >> 20));
  }
  if (!res) {
    return Status::Unavailable(Msg("cannot reach {}: {}", where, httplib::to_string(res.error())));
  }
  if (res->status == 404 && absent != nullptr) {
    *absent = true;
    return std::string();
  }
  if (res->status == 409) {
    // The replica's size is not where a commit of the server's log starts
    // (app/feed.h): the server does not hold the replica's history.
    return Status::VerificationFailed(Msg("{}: {}: the server's history was rewritten (a fork)",
                                          where, FirstLine(body.empty() ? res->body : body)));
  }
  if (res->status != 200) {
    return Status::Unavailable(
        Msg("{}: HTTP {}: {}", where, res->status, FirstLine(body.empty() ? res->body : body)));
  }
  return body;
}

}  // namespace

Result<app::MirrorSource> HttpMirrorSource(const std::string& url) {
  size_t scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return Status::InvalidInput("URL", Msg("\"{}\" is not an http:// or https:// URL", url));
  }
  size_t path_at = url.find('/', scheme_end + 3);
  auto server = std::make_shared<Server>();
  server->url = url;
  while (!server->url.empty() && server->url.back() == '/') server->url.pop_back();
  server->origin = url.substr(0, path_at);
  if (path_at != std::string::npos) server->prefix = url.substr(path_at);
  while (!server->prefix.empty() && server->prefix.back() == '/') server->prefix.pop_back();
  if (server->origin.size() <= scheme_end + 3 || !httplib::Client(server->origin).is_valid()) {
    return Status::InvalidInput("URL", Msg("\"{}\" names no server", url));
  }
  app::MirrorSource source;
  source.name = server->url;
  source.checkpoint = [server]() -> Result<std::string> {
    bool absent = false;
    return Get(*server, "/checkpoint", &absent);
  };
  source.events = [server](uint64_t from, uint64_t limit) -> Result<std::string> {
    std::string path = "/events?from=" + std::to_string(from) + "&limit=" + std::to_string(limit);
    return Get(*server, path, nullptr);
  };
  return source;
}

}  // namespace vledger::cli
