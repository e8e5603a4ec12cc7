// Who signs a commit or a checkpoint. A commit's signature covers its
// chain position (SPEC section 5), so it is made once the events are
// built; a checkpoint's covers the tree head the ledger holds. The local
// signer holds the private key; a server's remote signer hands the item
// to the client that holds it (prepare -> sign -> commit) and waits for
// the signature. The application layer builds the same events and heads
// either way; only the signature's source differs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// A commit ready to be signed.
struct CommitToSign {
  uint64_t first = 0, last = 0;
  // "VLEDGER-COMMIT-V1\0" || u64be(first) || u64be(last) || h[last]
  std::string message;
  // C(e) of each event first..last, for a signer that checks what it signs:
  // filled for a remote() signer only (the local one signs the message).
  std::vector<std::string> canonical_events;
};

// A checkpoint ready to be signed: the body of its signed note.
struct CheckpointToSign {
  Checkpoint head;
  // CheckpointBody(head): "<origin>\n<size>\n<base64 root>\n", what the
  // signature covers.
  std::string body;
};

class Signer {
 public:
  virtual ~Signer() = default;
  // The key id every event of the commit carries.
  virtual const std::string& key_id() const = 0;
  // The Ed25519 signature of `commit.message` (64 bytes), or why none
  // came (a refusal, an expired lease).
  virtual Result<std::string> Sign(const CommitToSign& commit) = 0;
  // The Ed25519 signature of `checkpoint.body` (64 bytes), or why none
  // came; the note's signature line is made by the caller.
  virtual Result<std::string> SignCheckpoint(const CheckpointToSign& checkpoint) = 0;
  // Whether the signature comes from outside this process: then the
  // application layer checks it against the key's registered public key
  // before anything is written.
  virtual bool remote() const = 0;
};

// Signs with a private key this process holds.
class LocalSigner final : public Signer {
 public:
  explicit LocalSigner(PrivateKey key) : key_(std::move(key)), key_id_(key_.key_id()) {}
  const std::string& key_id() const override { return key_id_; }
  Result<std::string> Sign(const CommitToSign& commit) override {
    return key_.Sign(commit.message);
  }
  Result<std::string> SignCheckpoint(const CheckpointToSign& checkpoint) override {
    return key_.Sign(checkpoint.body);
  }
  bool remote() const override { return false; }
  const PrivateKey& key() const { return key_; }

 private:
  PrivateKey key_;
  std::string key_id_;
};

}  // namespace vledger::app
