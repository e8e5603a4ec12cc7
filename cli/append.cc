#include "append.h"

namespace vledger::cli {

void PrintAppendResult(Context& ctx, const app::AppendResult& result) {
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(result.json));
    return;
  }
  if (!result.first) {
    ctx.PrintLine("nothing to append");
    return;
  }
  std::string what = *result.first == *result.last ? "seq " + std::to_string(*result.first)
                                                   : "seqs " + std::to_string(*result.first) +
                                                         ".." + std::to_string(*result.last);
  std::string prefix = result.repeated ? "already appended " : "appended ";
  ctx.PrintLine(prefix + what + ", head " + result.hash);
}

}  // namespace vledger::cli
