// The HTTP client of --remote and `sync` (net/http_client.h) against a
// scripted server on 127.0.0.1: what it sends, answers that arrive in
// pieces, the connection kept between requests or made again, and the
// URLs it refuses.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "vledger/net/http_client.h"

namespace vledger::net {
namespace {

// A server on 127.0.0.1 that runs `script` on each connection it accepts,
// one after another, until it is destroyed.
class ScriptedServer {
 public:
  using Script = std::function<void(int fd, int connection)>;

  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 4), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      for (int n = 0;; n++) {
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) return;  // the listening socket was shut down
        accepted_++;
        script_(fd, n);
        ::close(fd);
      }
    });
  }
  ~ScriptedServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_; }

 private:
  Script script_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// Reads one request (its header and a Content-Length body); "" at the
// connection's end.
std::string ReadRequest(int fd) {
  std::string data;
  char buf[4096];
  while (true) {
    size_t header_end = data.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      size_t length = 0;
      size_t at = data.find("Content-Length: ");
      if (at != std::string::npos && at < header_end) length = std::stoul(data.substr(at + 16));
      if (data.size() >= header_end + 4 + length) return data;
    }
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return "";
    data.append(buf, static_cast<size_t>(n));
  }
}

void Send(int fd, const std::string& bytes) {
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
}

std::unique_ptr<HttpClient> Client(const std::string& url) {
  Result<std::unique_ptr<HttpClient>> client = HttpClient::Open(url, {"", 5});
  EXPECT_TRUE(client.ok()) << client.status().message();
  return client.ok() ? std::move(*client) : nullptr;
}

