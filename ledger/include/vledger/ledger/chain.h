// The record hash chain and commit signatures (SPEC section 5, normative).
//
//   h[n] = SHA-256("VLEDGER-EVENT-V1\0" || u64be(n) || h[n-1] || C(e[n])),
//   h[-1] = 32 zero bytes;
//   commit signature = Ed25519("VLEDGER-COMMIT-V1\0" || u64be(first) ||
//                              u64be(last) || h[last]).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"

namespace vledger {

inline constexpr std::string_view kEventDomain{"VLEDGER-EVENT-V1\0", 17};
inline constexpr std::string_view kCommitDomain{"VLEDGER-COMMIT-V1\0", 18};
inline constexpr std::string_view kPersonDomain{"VLEDGER-PERSON-V1\0", 18};

// h[-1]: the hash before the genesis.
inline constexpr Hash kZeroHash{};

// Computes h[seq] with a reusable hasher (the hot path of append and verify).
Hash RecordHash(Sha256Hasher& hasher, uint64_t seq, const Hash& prev, std::string_view canonical);
Hash RecordHash(uint64_t seq, const Hash& prev, std::string_view canonical);

// The exact bytes a commit signature covers.
std::string CommitMessage(uint64_t first, uint64_t last, const Hash& last_hash);

// A commit: events first..last, all by key_id, signed over CommitMessage.
struct CommitRecord {
  uint64_t first = 0;
  uint64_t last = 0;
  std::string key_id;
  std::string signature;  // 64 bytes
};

}  // namespace vledger
