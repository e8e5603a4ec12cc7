// The replica side of the event feed (feed.h): applying a page, and
// accepting a server's checkpoint.
#include <memory>
#include <vector>

#include "guard.h"
#include "vledger/app/feed.h"
#include "vledger/ledger/archive.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/merkle.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

// The structure of a page, read before anything is written: its header,
// the seq after its last event, its checkpoint. Events and commits are
// checked one by one when applied.
struct PageOutline {
  ArchiveHeader header;
  uint64_t end = 0;  // seq after the page's last event (the replica's size: none)
  std::optional<std::string> checkpoint;
};

Status Malformed(std::string_view source, Msg problem) {
  return Status::VerificationFailed(std::move(problem))
      .WithPrefix(Msg("the event feed from {} is malformed", source));
}

Result<PageOutline> Outline(ArchiveReader& reader, uint64_t size, std::string_view source) {
  PageOutline out;
  out.end = size;
  VLEDGER_ASSIGN_OR_RETURN(auto first, reader.Next());
  const ArchiveHeader* header = first ? std::get_if<ArchiveHeader>(&*first) : nullptr;
  if (header == nullptr) return Malformed(source, Msg("it does not start with a header"));
  if (header->format_version != kArchiveFormatVersion) {
    return Malformed(source, Msg("format version {} is not 1", header->format_version));
  }
  out.header = *header;
  while (true) {
    VLEDGER_ASSIGN_OR_RETURN(auto entry, reader.Next());
    if (!entry) break;
    if (out.checkpoint) return Malformed(source, Msg("an entry follows the checkpoint"));
    if (auto* e = std::get_if<ArchiveEvent>(&*entry)) {
      if (e->seq != out.end) {
        return Malformed(source, Msg("event {} where seq {} was expected", e->seq, out.end));
      }
      out.end++;
    } else if (auto* c = std::get_if<ArchiveCheckpoint>(&*entry)) {
      out.checkpoint = std::move(c->text);
    } else if (std::holds_alternative<ArchivePerson>(*entry)) {
      return Malformed(source, Msg("it holds a person record"));
    } else if (std::holds_alternative<ArchiveHeader>(*entry)) {
      return Malformed(source, Msg("it holds a second header"));
    }
  }
  return out;
}

// Applies the commits of a page, each checked whole before it is
// written. Stops at the first fault, the commits before it written.
class PageApplier {
 public:
  PageApplier(Ledger& replica, const ArchiveHeader& header, FeedApplied* applied)
      : replica_(replica), header_(header), applied_(applied), txn_(replica.BeginWrite()) {}

  Status Run(ArchiveReader& reader) {
    VLEDGER_ASSIGN_OR_RETURN(replayer_, ChainReplayer::Resume(replica_, [this](uint64_t seq) {
                               return txn_->ReadEvent(seq);
                             }));
    VLEDGER_TRY(reader.Seek(0));
    while (true) {
      VLEDGER_ASSIGN_OR_RETURN(auto entry, reader.Next());
      if (!entry) break;
      if (auto* e = std::get_if<ArchiveEvent>(&*entry)) {
        VLEDGER_TRY(AddEvent(std::move(*e)));
      } else if (auto* c = std::get_if<CommitRecord>(&*entry)) {
        VLEDGER_TRY(AddCommit(*c));
      }
    }
    if (txn_->pending_events() != 0) {
      return Status::VerificationFailed(
          Msg("the page ends inside a commit (events from seq {} are in no commit)",
              txn_->next_seq() - txn_->pending_events()));
    }
    return Status::Ok();
  }

 private:
  Status AddEvent(ArchiveEvent e) {
    const uint64_t seq = e.seq;
    Result<Event> decoded = DecodeEvent(e.canonical);
    if (!decoded.ok()) return decoded.status().WithSeq(seq);
    Event event = *decoded;
    if (const Genesis* g = std::get_if<Genesis>(&event.body); g && g->origin != header_.origin) {
      return Status::VerificationFailed(Msg("the genesis names origin {} but the page's header {}",
                                            g->origin, header_.origin))
          .WithSeq(seq);
    }
    // The record hash first: a server whose history differs from the
    // replica's is seen here, before its event is judged.
    VLEDGER_ASSERT(txn_->next_seq() == seq);
    txn_->AddEvent(std::move(e.canonical), std::move(event));
    Hash h = txn_->HashOf(seq);
    if (AsView(h) != e.hash) {
      return Status::VerificationFailed(
                 Msg("the server's record hash is {}, but this replica's chain gives {}: the "
                     "server's log is not the one this replica verified (its history was "
                     "rewritten: a fork, or the event was altered)",
                     Hex(e.hash), Hex(h)))
          .WithSeq(seq);
    }
    Status st = replayer_->AddDecoded(seq, std::move(decoded));
    if (!st.ok()) return st.WithSeq(seq);
    return Status::Ok();
  }

