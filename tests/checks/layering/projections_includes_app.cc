// Must not compile with the projections layer's include folders (tests/checks/tests.cmake).
#include "vledger/app/append.h"
