#include "lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace vledger {

// Attempts to lock a writer.lock that was deleted or replaced meanwhile.
constexpr int kLockAttemptsMax = 100;

Result<WriterLock> WriterLock::Acquire(const std::string& dir, int wait_seconds) {
  std::string path = dir + "/writer.lock";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  for (int attempt = 0;; attempt++) {
    if (attempt == kLockAttemptsMax) {
      return Status::Unavailable(
          Msg("{}: the writer lock file keeps being deleted or replaced", path));
    }
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return Status::Unavailable(
          Msg("{}: cannot open writer lock: {}", path, std::strerror(errno)));
    }
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        int err = errno;
        ::close(fd);
        return Status::Unavailable(Msg("{}: cannot lock: {}", path, std::strerror(err)));
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        ::close(fd);
        return Status::Unavailable(
            Msg("ledger {} is in use by another writer (try again, or --wait SECONDS)", dir));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // The lock counts only if it is on the file that is there now: one
    // deleted (or replaced) while we waited locks nothing anyone else
    // sees. Then lock the file that is there, made anew if need be.
    struct stat held, named;
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
        held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
      return WriterLock(fd);
    }
    ::close(fd);
  }
}

WriterLock& WriterLock::operator=(WriterLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace vledger
