// The county server's wire format (docs/SERVER.md): JSON bodies over
// HTTP/1.1. A client sends a command line; the server runs it with the
// same code as the CLI and answers its output, or — for a command that
// appends — the commit to sign (prepare), then the output once the
// client sent the signature (commit).
//
//   POST /v1/run     CommandRequest   -> RunAnswer (done, or sign)
//   POST /v1/commit  CommitSignature  -> RunAnswer (done, or the next item
//                                        to sign), 409 when the lease expired
//   GET  /v1/<command words>[/<positional>]?<option>=<value>
//                    a read command's --json document, as the CLI prints it
//
// The parsers take untrusted bytes (fuzz/fuzz_net_request.cc): every
// bound below is checked before anything is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/app/signer.h"
#include "vledger/ledger/status.h"

namespace vledger::net {

// Bounds on what one request may carry (a hostile client sends more).
inline constexpr size_t kRequestBytesMax = 16u << 20;  // the whole body
inline constexpr size_t kArgsMax = 256;                // words of a command line
inline constexpr size_t kArgBytesMax = 64u << 10;      // one word
inline constexpr size_t kFilesMax = 16;                // files sent with a command

// A file a command reads (sent by the client) or writes (sent back), under
// the name the command line gives it.
struct FileBlob {
  std::string name;
  std::string bytes;
};

struct CommandRequest {
  // The command line without the program name, --ledger, --key or
  // --remote; with --lang (the client's language) and --json as given.
  std::vector<std::string> args;
  // The id of the client's key, which signs any commit (empty: none).
  std::string key_id;
  std::vector<FileBlob> files;
};

// What the command printed, and how it ended.
struct CommandOutput {
  int exit_code = 0;
  std::string out;  // stdout
  std::string err;  // stderr (error and warning lines, in the client's language)
  std::vector<FileBlob> files;
};

// A prepared item, held for the client under a lease: a commit, or (when
// `checkpoint` is set) a checkpoint note body.
struct Prepared {
  std::string lease;
  app::CommitToSign commit;
  std::optional<app::CheckpointToSign> checkpoint;
};

// The answer of /v1/run and /v1/commit: exactly one of the two.
struct RunAnswer {
  std::optional<CommandOutput> done;
  std::optional<Prepared> sign;
};

struct CommitSignature {
  std::string lease;
  std::string signature;  // 64 bytes
};

std::string EncodeRequest(const CommandRequest& request);
// InvalidInput naming the member at fault (one line) for anything but a
// well-formed request within the bounds above.
Result<CommandRequest> ParseRequest(std::string_view body);

std::string EncodeAnswer(const RunAnswer& answer);
Result<RunAnswer> ParseAnswer(std::string_view body);

std::string EncodeSignature(const CommitSignature& signature);
Result<CommitSignature> ParseSignature(std::string_view body);

// The body of a 4xx/5xx answer: {"error": LINE, "exit": CODE}.
std::string EncodeError(const std::string& line, int exit_code);
// The line and exit code of an error body (nullopt when it is not one).
std::optional<std::pair<std::string, int>> ParseError(std::string_view body);

}  // namespace vledger::net
