#include "vledger/app/ledger.h"

#include <malloc.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "guard.h"
#include "logged.h"
#include "name_index.h"
#include "pinyin.h"
#include "vledger/app/people.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// From this many residents `rebuild` compiles the pinyin rules on a thread
// of their own before the name index needs them (with few, the index may
// have no Han name to read, and the rebuild would wait for them).
constexpr size_t kPreparePinyinResidentsMin = 1'024;

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
    return Status::InvalidInput(
        "--origin",
        Msg("\"{}\" cannot name the checkpoint key: it must have no spaces and no '+'", origin));
  }
  if (origin[0] == '-') return Status::InvalidInput("--origin", "must not begin with '-'");
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

// The root admin key: the existing --admin-key file (which must be a
// private key of mode 0600, as for --key), else a new key for --admin-key-out.
Result<PrivateKey> InitKey(const InitRequest& r) {
  if (!r.key_in.empty()) {
    auto key = PrivateKey::LoadPem(r.key_in, r.key_in_passphrase);
    if (!key.ok()) return key.status().WithField("--admin-key");
    return key;
  }
  std::error_code ec;
  if (fs::exists(r.key_out, ec) || fs::exists(r.key_out + ".pub", ec)) {
    return Status::AlreadyExists("--admin-key-out",
                                 Msg("{} exists, refusing to overwrite", r.key_out));
  }
  return PrivateKey::Generate();
}

}  // namespace

// ----------------------------------------------------------------- init

Result<InitResult> Init(const Session& session, const InitRequest& r) try {
  VLEDGER_TRY(CheckName("--name", r.name));
  if (!r.origin.empty()) VLEDGER_TRY(CheckOrigin(r.origin));
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, InitKey(r));
  std::error_code ec;
  const std::string& dir = session.options().ledger_dir;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Status::AlreadyExists("--ledger", Msg("{} exists and is not empty", dir));
  }
  bool created_dir = !fs::exists(dir, ec);
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, session.InitNowMs(r.test_clock));
  InitResult out;
  out.name = r.name;
  out.dir = dir;
  out.origin = r.origin.empty() ? DefaultOrigin(r.name, key.key_id()) : r.origin;
  VLEDGER_TRY(CheckOrigin(out.origin));
  out.new_key = r.key_in.empty();
  out.key_path = out.new_key ? r.key_out : r.key_in;
  out.key_id = key.key_id();

  if (out.new_key) VLEDGER_TRY(key.SavePem(r.key_out, r.key_out + ".pub"));
  Status st = [&]() -> Status {
    VLEDGER_ASSIGN_OR_RETURN(auto ledger, Ledger::Create(dir));
    auto txn = ledger->BeginWrite();
    auto state = LiveState(*ledger, *txn);
    CommitBuilder builder(*txn, *state, key.key_id(), now_ms, "");
    Genesis genesis{.name = r.name,
                    .origin = out.origin,
                    .public_key = key.public_key().raw(),
                    .test_clock = r.test_clock,
                    .monotonic_time = true};
    VLEDGER_TRY(builder.Add(std::move(genesis)).status());
    StageRows(*state, *txn);
    VLEDGER_ASSIGN_OR_RETURN(auto commit, txn->Commit(key));
    (void)commit;
    out.hash = Hex(ledger->head());
    return Status::Ok();
  }();
  if (!st.ok()) {
    UndoInit(dir, created_dir, out.new_key ? r.key_out : "");
    return st;
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string InitJson(const InitResult& r) {
  return Json{{"seq", 0},           {"last", 0},         {"hash", r.hash},
              {"origin", r.origin}, {"keyId", r.key_id}, {"adminKey", r.key_path}}
      .dump();
}

// ------------------------------------------------------------------ keys

Result<KeyNewResult> KeyNew(const Session&, const KeyNewRequest& r) try {
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::Generate());
  VLEDGER_TRY(key.SavePem(r.out, r.out + ".pub", r.passphrase).WithField("--out"));
  return KeyNewResult{key.key_id(), r.out, r.out + ".pub"};
} catch (...) {
  return CaughtStatus();
}

std::string KeyNewJson(const KeyNewResult& r) {
  return Json{{"keyId", r.key_id}, {"private", r.private_path}, {"public", r.public_path}}.dump();
}

Result<KeyChangeResult> KeyRegister(const Session& session, const KeyRegisterRequest& r) try {
  auto pub = PublicKey::LoadPem(r.pub);
  if (!pub.ok()) return pub.status().WithField("--pub");
  VLEDGER_ASSIGN_OR_RETURN(
      AppendResult appended, Append(session, r.append, [&](CommitBuilder& b) {
        return b.Add(KeyRegistered{pub->raw(), r.role, r.villages, r.label}).status();
      }));
  return KeyChangeResult{std::move(appended)};
} catch (...) {
  return CaughtStatus();
}

