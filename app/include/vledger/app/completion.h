// The words a shell completes from the ledger: `vledger completion bash`
// prints a script that asks the hidden command `vledger __complete WHAT
// PREFIX` for resident, rule, village, fund and household ids.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "vledger/app/session.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// At most this many words answer one completion (a shell asks before
// showing more than a hundred anyway).
inline constexpr size_t kCompletionWordsMax = 1'000;

struct CompleteRequest {
  // What to complete: residents, rules (not retired), villages, funds or
  // households; another word is invalid input ("WHAT").
  std::string what;
  std::string prefix;  // the words start with it
};

struct CompleteResult {
  std::vector<std::string> words;  // in byte order, at most kCompletionWordsMax
};

// The ids of `what` that start with `prefix`, read from the stored
// projection rows by a prefix scan (no person record is read), so a county
// ledger answers as fast as a small one.
Result<CompleteResult> Complete(const Session& session, const CompleteRequest& request);

}  // namespace vledger::app
