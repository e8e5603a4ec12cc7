// Ledger-wide commands: `init`, `key new|register|revoke|list`, `show`
// (`log` and `summary` are log.h's), `verify` (of the ledger; `verify --archive` is audit's) and
// `rebuild`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vledger/app/append.h"
#include "vledger/app/log.h"
#include "vledger/app/session.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// `init --name N [--admin-key-out F | --admin-key F] [--origin O]
// [--test-clock]`: creates the ledger in the session's folder (which must
// not exist or be empty) and its genesis, signed by the root admin key: an
// existing key (`key_in`, a private key of mode 0600), else a new one
// written to `key_out` and `key_out.pub` (which must not exist). A failed
// init removes what it created.
struct InitRequest {
  std::string name;
  std::string key_out = "./admin.key";
  std::string key_in;             // empty: a new key
  std::string key_in_passphrase;  // of `key_in`, when it is encrypted
  std::string origin;             // empty: vledger/NAME-KEYID
  bool test_clock = false;
};

struct InitResult {
  std::string name, dir, origin;
  std::string key_id;
  std::string key_path;  // the admin key: key_out or key_in
  bool new_key = false;  // written now (its public half at key_path.pub)
  std::string hash;      // of the genesis, hex
};

Result<InitResult> Init(const Session& session, const InitRequest& request);
// {"seq":0,"last":0,"hash":…,"origin":…,"keyId":…,"adminKey":…}
std::string InitJson(const InitResult& result);

// `key new --out F [--encrypt]`: a new Ed25519 key pair written to F (mode
// 0600; encrypted with `passphrase` when it is not empty) and F.pub.
struct KeyNewRequest {
  std::string out;
  std::string passphrase;  // empty: not encrypted
};

struct KeyNewResult {
  std::string key_id, private_path, public_path;
};

Result<KeyNewResult> KeyNew(const Session& session, const KeyNewRequest& request);
std::string KeyNewJson(const KeyNewResult& result);  // {"keyId","private","public"}

// `key register --pub F --role R [--village V]... [--label L]`.
struct KeyRegisterRequest {
  std::string pub;  // a public key PEM (SPKI, or the private key)
  std::string role;
  std::vector<std::string> villages;
  std::string label;
  AppendRequest append;
};

// `key revoke ID`.
struct KeyRevokeRequest {
  std::string key_id;
  AppendRequest append;
};

// What key register and revoke did: the append only.
struct KeyChangeResult {
  AppendResult append;
};

Result<KeyChangeResult> KeyRegister(const Session& session, const KeyRegisterRequest& request);
Result<KeyChangeResult> KeyRevoke(const Session& session, const KeyRevokeRequest& request);
std::string KeyChangeJson(const KeyChangeResult& result);

// `key list`.
struct KeyListRequest {};

struct KeyListEntry {
  std::string key_id, role, label;
  std::vector<std::string> villages;  // empty: every village
  uint64_t registered_seq = 0;
  std::optional<uint64_t> revoked_seq;
};

struct KeyListResult {
  std::vector<KeyListEntry> keys;
};

Result<KeyListResult> KeyList(const Session& session, const KeyListRequest& request);
std::string KeyListJson(const KeyListResult& result);  // {"keys":[…]}

// `show SEQ`: one event and its commit.
struct ShowRequest {
  uint64_t seq = 0;
};

struct ShowResult {
  LoggedEvent event;
  uint64_t commit_first = 0, commit_last = 0;
  std::string commit_key_id;
  std::string commit_signature;  // hex
};

Result<ShowResult> Show(const Session& session, const ShowRequest& request);
std::string ShowJson(const ShowResult& result);

// `verify`: the whole ledger. A ledger that fails is a result (`verdict`
// the failed verification), so that the front end can show where.
struct VerifyRequest {};

struct VerifyResult {
  bool ok = true;
  uint64_t events = 0;
  std::string root;             // ok: the Merkle root, hex
  std::optional<uint64_t> seq;  // not ok: the event at fault, when one is
  std::string problem;          // not ok
  Status verdict;               // ok, or the failed verification to report
};

Result<VerifyResult> Verify(const Session& session, const VerifyRequest& request);
// {"ok":true,"events":…,"root":…} or {"ok":false,"seq":…|null,"problem":…}
std::string VerifyJson(const VerifyResult& result);

// `rebuild`: every projection recomputed from the log.
struct RebuildRequest {};

struct RebuildResult {
  uint64_t events = 0, rows = 0;
};

Result<RebuildResult> Rebuild(const Session& session, const RebuildRequest& request);
std::string RebuildJson(const RebuildResult& result);  // {"events":…,"rows":…}

}  // namespace vledger::app
