#include "vledger/projections/clock.h"

#include <string>
#include <variant>

#include "vledger/ledger/event.h"
#include "vledger/projections/validate.h"

namespace vledger {

Result<bool> HasTestClock(const Ledger& ledger) {
  if (ledger.size() == 0) {
    return Status::Unavailable(Msg("{}: the ledger has no genesis", ledger.dir()));
  }
  VLEDGER_ASSIGN_OR_RETURN(Event first, ledger.ReadDecoded(0));
  const Genesis* genesis = std::get_if<Genesis>(&first.body);
  return genesis != nullptr && genesis->test_clock;
}

Status CheckClockNotBehind(const Ledger& ledger, int64_t now_ms) {
  if (ledger.size() == 0) {
    return Status::Unavailable(Msg("{}: the ledger has no genesis", ledger.dir()));
  }
  uint64_t seq = ledger.size() - 1;
  VLEDGER_ASSIGN_OR_RETURN(Event last, ledger.ReadDecoded(seq));
  if (now_ms >= last.recorded_at_ms) return Status::Ok();
  return Status::FailedPrecondition(
      Msg("the clock is behind the ledger: last event (seq {}) recorded at {}, now {} (fix the "
          "clock; nothing was written)",
          seq, UtcTimestamp(last.recorded_at_ms), UtcTimestamp(now_ms)));
}

}  // namespace vledger
