// SHA-256 and Ed25519, the only primitives of the integrity format.
// OpenSSL stays behind this header.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/status.h"

namespace vledger {

Hash Sha256(std::string_view data);

// Incremental SHA-256 that fetches the digest once and reuses its context:
// the hot path of append and verify.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  Sha256Hasher& Update(std::string_view data);
  Hash Finish();  // resets, ready for the next message

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// n bytes from the operating system's random source (salts).
std::string RandomBytes(size_t n);

// Lowercase hex of the first 8 bytes of SHA-256(raw public key): 16 chars.
std::string KeyIdOf(std::string_view raw_public_key);

constexpr size_t kPublicKeyBytes = 32;
constexpr size_t kSignatureBytes = 64;
// Key files (PEM) larger than this are refused unread; so is anything but a
// regular file (a directory, a FIFO, a device such as /dev/zero).
constexpr size_t kKeyFileBytesMax = 64 * 1024;

// An Ed25519 public key (raw 32 bytes).
class PublicKey {
 public:
  static Result<PublicKey> FromRaw(std::string_view raw);
  // Reads an SPKI ("PUBLIC KEY") or PKCS#8 private-key PEM file; for a
  // private key, its public half.
  static Result<PublicKey> LoadPem(const std::string& path);
  static Result<PublicKey> ParsePem(std::string_view pem);

  const std::string& raw() const { return raw_; }
  std::string key_id() const { return KeyIdOf(raw_); }
  bool Verify(std::string_view message, std::string_view signature) const;
  std::string ToPem() const;  // SPKI PEM

 private:
  std::string raw_;
};

// The file is a regular file of at most kKeyFileBytesMax bytes that
// neither group nor others may read (checked without reading a byte, and
// without blocking on a FIFO).
Status CheckPrivateKeyFile(const std::string& path);
// Whether `path` is a key file (as CheckPrivateKeyFile checks, mode aside)
// holding an encrypted PKCS#8 key.
bool IsEncryptedKeyFile(const std::string& path);

// An Ed25519 private key. Resource type: moves, never copies.
class PrivateKey {
 public:
  static Result<PrivateKey> Generate();
  // Reads a PKCS#8 PEM file (mode must not let group or others read it;
  // an encrypted PKCS#8 file takes `passphrase`).
  static Result<PrivateKey> LoadPem(const std::string& path, const std::string& passphrase = "");
  static Result<PrivateKey> ParsePem(std::string_view pem, const std::string& passphrase = "");
  // From the raw 32-byte seed (test vectors).
  static Result<PrivateKey> FromSeed(std::string_view seed);

  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey();

  const PublicKey& public_key() const { return public_; }
  std::string key_id() const { return public_.key_id(); }
  std::string Sign(std::string_view message) const;  // 64 bytes
  // PKCS#8 PEM: unencrypted when `passphrase` is empty, else encrypted
  // PKCS#8 (PBES2 with PBKDF2, AES-256-CBC) that LoadPem opens with it.
  std::string ToPem(const std::string& passphrase = "") const;

  // Writes FILE (PKCS#8, mode 0600; encrypted when `passphrase` is not
  // empty) and, if pub_path is not empty, the SPKI public key. Refuses to
  // overwrite an existing file.
  Status SavePem(const std::string& path, const std::string& pub_path,
                 const std::string& passphrase = "") const;

 private:
  PrivateKey() = default;
  // Takes ownership of an OpenSSL EVP_PKEY (void* keeps OpenSSL out of here).
  static Result<PrivateKey> FromEvp(void* evp_pkey);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  PublicKey public_;
};

}  // namespace vledger
