// Placeholder: the funds commands are not in this build yet.
#include "context.h"

namespace vledger::cli {
void RegisterFundCommands(CLI::App&, Context&, Action*) {}
}  // namespace vledger::cli
