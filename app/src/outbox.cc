#include "vledger/app/outbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>

#include "guard.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/files.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

// Keys sorted (std::map): the canonical form is this object's dump().
using SortedJson = nlohmann::json;

constexpr std::string_view kFormat = "vledger-outbox/1";
constexpr std::string_view kDomain = "VLEDGER-OUTBOX-V1\n";
constexpr size_t kEntryBytesMax = 64u << 20;  // 16 files of up to 16 MiB are refused by the server
constexpr const char* kRefused = "refused";

// The optional members of an expectation, by their names in the file.
template <typename X>
auto StringMembers(X& x) {
  return std::array{std::pair{"resident", &x.resident},
                    std::pair{"rule", &x.rule},
                    std::pair{"fund", &x.fund},
                    std::pair{"shop", &x.shop},
                    std::pair{"village", &x.village},
                    std::pair{"period", &x.period},
                    std::pair{"to", &x.to},
                    std::pair{"resident_name", &x.resident_name}};
}
template <typename X>
auto CountMembers(X& x) {
  return std::array{std::pair{"target", &x.target},
                    std::pair{"checkpoint_size", &x.checkpoint_size},
                    std::pair{"tree_size", &x.tree_size}};
}

SortedJson ExpectationJson(const CommitExpectation& x) {
  SortedJson j = SortedJson::object();
  j["command"] = x.command;
  j["key_id"] = x.key_id;
  j["request_id"] = x.request_id;
  for (auto [name, slot] : StringMembers(x)) {
    if (*slot) j[name] = **slot;
  }
  if (x.points) j["points"] = *x.points;
  if (x.amount_fen) j["amount_fen"] = *x.amount_fen;
  for (auto [name, slot] : CountMembers(x)) {
    if (*slot) j[name] = **slot;
  }
  return j;
}

SortedJson EntryJson(const OutboxEntry& e) {
  SortedJson files = SortedJson::array();
  for (const OutboxFile& f : e.files)
    files.push_back({{"name", f.name}, {"bytes", Base64(f.bytes)}});
  SortedJson j = SortedJson::object();
  j["format"] = kFormat;
  j["entered_at"] = e.entered_at;
  j["on"] = e.on;
  j["command"] = e.command;
  j["server"] = e.server;
  j["key_id"] = e.key_id;
  j["request_id"] = e.request_id;
  j["args"] = e.args;
  j["files"] = std::move(files);
  j["expect"] = ExpectationJson(e.expect);
  return j;
}

// The JSON text of `j`; invalid UTF-8 in a member is refused, not
// replaced (the bytes signed must be the bytes sent).
Result<std::string> Dump(const SortedJson& j) {
  try {
    return j.dump();
  } catch (const SortedJson::type_error&) {
    return Status::InvalidInput("outbox", "the command line is not valid UTF-8: it cannot be kept");
  }
}

Status Malformed(std::string_view member) {
  return Status::VerificationFailed(Msg("not an outbox entry of this program (member {})", member));
}

// Strict reading: every member of the expected type, nothing else.
Result<std::string> Str(const SortedJson& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return Malformed(name);
  return it->get<std::string>();
}

// Malformed naming the first member of `j` not in `known` (after `prefix`).
Status OnlyKnown(const SortedJson& j, std::span<const char* const> known,
                 const std::string& prefix) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& name = it.key();
    if (std::none_of(known.begin(), known.end(), [&name](const char* k) { return name == k; })) {
      return Malformed(prefix + name);
    }
  }
  return Status::Ok();
}

