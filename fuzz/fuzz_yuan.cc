// The yuan parser on arbitrary text: never crashes; what it accepts is a
// positive fen amount that prints back to the canonical form of the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "vledger/projections/money.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fen = vledger::ParseYuan("--amount", text);
  if (!fen.ok()) {
    FUZZ_CHECK(fen.status().code() == vledger::Code::kInvalidInput);
    return 0;
  }
  FUZZ_CHECK(*fen > 0);
  std::string printed = vledger::FormatYuan(*fen);
  auto again = vledger::ParseYuan("--amount", printed);
  FUZZ_CHECK(again.ok() && *again == *fen);
  // "5", "5.5" and "5.50" all print as "5.50": the input is a prefix of the
  // printed form, up to the padding zeros.
  FUZZ_CHECK(printed.starts_with(text));
  return 0;
}
