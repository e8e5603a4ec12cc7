// Ledger-level commands: init, key, log, show, verify, rebuild.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include "append.h"
#include "context.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"
#include "vledger/projections/verify.h"

namespace vledger::cli {
namespace {

namespace fs = std::filesystem;

// "vledger/<name>-<key id prefix>", each character of the name that a
// signed-note key name may not hold (a space of any kind, '+') as '-'.
std::string DefaultOrigin(const std::string& name, const std::string& root_key_id) {
  std::string display;
  for (size_t i = 0; i < name.size();) {
    size_t len = 1;  // one UTF-8 character (CheckName has checked the name)
    while (i + len < name.size() && (static_cast<uint8_t>(name[i + len]) & 0xc0) == 0x80) len++;
    std::string_view c(name.data() + i, len);
    display += IsValidNoteKeyName(c) ? std::string(c) : "-";
    i += len;
  }
  return "vledger/" + display + "-" + root_key_id.substr(0, 8);
}

// The origin names the checkpoint signer's key (a C2SP signed-note key
// name) for the ledger's life, so one the signer refuses is refused here,
// before anything is written. A leading '-' is refused too: the origin is
// the first line of every checkpoint and is passed to tools on command
// lines, where it would read as an option.
Status CheckOrigin(const std::string& origin) {
  VLEDGER_TRY(CheckText("--origin", origin, false));
  if (!IsValidNoteKeyName(origin)) {
    return Status::Rejected("--origin: \"" + origin +
                            "\" cannot name the checkpoint key: it must have no spaces and no '+'");
  }
  if (origin[0] == '-') return Status::Rejected("--origin: must not begin with '-'");
  return Status::Ok();
}

// Removes what a failed init created, so a retry starts clean. `key_out` is
// empty when init used an existing key (--admin-key): that file is the
// caller's and stays.
void UndoInit(const std::string& dir, bool created_dir, const std::string& key_out) {
  std::error_code ec;
  if (created_dir) {
    fs::remove_all(dir, ec);
  } else {
    // The folder was empty: empty it again (a half-made database in it
    // would later read as a damaged ledger).
    std::vector<fs::path> made;
    for (const auto& entry : fs::directory_iterator(dir, ec)) made.push_back(entry.path());
    for (const auto& path : made) fs::remove_all(path, ec);
  }
  if (key_out.empty()) return;
  fs::remove(key_out, ec);
  fs::remove(key_out + ".pub", ec);
}

struct InitOptions {
  std::string name;
  std::string key_out = "./admin.key";  // --admin-key-out: where a new key goes
  std::string key_in;                   // --admin-key: use this existing key instead
  std::string origin;
  bool test_clock = false;  // --test-clock: commands honour VLEDGER_NOW
};

// The root admin key: the existing --admin-key file (which must be a
// private key of mode 0600, as for --key), else a new key for --admin-key-out.
Result<PrivateKey> InitKey(const InitOptions& o) {
  if (!o.key_in.empty()) {
    const char* pass = std::getenv("VLEDGER_KEY_PASSPHRASE");
    auto key = PrivateKey::LoadPem(o.key_in, pass ? pass : "");
    if (!key.ok()) return key.status().WithPrefix("--admin-key");
    return key;
  }
  std::error_code ec;
  if (fs::exists(o.key_out, ec) || fs::exists(o.key_out + ".pub", ec)) {
    return Status::Rejected("--admin-key-out: " + o.key_out + " exists, refusing to overwrite");
  }
  return PrivateKey::Generate();
}

Status Init(Context& ctx, const InitOptions& o) {
  VLEDGER_TRY(CheckName("--name", o.name));
  if (!o.origin.empty()) VLEDGER_TRY(CheckOrigin(o.origin));
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, InitKey(o));
  std::error_code ec;
  const std::string& dir = ctx.options.ledger_dir;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Status::Rejected("--ledger: " + dir + " exists and is not empty");
  }
  bool created_dir = !fs::exists(dir, ec);
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, ctx.InitNowMs(o.test_clock));
  std::string origin = o.origin.empty() ? DefaultOrigin(o.name, key.key_id()) : o.origin;
  VLEDGER_TRY(CheckOrigin(origin));
  bool new_key = o.key_in.empty();
  const std::string& key_path = new_key ? o.key_out : o.key_in;

  if (new_key) VLEDGER_TRY(key.SavePem(o.key_out, o.key_out + ".pub"));
  Status st = [&]() -> Status {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Create(dir));
    auto txn = ledger->BeginWrite();
    auto state = LiveState(*ledger, *txn);
    CommitBuilder builder(*txn, *state, key, now_ms, "");
    Genesis genesis{.name = o.name,
                    .origin = origin,
                    .public_key = key.public_key().raw(),
                    .test_clock = o.test_clock,
                    .monotonic_time = true};
    VLEDGER_TRY(builder.Add(std::move(genesis)).status());
    StageRows(*state, *txn);
    VLEDGER_ASSIGN_OR_RETURN(auto commit, txn->Commit(key));
    (void)commit;
    if (ctx.options.json) {
      ctx.PrintJson(Json{{"seq", 0},
                         {"last", 0},
                         {"hash", Hex(ledger->head())},
                         {"origin", origin},
                         {"keyId", key.key_id()},
                         {"adminKey", key_path}});
    } else {
      ctx.PrintLine("created ledger \"" + o.name + "\" in " + dir);
      ctx.PrintLine("origin:    " + origin);
      if (new_key) {
        ctx.PrintLine("admin key: " + key_path + " (key id " + key.key_id() +
                      "; keep it offline, mode 0600), public half " + key_path + ".pub");
      } else {
        ctx.PrintLine("admin key: " + key_path + " (key id " + key.key_id() + ")");
      }
    }
    return Status::Ok();
  }();
  if (!st.ok()) UndoInit(dir, created_dir, new_key ? o.key_out : "");
  return st;
}

