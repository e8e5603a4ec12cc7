// Public reports and the question ledger (SPEC sections 7 and 8):
//   report points|funds|bulletin --village V --period P [--format F] [--lang L] [--at SIZE] [--out F]
//   publish --village V --period P [--kind K] [--format F] [--lang L] [--window-days N] --out F
//   verify-report FILE
//   objection file (--event SEQ|--report SHA256) --by RESIDENT --text T [--due DATE]
//   objection resolve SEQ --upheld|--dismissed --answer T [--reversal SEQ]
//   objection list [--open|--overdue] [--village V]
// A report is computed at a signed checkpoint: the log prefix of the
// checkpoint's size is replayed into memory, so the bytes depend only on
// that prefix, the person records and the arguments.
#include <qrencode.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "append.h"
#include "audit.h"
#include "context.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/objections.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {
namespace {

constexpr size_t kReportBytesMax = 64u << 20;

// ------------------------------------------------------------ QR code

// The text as a QR code (libqrencode), one SVG path of its dark modules
// with a four-module quiet zone. Deterministic: same text, same bytes.
std::string QrSvg(const std::string& text) {
  QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  if (qr == nullptr) return "";
  const int width = qr->width, quiet = 4, size = width + 2 * quiet;
  std::string path;
  for (int y = 0; y < width; y++) {
    for (int x = 0; x < width; x++) {
      if ((qr->data[y * width + x] & 1) == 0) continue;
      path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    }
  }
  QRcode_free(qr);
  std::string n = std::to_string(size);
  return "<svg viewBox=\"0 0 " + n + " " + n + "\" shape-rendering=\"crispEdges\" role=\"img\" " +
         "aria-label=\"checkpoint QR code\"><rect width=\"" + n + "\" height=\"" + n +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

// ------------------------------------------------------------ generation

struct Generated {
  ReportData data;
  std::string bytes;
};

// The report of `args` (args.size the prefix) at the given checkpoint text.
Result<Generated> Generate(const Ledger& ledger, const ReportArgs& args,
                           const std::string& checkpoint) {
  VLEDGER_TRY(CheckReportArgs(args));
  if (args.size > ledger.size()) {
    return Status::Rejected("--at: size " + std::to_string(args.size) +
                            " is past the end of the log (size " + std::to_string(ledger.size()) +
                            ")");
  }
  VLEDGER_ASSIGN_OR_RETURN(auto state, StateAt(ledger, args.size - 1));
  Status person_error;
  PersonLookup persons = [&](std::string_view ref) -> std::optional<Person> {
    auto record = ledger.LoadPerson(ref);
    if (!record.ok()) {
      if (person_error.ok()) person_error = record.status();
      return std::nullopt;
    }
    if (!*record) return std::nullopt;
    return (*record)->person;
  };
  VLEDGER_ASSIGN_OR_RETURN(ReportData data, BuildReport(*state, persons, args, checkpoint));
  VLEDGER_TRY(person_error);
  if (args.format == "html") data.qr_svg = QrSvg(checkpoint);
  Generated out;
  out.bytes = RenderReport(data);
  out.data = std::move(data);
  return out;
}

Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Status::Rejected("--out: cannot write " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::Rejected("--out: cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

Result<uint64_t> ParseCount(const std::string& field, const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Rejected(field + ": \"" + text + "\" is not a whole number");
  }
  return std::stoull(text);
}

// The checkpoint a report is computed at: signed now with an admin --key,
// else the stored one (at --at, or the newest).
Result<SignedHead> ReportHead(Context& ctx, const Ledger& ledger, std::optional<uint64_t> at) {
  return CheckpointForUse(ctx, ledger, at);
}

// --------------------------------------------------------------- report

struct ReportOpts {
  std::string kind, village, period, format = "html", lang = "zh", at, out;
};

Status ReportCommand(Context& ctx, const ReportOpts& o) {
  ReportArgs args{o.village, o.period, o.kind, o.format, o.lang, 1};
  VLEDGER_TRY(CheckReportArgs(args));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  std::optional<uint64_t> at;
  if (!o.at.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(at, ParseCount("--at", o.at));
  }
  VLEDGER_ASSIGN_OR_RETURN(SignedHead head, ReportHead(ctx, *ledger, at));
  args.size = head.head.size;
  VLEDGER_ASSIGN_OR_RETURN(Generated g, Generate(*ledger, args, head.text));
  std::string sha = Hex(Sha256(g.bytes));
  if (o.out.empty()) {
    if (!ctx.quiet) std::cout << g.bytes << std::flush;
    return Status::Ok();
  }
  VLEDGER_TRY(WriteFileAtomically(o.out, g.bytes));
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"out", o.out}, {"size", args.size}, {"bytes", g.bytes.size()},
                       {"sha256", sha}, {"footer", FooterLine(args)}});
  } else {
    ctx.PrintLine("wrote " + o.out + ": " + std::to_string(g.bytes.size()) + " bytes, sha256 " +
                  sha + ", at size " + std::to_string(args.size));
  }
  return Status::Ok();
}

