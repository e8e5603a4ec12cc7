// Checkpoint notes from outside: ParseCheckpoint and VerifyCheckpoint with a
// fixed key never crash; a note that verifies also parses, to the same head.
// The seed corpus (fuzz/make_corpus.py) is signed by the same fixed key, so
// mutations reach the signature check.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "vledger/ledger/checkpoint.h"

namespace {

const vledger::PrivateKey& FixedKey() {
  // Seed bytes 0x01..0x20, as in fuzz/make_corpus.py.
  static const vledger::PrivateKey key = [] {
    std::string seed;
    for (int i = 1; i <= 32; i++) seed.push_back(static_cast<char>(i));
    return vledger::PrivateKey::FromSeed(seed).value();
  }();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = vledger::ParseCheckpoint(text);
  vledger::Checkpoint verified;
  vledger::Status st = vledger::VerifyCheckpoint(text, FixedKey().public_key(), &verified);
  if (st.ok()) {
    FUZZ_CHECK(parsed.ok());
    FUZZ_CHECK(*parsed == verified);
    // Signing the same head again gives a note that verifies too.
    if (vledger::IsValidNoteKeyName(verified.origin)) {
      std::string again = vledger::SignCheckpoint(verified, FixedKey());
      FUZZ_CHECK(vledger::VerifyCheckpoint(again, FixedKey().public_key(), nullptr).ok());
    }
  }
  if (parsed.ok()) {
    FUZZ_CHECK(vledger::IsValidNoteKeyName(parsed->origin));
    FUZZ_CHECK(text.starts_with(vledger::CheckpointBody(*parsed)));
  }
  return 0;
}
