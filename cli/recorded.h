// What the CLI says about events in people's words: the one sentence an
// appending command answers with (what it recorded, the balances after
// it, its seq), and the details of a `log` line. Built from the
// summaries of the application layer (vledger/app/event_summary.h), in
// the current language.
#pragma once

#include <string>

#include "vledger/app/append.h"
#include "vledger/app/event_summary.h"

namespace vledger::cli {

// One sentence: "Awarded 3 points to 曲建国 (R001) (志愿服务: 为老人义务理发);
// credit score 45, spendable 30 (seq 1234)"; for a repeat "Already
// recorded (seq N): nothing appended now"; "nothing to append".
std::string RecordedSentence(const app::AppendResult& result);

// A log line's details after its kind: who, rule, points or amount, fund,
// note (empty when the event has none of these).
std::string EventDetails(const app::EventSummary& summary);

}  // namespace vledger::cli
