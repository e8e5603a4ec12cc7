// HTTP Message Signatures (RFC 9421) with Ed25519, and Content-Digest
// (RFC 9530, sha-256): what a client of `--remote` signs its requests
// with, and what the server checks them against (docs/SERVER.md, "Signed
// requests"). Only what the protocol uses is built: derived components
// `@method`, `@authority`, `@path`, `@query`, `@target-uri` and header
// fields by their lower-case names; one signature per request; parameters
// created, expires, nonce, keyid, alg (integers and strings).
//
// The parsers take untrusted bytes: every bound below is checked before
// anything is kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"

namespace vledger::net {

inline constexpr size_t kSignatureHeaderBytesMax = 4096;  // Signature-Input, Signature
inline constexpr size_t kSignatureComponentsMax = 16;

// A request as its signature sees it.
struct SignedMessage {
  std::string method;     // "POST"
  std::string scheme;     // "http" or "https" (for @target-uri)
  std::string authority;  // the Host: "example.com", "127.0.0.1:8080"
  std::string target;     // the request target as sent: "/foo?a=b"
  // Header fields by lower-case name (the first of a name is used).
  std::vector<std::pair<std::string, std::string>> fields;
};

struct SignatureParams {
  std::vector<std::string> components;  // "@method", "content-digest", …
  std::optional<int64_t> created, expires;
  std::string nonce, keyid, alg;  // empty: absent
};

// The serialized inner list with its parameters, as Signature-Input
// carries it after "LABEL=" and as the @signature-params line ends:
// ("@method" "@path");created=1618884473;keyid="test-key-ed25519".
std::string SerializeParams(const SignatureParams& params);

// The signature base (RFC 9421 section 2.5) of `message` for the
// components of `params`, whose serialized form is `params_text`.
// InvalidInput naming the component the message lacks or that is not
// supported.
Result<std::string> SignatureBase(const SignedMessage& message, const SignatureParams& params,
                                  std::string_view params_text);

// "sha-256=:BASE64:" of `body`.
std::string ContentDigest(std::string_view body);

// The two header fields that carry one signature under `label`.
struct SignatureFields {
  std::string signature_input;  // LABEL=(...);created=…
  std::string signature;        // LABEL=:BASE64:
};

// Signs `message` (Ed25519 over the signature base).
Result<SignatureFields> SignMessage(const SignedMessage& message, const SignatureParams& params,
                                    const PrivateKey& key, std::string_view label = "sig1");

// One signature as a request carries it.
struct ReceivedSignature {
  std::string label;
  SignatureParams params;
  std::string params_text;  // exactly as received, for the base
  std::string signature;    // 64 bytes
};

// Parses Signature-Input and Signature holding one signature each, under
// the same label. InvalidInput naming the field for anything else.
Result<ReceivedSignature> ParseSignatureFields(std::string_view signature_input,
                                               std::string_view signature);

// Whether `received` is `key`'s Ed25519 signature of `message`'s base.
// InvalidInput for a base that cannot be built; VerificationFailed for a
// signature that does not verify.
Status VerifyMessage(const SignedMessage& message, const ReceivedSignature& received,
                     const PublicKey& key);

}  // namespace vledger::net
