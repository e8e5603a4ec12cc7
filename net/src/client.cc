#include "vledger/net/client.h"

#include <httplib.h>

#include <chrono>
#include <thread>

namespace vledger::net {
namespace {

// Pause before sending again: 50 ms, doubling, at most 2 s.
std::chrono::milliseconds Backoff(int attempt) {
  return std::chrono::milliseconds(std::min(2000, 50 << std::min(attempt, 6)));
}

struct Posted {
  int status = 0;  // 0: no answer (the network)
  std::string body;
  std::string error;  // why there was no answer
};

Posted Post(httplib::Client& http, const char* path, const std::string& body) {
  httplib::Result res = http.Post(path, body, "application/json");
  if (!res) return Posted{0, "", httplib::to_string(res.error())};
  return Posted{res->status, res->body, ""};
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
  httplib::Client http(options.url);
  if (!http.is_valid()) {
    return Status::InvalidInput("--remote", Msg("\"{}\" is not a URL this program can use",
                                                options.url));
  }
  http.set_connection_timeout(options.timeout_s, 0);
  http.set_read_timeout(options.timeout_s, 0);
  http.set_write_timeout(options.timeout_s, 0);
  http.set_keep_alive(true);
  // Each request is written as headers, then body: without this, Nagle's
  // algorithm and delayed acknowledgements add 40 ms to each.
  http.set_tcp_nodelay(true);
  if (options.url.starts_with("https://")) {
    http.enable_server_certificate_verification(true);
    if (!options.ca_file.empty()) http.set_ca_cert_path(options.ca_file.c_str());
  }
  const std::string body = EncodeRequest(request);
  std::string last_error;
  for (int attempt = 0; attempt < options.attempts_max; attempt++) {
    if (attempt > 0) std::this_thread::sleep_for(Backoff(attempt));
    Posted run = Post(http, "/v1/run", body);
    if (run.status == 0 || run.status == 503) {
      last_error = run.status == 0 ? run.error : run.body;
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
      Posted commit = Post(http, "/v1/commit", EncodeSignature({prepared.lease, signature}));
      if (commit.status == 200) {
        VLEDGER_ASSIGN_OR_RETURN(answer, ParseAnswer(commit.body));
        if (answer.done) return std::move(*answer.done);
        continue;
      }
      // The lease expired, or the answer was lost: the request again (its
      // request id makes a commit that did happen answer as it did; an
      // import resumes after its last commit).
      if (commit.status != 0 && commit.status != 409 && commit.status != 503) {
        return Refusal(commit);
      }
      last_error = commit.status == 0 ? commit.error : commit.body;
      break;
    }
  }
  return Status::Unavailable(
      Msg("cannot reach the server {} ({})", options.url, last_error));
}

}  // namespace vledger::net
