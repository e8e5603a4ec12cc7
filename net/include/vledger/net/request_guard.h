// What the county server checks of a request before it runs anything
// (docs/SERVER.md, "Signed requests" and "Limits"): its RFC 9421
// signature against a key registered and unrevoked in the ledger now, the
// freshness and the nonce of that signature, the body's Content-Digest,
// and the request rates of its address and its key.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vledger/app/people_view.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"
#include "vledger/net/http_signature.h"

namespace vledger::net {

// How far a signature's `created` may lie from the server's clock, behind
// (its life) and ahead (clocks that differ).
inline constexpr int64_t kSignatureLifeSeconds = 300;
inline constexpr int64_t kSignatureSkewSeconds = 60;
// Nonces remembered at once (each for the life of its signature); beyond,
// signed requests are answered 503 until the oldest expire.
inline constexpr size_t kNoncesMax = 1'000'000;

// Who sent a request: the key that signed it (verified), or nobody.
struct Caller {
  std::string key_id;      // empty: an unsigned request
  app::PeopleView people;  // whose names it sees
};

// The nonces of signed requests seen within their signatures' life, since
// `known_since_s` (Unix seconds; the server's start): a signature made
// before it may have been seen by an earlier process, whose nonces are not
// kept, so it is not taken (CheckSignedRequest).
class NonceCache {
 public:
  explicit NonceCache(size_t max = kNoncesMax, int64_t known_since_s = 0)
      : max_(max), known_since_s_(known_since_s) {}
  int64_t known_since_s() const { return known_since_s_; }
  // Remembers `nonce` of key `key_id` until `expires_s` (Unix seconds).
  // Conflict when it was seen already (a replay); Unavailable when the
  // cache is full of nonces still alive.
  Status Insert(std::string_view key_id, std::string_view nonce, int64_t expires_s, int64_t now_s);

 private:
  std::mutex mu_;
  size_t max_;
  int64_t known_since_s_;
  std::unordered_map<std::string, int64_t> expiry_;  // key_id \0 nonce -> expiry
  std::multimap<int64_t, std::string> by_expiry_;    // for forgetting
};

// Checks a request's signature (none: an unsigned caller, who sees no
// one's names). PermissionDenied, one line, for anything wrong: fields
// that do not parse, a component missing (@method; @target-uri or
// @authority, @path and @query; content-digest with a body), a digest
// that does not match the body, `created` too old or ahead, `expires`
// past, a key not registered or revoked, a signature that does not
// verify, a nonce seen before. Unavailable (sent again, newly signed, by
// the client) for a signature created before the nonces are known: a
// request signed before the server restarted could otherwise be replayed.
Result<Caller> CheckSignedRequest(const SignedMessage& message, std::string_view body,
                                  const Ledger& ledger, NonceCache& nonces, int64_t now_s);

// Token buckets, one per name (an address, a key): `rate` tokens a second
// up to `burst`; a request takes one. A rate of 0 limits nothing.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst, size_t names_max = 100'000)
      : rate_(rate), burst_(burst), names_max_(names_max) {}
  // Takes a token of `name`'s bucket: nullopt when there was one, else the
  // whole seconds until there is (for Retry-After).
  std::optional<int> Take(const std::string& name, std::chrono::steady_clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  std::mutex mu_;
  double rate_, burst_;
  size_t names_max_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace vledger::net
