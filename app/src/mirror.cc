// `vledger mirror` (mirror.h): rounds of "poll the checkpoint, fetch and
// apply pages, accept the checkpoint" over a replica ledger folder.
#include "vledger/app/mirror.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "guard.h"
#include "vledger/app/feed.h"
#include "vledger/ledger/store.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// How long one wait between rounds sleeps before asking `stopping` again.
constexpr int64_t kStopCheckMs = 100;

bool Stopping(const MirrorRequest& request) { return request.stopping && request.stopping(); }

void Wait(const MirrorRequest& request) {
  for (int64_t waited = 0; waited < request.poll_interval_ms && !Stopping(request);
       waited += kStopCheckMs) {
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::min(kStopCheckMs, request.poll_interval_ms - waited)));
  }
}

bool MissingOrEmpty(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return !ec;
  return std::filesystem::is_directory(dir, ec) && std::filesystem::is_empty(dir, ec) && !ec;
}

// The replica as its one writer; made (empty) when the folder is missing.
Result<WriterHandle> OpenReplica(const Session& session, bool* created) {
  const std::string& dir = session.options().ledger_dir;
  if (MissingOrEmpty(dir)) {
    *created = true;
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Create(dir));
    return WriterHandle(std::move(ledger));
  }
  return session.OpenWriter();
}

// The server's checkpoint, when it has one, checked against the replica
// once the replica holds its events.
struct PolledCheckpoint {
  std::string text;  // empty: the server has none
  bool accepted = false;
};

Status AcceptIfHeld(Ledger& replica, PolledCheckpoint* polled) {
  if (polled->text.empty() || polled->accepted) return Status::Ok();
  VLEDGER_ASSIGN_OR_RETURN(polled->accepted, AcceptCheckpoint(replica, polled->text));
  return Status::Ok();
}

// One round on an open replica: a checkpoint the replica already holds
// the events of is checked first (a server that rewrote a shorter history
// is caught before any page), then pages until one brings nothing.
Status Follow(Ledger& replica, const MirrorRequest& request, PolledCheckpoint* polled,
              MirrorResult* result) {
  VLEDGER_TRY(AcceptIfHeld(replica, polled));
  while (!Stopping(request)) {
    VLEDGER_ASSIGN_OR_RETURN(std::string page,
                             request.source.events(replica.size(), kFeedEventsMax));
    VLEDGER_ASSIGN_OR_RETURN(FeedApplied applied,
                             ApplyFeedPage(replica, std::move(page), request.source.name));
    result->appended += applied.events;
    result->commits += applied.commits;
    if (applied.events == 0) break;
  }
  return AcceptIfHeld(replica, polled);
}

Status Round(const Session& session, const MirrorRequest& request, MirrorResult* result) {
  PolledCheckpoint polled;
  VLEDGER_ASSIGN_OR_RETURN(polled.text, request.source.checkpoint());
  bool created = false;
  VLEDGER_ASSIGN_OR_RETURN(auto replica, OpenReplica(session, &created));
  result->created = result->created || created;
  const uint64_t before = replica->size();
  Status st = Follow(*replica, request, &polled, result);
  result->size = replica->size();
  VLEDGER_ASSIGN_OR_RETURN(auto newest, replica->LatestCheckpoint());
  const bool empty = replica->size() == 0;
  replica.reset();
  if (!st.ok()) {
    // A replica made by this round that verified nothing is not left behind.
    std::error_code ec;
    if (created && empty) std::filesystem::remove_all(session.options().ledger_dir, ec);
    return st;
  }
  if (newest) {
    VLEDGER_ASSIGN_OR_RETURN(result->checkpoint, ParseCheckpoint(newest->second));
  }
  if (request.progress && (result->size != before || polled.accepted)) {
    request.progress(MirrorProgress{result->size, result->size - before,
                                    result->checkpoint ? result->checkpoint->size : 0});
  }
  return Status::Ok();
}

}  // namespace

Result<MirrorResult> Mirror(const Session& session, const MirrorRequest& request) try {
  VLEDGER_ASSERT(request.source.checkpoint && request.source.events);
  MirrorResult result;
  while (true) {
    VLEDGER_TRY(Round(session, request, &result));
    if (request.once || Stopping(request)) break;
    Wait(request);
    if (Stopping(request)) break;
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

std::string MirrorJson(const MirrorResult& r) {
  Json checkpoint = nullptr;
  if (r.checkpoint)
    checkpoint = Json{{"size", r.checkpoint->size}, {"root", Hex(r.checkpoint->root)}};
  return Json{{"created", r.created},
              {"appended", r.appended},
              {"commits", r.commits},
              {"size", r.size},
              {"checkpoint", checkpoint}}
      .dump();
}

}  // namespace vledger::app
