// The auditors' commands over tree heads and proofs (audit.h).
#include "vledger/app/audit.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "guard.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/merkle.h"
#include "vledger/projections/registry.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// `st` said of the value given as `field`: its field, or a prefix when it
// names one already.
Status About(const Status& st, std::string_view field) {
  return st.field().empty() ? st.WithField(field) : st.WithPrefix(Msg("{}", field));
}

// PROOF as `consistency` prints it: base64 lines, or its --json document.
Result<std::vector<Hash>> ParseProofFile(const std::string& text,
                                         const vledger::Checkpoint& old_head,
                                         const vledger::Checkpoint& new_head) {
  if (text.empty() || text[0] != '{') {
    auto proof = ParseConsistencyProof(text);
    if (!proof.ok()) return proof.status().WithPrefix("PROOF is malformed");
    return proof;
  }
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc["proof"].is_array() ||
      !doc["oldSize"].is_number_unsigned() || !doc["newSize"].is_number_unsigned() ||
      doc["proof"].size() > kConsistencyProofHashesMax) {
    return Status::VerificationFailed("PROOF is malformed: not what `consistency --json` prints");
  }
  if (doc["oldSize"].get<uint64_t>() != old_head.size ||
      doc["newSize"].get<uint64_t>() != new_head.size) {
    return Status::VerificationFailed(
        Msg("PROOF is for sizes {} and {}, not the checkpoints' {} and {}", doc["oldSize"].dump(),
            doc["newSize"].dump(), old_head.size, new_head.size));
  }
  std::vector<Hash> proof;
  for (const Json& h : doc["proof"]) {
    auto bytes = h.is_string() ? Unhex(h.get<std::string>()) : std::nullopt;
    auto hash = bytes ? HashFrom(*bytes) : std::nullopt;
    if (!hash) return Status::VerificationFailed("PROOF is malformed: a hash is not 64 hex digits");
    proof.push_back(*hash);
  }
  return proof;
}

}  // namespace

Result<std::string> ReadEvidenceFile(const std::string& what, const std::string& path,
                                     size_t bytes_max) try {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Msg detail("cannot read {}: {}", path, std::strerror(errno));
    if (errno == ENOENT) return Status::NotFound(what, detail);
    return Status::InvalidInput(what, detail);
  }
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > bytes_max) {
      return Status::VerificationFailed(Msg("{} is larger than {} bytes", path, bytes_max))
          .WithField(what);
    }
  }
  if (in.bad()) return Status::InvalidInput(what, Msg("cannot read {}", path));
  return text;
} catch (...) {
  return CaughtStatus();
}

Result<PublicKey> LoadPub(const std::string& path) try {
  auto pub = PublicKey::LoadPem(path);
  if (!pub.ok()) return About(pub.status(), "--pub");
  return pub;
} catch (...) {
  return CaughtStatus();
}

// ------------------------------------------------------------ checkpoint

Result<CheckpointResult> Checkpoint(const Session& session, const CheckpointRequest& request) try {
  if (!session.HasSigner()) {
    return Status::InvalidInput(
        "--key", "checkpoint needs an admin or checkpointer key (--key FILE or VLEDGER_KEY)");
  }
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  return CheckpointForUse(session, *ledger, request.size);
} catch (...) {
  return CaughtStatus();
}

// ----------------------------------------------------------------- prove

