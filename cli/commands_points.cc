// Placeholder: the points commands are not in this build yet.
#include "context.h"

namespace vledger::cli {
void RegisterPointsCommands(CLI::App&, Context&, Action*) {}
}  // namespace vledger::cli
