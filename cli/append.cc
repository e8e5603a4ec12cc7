#include "append.h"

namespace vledger::cli {

void PrintAppendResult(Context& ctx, const app::AppendResult& result) {
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(result.json));
    return;
  }
  if (!result.first) {
    ctx.PrintLine(_("nothing to append"));
    return;
  }
  uint64_t first = *result.first, last = *result.last;
  if (result.repeated) {
    ctx.PrintLine(first == last
                      ? Tr("already appended seq {}, head {}", first, result.hash)
                      : Tr("already appended seqs {}..{}, head {}", first, last, result.hash));
  } else {
    ctx.PrintLine(first == last ? Tr("appended seq {}, head {}", first, result.hash)
                                : Tr("appended seqs {}..{}, head {}", first, last, result.hash));
  }
}

}  // namespace vledger::cli