Result<CommitExpectation> ParseExpectation(const SortedJson& j) {
  if (!j.is_object()) return Malformed("expect");
  static const char* kKnown[] = {
      "command",    "key_id",  "request_id",      "resident", "rule",          "fund",
      "shop",       "village", "period",          "to",       "resident_name", "points",
      "amount_fen", "target",  "checkpoint_size", "tree_size"};
  VLEDGER_TRY(OnlyKnown(j, kKnown, "expect."));
  CommitExpectation x;
  VLEDGER_ASSIGN_OR_RETURN(x.command, Str(j, "command"));
  VLEDGER_ASSIGN_OR_RETURN(x.key_id, Str(j, "key_id"));
  VLEDGER_ASSIGN_OR_RETURN(x.request_id, Str(j, "request_id"));
  for (auto [name, slot] : StringMembers(x)) {
    if (!j.contains(name)) continue;
    VLEDGER_ASSIGN_OR_RETURN(std::string v, Str(j, name));
    *slot = v;
  }
  for (auto [name, slot] :
       {std::pair{"points", &x.points}, std::pair{"amount_fen", &x.amount_fen}}) {
    if (!j.contains(name)) continue;
    if (!j[name].is_number_integer()) return Malformed(std::string("expect.") + name);
    *slot = j[name].get<int64_t>();
  }
  for (auto [name, slot] : CountMembers(x)) {
    if (!j.contains(name)) continue;
    if (!j[name].is_number_unsigned()) return Malformed(std::string("expect.") + name);
    *slot = j[name].get<uint64_t>();
  }
  return x;
}

Result<OutboxEntry> ParseEntry(const SortedJson& j) {
  if (!j.is_object()) return Malformed("(the whole)");
  static const char* kKnown[] = {"format", "entered_at", "on",         "command",
                                 "server", "key_id",     "request_id", "args",
                                 "files",  "expect",     "signature"};
  VLEDGER_TRY(OnlyKnown(j, kKnown, ""));
  VLEDGER_ASSIGN_OR_RETURN(std::string format, Str(j, "format"));
  if (format != kFormat) return Malformed("format");
  OutboxEntry e;
  VLEDGER_ASSIGN_OR_RETURN(e.entered_at, Str(j, "entered_at"));
  VLEDGER_ASSIGN_OR_RETURN(e.on, Str(j, "on"));
  VLEDGER_ASSIGN_OR_RETURN(e.command, Str(j, "command"));
  VLEDGER_ASSIGN_OR_RETURN(e.server, Str(j, "server"));
  VLEDGER_ASSIGN_OR_RETURN(e.key_id, Str(j, "key_id"));
  VLEDGER_ASSIGN_OR_RETURN(e.request_id, Str(j, "request_id"));
  auto args = j.find("args");
  if (args == j.end() || !args->is_array()) return Malformed("args");
  for (const SortedJson& a : *args) {
    if (!a.is_string()) return Malformed("args");
    e.args.push_back(a.get<std::string>());
  }
  auto files = j.find("files");
  if (files == j.end() || !files->is_array()) return Malformed("files");
  for (const SortedJson& f : *files) {
    if (!f.is_object() || f.size() != 2) return Malformed("files");
    VLEDGER_ASSIGN_OR_RETURN(std::string name, Str(f, "name"));
    VLEDGER_ASSIGN_OR_RETURN(std::string b64, Str(f, "bytes"));
    std::optional<std::string> bytes = Unbase64(b64);
    if (!bytes) return Malformed("files");
    e.files.push_back({std::move(name), std::move(*bytes)});
  }
  auto expect = j.find("expect");
  if (expect == j.end()) return Malformed("expect");
  VLEDGER_ASSIGN_OR_RETURN(e.expect, ParseExpectation(*expect));
  return e;
}

Result<SortedJson> ParseJson(std::string_view bytes) {
  if (bytes.size() > kEntryBytesMax) return Malformed("(size)");
  SortedJson j = SortedJson::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::VerificationFailed("not an outbox entry of this program (not JSON)");
  }
  return j;
}

Status MakeFolder(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Io(Msg("cannot make the folder {}", dir));
  }
  struct stat st = {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::Io(Msg("{} is not a folder", dir));
  }
  return Status::Ok();
}

