// The portable archive of SPEC section 5 (`vledger export`): a stream of
// Cap'n Proto messages in standard stream framing, each an ArchiveEntry of
// schemas/archive.capnp —
//
//   header, then every event (seq, h[seq], C(e)) with each commit right
//   after its last event, then person records (full archives only), and
//   last the signed checkpoint covering exactly the archived events.
//
// Both sides stream: the writer emits one message per entry through a
// buffered file descriptor, the reader holds one message at a time, so
// neither ever holds the log. Cap'n Proto stays inside archive.cc; callers
// see the plain structs below. Readers are strict (this is evidence that
// arrives from outside): any malformation is VerificationFailed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/chain.h"
#include "vledger/ledger/status.h"

namespace vledger {

constexpr uint32_t kArchiveFormatVersion = 1;
// Limits on one framed message of an untrusted archive: far above any entry
// vledger writes (an event is at most 16 MiB), and bounding what one
// malformed frame can make the reader allocate.
constexpr uint64_t kArchiveMessageBytesMax = 32u << 20;
constexpr uint32_t kArchiveSegmentsMax = 512;

struct ArchiveHeader {
  std::string origin;
  std::string ledger_name;
  uint32_t format_version = kArchiveFormatVersion;
  bool is_public = true;  // --public: no person records

  bool operator==(const ArchiveHeader&) const = default;
};

struct ArchiveEvent {
  uint64_t seq = 0;
  std::string hash;       // h[seq]; 32 bytes in a well-formed archive
  std::string canonical;  // exactly C(e)

  bool operator==(const ArchiveEvent&) const = default;
};

struct ArchivePerson {
  std::string person_ref;  // 32 bytes
  std::string salt;        // 16 bytes
  std::string record;      // exactly C(Person)

  bool operator==(const ArchivePerson&) const = default;
};

struct ArchiveCheckpoint {
  std::string text;  // the signed C2SP checkpoint note

  bool operator==(const ArchiveCheckpoint&) const = default;
};

// One entry; alternatives in the order of the schema's union.
using ArchiveEntry =
    std::variant<ArchiveHeader, ArchiveEvent, CommitRecord, ArchivePerson, ArchiveCheckpoint>;

// Writes an archive to "<path>.tmp" and renames it to `path` in Finish(),
// after flushing and fsync, so a failed or abandoned export leaves nothing
// (the destructor removes the temporary file unless Finish() succeeded).
// Resource type: moves, never copies.
class ArchiveWriter {
 public:
  // Creates "<path>.tmp" with permission bits `mode` (a full archive holds
  // personal data: 0600). InvalidInput when it cannot be created.
  static Result<ArchiveWriter> Create(const std::string& path, int mode);
  ArchiveWriter(ArchiveWriter&&) noexcept;
  ArchiveWriter& operator=(ArchiveWriter&&) noexcept;
  ~ArchiveWriter();

  // Appends one entry. A write error is InvalidInput naming the file (the
  // target cannot take the archive; nothing will be left behind).
  Status Write(const ArchiveEntry& entry);
  // Flushes, syncs and renames into place. The writer is spent after.
  Status Finish();

  uint64_t bytes_written() const;

 private:
  ArchiveWriter();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Appends one entry to `out`, framed exactly as ArchiveWriter writes it
// to a file: for archive streams held in memory (the feed of
// app/feed.h, which a server sends as one HTTP body).
void AppendArchiveEntry(const ArchiveEntry& entry, std::string* out);

// Reads an archive one entry at a time, from the start or from an offset
// that an earlier Next() reported (for looking an earlier event up again).
class ArchiveReader {
 public:
  // InvalidInput when the file cannot be opened.
  static Result<ArchiveReader> Open(const std::string& path);
  // Reads the archive stream `bytes` held in memory; `name` stands for the
  // file in messages (e.g. the URL it came from).
  static ArchiveReader FromBytes(std::string bytes, std::string name);
  ArchiveReader(ArchiveReader&&) noexcept;
  ArchiveReader& operator=(ArchiveReader&&) noexcept;
  ~ArchiveReader();

  // The next entry, or nullopt at a clean end of file. VerificationFailed naming the byte
  // offset for a truncated or malformed message, or an entry whose union
  // member this version does not know.
  Result<std::optional<ArchiveEntry>> Next();
  // Byte offset of the entry the next call to Next() reads.
  uint64_t offset() const;
  // Continues reading at `offset`, which must be one offset() returned.
  Status Seek(uint64_t offset);

 private:
  ArchiveReader();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vledger