// -------------------------------------------------------------- publish

struct PublishOpts {
  std::string village, period, kind = "bulletin", format = "html", lang = "zh", out, request_id;
  int window_days = kObjectionWorkingDays;
};

// Whether the --key is an active admin key of the ledger (then publish
// signs a fresh checkpoint; other writers publish at the newest stored one).
bool KeyIsAdmin(Context& ctx, const Ledger& ledger) {
  auto key = ctx.SigningKey();
  if (!key.ok()) return false;
  auto state = StoredState(ledger);
  if (!state.ok()) return false;
  auto record = LoadKey(**state, key->key_id());
  return record && !record->revoked_seq && record->role == Role::kAdmin;
}

Status PublishCommand(Context& ctx, const PublishOpts& o, const std::string& fingerprint) {
  if (o.window_days < 1 || o.window_days > kWindowWorkingDaysMax) {
    return Status::Rejected("--window-days: give 1.." + std::to_string(kWindowWorkingDaysMax));
  }
  ReportArgs args{o.village, o.period, o.kind, o.format, o.lang, 1};
  VLEDGER_TRY(CheckReportArgs(args));
  VLEDGER_TRY(ctx.SigningKey().status());
  Generated g;
  int64_t now_ms = 0;
  {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
    VLEDGER_ASSIGN_OR_RETURN(now_ms, ctx.AppendNowMs(*ledger));
    Context head_ctx = ctx;
    if (!KeyIsAdmin(ctx, *ledger)) head_ctx.options.key_path.clear();
    VLEDGER_ASSIGN_OR_RETURN(SignedHead head, ReportHead(head_ctx, *ledger, std::nullopt));
    args.size = head.head.size;
    VLEDGER_ASSIGN_OR_RETURN(g, Generate(*ledger, args, head.text));
  }
  Hash sha = Sha256(g.bytes);
  std::string window_end = AddWorkingDays(CstDate(now_ms), o.window_days);
  bool appended = false;
  Status st = AppendCommand(
      ctx, {o.request_id, fingerprint},
      [&](CommitBuilder& b) -> Status {
        DisclosurePublished p;
        p.village = args.village;
        p.period = args.period;
        p.kind = args.kind;
        p.report_sha256 = AsString(sha);
        p.tree_size = args.size;
        p.window_end = window_end;
        p.format = args.format;
        p.lang = args.lang;
        VLEDGER_TRY(b.Add(p).status());
        // Written before the commit, so a published report always exists.
        VLEDGER_TRY(WriteFileAtomically(o.out, g.bytes));
        appended = true;
        return Status::Ok();
      },
      [&](Json& result) {
        result["sha256"] = Hex(sha);
        result["size"] = args.size;
        result["windowEnd"] = window_end;
        result["out"] = o.out;
      });
  if (!st.ok() && appended) std::remove(o.out.c_str());
  return st;
}

// -------------------------------------------------------- verify-report

// The checkpoint text the report was computed at: the stored note at its
// size, keeping the signature lines the report itself carries (another
// admin may have countersigned the same size since).
Result<std::string> CheckpointOfReport(Context& ctx, const Ledger& ledger, uint64_t size,
                                       std::string_view report) {
  Context stored_ctx = ctx;
  stored_ctx.options.key_path.clear();
  auto head = CheckpointForUse(stored_ctx, ledger, size);
  if (!head.ok() && head.status().is_storage_fault()) return head.status();
  if (!head.ok() && head.status().code() == Code::kVerificationFailed) {
    return head.status().WithPrefix("the report's checkpoint does not verify");
  }
  if (!head.ok()) {
    return Status::Fault("no checkpoint is stored at size " + std::to_string(size) +
                         " in this ledger: " + head.status().message());
  }
  const std::string& text = head->text;
  size_t blank = text.find("\n\n");
  if (blank == std::string::npos) return text;
  std::string kept = text.substr(0, blank + 2);
  size_t pos = blank + 2;
  bool any = false;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size() - 1;
    std::string line = text.substr(pos, end - pos);
    if (report.find(line) != std::string_view::npos) {
      kept += line + "\n";
      any = true;
    }
    pos = end + 1;
  }
  return any ? kept : text;
}

