// Ledger-level commands: init, key, log, show, verify, rebuild (their work
// is app/ledger.h's).
#include <cstdlib>
#include <ctime>
#include <memory>
#include <tuple>
#include <vector>

#include "actions.h"
#include "append.h"
#include "context.h"
#include "event_names.h"
#include "i18n.h"
#include "recorded.h"
#include "vledger/app/ledger.h"
#include "vledger/app/log.h"

namespace vledger::cli {
namespace {

Status RunInit(Context& ctx, app::InitRequest request) {
  // An existing --admin-key may be encrypted: its passphrase as for --key.
  if (const char* pass = std::getenv("VLEDGER_KEY_PASSPHRASE"); pass != nullptr) {
    request.key_in_passphrase = pass;
  }
  VLEDGER_ASSIGN_OR_RETURN(app::InitResult r, app::Init(ctx.Session(), request));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::InitJson(r)));
    return Status::Ok();
  }
  ctx.PrintLine(Tr("created ledger \"{}\" in {}", r.name, r.dir));
  ctx.PrintLine(Tr("origin:    {}", r.origin));
  if (r.new_key) {
    ctx.PrintLine(Tr("admin key: {0} (key id {1}; keep it offline, mode 0600), public half {0}.pub",
                     r.key_path, r.key_id));
  } else {
    ctx.PrintLine(Tr("admin key: {} (key id {})", r.key_path, r.key_id));
  }
  return Status::Ok();
}

Status RunLog(Context& ctx, const app::LogRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::LogResult r, app::Log(ctx.Session(), request));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::LogJson(r)));
    return Status::Ok();
  }
  // One line per event: seq, date and time recorded (UTC), key, the kind in
  // the current language, then what it says (the body as JSON for an event
  // that says nothing a person reads).
  for (const app::LoggedEvent& e : r.events) {
    std::string details = EventDetails(e.summary);
    ctx.PrintLine(std::to_string(e.seq) + "  " + UtcTime(e.recorded_at_ms) + "  " + e.key_id +
                  "  " + EventName(e.type) + "  " + (details.empty() ? e.body_json : details));
  }
  return Status::Ok();
}

std::string TallyText(const app::EntryTally& t) {
  return Tr("{0} ({1} points)", t.count, t.points);
}

std::string SummaryLine(const std::string& who, const app::SummaryRow& row) {
  return Tr("{0}  awards {1}  deductions {2}  reversed {3}", who, TallyText(row.awards),
            TallyText(row.deductions), TallyText(row.reversed));
}

void PrintSummary(const Context& ctx, const app::SummaryResult& r) {
  ctx.PrintLine(r.village.empty()
                    ? Tr("{}: entries by the date of the act", r.month)
                    : Tr("{0}, village {1}: entries by the date of the act", r.month, r.village));
  ctx.PrintLine(_("by collector:"));
  for (const app::SummaryRow& row : r.collectors) {
    std::string who = row.label.empty() ? row.key_id : Tr("{0} ({1})", row.key_id, row.label);
    ctx.PrintLine("  " + SummaryLine(who, row));
  }
  ctx.PrintLine(_("by rule category:"));
  for (const app::SummaryRow& row : r.categories) {
    std::string category = row.category_name.empty() ? row.category : row.category_name;
    ctx.PrintLine("  " + SummaryLine(category.empty() ? _("(none)") : category, row));
  }
  ctx.PrintLine(SummaryLine(_("total"), r.total));
}

Status RunShow(Context& ctx, const app::ShowRequest& request) {
  VLEDGER_ASSIGN_OR_RETURN(app::ShowResult r, app::Show(ctx.Session(), request));
  Json j = Json::parse(app::ShowJson(r));
  if (ctx.options.json) {
    ctx.PrintJson(j);
    return Status::Ok();
  }
  const app::LoggedEvent& e = r.event;
  ctx.PrintLine(Tr("seq:        {}", e.seq));
  ctx.PrintLine(Tr("type:       {}", EventName(e.type)));
  ctx.PrintLine(Tr("recorded:   {}", UtcTime(e.recorded_at_ms)));
  ctx.PrintLine(Tr("key:        {}", e.key_id));
  if (!e.request_id.empty()) ctx.PrintLine(Tr("request id: {}", e.request_id));
  ctx.PrintLine(Tr("hash:       {}", e.hash));
  ctx.PrintLine(Tr("commit:     {}..{}", r.commit_first, r.commit_last));
  ctx.PrintLine(Tr("body:       {}", j["body"].dump(2)));
  return Status::Ok();
}

Status RunVerify(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(app::VerifyResult r, app::Verify(ctx.Session(), {}));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::VerifyJson(r)));
  } else if (r.ok) {
    ctx.PrintLine(Tr("ok: {} events verified, Merkle root {}", r.events, r.root));
  }
  return r.verdict;
}

