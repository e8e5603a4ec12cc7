// Status and Result<T>: errors that input or the disk can cause are values.
//
// A Status says what went wrong as a Code (invalid input, not found, ...)
// and, as members of their own, which field, row (of an import file) or
// seq (of the log) is at fault; its detail is one line of text, kept as a
// Msg (message.h: an English pattern and its arguments) so that a front end
// can show it in its user's language. Front ends decide what a code means
// to their user: the CLI maps codes onto the exit codes of SPEC section 7
// in one place (cli/exit_code.cc). Bugs are not
// Statuses: they are VLEDGER_ASSERT, reachable from no input and no stored
// data.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vledger/ledger/message.h"

namespace vledger {

enum class Code : int {
  kOk = 0,
  // The request itself: a value malformed or out of bounds, a missing
  // option, a combination that makes no sense.
  kInvalidInput,
  // A resident, rule, fund, seq, file ... that the request names does not
  // exist.
  kNotFound,
  // What the request would create exists already (an id, a receipt number,
  // a ledger folder).
  kAlreadyExists,
  // The request contradicts what the ledger holds: a request id used by a
  // different command or key, the same file imported under another label.
  kConflict,
  // The signing key may not do this (role, village scope, revoked).
  kPermissionDenied,
  // The ledger is not in the state the request needs: not enough points or
  // money, a fund closed, no checkpoint yet, a period already paid.
  kFailedPrecondition,
  // A check of integrity failed: the chain, a signature, a proof, an
  // archive, a report that does not regenerate.
  kVerificationFailed,
  // Stored data is damaged: a row that does not decode, a missing record.
  kCorruption,
  // The ledger cannot be used now: missing, locked by another writer.
  kUnavailable,
  // A read or write failed (disk full included).
  kIo,
  // A bug: an invariant of the program itself did not hold.
  kInternal,
  // The command line of a front end does not parse (front ends only).
  kUsage,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(const Status& o) : rep_(o.rep_ ? std::make_unique<Rep>(*o.rep_) : nullptr) {}
  Status& operator=(const Status& o) {
    if (this != &o) rep_ = o.rep_ ? std::make_unique<Rep>(*o.rep_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  static Status Ok() { return Status(); }
  // Each code with its message: a Msg (a literal pattern and arguments) or,
  // for a message with no arguments, the literal itself.
  static Status InvalidInput(Msg msg) { return {Code::kInvalidInput, std::move(msg)}; }
  template <size_t N>
  static Status InvalidInput(const char (&msg)[N]) {
    return {Code::kInvalidInput, Msg(msg)};
  }
  static Status NotFound(Msg msg) { return {Code::kNotFound, std::move(msg)}; }
  template <size_t N>
  static Status NotFound(const char (&msg)[N]) {
    return {Code::kNotFound, Msg(msg)};
  }
  static Status AlreadyExists(Msg msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  template <size_t N>
  static Status AlreadyExists(const char (&msg)[N]) {
    return {Code::kAlreadyExists, Msg(msg)};
  }
  static Status Conflict(Msg msg) { return {Code::kConflict, std::move(msg)}; }
  template <size_t N>
  static Status Conflict(const char (&msg)[N]) {
    return {Code::kConflict, Msg(msg)};
  }
  static Status PermissionDenied(Msg msg) { return {Code::kPermissionDenied, std::move(msg)}; }
  template <size_t N>
  static Status PermissionDenied(const char (&msg)[N]) {
    return {Code::kPermissionDenied, Msg(msg)};
  }
  static Status FailedPrecondition(Msg msg) { return {Code::kFailedPrecondition, std::move(msg)}; }
  template <size_t N>
  static Status FailedPrecondition(const char (&msg)[N]) {
    return {Code::kFailedPrecondition, Msg(msg)};
  }
  static Status VerificationFailed(Msg msg) { return {Code::kVerificationFailed, std::move(msg)}; }
  template <size_t N>
  static Status VerificationFailed(const char (&msg)[N]) {
    return {Code::kVerificationFailed, Msg(msg)};
  }
  static Status Corruption(Msg msg) { return {Code::kCorruption, std::move(msg)}; }
  template <size_t N>
  static Status Corruption(const char (&msg)[N]) {
    return {Code::kCorruption, Msg(msg)};
  }
  static Status Unavailable(Msg msg) { return {Code::kUnavailable, std::move(msg)}; }
  template <size_t N>
  static Status Unavailable(const char (&msg)[N]) {
    return {Code::kUnavailable, Msg(msg)};
  }
  static Status Io(Msg msg) { return {Code::kIo, std::move(msg)}; }
  template <size_t N>
  static Status Io(const char (&msg)[N]) {
    return {Code::kIo, Msg(msg)};
  }
  static Status Internal(Msg msg) { return {Code::kInternal, std::move(msg)}; }
  template <size_t N>
  static Status Internal(const char (&msg)[N]) {
    return {Code::kInternal, Msg(msg)};
  }
  static Status Usage(Msg msg) { return {Code::kUsage, std::move(msg)}; }
  template <size_t N>
  static Status Usage(const char (&msg)[N]) {
    return {Code::kUsage, Msg(msg)};
  }

  // The same, saying which field (an option such as "--points", a schema
  // field such as "rule", a column), row or seq is at fault.
  static Status InvalidInput(std::string_view field, Msg msg) {
    return InvalidInput(std::move(msg)).WithField(field);
  }
  template <size_t N>
  static Status InvalidInput(std::string_view field, const char (&msg)[N]) {
    return InvalidInput(Msg(msg)).WithField(field);
  }
  static Status NotFound(std::string_view field, Msg msg) {
    return NotFound(std::move(msg)).WithField(field);
  }
  template <size_t N>
  static Status NotFound(std::string_view field, const char (&msg)[N]) {
    return NotFound(Msg(msg)).WithField(field);
  }
  static Status AlreadyExists(std::string_view field, Msg msg) {
    return AlreadyExists(std::move(msg)).WithField(field);
  }
  template <size_t N>
  static Status AlreadyExists(std::string_view field, const char (&msg)[N]) {
    return AlreadyExists(Msg(msg)).WithField(field);
  }
  static Status Conflict(std::string_view field, Msg msg) {
    return Conflict(std::move(msg)).WithField(field);
  }
  template <size_t N>
  static Status Conflict(std::string_view field, const char (&msg)[N]) {
    return Conflict(Msg(msg)).WithField(field);
  }
  static Status PermissionDenied(std::string_view field, Msg msg) {
    return PermissionDenied(std::move(msg)).WithField(field);
  }
  template <size_t N>
  static Status PermissionDenied(std::string_view field, const char (&msg)[N]) {
    return PermissionDenied(Msg(msg)).WithField(field);
  }
  static Status FailedPrecondition(std::string_view field, Msg msg) {
    return FailedPrecondition(std::move(msg)).WithField(field);
  }
  template <size_t N>
  static Status FailedPrecondition(std::string_view field, const char (&msg)[N]) {
    return FailedPrecondition(Msg(msg)).WithField(field);
  }

  // (Of an ok Status, these give it unchanged: it has nothing at fault.)
  Status WithField(std::string_view field) const& {
    Status s = *this;
    if (s.rep_) s.rep_->field = field;
    return s;
  }
  Status WithField(std::string_view field) && {
    if (rep_) rep_->field = field;
    return std::move(*this);
  }
  Status WithRow(uint64_t row) const {
    Status s = *this;
    if (s.rep_) s.rep_->row = row;
    return s;
  }
  Status WithSeq(uint64_t seq) const {
    Status s = *this;
    if (s.rep_) s.rep_->seq = seq;
    return s;
  }

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  // The request was refused as it stands: invalid input, not found, already
  // exists, conflict, permission denied or failed precondition.
  bool is_refusal() const {
    const Code c = code();
    return c == Code::kInvalidInput || c == Code::kNotFound || c == Code::kAlreadyExists ||
           c == Code::kConflict || c == Code::kPermissionDenied || c == Code::kFailedPrecondition;
  }
  // The ledger's storage: damaged, unusable now, or a failed read or write.
  bool is_storage_fault() const {
    const Code c = code();
    return c == Code::kCorruption || c == Code::kUnavailable || c == Code::kIo;
  }

  const std::string& field() const { return rep().field; }
  std::optional<uint64_t> row() const { return rep().row; }
  std::optional<uint64_t> seq() const { return rep().seq; }
  // What went wrong, in English, without the row, seq or field: the
  // prefixes (WithPrefix) and the message.
  std::string detail() const {
    std::string text;
    for (const Msg& p : rep().prefixes) text += p.English() + ": ";
    return text + rep().msg.English();
  }
  // The message and the prefixes in front of it (outermost first), for a
  // front end that shows them in another language.
  const Msg& msg() const { return rep().msg; }
  const std::vector<Msg>& prefixes() const { return rep().prefixes; }
  // The whole line in English: "row R: seq S: FIELD: DETAIL", each part
  // when set.
  std::string message() const {
    const Rep& r = rep();
    std::string line;
    if (r.row) line += "row " + std::to_string(*r.row) + ": ";
    if (r.seq) line += "seq " + std::to_string(*r.seq) + ": ";
    if (!r.field.empty()) line += r.field + ": ";
    return line + detail();
  }

  // A copy whose detail is "<prefix>: <detail>". A field at fault moves
  // into the detail after the prefix, so that message() still reads
  // "<prefix>: <field>: <detail>".
  Status WithPrefix(Msg prefix) const {
    Status s = *this;
    if (!s.rep_) return s;
    Rep& r = *s.rep_;
    if (!r.field.empty()) r.prefixes.insert(r.prefixes.begin(), Msg("{}", r.field));
    r.prefixes.insert(r.prefixes.begin(), std::move(prefix));
    r.field.clear();
    return s;
  }
  template <size_t N>
  Status WithPrefix(const char (&prefix)[N]) const {
    return WithPrefix(Msg(prefix));
  }

 private:
  // What a Status that is not ok says. An ok Status holds none, so making,
  // returning and dropping one (every step of every command) is a null
  // pointer, not a hundred bytes to clear and check.
  struct Rep {
    Code code = Code::kOk;
    Msg msg;
    std::vector<Msg> prefixes;
    std::string field;
    std::optional<uint64_t> row, seq;
  };
  Status(Code code, Msg msg) : rep_(std::make_unique<Rep>()) {
    rep_->code = code;
    rep_->msg = std::move(msg);
  }
  // An ok Status reads as one with an empty message and nothing at fault.
  const Rep& rep() const {
    static const Rep kOkRep;
    return rep_ ? *rep_ : kOkRep;
  }
  std::unique_ptr<Rep> rep_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
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
  std::fprintf(stderr, "vledger: internal error: assertion failed: %s (%s:%d)\n", expr, file, line);
  std::fflush(stderr);
  std::_Exit(5);
}

}  // namespace vledger

// Asserts stay on in release builds: a broken invariant of the program
// stops it with exit 5 before anything is written. Never for what input or
// stored data can cause: that is a Status.
#define VLEDGER_ASSERT(expr) ((expr) ? (void)0 : ::vledger::AssertFailed(#expr, __FILE__, __LINE__))

#define VLEDGER_CONCAT_INNER(a, b) a##b
#define VLEDGER_CONCAT(a, b) VLEDGER_CONCAT_INNER(a, b)

// Returns early from the enclosing function when a Status is not ok.
#define VLEDGER_TRY(expr)           \
  do {                              \
    ::vledger::Status _st = (expr); \
    if (!_st.ok()) return _st;      \
  } while (0)

// Declares `lhs` from a Result, returning its Status early when it failed.
#define VLEDGER_ASSIGN_OR_RETURN(lhs, expr) \
  VLEDGER_ASSIGN_OR_RETURN_IMPL(VLEDGER_CONCAT(_res_, __LINE__), lhs, expr)
#define VLEDGER_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
