// SHA-256 and Ed25519 through OpenSSL 3, and Ed25519 signing through
// libsodium. Every OpenSSL error is drained by OpenSslErrors(), so a
// failure reads as one line and the error queue never leaks into a later
// call.
//
// A private key signs with libsodium: OpenSSL 3 starts its provider (its
// tables of algorithms and their names) at the first use of any EVP
// algorithm, about 2.5 ms of every process that signs, which is most of
// what reading a key cost a remote award (bench/history.md). Ed25519 is
// deterministic (RFC 8032): the same seed and message give the same
// signature from either library. Verifying, writing key files, reading
// all but the plain unencrypted form (Ed25519SeedOfPlainPkcs8) and
// everything else stay with OpenSSL.
//
// SHA-256 goes through OpenSSL's SHA256_* functions, which OpenSSL 3
// marks deprecated in favour of EVP: under 3.0 every EVP message ends
// with a re-initialisation that frees and allocates the digest's context
// and looks up engines, 30-50 ns a message alone (a third of a Merkle
// node's hash) and more beside other threads' allocations
// (bench/history.md). SHA256_* are the same implementation (the same
// SHA-NI code) without that.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "vledger/ledger/crypto.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "vledger/ledger/bytes.h"

namespace vledger {
namespace {

// Drains OpenSSL's error queue into one line ("; " between its errors;
// empty when it held none).
std::string OpenSslErrors() {
  std::string msg;
  unsigned long err;
  while ((err = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof buf);
    if (!msg.empty()) msg += "; ";
    msg += buf;
  }
  return msg;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string RawPublicKey(EVP_PKEY* pkey) {
  std::string raw(kPublicKeyBytes, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<uint8_t*>(raw.data()), &len) != 1 ||
      len != kPublicKeyBytes) {
    ERR_clear_error();
    return {};
  }
  return raw;
}

// Opens a key file without blocking (a FIFO or a terminal given as a key
// must not hang the command) and checks what it is before a byte is read:
// a regular file of at most kKeyFileBytesMax bytes and, for a private key,
// no group or other permission bits. Returns the descriptor (the caller
// closes it) and the file's mode.
struct KeyFd {
  int fd = -1;
  mode_t mode = 0;
};
Result<KeyFd> OpenKeyFile(const std::string& path, bool private_key) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    return Status::InvalidInput(Msg("{}: cannot read key file: {}", path, std::strerror(errno)));
  }
  struct stat st;
  Status bad;
  if (::fstat(fd, &st) != 0) {
    bad = Status::InvalidInput(Msg("{}: cannot read key file: {}", path, std::strerror(errno)));
  } else if (S_ISDIR(st.st_mode)) {
    bad = Status::InvalidInput(Msg("{}: is a directory, not a key file", path));
  } else if (!S_ISREG(st.st_mode)) {
    bad = Status::InvalidInput(Msg("{}: is not a regular file (a key file is a PEM file)", path));
  } else if (static_cast<uint64_t>(st.st_size) > kKeyFileBytesMax) {
    bad = Status::InvalidInput(
        Msg("{}: key file too large ({} bytes, over {})", path, st.st_size, kKeyFileBytesMax));
  } else if (private_key && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    bad = Status::InvalidInput(
        Msg("{}: private key file is readable by group or others (chmod 600)", path));
  }
  if (!bad.ok()) {
    ::close(fd);
    return bad;
  }
  return KeyFd{fd, st.st_mode};
}

// The text of a key file checked by OpenKeyFile (its mode unchecked: the
// caller checks it, given `mode`). Reads at most one byte past the bound,
// so a file that grew after the check is refused too.
Result<std::string> ReadKeyFile(const std::string& path, mode_t* mode = nullptr) {
  VLEDGER_ASSIGN_OR_RETURN(KeyFd key_fd, OpenKeyFile(path, /*private_key=*/false));
  if (mode != nullptr) *mode = key_fd.mode;
  std::string text(kKeyFileBytesMax + 1, '\0');
  size_t got = 0;
  Status st;
  while (got < text.size()) {
    ssize_t n = ::read(key_fd.fd, text.data() + got, text.size() - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      st = Status::InvalidInput(Msg("{}: cannot read key file: {}", path, std::strerror(errno)));
      break;
    }
    got += static_cast<size_t>(n);
  }
  ::close(key_fd.fd);
  if (!st.ok()) return st;
  text.resize(got);
  if (text.size() > kKeyFileBytesMax) {
    return Status::InvalidInput(
        Msg("{}: key file too large (over {} bytes)", path, kKeyFileBytesMax));
  }
  return text;
}

