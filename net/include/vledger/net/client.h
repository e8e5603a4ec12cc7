// The client side of `--remote URL`: sends a command line to a county
// server and, for a command that appends, signs the commit the server
// prepared once `check` accepted it (the private key never leaves this
// machine). An expired lease is prepared and signed again; a request lost
// to the network is sent again with the same request id, whose original
// answer the server keeps.
#pragma once

#include <functional>
#include <string>

#include "vledger/app/signer.h"
#include "vledger/ledger/status.h"
#include "vledger/net/protocol.h"

namespace vledger::net {

struct RemoteOptions {
  std::string url;       // http://HOST:PORT or https://HOST:PORT
  std::string ca_file;   // TLS: trust this CA (PEM); empty: the system's store
  int timeout_s = 30;    // connecting, and waiting for each answer
  int attempts_max = 8;  // sends of one request (lost answers, expired leases, 429)
  // Sends of the first request while no connection can be made at all (a
  // village offline): a command kept in the outbox need not wait for the
  // whole backoff (about 5 s) to be kept.
  int unreachable_attempts_max = 8;
  // Signs every request (RFC 9421, docs/SERVER.md "Signed requests"): the
  // server then lets it see the names this key may see. Null: unsigned.
  const PrivateKey* key = nullptr;
};

// Checks a prepared commit says what the command asked (app/remote.h)
// before it is signed.
using CheckCommit = std::function<Status(const app::CommitToSign& commit)>;
// The same for a checkpoint note body; none: a checkpoint is not signed.
using CheckCheckpoint = std::function<Status(const app::CheckpointToSign& checkpoint)>;

// Runs `request` on the server. Unavailable when the server cannot be
// reached (after the attempts), InvalidInput for a malformed URL; a
// refusal of the command itself is its output (exit code and stderr).
// `signer` may be null (a command that appends is then refused by the
// server, as a local one without --key).
// A command may sign several items (an import's commits; publish's
// checkpoint, then its commit): each is checked and signed in turn.
Result<CommandOutput> RunRemote(const RemoteOptions& options, const CommandRequest& request,
                                app::Signer* signer, const CheckCommit& check,
                                const CheckCheckpoint& check_checkpoint = {});

}  // namespace vledger::net
