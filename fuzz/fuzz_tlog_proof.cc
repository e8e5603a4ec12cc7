// Proof files from outside: ParseTlogProof and ParseConsistencyProof never
// crash; what they accept formats back to the same text (both are strict,
// one canonical form per proof) and stays within the bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "vledger/ledger/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto proof = vledger::ParseTlogProof(text);
  if (proof.ok()) {
    FUZZ_CHECK(proof->path.size() <= vledger::kInclusionPathHashesMax);
    FUZZ_CHECK(vledger::FormatTlogProof(*proof) == text);
    FUZZ_CHECK(vledger::ParseCheckpoint(proof->checkpoint_text).ok());
  }
  auto consistency = vledger::ParseConsistencyProof(text);
  if (consistency.ok()) {
    FUZZ_CHECK(consistency->size() <= vledger::kConsistencyProofHashesMax);
    FUZZ_CHECK(vledger::FormatConsistencyProof(*consistency) == text);
  }
  return 0;
}
