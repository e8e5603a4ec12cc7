#include "vledger/net/http_signature.h"

#include <algorithm>
#include <set>

#include "vledger/ledger/bytes.h"

namespace vledger::net {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// An sf-string: printable ASCII, `"` and `\` escaped.
std::string QuoteString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool IsKeyChar(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || c == '*') return true;
  return !first && ((c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.');
}

// A cursor over one header field's value (RFC 8941, the parts used here).
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool done() const { return at_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[at_]; }
  size_t at() const { return at_; }
  bool Eat(char c) {
    if (peek() != c) return false;
    at_++;
    return true;
  }
  void Spaces() {
    while (peek() == ' ') at_++;
  }
  std::optional<std::string> Key() {
    size_t start = at_;
    if (!IsKeyChar(peek(), true)) return std::nullopt;
    while (!done() && IsKeyChar(peek(), false)) at_++;
    return std::string(text_.substr(start, at_ - start));
  }
  std::optional<std::string> String() {
    if (!Eat('"')) return std::nullopt;
    std::string out;
    while (!done()) {
      char c = text_[at_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (done()) return std::nullopt;
        c = text_[at_++];
        if (c != '"' && c != '\\') return std::nullopt;
      } else if (c < 0x20 || c > 0x7e) {
        return std::nullopt;
      }
      out += c;
    }
    return std::nullopt;
  }
  std::optional<int64_t> Integer() {
    bool negative = Eat('-');
    size_t start = at_;
    int64_t value = 0;
    while (!done() && peek() >= '0' && peek() <= '9') {
      if (at_ - start >= 15) return std::nullopt;
      value = value * 10 + (text_[at_++] - '0');
    }
    if (at_ == start) return std::nullopt;
    return negative ? -value : value;
  }
  std::optional<std::string> ByteSequence() {
    if (!Eat(':')) return std::nullopt;
    size_t end = text_.find(':', at_);
    if (end == std::string_view::npos) return std::nullopt;
    std::optional<std::string> bytes = Unbase64(text_.substr(at_, end - at_));
    at_ = end + 1;
    return bytes;
  }

 private:
  std::string_view text_;
  size_t at_ = 0;
};

Status Bad(std::string_view field, const char* what) {
  return Status::InvalidInput(field, Msg("{}", what));
}

// The path of a request target, and its query with the "?" ("?" when it
// has none).
std::pair<std::string, std::string> PathAndQuery(std::string_view target) {
  size_t q = target.find('?');
  std::string path(target.substr(0, q));
  if (path.empty()) path = "/";
  std::string query = q == std::string_view::npos ? "?" : std::string(target.substr(q));
  return {path, query};
}

}  // namespace

std::string SerializeParams(const SignatureParams& params) {
  std::string out = "(";
  for (size_t i = 0; i < params.components.size(); i++) {
    if (i > 0) out += ' ';
    out += QuoteString(params.components[i]);
  }
  out += ')';
  if (params.created) out += ";created=" + std::to_string(*params.created);
  if (params.expires) out += ";expires=" + std::to_string(*params.expires);
  if (!params.nonce.empty()) out += ";nonce=" + QuoteString(params.nonce);
  if (!params.keyid.empty()) out += ";keyid=" + QuoteString(params.keyid);
  if (!params.alg.empty()) out += ";alg=" + QuoteString(params.alg);
  return out;
}

Result<std::string> SignatureBase(const SignedMessage& message, const SignatureParams& params,
                                  std::string_view params_text) {
  std::string base;
  std::set<std::string> seen;
  auto [path, query] = PathAndQuery(message.target);
  for (const std::string& name : params.components) {
    if (!seen.insert(name).second) {
      return Status::InvalidInput("Signature-Input", Msg("component {} is given twice", name));
    }
    std::string value;
    if (name == "@method") {
      value = message.method;
    } else if (name == "@authority") {
      value = Lower(message.authority);
    } else if (name == "@path") {
      value = path;
    } else if (name == "@query") {
      value = query;
    } else if (name == "@target-uri") {
      value = Lower(message.scheme) + "://" + Lower(message.authority) + message.target;
    } else if (name.starts_with("@") || name != Lower(name) || name.empty()) {
      return Status::InvalidInput("Signature-Input",
                                  Msg("component {} is not one this server reads", name));
    } else {
      bool found = false;
      for (const auto& [field, v] : message.fields) {
        if (Lower(field) != name) continue;
        if (found) value += ", ";
        value += Trim(v);
        found = true;
      }
      if (!found) {
        return Status::InvalidInput("Signature-Input",
                                    Msg("component {} is not in the request", name));
      }
    }
    if (value.find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidInput("Signature-Input", Msg("component {} holds a line break", name));
    }
    base += QuoteString(name) + ": " + value + "\n";
  }
  base += "\"@signature-params\": ";
  base += params_text;
  return base;
}