  Status AddCommit(const CommitRecord& c) {
    if (c.first > c.last || c.last + 1 != txn_->next_seq()) {
      return Status::VerificationFailed(
                 Msg("commit {}..{} does not close the events before it", c.first, c.last))
          .WithSeq(c.first);
    }
    SignatureCheck check;
    Status st = replayer_->CloseCommit(c, txn_->HashOf(c.last), &check);
    if (st.ok()) st = check.Run();
    if (!st.ok()) return st.WithSeq(c.first);
    replayer_->state().TakeWrites(
        [this](const std::string& key, const std::optional<std::string>& value) {
          txn_->PutRow(key, value);
        });
    VLEDGER_ASSIGN_OR_RETURN(CommitRecord written, txn_->CommitSigned(c, true));
    applied_->commits++;
    applied_->events += written.last - written.first + 1;
    return Status::Ok();
  }

  Ledger& replica_;
  const ArchiveHeader& header_;
  FeedApplied* applied_;
  std::unique_ptr<WriteTxn> txn_;
  std::unique_ptr<ChainReplayer> replayer_;
};

// The replica's origin, from its genesis.
Result<std::string> ReplicaOrigin(const Ledger& replica) {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(replica));
  std::optional<LedgerMeta> meta = LoadMeta(*state);
  if (!meta) return Status::Corruption(Msg("{}: the ledger has no genesis", replica.dir()));
  return meta->origin;
}

// The replica's tree is consistent from `older` to `newer` (RFC 9162).
Status CheckConsistent(const Ledger& replica, const vledger::Checkpoint& older,
                       const vledger::Checkpoint& newer) {
  VLEDGER_ASSIGN_OR_RETURN(std::vector<Hash> proof,
                           ConsistencyProof(older.size, newer.size, replica.MerkleNodes()));
  if (VerifyConsistency(older.size, newer.size, older.root, newer.root, proof)) {
    return Status::Ok();
  }
  return Status::VerificationFailed(
      Msg("the checkpoint of size {} is not consistent with the one of size {} this replica "
          "accepted: the server's history was rewritten",
          newer.size, older.size));
}

}  // namespace

Result<FeedApplied> ApplyFeedPage(Ledger& replica, std::string page, std::string_view source) try {
  ArchiveReader reader = ArchiveReader::FromBytes(std::move(page), std::string(source));
  VLEDGER_ASSIGN_OR_RETURN(PageOutline outline, Outline(reader, replica.size(), source));
  if (replica.size() > 0) {
    VLEDGER_ASSIGN_OR_RETURN(std::string origin, ReplicaOrigin(replica));
    if (origin != outline.header.origin) {
      return Status::VerificationFailed(
          Msg("the server's log has origin {}, this replica's {}: another ledger",
              outline.header.origin, origin));
    }
  }
  FeedApplied applied;
  if (outline.end > replica.size()) {
    // Set first, so a crash between two commits leaves no event whose
    // person record verify would look for.
    VLEDGER_TRY(replica.SetPersonsWithheld(outline.end));
    PageApplier applier(replica, outline.header, &applied);
    Status st = applier.Run(reader);
    if (!st.ok()) {
      return st.WithPrefix(Msg("the event feed from {} (this replica keeps its {} verified events)",
                               source, replica.size()));
    }
  }
  applied.size = replica.size();
  if (outline.checkpoint) {
    auto head = ParseCheckpoint(*outline.checkpoint);
    if (!head.ok()) return head.status().WithPrefix(Msg("the checkpoint from {}", source));
    applied.checkpoint = *head;
    VLEDGER_ASSIGN_OR_RETURN(applied.checkpoint_accepted,
                             AcceptCheckpoint(replica, *outline.checkpoint));
  }
  return applied;
} catch (...) {
  return CaughtStatus();
}

Result<bool> AcceptCheckpoint(Ledger& replica, std::string_view text) try {
  auto parsed = ParseCheckpoint(text);
  if (!parsed.ok()) return parsed.status().WithPrefix("the server's checkpoint");
  const vledger::Checkpoint head = *parsed;
  if (head.size > replica.size()) return false;
  VLEDGER_ASSIGN_OR_RETURN(Hash root, replica.MerkleRootAt(head.size));
  if (root != head.root) {
    return Status::VerificationFailed(
        Msg("the server's checkpoint of size {} has root {}, but this replica's log of {} events "
            "has root {}: the server's history was rewritten (a fork)",
            head.size, Hex(head.root), head.size, Hex(root)));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(replica));
  std::optional<LedgerMeta> meta = LoadMeta(*state);
  if (!meta) return Status::Corruption(Msg("{}: the ledger has no genesis", replica.dir()));
  auto checked = CheckStoredCheckpoint(replica, *state, meta->origin, head.size, std::string(text));
  if (!checked.ok()) return checked.status().WithPrefix("the server's checkpoint");
  VLEDGER_ASSIGN_OR_RETURN(auto last, replica.LatestCheckpoint());
  if (last) {
    VLEDGER_ASSIGN_OR_RETURN(vledger::Checkpoint accepted, ParseCheckpoint(last->second));
    if (accepted.size <= head.size) {
      VLEDGER_TRY(CheckConsistent(replica, accepted, head));
    } else {
      VLEDGER_TRY(CheckConsistent(replica, head, accepted));
    }
  }
  VLEDGER_ASSIGN_OR_RETURN(auto stored, replica.GetCheckpoint(head.size));
  if (!stored) VLEDGER_TRY(replica.PutCheckpoint(head.size, std::string(text)));
  return true;
} catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
