// The names people read for the kinds of events (schemas/event.capnp):
// "pointsAwarded" is 加分 in Chinese. English keeps the schema's type
// name, which is what `log`, `show` and `history` always printed.
#pragma once

#include <string>
#include <string_view>

namespace vledger::cli {

// The human name of event type `type` (a union member of event.capnp, as
// app::LoggedEvent::type and app::HistoryRow::type give it) in the current
// language; an unknown type is returned as it is.
std::string EventName(std::string_view type);

}  // namespace vledger::cli
