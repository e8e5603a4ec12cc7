// Registry commands: villages, households, residents, person records. The
// commands themselves are in app/ (vledger/app/registry.h); this file
// registers their options and prints their results.
#include <memory>

#include "actions.h"
#include "vledger/app/registry.h"

namespace vledger::cli {
namespace {

// The age and contact options of `resident add` and `resident update`.
void AddPersonOptions(CLI::App* cmd, app::PersonArgs& person, bool& minor, bool& adult) {
  CLI::Option* m =
      cmd->add_flag("--minor", minor, _("under 18 (when no birth year or ID card is known)"));
  CLI::Option* a =
      cmd->add_flag("--adult", adult, _("18 or older (when no birth year or ID card is known)"));
  m->excludes(a);
  cmd->add_option("--birth-year", person.birth_year, _("year of birth"));
  cmd->add_option("--phone", person.phone, _("phone number"));
  cmd->add_option("--id-card", person.id_card,
                  _("ID-card number (kept: its birth date and a salted hash, never the number)"));
}

void PrintVillages(const Context& ctx, const app::VillageListResult& result) {
  for (const VillageRecord& v : result.villages) {
    ctx.PrintLine(v.code + "  " + v.name + (v.review ? _("  (review on)") : ""));
  }
}

void PrintHouseholds(const Context& ctx, const app::HouseholdListResult& result) {
  for (const app::HouseholdRow& h : result.households) {
    ctx.PrintLine(h.id + "  " + h.village + "  " + h.head);
  }
}

void PrintResidents(const Context& ctx, const app::ResidentListResult& result) {
  for (const app::ResidentRow& r : result.residents) {
    std::string mark = r.age == AgeClass::kMinor     ? _("  (minor)")
                       : r.age == AgeClass::kUnknown ? _("  (age unknown)")
                                                     : "";
    ctx.PrintLine(r.id + "  " + r.household + "  " + r.name + mark +
                  (r.status != ResidentStatus::kActive ? "  " + Word(Name(r.status)) : ""));
  }
}

void RegisterVillageCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* village = AddCommand(app, "village", _("register villages and set their policy"));
  village->require_subcommand(1);
  {
    auto o = std::make_shared<app::VillageAddRequest>();
    CLI::App* cmd = AddCommand(*village, "add", _("register a village"));
    cmd->add_option("CODE", o->code, _("village code"))->required();
    cmd->add_option("--name", o->name, _("village name, e.g. 甲夼曲家村"))->required();
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::VillageAdd, app::VillageAddJson);
  }
  {
    auto o = std::make_shared<app::VillagePolicyRequest>();
    CLI::App* cmd = AddCommand(*village, "policy", _("set a village's review and bulletin policy"));
    cmd->add_option("VILLAGE", o->village, _("village code"))->required();
    cmd->add_option("--review", o->review, _("on|off: new entries wait for review"))
        ->check(CLI::IsMember({"on", "off"}));
    cmd->add_option("--star-points", o->star_points, _("points per star (default 20)"));
    cmd->add_option("--max-stars", o->max_stars, _("most stars (default 5)"));
    cmd->add_option("--red-flag-share", o->red_flag_share,
                    _("percent with a red flag (default 10)"));
    cmd->add_option("--objection-office", o->objection_office,
                    _("where objections to a bulletin are raised (an office, not a person)"));
    cmd->add_option("--objection-phone", o->objection_phone, _("that office's telephone"));
    cmd->add_option("--public-names", o->public_names,
                    _("full|masked|none: names in public output (default: bulletin full)"))
        ->check(CLI::IsMember({"full", "masked", "none"}));
    cmd->add_option("--site-url", o->site_url,
                    _("the villager site's page of the village (the bulletin's QR code)"));
    cmd->add_option("--board-top", o->board_top,
                    _("residents ranked on the board bulletin (default 10)"));
    cmd->add_option("--star-household-stars", o->star_household_stars,
                    _("stars that make a star household (default: the most stars)"));
    cmd->add_option("--holidays", o->holidays,
                    _("the county's holidays, YYYY-MM-DD,… (none: clear)"));
    cmd->add_option("--workdays", o->workdays,
                    _("weekend days worked instead (调休), YYYY-MM-DD,… (none: clear)"));
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::VillagePolicy, app::VillagePolicyJson);
  }
  {
    auto o = std::make_shared<app::VillageListRequest>();
    CLI::App* cmd = AddCommand(*village, "list", _("list villages"));
    OnQuery(cmd, ctx, action, o, app::VillageList, app::VillageListJson, PrintVillages);
  }
}

void RegisterHouseholdCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* household = AddCommand(app, "household", _("register households and their heads"));
  household->require_subcommand(1);
  {
    auto o = std::make_shared<app::HouseholdAddRequest>();
    CLI::App* cmd = AddCommand(*household, "add", _("register a household"));
    cmd->add_option("ID", o->id, _("household id"))->required();
    cmd->add_option("--village", o->village, _("village code"))->required();
    cmd->add_option("--head", o->head.name, _("name of the household head (户主)"))->required();
    cmd->add_option("--phone", o->head.phone, _("head's phone (kept beside the chain)"));
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::HouseholdAdd, app::HouseholdAddJson);
  }
  {
    auto o = std::make_shared<app::HouseholdHeadRequest>();
    CLI::App* cmd = AddCommand(*household, "head", _("set the resident who is head (户主)"));
    cmd->add_option("HOUSEHOLD", o->household, _("household id"))->required();
    cmd->add_option("--resident", o->resident, _("resident id"))->required();
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::HouseholdHead, app::HouseholdHeadJson);
  }
  {
    auto o = std::make_shared<app::HouseholdListRequest>();
    CLI::App* cmd = AddCommand(*household, "list", _("list households"));
    cmd->add_option("--village", o->village, _("village code"));
    OnQuery(cmd, ctx, action, o, app::HouseholdList, app::HouseholdListJson, PrintHouseholds);
  }
}

void RegisterResidentCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* resident = AddCommand(app, "resident", _("register and update residents"));
  resident->require_subcommand(1);
  {
    auto o = std::make_shared<app::ResidentAddRequest>();
    CLI::App* cmd = AddCommand(*resident, "add", _("register a resident"));
    cmd->add_option("ID", o->id, _("resident id"))->required();
    cmd->add_option("--village", o->village, _("village code"))->required();
    cmd->add_option("--household", o->household, _("household id"))->required();
    cmd->add_option("--name", o->person.name, _("name (kept beside the chain)"))->required();
    AddPersonOptions(cmd, o->person, o->minor, o->adult);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::ResidentAdd, app::ResidentAddJson);
  }
  {
    auto o = std::make_shared<app::ResidentUpdateRequest>();
    CLI::App* cmd = AddCommand(*resident, "update",
                               _("move a resident, mark departed/deceased, or correct its record"));
    cmd->add_option("ID", o->id, _("resident id"))->required();
    cmd->add_option("--household", o->household, _("new household"));
    cmd->add_option("--status", o->status, _("active|departed|deceased"));
    cmd->add_option("--name", o->person.name, _("new name (a new person record)"));
    AddPersonOptions(cmd, o->person, o->minor, o->adult);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::ResidentUpdate, app::ResidentUpdateJson);
  }
  {
    auto o = std::make_shared<app::ResidentListRequest>();
    CLI::App* cmd = AddCommand(*resident, "list", _("list residents"));
    cmd->add_option("--village", o->village, _("village code"));
    OnQuery(cmd, ctx, action, o, app::ResidentList, app::ResidentListJson, PrintResidents);
  }
  RegisterResidentFind(*resident, ctx, action);
}

}  // namespace

void RegisterRegistryCommands(CLI::App& app, Context& ctx, Action* action) {
  RegisterVillageCommands(app, ctx, action);
  RegisterHouseholdCommands(app, ctx, action);
  RegisterResidentCommands(app, ctx, action);

  CLI::App* person = AddCommand(app, "person", _("personal data kept beside the chain"));
  person->require_subcommand(1);
  {
    auto o = std::make_shared<app::PersonEraseRequest>();
    CLI::App* cmd =
        AddCommand(*person, "erase", _("erase a resident's or household head's record"));
    cmd->add_option("ID", o->id, _("resident or household id"))->required();
    cmd->add_option("--reason", o->reason, _("why (public)"))->required();
    AddAllowNames(cmd, o->allow_names);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::PersonErase, app::PersonEraseJson);
  }
}

}  // namespace vledger::cli
