// The auditors' toolkit (app/audit.h, app/archive.h): signed tree heads,
// proofs and the portable archive.
//   checkpoint [--size N]                      sign and store a C2SP checkpoint
//   prove SEQ [--size N] [--out F]             c2sp.org/tlog-proof@v1 of one event
//   verify-proof F --pub KEY                   check one offline (no ledger)
//   consistency OLD [NEW]                      RFC 9162 consistency proof
//   verify-consistency OLD NEW PROOF --pub KEY check one offline
//   export FILE --public|--full [--size N]     write a portable archive
//   verify --archive FILE [--checkpoint F] [--pub KEY] (from `verify`)
#include <time.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

#include "audit.h"
#include "event_names.h"
#include "i18n.h"
#include "vledger/app/report.h"

namespace vledger::cli {
namespace {

void PrintWarnings(const Context& ctx, const std::vector<Msg>& warnings) {
  for (const Msg& w : warnings) ctx.Warn(w);
}

// ------------------------------------------------------------ commands

Status RunCheckpoint(Context& ctx, std::optional<uint64_t> size) {
  VLEDGER_ASSIGN_OR_RETURN(app::CheckpointResult head,
                           app::Checkpoint(ctx.Session(), app::CheckpointRequest{size}));
  ctx.PrintRaw(head.text);  // the note itself, even with --json
  return Status::Ok();
}

Status RunProve(Context& ctx, uint64_t seq, std::optional<uint64_t> size,
                const std::string& out_path) {
  VLEDGER_ASSIGN_OR_RETURN(app::ProveResult proof,
                           app::Prove(ctx.Session(), app::ProveRequest{seq, size}));
  if (!out_path.empty()) VLEDGER_TRY(app::WriteFileAtomically(out_path, proof.proof));
  if (ctx.options.json) {
    ctx.PrintLine(app::ProveJson(proof));
  } else if (!out_path.empty()) {
    ctx.PrintLine(Tr("wrote {}: seq {} in the tree of {} events", out_path, seq, proof.size));
  } else {
    ctx.PrintRaw(proof.proof);
  }
  return Status::Ok();
}

Status RunVerifyProof(Context& ctx, const std::string& path, const std::string& pub_path) {
  VLEDGER_ASSIGN_OR_RETURN(
      app::VerifyProofResult r,
      app::VerifyProof(ctx.Session(), app::VerifyProofRequest{path, pub_path}));
  if (ctx.options.json) {
    ctx.PrintLine(app::VerifyProofJson(r));
    return Status::Ok();
  }
  ctx.PrintLine(Tr("ok: seq {} is in the log {} of {} events (root {})", r.seq, r.head.origin,
                   r.head.size, Hex(r.head.root)));
  ctx.PrintLine(Tr("seq:      {}", r.seq));
  ctx.PrintLine(Tr("hash:     {}", Hex(r.hash)));
  ctx.PrintLine(Tr("type:     {}", EventName(r.type)));
  ctx.PrintLine(Tr("recorded: {}", UtcTime(r.recorded_at_ms)));
  ctx.PrintLine(Tr("key:      {}", r.key_id));
  ctx.PrintLine(Tr("body:     {}", r.body_json));
  return Status::Ok();
}

Status RunConsistency(Context& ctx, uint64_t old_size, std::optional<uint64_t> new_size) {
  VLEDGER_ASSIGN_OR_RETURN(
      app::ConsistencyResult r,
      app::Consistency(ctx.Session(), app::ConsistencyRequest{old_size, new_size}));
  if (ctx.options.json) {
    ctx.PrintLine(app::ConsistencyJson(r));
  } else {
    ctx.PrintRaw(r.text);
  }
  return Status::Ok();
}

Status RunVerifyConsistency(Context& ctx, const std::string& old_path, const std::string& new_path,
                            const std::string& proof_path, const std::string& pub_path) {
  VLEDGER_ASSIGN_OR_RETURN(
      app::VerifyConsistencyResult r,
      app::VerifyConsistency(
          ctx.Session(), app::VerifyConsistencyRequest{old_path, new_path, proof_path, pub_path}));
  if (ctx.options.json) {
    ctx.PrintLine(app::VerifyConsistencyJson(r));
  } else {
    ctx.PrintLine(Tr("ok: the tree of {} events is a prefix of the tree of {} events in {}",
                     r.old_head.size, r.new_head.size, r.old_head.origin));
  }
  return Status::Ok();
}

Status RunExport(Context& ctx, const std::string& path, bool is_public, bool full,
                 std::optional<uint64_t> size) {
  if (is_public == full) return Status::Usage("export: give exactly one of --public and --full");
  StageProgress progress;
  app::ExportRequest request{path, full ? app::ArchiveKind::kFull : app::ArchiveKind::kPublic, size,
                             progress.Callback()};
  auto r = app::Export(ctx.Session(), request);
  progress.Finish();
  if (!r.ok()) return r.status();
  if (ctx.options.json) {
    ctx.PrintLine(app::ExportJson(*r));
  } else {
    std::string root = Hex(r->head.root);
    ctx.PrintLine(full ? Tr("wrote {} (full): {} events, {} commits, {} person records, at the "
                            "checkpoint of size {} (root {})",
                            path, r->events, r->commits, r->persons, r->head.size, root)
                       : Tr("wrote {} (public): {} events, {} commits, {} person records, at the "
                            "checkpoint of size {} (root {})",
                            path, r->events, r->commits, r->persons, r->head.size, root));
  }
  return Status::Ok();
}

// Optional unsigned options: CLI11 fills a plain integer; count() says
// whether it was given.
std::optional<uint64_t> Given(const CLI::Option* opt, uint64_t value) {
  return opt->count() > 0 ? std::optional<uint64_t>(value) : std::nullopt;
}

void RegisterExportCommand(CLI::App& app, Context& ctx, Action* action) {
  struct Opts {
    std::string file;
    bool is_public = false, full = false;
    uint64_t size = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = AddCommand(app, "export", _("write a portable archive at a checkpoint"));
  cmd->add_option("FILE", o->file, _("the archive to write"))->required();
  CLI::Option* pub = cmd->add_flag("--public", o->is_public, _("without personal data"));
  CLI::Option* full = cmd->add_flag("--full", o->full, _("with the person records (a backup)"));
  pub->excludes(full);
  CLI::Option* size = cmd->add_option("--size", o->size, _("tree size (with an admin --key)"))
                          ->check(WholeNumber(N_("size")));
  cmd->callback([&ctx, action, o, size] {
    *action = [&ctx, o, size] {
      std::optional<uint64_t> n;
      if (size->count() > 0) n = o->size;
      return RunExport(ctx, o->file, o->is_public, o->full, n);
    };
  });
}

}  // namespace

Status VerifyArchiveCommand(Context& ctx, const std::string& archive, const std::string& checkpoint,
                            const std::string& pub) {
  StageProgress progress;
  auto r = app::VerifyArchive(
      ctx.Session(), app::VerifyArchiveRequest{archive, checkpoint, pub, progress.Callback()});
  progress.Finish();
  if (!r.ok()) return r.status();
  PrintWarnings(ctx, r->warnings);
  if (ctx.options.json) {
    ctx.PrintLine(app::VerifyArchiveJson(*r));
  } else if (r->fault.ok()) {
    ctx.PrintLine(
        Tr("ok: archive {}: {} events, {} commits, {} person records; Merkle root {} "
           "matches its checkpoint, signed by key {}",
           archive, r->events, r->commits, r->persons, Hex(r->head.root), r->signed_by));
  }
  return r->fault;
}

void RegisterAuditCommands(CLI::App& app, Context& ctx, Action* action) {
  {
    auto size = std::make_shared<uint64_t>(0);
    CLI::App* cmd = AddCommand(app, "checkpoint",
                               _("sign and store a checkpoint (admin or checkpointer --key)"));
    CLI::Option* opt = cmd->add_option("--size", *size, _("tree size (default: the whole log)"))
                           ->check(WholeNumber(N_("size")));
    cmd->callback([&ctx, action, size, opt] {
      *action = [&ctx, size, opt] { return RunCheckpoint(ctx, Given(opt, *size)); };
    });
  }
  {
    struct Opts {
      uint64_t seq = 0, size = 0;
      std::string out;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(app, "prove", _("write a c2sp.org/tlog-proof@v1 of one event"));
    cmd->add_option("SEQ", o->seq, _("event seq"))->required()->check(WholeNumber(N_("seq")));
    CLI::Option* opt = cmd->add_option("--size", o->size, _("tree size (with --key)"))
                           ->check(WholeNumber(N_("size")));
    cmd->add_option("--out", o->out, _("write the proof to this file"));
    cmd->callback([&ctx, action, o, opt] {
      *action = [&ctx, o, opt] { return RunProve(ctx, o->seq, Given(opt, o->size), o->out); };
    });
  }
  {
    auto o = std::make_shared<std::pair<std::string, std::string>>();
    CLI::App* cmd = AddCommand(app, "verify-proof", _("check a tlog-proof offline (no ledger)"));
    cmd->add_option("FILE", o->first, _("the .tlog-proof file"))->required();
    cmd->add_option("--pub", o->second, _("the admin public key that signed its checkpoint"))
        ->required();
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o] { return RunVerifyProof(ctx, o->first, o->second); };
    });
  }
  {
    auto o = std::make_shared<std::pair<uint64_t, uint64_t>>(0, 0);
    CLI::App* cmd = AddCommand(app, "consistency", _("RFC 9162 consistency proof between sizes"));
    cmd->add_option("OLD_SIZE", o->first, _("the older tree size"))->required();
    CLI::Option* opt = cmd->add_option("NEW_SIZE", o->second, _("the newer size (default: now)"));
    cmd->callback([&ctx, action, o, opt] {
      *action = [&ctx, o, opt] { return RunConsistency(ctx, o->first, Given(opt, o->second)); };
    });
  }
  {
    auto o = std::make_shared<std::array<std::string, 4>>();
    CLI::App* cmd = AddCommand(app, "verify-consistency",
                               _("check that one checkpoint's tree extends another's (offline)"));
    cmd->add_option("OLD", (*o)[0], _("the older checkpoint file"))->required();
    cmd->add_option("NEW", (*o)[1], _("the newer checkpoint file"))->required();
    cmd->add_option("PROOF", (*o)[2], _("what `consistency` printed"))->required();
    cmd->add_option("--pub", (*o)[3], _("the admin public key that signed them"))->required();
    cmd->callback([&ctx, action, o] {
      *action = [&ctx, o] { return RunVerifyConsistency(ctx, (*o)[0], (*o)[1], (*o)[2], (*o)[3]); };
    });
  }
  RegisterExportCommand(app, ctx, action);
  RegisterTilesCommand(app, ctx, action);
  RegisterSiteCommand(app, ctx, action);
}

}  // namespace vledger::cli
