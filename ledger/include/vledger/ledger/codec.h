// Canonical encoding: the bridge between the event model and the bytes that
// are hashed and signed. C(e) is Cap'n Proto's canonical form of `Event`
// (one segment, root pointer included), as SPEC section 5 requires.
#pragma once

#include <string>
#include <string_view>

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"

namespace vledger {

// C(e): deterministic; equal events give equal bytes. The common flat
// kinds (those DecodesByBytesAlone takes) are written straight into their
// canonical bytes, the others through a Cap'n Proto builder and
// capnp::canonicalize(); the bytes are the same either way.
std::string EncodeEvent(const Event& event);
// C(e) through the builder and canonicalize(), whatever the kind; and
// whether EncodeEvent writes `event` directly. For tests.
std::string EncodeEventWithBuilder(const Event& event);
bool EncodesByBytesAlone(const Event& event);

// Decodes stored bytes. VerificationFailed when the bytes are not a well-formed Event in
// canonical form (so a stored event is exactly the bytes that were hashed).
Result<Event> DecodeEvent(std::string_view canonical);
// The same into *event, which may hold an earlier event: the strings of an
// event of the same kind are reused, not made anew (a log read in batches
// decodes into the same events again and again). When it fails, *event is
// left unspecified.
Status DecodeEventInto(std::string_view canonical, Event* event);
// Whether DecodeEvent checks `canonical` by its bytes alone, without
// Cap'n Proto's canonical check: true only for an event of a common flat
// kind laid out exactly as vledger writes it (codec.cc). For tests.
bool DecodesByBytesAlone(std::string_view canonical);

// C(Person), and back.
std::string EncodePerson(const Person& person);
Result<Person> DecodePerson(std::string_view canonical);

// personRef = H("VLEDGER-PERSON-V1\0" || salt || C(person)).
std::string PersonRef(std::string_view salt, std::string_view person_canonical);

// Human-readable JSON of an event body, as `capnp convert` would show the
// fields but with binary fields in lowercase hex (for `log --json`, `show`).
std::string EventBodyJson(const EventBody& body);

}  // namespace vledger
