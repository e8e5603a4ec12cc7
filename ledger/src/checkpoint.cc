// C2SP signed notes, checkpoints, tlog-proof files and consistency proof
// text. The signed-note rules followed here are those of c2sp.org/signed-note
// and Go's golang.org/x/mod/sumdb/note, so notes interoperate both ways.
#include "vledger/ledger/checkpoint.h"

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace vledger {

namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // em dash U+2014, space
constexpr char kEd25519SignatureType = 0x01;
constexpr std::string_view kTlogProofHeader = "c2sp.org/tlog-proof@v1";
constexpr size_t kKeyIdBytes = 4;
// Base64 of a 32-byte hash and its newline.
constexpr size_t kHashLineBytes = 45;

// Splits off '\n'-terminated lines; a final line without '\n' is not a line.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : rest_(text) {}
  bool Next(std::string_view* line) {
    size_t end = rest_.find('\n');
    if (end == std::string_view::npos) return false;
    *line = rest_.substr(0, end);
    rest_.remove_prefix(end + 1);
    return true;
  }
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

// Decodes one UTF-8 code point at *pos, rejecting overlong forms, surrogates
// and values above U+10FFFF, as Go's utf8 package does.
bool DecodeRune(std::string_view s, size_t* pos, uint32_t* rune) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t lead = byte(*pos);
  size_t extra = 0;  // continuation bytes after the lead byte
  if (lead < 0x80) {
    extra = 0;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
  } else {
    return false;
  }
  if (s.size() - *pos <= extra) return false;
  uint32_t value = extra == 0 ? lead : lead & (0x3F >> extra);
  for (size_t i = 1; i <= extra; i++) {
    uint8_t next = byte(*pos + i);
    if ((next & 0xC0) != 0x80) return false;
    value = value << 6 | (next & 0x3F);
  }
  static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  if (value < kMinForLength[extra] || value > 0x10FFFF) return false;
  if (value >= 0xD800 && value <= 0xDFFF) return false;
  *pos += extra + 1;
  *rune = value;
  return true;
}

// unicode.IsSpace, which Go's note package applies to key names.
bool IsUnicodeSpace(uint32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// Signed notes are valid UTF-8 without ASCII control characters but '\n'.
Status CheckNoteCharacters(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    uint32_t rune = 0;
    size_t at = pos;
    if (!DecodeRune(text, &pos, &rune)) {
      return Status::VerificationFailed(Msg("invalid UTF-8 at byte {}", at));
    }
    if (rune < 0x20 && rune != '\n') {
      return Status::VerificationFailed(Msg("control character at byte {}", at));
    }
  }
  return Status::Ok();
}

std::string KeyIdHex(uint32_t key_id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", key_id);
  return buf;
}

