// Status and Result<T>: errors that input or the disk can cause are values.
//
// A Status carries a Code, which the CLI maps one to one onto the exit codes
// of SPEC section 7, and a one-line message that names the field, row or seq
// at fault. Bugs are not Statuses: they are VLEDGER_ASSERT, which stays on
// in release builds.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace vledger {

enum class Code : int {
  kOk = 0,
  kFault = 1,        // verification found a fault (tamper, broken chain, ...)
  kUsage = 2,        // the command line does not parse
  kRejected = 3,     // input rejected; nothing was written
  kUnavailable = 4,  // ledger missing, locked, unreadable or damaged
  kInternal = 5,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Fault(std::string msg) { return Status(Code::kFault, std::move(msg)); }
  static Status Usage(std::string msg) { return Status(Code::kUsage, std::move(msg)); }
  static Status Rejected(std::string msg) { return Status(Code::kRejected, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  int exit_code() const { return static_cast<int>(code_); }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<prefix>: <message>".
  Status WithPrefix(const std::string& prefix) const {
    return Status(code_, prefix + ": " + message_);
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status::Internal("Result built from an ok Status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

[[noreturn]] inline void AssertFailed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "vledger: internal error: assertion failed: %s (%s:%d)\n", expr, file,
               line);
  std::fflush(stderr);
  std::_Exit(5);
}

}  // namespace vledger

// Asserts stay on in release builds: a broken invariant stops the program
// with exit 5 before anything is written.
#define VLEDGER_ASSERT(expr) \
  ((expr) ? (void)0 : ::vledger::AssertFailed(#expr, __FILE__, __LINE__))

#define VLEDGER_CONCAT_INNER(a, b) a##b
#define VLEDGER_CONCAT(a, b) VLEDGER_CONCAT_INNER(a, b)

// Returns early from the enclosing function when a Status is not ok.
#define VLEDGER_TRY(expr)                   \
  do {                                      \
    ::vledger::Status _st = (expr);         \
    if (!_st.ok()) return _st;              \
  } while (0)

// Declares `lhs` from a Result, returning its Status early when it failed.
#define VLEDGER_ASSIGN_OR_RETURN(lhs, expr) \
  VLEDGER_ASSIGN_OR_RETURN_IMPL(VLEDGER_CONCAT(_res_, __LINE__), lhs, expr)
#define VLEDGER_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
