#include "exit_code.h"

namespace vledger::cli {

int ExitCode(const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return 0;
    case Code::kVerificationFailed:
      return 1;
    case Code::kUsage:
      return 2;
    case Code::kInvalidInput:
    case Code::kNotFound:
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kPermissionDenied:
    case Code::kFailedPrecondition:
      return 3;
    case Code::kCorruption:
    case Code::kUnavailable:
    case Code::kIo:
      return 4;
    case Code::kInternal:
      return 5;
  }
  return 5;
}

}  // namespace vledger::cli
