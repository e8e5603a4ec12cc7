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

Status AppendCommand(Context& ctx, const AppendOptions& options,
                     const std::function<Status(CommitBuilder&)>& build,
                     const std::function<void(Json&)>& extend) {
  std::function<app::JsonMembers()> members;
  if (extend) {
    members = [&extend] {
      Json doc = Json::object();
      extend(doc);
      app::JsonMembers out;
      for (auto& [name, value] : doc.items()) out.emplace_back(name, value.dump());
      return out;
    };
  }
  VLEDGER_ASSIGN_OR_RETURN(
      app::AppendResult result,
      app::Append(ctx.Session(), {options.request_id, options.fingerprint}, build, members));
  PrintAppendResult(ctx, result);
  return Status::Ok();
}

}  // namespace vledger::cli
