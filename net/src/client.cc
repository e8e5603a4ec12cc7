#include "vledger/net/client.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "vledger/ledger/bytes.h"
#include "vledger/net/http_client.h"
#include "vledger/net/http_signature.h"

namespace vledger::net {
namespace {

// Pause before sending again: 50 ms, doubling, at most 2 s.
std::chrono::milliseconds Backoff(int attempt) {
  return std::chrono::milliseconds(std::min(2000, 50 << std::min(attempt, 6)));
}

// A 429's Retry-After is waited at most this long.
constexpr int kRetryAfterMaxSeconds = 30;

struct Posted {
  int status = 0;  // 0: no answer (the network)
  std::string body;
  std::string error;         // why there was no answer
  int retry_after = 0;       // a 429's Retry-After, seconds
  bool unconnected = false;  // no answer because no connection was made
  std::string untrusted;     // no answer: why the server's certificate is not trusted
};

Result<Posted> Post(HttpClient& http, const RemoteOptions& options, const char* path,
                    const std::string& body) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (options.key != nullptr) {
    // RFC 9421: the method, where it goes, and the body through its
    // digest, with a nonce the server remembers for the signature's life.
    SignedMessage message;
    message.method = "POST";
    message.authority = http.authority();
    message.target = path;
    message.fields.emplace_back("content-digest", ContentDigest(body));
    SignatureParams params;
    params.components = {"@method", "@authority", "@path", "@query", "content-digest"};
    auto now = std::chrono::system_clock::now().time_since_epoch();
    params.created = std::chrono::duration_cast<std::chrono::seconds>(now).count();
    params.expires = *params.created + 60;
    params.nonce = Hex(RandomBytes(16));
    params.keyid = options.key->key_id();
    params.alg = "ed25519";
    VLEDGER_ASSIGN_OR_RETURN(SignatureFields fields, SignMessage(message, params, *options.key));
    headers.emplace_back("Content-Digest", message.fields.front().second);
    headers.emplace_back("Signature-Input", fields.signature_input);
    headers.emplace_back("Signature", fields.signature);
  }
  HttpAnswer res = http.Post(path, headers, body, "application/json");
  if (res.status == 0) return Posted{0, "", res.error, 0, res.unconnected, res.untrusted};
  Posted posted{res.status, std::move(res.body), "", 0, false, ""};
  if (res.status == 429) {
    const std::string& after = res.retry_after;
    int seconds = 1;
    if (!after.empty() && after.size() < 6 &&
        after.find_first_not_of("0123456789") == std::string::npos) {
      seconds = std::stoi(after);
    }
    posted.retry_after = std::clamp(seconds, 1, kRetryAfterMaxSeconds);
  }
  return posted;
}

// A non-200 answer as a Status (its one-line error and exit code).
Status Refusal(const Posted& p) {
  auto error = ParseError(p.body);
  std::string line = error ? error->first : p.body.substr(0, 200);
  int exit_code = error ? error->second : 4;
  switch (exit_code) {
    case 2:
      return Status::Usage(Msg("the server refused the request: {}", line));
    case 3:
      return Status::InvalidInput(Msg("the server refused the request: {}", line));
    default:
      return Status::Unavailable(Msg("the server answered {}: {}", p.status, line));
  }
}

}  // namespace

Result<CommandOutput> RunRemote(const RemoteOptions& options, const CommandRequest& request,
                                app::Signer* signer, const CheckCommit& check,
                                const CheckCheckpoint& check_checkpoint) {
  if (!options.url.starts_with("http://") && !options.url.starts_with("https://")) {
    return Status::Usage(Msg("--remote: \"{}\" is not an http:// or https:// URL", options.url));
  }
  VLEDGER_ASSIGN_OR_RETURN(std::unique_ptr<HttpClient> client,
                           HttpClient::Open(options.url, {options.ca_file, options.timeout_s}));
  HttpClient& http = *client;
  const std::string body = EncodeRequest(request);
  std::string last_error;
  int retry_after = 0;
  bool connected = false;  // an answer came, once
  for (int attempt = 0; attempt < options.attempts_max; attempt++) {
    if (retry_after > 0) {
      std::this_thread::sleep_for(std::chrono::seconds(retry_after));
      retry_after = 0;
    } else if (attempt > 0) {
      std::this_thread::sleep_for(Backoff(attempt));
    }
    VLEDGER_ASSIGN_OR_RETURN(Posted run, Post(http, options, "/v1/run", body));
    if (run.status != 0) connected = true;
    if (!run.untrusted.empty()) {
      // A certificate this machine does not trust is not a network fault:
      // the same handshake would fail again.
      return Status::Unavailable(
          Msg("cannot use the server {}: its certificate is not trusted here ({}); --ca FILE names "
              "the CA that signed it",
              options.url, run.untrusted));
    }
    if (run.status == 429) {
      // Too many requests: nothing ran; the same request after Retry-After.
      last_error = run.body;
      retry_after = run.retry_after;
      continue;
    }
    if (run.status == 0 || run.status == 503) {
      last_error = run.status == 0 ? run.error : run.body;
      if (run.unconnected && !connected && attempt + 1 >= options.unreachable_attempts_max) break;
      continue;  // not reached, or busy: the same request again
    }
    if (run.status != 200) return Refusal(run);
    VLEDGER_ASSIGN_OR_RETURN(RunAnswer answer, ParseAnswer(run.body));
    if (answer.done) return std::move(*answer.done);
    // The items to sign, one after another (an import's commits, a
    // checkpoint and then a commit), until the command ends.
    while (answer.sign) {
      const Prepared& prepared = *answer.sign;
      if (signer == nullptr) {
        return Status::InvalidInput("--key",
                                    "no signing key given (use --key FILE or set VLEDGER_KEY)");
      }
      std::string signature;
      if (prepared.checkpoint) {
        if (!check_checkpoint) {
          return Status::PermissionDenied(
              "the server asked to sign a checkpoint, which this command does not: not signed");
        }
        VLEDGER_TRY(check_checkpoint(*prepared.checkpoint));
        VLEDGER_ASSIGN_OR_RETURN(signature, signer->SignCheckpoint(*prepared.checkpoint));
      } else {
        VLEDGER_TRY(check(prepared.commit));
        VLEDGER_ASSIGN_OR_RETURN(signature, signer->Sign(prepared.commit));
      }
      VLEDGER_ASSIGN_OR_RETURN(Posted commit, Post(http, options, "/v1/commit",
                                                   EncodeSignature({prepared.lease, signature})));
      if (commit.status == 429) {
        // Once more after Retry-After, if the lease may still be held.
        std::this_thread::sleep_for(std::chrono::seconds(commit.retry_after));
        VLEDGER_ASSIGN_OR_RETURN(commit, Post(http, options, "/v1/commit",
                                              EncodeSignature({prepared.lease, signature})));
      }
      if (commit.status == 200) {
        VLEDGER_ASSIGN_OR_RETURN(answer, ParseAnswer(commit.body));
        if (answer.done) return std::move(*answer.done);
        continue;
      }
      // The lease expired, or the answer was lost: the request again (its
      // request id makes a commit that did happen answer as it did; an
      // import resumes after its last commit).
      if (commit.status != 0 && commit.status != 409 && commit.status != 503 &&
          commit.status != 429) {
        return Refusal(commit);
      }
      last_error = commit.status == 0 ? commit.error : commit.body;
      break;
    }
  }
  return Status::Unavailable(Msg("cannot reach the server {} ({})", options.url, last_error));
}

}  // namespace vledger::net
