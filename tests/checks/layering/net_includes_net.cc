// Must compile with the net layer's include folders: the control of app_includes_net.cc.
#include "vledger/net/server.h"
