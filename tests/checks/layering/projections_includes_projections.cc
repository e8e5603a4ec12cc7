// Compiles with the projections layer's include folders: the control for
// projections_includes_app.cc (tests/checks/tests.cmake).
#include "vledger/projections/state.h"
