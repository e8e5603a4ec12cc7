#include "vledger/app/checkpoint.h"

#include <sstream>

#include "guard.h"
#include "vledger/ledger/merkle.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/verify.h"

namespace vledger::app {
namespace {

// One pattern per role, so that a translation names the role in its words.
Msg NotASigner(const std::string& key_id, Role role) {
  switch (role) {
    case Role::kCollector:
      return Msg(
          "key {} has role collector; checkpoints are signed by an admin or checkpointer key",
          key_id);
    case Role::kTreasurer:
      return Msg(
          "key {} has role treasurer; checkpoints are signed by an admin or checkpointer key",
          key_id);
    case Role::kReviewer:
      return Msg("key {} has role reviewer; checkpoints are signed by an admin or checkpointer key",
                 key_id);
    case Role::kAttestor:
      return Msg("key {} has role attestor; checkpoints are signed by an admin or checkpointer key",
                 key_id);
    case Role::kAuditor:
    case Role::kAdmin:
    case Role::kCheckpointer:
      break;
  }
  return Msg("key {} has role auditor; checkpoints are signed by an admin or checkpointer key",
             key_id);
}

// ------------------------------------------------------- choosing a head

// `key` as a signer of checkpoints of `size` events: registered before
// event `size`, unrevoked, admin or checkpointer (SignsCheckpointsAt).
Status CheckSigner(const std::string& key_id, const Ledger& ledger, uint64_t size) {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(ledger));
  auto record = LoadKey(*state, key_id);
  if (!record) {
    return Status::PermissionDenied("--key",
                                    Msg("key {} is not registered in this ledger", key_id));
  }
  if (record->revoked_seq) {
    return Status::PermissionDenied(
        "--key", Msg("key {} was revoked at seq {}", key_id, *record->revoked_seq));
  }
  if (record->role != Role::kAdmin && record->role != Role::kCheckpointer) {
    return Status::PermissionDenied("--key", NotASigner(key_id, record->role));
  }
  if (size > 0 && record->registered_seq >= size) {
    return Status::FailedPrecondition(
        "--size", Msg("key {} was registered at seq {}; it signs checkpoints of later sizes only",
                      key_id, record->registered_seq));
  }
  VLEDGER_ASSERT(SignsCheckpointsAt(*record, size == 0 ? record->registered_seq + 1 : size));
  return Status::Ok();
}

Status CheckSigner(const PrivateKey& key, const Ledger& ledger, uint64_t size) {
  return CheckSigner(key.key_id(), ledger, size);
}

// The session's signer (its --key, or a remote client's), as a signer of
// checkpoints of `size` events.
Result<std::shared_ptr<Signer>> SignerKey(const Session& session, const Ledger& ledger,
                                          uint64_t size) {
  VLEDGER_ASSIGN_OR_RETURN(std::shared_ptr<Signer> signer, session.CommitSigner());
  VLEDGER_TRY(CheckSigner(signer->key_id(), ledger, size));
  return signer;
}

// The signed note of `head` by `signer`. The signature is checked against
// the key's registered public key (one from outside this process may be
// anything), and the note's key ID is computed from that key.
Result<std::string> SignedNote(Signer& signer, const Ledger& ledger, const Checkpoint& head) {
  CheckpointToSign item{head, CheckpointBody(head)};
  VLEDGER_ASSIGN_OR_RETURN(std::string signature, signer.SignCheckpoint(item));
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(ledger));
  auto record = LoadKey(*state, signer.key_id());
  if (!record) {
    return Status::PermissionDenied(
        "--key", Msg("key {} is not registered in this ledger", signer.key_id()));
  }
  VLEDGER_ASSIGN_OR_RETURN(PublicKey public_key, PublicKey::FromRaw(record->public_key));
  if (signature.size() != kSignatureBytes || !public_key.Verify(item.body, signature)) {
    return Status::PermissionDenied(Msg(
        "the signature of the checkpoint at size {} is not by key {}", head.size, signer.key_id()));
  }
  return CheckpointNote(head, public_key, signature);
}

Result<std::string> LedgerOrigin(const Ledger& ledger) {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(ledger));
  auto meta = LoadMeta(*state);
  if (!meta) return Status::Corruption(Msg("{}: the ledger has no genesis", ledger.dir()));
  return meta->origin;
}