Status VerifyReportCommand(Context& ctx, const std::string& path) {
  VLEDGER_ASSIGN_OR_RETURN(std::string file, ReadEvidenceFile("FILE", path, kReportBytesMax));
  auto parsed = ParseFooter(file);
  if (!parsed.ok()) return parsed.status().WithPrefix("report " + path);
  ReportArgs args = *parsed;
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  if (args.size > ledger->size()) {
    return Status::Fault("report " + path + " was computed at size " + std::to_string(args.size) +
                         " but this ledger has only " + std::to_string(ledger->size()) + " events");
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string checkpoint,
                           CheckpointOfReport(ctx, *ledger, args.size, file));
  VLEDGER_ASSIGN_OR_RETURN(Generated g, Generate(*ledger, args, checkpoint));
  VLEDGER_ASSIGN_OR_RETURN(auto live, StoredState(*ledger));
  std::string sha = Hex(Sha256(file));
  auto published = DisclosureBySha(*live, AsString(Sha256(file)));
  if (g.bytes == file) {
    if (ctx.options.json) {
      ctx.PrintJson(Json{{"ok", true}, {"size", args.size}, {"sha256", sha},
                         {"publishedSeq", published ? Json(published->seq) : Json(nullptr)}});
    } else {
      ctx.PrintLine("ok: " + path + " matches the ledger at size " + std::to_string(args.size) +
                    " (" + FooterLine(args) + ")" +
                    (published ? "; published at seq " + std::to_string(published->seq) : ""));
    }
    return Status::Ok();
  }
  size_t offset = 0;
  while (offset < file.size() && offset < g.bytes.size() && file[offset] == g.bytes[offset]) {
    offset++;
  }
  std::string section = SectionAt(args.format, g.bytes, offset);
  std::optional<uint64_t> erased;
  for (const std::string& ref : g.data.person_refs) {
    auto owner = LoadPersonOwner(*live, ref);
    if (owner && owner->erased && owner->erased_seq >= args.size) {
      erased = erased ? std::min(*erased, owner->erased_seq) : owner->erased_seq;
    }
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"ok", false}, {"size", args.size}, {"section", section},
                       {"offset", offset}, {"erasedSeq", erased ? Json(*erased) : Json(nullptr)}});
  }
  std::string msg = "report " + path + " does not match the ledger at size " +
                    std::to_string(args.size) + ": first difference in section " + section +
                    " (byte " + std::to_string(offset) + ")";
  if (erased) {
    msg += "; person erased at seq " + std::to_string(*erased) +
           " since the report was computed (not a change to the log)";
  }
  return Status::Fault(msg);
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
      Status st = AppendCommand(ctx, {o->request_id, fp},
                                [&](CommitBuilder& b) { return build(*o, b); });
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
    auto o = std::make_shared<ReportOpts>();
    CLI::App* cmd = AddCommand(app, "report", "write a public report (公示) at a checkpoint");
    cmd->add_option("KIND", o->kind, "points|funds|bulletin")->required();
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--period", o->period, "2021Q3, 2021-07 or 2021")->required();
    cmd->add_option("--format", o->format, "html|md|csv|json (default html)");
    cmd->add_option("--lang", o->lang, "zh|en (default zh)");
    cmd->add_option("--at", o->at, "the first SIZE events (a stored checkpoint's size)");
    cmd->add_option("--out", o->out, "write to FILE (default: stdout)");
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return ReportCommand(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<PublishOpts>();
    CLI::App* cmd =
        AddCommand(app, "publish", "write a report and record its publication (opens objections)");
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--period", o->period, "2021Q3, 2021-07 or 2021")->required();
    cmd->add_option("--kind", o->kind, "bulletin|points|funds (default bulletin)");
    cmd->add_option("--format", o->format, "html|md|csv|json (default html)");
    cmd->add_option("--lang", o->lang, "zh|en (default zh)");
    cmd->add_option("--window-days", o->window_days, "objection window in working days (default 7)");
    cmd->add_option("--out", o->out, "the report file")->required();
    cmd->add_option("--request-id", o->request_id, "idempotency key");
    cmd->callback([&ctx, action, o, cmd] {
      *action = [&ctx, o, fp = Fingerprint(*cmd)] { return PublishCommand(ctx, *o, fp); };
    });
  }
  {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "verify-report", "regenerate a report and compare its bytes");
    cmd->add_option("FILE", *path, "the report file")->required();
    cmd->callback([&ctx, action, path] {
      *action = [&ctx, path] { return VerifyReportCommand(ctx, *path); };
    });
  }
  RegisterObjectionCommands(app, ctx, action);
}

}  // namespace vledger::cli