// mkdir -p with mode 0700 for the folders it makes.
Status MakeFolders(const std::string& dir) {
  for (size_t at = dir.find('/', 1); at != std::string::npos; at = dir.find('/', at + 1)) {
    std::string parent = dir.substr(0, at);
    if (::mkdir(parent.c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::Io(Msg("cannot make the folder {}", parent));
    }
  }
  return MakeFolder(dir);
}

// Writes `path` (a new file, mode 0600) through a temporary file in the
// same folder, synced, renamed, the folder synced.
Status WriteNewFile(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::string path = dir + "/" + name;
  std::string tmp = dir + "/." + name + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::Io(Msg("cannot write {}", tmp));
  bool written = true;
  for (size_t done = 0; written && done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) done += static_cast<size_t>(n);
  }
  written = written && ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  written = ::close(fd) == 0 && written;
  if (!written) {
    std::remove(tmp.c_str());
    return Status::Io(Msg("cannot write {}", tmp));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::Io(Msg("cannot rename {} to {}", tmp, path));
  }
  if (!FsyncFolder(dir)) return Status::Io(Msg("cannot sync the folder {}", dir));
  return Status::Ok();
}

// 2026-12-02T09:30:00.123456Z -> 20261202T093000.123456Z (a file name
// that sorts as time does).
std::string NameStamp() {
  auto now = std::chrono::system_clock::now();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  time_t secs = static_cast<time_t>(us / 1000000);
  struct tm tm = {};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(us % 1000000));
  return buf;
}

bool IsEntryName(std::string_view name) {
  return !name.starts_with('.') && name.ends_with(".json") &&
         name.find('/') == std::string_view::npos;
}

}  // namespace

Result<std::string> OutboxDir(const std::string& xdg_data_home, const std::string& home) try {
  // The XDG base directory specification: a relative value is ignored.
  if (xdg_data_home.starts_with('/')) return xdg_data_home + "/vledger/outbox";
  if (home.starts_with('/')) return home + "/.local/share/vledger/outbox";
  return Status::FailedPrecondition(
      "no folder for the outbox: set XDG_DATA_HOME or HOME to an absolute path");
} catch (...) {
  return CaughtStatus();
}

std::string OutboxSignedBytes(const OutboxEntry& entry) {
  Result<std::string> text = Dump(EntryJson(entry));
  return std::string(kDomain) + (text.ok() ? *text : std::string());
}

Result<std::string> EncodeOutboxEntry(const OutboxEntry& entry, const PrivateKey& key) try {
  if (entry.key_id != key.key_id() || entry.expect.key_id != key.key_id()) {
    return Status::InvalidInput("--key",
                                Msg("the entry is for key {}, not {}", entry.key_id, key.key_id()));
  }
  SortedJson j = EntryJson(entry);
  VLEDGER_ASSIGN_OR_RETURN(std::string canonical, Dump(j));
  j["signature"] = Base64(key.Sign(std::string(kDomain) + canonical));
  VLEDGER_ASSIGN_OR_RETURN(std::string text, Dump(j));
  return text + "\n";
} catch (...) {
  return CaughtStatus();
}

Result<OutboxEntry> DecodeOutboxEntry(std::string_view bytes, const PublicKey& key) try {
  VLEDGER_ASSIGN_OR_RETURN(SortedJson j, ParseJson(bytes));
  VLEDGER_ASSIGN_OR_RETURN(OutboxEntry entry, ParseEntry(j));
  VLEDGER_ASSIGN_OR_RETURN(std::string signature_b64, Str(j, "signature"));
  std::optional<std::string> signature = Unbase64(signature_b64);
  if (!signature || signature->size() != kSignatureBytes) return Malformed("signature");
  if (entry.key_id != key.key_id()) {
    return Status::PermissionDenied(
        "--key",
        Msg("the entry was made with key {}, not with this key ({})", entry.key_id, key.key_id()));
  }
  // The canonical form of what was read: a member changed, added to or
  // removed from the file changes it.
  VLEDGER_ASSIGN_OR_RETURN(std::string canonical, Dump(EntryJson(entry)));
  if (!key.Verify(std::string(kDomain) + canonical, *signature)) {
    return Status::VerificationFailed(
        "its signature does not hold: the file was altered after it was kept");
  }
  if (entry.expect.key_id != entry.key_id || entry.expect.request_id != entry.request_id ||
      entry.expect.command != entry.command) {
    return Status::VerificationFailed("its members disagree with each other");
  }
  return entry;
} catch (...) {
  return CaughtStatus();
}

