// Printing an append's result (app/append.h) as every appending command
// does.
#pragma once

#include "context.h"
#include "vledger/app/append.h"

namespace vledger::cli {

// The result document with --json, else one sentence saying what was
// recorded (recorded.h: RecordedSentence). The head hash is in the JSON
// document only.
void PrintAppendResult(Context& ctx, const app::AppendResult& result);

}  // namespace vledger::cli