// Refuses sizes past the end, the empty tree, and sizes inside a commit.
Status CheckSignableSize(const Ledger& ledger, uint64_t size) {
  if (size == 0)
    return Status::InvalidInput("--size", "a checkpoint covers at least the genesis (1)");
  if (size > ledger.size()) {
    return Status::InvalidInput(
        "--size", Msg("{} is past the end of the log (size {})", size, ledger.size()));
  }
  VLEDGER_ASSIGN_OR_RETURN(CommitRecord commit, ledger.CommitOf(size - 1));
  if (commit.last != size - 1) {
    return Status::InvalidInput(
        "--size", Msg("{0} splits commit {1}..{2}; checkpoints are signed at commit boundaries "
                      "(try {1} or {3})",
                      size, commit.first, commit.last, commit.last + 1));
  }
  return Status::Ok();
}

// Parses a stored checkpoint and checks its signature and its root
// against the stored tree (verify.h).
Result<Checkpoint> CheckStoredHead(const Ledger& ledger, const std::string& origin, uint64_t size,
                                   std::string_view text) {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(ledger));
  return CheckStoredCheckpoint(ledger, *state, origin, size, text);
}

// Every stored head must still match the tree: then a new head, computed
// from the same append-only tree, is consistent with all of them.
Status CheckAllStoredHeads(const Ledger& ledger, const std::string& origin) {
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(ledger));
  Status st = CheckStoredCheckpoints(ledger, *state, origin);
  if (st.code() == Code::kVerificationFailed) return st.WithPrefix("refusing to sign");
  return st;
}

// A note with the signature lines of both (same body): the stored note at
// a size carries every admin signature made at that size.
Result<std::string> MergeSignatures(const std::string& stored, const std::string& fresh) {
  size_t a = stored.find("\n\n"), b = fresh.find("\n\n");
  VLEDGER_ASSERT(b != std::string::npos);
  if (a == std::string::npos || stored.substr(0, a) != fresh.substr(0, b)) {
    return Status::VerificationFailed(
        "refusing to sign: the stored checkpoint of this size differs");
  }
  std::string merged = stored;
  std::istringstream lines(fresh.substr(b + 2));
  for (std::string line; std::getline(lines, line);) {
    if (merged.find("\n" + line + "\n") == std::string::npos) merged += line + "\n";
  }
  return merged;
}

Result<SignedHead> SignAndStore(const Session& session, const Ledger& ledger,
                                std::optional<uint64_t> size) {
  uint64_t n = size.value_or(ledger.size());
  VLEDGER_ASSIGN_OR_RETURN(std::shared_ptr<Signer> signer, SignerKey(session, ledger, n));
  VLEDGER_TRY(CheckSignableSize(ledger, n));
  VLEDGER_ASSIGN_OR_RETURN(std::string origin, LedgerOrigin(ledger));
  if (!IsValidNoteKeyName(origin)) {
    return Status::FailedPrecondition(
        Msg("the ledger's origin \"{}\" cannot name a note key", origin));
  }
  VLEDGER_TRY(CheckAllStoredHeads(ledger, origin));
  VLEDGER_ASSIGN_OR_RETURN(Hash root, ledger.MerkleRootAt(n));
  SignedHead out{Checkpoint{origin, n, root}, ""};
  VLEDGER_ASSIGN_OR_RETURN(out.text, SignedNote(*signer, ledger, out.head));
  // The writer lock only for the store itself.
  VLEDGER_ASSIGN_OR_RETURN(auto writer, session.OpenWriter());
  VLEDGER_ASSIGN_OR_RETURN(auto stored, writer->GetCheckpoint(n));
  std::string to_store = out.text;
  if (stored) {
    VLEDGER_TRY(CheckStoredHead(*writer, origin, n, *stored).status());
    VLEDGER_ASSIGN_OR_RETURN(to_store, MergeSignatures(*stored, out.text));
  }
  if (!stored || *stored != to_store) VLEDGER_TRY(writer->PutCheckpoint(n, to_store));
  return out;
}

