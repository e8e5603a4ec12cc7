// The benefits catalogue and credit certificates: `benefit add|withdraw|
// list` (app/benefits.h), `attest`, `attest revoke` and `verify-attestation`
// (app/attest.h).
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "actions.h"
#include "i18n.h"
#include "vledger/app/attest.h"
#include "vledger/app/benefits.h"

namespace vledger::cli {
namespace {

void PrintBenefits(const Context& ctx, const app::BenefitListResult& result) {
  if (result.benefits.empty()) ctx.PrintLine(_("no benefits"));
  for (const BenefitRecord& b : result.benefits) {
    std::string villages = b.villages.empty() ? _("every village") : "";
    for (const std::string& v : b.villages) villages += (villages.empty() ? "" : ",") + v;
    std::string line = Tr("{}  {}  partner {}  grade {} or better  {}", b.code, b.name, b.partner,
                          b.min_grade, villages);
    if (b.withdrawn_seq) line += Tr("  withdrawn at seq {}", *b.withdrawn_seq);
    ctx.PrintLine(line);
  }
}

void PrintVerified(const Context& ctx, const app::VerifyAttestationResult& r) {
  const app::Certificate& c = r.certificate;
  std::string what = c.benefit.empty()
                         ? Tr("grade {}", c.grade)
                         : Tr("grade {}, benefit {} ({})", c.grade, c.benefit_name, c.benefit);
  ctx.PrintLine(Tr("certificate valid: resident {} ({}), village {}, {}, valid until {}",
                   c.resident, c.name, c.village, what, c.valid_until));
  ctx.PrintLine(r.id_card_checked ? _("ID card: matches the certificate (16-bit check)")
                                  : _("ID card: not checked (give --id-card)"));
  if (r.online) {
    ctx.PrintLine(
        Tr("checked against the ledger at checkpoint {}: recorded, not revoked, "
           "grade still holds",
           r.checked_at));
  } else {
    ctx.PrintLine(_("offline: revocation and the grade since were not checked (no ledger)"));
  }
}

// The command's fingerprint (kept with a request id) without the ID-card
// number: the number is never stored, in clear or hashed (SPEC section 12).
std::string FingerprintWithoutIdCard(const CLI::App& cmd) {
  std::string fp = Fingerprint(cmd);
  const std::string option = "--id-card\x1f";
  size_t at = fp.find(option);
  if (at == std::string::npos) return fp;
  size_t value = at + option.size();
  size_t end = fp.find('\x1e', value);
  return fp.replace(value, end - value, "given");
}

void RegisterBenefit(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* benefit = AddCommand(
      app, "benefit", _("the benefits catalogue (礼遇目录): what each credit grade gets"));
  benefit->require_subcommand(1);
  {
    auto o = std::make_shared<app::BenefitAddRequest>();
    CLI::App* cmd = AddCommand(*benefit, "add", _("add a benefit of a credit grade (admin)"));
    cmd->add_option("CODE", o->code, _("benefit code"))->required();
    cmd->add_option("--name", o->name, _("what it is (public)"))->required();
    cmd->add_option("--partner", o->partner, _("who grants it (an organisation, public)"))
        ->required();
    cmd->add_option("--min-grade", o->min_grade, _("the least grade that qualifies"))->required();
    cmd->add_option("--village", o->villages, _("a village it is for (repeat; default: every)"));
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::BenefitAdd, app::BenefitAddJson);
  }
  {
    auto o = std::make_shared<app::BenefitWithdrawRequest>();
    CLI::App* cmd = AddCommand(*benefit, "withdraw", _("withdraw a benefit (admin)"));
    cmd->add_option("CODE", o->code, _("benefit code"))->required();
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::BenefitWithdraw, app::BenefitWithdrawJson);
  }
  {
    auto o = std::make_shared<app::BenefitListRequest>();
    CLI::App* cmd = AddCommand(*benefit, "list", _("the benefits catalogue"));
    cmd->add_flag("--all", o->all, _("also withdrawn benefits"));
    cmd->add_option("--at", o->at, _("as of just after event SEQ"));
    OnQuery(cmd, ctx, action, o, app::BenefitList, app::BenefitListJson, PrintBenefits);
  }
}

