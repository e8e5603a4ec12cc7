// The HTTP half of `vledger mirror`: the requests a replica makes to its
// server (GET /checkpoint, GET /events), through cpp-httplib's client. The
// only file of the mirror that speaks HTTP; everything it fetches is
// judged by the application layer (app/mirror.h, app/feed.h).
#pragma once

#include <string>

#include "vledger/app/mirror.h"

namespace vledger::cli {

// Bodies larger than this are refused (a page is about kFeedBytesMax, more
// only for one very large commit).
inline constexpr size_t kMirrorBodyBytesMax = size_t{256} << 20;

// The server at `url` (http:// or https://HOST[:PORT][/PATH]: the
// endpoints are PATH/checkpoint and PATH/events). A server that cannot be
// reached, or answers with another status than 200 (404 for a checkpoint
// it does not have yet: none), is Unavailable, naming the URL.
Result<app::MirrorSource> HttpMirrorSource(const std::string& url);

}  // namespace vledger::cli