Result<SignedHead> StoredHead(const Ledger& ledger, std::optional<uint64_t> size) {
  VLEDGER_ASSIGN_OR_RETURN(std::string origin, LedgerOrigin(ledger));
  std::optional<std::pair<uint64_t, std::string>> found;
  if (size) {
    VLEDGER_ASSIGN_OR_RETURN(auto text, ledger.GetCheckpoint(*size));
    if (!text) {
      return Status::NotFound(
          "--size",
          Msg("no checkpoint is stored at size {} (sign one by giving an admin --key)", *size));
    }
    found.emplace(*size, std::move(*text));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(found, ledger.LatestCheckpoint());
    if (!found) {
      return Status::FailedPrecondition(
          "no checkpoint is stored yet (give an admin --key to sign one, or run "
          "`vledger checkpoint --key ADMIN.key`)");
    }
  }
  VLEDGER_ASSIGN_OR_RETURN(Checkpoint head,
                           CheckStoredHead(ledger, origin, found->first, found->second));
  return SignedHead{head, found->second};
}

// The newest stored head, checked against the tree it claims: the
// origin, a size within the log, and the root (signatures are `verify`'s).
Result<std::optional<SignedHead>> NewestStoredHead(const Ledger& ledger,
                                                   const std::string& origin) {
  VLEDGER_ASSIGN_OR_RETURN(auto newest, ledger.LatestCheckpoint());
  if (!newest) return std::optional<SignedHead>();
  auto head = ParseCheckpoint(newest->second);
  if (!head.ok()) {
    return head.status().WithPrefix(
        Msg("refusing to sign: the stored checkpoint at size {} is malformed", newest->first));
  }
  if (head->size != newest->first || head->origin != origin || head->size > ledger.size()) {
    return Status::VerificationFailed(
        Msg("refusing to sign: the stored checkpoint at size {} does not match the log",
            newest->first));
  }
  VLEDGER_ASSIGN_OR_RETURN(Hash root, ledger.MerkleRootAt(head->size));
  if (root != head->root) {
    return Status::VerificationFailed(
        Msg("refusing to sign: the stored checkpoint at size {} has root {}, the log's tree {}",
            head->size, Hex(head->root), Hex(root)));
  }
  return std::optional<SignedHead>(SignedHead{*head, std::move(newest->second)});
}

// Whether the note carries a signature line of `key` under `origin`.
bool SignedBy(std::string_view note, const std::string& origin, const PrivateKey& key) {
  auto signers = NoteSigners(note);
  if (!signers.ok()) return false;
  uint32_t id = NoteKeyId(origin, key.public_key());
  for (const NoteSigner& s : *signers) {
    if (s.name == origin && s.key_id == id) return true;
  }
  return false;
}

}  // namespace

Result<SignedHead> SignCheckpoint(const PrivateKey& key, Ledger& writer) try {
  VLEDGER_ASSERT(writer.writer());
  const uint64_t n = writer.size();
  // Nothing new since this key last signed: the stored head as it is (one
  // row read, no projection state).
  VLEDGER_ASSIGN_OR_RETURN(auto newest, writer.LatestCheckpoint());
  if (newest && newest->first == n) {
    auto head = ParseCheckpoint(newest->second);
    if (head.ok() && head->size == n && SignedBy(newest->second, head->origin, key)) {
      return SignedHead{*head, std::move(newest->second)};
    }
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string origin, LedgerOrigin(writer));
  VLEDGER_TRY(CheckSigner(key, writer, n));
  VLEDGER_TRY(CheckSignableSize(writer, n));
  if (!IsValidNoteKeyName(origin)) {
    return Status::FailedPrecondition(
        Msg("the ledger's origin \"{}\" cannot name a note key", origin));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto stored, NewestStoredHead(writer, origin));
  VLEDGER_ASSIGN_OR_RETURN(Hash root, writer.MerkleRootAt(n));
  SignedHead out{Checkpoint{origin, n, root}, ""};
  out.text = vledger::SignCheckpoint(out.head, key);
  if (stored && stored->head.size == n) {
    VLEDGER_ASSIGN_OR_RETURN(out.text, MergeSignatures(stored->text, out.text));
  }
  VLEDGER_TRY(writer.PutCheckpoint(n, out.text));
  return out;
} catch (...) {
  return CaughtStatus();
}

Result<SignedHead> SignCheckpoint(const Session& session, Ledger& writer) try {
  VLEDGER_ASSIGN_OR_RETURN(PrivateKey key, session.SigningKey());
  return SignCheckpoint(key, writer);
} catch (...) {
  return CaughtStatus();
}

Result<SignedHead> CheckpointForUse(const Session& session, const Ledger& ledger,
                                    std::optional<uint64_t> size) try {
  if (session.HasSigner()) return SignAndStore(session, ledger, size);
  return StoredHead(ledger, size);
} catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
