// The event feed (SPEC section 12, `GET /events?from=N&limit=K`;
// docs/FORMAT.md, "The event feed") and its replica side.
//
// A page of the feed is an archive stream (ledger/archive.h) without
// person records, starting anywhere at a commit boundary:
//
//   header, then the events of whole commits from seq N on (each commit
//   right after its last event), then the newest stored checkpoint (when
//   the ledger has one; it may be older or newer than the page's events).
//
// A server answers one page per request (EventsFeed); a replica applies
// pages in order (ApplyFeedPage), checking everything a restore from an
// archive checks, so it holds only what the server's keys signed. The feed
// is public: it never carries a person record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"

namespace vledger::app {

// A page holds at most this many events, unless its first commit alone
// holds more (a page is at least one commit, and a commit may hold up to
// kCommitEventsMax events)...
inline constexpr uint64_t kFeedEventsMax = 10'000;
// ...and stops after the commit that reaches this many bytes of events.
inline constexpr uint64_t kFeedBytesMax = 8u << 20;

// The page of whole commits starting at seq `from`, stopping after the
// commit that reaches `limit` events (capped at kFeedEventsMax) or
// kFeedBytesMax bytes. `from` equal to the ledger's size gives a page with
// no events. Conflict naming `from` when it is past the log or not the
// first seq of a commit (a replica asking from its size: the server does
// not hold its history), InvalidInput naming `limit` when it is 0. A stored event whose
// record hash does not match its bytes is a failed verification (the feed
// never ships a damaged log).
Result<std::string> EventsFeed(const Ledger& ledger, uint64_t from, uint64_t limit);

// What one page did to a replica.
struct FeedApplied {
  uint64_t events = 0, commits = 0;  // appended from the page
  uint64_t size = 0;                 // the replica's size after it
  // The page's checkpoint, when it has one.
  std::optional<vledger::Checkpoint> checkpoint;
  // Whether that checkpoint was checked against the replica and stored
  // (false when it is past the replica's events, for a later page).
  bool checkpoint_accepted = false;
};

// Applies a page (as EventsFeed gives it; `source` names where it came
// from, for messages) to `replica`, an open writer whose projections are
// as of its last event. Each commit is checked before it is written: its
// events follow the replica's record hash chain (h[n] recomputed from
// h[n-1] and the event's bytes, and equal to the hash the page gives),
// are canonical, and apply (authorization, validity, time order) to the
// replica's state; its signature verifies by the key the log registered.
// It is then written with its recorded signature and its projection rows,
// atomically. The replica is marked as holding no person records
// (Ledger::SetPersonsWithheld). The page's checkpoint then goes through
// AcceptCheckpoint when the replica holds its events.
//
// The first commit that fails stops the page: VerificationFailed naming
// its seq (the server's history differs from the replica's — a fork — or
// the page was altered), and nothing of it or after it is written; the
// commits before it stay. A page that is not a well-formed feed page (no
// header, another ledger's origin, events not starting at the replica's
// size, an unclosed commit) is a failed verification too.
Result<FeedApplied> ApplyFeedPage(Ledger& replica, std::string page, std::string_view source);

// Checks the server's checkpoint `text` against the replica: it parses,
// names the replica's origin, is signed under it by a key that was an
// admin (or checkpointer) of the log at its size, and its root is the
// root of the replica's own tree at that size — so it is consistent
// (RFC 9162) with every checkpoint the replica accepted before, which is
// also checked with a consistency proof from the replica's tree. Stored
// beside the replica's log when it is new. Returns false, checking nothing,
// when the checkpoint is past the replica's events (it is checked once
// they are there). VerificationFailed on any fault: a checkpoint that does
// not match the replica's tree is a fork.
Result<bool> AcceptCheckpoint(Ledger& replica, std::string_view text);

}  // namespace vledger::app
