// `vledger mirror URL [--once]` (SPEC section 12): a replica of a server's
// log in the session's ledger folder, created on the first run from the
// server's genesis, that follows the server and verifies every commit and
// every new checkpoint (app/feed.h). The application layer speaks no HTTP:
// the front end hands in how to reach the server (MirrorSource).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "vledger/app/session.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// How the replica reaches its server. Each call is one request; a server
// that cannot be reached is Unavailable.
struct MirrorSource {
  std::string name;  // the server, for messages (its URL)
  // GET /checkpoint: the newest signed checkpoint's text.
  std::function<Result<std::string>()> checkpoint;
  // GET /events?from=FROM&limit=LIMIT: a page of the feed (feed.h).
  std::function<Result<std::string>(uint64_t from, uint64_t limit)> events;
};

// Told after each round that changed the replica.
struct MirrorProgress {
  uint64_t size = 0;        // the replica's events
  uint64_t appended = 0;    // events appended in this round
  uint64_t checkpoint = 0;  // size of the newest checkpoint accepted (0: none)
};

struct MirrorRequest {
  MirrorSource source;
  bool once = false;  // catch up, then return
  int64_t poll_interval_ms = 5000;
  // Asked between requests and while waiting: true stops the mirror
  // (SIGTERM), which returns what it did.
  std::function<bool()> stopping;
  std::function<void(const MirrorProgress&)> progress;
};

struct MirrorResult {
  bool created = false;                           // the replica was made by this run
  uint64_t appended = 0, commits = 0;             // by this run
  uint64_t size = 0;                              // the replica's events at the end
  std::optional<vledger::Checkpoint> checkpoint;  // the newest accepted
};

// Follows the server: each round polls its checkpoint, fetches and
// applies pages from the replica's size until one brings nothing new,
// then accepts the checkpoint once the replica holds its events. The
// writer lock is held during a round only, so the replica can be read
// (and backed up) between rounds. With `once`, one round; else rounds
// every poll_interval_ms until `stopping`.
//
// A fork — the server's events or checkpoint not matching what the
// replica verified — is VerificationFailed, and nothing more is applied;
// the replica keeps every commit it verified. A server that cannot be
// reached is Unavailable (the source's Status).
Result<MirrorResult> Mirror(const Session& session, const MirrorRequest& request);
std::string MirrorJson(const MirrorResult& result);

}  // namespace vledger::app
