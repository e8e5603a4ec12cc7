// Public reports and the question ledger (SPEC sections 7 and 8):
//   report points|funds|bulletin --village V --period P [--format F] [--lang L] [--at SIZE] [--out
//   F] publish --village V --period P [--kind K] [--format F] [--lang L] [--window-days N] --out F
//   verify-report FILE
//   objection file (--event SEQ|--report SHA256) --by RESIDENT --text T [--due DATE]
//   objection resolve SEQ --upheld|--dismissed --answer T [--reversal SEQ]
//   objection list [--open|--overdue] [--village V]
// The reports themselves are app/report.h's.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "append.h"
#include "context.h"
#include "vledger/app/report.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/objections.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {
namespace {

constexpr size_t kReportBytesMax = 64u << 20;

// ---------------------------------------------- report, publish, verify-report

Result<uint64_t> ParseCount(const std::string& field, const std::string& text) {
  if (text.empty() || text.size() > 19 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Rejected(field + ": \"" + text + "\" is not a whole number");
  }
  return std::stoull(text);
}

Status RunReport(Context& ctx, const app::ReportRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::ReportResult r, app::Report(ctx.Session(), request));
  if (r.out.empty()) {
    if (!ctx.quiet) std::cout << r.bytes << std::flush;
    return Status::Ok();
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::ReportJson(r)));
  } else {
    ctx.PrintLine("wrote " + r.out + ": " + std::to_string(r.bytes.size()) + " bytes, sha256 " +
                  r.sha256 + ", at size " + std::to_string(r.size));
  }
  return Status::Ok();
}

Status RunPublish(Context& ctx, const app::PublishRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::PublishResult r, app::Publish(ctx.Session(), request));
  PrintAppendResult(ctx, r.append);
  return Status::Ok();
}

Status RunVerifyReport(Context& ctx, const std::string& path) {
  VLEDGER_ASSIGN_OR_RETURN(app::VerifyReportResult r, app::VerifyReport(ctx.Session(), {path}));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::VerifyReportJson(r)));
  } else if (r.ok) {
    ctx.PrintLine(
        "ok: " + path + " matches the ledger at size " + std::to_string(r.size) + " (" + r.footer +
        ")" + (r.published_seq ? "; published at seq " + std::to_string(*r.published_seq) : ""));
  }
  return r.verdict;
}

// ------------------------------------------------------------ objections

Json ObjectionJson(const ObjectionRecord& o, const std::string& today) {
  Json j{{"seq", o.seq}};
  if (o.about_event) {
    j["about"] = *o.about_event;
  } else {
    j["about"] = Hex(o.about_report);
  }
  j["village"] = o.village;
  j["by"] = o.by_resident;
  j["text"] = o.text;
  j["status"] = o.resolved ? "closed" : "open";
  j["filedOn"] = o.filed_on;
  j["replyDue"] = o.reply_due;
  j["overdue"] = !o.resolved && o.reply_due < today;
  if (o.resolved) {
    j["outcome"] = o.upheld ? "upheld" : "dismissed";
    j["resolvedSeq"] = o.resolved_seq;
    j["resolvedOn"] = o.resolved_on;
    j["answer"] = o.answer;
    j["reversal"] = o.reversal ? Json(o.reversal) : Json(nullptr);
  }
  return j;
}

Status ObjectionListCommand(Context& ctx, bool open, bool overdue, const std::string& village) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  if (!village.empty() && !LoadVillage(*state, village)) {
    return Status::Rejected("--village: unknown village \"" + village + "\"");
  }
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, ctx.NowMs(*ledger));
  std::string today = CstDate(now_ms);
  Json list = Json::array();
  for (const ObjectionRecord& o : ListObjections(*state, village)) {
    if ((open || overdue) && o.resolved) continue;
    if (overdue && !(o.reply_due < today)) continue;
    Json j = ObjectionJson(o, today);
    list.push_back(j);
    if (ctx.options.json) continue;
    std::string about = o.about_event ? "seq " + std::to_string(*o.about_event)
                                      : "report " + Hex(o.about_report).substr(0, 16);
    std::string status = j["status"].get<std::string>();
    if (o.resolved) status += " (" + j["outcome"].get<std::string>() + ")";
    if (j["overdue"].get<bool>()) status += " OVERDUE";
    ctx.PrintLine("seq " + std::to_string(o.seq) + "  " + o.village + "  " + status + "  due " +
                  o.reply_due + "  about " + about + "  " + o.text);
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"objections", list}});
  return Status::Ok();
}