Status RunRebuild(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(app::RebuildResult r, app::Rebuild(ctx.Session(), {}));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::RebuildJson(r)));
  } else {
    ctx.PrintLine(Tr("rebuilt {} projection rows from {} events", r.rows, r.events));
  }
  return Status::Ok();
}

// The passphrase for `key new --encrypt`: VLEDGER_KEY_PASSPHRASE, else
// typed twice on the terminal.
Result<std::string> NewPassphrase() {
  if (const char* pass = std::getenv("VLEDGER_KEY_PASSPHRASE"); pass != nullptr) {
    if (*pass == '\0') return Status::InvalidInput("VLEDGER_KEY_PASSPHRASE is empty");
    return std::string(pass);
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string first, PromptPassphrase(_("passphrase for the new key: ")));
  VLEDGER_ASSIGN_OR_RETURN(std::string again, PromptPassphrase(_("the same passphrase again: ")));
  if (first != again) return Status::InvalidInput("--encrypt", "the passphrases differ");
  return first;
}

Status RunKeyNew(Context& ctx, const std::string& out, bool encrypt) {
  app::KeyNewRequest request{out, ""};
  if (encrypt) {
    VLEDGER_ASSIGN_OR_RETURN(request.passphrase, NewPassphrase());
  }
  VLEDGER_ASSIGN_OR_RETURN(app::KeyNewResult r, app::KeyNew(ctx.Session(), request));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::KeyNewJson(r)));
  } else {
    ctx.PrintLine(
        Tr("wrote {} (mode 0600) and {}; key id {}", r.private_path, r.public_path, r.key_id));
  }
  return Status::Ok();
}

Status RunKeyList(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(app::KeyListResult r, app::KeyList(ctx.Session(), {}));
  if (ctx.options.json) {
    ctx.PrintJson(Json::parse(app::KeyListJson(r)));
    return Status::Ok();
  }
  for (const app::KeyListEntry& k : r.keys) {
    std::string scope;
    for (const auto& v : k.villages) scope += (scope.empty() ? "" : ",") + v;
    ctx.PrintLine(k.key_id + "  " + Word(k.role) + "  " + (scope.empty() ? "*" : scope) + "  " +
                  (k.revoked_seq ? Tr("revoked at seq {}", *k.revoked_seq) : P_("key", "active")) +
                  "  " + k.label);
  }
  return Status::Ok();
}

}  // namespace

void RegisterLedgerCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto o = std::make_shared<app::InitRequest>();
    CLI::App* cmd = AddCommand(app, "init", _("create a ledger and its root admin key"));
    cmd->add_option("--name", o->name, _("display name of the ledger"))->required();
    CLI::Option* key_out = cmd->add_option("--admin-key-out", o->key_out,
                                           _("where to write the admin key (./admin.key)"));
    cmd->add_option("--admin-key", o->key_in,
                    _("use this existing admin key (PKCS#8 PEM, mode 0600) instead of a new one"))
        ->excludes(key_out);
    cmd->add_option("--origin", o->origin, _("checkpoint origin (default vledger/NAME-KEYID)"));
    cmd->add_flag("--test-clock", o->test_clock,
                  _("a test ledger: its commands take the time from VLEDGER_NOW when set "
                    "(recorded in the genesis; never for a real ledger)"));
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return RunInit(ctx, *o); }; });
  }
  CLI::App* key = AddCommand(app, "key", _("create, register, revoke and list keys"));
  key->require_subcommand(1);
  {
    auto out = std::make_shared<std::string>();
    auto encrypt = std::make_shared<bool>(false);
    CLI::App* cmd = AddCommand(*key, "new", _("write a new Ed25519 key pair (FILE, FILE.pub)"));
    cmd->add_option("--out", *out, _("private key file"))->required();
    cmd->add_flag("--encrypt", *encrypt,
                  _("encrypt FILE with a passphrase ($VLEDGER_KEY_PASSPHRASE, else asked twice)"));
    cmd->callback([&ctx, action, out, encrypt] {
      *action = [&ctx, out, encrypt] { return RunKeyNew(ctx, *out, *encrypt); };
    });
  }
  {
    auto o = std::make_shared<app::KeyRegisterRequest>();
    CLI::App* cmd = AddCommand(*key, "register", _("register a public key with a role"));
    cmd->add_option("--pub", o->pub, _("public key PEM (SPKI or private)"))->required();
    cmd->add_option("--role", o->role, _("admin|collector|treasurer|reviewer|auditor|checkpointer"))
        ->required();
    cmd->add_option("--village", o->villages, _("village scope (repeatable)"));
    cmd->add_option("--label", o->label, _("who holds the key"));
    cmd->add_option("--request-id", o->append.request_id, _("idempotency key"));
    cmd->callback([&ctx, action, o, cmd] {
      o->append.fingerprint = Fingerprint(*cmd);
      *action = [&ctx, o]() -> Status {
        VLEDGER_ASSIGN_OR_RETURN(app::KeyChangeResult r, app::KeyRegister(ctx.Session(), *o));
        PrintAppendResult(ctx, r.append);
        return Status::Ok();
      };
    });
  }
  {
    auto o = std::make_shared<app::KeyRevokeRequest>();
    CLI::App* cmd = AddCommand(*key, "revoke", _("revoke a key: it signs nothing after this"));
    cmd->add_option("ID", o->key_id, _("key id"))->required();
    cmd->add_option("--request-id", o->append.request_id, _("idempotency key"));
    cmd->callback([&ctx, action, o, cmd] {
      o->append.fingerprint = Fingerprint(*cmd);
      *action = [&ctx, o]() -> Status {
        VLEDGER_ASSIGN_OR_RETURN(app::KeyChangeResult r, app::KeyRevoke(ctx.Session(), *o));
        PrintAppendResult(ctx, r.append);
        return Status::Ok();
      };
    });
  }
  {
    CLI::App* cmd = AddCommand(*key, "list", _("list registered keys"));
    cmd->callback([&ctx, action] { *action = [&ctx] { return RunKeyList(ctx); }; });
  }
  {
    auto o = std::make_shared<app::LogRequest>();
    CLI::App* cmd = AddCommand(app, "log", _("list events"));
    cmd->add_option("--from", o->from, _("first seq"))->check(WholeNumber(N_("seq")));
    cmd->add_option("--limit", o->limit, _("at most N events"))->check(WholeNumber(N_("number")));
    cmd->add_flag("--today", o->today, _("only events recorded today (China Standard Time)"));
    cmd->add_option("--since", o->since, _("only events recorded on or after DATE (YYYY-MM-DD)"));
    cmd->add_option("--until", o->until, _("only events recorded on or before DATE (YYYY-MM-DD)"));
    cmd->add_option("--by", o->by, _("only events signed by key KEY (a key id, or me: --key's)"));
    cmd->add_option("--village", o->village, _("only events of village V"));
    cmd->add_option("--resident", o->resident, _("only events of resident R (an id or a name)"));
    cmd->add_option("--kind", o->kind,
                    _("only events of kind K: a type (pointsAwarded) or its alias (award, deduct, "
                      "redeem, expire, review, reverse, donate, disburse, dividend, release, "
                      "allowance, village, household, resident, rule, fund, key, objection, "
                      "publish, erase, name)"));
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return RunLog(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<app::SummaryRequest>();
    CLI::App* cmd = AddCommand(app, "summary",
                               _("a month's points entries per collector and per rule category"));
    cmd->add_option("--month", o->month,
                    _("YYYY-MM: the entries whose act (occurredOn, the date given with --on) "
                      "falls in the month"))
        ->required();
    cmd->add_option("--village", o->village, _("only residents of village V"));
    OnQuery(cmd, ctx, action, o, app::Summary, app::SummaryJson, PrintSummary);
  }
  {
    auto o = std::make_shared<app::ShowRequest>();
    CLI::App* cmd = AddCommand(app, "show", _("show one event and its commit"));
    cmd->add_option("SEQ", o->seq, _("event seq"))->required()->check(WholeNumber(N_("seq")));
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return RunShow(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<std::tuple<std::string, std::string, std::string>>();
    CLI::App* cmd = AddCommand(app, "verify", _("verify the whole ledger, or an archive"));
    cmd->add_option("--archive", std::get<0>(*o),
                    _("verify this archive instead (no ledger needed)"));
    cmd->add_option("--checkpoint", std::get<1>(*o),
                    _("with --archive: a checkpoint the archive must match"));
    cmd->add_option("--pub", std::get<2>(*o),
                    _("with --checkpoint: the admin public key that signed it"));
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o]() -> Status {
        if (std::get<0>(*o).empty()) {
          if (!std::get<1>(*o).empty() || !std::get<2>(*o).empty()) {
            return Status::Usage("--checkpoint and --pub go with --archive");
          }
          return RunVerify(ctx);
        }
        return VerifyArchiveCommand(ctx, std::get<0>(*o), std::get<1>(*o), std::get<2>(*o));
      };
    });
  }
  {
    CLI::App* cmd = AddCommand(app, "rebuild", _("recompute every projection from the log"));
    cmd->callback([&ctx, action] { *action = [&ctx] { return RunRebuild(ctx); }; });
  }
}

}  // namespace vledger::cli
