// What the two halves of vledger-net share about files sent with a
// remote command (cli/net_client.cc sends and receives them,
// cli/net_serve.cc puts them in a scratch folder): the options that name
// them, the placeholders that stand for them on the wire, and their bound.
#pragma once

#include <algorithm>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

#include "vledger/ledger/message.h"
#include "vledger/ledger/status.h"

namespace vledger::cli {

// Files a command reads (sent with a remote request) and writes (sent
// back), by option name; a positional FILE is read by these commands and
// written by `export`.
inline constexpr std::string_view kInputOptions[] = {"--pub", "--checkpoint", "--archive"};
inline constexpr std::string_view kOutputOptions[] = {"--out"};
inline constexpr std::string_view kFileReaders[] = {
    "import",       "verify-proof", "verify-report", "verify-consistency", "verify-attestation",
    "attest revoke"};
inline constexpr size_t kFileBytesMax = 64u << 20;
inline constexpr std::string_view kInPrefix = "@vledger-in/";
inline constexpr std::string_view kOutPrefix = "@vledger-out/";

inline bool Listed(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

inline Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(Msg("cannot read {}", path));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() > kFileBytesMax) {
    return Status::InvalidInput(Msg("{}: over {} bytes, too large to send", path, kFileBytesMax));
  }
  return bytes;
}

inline void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace vledger::cli
