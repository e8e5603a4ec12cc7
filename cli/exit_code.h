// The one place where a Status becomes an exit code (SPEC section 7; the
// table in README.md).
#pragma once

#include "vledger/ledger/status.h"

namespace vledger::cli {

// 0 ok; 1 a verification failed; 2 the command line does not parse;
// 3 the request was refused (invalid input, not found, already exists,
// conflict, permission denied, failed precondition); 4 the ledger is
// damaged, unavailable or could not be read or written; 5 internal error.
int ExitCode(const Status& status);

}  // namespace vledger::cli