Result<ProveResult> Prove(const Session& session, const ProveRequest& request) try {
  const uint64_t seq = request.seq;
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  if (seq >= ledger->size()) {
    return Status::NotFound("SEQ",
                            Msg("{} is past the end of the log (size {})", seq, ledger->size()));
  }
  if (request.size && seq >= *request.size) {
    return Status::InvalidInput("SEQ", Msg("{} is not below --size {}", seq, *request.size));
  }
  VLEDGER_ASSIGN_OR_RETURN(SignedHead head, CheckpointForUse(session, *ledger, request.size));
  if (seq >= head.head.size) {
    return Status::FailedPrecondition(
        "SEQ", Msg("{} is not covered by the newest checkpoint (size {}); give an admin --key to "
                   "sign a newer one",
                   seq, head.head.size));
  }
  VLEDGER_ASSIGN_OR_RETURN(StoredEvent event, ledger->ReadEvent(seq));
  Hash prev = kZeroHash;
  if (seq > 0) {
    VLEDGER_ASSIGN_OR_RETURN(prev, ledger->ReadHash(seq - 1));
  }
  TlogProof proof;
  proof.extra = AsString(prev) + event.canonical;
  proof.index = seq;
  VLEDGER_ASSIGN_OR_RETURN(proof.path, InclusionProof(seq, head.head.size, ledger->MerkleNodes()));
  proof.checkpoint_text = head.text;
  // Check before handing it out: a damaged store must not yield a proof
  // that fails in the auditor's hands.
  Hash leaf = MerkleLeafHash(RecordHash(seq, prev, event.canonical));
  if (!VerifyInclusion(seq, head.head.size, leaf, proof.path, head.head.root)) {
    return Status::VerificationFailed(
               "the stored tree does not prove the stored event (run `vledger verify`)")
        .WithSeq(seq);
  }
  return ProveResult{seq, head.head.size, FormatTlogProof(proof)};
} catch (...) {
  return CaughtStatus();
}

std::string ProveJson(const ProveResult& r) {
  return Json{{"index", r.index}, {"size", r.size}, {"proof", r.proof}}.dump();
}

// ---------------------------------------------------------- verify-proof

Result<VerifyProofResult> VerifyProof(const Session& /*session*/,
                                      const VerifyProofRequest& request) try {
  const std::string& path = request.proof_path;
  VLEDGER_ASSIGN_OR_RETURN(PublicKey pub, LoadPub(request.pub_path));
  VLEDGER_ASSIGN_OR_RETURN(std::string text, ReadEvidenceFile("proof", path, kTlogProofBytesMax));
  auto proof = ParseTlogProof(text);
  if (!proof.ok()) return proof.status().WithPrefix(Msg("proof {} is malformed", path));
  vledger::Checkpoint head;
  Status sig = VerifyCheckpoint(proof->checkpoint_text, pub, &head);
  if (!sig.ok()) return sig.WithPrefix("checkpoint signature does not verify");
  if (proof->index >= head.size) {
    return Status::VerificationFailed(
        Msg("index {} is not below the checkpoint size {}", proof->index, head.size));
  }
  if (proof->extra.size() < 32 + 8) {
    return Status::VerificationFailed("extra is not h[n-1] (32 bytes) followed by an event");
  }
  Hash prev = *HashFrom(std::string_view(proof->extra).substr(0, 32));
  std::string_view canonical = std::string_view(proof->extra).substr(32);
  if (proof->index == 0 && prev != kZeroHash) {
    return Status::VerificationFailed("extra: h[-1] before the genesis must be 32 zero bytes");
  }
  Hash record = RecordHash(proof->index, prev, canonical);
  if (!VerifyInclusion(proof->index, head.size, MerkleLeafHash(record), proof->path, head.root)) {
    return Status::VerificationFailed("inclusion path does not lead to the checkpoint root");
  }
  auto event = DecodeEvent(canonical);
  if (!event.ok()) return event.status().WithPrefix("the proven event does not decode");
  VerifyProofResult r;
  r.seq = proof->index;
  r.hash = record;
  r.type = EventTypeName(event->body);
  r.recorded_at_ms = event->recorded_at_ms;
  r.key_id = event->key_id;
  r.request_id = event->request_id;
  r.body_json =
      Json::parse(EventBodyJson(event->body)).dump(-1, ' ', false, Json::error_handler_t::replace);
  r.head = head;
  return r;
} catch (...) {
  return CaughtStatus();
}