Json EventJson(const StoredEvent& stored, const Event& e) {
  Json j{{"seq", stored.seq},
         {"hash", Hex(stored.hash)},
         {"type", EventTypeName(e.body)},
         {"recordedAt", e.recorded_at_ms},
         {"keyId", e.key_id}};
  if (!e.request_id.empty()) j["requestId"] = e.request_id;
  j["body"] = Json::parse(EventBodyJson(e.body));
  return j;
}

std::string UtcTime(int64_t ms) {
  time_t t = static_cast<time_t>(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status Log(Context& ctx, uint64_t from, uint64_t limit) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  uint64_t to = limit == 0 ? ledger->size() : std::min(ledger->size(), from + limit);
  Json events = Json::array();
  VLEDGER_TRY(ledger->ScanEvents(from, to, [&](const StoredEvent& stored) -> Status {
    auto e = DecodeEvent(stored.canonical);
    if (!e.ok()) return e.status().WithPrefix("seq " + std::to_string(stored.seq));
    if (ctx.options.json) {
      events.push_back(EventJson(stored, *e));
    } else {
      ctx.PrintLine(std::to_string(stored.seq) + "  " + UtcTime(e->recorded_at_ms) + "  " +
                    e->key_id + "  " + EventTypeName(e->body) + "  " + EventBodyJson(e->body));
    }
    return Status::Ok();
  }));
  if (ctx.options.json) ctx.PrintJson(Json{{"events", events}});
  return Status::Ok();
}

Status Show(Context& ctx, uint64_t seq) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(StoredEvent stored, ledger->ReadEvent(seq));
  auto e = DecodeEvent(stored.canonical);
  if (!e.ok()) return e.status().WithPrefix("seq " + std::to_string(seq));
  VLEDGER_ASSIGN_OR_RETURN(CommitRecord commit, ledger->CommitOf(seq));
  Json j = EventJson(stored, *e);
  j["commit"] = Json{{"first", commit.first}, {"last", commit.last}, {"keyId", commit.key_id},
                     {"signature", Hex(commit.signature)}};
  if (ctx.options.json) {
    ctx.PrintJson(j);
    return Status::Ok();
  }
  ctx.PrintLine("seq:        " + std::to_string(seq));
  ctx.PrintLine("type:       " + std::string(EventTypeName(e->body)));
  ctx.PrintLine("recorded:   " + UtcTime(e->recorded_at_ms));
  ctx.PrintLine("key:        " + e->key_id);
  if (!e->request_id.empty()) ctx.PrintLine("request id: " + e->request_id);
  ctx.PrintLine("hash:       " + Hex(stored.hash));
  ctx.PrintLine("commit:     " + std::to_string(commit.first) + ".." + std::to_string(commit.last));
  ctx.PrintLine("body:       " + j["body"].dump(2));
  return Status::Ok();
}

