// placeholder until the demo lands
#include "context.h"
namespace vledger::cli {
void RegisterDemoCommand(CLI::App&, Context&, Action*) {}
}