std::string U32be(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

uint32_t GetU32be(std::string_view bytes) {
  VLEDGER_ASSERT(bytes.size() >= 4);
  uint32_t v = 0;
  for (size_t i = 0; i < 4; i++) v = v << 8 | static_cast<uint8_t>(bytes[i]);
  return v;
}

// ASCII decimal with no leading zero (but "0"), fitting in 64 bits.
std::optional<uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint64_t value = 0;
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (err != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<Hash> ParseBase64Hash(std::string_view text) {
  std::optional<std::string> raw = Unbase64(text);
  if (!raw) return std::nullopt;
  return HashFrom(*raw);
}

struct NoteSignature {
  std::string_view name;
  uint32_t key_id = 0;
  std::string signature;  // without the key ID
};

struct SignedNote {
  std::string_view text;  // the signed bytes, ending in '\n'
  std::vector<NoteSignature> signatures;
};

// One "— <name> <base64(key ID || signature)>" line, without its '\n'.
Result<NoteSignature> ParseSignatureLine(std::string_view line) {
  if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
    return Status::VerificationFailed("signature line does not start with an em dash and a space");
  }
  line.remove_prefix(kSignaturePrefix.size());
  size_t space = line.find(' ');
  if (space == std::string_view::npos)
    return Status::VerificationFailed("signature line has no signature");
  NoteSignature sig;
  sig.name = line.substr(0, space);
  if (!IsValidNoteKeyName(sig.name))
    return Status::VerificationFailed("signature line has a bad key name");
  std::optional<std::string> raw = Unbase64(line.substr(space + 1));
  if (!raw || raw->size() <= kKeyIdBytes) {
    return Status::VerificationFailed(
        Msg("signature of {} is not base64 of key ID and signature", sig.name));
  }
  sig.key_id = GetU32be(*raw);
  sig.signature = raw->substr(kKeyIdBytes);
  return sig;
}

// The signed-note envelope: the text ends at the last blank line, then one or
// more signature lines follow.
Result<SignedNote> ParseNote(std::string_view note) {
  if (note.size() > kNoteBytesMax) return Status::VerificationFailed("note is larger than 1 MiB");
  VLEDGER_TRY(CheckNoteCharacters(note));
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return Status::VerificationFailed("note has no blank line before its signatures");
  }
  SignedNote parsed;
  parsed.text = note.substr(0, split + 1);
  std::string_view block = note.substr(split + 2);
  if (block.empty() || block.back() != '\n') {
    return Status::VerificationFailed("note does not end in a signature line");
  }
  LineCursor lines(block);
  std::string_view line;
  while (lines.Next(&line)) {
    if (parsed.signatures.size() == kNoteSignaturesMax) {
      return Status::VerificationFailed("note has over 100 signatures");
    }
    VLEDGER_ASSIGN_OR_RETURN(NoteSignature sig, ParseSignatureLine(line));
    parsed.signatures.push_back(std::move(sig));
  }
  return parsed;
}

// Exactly "<origin>\n<size>\n<base64 root>\n".
Result<Checkpoint> ParseCheckpointBody(std::string_view text) {
  LineCursor lines(text);
  std::string_view origin, size, root;
  if (!lines.Next(&origin) || !lines.Next(&size) || !lines.Next(&root)) {
    return Status::VerificationFailed("checkpoint body has fewer than three lines");
  }
  if (!lines.rest().empty())
    return Status::VerificationFailed("checkpoint body has extension lines");
  if (!IsValidNoteKeyName(origin)) {
    return Status::VerificationFailed("checkpoint origin is empty or has a space or '+'");
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(origin);
  std::optional<uint64_t> parsed_size = ParseDecimal(size);
  if (!parsed_size) return Status::VerificationFailed("checkpoint size is not a canonical decimal");
  checkpoint.size = *parsed_size;
  std::optional<Hash> parsed_root = ParseBase64Hash(root);
  if (!parsed_root) return Status::VerificationFailed("checkpoint root is not base64 of 32 bytes");
  checkpoint.root = *parsed_root;
  return checkpoint;
}

Result<Checkpoint> ParseCheckpointNote(std::string_view note_text, SignedNote* note) {
  VLEDGER_ASSIGN_OR_RETURN(*note, ParseNote(note_text));
  return ParseCheckpointBody(note->text);
}

}  // namespace

uint32_t NoteKeyId(std::string_view key_name, const PublicKey& key) {
  std::string input(key_name);
  input += '\n';
  input += kEd25519SignatureType;
  input += key.raw();
  return GetU32be(AsView(Sha256(input)));
}

std::string NoteVerifierKey(std::string_view key_name, const PublicKey& key) {
  return std::string(key_name) + "+" + KeyIdHex(NoteKeyId(key_name, key)) + "+" +
         Base64(std::string(1, kEd25519SignatureType) + key.raw());
}

bool IsValidNoteKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t pos = 0; pos < name.size();) {
    uint32_t rune = 0;
    if (!DecodeRune(name, &pos, &rune)) return false;
    if (rune < 0x20 || rune == '+' || IsUnicodeSpace(rune)) return false;
  }
  return true;
}

