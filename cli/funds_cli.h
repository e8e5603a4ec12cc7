// Fund commands shared between command files: the write commands live in
// commands_funds.cc, the queries in funds_queries.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "context.h"

namespace vledger::cli {

// `balance --fund F [--at SEQ]`: the fund's total and each purpose that
// ever held money (zero included), "" being unrestricted money:
// {"fund":"F","balanceFen":123,"purposes":{"P":100,"":23}}. Called by the
// `balance` command (commands_points.cc).
Status FundBalanceCommand(Context& ctx, const std::string& fund, std::optional<uint64_t> at_seq);

// `fund list`, `allowance list [--fund F]`, `statement FUND --period PER`
// (by recording date) or `statement FUND --for PER` (the payments for PER,
// whenever recorded), `donor NAME`.
Status FundListCommand(Context& ctx);
Status AllowanceListCommand(Context& ctx, const std::string& fund);
Status StatementCommand(Context& ctx, const std::string& fund, const std::string& period,
                        const std::string& for_period);
Status DonorCommand(Context& ctx, const std::string& name);

}  // namespace vledger::cli
