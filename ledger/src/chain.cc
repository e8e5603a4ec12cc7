#include "vledger/ledger/chain.h"

namespace vledger {

Hash RecordHash(Sha256Hasher& hasher, uint64_t seq, const Hash& prev, std::string_view canonical) {
  char seq_be[8];
  for (int i = 7; i >= 0; i--) {
    seq_be[i] = static_cast<char>(seq & 0xff);
    seq >>= 8;
  }
  hasher.Update(kEventDomain).Update({seq_be, 8}).Update(AsView(prev)).Update(canonical);
  return hasher.Finish();
}

Hash RecordHash(uint64_t seq, const Hash& prev, std::string_view canonical) {
  Sha256Hasher hasher;
  return RecordHash(hasher, seq, prev, canonical);
}

std::string CommitMessage(uint64_t first, uint64_t last, const Hash& last_hash) {
  std::string msg(kCommitDomain);
  PutU64be(&msg, first);
  PutU64be(&msg, last);
  msg.append(AsView(last_hash));
  return msg;
}

}  // namespace vledger