// A key file holds one key: one PEM block. A private key file must not be
// a public key (the .pub written beside it, given by mistake).
Status CheckOneKeyPem(std::string_view pem, bool private_key) {
  size_t blocks = 0;
  for (size_t at = pem.find("-----BEGIN "); at != std::string_view::npos;
       at = pem.find("-----BEGIN ", at + 1)) {
    blocks++;
  }
  if (private_key && blocks == 1 &&
      pem.find("-----BEGIN PUBLIC KEY-----") != std::string_view::npos) {
    return Status::InvalidInput(
        "is a public key, not a private key (give the private key file, "
        "not its .pub)");
  }
  if (blocks > 1) {
    return Status::InvalidInput(
        Msg("holds {} PEM blocks; a key file holds exactly one key", blocks));
  }
  return Status::Ok();
}

int PassphraseCallback(char* buf, int size, int /*rwflag*/, void* u) {
  const auto* pass = static_cast<const std::string*>(u);
  if (pass == nullptr || pass->empty()) return -1;  // encrypted key, no passphrase
  int n = static_cast<int>(std::min<size_t>(pass->size(), static_cast<size_t>(size)));
  std::memcpy(buf, pass->data(), static_cast<size_t>(n));
  return n;
}

}  // namespace

// ------------------------------------------------------------------ SHA-256

Hash Sha256(std::string_view data) {
  // One context per thread, reused.
  thread_local Sha256Hasher hasher;
  return hasher.Update(data).Finish();
}

struct Sha256Hasher::Impl {
  SHA256_CTX ctx;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {
  VLEDGER_ASSERT(SHA256_Init(&impl_->ctx) == 1);
}
Sha256Hasher::~Sha256Hasher() = default;

Sha256Hasher& Sha256Hasher::Update(std::string_view data) {
  VLEDGER_ASSERT(SHA256_Update(&impl_->ctx, data.data(), data.size()) == 1);
  return *this;
}

Hash Sha256Hasher::Finish() {
  Hash out;
  VLEDGER_ASSERT(SHA256_Final(out.data(), &impl_->ctx) == 1);
  VLEDGER_ASSERT(SHA256_Init(&impl_->ctx) == 1);
  return out;
}

std::string RandomBytes(size_t n) {
  // The kernel's generator itself (getrandom(2), which blocks only until
  // it is first seeded), not OpenSSL's: setting up OpenSSL's generator
  // fetches its algorithms, about 1 ms of a short command's time (a remote
  // award's request id, bench/history.md, nineteenth round).
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::getrandom(out.data() + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    VLEDGER_ASSERT(r > 0);
    got += static_cast<size_t>(r);
  }
  return out;
}

std::string KeyIdOf(std::string_view raw_public_key) {
  Hash h = Sha256(raw_public_key);
  return Hex(std::string_view(reinterpret_cast<const char*>(h.data()), 8));
}

// --------------------------------------------------------------- PublicKey

Result<PublicKey> PublicKey::FromRaw(std::string_view raw) {
  if (raw.size() != kPublicKeyBytes) return Status::InvalidInput("public key is not 32 bytes");
  PublicKey k;
  k.raw_ = std::string(raw);
  return k;
}

Result<PublicKey> PublicKey::ParsePem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) {
    ERR_clear_error();
    // A private key file also names its public key.
    std::string empty;
    BioPtr bio2(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    pkey.reset(PEM_read_bio_PrivateKey(bio2.get(), nullptr, PassphraseCallback, &empty));
  }
  if (!pkey) {
    std::string errors = OpenSslErrors();
    if (errors.empty()) return Status::InvalidInput("not an Ed25519 public or private key PEM");
    return Status::InvalidInput(Msg("not an Ed25519 public or private key PEM: {}", errors));
  }
  if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
    return Status::InvalidInput("key is not an Ed25519 key");
  }
  return FromRaw(RawPublicKey(pkey.get()));
}

Result<PublicKey> PublicKey::LoadPem(const std::string& path) {
  VLEDGER_ASSIGN_OR_RETURN(std::string text, ReadKeyFile(path));
  Status one = CheckOneKeyPem(text, /*private_key=*/false);
  if (!one.ok()) return one.WithPrefix(Msg("{}", path));
  auto key = ParsePem(text);
  if (!key.ok()) return key.status().WithPrefix(Msg("{}", path));
  return key;
}

