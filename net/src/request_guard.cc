#include "vledger/net/request_guard.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace vledger::net {
namespace {

Status Refused(Msg msg) { return Status::PermissionDenied(std::move(msg)); }

bool Covers(const SignatureParams& params, std::string_view component) {
  return std::find(params.components.begin(), params.components.end(), component) !=
         params.components.end();
}

// The first value of header field `name` (lower case), if any.
std::optional<std::string> FieldOf(const SignedMessage& message, std::string_view name) {
  for (const auto& [field, value] : message.fields) {
    std::string lower = field;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == name) return value;
  }
  return std::nullopt;
}

// Whether a Content-Digest field holds the sha-256 of `body` among its
// members.
bool DigestMatches(std::string_view field, std::string_view body) {
  std::string want = ContentDigest(body);
  size_t at = 0;
  while (at <= field.size()) {
    size_t comma = std::min(field.find(',', at), field.size());
    std::string_view member = field.substr(at, comma - at);
    while (!member.empty() && member.front() == ' ') member.remove_prefix(1);
    while (!member.empty() && member.back() == ' ') member.remove_suffix(1);
    if (member == want) return true;
    at = comma + 1;
  }
  return false;
}

}  // namespace

Status NonceCache::Insert(std::string_view key_id, std::string_view nonce, int64_t expires_s,
                          int64_t now_s) {
  std::string id = std::string(key_id) + '\0' + std::string(nonce);
  std::lock_guard lock(mu_);
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now_s) {
    expiry_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  if (expiry_.count(id) > 0) {
    return Status::Conflict(Msg("the request was sent before (nonce {}): a replay", nonce));
  }
  if (expiry_.size() >= max_) {
    return Status::Unavailable("too many signed requests at once: send it again later");
  }
  expiry_.emplace(id, expires_s);
  by_expiry_.emplace(expires_s, std::move(id));
  return Status::Ok();
}

Result<Caller> CheckSignedRequest(const SignedMessage& message, std::string_view body,
                                  const Ledger& ledger, NonceCache& nonces, int64_t now_s) {
  std::optional<std::string> input = FieldOf(message, "signature-input");
  std::optional<std::string> signature = FieldOf(message, "signature");
  if (!input && !signature) return Caller{};
  if (!input || !signature) {
    return Refused(Msg("a signed request carries both Signature-Input and Signature"));
  }
  Result<ReceivedSignature> received = ParseSignatureFields(*input, *signature);
  if (!received.ok()) return Refused(Msg("bad signature: {}", received.status().message()));
  const SignatureParams& p = received->params;
  if (!p.alg.empty() && p.alg != "ed25519") {
    return Refused(Msg("bad signature: alg \"{}\" is not ed25519", p.alg));
  }
  if (p.keyid.empty() || !p.created || p.nonce.empty()) {
    return Refused(Msg("bad signature: keyid, created and nonce are required"));
  }
  if (p.nonce.size() > 128) return Refused(Msg("bad signature: the nonce is too long"));
  if (!Covers(p, "@method") ||
      !(Covers(p, "@target-uri") ||
        (Covers(p, "@authority") && Covers(p, "@path") && Covers(p, "@query")))) {
    return Refused(
        Msg("bad signature: it must cover @method and @target-uri (or @authority, "
            "@path and @query)"));
  }
  if (!body.empty()) {
    if (!Covers(p, "content-digest")) {
      return Refused(Msg("bad signature: a request with a body must cover content-digest"));
    }
  }
  if (Covers(p, "content-digest")) {
    std::optional<std::string> digest = FieldOf(message, "content-digest");
    if (!digest || !DigestMatches(*digest, body)) {
      return Refused(Msg("bad signature: Content-Digest is not the sha-256 of the body"));
    }
  }
  if (*p.created < now_s - kSignatureLifeSeconds) {
    return Refused(Msg("the signature expired: created {} seconds ago (at most {})",
                       now_s - *p.created, kSignatureLifeSeconds));
  }
  if (*p.created > now_s + kSignatureSkewSeconds) {
    return Refused(Msg("the signature was created {} seconds ahead of the server's clock",
                       *p.created - now_s));
  }
  if (p.expires && *p.expires < now_s) {
    return Refused(Msg("the signature expired {} seconds ago", now_s - *p.expires));
  }
  Result<app::RequestKey> key = app::LoadRequestKey(ledger, p.keyid);
  if (!key.ok()) return Refused(Msg("bad signature: {}", key.status().message()));
  Status verified = VerifyMessage(message, *received, key->public_key);
  if (!verified.ok()) return Refused(Msg("bad signature: {}", verified.message()));
  if (*p.created < nonces.known_since_s()) {
    return Status::Unavailable(
        Msg("the signature was made {} seconds before the server started, which keeps no "
            "nonce from before: sign the request again",
            nonces.known_since_s() - *p.created));
  }
  int64_t alive_until = *p.created + kSignatureLifeSeconds;
  if (p.expires) alive_until = std::min(alive_until, *p.expires);
  if (Status st = nonces.Insert(p.keyid, p.nonce, alive_until, now_s); !st.ok()) {
    if (st.code() == Code::kUnavailable) return st;
    return Refused(Msg("refused: {}", st.message()));
  }
  return Caller{key->key_id, app::PeopleViewOf(&*key)};
}

std::optional<int> RateLimiter::Take(const std::string& name,
                                     std::chrono::steady_clock::time_point now) {
  if (rate_ <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(name);
  if (it == buckets_.end()) {
    if (buckets_.size() >= names_max_) {
      // Forget the buckets that are full again (they limit nothing).
      for (auto b = buckets_.begin(); b != buckets_.end();) {
        double seconds = std::chrono::duration<double>(now - b->second.at).count();
        b = b->second.tokens + seconds * rate_ >= burst_ ? buckets_.erase(b) : std::next(b);
      }
    }
    it = buckets_.emplace(name, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  double seconds = std::chrono::duration<double>(now - b.at).count();
  b.tokens = std::min(burst_, b.tokens + std::max(0.0, seconds) * rate_);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
}

}  // namespace vledger::net
