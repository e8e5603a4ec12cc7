// Archive files (see archive.h): writing through KJ's buffered fd streams,
// reading with a small framing parser of our own so every message's byte
// offset is known (the verifier re-reads earlier events by offset) and every
// length in the frame is checked before anything is allocated.
//
// Stream framing (Cap'n Proto "standard" serialization): u32le segment count
// minus one, u32le size in words of each segment, 4 bytes of padding when the
// count is even, then the segments.
#include "vledger/ledger/archive.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <fcntl.h>
#include <kj/exception.h>
#include <kj/io.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "archive.capnp.h"
#include "capnp_blobs.h"
#include "vledger/ledger/files.h"

namespace vledger {
namespace {

using blob::AsData;
using blob::Str;

// --------------------------------------------------------------- writing

void Fill(::ArchiveEntry::Builder out, const ArchiveHeader& h) {
  auto b = out.initHeader();
  b.setOrigin(h.origin);
  b.setLedgerName(h.ledger_name);
  b.setFormatVersion(h.format_version);
  b.setPublic(h.is_public);
}
void Fill(::ArchiveEntry::Builder out, const ArchiveEvent& e) {
  auto b = out.initEvent();
  b.setSeq(e.seq);
  b.setHash(AsData(e.hash));
  b.setCanonical(AsData(e.canonical));
}
void Fill(::ArchiveEntry::Builder out, const CommitRecord& c) {
  auto b = out.initCommit();
  b.setFirst(c.first);
  b.setLast(c.last);
  b.setKeyId(c.key_id);
  b.setSignature(AsData(c.signature));
}
void Fill(::ArchiveEntry::Builder out, const ArchivePerson& p) {
  auto b = out.initPerson();
  b.setPersonRef(AsData(p.person_ref));
  b.setSalt(AsData(p.salt));
  b.setRecord(AsData(p.record));
}
void Fill(::ArchiveEntry::Builder out, const ArchiveCheckpoint& c) { out.setCheckpoint(c.text); }

// --------------------------------------------------------------- reading

Result<ArchiveEntry> Read(::ArchiveEntry::Reader in) {
  switch (in.which()) {
    case ::ArchiveEntry::HEADER: {
      auto h = in.getHeader();
      return ArchiveEntry(ArchiveHeader{Str(h.getOrigin()), Str(h.getLedgerName()),
                                        h.getFormatVersion(), h.getPublic()});
    }
    case ::ArchiveEntry::EVENT: {
      auto e = in.getEvent();
      return ArchiveEntry(ArchiveEvent{e.getSeq(), Str(e.getHash()), Str(e.getCanonical())});
    }
    case ::ArchiveEntry::COMMIT: {
      auto c = in.getCommit();
      return ArchiveEntry(
          CommitRecord{c.getFirst(), c.getLast(), Str(c.getKeyId()), Str(c.getSignature())});
    }
    case ::ArchiveEntry::PERSON: {
      auto p = in.getPerson();
      return ArchiveEntry(
          ArchivePerson{Str(p.getPersonRef()), Str(p.getSalt()), Str(p.getRecord())});
    }
    case ::ArchiveEntry::CHECKPOINT:
      return ArchiveEntry(ArchiveCheckpoint{Str(in.getCheckpoint())});
  }
  return Status::VerificationFailed(Msg("entry of unknown kind {}", static_cast<int>(in.which())));
}

uint32_t GetU32le(const unsigned char* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

}  // namespace

// ---------------------------------------------------------------- writer

struct ArchiveWriter::Impl {
  std::string path, tmp_path;
  int fd = -1;
  std::optional<kj::FdOutputStream> fd_stream;
  std::optional<kj::BufferedOutputStreamWrapper> buffered;
  uint64_t bytes = 0;
  bool finished = false;

