// An event of the log as `log` and `show` give it (not part of the
// application layer's interface).
#pragma once

#include <string>

#include "vledger/app/log.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"

namespace vledger::app {

// The stored event decoded (a malformed one: its status, naming its seq);
// its summary is left empty.
Result<LoggedEvent> Logged(const StoredEvent& stored);
// {"seq","hash","type","recordedAt","keyId"[,"requestId"],"body"}
std::string LoggedEventJson(const LoggedEvent& event);

}  // namespace vledger::app
