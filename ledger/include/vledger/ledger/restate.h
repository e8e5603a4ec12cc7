// Restated: a Status under another code, reading as before.
#pragma once

#include "vledger/ledger/status.h"

namespace vledger {

// `s` with `code` (a refusal found while verifying becomes a verification
// failure, a failed check of stored data a corruption): its row, seq and
// field move into its prefixes, so that message() reads as s.message()
// does and WithPrefix adds in front of all of it. `code` is not kOk.
inline Status Restated(const Status& s, Code code) {
  Status out;
  switch (code) {
    case Code::kOk:
    case Code::kInternal:
      out = Status::Internal(s.msg());
      break;
    case Code::kInvalidInput:
      out = Status::InvalidInput(s.msg());
      break;
    case Code::kNotFound:
      out = Status::NotFound(s.msg());
      break;
    case Code::kAlreadyExists:
      out = Status::AlreadyExists(s.msg());
      break;
    case Code::kConflict:
      out = Status::Conflict(s.msg());
      break;
    case Code::kPermissionDenied:
      out = Status::PermissionDenied(s.msg());
      break;
    case Code::kFailedPrecondition:
      out = Status::FailedPrecondition(s.msg());
      break;
    case Code::kVerificationFailed:
      out = Status::VerificationFailed(s.msg());
      break;
    case Code::kCorruption:
      out = Status::Corruption(s.msg());
      break;
    case Code::kUnavailable:
      out = Status::Unavailable(s.msg());
      break;
    case Code::kIo:
      out = Status::Io(s.msg());
      break;
    case Code::kUsage:
      out = Status::Usage(s.msg());
      break;
  }
  const std::vector<Msg>& prefixes = s.prefixes();
  for (auto p = prefixes.rbegin(); p != prefixes.rend(); ++p) out = out.WithPrefix(*p);
  if (!s.field().empty()) out = out.WithPrefix(Msg("{}", s.field()));
  if (s.seq()) out = out.WithPrefix(Msg("seq {}", *s.seq()));
  if (s.row()) out = out.WithPrefix(Msg("row {}", *s.row()));
  return out;
}

}  // namespace vledger
