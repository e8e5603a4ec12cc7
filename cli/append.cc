#include "append.h"

#include "recorded.h"

namespace vledger::cli {

void PrintAppendResult(Context& ctx, const app::AppendResult& result) {
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(result.json));
    return;
  }
  ctx.PrintLine(RecordedSentence(result));
}

}  // namespace vledger::cli