std::string ContentDigest(std::string_view body) {
  Hash h = Sha256(body);
  return "sha-256=:" + Base64(AsView(h)) + ":";
}

Result<SignatureFields> SignMessage(const SignedMessage& message, const SignatureParams& params,
                                    const PrivateKey& key, std::string_view label) {
  std::string params_text = SerializeParams(params);
  VLEDGER_ASSIGN_OR_RETURN(std::string base, SignatureBase(message, params, params_text));
  SignatureFields out;
  out.signature_input = std::string(label) + "=" + params_text;
  out.signature = std::string(label) + "=:" + Base64(key.Sign(base)) + ":";
  return out;
}

Result<ReceivedSignature> ParseSignatureFields(std::string_view signature_input,
                                               std::string_view signature) {
  if (signature_input.size() > kSignatureHeaderBytesMax) return Bad("Signature-Input", "too long");
  if (signature.size() > kSignatureHeaderBytesMax) return Bad("Signature", "too long");
  ReceivedSignature out;
  Reader in(Trim(signature_input));
  std::optional<std::string> label = in.Key();
  if (!label || !in.Eat('=')) return Bad("Signature-Input", "not LABEL=(COMPONENTS);PARAMETERS");
  out.label = *label;
  size_t params_start = in.at();
  if (!in.Eat('(')) return Bad("Signature-Input", "not LABEL=(COMPONENTS);PARAMETERS");
  in.Spaces();
  while (!in.Eat(')')) {
    std::optional<std::string> name = in.String();
    if (!name) return Bad("Signature-Input", "a component is a quoted string");
    if (in.peek() == ';') return Bad("Signature-Input", "component parameters are not read");
    if (out.params.components.size() == kSignatureComponentsMax) {
      return Bad("Signature-Input", "too many components");
    }
    out.params.components.push_back(std::move(*name));
    if (in.peek() != ')' && in.peek() != ' ') {
      return Bad("Signature-Input", "components are separated by spaces");
    }
    in.Spaces();
  }
  std::set<std::string> names;
  while (in.Eat(';')) {
    in.Spaces();
    std::optional<std::string> name = in.Key();
    if (!name || !in.Eat('=')) return Bad("Signature-Input", "a parameter is NAME=VALUE");
    if (!names.insert(*name).second) return Bad("Signature-Input", "a parameter is given twice");
    if (*name == "created" || *name == "expires") {
      std::optional<int64_t> value = in.Integer();
      if (!value) return Bad("Signature-Input", "created and expires are whole numbers");
      (*name == "created" ? out.params.created : out.params.expires) = *value;
    } else if (*name == "nonce" || *name == "keyid" || *name == "alg" || *name == "tag") {
      std::optional<std::string> value = in.String();
      if (!value) return Bad("Signature-Input", "nonce, keyid, alg and tag are quoted strings");
      if (*name == "nonce") out.params.nonce = *value;
      if (*name == "keyid") out.params.keyid = *value;
      if (*name == "alg") out.params.alg = *value;
    } else {
      return Bad("Signature-Input", "an unknown parameter");
    }
  }
  if (!in.done()) return Bad("Signature-Input", "one signature only, as LABEL=(…);PARAMETERS");
  out.params_text = std::string(Trim(signature_input).substr(params_start));

  Reader sig(Trim(signature));
  std::optional<std::string> sig_label = sig.Key();
  if (!sig_label || !sig.Eat('=')) return Bad("Signature", "not LABEL=:BASE64:");
  if (*sig_label != out.label) return Bad("Signature", "its label is not Signature-Input's");
  std::optional<std::string> bytes = sig.ByteSequence();
  if (!bytes || !sig.done()) return Bad("Signature", "one signature only, as LABEL=:BASE64:");
  if (bytes->size() != kSignatureBytes) return Bad("Signature", "an Ed25519 signature is 64 bytes");
  out.signature = std::move(*bytes);
  return out;
}

Status VerifyMessage(const SignedMessage& message, const ReceivedSignature& received,
                     const PublicKey& key) {
  VLEDGER_ASSIGN_OR_RETURN(std::string base,
                           SignatureBase(message, received.params, received.params_text));
  if (!key.Verify(base, received.signature)) {
    return Status::VerificationFailed(
        Msg("the request's signature does not verify with key {}", received.params.keyid));
  }
  return Status::Ok();
}

}  // namespace vledger::net
