// The auditors' toolkit, part one: signed tree heads and proofs.
//   checkpoint [--size N]                      sign and store a C2SP checkpoint
//   prove SEQ [--size N] [--out F]             c2sp.org/tlog-proof@v1 of one event
//   verify-proof F --pub KEY                   check one offline (no ledger)
//   consistency OLD [NEW]                      RFC 9162 consistency proof
//   verify-consistency OLD NEW PROOF --pub KEY check one offline
// Export and `verify --archive` live in audit_archive.cc.
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "audit.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/merkle.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/verify.h"

namespace vledger::cli {

Result<std::string> ReadEvidenceFile(const std::string& what, const std::string& path,
                                     size_t bytes_max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Rejected(what + ": cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > bytes_max) {
      return Status::Fault(what + ": " + path + " is larger than " + std::to_string(bytes_max) +
                           " bytes");
    }
  }
  if (in.bad()) return Status::Rejected(what + ": cannot read " + path);
  return text;
}

namespace {

std::string Sizes(uint64_t size) { return std::to_string(size); }

// ------------------------------------------------------------ commands

Status CheckpointCommand(Context& ctx, std::optional<uint64_t> size) {
  if (ctx.options.key_path.empty()) {
    return Status::Rejected("--key: checkpoint needs an admin key (--key FILE or VLEDGER_KEY)");
  }
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(SignedHead head, CheckpointForUse(ctx, *ledger, size));
  if (!ctx.quiet) std::cout << head.text << std::flush;  // the note itself, even with --json
  return Status::Ok();
}

Status WriteTextFile(const std::string& what, const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Status::Rejected(what + ": cannot write " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::Rejected(what + ": cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

Status ProveCommand(Context& ctx, uint64_t seq, std::optional<uint64_t> size,
                    const std::string& out_path) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  if (seq >= ledger->size()) {
    return Status::Rejected("SEQ: " + std::to_string(seq) + " is past the end of the log (size " +
                            Sizes(ledger->size()) + ")");
  }
  if (size && seq >= *size) {
    return Status::Rejected("SEQ: " + std::to_string(seq) + " is not below --size " + Sizes(*size));
  }
  VLEDGER_ASSIGN_OR_RETURN(SignedHead head, CheckpointForUse(ctx, *ledger, size));
  if (seq >= head.head.size) {
    return Status::Rejected("SEQ: " + std::to_string(seq) + " is not covered by the newest " +
                            "checkpoint (size " + Sizes(head.head.size) +
                            "); give an admin --key to sign a newer one");
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
    return Status::Fault(
        "seq " + std::to_string(seq) +
        ": the stored tree does not prove the stored event (run `vledger verify`)");
  }
  std::string text = FormatTlogProof(proof);
  if (!out_path.empty()) VLEDGER_TRY(WriteTextFile("--out", out_path, text));
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"index", seq}, {"size", head.head.size}, {"proof", text}});
  } else if (!out_path.empty()) {
    ctx.PrintLine("wrote " + out_path + ": seq " + std::to_string(seq) + " in the tree of " +
                  Sizes(head.head.size) + " events");
  } else if (!ctx.quiet) {
    std::cout << text << std::flush;
  }
  return Status::Ok();
}

Result<PublicKey> LoadPub(const std::string& path) {
  auto pub = PublicKey::LoadPem(path);
  if (!pub.ok()) return pub.status().WithPrefix("--pub");
  return pub;
}

