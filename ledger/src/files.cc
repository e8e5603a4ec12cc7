// Files (files.h).
#include "vledger/ledger/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace vledger {

bool FsyncFolder(const std::string& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok) errno = saved;
  return ok;
}

bool FsyncFolderOf(const std::string& path) {
  return FsyncFolder(std::filesystem::path(path).parent_path().string());
}

}  // namespace vledger
