// Printing an append's result (app/append.h) as every appending command
// does.
#pragma once

#include "context.h"
#include "vledger/app/append.h"

namespace vledger::cli {

// The result document with --json, else "appended seq N, head H" (or
// "already appended …" for a repeat, "nothing to append").
void PrintAppendResult(Context& ctx, const app::AppendResult& result);

}  // namespace vledger::cli