std::string UtcTime(int64_t ms) {
  time_t t = static_cast<time_t>(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status VerifyProofCommand(Context& ctx, const std::string& path, const std::string& pub_path) {
  VLEDGER_ASSIGN_OR_RETURN(PublicKey pub, LoadPub(pub_path));
  VLEDGER_ASSIGN_OR_RETURN(std::string text, ReadEvidenceFile("proof", path, kTlogProofBytesMax));
  auto proof = ParseTlogProof(text);
  if (!proof.ok()) return proof.status().WithPrefix("proof " + path + " is malformed");
  Checkpoint head;
  Status sig = VerifyCheckpoint(proof->checkpoint_text, pub, &head);
  if (!sig.ok()) return sig.WithPrefix("checkpoint signature does not verify");
  if (proof->index >= head.size) {
    return Status::Fault("index " + std::to_string(proof->index) +
                         " is not below the checkpoint size " + Sizes(head.size));
  }
  if (proof->extra.size() < 32 + 8) {
    return Status::Fault("extra is not h[n-1] (32 bytes) followed by an event");
  }
  Hash prev = *HashFrom(std::string_view(proof->extra).substr(0, 32));
  std::string_view canonical = std::string_view(proof->extra).substr(32);
  if (proof->index == 0 && prev != kZeroHash) {
    return Status::Fault("extra: h[-1] before the genesis must be 32 zero bytes");
  }
  Hash record = RecordHash(proof->index, prev, canonical);
  if (!VerifyInclusion(proof->index, head.size, MerkleLeafHash(record), proof->path, head.root)) {
    return Status::Fault("inclusion path does not lead to the checkpoint root");
  }
  auto event = DecodeEvent(canonical);
  if (!event.ok()) return event.status().WithPrefix("the proven event does not decode");
  Json body = Json::parse(EventBodyJson(event->body));
  if (ctx.options.json) {
    Json j{{"ok", true},
           {"seq", proof->index},
           {"hash", Hex(record)},
           {"type", EventTypeName(event->body)},
           {"recordedAt", event->recorded_at_ms},
           {"keyId", event->key_id}};
    if (!event->request_id.empty()) j["requestId"] = event->request_id;
    j["body"] = body;
    j["checkpoint"] = Json{{"origin", head.origin}, {"size", head.size}, {"root", Hex(head.root)}};
    ctx.PrintJson(j);
    return Status::Ok();
  }
  ctx.PrintLine("ok: seq " + std::to_string(proof->index) + " is in the log " + head.origin +
                " of " + Sizes(head.size) + " events (root " + Hex(head.root) + ")");
  ctx.PrintLine("seq:      " + std::to_string(proof->index));
  ctx.PrintLine("hash:     " + Hex(record));
  ctx.PrintLine("type:     " + std::string(EventTypeName(event->body)));
  ctx.PrintLine("recorded: " + UtcTime(event->recorded_at_ms));
  ctx.PrintLine("key:      " + event->key_id);
  ctx.PrintLine("body:     " + body.dump(-1, ' ', false, Json::error_handler_t::replace));
  return Status::Ok();
}

Status ConsistencyCommand(Context& ctx, uint64_t old_size, std::optional<uint64_t> new_size) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  uint64_t n = new_size.value_or(ledger->size());
  if (n > ledger->size()) {
    return Status::Rejected("NEW_SIZE: " + Sizes(n) + " is past the end of the log (size " +
                            Sizes(ledger->size()) + ")");
  }
  if (old_size > n) {
    return Status::Rejected("OLD_SIZE: " + Sizes(old_size) + " is larger than the new size " +
                            Sizes(n));
  }
  VLEDGER_ASSIGN_OR_RETURN(auto proof, ConsistencyProof(old_size, n, ledger->MerkleNodes()));
  if (ctx.options.json) {
    Json hashes = Json::array();
    for (const Hash& h : proof) hashes.push_back(Hex(h));
    ctx.PrintJson(Json{{"oldSize", old_size}, {"newSize", n}, {"proof", hashes}});
  } else if (!ctx.quiet) {
    std::cout << FormatConsistencyProof(proof) << std::flush;
  }
  return Status::Ok();
}

// PROOF as `consistency` prints it: base64 lines, or its --json document.
Result<std::vector<Hash>> ParseProofFile(const std::string& text, const Checkpoint& old_head,
                                         const Checkpoint& new_head) {
  if (text.empty() || text[0] != '{') {
    auto proof = ParseConsistencyProof(text);
    if (!proof.ok()) return proof.status().WithPrefix("PROOF is malformed");
    return proof;
  }
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc["proof"].is_array() ||
      !doc["oldSize"].is_number_unsigned() || !doc["newSize"].is_number_unsigned() ||
      doc["proof"].size() > kConsistencyProofHashesMax) {
    return Status::Fault("PROOF is malformed: not what `consistency --json` prints");
  }
  if (doc["oldSize"].get<uint64_t>() != old_head.size ||
      doc["newSize"].get<uint64_t>() != new_head.size) {
    return Status::Fault("PROOF is for sizes " + doc["oldSize"].dump() + " and " +
                         doc["newSize"].dump() + ", not the checkpoints' " + Sizes(old_head.size) +
                         " and " + Sizes(new_head.size));
  }
  std::vector<Hash> proof;
  for (const Json& h : doc["proof"]) {
    auto bytes = h.is_string() ? Unhex(h.get<std::string>()) : std::nullopt;
    auto hash = bytes ? HashFrom(*bytes) : std::nullopt;
    if (!hash) return Status::Fault("PROOF is malformed: a hash is not 64 hex digits");
    proof.push_back(*hash);
  }
  return proof;
}

