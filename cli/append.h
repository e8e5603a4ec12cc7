// The CLI's side of the shared write path (app/append.h): runs an append
// and prints its result.
#pragma once

#include <functional>
#include <string>

#include "context.h"
#include "vledger/app/append.h"
#include "vledger/app/builders.h"

namespace vledger::cli {

using app::AppendRequest;
using app::CheckRequestId;
using app::CommitBuilder;
using app::LiveState;
using app::LoadRequest;
using app::RequestUsedByAnotherKey;
using app::StageRows;
// The event builders (app/builders.h).
using app::AwardArgs;
using app::BuildAward;
using app::BuildDeduction;
using app::BuildDisbursement;
using app::BuildDonation;
using app::BuildHousehold;
using app::BuildRedemption;
using app::BuildResident;
using app::BuildResidentUpdate;
using app::BuildRule;
using app::DeductionArgs;
using app::DisbursementArgs;
using app::DonationArgs;
using app::HouseholdArgs;
using app::PersonArgs;
using app::RedemptionArgs;
using app::ResidentArgs;
using app::ResidentUpdateArgs;
using app::RuleArgs;

struct AppendOptions {
  std::string request_id;   // --request-id, may be empty
  std::string fingerprint;  // Fingerprint() of the command
};

// Runs `build` through app::Append and prints the result: the JSON
// document with --json, else "appended seq N, head H". `extend` may add
// fields (e.g. "payments") to the JSON result.
Status AppendCommand(Context& ctx, const AppendOptions& options,
                     const std::function<Status(CommitBuilder&)>& build,
                     const std::function<void(Json&)>& extend = {});

// Prints an append's result as AppendCommand does.
void PrintAppendResult(Context& ctx, const app::AppendResult& result);

}  // namespace vledger::cli
