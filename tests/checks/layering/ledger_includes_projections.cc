// Must not compile with the ledger layer's include folders (tests/checks/tests.cmake).
#include "vledger/projections/state.h"