Result<KeyChangeResult> KeyRevoke(const Session& session, const KeyRevokeRequest& r) try {
  VLEDGER_ASSIGN_OR_RETURN(AppendResult appended, Append(session, r.append, [&](CommitBuilder& b) {
                             return b.Add(KeyRevoked{r.key_id}).status();
                           }));
  return KeyChangeResult{std::move(appended)};
} catch (...) {
  return CaughtStatus();
}

std::string KeyChangeJson(const KeyChangeResult& r) { return r.append.json; }

Result<KeyListResult> KeyList(const Session& session, const KeyListRequest&) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  KeyListResult out;
  for (const KeyRecord& k : ListKeys(*state)) {
    out.keys.push_back({k.key_id, std::string(Name(k.role)), k.label, k.villages, k.registered_seq,
                        k.revoked_seq});
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string KeyListJson(const KeyListResult& r) {
  Json keys = Json::array();
  for (const KeyListEntry& k : r.keys) {
    Json revoked = k.revoked_seq ? Json(*k.revoked_seq) : Json(nullptr);
    keys.push_back(Json{{"keyId", k.key_id},
                        {"role", k.role},
                        {"villages", k.villages},
                        {"label", k.label},
                        {"registeredSeq", k.registered_seq},
                        {"revokedSeq", revoked}});
  }
  return Json{{"keys", keys}}.dump();
}

// ------------------------------------------------------------------ show

Result<ShowResult> Show(const Session& session, const ShowRequest& r) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(StoredEvent stored, ledger->ReadEvent(r.seq));
  ShowResult out;
  VLEDGER_ASSIGN_OR_RETURN(out.event, Logged(stored));
  VLEDGER_ASSIGN_OR_RETURN(CommitRecord commit, ledger->CommitOf(r.seq));
  out.commit_first = commit.first;
  out.commit_last = commit.last;
  out.commit_key_id = commit.key_id;
  out.commit_signature = Hex(commit.signature);
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string ShowJson(const ShowResult& r) {
  Json j = Json::parse(LoggedEventJson(r.event));
  j["commit"] = Json{{"first", r.commit_first},
                     {"last", r.commit_last},
                     {"keyId", r.commit_key_id},
                     {"signature", r.commit_signature}};
  return j.dump();
}

// -------------------------------------------------------- verify, rebuild

Result<VerifyResult> Verify(const Session& session, const VerifyRequest&) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(VerifyOutcome outcome, VerifyLedger(*ledger));
  VerifyResult out;
  out.ok = outcome.ok;
  out.events = outcome.events;
  if (outcome.ok) {
    out.root = Hex(outcome.root);
    return out;
  }
  out.seq = outcome.seq;
  out.problem = outcome.problem;
  // The fault itself (translatable), not its English text.
  out.verdict =
      Flattened(Code::kVerificationFailed, outcome.fault)
          .WithPrefix(out.seq ? Msg("verify failed at seq {}", *out.seq) : Msg("verify failed"));
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string VerifyJson(const VerifyResult& r) {
  if (r.ok) return Json{{"ok", true}, {"events", r.events}, {"root", r.root}}.dump();
  Json seq = r.seq ? Json(*r.seq) : Json(nullptr);
  return Json{{"ok", false}, {"seq", seq}, {"problem", r.problem}}.dump();
}

Result<RebuildResult> Rebuild(const Session& session, const RebuildRequest&) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenWriter(/*catch_up=*/false));
  // The name index's residents are taken from the replayed state, not
  // read back from the rows just written; the rest of the state is freed
  // first, so that they do not come on top of the whole of it (the
  // replay's memory is rebuild's peak). For many residents, ICU's
  // transliteration rules, which the index's threads each need and which
  // are compiled once a process (~150 ms), are compiled on a thread of
  // their own from then on, while the state is freed and its files moved
  // in (earlier, their memory would add to the replay's). Joined however
  // this function is left.
  std::optional<std::vector<ResidentToIndex>> residents;
  std::jthread pinyin;
  VLEDGER_ASSIGN_OR_RETURN(uint64_t rows,
                           RebuildProjections(*ledger, kRebuildBatchBytes, [&](StateStore& state) {
                             state.FreeAllBut<ResidentState>();
                             malloc_trim(0);
                             residents = ResidentsToIndex(state);
                             if (residents->size() >= kPreparePinyinResidentsMin) {
                               pinyin = std::jthread(Pinyin::Prepare);
                             }
                           }));
  VLEDGER_TRY(RebuildNameIndex(*ledger, std::move(residents)).status());
  return RebuildResult{ledger->size(), rows};
} catch (...) {
  return CaughtStatus();
}

std::string RebuildJson(const RebuildResult& r) {
  return Json{{"events", r.events}, {"rows", r.rows}}.dump();
}

}  // namespace vledger::app
