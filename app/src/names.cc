// `name set` (names.h).
#include "vledger/app/names.h"

#include "guard.h"

namespace vledger::app {

Result<NameSetResult> NameSet(const Session& session, const NameSetRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult append, Append(session, request, [&](CommitBuilder& b) {
                             return BuildDisplayName(b, request);
                           }));
  return NameSetResult{std::move(append)};
} catch (...) {
  return CaughtStatus();
}

std::string NameSetJson(const NameSetResult& result) { return result.append.json; }

}  // namespace vledger::app