struct FileOpts {
  std::string event, report, by, text, due, request_id;
};

// The rejection `st` with the event's schema field named as the command's
// flag ("reversal: …" → "--reversal: …").
Status NamingFlags(Status st,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  if (!st.is_refusal()) return st;
  for (const auto& [field, flag] : fields) {
    std::string prefix = std::string(field) + ": ";
    if (st.message().starts_with(prefix)) {
      return Status::Rejected(std::string(flag) + ": " + st.message().substr(prefix.size()));
    }
  }
  return st;
}

constexpr size_t kReportShortIdHex = 16;  // as bulletins and `objection list` print it

// A published report named by its SHA-256 (64 hex digits) or by the short
// id the bulletin prints (its first 16), which must be the prefix of
// exactly one published report's SHA-256.
Result<std::string> PublishedReportSha(StateStore& state, const std::string& text) {
  std::string hex = text;
  for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (hex.size() == 64) {
    auto sha = Unhex(hex);
    if (sha && sha->size() == 32) return *sha;
  }
  if (hex.size() != kReportShortIdHex || !Unhex(hex)) {
    return Status::Rejected(
        "--report: give the report's SHA-256 (64 hex digits) or its short id "
        "(the first 16, as the bulletin prints it)");
  }
  const std::string prefix = "discsha/";
  std::vector<std::string> found;
  state.Scan(prefix + hex, [&](std::string_view key, std::string_view) {
    found.emplace_back(key.substr(prefix.size()));
    return found.size() < 3;
  });
  if (found.empty()) {
    return Status::Rejected("--report: no published report's SHA-256 starts with " + hex);
  }
  if (found.size() > 1) {
    return Status::Rejected("--report: " + hex + " is the start of several published reports' " +
                            "SHA-256 (" + found[0] + ", " + found[1] +
                            (found.size() > 2 ? ", …" : "") + "); give the whole SHA-256");
  }
  return *Unhex(found[0]);
}

Status ObjectionFileBuild(const FileOpts& o, CommitBuilder& b) {
  if (o.event.empty() == o.report.empty()) {
    return Status::Rejected("--event: give exactly one of --event SEQ and --report SHA256");
  }
  ObjectionFiled f;
  if (!o.event.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(f.about_event, ParseCount("--event", o.event));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(f.about_report, PublishedReportSha(b.state(), o.report));
  }
  f.by_resident = o.by;
  f.text = o.text;
  if (!o.due.empty()) VLEDGER_TRY(CheckDate("--due", o.due));
  f.reply_due = o.due.empty() ? AddWorkingDays(CstDate(b.now_ms()), kObjectionWorkingDays) : o.due;
  return NamingFlags(b.Add(f).status(),
                     {{"event", "--event"}, {"report", "--report"}, {"replyDue", "--due"}});
}

struct ResolveOpts {
  std::string seq, answer, reversal, request_id;
  bool upheld = false, dismissed = false;
};

Status ObjectionResolveBuild(const ResolveOpts& o, CommitBuilder& b) {
  if (o.upheld == o.dismissed) {
    return Status::Rejected("--upheld: give exactly one of --upheld and --dismissed");
  }
  ObjectionResolved r;
  VLEDGER_ASSIGN_OR_RETURN(r.objection, ParseCount("SEQ", o.seq));
  r.upheld = o.upheld;
  r.answer = o.answer;
  if (!o.reversal.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(r.reversal, ParseCount("--reversal", o.reversal));
    if (r.reversal == 0) return Status::Rejected("--reversal: seq 0 is the genesis");
  }
  return NamingFlags(b.Add(r).status(), {{"reversal", "--reversal"}});
}

template <typename Opts, typename Fn>
void OnAppend(CLI::App* cmd, Context& ctx, Action* action, std::shared_ptr<Opts> o, Fn build,
              const char* public_what) {
  cmd->callback([&ctx, action, o, cmd, build, public_what] {
    *action = [&ctx, o, fp = Fingerprint(*cmd), build, public_what] {
      Status st =
          AppendCommand(ctx, {o->request_id, fp}, [&](CommitBuilder& b) { return build(*o, b); });
      // After the fact, so a rejection stays one stderr line.
      if (st.ok()) {
        ctx.Warn(std::string(public_what) +
                 " is part of the public log: keep personal details out of it");
      }
      return st;
    };
  });
}

void RegisterObjectionCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* obj = AddCommand(app, "objection", "the question ledger (问题台账) of objections");
  obj->require_subcommand(1);
  {
    auto o = std::make_shared<FileOpts>();
    CLI::App* cmd = AddCommand(*obj, "file", "file an objection about an event or a report");
    cmd->add_option("--event", o->event, "seq of the event objected to");
    cmd->add_option("--report", o->report,
                    "SHA-256 of the published report objected to, or its 16-hex short id");
    cmd->add_option("--by", o->by, "the objector, a resident id")->required();
    cmd->add_option("--text", o->text, "the objection (public)")->required();
    cmd->add_option("--due", o->due, "reply due date (default 7 working days)");
    cmd->add_option("--request-id", o->request_id, "idempotency key");
    OnAppend(cmd, ctx, action, o, ObjectionFileBuild, "--text");
  }
  {
    auto o = std::make_shared<ResolveOpts>();
    CLI::App* cmd = AddCommand(*obj, "resolve", "answer an objection and close it (销号)");
    cmd->add_option("SEQ", o->seq, "seq of the objection")->required();
    cmd->add_flag("--upheld", o->upheld, "the objection is upheld");
    cmd->add_flag("--dismissed", o->dismissed, "the objection is dismissed");
    cmd->add_option("--answer", o->answer, "the written answer (public)")->required();
    cmd->add_option("--reversal", o->reversal, "seq of the eventReversed it caused");
    cmd->add_option("--request-id", o->request_id, "idempotency key");
    OnAppend(cmd, ctx, action, o, ObjectionResolveBuild, "--answer");
  }
  {
    struct Opts {
      bool open = false, overdue = false;
      std::string village;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*obj, "list", "list objections");
    cmd->add_flag("--open", o->open, "only open ones");
    cmd->add_flag("--overdue", o->overdue, "only open ones past their reply date");
    cmd->add_option("--village", o->village, "only this village's");
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o] { return ObjectionListCommand(ctx, o->open, o->overdue, o->village); };
    });
  }
}

}  // namespace

void RegisterReportCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto o = std::make_shared<app::ReportRequest>();
    CLI::App* cmd = AddCommand(app, "report", "write a public report (公示) at a checkpoint");
    cmd->add_option("KIND", o->kind, "points|funds|bulletin")->required();
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--period", o->period, "2021Q3, 2021-07 or 2021")->required();
    cmd->add_option("--format", o->format, "html|md|csv|json (default html)");
    cmd->add_option("--lang", o->lang, "zh|en (default zh)");
    cmd->add_option("--at", o->at, "the first SIZE events (a stored checkpoint's size)");
    cmd->add_option("--out", o->out, "write to FILE (default: stdout)");
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return RunReport(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<app::PublishRequest>();
    CLI::App* cmd =
        AddCommand(app, "publish", "write a report and record its publication (opens objections)");
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--period", o->period, "2021Q3, 2021-07 or 2021")->required();
    cmd->add_option("--kind", o->kind, "bulletin|points|funds (default bulletin)");
    cmd->add_option("--format", o->format, "html|md|csv|json (default html)");
    cmd->add_option("--lang", o->lang, "zh|en (default zh)");
    cmd->add_option("--window-days", o->window_days,
                    "objection window in working days (default 7)");
    cmd->add_option("--out", o->out, "the report file")->required();
    cmd->add_option("--request-id", o->append.request_id, "idempotency key");
    cmd->callback([&ctx, action, o, cmd] {
      o->append.fingerprint = Fingerprint(*cmd);
      *action = [&ctx, o] { return RunPublish(ctx, *o); };
    });
  }
  {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "verify-report", "regenerate a report and compare its bytes");
    cmd->add_option("FILE", *path, "the report file")->required();
    cmd->callback(
        [&ctx, action, path] { *action = [&ctx, path] { return RunVerifyReport(ctx, *path); }; });
  }
  RegisterObjectionCommands(app, ctx, action);
}

}  // namespace vledger::cli
