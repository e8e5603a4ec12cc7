// The guard of the application layer's entry points: no exception leaves
// one. Each public function of app/include is a function-try-block,
//
//   Result<XResult> X(const Session& session, const XRequest& request) try {
//     ...
//   } catch (...) {
//     return CaughtStatus();
//   }
//
// so a stored row that cannot be read (RowReadError, thrown by the
// projection state's reads) comes back as its Status (Corruption, Io or
// Unavailable, naming the row), and anything else thrown from below as an
// internal error. Callbacks a front end passes in (progress) are called as
// before; what they throw comes back the same way.
#pragma once

#include <exception>
#include <string>

#include "vledger/ledger/rows.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// The Status of the exception being handled; call only in a catch handler.
inline Status CaughtStatus() {
  try {
    throw;
  } catch (const RowReadError& e) {
    return e.status();
  } catch (const std::exception& e) {
    return Status::Internal(Msg("unexpected error: {}", e.what()));
  } catch (...) {
    return Status::Internal("unexpected error");
  }
}

// A Status of `code` saying `msg` (`code` not kOk).
Status StatusOf(Code code, Msg msg);
// `st` with `code`, its row, seq and field turned into parts of its detail
// (outermost first): message() reads as st.message() did, and a prefix
// put in front of it goes in front of the whole line.
Status Flattened(Code code, const Status& st);

}  // namespace vledger::app
