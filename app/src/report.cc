#include "vledger/app/report.h"

#include <fcntl.h>
#include <qrencode.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "guard.h"
#include "internal.h"
#include "vledger/app/checkpoint.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/files.h"
#include "vledger/projections/objections.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"
#include "vledger/projections/state.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kReportBytesMax = 64u << 20;

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
    return Status::InvalidInput(
        "--at", Msg("size {} is past the end of the log (size {})", args.size, ledger.size()));
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
  if (args.format == "html") data.qr_svg = QrSvg(data.qr_payload, "checkpoint QR code");
  Generated out;
  out.bytes = RenderReport(data);
  out.data = std::move(data);
  return out;
}

// Writes all of `bytes` to `fd`; false on a failed write.
bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// A report file read whole: refused when it cannot be read, a failed
// verification when it is larger than any report.
Result<std::string> ReadReportFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string why = std::strerror(errno);
    if (errno == ENOENT) return Status::NotFound("FILE", Msg("cannot read {}: {}", path, why));
    return Status::InvalidInput("FILE", Msg("cannot read {}: {}", path, why));
  }
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kReportBytesMax) {
      return Status::VerificationFailed(Msg("{} is larger than {} bytes", path, kReportBytesMax))
          .WithField("FILE");
    }
  }
  if (in.bad()) return Status::InvalidInput("FILE", Msg("cannot read {}", path));
  return text;
}

Result<uint64_t> ParseCount(std::string_view field, const std::string& text) {
  if (text.empty() || text.size() > 19 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidInput(field, Msg("\"{}\" is not a whole number", text));
  }
  return std::stoull(text);
}

// The session without its signing key: the stored checkpoints only.
Session WithoutKey(const Session& session) { return session.WithoutSigner(); }

// Whether `key` is an active admin key of the ledger (then publish signs a
// fresh checkpoint; other writers publish at the newest stored one).
bool KeyIsAdmin(const Signer& key, const Ledger& ledger) {
  auto state = StoredState(ledger);
  if (!state.ok()) return false;
  auto record = LoadKey(**state, key.key_id());
  return record && !record->revoked_seq && record->role == Role::kAdmin;
}