bool PublicKey::Verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != kSignatureBytes || raw_.size() != kPublicKeyBytes) return false;
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const uint8_t*>(raw_.data()), raw_.size()));
  if (!pkey) {
    ERR_clear_error();
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const uint8_t*>(signature.data()),
                             signature.size(), reinterpret_cast<const uint8_t*>(message.data()),
                             message.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::string PublicKey::ToPem() const {
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const uint8_t*>(raw_.data()), raw_.size()));
  VLEDGER_ASSERT(pkey != nullptr);
  BioPtr bio(BIO_new(BIO_s_mem()));
  VLEDGER_ASSERT(PEM_write_bio_PUBKEY(bio.get(), pkey.get()) == 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

// -------------------------------------------------------------- PrivateKey

struct PrivateKey::Impl {
  // libsodium's secret key: the seed, then the public key.
  unsigned char secret[crypto_sign_ed25519_SECRETKEYBYTES];
  ~Impl() { sodium_memzero(secret, sizeof secret); }
};

PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

Result<PrivateKey> PrivateKey::Generate() {
  std::string seed = RandomBytes(crypto_sign_ed25519_SEEDBYTES);
  Result<PrivateKey> key = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

Result<PrivateKey> PrivateKey::FromSeed(std::string_view seed) {
  if (seed.size() != crypto_sign_ed25519_SEEDBYTES) {
    return Status::InvalidInput("Ed25519 seed is not 32 bytes");
  }
  // Thread-safe, and only the first call does anything.
  VLEDGER_ASSERT(sodium_init() >= 0);
  PrivateKey key;
  key.impl_ = std::make_unique<Impl>();
  unsigned char raw[crypto_sign_ed25519_PUBLICKEYBYTES];
  VLEDGER_ASSERT(crypto_sign_ed25519_seed_keypair(
                     raw, key.impl_->secret, reinterpret_cast<const unsigned char*>(seed.data())) ==
                 0);
  key.public_ =
      PublicKey::FromRaw(std::string(reinterpret_cast<const char*>(raw), sizeof raw)).value();
  return key;
}

// The 32-byte seed of an unencrypted PKCS#8 Ed25519 key in the form
// OpenSSL, Go and `vledger key new` write it (RFC 8410 section 7: version
// 0, the algorithm 1.3.101.112 with no parameters, the seed as an OCTET
// STRING inside the private key's OCTET STRING: 48 bytes of DER, the seed
// last), in a PEM file of RFC 7468's form; empty for anything else, which
// PEM_read_bio_PrivateKey then reads. Signing commands load their key at
// every start, and OpenSSL 3 starts itself at its first use: that reader
// sets up decoder chains for every key type it knows (about 2 ms),
// decoding an object identifier reads OpenSSL's configuration file (about
// 1 ms), and even a BIO or the error queue sets up its library context
// (0.5 ms).
static std::string Ed25519SeedOfPlainPkcs8(std::string_view pem) {
  static constexpr std::string_view kBegin = "-----BEGIN PRIVATE KEY-----";
  static constexpr std::string_view kEnd = "-----END PRIVATE KEY-----";
  static constexpr unsigned char kPrefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                              0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
  size_t begin = pem.find(kBegin);
  size_t end = pem.find(kEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) return {};
  std::string text;
  for (char c : pem.substr(begin + kBegin.size(), end - begin - kBegin.size())) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') text += c;
  }
  std::optional<std::string> der = Unbase64(text);
  OPENSSL_cleanse(text.data(), text.size());
  if (!der) return {};
  std::string seed;
  if (der->size() == sizeof kPrefix + 32 &&
      std::memcmp(der->data(), kPrefix, sizeof kPrefix) == 0) {
    seed = der->substr(sizeof kPrefix);
  }
  OPENSSL_cleanse(der->data(), der->size());
  return seed;
}

Result<PrivateKey> PrivateKey::ParsePem(std::string_view pem, const std::string& passphrase) {
  std::string seed = Ed25519SeedOfPlainPkcs8(pem);
  if (!seed.empty()) {
    auto key = FromSeed(seed);
    OPENSSL_cleanse(seed.data(), seed.size());
    return key;
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::string pass = passphrase;
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, PassphraseCallback, &pass));
  if (!pkey) {
    bool encrypted = pem.find("ENCRYPTED") != std::string_view::npos;
    ERR_clear_error();
    if (encrypted && passphrase.empty()) {
      return Status::InvalidInput("key is encrypted: set VLEDGER_KEY_PASSPHRASE");
    }
    if (encrypted) return Status::InvalidInput("wrong passphrase for encrypted key");
    return Status::InvalidInput("not a PKCS#8 private key PEM");
  }
  if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
    return Status::InvalidInput("key is not an Ed25519 key");
  }
  return FromEvp(pkey.release());
}

Status CheckPrivateKeyFile(const std::string& path) {
  VLEDGER_ASSIGN_OR_RETURN(KeyFd key_fd, OpenKeyFile(path, /*private_key=*/true));
  ::close(key_fd.fd);
  return Status::Ok();
}