Status VerifyConsistencyCommand(Context& ctx, const std::string& old_path,
                                const std::string& new_path, const std::string& proof_path,
                                const std::string& pub_path) {
  VLEDGER_ASSIGN_OR_RETURN(PublicKey pub, LoadPub(pub_path));
  Checkpoint heads[2];
  const std::string* paths[2] = {&old_path, &new_path};
  const char* names[2] = {"old", "new"};
  for (int i = 0; i < 2; i++) {
    VLEDGER_ASSIGN_OR_RETURN(
        std::string text,
        ReadEvidenceFile(std::string(names[i]) + " checkpoint", *paths[i], kNoteBytesMax));
    Status st = VerifyCheckpoint(text, pub, &heads[i]);
    if (!st.ok()) {
      return st.WithPrefix(std::string(names[i]) + " checkpoint " + *paths[i] +
                           ": checkpoint signature does not verify");
    }
  }
  if (heads[0].origin != heads[1].origin) {
    return Status::Fault("the checkpoints are of different logs (" + heads[0].origin + ", " +
                         heads[1].origin + ")");
  }
  if (heads[0].size > heads[1].size) {
    return Status::Fault("the old checkpoint (size " + Sizes(heads[0].size) +
                         ") is larger than the new one (size " + Sizes(heads[1].size) + ")");
  }
  VLEDGER_ASSIGN_OR_RETURN(std::string text,
                           ReadEvidenceFile("PROOF", proof_path, kTlogProofBytesMax));
  VLEDGER_ASSIGN_OR_RETURN(auto proof, ParseProofFile(text, heads[0], heads[1]));
  if (!VerifyConsistency(heads[0].size, heads[1].size, heads[0].root, heads[1].root, proof)) {
    return Status::Fault("consistency proof does not lead from the old root to the new root");
  }
  if (ctx.options.json) {
    ctx.PrintJson(Json{{"ok", true},
                       {"origin", heads[0].origin},
                       {"oldSize", heads[0].size},
                       {"newSize", heads[1].size},
                       {"oldRoot", Hex(heads[0].root)},
                       {"newRoot", Hex(heads[1].root)}});
  } else {
    ctx.PrintLine("ok: the tree of " + Sizes(heads[0].size) +
                  " events is a prefix of the tree of " + Sizes(heads[1].size) + " events in " +
                  heads[0].origin);
  }
  return Status::Ok();
}

// Optional unsigned options: CLI11 fills a plain integer; count() says
// whether it was given.
std::optional<uint64_t> Given(const CLI::Option* opt, uint64_t value) {
  return opt->count() > 0 ? std::optional<uint64_t>(value) : std::nullopt;
}

}  // namespace

void RegisterArchiveCommands(CLI::App& app, Context& ctx, Action* action);  // audit_archive.cc

void RegisterAuditCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto size = std::make_shared<uint64_t>(0);
    CLI::App* cmd = AddCommand(app, "checkpoint", "sign and store a checkpoint (admin --key)");
    CLI::Option* opt = cmd->add_option("--size", *size, "tree size (default: the whole log)")
                           ->check(WholeNumber("size"));
    cmd->callback([&ctx, action, size, opt] {
      *action = [&ctx, size, opt] { return CheckpointCommand(ctx, Given(opt, *size)); };
    });
  }
  {
    struct Opts {
      uint64_t seq = 0, size = 0;
      std::string out;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "prove", "write a c2sp.org/tlog-proof@v1 of one event");
    cmd->add_option("SEQ", o->seq, "event seq")->required()->check(WholeNumber("seq"));
    CLI::Option* opt =
        cmd->add_option("--size", o->size, "tree size (with --key)")->check(WholeNumber("size"));
    cmd->add_option("--out", o->out, "write the proof to this file");
    cmd->callback([&ctx, action, o, opt] {
      *action = [&ctx, o, opt] { return ProveCommand(ctx, o->seq, Given(opt, o->size), o->out); };
    });
  }
  {
    auto o = std::make_shared<std::pair<std::string, std::string>>();
    CLI::App* cmd = AddCommand(app, "verify-proof", "check a tlog-proof offline (no ledger)");
    cmd->add_option("FILE", o->first, "the .tlog-proof file")->required();
    cmd->add_option("--pub", o->second, "the admin public key that signed its checkpoint")
        ->required();
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o] { return VerifyProofCommand(ctx, o->first, o->second); };
    });
  }
  {
    auto o = std::make_shared<std::pair<uint64_t, uint64_t>>(0, 0);
    CLI::App* cmd = AddCommand(app, "consistency", "RFC 9162 consistency proof between sizes");
    cmd->add_option("OLD_SIZE", o->first, "the older tree size")->required();
    CLI::Option* opt = cmd->add_option("NEW_SIZE", o->second, "the newer size (default: now)");
    cmd->callback([&ctx, action, o, opt] {
      *action = [&ctx, o, opt] { return ConsistencyCommand(ctx, o->first, Given(opt, o->second)); };
    });
  }
  {
    auto o = std::make_shared<std::array<std::string, 4>>();
    CLI::App* cmd = AddCommand(app, "verify-consistency",
                               "check that one checkpoint's tree extends another's (offline)");
    cmd->add_option("OLD", (*o)[0], "the older checkpoint file")->required();
    cmd->add_option("NEW", (*o)[1], "the newer checkpoint file")->required();
    cmd->add_option("PROOF", (*o)[2], "what `consistency` printed")->required();
    cmd->add_option("--pub", (*o)[3], "the admin public key that signed them")->required();
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o] {
        return VerifyConsistencyCommand(ctx, (*o)[0], (*o)[1], (*o)[2], (*o)[3]);
      };
    });
  }
  RegisterArchiveCommands(app, ctx, action);
}

}  // namespace vledger::cli
