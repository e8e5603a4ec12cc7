// Fund commands shared between command files: registration and the write
// commands live in commands_funds.cc, the queries' printing in
// funds_queries.cc; the commands themselves are in app/funds.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "context.h"

namespace vledger::cli {

// `balance --fund F [--at SEQ]` (app::FundBalance), printed. Called by the
// `balance` command (commands_points.cc).
Status FundBalanceCommand(Context& ctx, const std::string& fund, std::optional<uint64_t> at_seq);

// `fund list`, `allowance list [--fund F]`, `statement FUND --period PER`
// or `statement FUND --for PER`, `donor NAME`: run and printed.
Status RunFundList(Context& ctx);
Status RunAllowanceList(Context& ctx, const std::string& fund);
Status RunStatement(Context& ctx, const std::string& fund, const std::string& period,
                    const std::string& for_period);
Status RunDonor(Context& ctx, const std::string& name);

}  // namespace vledger::cli
