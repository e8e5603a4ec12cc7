// Files: making a new entry of a folder durable.
#pragma once

#include <string>

namespace vledger {

// fsync(2) of the folder `dir` ("" is the current one), so that a file
// renamed or made in it is still there after a crash. False, with errno
// set, when the folder cannot be opened or synced.
bool FsyncFolder(const std::string& dir);
// The same for the folder that holds `path`.
bool FsyncFolderOf(const std::string& path);

}  // namespace vledger