void RegisterAttest(CLI::App& app, Context& ctx, Action* action) {
  auto o = std::make_shared<app::AttestRequest>();
  CLI::App* cmd = AddCommand(app, "attest",
                             _("issue a credit certificate (信用证明) signed by an attestor key"));
  cmd->require_subcommand(0, 1);
  cmd->add_option("RESIDENT", o->resident, _("resident id"));
  cmd->add_option("--for", o->benefit, _("the benefit it is for (default: the grade alone)"));
  cmd->add_option("--valid-days", o->valid_days, _("days it is valid, 1 to 366"));
  cmd->add_option("--id-card", o->id_card,
                  _("the resident's ID-card number, checked against the record"));
  cmd->add_option("--out", o->out, _("the certificate's file (also FILE.png and FILE.svg)"));
  AddRequestId(cmd, o->request_id);
  {
    auto r = std::make_shared<app::AttestRevokeRequest>();
    CLI::App* revoke = AddCommand(*cmd, "revoke", _("revoke a credit certificate"));
    revoke->add_option("FILE", r->file, _("the certificate's file"))->required();
    revoke->add_option("--reason", r->reason, _("why (public)"));
    AddRequestId(revoke, r->request_id);
    OnWrite(revoke, ctx, action, r, app::AttestRevoke, app::AttestRevokeJson);
  }
  // `attest RESIDENT …` when no subcommand was chosen (its action is set
  // only then, so that `attest revoke` keeps its own).
  cmd->callback([&ctx, action, o, cmd] {
    if (!cmd->get_subcommands().empty()) return;
    *action = [&ctx, o, fp = FingerprintWithoutIdCard(*cmd)]() -> Status {
      if (o->resident.empty()) return Status::Usage("attest: RESIDENT is required");
      if (o->valid_days == 0 && o->out.empty()) {
        return Status::Usage("attest: --valid-days and --out are required");
      }
      o->fingerprint = fp;
      VLEDGER_ASSIGN_OR_RETURN(auto result, app::Attest(ctx.Session(), *o));
      PrintWrite(ctx, result, app::AttestJson);
      if (!ctx.options.json && !result.files.empty()) {
        ctx.PrintLine(Tr("certificate written to {}", result.files.front()));
      }
      return Status::Ok();
    };
  });
}

void RegisterVerifyAttestation(CLI::App& app, Context& ctx, Action* action) {
  auto o = std::make_shared<app::VerifyAttestationRequest>();
  auto offline = std::make_shared<bool>(false);
  CLI::App* cmd =
      AddCommand(app, "verify-attestation", _("check a credit certificate (exit 0 valid, 1 not)"));
  cmd->add_option("FILE", o->file, _("the certificate's file"))->required();
  cmd->add_option("--pub", o->pub, _("the attestor's public key"))->required();
  cmd->add_option("--id-card", o->id_card, _("the holder's ID-card number"));
  cmd->add_flag("--offline", *offline, _("do not check against a ledger"));
  cmd->callback([&ctx, &app, action, o, offline] {
    // Checked against a ledger unless --offline: one given (--ledger,
    // $VLEDGER_DIR, --remote) or the default folder when it exists.
    namespace fs = std::filesystem;
    std::error_code ec;
    o->online =
        !*offline && (app.count("--ledger") > 0 || std::getenv("VLEDGER_DIR") != nullptr ||
                      !ctx.options.remote.empty() || fs::exists(ctx.options.ledger_dir, ec));
    *action = [&ctx, o]() -> Status {
      VLEDGER_ASSIGN_OR_RETURN(auto result, app::VerifyAttestation(ctx.Session(), *o));
      if (ctx.options.json) {
        ctx.PrintLine(app::VerifyAttestationJson(result));
      } else {
        PrintVerified(ctx, result);
      }
      return Status::Ok();
    };
  });
}

}  // namespace

void RegisterBenefitCommands(CLI::App& app, Context& ctx, Action* action) {
  RegisterBenefit(app, ctx, action);
  RegisterAttest(app, ctx, action);
  RegisterVerifyAttestation(app, ctx, action);
}

}  // namespace vledger::cli
