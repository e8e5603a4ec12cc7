// The writer lock: an flock() on DIR/writer.lock, held for the life of a
// writer. Readers never take it.
#pragma once

#include <string>

#include "vledger/ledger/status.h"

namespace vledger {

class WriterLock {
 public:
  // Takes the lock, waiting up to wait_seconds; Unavailable when another
  // writer still holds it.
  static Result<WriterLock> Acquire(const std::string& dir, int wait_seconds);
  WriterLock(WriterLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  WriterLock& operator=(WriterLock&& other) noexcept;
  ~WriterLock();

 private:
  explicit WriterLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace vledger