Result<std::string> WriteOutboxEntry(const std::string& dir, const OutboxEntry& entry,
                                     const PrivateKey& key) try {
  VLEDGER_TRY(CheckId("--request-id", entry.request_id));
  VLEDGER_ASSIGN_OR_RETURN(std::string bytes, EncodeOutboxEntry(entry, key));
  VLEDGER_TRY(MakeFolders(dir));
  std::string name = NameStamp() + "-" + entry.request_id + ".json";
  VLEDGER_TRY(WriteNewFile(dir, name, bytes));
  return name;
} catch (...) {
  return CaughtStatus();
}

Result<std::vector<OutboxListing>> ListOutbox(const std::string& dir) try {
  std::vector<OutboxListing> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return out;
    return Status::Io(Msg("cannot read the folder {}", dir));
  }
  std::vector<std::string> names;
  while (dirent* ent = ::readdir(d)) {
    std::string name = ent->d_name;
    if (IsEntryName(name)) names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    OutboxListing l;
    l.name = name;
    Result<std::string> bytes = ReadOutboxFile(dir, name);
    if (!bytes.ok()) {
      if (bytes.status().code() == Code::kNotFound) continue;  // sent meanwhile
      l.fault = bytes.status();
      out.push_back(std::move(l));
      continue;
    }
    Result<SortedJson> j = ParseJson(*bytes);
    Result<OutboxEntry> e = j.ok() ? ParseEntry(*j) : Result<OutboxEntry>(j.status());
    if (!e.ok()) {
      l.fault = e.status();
    } else {
      l.entered_at = e->entered_at;
      l.on = e->on;
      l.command = e->command;
      l.server = e->server;
      l.request_id = e->request_id;
      l.args = e->args;
    }
    out.push_back(std::move(l));
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

Result<std::string> ReadOutboxFile(const std::string& dir, const std::string& name) try {
  std::string path = dir + "/" + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(Msg("{}: no such outbox entry", path));
    return Status::Io(Msg("cannot read {}", path));
  }
  std::string bytes;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buf, static_cast<size_t>(n));
    if (bytes.size() > kEntryBytesMax) break;
  }
  ::close(fd);
  return bytes;
} catch (...) {
  return CaughtStatus();
}

Status RemoveOutboxEntry(const std::string& dir, const std::string& name) try {
  std::string path = dir + "/" + name;
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::Io(Msg("cannot remove {}", path));
  }
  if (!FsyncFolder(dir)) return Status::Io(Msg("cannot sync the folder {}", dir));
  return Status::Ok();
} catch (...) {
  return CaughtStatus();
}

Result<std::string> RefuseOutboxEntry(const std::string& dir, const std::string& name,
                                      const std::string& error) try {
  std::string refused = dir + "/" + kRefused;
  VLEDGER_TRY(MakeFolder(refused));
  // The reason first: a crash between the two leaves the entry where it
  // was, to be refused again.
  VLEDGER_TRY(WriteNewFile(refused, name + ".error", error + "\n"));
  std::string to = refused + "/" + name;
  if (::rename((dir + "/" + name).c_str(), to.c_str()) != 0) {
    return Status::Io(Msg("cannot move {} to {}", dir + "/" + name, to));
  }
  if (!FsyncFolder(refused) || !FsyncFolder(dir)) {
    return Status::Io(Msg("cannot sync the folder {}", dir));
  }
  return to;
} catch (...) {
  return CaughtStatus();
}

Result<OutboxLock> OutboxLock::Take(const std::string& dir) try {
  VLEDGER_TRY(MakeFolders(dir));
  std::string path = dir + "/.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io(Msg("cannot open {}", path));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::Unavailable(Msg("another sync is sending the outbox {}", dir));
  }
  return OutboxLock(fd);
} catch (...) {
  return CaughtStatus();
}

OutboxLock::~OutboxLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace vledger::app
