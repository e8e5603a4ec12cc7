// Tree heads and proofs in the C2SP text formats (SPEC section 5), so any
// transparency-log tool can read them:
//
//   checkpoint   c2sp.org/tlog-checkpoint, a c2sp.org/signed-note:
//                  <origin>\n<size>\n<base64 root>\n
//                  \n
//                  — <origin> <base64(keyID(4) || Ed25519 signature(64))>\n
//   tlog-proof   c2sp.org/tlog-proof@v1: header, extra, index, audit path,
//                a blank line, then the checkpoint verbatim.
//   consistency  an RFC 9162 consistency proof, one base64 hash per line.
//
// Parsers are strict: any malformation is VerificationFailed, since these texts
// arrive from outside and are evidence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"

namespace vledger {

// Limits on untrusted input (signed-note requires accepting >= 16 signatures;
// Go's sumdb/note stops at 100).
constexpr size_t kNoteBytesMax = 1 << 20;
constexpr size_t kNoteSignaturesMax = 100;
constexpr size_t kTlogProofBytesMax = 1 << 20;
// Audit path hashes: one per level of a tree of fewer than 2^63 leaves.
constexpr size_t kInclusionPathHashesMax = 63;
// A consistency proof adds at most its starting node to such a path.
constexpr size_t kConsistencyProofHashesMax = 64;

// The signed-note Ed25519 key ID: the first four bytes, big-endian, of
// SHA-256(key_name || 0x0A || 0x01 || raw 32-byte public key).
uint32_t NoteKeyId(std::string_view key_name, const PublicKey& key);

// The verifier key as Go's sumdb/note and witnesses take it:
// "<name>+<8 hex key ID>+<base64(0x01 || public key)>".
std::string NoteVerifierKey(std::string_view key_name, const PublicKey& key);

// A signed-note key name: non-empty valid UTF-8 with no Unicode space, no
// '+' and no control character. A vledger origin must be one, since the
// ledger signs its checkpoints under the origin as key name.
bool IsValidNoteKeyName(std::string_view name);

// The tree head a checkpoint commits to.
struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};

  bool operator==(const Checkpoint&) const = default;
};

// The note text "<origin>\n<size>\n<base64 root>\n" (what is signed).
std::string CheckpointBody(const Checkpoint& checkpoint);

// The full signed note: body, blank line, one signature line whose key name is
// the origin. Deterministic (Ed25519), so the same head gives the same bytes.
// Requires IsValidNoteKeyName(checkpoint.origin) (asserted).
std::string SignCheckpoint(const Checkpoint& checkpoint, const PrivateKey& key);
// The same note with `signature` (64 bytes, of CheckpointBody) made
// elsewhere by the key whose public half is `key` (not verified here).
std::string CheckpointNote(const Checkpoint& checkpoint, const PublicKey& key,
                           std::string_view signature);

// Parses a checkpoint note without checking any signature: well-formed
// signed note (UTF-8, no control characters, at least one well-formed
// signature line) with exactly the three body lines (extension lines are
// refused: vledger never writes them). VerificationFailed on any malformation.
Result<Checkpoint> ParseCheckpoint(std::string_view note_text);

// Parses and checks the note: signature lines from other keys (witnesses,
// rotated keys) are ignored, but at least one must be by `key` under the
// origin as key name, and every such line must verify. VerificationFailed saying which
// failed: "malformed", "no signature by key", or "bad signature". On success
// fills `out` (when not null).
Status VerifyCheckpoint(std::string_view note_text, const PublicKey& key, Checkpoint* out);

// Who signed a note: the key name and key ID of each signature line, in
// order (nothing verified). VerificationFailed when the note is malformed.
struct NoteSigner {
  std::string name;
  uint32_t key_id = 0;
};
Result<std::vector<NoteSigner>> NoteSigners(std::string_view note_text);

// A signed note of any body (credit certificates, docs/FORMAT.md): the
// body (non-empty lines, each ending in '\n'), a blank line and one
// signature line by `key` under `key_name` (IsValidNoteKeyName, asserted).
std::string SignNote(std::string_view body, std::string_view key_name, const PrivateKey& key);

// What CheckNote found: a well-formed note with a signature line by the key
// (under the name the line gives) that verifies; a malformed note; no line
// by the key; a line by the key whose signature fails (the text changed).
enum class NoteCheck { kValid, kMalformed, kNotByKey, kBadSignature };
struct CheckedNote {
  NoteCheck check = NoteCheck::kMalformed;
  std::string body;      // the signed text (when well-formed)
  std::string key_name;  // the name of the key's line (kValid, kBadSignature)
  Status error;          // why malformed (VerificationFailed)
};
CheckedNote CheckNote(std::string_view note_text, const PublicKey& key);

// A c2sp.org/tlog-proof@v1 inclusion proof.
struct TlogProof {
  std::string extra;  // raw bytes; vledger puts h[n-1] || C(e[n]) here
  uint64_t index = 0;
  std::vector<Hash> path;       // from the leaf's sibling up
  std::string checkpoint_text;  // the signed note, verbatim

  bool operator==(const TlogProof&) const = default;
};

// The proof file text. An empty `extra` omits the extra line, as the format
// says; `checkpoint_text` is copied verbatim and must be a signed note.
std::string FormatTlogProof(const TlogProof& proof);

// Strict: every line in its canonical form, at most kInclusionPathHashesMax
// hashes, at most kTlogProofBytesMax bytes, and a checkpoint that
// ParseCheckpoint accepts. Does not verify anything; VerificationFailed on malformation.
Result<TlogProof> ParseTlogProof(std::string_view text);

// One base64 hash per line, each ending in '\n' ("" for an empty proof).
std::string FormatConsistencyProof(const std::vector<Hash>& proof);
// Strict inverse of FormatConsistencyProof, at most
// kConsistencyProofHashesMax hashes. VerificationFailed on malformation.
Result<std::vector<Hash>> ParseConsistencyProof(std::string_view text);

}  // namespace vledger
