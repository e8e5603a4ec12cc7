// Shared by the auditors' commands (commands_audit.cc: checkpoint, prove,
// consistency, their verifiers, export and verify --archive;
// commands_reliability.cc: backup and restore), which call app/audit.h and
// app/archive.h and print what they return.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "context.h"
#include "i18n.h"
#include "progress.h"
#include "vledger/app/archive.h"
#include "vledger/app/audit.h"
#include "vledger/app/checkpoint.h"

namespace vledger::cli {

using app::SignedHead;

// `tiles --out DIR [--at SIZE]` (commands_tiles.cc), registered with the
// auditors' commands.
void RegisterTilesCommand(CLI::App& app, Context& ctx, Action* action);
// `site --out DIR [--village V] [--at SIZE]` (commands_site.cc), beside it.
void RegisterSiteCommand(CLI::App& app, Context& ctx, Action* action);

// app::CheckpointForUse with the CLI's session (--key given: sign).
inline Result<SignedHead> CheckpointForUse(Context& ctx, const Ledger& ledger,
                                           std::optional<uint64_t> size) {
  return app::CheckpointForUse(ctx.Session(), ledger, size);
}

// app::ReadEvidenceFile (a checkpoint, proof or report file read whole).
inline Result<std::string> ReadEvidenceFile(const std::string& what, const std::string& path,
                                            size_t bytes_max) {
  return app::ReadEvidenceFile(what, path, bytes_max);
}

// A progress bar per stage of an archive command (app::ArchiveProgress);
// the bar of the stage in progress is cleared by Finish or on destruction.
class StageProgress {
 public:
  app::ArchiveProgress Callback() {
    return [this](const Msg& stage, uint64_t done, uint64_t total) {
      if (!bar_ || stage.pattern() != stage_) {
        bar_.reset();
        stage_ = stage.pattern();
        bar_ = std::make_unique<ProgressBar>(Tr(stage), total);
      }
      bar_->Update(done);
    };
  }
  void Finish() { bar_.reset(); }

 private:
  std::string stage_;
  std::unique_ptr<ProgressBar> bar_;
};

}  // namespace vledger::cli