std::string CheckpointBody(const Checkpoint& checkpoint) {
  return checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
         Base64(AsView(checkpoint.root)) + "\n";
}

std::string SignCheckpoint(const Checkpoint& checkpoint, const PrivateKey& key) {
  VLEDGER_ASSERT(IsValidNoteKeyName(checkpoint.origin));
  return CheckpointNote(checkpoint, key.public_key(), key.Sign(CheckpointBody(checkpoint)));
}

std::string CheckpointNote(const Checkpoint& checkpoint, const PublicKey& key,
                           std::string_view signature) {
  VLEDGER_ASSERT(IsValidNoteKeyName(checkpoint.origin));
  VLEDGER_ASSERT(signature.size() == kSignatureBytes);
  uint32_t key_id = NoteKeyId(checkpoint.origin, key);
  return CheckpointBody(checkpoint) + "\n" + std::string(kSignaturePrefix) + checkpoint.origin +
         " " + Base64(U32be(key_id) + std::string(signature)) + "\n";
}

Result<Checkpoint> ParseCheckpoint(std::string_view note_text) {
  SignedNote note;
  Result<Checkpoint> checkpoint = ParseCheckpointNote(note_text, &note);
  if (!checkpoint.ok()) return checkpoint.status().WithPrefix("checkpoint malformed");
  return checkpoint;
}

Status VerifyCheckpoint(std::string_view note_text, const PublicKey& key, Checkpoint* out) {
  SignedNote note;
  Result<Checkpoint> checkpoint = ParseCheckpointNote(note_text, &note);
  if (!checkpoint.ok()) return checkpoint.status().WithPrefix("checkpoint malformed");
  // Our signer's key name is the origin; lines by any other (name, key ID)
  // are witnesses or other keys, which signed-note says to ignore.
  const std::string& origin = checkpoint->origin;
  const uint32_t key_id = NoteKeyId(origin, key);
  const std::string who = origin + "+" + KeyIdHex(key_id);
  int verified = 0;
  for (const NoteSignature& sig : note.signatures) {
    if (sig.name != origin || sig.key_id != key_id) continue;
    if (!key.Verify(note.text, sig.signature)) {
      return Status::VerificationFailed(Msg("checkpoint: bad signature by key {}", who));
    }
    verified++;
  }
  if (verified == 0)
    return Status::VerificationFailed(Msg("checkpoint: no signature by key {}", who));
  if (out != nullptr) *out = std::move(checkpoint).value();
  return Status::Ok();
}

std::string SignNote(std::string_view body, std::string_view key_name, const PrivateKey& key) {
  VLEDGER_ASSERT(IsValidNoteKeyName(key_name));
  VLEDGER_ASSERT(!body.empty() && body.back() == '\n');
  uint32_t key_id = NoteKeyId(key_name, key.public_key());
  return std::string(body) + "\n" + std::string(kSignaturePrefix) + std::string(key_name) + " " +
         Base64(U32be(key_id) + key.Sign(body)) + "\n";
}

CheckedNote CheckNote(std::string_view note_text, const PublicKey& key) {
  CheckedNote out;
  Result<SignedNote> note = ParseNote(note_text);
  if (!note.ok()) {
    out.error = note.status();
    return out;
  }
  out.body = std::string(note->text);
  out.check = NoteCheck::kNotByKey;
  for (const NoteSignature& sig : note->signatures) {
    if (sig.key_id != NoteKeyId(sig.name, key)) continue;
    out.key_name = std::string(sig.name);
    if (!key.Verify(note->text, sig.signature)) {
      out.check = NoteCheck::kBadSignature;
      return out;
    }
    out.check = NoteCheck::kValid;
  }
  return out;
}

Result<std::vector<NoteSigner>> NoteSigners(std::string_view note_text) {
  Result<SignedNote> note = ParseNote(note_text);
  if (!note.ok()) return note.status().WithPrefix("checkpoint malformed");
  std::vector<NoteSigner> signers;
  for (const NoteSignature& sig : note->signatures) {
    signers.push_back(NoteSigner{std::string(sig.name), sig.key_id});
  }
  return signers;
}

