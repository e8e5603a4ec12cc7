// Must not compile with the application layer's include folders (tests/checks/tests.cmake).
#include "vledger/net/server.h"