bool IsEncryptedKeyFile(const std::string& path) {
  auto text = ReadKeyFile(path);
  return text.ok() && (text->starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
                       text->find("\n-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos);
}

Result<PrivateKey> PrivateKey::LoadPem(const std::string& path, const std::string& passphrase) {
  // The mode is checked after the text is read (a file others may read
  // holds no secret from us), so that a public key given by mistake is
  // named as such rather than as a file to chmod.
  mode_t mode = 0;
  VLEDGER_ASSIGN_OR_RETURN(std::string text, ReadKeyFile(path, &mode));
  Status one = CheckOneKeyPem(text, /*private_key=*/true);
  if (one.ok() && (mode & (S_IRWXG | S_IRWXO)) != 0) {
    one = Status::InvalidInput("private key file is readable by group or others (chmod 600)");
  }
  if (!one.ok()) {
    OPENSSL_cleanse(text.data(), text.size());
    return one.WithPrefix(Msg("{}", path));
  }
  auto key = ParsePem(text, passphrase);
  OPENSSL_cleanse(text.data(), text.size());
  if (!key.ok()) return key.status().WithPrefix(Msg("{}", path));
  return key;
}

Result<PrivateKey> PrivateKey::FromEvp(void* evp_pkey) {
  PkeyPtr pkey(static_cast<EVP_PKEY*>(evp_pkey));
  std::string seed(crypto_sign_ed25519_SEEDBYTES, '\0');
  size_t len = seed.size();
  if (EVP_PKEY_get_raw_private_key(pkey.get(), reinterpret_cast<uint8_t*>(seed.data()), &len) !=
          1 ||
      len != seed.size()) {
    ERR_clear_error();
    return Status::Internal("cannot read the Ed25519 private key");
  }
  Result<PrivateKey> key = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

std::string PrivateKey::Sign(std::string_view message) const {
  std::string sig(kSignatureBytes, '\0');
  VLEDGER_ASSERT(
      crypto_sign_ed25519_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                                   reinterpret_cast<const unsigned char*>(message.data()),
                                   message.size(), impl_->secret) == 0);
  return sig;
}

std::string PrivateKey::ToPem(const std::string& passphrase) const {
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, impl_->secret,
                                            crypto_sign_ed25519_SEEDBYTES));
  VLEDGER_ASSERT(pkey != nullptr);
  BioPtr bio(BIO_new(BIO_s_mem()));
  const EVP_CIPHER* cipher = passphrase.empty() ? nullptr : EVP_aes_256_cbc();
  // OpenSSL takes the passphrase as a non-const char*, but only reads it.
  char* pass = passphrase.empty() ? nullptr : const_cast<char*>(passphrase.data());
  VLEDGER_ASSERT(PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey.get(), cipher, pass,
                                               static_cast<int>(passphrase.size()), nullptr,
                                               nullptr) == 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

// A failed write of a new key file: a full disk is the disk's fault (exit
// 4), anything else the path's (exit 3).
static Status KeyWriteError(const std::string& path, int err) {
  if (err == ENOSPC || err == EDQUOT) {
    return Status::Io(Msg("{}: disk full: {} (free space and retry)", path, std::strerror(err)));
  }
  return Status::InvalidInput(Msg("{}: write failed: {}", path, std::strerror(err)));
}

// Writes `text` to a new file with `mode`; refuses to overwrite.
static Status WriteNewFile(const std::string& path, const std::string& text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST)
      return Status::AlreadyExists(Msg("{}: file exists, refusing to overwrite", path));
    return Status::InvalidInput(Msg("{}: cannot create: {}", path, std::strerror(errno)));
  }
  ::fchmod(fd, mode);  // umask must not widen or narrow what we promised
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : ENOSPC;
      ::close(fd);
      ::unlink(path.c_str());
      return KeyWriteError(path, err);
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(path.c_str());
    return KeyWriteError(path, err);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return KeyWriteError(path, err);
  }
  return Status::Ok();
}

Status PrivateKey::SavePem(const std::string& path, const std::string& pub_path,
                           const std::string& passphrase) const {
  if (!pub_path.empty() && ::access(pub_path.c_str(), F_OK) == 0) {
    return Status::AlreadyExists(Msg("{}: file exists, refusing to overwrite", pub_path));
  }
  VLEDGER_TRY(WriteNewFile(path, ToPem(passphrase), 0600));
  if (!pub_path.empty()) VLEDGER_TRY(WriteNewFile(pub_path, public_.ToPem(), 0644));
  return Status::Ok();
}

}  // namespace vledger
