// Compiles with the ledger layer's include folders: the control for
// ledger_includes_projections.cc (tests/checks/tests.cmake).
#include "vledger/ledger/store.h"