// The checkpoint text the report was computed at: the stored note at its
// size, keeping the signature lines the report itself carries (another
// admin may have countersigned the same size since).
Result<std::string> CheckpointOfReport(const Session& session, const Ledger& ledger, uint64_t size,
                                       std::string_view report) {
  auto head = CheckpointForUse(WithoutKey(session), ledger, size);
  if (!head.ok() && head.status().is_storage_fault()) return head.status();
  if (!head.ok() && head.status().code() == Code::kVerificationFailed) {
    return head.status().WithPrefix("the report's checkpoint does not verify");
  }
  if (!head.ok()) {
    return Flattened(Code::kVerificationFailed, head.status())
        .WithPrefix(Msg("no checkpoint is stored at size {} in this ledger", size));
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

Json OrNull(const std::optional<uint64_t>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

// ------------------------------------------------------------ QR code

std::string QrSvg(const std::string& text, std::string_view label) {
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
         "aria-label=\"" + std::string(label) + "\"><rect width=\"" + n + "\" height=\"" + n +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::InvalidInput("--out", Msg("cannot write {}", tmp));
  bool written = WriteAll(fd, bytes) && ::fsync(fd) == 0;
  written = ::close(fd) == 0 && written;
  if (!written) {
    std::remove(tmp.c_str());
    return Status::InvalidInput("--out", Msg("cannot write {}", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::InvalidInput("--out", Msg("cannot rename {} to {}", tmp, path));
  }
  if (!FsyncFolderOf(path)) {
    return Status::Io(Msg("cannot sync the folder of {}", path)).WithField("--out");
  }
  return Status::Ok();
}

Status SyncFolder(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool ok = fd >= 0 && ::syncfs(fd) == 0;
  std::string why = ok ? "" : std::string(std::strerror(errno));
  if (fd >= 0) ::close(fd);
  if (!ok) return Status::Io(Msg("cannot sync {}: {}", dir, why)).WithField("--out");
  return Status::Ok();
}

// --------------------------------------------------------------- report

ReportArgs ArgsOf(const ReportRequest& r) {
  ReportArgs args{r.village, r.period, r.kind, r.format, r.lang, 1};
  args.edition = r.edition;
  args.window_days = r.window_days;
  args.site_url = r.site_url;
  return args;
}

Result<ReportResult> Report(const Session& session, const ReportRequest& request) try {
  if (request.kind == "cards") return PrintCards(session, request);
  if (request.kind == "receipt") return PrintReceipt(session, request);
  if (!request.residents.empty()) {
    return Status::InvalidInput("--resident", "only report cards takes --resident");
  }
  if (!request.paper.empty()) {
    return Status::InvalidInput("--size", "only report cards and report receipt take --size");
  }
  if (!request.seq.empty()) {
    return Status::InvalidInput("SEQ", "only report receipt takes a SEQ");
  }
  ReportArgs args = ArgsOf(request);
  VLEDGER_TRY(CheckReportArgs(args));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  std::optional<uint64_t> at;
  if (!request.at.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(at, ParseCount("--at", request.at));
  }
  VLEDGER_ASSIGN_OR_RETURN(SignedHead head, CheckpointForUse(session, *ledger, at));
  args.size = head.head.size;
  VLEDGER_ASSIGN_OR_RETURN(Generated g, Generate(*ledger, args, head.text));
  ReportResult out;
  out.sha256 = Hex(Sha256(g.bytes));
  out.size = args.size;
  out.footer = FooterLine(args);
  out.out = request.out;
  if (!request.out.empty()) VLEDGER_TRY(WriteFileAtomically(request.out, g.bytes));
  out.bytes = std::move(g.bytes);
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string ReportJson(const ReportResult& r) {
  return Json{{"out", r.out},
              {"size", r.size},
              {"bytes", r.bytes.size()},
              {"sha256", r.sha256},
              {"footer", r.footer}}
      .dump();
}

// -------------------------------------------------------------- publish

Result<PublishResult> Publish(const Session& session, const PublishRequest& request) try {
  ReportArgs args{request.village, request.period, request.kind, request.format, request.lang, 1};
  args.edition = request.edition;
  args.window_days = request.window_days;
  args.site_url = request.site_url;
  VLEDGER_TRY(CheckReportArgs(args));
  VLEDGER_ASSIGN_OR_RETURN(std::shared_ptr<Signer> key, session.CommitSigner());
  Generated g;
  {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
    // The clock is checked (a test clock, a clock behind the log) though
    // the notice's dates come from the log.
    VLEDGER_TRY(session.AppendNowMs(*ledger).status());
    Session head_session = KeyIsAdmin(*key, *ledger) ? session : WithoutKey(session);
    VLEDGER_ASSIGN_OR_RETURN(SignedHead head,
                             CheckpointForUse(head_session, *ledger, std::nullopt));
    args.size = head.head.size;
    VLEDGER_ASSIGN_OR_RETURN(g, Generate(*ledger, args, head.text));
  }
  PublishResult out;
  Hash sha = Sha256(g.bytes);
  out.sha256 = Hex(sha);
  out.size = args.size;
  // The window the notice prints: from the report's date, under the
  // village's holiday calendar (a pure function of the log and arguments).
  out.window_end = g.data.notice.window_end;
  out.out = request.out;
  bool written = false;
  auto appended = Append(
      session, request.append,
      [&](CommitBuilder& b) -> Status {
        DisclosurePublished p;
        p.village = args.village;
        p.period = args.period;
        p.kind = args.kind;
        p.report_sha256 = AsString(sha);
        p.tree_size = args.size;
        p.window_end = out.window_end;
        p.format = args.format;
        p.lang = args.lang;
        VLEDGER_TRY(b.Add(p).status());
        // Written before the commit, so a published report always exists.
        VLEDGER_TRY(WriteFileAtomically(request.out, g.bytes));
        written = true;
        return Status::Ok();
      },
      [&]() -> JsonMembers {
        return {{"sha256", Json(out.sha256).dump()},
                {"size", Json(out.size).dump()},
                {"windowEnd", Json(out.window_end).dump()},
                {"out", Json(out.out).dump()}};
      });
  if (!appended.ok()) {
    if (written) std::remove(request.out.c_str());
    return appended.status();
  }
  out.append = std::move(*appended);
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string PublishJson(const PublishResult& result) { return result.append.json; }

// -------------------------------------------------------- verify-report

Result<VerifyReportResult> VerifyReport(const Session& session,
                                        const VerifyReportRequest& request) try {
  const std::string& path = request.path;
  VLEDGER_ASSIGN_OR_RETURN(std::string file, ReadReportFile(path));
  auto parsed = ParseFooter(file);
  if (!parsed.ok()) return parsed.status().WithPrefix(Msg("report {}", path));
  ReportArgs args = *parsed;
  if (args.renderer != kRendererVersion) {
    return Status::FailedPrecondition(
               Msg("report {} was made by renderer version {}; this program renders version {} "
                   "and cannot regenerate it (use the vledger release that made it)",
                   path, args.renderer, kRendererVersion))
        .WithField("FILE");
  }
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  if (args.size > ledger->size()) {
    return Status::VerificationFailed(
        Msg("report {} was computed at size {} but this ledger has only {} events", path, args.size,
            ledger->size()));
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string checkpoint,
                           CheckpointOfReport(session, *ledger, args.size, file));
  VLEDGER_ASSIGN_OR_RETURN(Generated g, Generate(*ledger, args, checkpoint));
  VLEDGER_ASSIGN_OR_RETURN(auto live, StoredState(*ledger));
  VerifyReportResult out;
  out.path = path;
  out.size = args.size;
  out.footer = FooterLine(args);
  Hash sha = Sha256(file);
  out.sha256 = Hex(sha);
  if (g.bytes == file) {
    out.ok = true;
    if (auto published = DisclosureBySha(*live, AsString(sha))) out.published_seq = published->seq;
    return out;
  }
  size_t offset = 0;
  while (offset < file.size() && offset < g.bytes.size() && file[offset] == g.bytes[offset]) {
    offset++;
  }
  out.offset = offset;
  out.section = SectionAt(args.format, g.bytes, offset);
  for (const std::string& ref : g.data.person_refs) {
    auto owner = LoadPersonOwner(*live, ref);
    if (owner && owner->erased && owner->erased_seq >= args.size) {
      out.erased_seq =
          out.erased_seq ? std::min(*out.erased_seq, owner->erased_seq) : owner->erased_seq;
    }
  }
  if (out.erased_seq) {
    out.verdict = Status::VerificationFailed(
        Msg("report {} does not match the ledger at size {}: first difference in section {} "
            "(byte {}); person erased at seq {} since the report was computed (not a change to "
            "the log)",
            path, args.size, out.section, offset, *out.erased_seq));
  } else {
    out.verdict = Status::VerificationFailed(
        Msg("report {} does not match the ledger at size {}: first difference in section {} "
            "(byte {})",
            path, args.size, out.section, offset));
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string VerifyReportJson(const VerifyReportResult& r) {
  if (r.ok) {
    return Json{{"ok", true},
                {"size", r.size},
                {"sha256", r.sha256},
                {"publishedSeq", OrNull(r.published_seq)}}
        .dump();
  }
  return Json{{"ok", false},
              {"size", r.size},
              {"section", r.section},
              {"offset", r.offset},
              {"erasedSeq", OrNull(r.erased_seq)}}
      .dump();
}

// ------------------------------------------------------------ objections

namespace {

// A refusal of the same code as `st`, naming `field`, saying what `st`
// says after its first `skip` prefixes.
Status RefusalLike(const Status& st, std::string_view field, size_t skip) {
  Status out = StatusOf(st.code(), st.msg());
  const std::vector<Msg>& prefixes = st.prefixes();
  for (size_t i = prefixes.size(); i-- > skip;) out = out.WithPrefix(prefixes[i]);
  return out.WithField(field);
}

// The refusal `st` with the event's schema field named as the command's
// flag ("reversal" → "--reversal"), whether the field is the status's
// field or, from code that does not set one yet, the start of its text.
Status NamingFlags(Status st,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  if (!st.is_refusal() || st.row() || st.seq()) return st;
  for (const auto& [field, flag] : fields) {
    if (st.field() == field) return st.WithField(flag);
    if (!st.field().empty()) continue;
    if (!st.prefixes().empty() && st.prefixes()[0].English() == field) {
      return RefusalLike(st, flag, 1);
    }
    // Text built whole (Msg "{}"), starting "FIELD: ".
    std::string prefix = std::string(field) + ": ";
    const Msg& m = st.msg();
    if (st.prefixes().empty() && std::string_view(m.pattern()) == "{}" && m.args().size() == 1 &&
        m.args()[0].starts_with(prefix)) {
      return StatusOf(st.code(), Msg("{}", m.args()[0].substr(prefix.size()))).WithField(flag);
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
    return Status::InvalidInput("--report",
                                "give the report's SHA-256 (64 hex digits) or its short id "
                                "(the first 16, as the bulletin prints it)");
  }
  const std::string prefix = "discsha/";
  std::vector<std::string> found;
  state.Scan(prefix + hex, [&](std::string_view key, std::string_view) {
    found.emplace_back(key.substr(prefix.size()));
    return found.size() < 3;
  });
  if (found.empty()) {
    return Status::NotFound("--report", Msg("no published report's SHA-256 starts with {}", hex));
  }
  if (found.size() > 1) {
    if (found.size() > 2) {
      return Status::InvalidInput("--report", Msg("{} is the start of several published reports' "
                                                  "SHA-256 ({}, {}, …); give the whole SHA-256",
                                                  hex, found[0], found[1]));
    }
    return Status::InvalidInput("--report", Msg("{} is the start of several published reports' "
                                                "SHA-256 ({}, {}); give the whole SHA-256",
                                                hex, found[0], found[1]));
  }
  return *Unhex(found[0]);
}

Status BuildObjectionFiled(const ObjectionFileRequest& o, CommitBuilder& b) {
  if (o.event.empty() == o.report.empty()) {
    return Status::InvalidInput("--event", "give exactly one of --event SEQ and --report SHA256");
  }
  ObjectionFiled f;
  if (!o.event.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(f.about_event, ParseCount("--event", o.event));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(f.about_report, PublishedReportSha(b.state(), o.report));
  }
  // The objector: a resident id, or a name among the key's villages.
  if (!o.by.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(f.by_resident, ResidentArg(b, "--by", o.by));
  }
  f.text = o.text;
  if (!o.due.empty()) VLEDGER_TRY(CheckDate("--due", o.due));
  // The reply is due in working days of the objector's village's calendar
  // (its county's holidays and 调休 workdays), weekends otherwise.
  WorkingCalendar calendar;
  if (auto by = LoadResident(b.state(), f.by_resident)) {
    if (auto village = LoadVillage(b.state(), by->village)) {
      calendar = {village->holidays, village->workdays};
    }
  }
  f.reply_due =
      o.due.empty() ? AddWorkingDays(CstDate(b.now_ms()), kObjectionWorkingDays, calendar) : o.due;
  return NamingFlags(b.Add(f).status(),
                     {{"event", "--event"}, {"report", "--report"}, {"replyDue", "--due"}});
}

Status BuildObjectionResolved(const ObjectionResolveRequest& o, CommitBuilder& b) {
  if (o.upheld == o.dismissed) {
    return Status::InvalidInput("--upheld", "give exactly one of --upheld and --dismissed");
  }
  ObjectionResolved r;
  VLEDGER_ASSIGN_OR_RETURN(r.objection, ParseCount("SEQ", o.seq));
  r.upheld = o.upheld;
  r.answer = o.answer;
  if (!o.reversal.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(r.reversal, ParseCount("--reversal", o.reversal));
    if (r.reversal == 0) return Status::InvalidInput("--reversal", "seq 0 is the genesis");
  }
  return NamingFlags(b.Add(r).status(), {{"reversal", "--reversal"}});
}

// `option` (e.g. "--text") is public text.
Msg PublicWarning(std::string_view option) {
  return Msg("{} is part of the public log: keep personal details out of it", option);
}

}  // namespace

Result<ObjectionChangeResult> ObjectionFile(const Session& session,
                                            const ObjectionFileRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult appended,
                           Append(session, request.append, [&](CommitBuilder& b) {
                             return BuildObjectionFiled(request, b);
                           }));
  return ObjectionChangeResult{std::move(appended), {PublicWarning("--text")}};
} catch (...) {
  return CaughtStatus();
}

Result<ObjectionChangeResult> ObjectionResolve(const Session& session,
                                               const ObjectionResolveRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult appended,
                           Append(session, request.append, [&](CommitBuilder& b) {
                             return BuildObjectionResolved(request, b);
                           }));
  return ObjectionChangeResult{std::move(appended), {PublicWarning("--answer")}};
} catch (...) {
  return CaughtStatus();
}

std::string ObjectionChangeJson(const ObjectionChangeResult& result) { return result.append.json; }

Result<ObjectionListResult> ObjectionList(const Session& session,
                                          const ObjectionListRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  if (!request.village.empty() && !LoadVillage(*state, request.village)) {
    return Status::NotFound("--village", Msg("unknown village \"{}\"", request.village));
  }
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, session.NowMs(*ledger));
  std::string today = CstDate(now_ms);
  ObjectionListResult out;
  for (const ObjectionRecord& o : ListObjections(*state, request.village)) {
    if ((request.open || request.overdue) && o.resolved) continue;
    if (request.overdue && !(o.reply_due < today)) continue;
    ObjectionItem item;
    item.seq = o.seq;
    item.about_event = o.about_event;
    if (!o.about_event) item.about_report = Hex(o.about_report);
    item.village = o.village;
    item.by = o.by_resident;
    item.text = o.text;
    item.filed_on = o.filed_on;
    item.reply_due = o.reply_due;
    item.resolved = o.resolved;
    item.overdue = !o.resolved && o.reply_due < today;
    item.upheld = o.upheld;
    item.resolved_seq = o.resolved_seq;
    item.resolved_on = o.resolved_on;
    item.answer = o.answer;
    item.reversal = o.reversal;
    out.objections.push_back(std::move(item));
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string ObjectionListJson(const ObjectionListResult& result) {
  Json list = Json::array();
  for (const ObjectionItem& o : result.objections) {
    Json j{{"seq", o.seq}};
    if (o.about_event) {
      j["about"] = *o.about_event;
    } else {
      j["about"] = o.about_report;
    }
    j["village"] = o.village;
    j["by"] = o.by;
    j["text"] = o.text;
    j["status"] = o.resolved ? "closed" : "open";
    j["filedOn"] = o.filed_on;
    j["replyDue"] = o.reply_due;
    j["overdue"] = o.overdue;
    if (o.resolved) {
      j["outcome"] = o.upheld ? "upheld" : "dismissed";
      j["resolvedSeq"] = o.resolved_seq;
      j["resolvedOn"] = o.resolved_on;
      j["answer"] = o.answer;
      j["reversal"] = o.reversal ? Json(o.reversal) : Json(nullptr);
    }
    list.push_back(j);
  }
  return Json{{"objections", list}}.dump();
}

}  // namespace vledger::app
