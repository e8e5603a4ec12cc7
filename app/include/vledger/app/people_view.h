// Who sees the personal data beside the chain (SPEC section 3, "Personal
// data beside the chain") when a server answers a client: names, birth
// data and the name index go only to a signed request of a key that may
// see them (docs/SERVER.md, "Who sees names"); everyone else reads what a
// public archive holds. A local command reads everything, as before.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/crypto.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"
#include "vledger/ledger/vocab.h"

namespace vledger::app {

struct PeopleView {
  bool all = false;                   // every person
  std::vector<std::string> villages;  // else the people of these villages (none: nobody)

  bool nobody() const { return !all && villages.empty(); }
};

// A registered key as a server checks a signed request against it.
struct RequestKey {
  std::string key_id;
  PublicKey public_key;
  Role role = Role::kAdmin;
  std::vector<std::string> villages;  // empty: every village
};

// The key `key_id` as `ledger` holds it now: PermissionDenied when it is
// not registered, or revoked.
Result<RequestKey> LoadRequestKey(const Ledger& ledger, std::string_view key_id);

// Whose people `key` sees (null: an unsigned request, nobody's). An admin
// key: everyone. A collector, treasurer or reviewer key: its villages'
// people (everyone's, for a key of every village). An auditor key checks
// sums and the chain, not people, and a checkpointer key signs heads: no
// one's, as for the log's names (SPEC section 12, "Log filters").
PeopleView PeopleViewOf(const RequestKey* key);

// Makes `reader` (a Ledger opened for reading) read only what `view` lets
// it: a person record of a resident or household head of a village of the
// view, the name rows of such residents; nothing of individual donors
// unless the view is everyone's. A view of everyone changes nothing.
void ApplyPeopleView(Ledger& reader, const PeopleView& view);

// InvalidInput naming `field` when `ledger` hides every person: a name is
// looked up only for a signed request of a key that may see it.
Status CheckNamesVisible(const Ledger& ledger, std::string_view field);

}  // namespace vledger::app