  ~Impl() {
    buffered.reset();  // never flush from a destructor: the file is dropped
    fd_stream.reset();
    if (fd >= 0) ::close(fd);
    if (!finished) ::unlink(tmp_path.c_str());
  }
};

ArchiveWriter::ArchiveWriter() : impl_(std::make_unique<Impl>()) {}
ArchiveWriter::ArchiveWriter(ArchiveWriter&&) noexcept = default;
ArchiveWriter& ArchiveWriter::operator=(ArchiveWriter&&) noexcept = default;
ArchiveWriter::~ArchiveWriter() = default;

Result<ArchiveWriter> ArchiveWriter::Create(const std::string& path, int mode) {
  ArchiveWriter w;
  w.impl_->path = path;
  w.impl_->tmp_path = path + ".tmp";
  int fd = ::open(w.impl_->tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    w.impl_->finished = true;  // nothing of ours to remove
    return Status::InvalidInput(
        Msg("cannot create {}: {}", w.impl_->tmp_path, std::strerror(errno)));
  }
  ::fchmod(fd, static_cast<mode_t>(mode));  // O_TRUNC of an old file keeps its mode
  w.impl_->fd = fd;
  w.impl_->fd_stream.emplace(fd);
  w.impl_->buffered.emplace(*w.impl_->fd_stream);
  return w;
}

Status ArchiveWriter::Write(const ArchiveEntry& entry) {
  VLEDGER_ASSERT(!impl_->finished && impl_->buffered.has_value());
  capnp::MallocMessageBuilder message;
  std::visit([&](const auto& e) { Fill(message.initRoot<::ArchiveEntry>(), e); }, entry);
  try {
    impl_->bytes += capnp::computeSerializedSizeInWords(message) * sizeof(capnp::word);
    capnp::writeMessage(*impl_->buffered, message);
  } catch (const kj::Exception& e) {
    return Status::InvalidInput(
        Msg("cannot write {}: {}", impl_->tmp_path, e.getDescription().cStr()));
  }
  return Status::Ok();
}

Status ArchiveWriter::Finish() {
  VLEDGER_ASSERT(!impl_->finished && impl_->buffered.has_value());
  try {
    impl_->buffered->flush();
  } catch (const kj::Exception& e) {
    return Status::InvalidInput(
        Msg("cannot write {}: {}", impl_->tmp_path, e.getDescription().cStr()));
  }
  impl_->buffered.reset();
  impl_->fd_stream.reset();
  if (::fsync(impl_->fd) != 0 || ::close(impl_->fd) != 0) {
    impl_->fd = -1;
    return Status::InvalidInput(Msg("cannot write {}: {}", impl_->tmp_path, std::strerror(errno)));
  }
  impl_->fd = -1;
  if (::rename(impl_->tmp_path.c_str(), impl_->path.c_str()) != 0) {
    return Status::InvalidInput(
        Msg("cannot rename {} to {}: {}", impl_->tmp_path, impl_->path, std::strerror(errno)));
  }
  impl_->finished = true;
  // The rename made durable too: an archive that may vanish in a crash
  // is not reported as written.
  if (!FsyncFolderOf(impl_->path)) {
    return Status::Io(Msg("cannot sync the folder of {}: {}", impl_->path, std::strerror(errno)));
  }
  return Status::Ok();
}

uint64_t ArchiveWriter::bytes_written() const { return impl_->bytes; }

void AppendArchiveEntry(const ArchiveEntry& entry, std::string* out) {
  capnp::MallocMessageBuilder message;
  std::visit([&](const auto& e) { Fill(message.initRoot<::ArchiveEntry>(), e); }, entry);
  kj::Array<capnp::word> words = capnp::messageToFlatArray(message);
  kj::ArrayPtr<const kj::byte> bytes = words.asBytes();
  out->append(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

// ---------------------------------------------------------------- reader

struct ArchiveReader::Impl {
  std::string path;
  std::FILE* file = nullptr;  // null when reading `memory`
  std::string memory;
  uint64_t offset = 0;

  ~Impl() {
    if (file != nullptr) std::fclose(file);
  }

  // Reads up to n bytes; fewer only at the end of the stream.
  size_t Read(void* out, size_t n) {
    size_t got = 0;
    if (file != nullptr) {
      got = std::fread(out, 1, n, file);
    } else if (offset < memory.size()) {
      got = std::min<uint64_t>(n, memory.size() - offset);
      std::memcpy(out, memory.data() + offset, got);
    }
    offset += got;
    return got;
  }
  // Reads exactly n bytes; false on a short read (offset then unreliable).
  bool ReadExact(void* out, size_t n) { return Read(out, n) == n; }

  Status Truncated(uint64_t entry_at) const {
    return Status::VerificationFailed(
        Msg("archive {}: entry at byte {} is truncated", path, entry_at));
  }
};

ArchiveReader::ArchiveReader() : impl_(std::make_unique<Impl>()) {}
ArchiveReader::ArchiveReader(ArchiveReader&&) noexcept = default;
ArchiveReader& ArchiveReader::operator=(ArchiveReader&&) noexcept = default;
ArchiveReader::~ArchiveReader() = default;

Result<ArchiveReader> ArchiveReader::Open(const std::string& path) {
  ArchiveReader r;
  r.impl_->path = path;
  r.impl_->file = std::fopen(path.c_str(), "rbe");
  if (r.impl_->file == nullptr) {
    return Status::InvalidInput(Msg("cannot open archive {}: {}", path, std::strerror(errno)));
  }
  struct stat st;
  if (::fstat(::fileno(r.impl_->file), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::InvalidInput(Msg("archive {} is not a regular file", path));
  }
  return r;
}

ArchiveReader ArchiveReader::FromBytes(std::string bytes, std::string name) {
  ArchiveReader r;
  r.impl_->path = std::move(name);
  r.impl_->memory = std::move(bytes);
  return r;
}

uint64_t ArchiveReader::offset() const { return impl_->offset; }

Status ArchiveReader::Seek(uint64_t offset) {
  if (impl_->file == nullptr) {
    if (offset > impl_->memory.size()) {
      return Status::VerificationFailed(
          Msg("archive {}: cannot seek to byte {}", impl_->path, offset));
    }
    impl_->offset = offset;
    return Status::Ok();
  }
  if (::fseeko(impl_->file, static_cast<off_t>(offset), SEEK_SET) != 0) {
    return Status::VerificationFailed(
        Msg("archive {}: cannot seek to byte {}", impl_->path, offset));
  }
  impl_->offset = offset;
  return Status::Ok();
}

Result<std::optional<ArchiveEntry>> ArchiveReader::Next() {
  Impl& in = *impl_;
  const uint64_t at = in.offset;
  unsigned char word4[4];
  size_t got = in.Read(word4, 4);
  if (got == 0 && (in.file == nullptr || std::feof(in.file))) {
    return std::optional<ArchiveEntry>();
  }
  if (got != 4) return in.Truncated(at);
  uint32_t segments = GetU32le(word4) + 1;  // wraps to 0 for 0xffffffff
  if (segments == 0 || segments > kArchiveSegmentsMax) {
    return Status::VerificationFailed(
        Msg("archive {}: entry at byte {} claims {}+1 segments", in.path, at, GetU32le(word4)));
  }
  std::vector<unsigned char> table(4 * segments + (segments % 2 == 0 ? 4 : 0));
  if (!in.ReadExact(table.data(), table.size())) return in.Truncated(at);
  std::vector<uint32_t> sizes(segments);
  uint64_t words = 0;
  for (uint32_t i = 0; i < segments; i++) {
    sizes[i] = GetU32le(&table[4 * i]);
    words += sizes[i];
  }
  if (words * sizeof(capnp::word) > kArchiveMessageBytesMax) {
    return Status::VerificationFailed(Msg("archive {}: entry at byte {} is over {} MiB", in.path,
                                          at, kArchiveMessageBytesMax >> 20));
  }
  kj::Array<capnp::word> data = kj::heapArray<capnp::word>(words);
  if (!in.ReadExact(data.begin(), words * sizeof(capnp::word))) return in.Truncated(at);
  std::vector<kj::ArrayPtr<const capnp::word>> segs;
  segs.reserve(segments);
  const capnp::word* p = data.begin();
  for (uint32_t size : sizes) {
    segs.emplace_back(p, size);
    p += size;
  }
  capnp::ReaderOptions options;
  options.traversalLimitInWords = words + 64;  // a hostile frame cannot amplify reads
  options.nestingLimit = 8;
  try {
    capnp::SegmentArrayMessageReader message(kj::arrayPtr(segs.data(), segs.size()), options);
    auto entry = Read(message.getRoot<::ArchiveEntry>());
    if (!entry.ok()) {
      return entry.status().WithPrefix(Msg("archive {}: entry at byte {}", in.path, at));
    }
    return std::optional<ArchiveEntry>(std::move(entry).value());
  } catch (const kj::Exception& e) {
    return Status::VerificationFailed(Msg("archive {}: entry at byte {} is malformed: {}", in.path,
                                          at, e.getDescription().cStr()));
  }
}

}  // namespace vledger