std::string VerifyProofJson(const VerifyProofResult& r) {
  Json j{{"ok", true},
         {"seq", r.seq},
         {"hash", Hex(r.hash)},
         {"type", r.type},
         {"recordedAt", r.recorded_at_ms},
         {"keyId", r.key_id}};
  if (!r.request_id.empty()) j["requestId"] = r.request_id;
  j["body"] = Json::parse(r.body_json);
  j["checkpoint"] =
      Json{{"origin", r.head.origin}, {"size", r.head.size}, {"root", Hex(r.head.root)}};
  return j.dump();
}

// ----------------------------------------------------------- consistency

Result<ConsistencyResult> Consistency(const Session& session,
                                      const ConsistencyRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  uint64_t n = request.new_size.value_or(ledger->size());
  if (n > ledger->size()) {
    return Status::NotFound("NEW_SIZE",
                            Msg("{} is past the end of the log (size {})", n, ledger->size()));
  }
  if (request.old_size > n) {
    return Status::InvalidInput("OLD_SIZE",
                                Msg("{} is larger than the new size {}", request.old_size, n));
  }
  ConsistencyResult r;
  r.old_size = request.old_size;
  r.new_size = n;
  VLEDGER_ASSIGN_OR_RETURN(r.proof, ConsistencyProof(request.old_size, n, ledger->MerkleNodes()));
  r.text = FormatConsistencyProof(r.proof);
  return r;
} catch (...) {
  return CaughtStatus();
}

std::string ConsistencyJson(const ConsistencyResult& r) {
  Json hashes = Json::array();
  for (const Hash& h : r.proof) hashes.push_back(Hex(h));
  return Json{{"oldSize", r.old_size}, {"newSize", r.new_size}, {"proof", hashes}}.dump();
}

// ---------------------------------------------------- verify-consistency

Result<VerifyConsistencyResult> VerifyConsistency(const Session& /*session*/,
                                                  const VerifyConsistencyRequest& request) try {
  VLEDGER_ASSIGN_OR_RETURN(PublicKey pub, LoadPub(request.pub_path));
  vledger::Checkpoint heads[2];
  const std::string* paths[2] = {&request.old_path, &request.new_path};
  const char* names[2] = {"old", "new"};
  for (int i = 0; i < 2; i++) {
    VLEDGER_ASSIGN_OR_RETURN(
        std::string text,
        ReadEvidenceFile(std::string(names[i]) + " checkpoint", *paths[i], kNoteBytesMax));
    Status st = VerifyCheckpoint(text, pub, &heads[i]);
    if (!st.ok()) {
      return st.WithPrefix(
          i == 0 ? Msg("old checkpoint {}: checkpoint signature does not verify", *paths[i])
                 : Msg("new checkpoint {}: checkpoint signature does not verify", *paths[i]));
    }
  }
  if (heads[0].origin != heads[1].origin) {
    return Status::VerificationFailed(
        Msg("the checkpoints are of different logs ({}, {})", heads[0].origin, heads[1].origin));
  }
  if (heads[0].size > heads[1].size) {
    return Status::VerificationFailed(
        Msg("the old checkpoint (size {}) is larger than the new one (size {})", heads[0].size,
            heads[1].size));
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string text,
                           ReadEvidenceFile("PROOF", request.proof_path, kTlogProofBytesMax));
  VLEDGER_ASSIGN_OR_RETURN(auto proof, ParseProofFile(text, heads[0], heads[1]));
  if (!vledger::VerifyConsistency(heads[0].size, heads[1].size, heads[0].root, heads[1].root,
                                  proof)) {
    return Status::VerificationFailed(
        "consistency proof does not lead from the old root to the new root");
  }
  return VerifyConsistencyResult{heads[0], heads[1]};
} catch (...) {
  return CaughtStatus();
}

std::string VerifyConsistencyJson(const VerifyConsistencyResult& r) {
  return Json{{"ok", true},
              {"origin", r.old_head.origin},
              {"oldSize", r.old_head.size},
              {"newSize", r.new_head.size},
              {"oldRoot", Hex(r.old_head.root)},
              {"newRoot", Hex(r.new_head.root)}}
      .dump();
}

}  // namespace vledger::app
