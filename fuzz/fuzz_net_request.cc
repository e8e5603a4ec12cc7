// The county server's request parsing (net/protocol.h) on arbitrary
// bytes: never crashes; what it accepts is within the bounds and encodes
// back to a request that parses to the same thing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "vledger/net/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto request = vledger::net::ParseRequest(body);
  if (request.ok()) {
    FUZZ_CHECK(!request->args.empty() && request->args.size() <= vledger::net::kArgsMax);
    FUZZ_CHECK(request->files.size() <= vledger::net::kFilesMax);
    auto again = vledger::net::ParseRequest(vledger::net::EncodeRequest(*request));
    FUZZ_CHECK(again.ok() && again->args == request->args && again->key_id == request->key_id &&
               again->files.size() == request->files.size());
  } else {
    FUZZ_CHECK(request.status().code() == vledger::Code::kInvalidInput);
  }
  auto signature = vledger::net::ParseSignature(body);
  FUZZ_CHECK(!signature.ok() || signature->signature.size() == 64);
  (void)vledger::net::ParseAnswer(body);
  (void)vledger::net::ParseError(body);
  return 0;
}
