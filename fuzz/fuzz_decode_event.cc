// DecodeEvent on arbitrary stored bytes: never crashes, and whatever it
// accepts is exactly the canonical encoding of what it returns (a stored
// event is exactly the bytes that were hashed).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "vledger/ledger/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto event = vledger::DecodeEvent(bytes);
  if (!event.ok()) {
    FUZZ_CHECK(!event.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(vledger::EncodeEvent(*event) == bytes);
  FUZZ_CHECK(vledger::EncodeEventWithBuilder(*event) == bytes);
  FUZZ_CHECK(!vledger::EventBodyJson(event->body).empty());
  FUZZ_CHECK(vledger::EventTypeName(event->body) != nullptr);
  // The person record decoder shares the hostile-input path.
  (void)vledger::DecodePerson(bytes);
  return 0;
}
