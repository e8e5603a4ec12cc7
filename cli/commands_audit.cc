// Placeholder: the audit commands are not in this build yet.
#include "context.h"

namespace vledger::cli {
void RegisterAuditCommands(CLI::App&, Context&, Action*) {}
}  // namespace vledger::cli
namespace vledger::cli {
Status VerifyArchiveCommand(Context&, const std::string&, const std::string&, const std::string&) {
  return Status::Usage("verify --archive is not in this build yet");
}
}  // namespace vledger::cli