Status Verify(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(VerifyOutcome out, VerifyLedger(*ledger));
  if (ctx.options.json) {
    if (out.ok) {
      ctx.PrintJson(Json{{"ok", true}, {"events", out.events}, {"root", Hex(out.root)}});
    } else {
      Json seq = out.seq ? Json(*out.seq) : Json(nullptr);
      ctx.PrintJson(Json{{"ok", false}, {"seq", seq}, {"problem", out.problem}});
    }
  } else if (out.ok) {
    ctx.PrintLine("ok: " + std::to_string(out.events) + " events verified, Merkle root " +
                  Hex(out.root));
  }
  if (out.ok) return Status::Ok();
  std::string where = out.seq ? "seq " + std::to_string(*out.seq) + ": " : "";
  return Status::Fault("verify failed at " + where + out.problem);
}

Status Rebuild(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenWriter(/*catch_up=*/false));
  VLEDGER_ASSIGN_OR_RETURN(uint64_t rows, RebuildProjections(*ledger));
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"events", ledger->size()}, {"rows", rows}});
  } else {
    ctx.PrintLine("rebuilt " + std::to_string(rows) + " projection rows from " +
                  std::to_string(ledger->size()) + " events");
  }
  return Status::Ok();
}

// The passphrase for `key new --encrypt`: VLEDGER_KEY_PASSPHRASE, else
// typed twice on the terminal.
Result<std::string> NewPassphrase() {
  if (const char* pass = std::getenv("VLEDGER_KEY_PASSPHRASE"); pass != nullptr) {
    if (*pass == '\0') return Status::Rejected("VLEDGER_KEY_PASSPHRASE is empty");
    return std::string(pass);
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string first, PromptPassphrase("passphrase for the new key: "));
  VLEDGER_ASSIGN_OR_RETURN(std::string again, PromptPassphrase("the same passphrase again: "));
  if (first != again) return Status::Rejected("--encrypt: the passphrases differ");
  return first;
}

Status KeyNew(Context& ctx, const std::string& out, bool encrypt) {
  std::string passphrase;
  if (encrypt) {
    VLEDGER_ASSIGN_OR_RETURN(passphrase, NewPassphrase());
  }
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::Generate());
  VLEDGER_TRY(key.SavePem(out, out + ".pub", passphrase).WithPrefix("--out"));
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"keyId", key.key_id()}, {"private", out}, {"public", out + ".pub"}});
  } else {
    ctx.PrintLine("wrote " + out + " (mode 0600) and " + out + ".pub; key id " + key.key_id());
  }
  return Status::Ok();
}

Status KeyList(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  Json keys = Json::array();
  for (const KeyRecord& k : ListKeys(*state)) {
    Json revoked = k.revoked_seq ? Json(*k.revoked_seq) : Json(nullptr);
    keys.push_back(Json{{"keyId", k.key_id},
                        {"role", std::string(Name(k.role))},
                        {"villages", k.villages},
                        {"label", k.label},
                        {"registeredSeq", k.registered_seq},
                        {"revokedSeq", revoked}});
    if (!ctx.options.json) {
      std::string scope;
      for (const auto& v : k.villages) scope += (scope.empty() ? "" : ",") + v;
      ctx.PrintLine(
          k.key_id + "  " + std::string(Name(k.role)) + "  " + (scope.empty() ? "*" : scope) +
          "  " + (k.revoked_seq ? "revoked at seq " + std::to_string(*k.revoked_seq) : "active") +
          "  " + k.label);
    }
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"keys", keys}});
  return Status::Ok();
}

}  // namespace

void RegisterLedgerCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto o = std::make_shared<InitOptions>();
    CLI::App* cmd = AddCommand(app, "init", "create a ledger and its root admin key");
    cmd->add_option("--name", o->name, "display name of the ledger")->required();
    CLI::Option* key_out =
        cmd->add_option("--admin-key-out", o->key_out, "where to write the admin key (./admin.key)");
    cmd->add_option("--admin-key", o->key_in,
                    "use this existing admin key (PKCS#8 PEM, mode 0600) instead of a new one")
        ->excludes(key_out);
    cmd->add_option("--origin", o->origin, "checkpoint origin (default vledger/NAME-KEYID)");
    cmd->add_flag("--test-clock", o->test_clock,
                  "a test ledger: its commands take the time from VLEDGER_NOW when set "
                  "(recorded in the genesis; never for a real ledger)");
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return Init(ctx, *o); }; });
  }
  CLI::App* key = AddCommand(app, "key", "create, register, revoke and list keys");
  key->require_subcommand(1);
  {
    auto out = std::make_shared<std::string>();
    auto encrypt = std::make_shared<bool>(false);
    CLI::App* cmd = AddCommand(*key, "new", "write a new Ed25519 key pair (FILE, FILE.pub)");
    cmd->add_option("--out", *out, "private key file")->required();
    cmd->add_flag("--encrypt", *encrypt,
                  "encrypt FILE with a passphrase ($VLEDGER_KEY_PASSPHRASE, else asked twice)");
    cmd->callback([&ctx, action, out, encrypt] {
      *action = [&ctx, out, encrypt] { return KeyNew(ctx, *out, *encrypt); };
    });
  }
  {
    struct Opts {
      std::string pub, role, label, request_id;
      std::vector<std::string> villages;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*key, "register", "register a public key with a role");
    cmd->add_option("--pub", o->pub, "public key PEM (SPKI or private)")->required();
    cmd->add_option("--role", o->role, "admin|collector|treasurer|reviewer|auditor")->required();
    cmd->add_option("--village", o->villages, "village scope (repeatable)");
    cmd->add_option("--label", o->label, "who holds the key");
    cmd->add_option("--request-id", o->request_id, "idempotency key");
    cmd->callback([&ctx, action, o, cmd] {
      *action = [&ctx, o, fp = Fingerprint(*cmd)] {
        auto pub = PublicKey::LoadPem(o->pub);
        if (!pub.ok()) return pub.status().WithPrefix("--pub");
        return AppendCommand(ctx, {o->request_id, fp}, [&](CommitBuilder& b) {
          return b.Add(KeyRegistered{pub->raw(), o->role, o->villages, o->label}).status();
        });
      };
    });
  }
  {
    auto o = std::make_shared<std::pair<std::string, std::string>>();
    CLI::App* cmd = AddCommand(*key, "revoke", "revoke a key: it signs nothing after this");
    cmd->add_option("ID", o->first, "key id")->required();
    cmd->add_option("--request-id", o->second, "idempotency key");
    cmd->callback([&ctx, action, o, cmd] {
      *action = [&ctx, o, fp = Fingerprint(*cmd)] {
        return AppendCommand(ctx, {o->second, fp}, [&](CommitBuilder& b) {
          return b.Add(KeyRevoked{o->first}).status();
        });
      };
    });
  }
  {
    CLI::App* cmd = AddCommand(*key, "list", "list registered keys");
    cmd->callback([&ctx, action] { *action = [&ctx] { return KeyList(ctx); }; });
  }
  {
    auto o = std::make_shared<std::pair<uint64_t, uint64_t>>(0, 0);
    CLI::App* cmd = AddCommand(app, "log", "list events");
    cmd->add_option("--from", o->first, "first seq")->check(WholeNumber("seq"));
    cmd->add_option("--limit", o->second, "at most N events")->check(WholeNumber("number"));
    cmd->callback([&ctx, action, o] { *action = [&ctx, o] { return Log(ctx, o->first, o->second); }; });
  }
  {
    auto seq = std::make_shared<uint64_t>(0);
    CLI::App* cmd = AddCommand(app, "show", "show one event and its commit");
    cmd->add_option("SEQ", *seq, "event seq")->required()->check(WholeNumber("seq"));
    cmd->callback([&ctx, action, seq] { *action = [&ctx, seq] { return Show(ctx, *seq); }; });
  }
  {
    auto o = std::make_shared<std::tuple<std::string, std::string, std::string>>();
    CLI::App* cmd = AddCommand(app, "verify", "verify the whole ledger, or an archive");
    cmd->add_option("--archive", std::get<0>(*o), "verify this archive instead (no ledger needed)");
    cmd->add_option("--checkpoint", std::get<1>(*o), "with --archive: a checkpoint the archive must match");
    cmd->add_option("--pub", std::get<2>(*o), "with --checkpoint: the admin public key that signed it");
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o]() -> Status {
        if (std::get<0>(*o).empty()) {
          if (!std::get<1>(*o).empty() || !std::get<2>(*o).empty()) {
            return Status::Usage("--checkpoint and --pub go with --archive");
          }
          return Verify(ctx);
        }
        return VerifyArchiveCommand(ctx, std::get<0>(*o), std::get<1>(*o), std::get<2>(*o));
      };
    });
  }
  {
    CLI::App* cmd = AddCommand(app, "rebuild", "recompute every projection from the log");
    cmd->callback([&ctx, action] { *action = [&ctx] { return Rebuild(ctx); }; });
  }
}

}  // namespace vledger::cli
