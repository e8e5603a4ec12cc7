// The ids a shell completes (completion.h).
#include "vledger/app/completion.h"

#include "guard.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

// The ids of the entity rows under `prefix` + `start`, without decoding
// the rows: residents and households are many.
void ScanIds(StateStore& state, std::string_view prefix, const std::string& start,
             std::vector<std::string>* words) {
  std::string from = std::string(prefix) + start;
  state.Scan(from, [&](std::string_view key, std::string_view) {
    words->emplace_back(key.substr(prefix.size()));
    return words->size() < kCompletionWordsMax;
  });
}

}  // namespace

Result<CompleteResult> Complete(const Session& session, const CompleteRequest& request) try {
  const std::string& what = request.what;
  if (what != "residents" && what != "rules" && what != "villages" && what != "funds" &&
      what != "households") {
    return Status::InvalidInput(
        "WHAT", Msg("\"{}\" is not residents, rules, villages, funds or households", what));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  CompleteResult result;
  auto add = [&](const std::string& id) {
    if (id.starts_with(request.prefix) && result.words.size() < kCompletionWordsMax) {
      result.words.push_back(id);
    }
  };
  if (what == "residents") {
    ScanIds(*state, ResidentState::kPrefix, request.prefix, &result.words);
  } else if (what == "households") {
    ScanIds(*state, HouseholdState::kPrefix, request.prefix, &result.words);
  } else if (what == "rules") {
    for (const RuleRecord& r : ListRules(*state, "")) {
      if (!r.retired_seq) add(r.code);
    }
  } else if (what == "villages") {
    for (const VillageRecord& v : ListVillages(*state)) add(v.code);
  } else {
    for (const FundRecord& f : ListFunds(*state)) add(f.code);
  }
  return result;
} catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