TEST(HttpClientTest, SendsTheHostTypeLengthAndGivenHeaders) {
  std::string request;
  ScriptedServer server([&](int fd, int) {
    request = ReadRequest(fd);
    Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  auto client = Client(server.url());
  HttpAnswer answer =
      client->Post("/v1/run", {{"Signature", "sig=:abc:"}}, "{\"a\":1}", "application/json");
  EXPECT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(answer.body, "ok");
  client.reset();
  std::string authority = server.url().substr(7);
  EXPECT_EQ(request.substr(0, request.find("\r\n")), "POST /v1/run HTTP/1.1");
  EXPECT_NE(request.find("\r\nHost: " + authority + "\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nContent-Length: 7\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nSignature: sig=:abc:\r\n"), std::string::npos);
  EXPECT_EQ(request.substr(request.size() - 7), "{\"a\":1}");
}

// An answer's header and body in two writes, the second after a pause:
// the header is then parsed alone before the body comes (Boost 1.74 took
// "no body limit" for a limit every body exceeds there).
TEST(HttpClientTest, ReadsAnAnswerWhoseBodyComesAfterItsHeader) {
  ScriptedServer server([](int fd, int) {
    ReadRequest(fd);
    Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Send(fd, "hello world");
  });
  HttpAnswer answer = Client(server.url())->Post("/v1/run", {}, "{}", "application/json");
  EXPECT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(answer.body, "hello world");
}

TEST(HttpClientTest, KeepsTheConnectionBetweenRequests) {
  ScriptedServer server([](int fd, int) {
    while (!ReadRequest(fd).empty()) Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  });
  auto client = Client(server.url());
  EXPECT_EQ(client->Post("/v1/run", {}, "{}", "application/json").status, 200);
  EXPECT_EQ(client->Post("/v1/commit", {}, "{}", "application/json").status, 200);
  client.reset();
  EXPECT_EQ(server.accepted(), 1);
}

// The server ends the kept connection after its answer (its keep-alive
// time passed): the next request goes on a new one.
TEST(HttpClientTest, ConnectsAgainWhenTheServerClosedTheKeptConnection) {
  ScriptedServer server([](int fd, int) {
    ReadRequest(fd);
    Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  });
  auto client = Client(server.url());
  EXPECT_EQ(client->Post("/v1/run", {}, "{}", "application/json").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  HttpAnswer second = client->Post("/v1/commit", {}, "{}", "application/json");
  EXPECT_EQ(second.status, 200) << second.error;
  EXPECT_EQ(second.body, "x");
  client.reset();
  EXPECT_EQ(server.accepted(), 2);
}

TEST(HttpClientTest, GivesTheRetryAfterOfATooManyAnswer) {
  ScriptedServer server([](int fd, int) {
    ReadRequest(fd);
    Send(fd, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 4\r\n\r\nbusy");
  });
  HttpAnswer answer = Client(server.url())->Post("/v1/run", {}, "{}", "application/json");
  EXPECT_EQ(answer.status, 429);
  EXPECT_EQ(answer.retry_after, "7");
  EXPECT_EQ(answer.body, "busy");
}

TEST(HttpClientTest, NoServerListeningIsNoAnswerAndUnconnected) {
  int port;
  {
    // A port that was free a moment ago and has no listener now.
    ScriptedServer gone([](int, int) {});
    port = std::stoi(gone.url().substr(gone.url().rfind(':') + 1));
  }
  HttpAnswer answer = Client("http://127.0.0.1:" + std::to_string(port))
                          ->Post("/v1/run", {}, "{}", "application/json");
  EXPECT_EQ(answer.status, 0);
  EXPECT_TRUE(answer.unconnected);
  EXPECT_NE(answer.error.find("cannot connect to 127.0.0.1:"), std::string::npos) << answer.error;
}

// A server that takes the connection but speaks no TLS: the handshake
// fails after a connection was made, which is not "unconnected" (the
// outbox keeps a command early only when no connection can be made).
TEST(HttpClientTest, ATlsHandshakeThatFailsIsNoAnswerButConnected) {
  ScriptedServer server([](int fd, int) {
    char buf[512];
    (void)::read(fd, buf, sizeof buf);  // the client's hello
    Send(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  });
  std::string url = "https://" + server.url().substr(7);
  HttpAnswer answer = Client(url)->Post("/v1/run", {}, "{}", "application/json");
  EXPECT_EQ(answer.status, 0);
  EXPECT_FALSE(answer.unconnected);
  EXPECT_EQ(answer.untrusted, "");
  EXPECT_NE(answer.error.find("TLS with 127.0.0.1:"), std::string::npos) << answer.error;
}

// A self-signed certificate for one IP address (`san`, as OpenSSL's
// configuration writes it), and its key.
struct SelfSigned {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string pem;  // the certificate, as a CA file holds it

  explicit SelfSigned(const char* san_text = "IP:127.0.0.1") {
    key = EVP_EC_gen("P-256");
    cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san_text);
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
    X509_sign(cert, key, EVP_sha256());
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    pem.assign(data, static_cast<size_t>(n));
    BIO_free(bio);
  }
  ~SelfSigned() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

// A server that speaks TLS with `certificate` and answers each request
// with 200 and "ok".
ScriptedServer::Script TlsAnswers(const SelfSigned& certificate) {
  return [&certificate](int fd, int) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx, certificate.cert);
    SSL_CTX_use_PrivateKey(ctx, certificate.key);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      char buf[4096];
      int n = SSL_read(ssl, buf, sizeof buf);
      if (n > 0) {
        std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
        SSL_shutdown(ssl);
      }
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
  };
}

// A certificate that is not trusted, or not for the URL's host, is told
// apart from a network fault (the command stops at once rather than
// sending again), with OpenSSL's reason; trusted, the request is answered.
TEST(HttpClientTest, ACertificateNotTrustedOrNotForTheHostIsUntrusted) {
  SelfSigned certificate;
  ScriptedServer server(TlsAnswers(certificate));
  std::string port = server.url().substr(server.url().rfind(':') + 1);
  std::filesystem::path ca = std::filesystem::path(::testing::TempDir()) / "http_client_ca.pem";
  std::ofstream(ca) << certificate.pem;

  // Not signed by a CA trusted here (the system's).
  HttpAnswer answer = Client("https://127.0.0.1:" + port)->Post("/", {}, "{}", "application/json");
  EXPECT_EQ(answer.status, 0);
  EXPECT_EQ(answer.untrusted, "self-signed certificate");
  EXPECT_FALSE(answer.unconnected);
  EXPECT_NE(answer.error.find("the certificate of 127.0.0.1:" + port +
                              " is not trusted here (self-signed certificate)"),
            std::string::npos)
      << answer.error;

  // Trusted, but the URL names another host.
  Result<std::unique_ptr<HttpClient>> other =
      HttpClient::Open("https://localhost:" + port, {ca.string(), 5});
  ASSERT_TRUE(other.ok()) << other.status().message();
  answer = (*other)->Post("/", {}, "{}", "application/json");
  EXPECT_EQ(answer.untrusted, "hostname mismatch") << answer.error;

  // Trusted, and for 127.0.0.1.
  Result<std::unique_ptr<HttpClient>> trusted =
      HttpClient::Open("https://127.0.0.1:" + port, {ca.string(), 5});
  ASSERT_TRUE(trusted.ok()) << trusted.status().message();
  answer = (*trusted)->Post("/", {}, "{}", "application/json");
  EXPECT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(answer.untrusted, "");
  EXPECT_EQ(answer.body, "ok");
  std::filesystem::remove(ca);
}

// A trusted certificate for another IP address than the URL's.
TEST(HttpClientTest, ACertificateForAnotherAddressIsUntrusted) {
  SelfSigned certificate("IP:10.0.0.1");
  ScriptedServer server(TlsAnswers(certificate));
  std::filesystem::path ca = std::filesystem::path(::testing::TempDir()) / "http_client_ca2.pem";
  std::ofstream(ca) << certificate.pem;
  Result<std::unique_ptr<HttpClient>> client =
      HttpClient::Open("https://" + server.url().substr(7), {ca.string(), 5});
  ASSERT_TRUE(client.ok()) << client.status().message();
  HttpAnswer answer = (*client)->Post("/", {}, "{}", "application/json");
  EXPECT_EQ(answer.status, 0);
  EXPECT_EQ(answer.untrusted, "IP address mismatch") << answer.error;
  std::filesystem::remove(ca);
}

// The TLS context made ahead (StartTlsContext, which `vledger` starts
// before its initializers) serves the client given the CA file it was
// made for, and no other: a client given another one makes its own.
TEST(HttpClientTest, AContextMadeAheadServesOnlyTheCaFileItWasMadeFor) {
  SelfSigned certificate, other_certificate;
  ScriptedServer server(TlsAnswers(certificate));
  const std::string url = "https://" + server.url().substr(7);
  std::filesystem::path ca = std::filesystem::path(::testing::TempDir()) / "http_client_ca3.pem";
  auto post = [&](const std::string& ca_file) {
    Result<std::unique_ptr<HttpClient>> client = HttpClient::Open(url, {ca_file, 5});
    EXPECT_TRUE(client.ok()) << client.status().message();
    return client.ok() ? (*client)->Post("/", {}, "{}", "application/json") : HttpAnswer{};
  };
  // Made for the file, then the file holds another CA: the client takes
  // what was made from the first (the thread had 2 s to read it, where it
  // takes milliseconds), so the server is trusted.
  std::ofstream(ca) << certificate.pem;
  StartTlsContext(ca.c_str());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  std::ofstream(ca) << other_certificate.pem;
  HttpAnswer answer = post(ca.string());
  EXPECT_EQ(answer.status, 200) << answer.error;
  // The same, with the client made on the spot: not trusted.
  answer = post(ca.string());
  EXPECT_EQ(answer.untrusted, "self-signed certificate") << answer.error;

  // Made for this CA file, but the client is given none (the system's CAs).
  std::ofstream(ca) << certificate.pem;
  StartTlsContext(ca.c_str());
  answer = post("");
  EXPECT_EQ(answer.untrusted, "self-signed certificate") << answer.error;
  // Made for the system's CAs, but the client is given this file.
  StartTlsContext("");
  answer = post(ca.string());
  EXPECT_EQ(answer.status, 200) << answer.error;

  // Made for a file that cannot be read: the client reports it as before.
  StartTlsContext("/nonexistent/ca.pem");
  Result<std::unique_ptr<HttpClient>> unread = HttpClient::Open(url, {"/nonexistent/ca.pem", 5});
  ASSERT_FALSE(unread.ok());
  EXPECT_EQ(unread.status().field(), "--ca");
  EXPECT_NE(unread.status().message().find("No such file or directory"), std::string::npos)
      << unread.status().message();
  std::filesystem::remove(ca);
}

TEST(HttpClientTest, AnAnswerCutShortIsNoAnswerButConnected) {
  ScriptedServer server([](int fd, int) {
    ReadRequest(fd);
    Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  });
  HttpAnswer answer = Client(server.url())->Post("/v1/run", {}, "{}", "application/json");
  EXPECT_EQ(answer.status, 0);
  EXPECT_FALSE(answer.unconnected);
  EXPECT_NE(answer.error.find("receiving"), std::string::npos) << answer.error;
}

TEST(HttpClientTest, RefusesURLsItCannotUse) {
  for (const char* url : {"http://127.0.0.1:8080/", "http://127.0.0.1:8080/x", "http://",
                          "http://:80", "http://h:", "http://h:0", "http://h:65536", "http://h:8a",
                          "ftp://h", "h:80", "http://[::1"}) {
    Result<std::unique_ptr<HttpClient>> client = HttpClient::Open(url, {});
    ASSERT_FALSE(client.ok()) << url;
    EXPECT_EQ(client.status().code(), Code::kInvalidInput) << url;
    EXPECT_EQ(client.status().field(), "--remote") << url;
  }
  for (const char* url :
       {"http://127.0.0.1", "http://h:8080", "https://county.example:443", "http://[::1]:80"}) {
    Result<std::unique_ptr<HttpClient>> client = HttpClient::Open(url, {});
    ASSERT_TRUE(client.ok()) << url << ": " << client.status().message();
    EXPECT_EQ((*client)->authority(), std::string(url).substr(std::string(url).find("//") + 2));
  }
}

TEST(HttpClientTest, ACaFileThatCannotBeReadIsRefusedNamingIt) {
  Result<std::unique_ptr<HttpClient>> client =
      HttpClient::Open("https://127.0.0.1:1", {"/nonexistent/ca.pem", 5});
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), Code::kInvalidInput);
  EXPECT_EQ(client.status().field(), "--ca");
  EXPECT_NE(client.status().message().find("/nonexistent/ca.pem"), std::string::npos);
}

}  // namespace
}  // namespace vledger::net
