// The event feed (feed.h): the page a server sends for GET /events.
// The replica side is in feed_apply.cc.
#include "vledger/app/feed.h"

#include <algorithm>

#include "guard.h"
#include "vledger/ledger/archive.h"
#include "vledger/ledger/chain.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/state.h"

namespace vledger::app {
namespace {

// Where a page starts: the log's end, or the first seq of a commit. Any
// other `from` is a Conflict: a replica asks from its own size, which is
// the start of a commit of every log it is a prefix of — so a server
// refusing it does not hold the replica's history (docs/SERVER.md).
Status CheckFrom(const Ledger& ledger, uint64_t from) {
  if (from > ledger.size()) {
    return Status::Conflict("from",
                            Msg("{} is past the end of the log ({} events)", from, ledger.size()));
  }
  if (from == ledger.size()) return Status::Ok();
  VLEDGER_ASSIGN_OR_RETURN(CommitRecord commit, ledger.CommitOf(from));
  if (commit.first != from) {
    return Status::Conflict(
        "from", Msg("{} is inside commit {}..{}: a page starts at the first seq of a commit", from,
                    commit.first, commit.last));
  }
  return Status::Ok();
}

// The header every page starts with: the ledger's origin and name, public.
Result<ArchiveHeader> FeedHeader(const Ledger& ledger) {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(ledger));
  std::optional<LedgerMeta> meta = LoadMeta(*state);
  if (!meta) return Status::Corruption(Msg("{}: the ledger has no genesis", ledger.dir()));
  return ArchiveHeader{meta->origin, meta->name, kArchiveFormatVersion, true};
}

}  // namespace

Result<std::string> EventsFeed(const Ledger& ledger, uint64_t from, uint64_t limit) try {
  if (limit == 0) return Status::InvalidInput("limit", "must be at least 1");
  limit = std::min(limit, kFeedEventsMax);
  // A writer may append meanwhile: the page ends at the size seen now,
  // which is a commit boundary.
  const uint64_t to = ledger.size();
  VLEDGER_TRY(CheckFrom(ledger, from));
  VLEDGER_ASSIGN_OR_RETURN(ArchiveHeader header, FeedHeader(ledger));
  std::string page;
  AppendArchiveEntry(header, &page);

  // Whole commits up to `limit` events: the page ends at `end`.
  uint64_t end = from;
  while (end < to && end - from < limit) {
    VLEDGER_ASSIGN_OR_RETURN(CommitRecord commit, ledger.CommitOf(end));
    end = commit.last + 1;
  }
  // Re-hashed on the way out, as export does: a damaged store never
  // ships as a valid-looking page.
  Hash prev = kZeroHash;
  if (from > 0) {
    VLEDGER_ASSIGN_OR_RETURN(prev, ledger.ReadHash(from - 1));
  }
  Sha256Hasher hasher;
  uint64_t event_bytes = 0;
  bool full = false;  // past kFeedBytesMax at a commit's end: the rest is left out
  VLEDGER_TRY(ledger.ScanLog(
      from, end,
      [&](const StoredEvent& e) -> Status {
        if (full) return Status::Ok();
        if (RecordHash(hasher, e.seq, prev, e.canonical) != e.hash) {
          return Status::VerificationFailed(
                     "stored hash does not match the event (run `vledger verify`)")
              .WithSeq(e.seq);
        }
        prev = e.hash;
        event_bytes += e.canonical.size();
        AppendArchiveEntry(ArchiveEvent{e.seq, AsString(e.hash), e.canonical}, &page);
        return Status::Ok();
      },
      [&](const CommitRecord& c) -> Status {
        if (full) return Status::Ok();
        AppendArchiveEntry(c, &page);
        full = event_bytes >= kFeedBytesMax;
        return Status::Ok();
      }));

  VLEDGER_ASSIGN_OR_RETURN(auto checkpoint, ledger.LatestCheckpoint());
  if (checkpoint) AppendArchiveEntry(ArchiveCheckpoint{checkpoint->second}, &page);
  return page;
} catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
