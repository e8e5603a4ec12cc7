// Display names of codes (SPEC section 3): `name set KIND CODE NAME
// [--village V]` names a rule, purpose, shop, fund or rule category; the
// code stays what the log, JSON and imports use, and human output and
// reports show the name. Admin only, as rules and funds are.
#pragma once

#include <string>

#include "vledger/app/append.h"
#include "vledger/app/builders.h"
#include "vledger/app/session.h"

namespace vledger::app {

struct NameSetRequest : AppendRequest, DisplayNameArgs {};
struct NameSetResult {
  AppendResult append;
};
Result<NameSetResult> NameSet(const Session& session, const NameSetRequest& request);
std::string NameSetJson(const NameSetResult& result);

}  // namespace vledger::app