std::string FormatTlogProof(const TlogProof& proof) {
  std::string text = std::string(kTlogProofHeader) + "\n";
  if (!proof.extra.empty()) text += "extra " + Base64(proof.extra) + "\n";
  text += "index " + std::to_string(proof.index) + "\n";
  for (const Hash& hash : proof.path) text += Base64(AsView(hash)) + "\n";
  text += "\n";
  text += proof.checkpoint_text;
  return text;
}

namespace {

// The audit path lines up to and including the blank line.
Status ParseTlogProofPath(LineCursor* lines, std::vector<Hash>* path) {
  std::string_view line;
  for (;;) {  // bounded: at most kInclusionPathHashesMax + 1 lines
    if (!lines->Next(&line))
      return Status::VerificationFailed("no blank line before the checkpoint");
    if (line.empty()) return Status::Ok();
    if (path->size() == kInclusionPathHashesMax)
      return Status::VerificationFailed("audit path over 63 hashes");
    std::optional<Hash> hash = ParseBase64Hash(line);
    if (!hash) {
      return Status::VerificationFailed(
          Msg("audit path line {} is not base64 of 32 bytes", path->size() + 1));
    }
    path->push_back(*hash);
  }
}

Result<TlogProof> ParseTlogProofLines(std::string_view text) {
  if (text.size() > kTlogProofBytesMax) return Status::VerificationFailed("larger than 1 MiB");
  LineCursor lines(text);
  std::string_view line;
  if (!lines.Next(&line) || line != kTlogProofHeader) {
    return Status::VerificationFailed(Msg("first line is not {}", kTlogProofHeader));
  }
  TlogProof proof;
  if (!lines.Next(&line)) return Status::VerificationFailed("no index line");
  if (line.substr(0, 6) == "extra ") {
    std::optional<std::string> extra = Unbase64(line.substr(6));
    if (!extra || extra->empty())
      return Status::VerificationFailed("extra is not non-empty base64");
    proof.extra = std::move(*extra);
    if (!lines.Next(&line)) return Status::VerificationFailed("no index line");
  }
  std::optional<uint64_t> index;
  if (line.substr(0, 6) == "index ") index = ParseDecimal(line.substr(6));
  if (!index) return Status::VerificationFailed("no index line with a canonical decimal");
  proof.index = *index;
  VLEDGER_TRY(ParseTlogProofPath(&lines, &proof.path));
  proof.checkpoint_text = std::string(lines.rest());
  VLEDGER_TRY(ParseCheckpoint(proof.checkpoint_text).status());
  return proof;
}

}  // namespace

Result<TlogProof> ParseTlogProof(std::string_view text) {
  Result<TlogProof> proof = ParseTlogProofLines(text);
  if (!proof.ok()) return proof.status().WithPrefix("tlog-proof");
  return proof;
}

std::string FormatConsistencyProof(const std::vector<Hash>& proof) {
  std::string text;
  for (const Hash& hash : proof) text += Base64(AsView(hash)) + "\n";
  return text;
}

Result<std::vector<Hash>> ParseConsistencyProof(std::string_view text) {
  if (text.size() > kConsistencyProofHashesMax * kHashLineBytes) {
    return Status::VerificationFailed("consistency proof: over 64 hashes");
  }
  std::vector<Hash> proof;
  LineCursor lines(text);
  std::string_view line;
  while (lines.Next(&line)) {
    std::optional<Hash> hash = ParseBase64Hash(line);
    if (!hash) {
      return Status::VerificationFailed(
          Msg("consistency proof: line {} is not base64 of 32 bytes", proof.size() + 1));
    }
    proof.push_back(*hash);
  }
  if (!lines.rest().empty())
    return Status::VerificationFailed("consistency proof: last line has no newline");
  return proof;
}

}  // namespace vledger
