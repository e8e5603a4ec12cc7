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
      cmd->add_flag("--minor", minor, "under 18 (when no birth year or ID card is known)");
  CLI::Option* a =
      cmd->add_flag("--adult", adult, "18 or older (when no birth year or ID card is known)");
  m->excludes(a);
  cmd->add_option("--birth-year", person.birth_year, "year of birth");
  cmd->add_option("--phone", person.phone, "phone number");
  cmd->add_option("--id-card", person.id_card,
                  "ID-card number (kept: its birth date and a salted hash, never the number)");
}

void PrintVillages(const Context& ctx, const app::VillageListResult& result) {
  for (const VillageRecord& v : result.villages) {
    ctx.PrintLine(v.code + "  " + v.name + (v.review ? "  (review on)" : ""));
  }
}

void PrintHouseholds(const Context& ctx, const app::HouseholdListResult& result) {
  for (const app::HouseholdRow& h : result.households) {
    ctx.PrintLine(h.id + "  " + h.village + "  " + h.head);
  }
}

void PrintResidents(const Context& ctx, const app::ResidentListResult& result) {
  for (const app::ResidentRow& r : result.residents) {
    std::string mark = r.age == AgeClass::kMinor     ? "  (minor)"
                       : r.age == AgeClass::kUnknown ? "  (age unknown)"
                                                     : "";
    ctx.PrintLine(r.id + "  " + r.household + "  " + r.name + mark +
                  (r.status != ResidentStatus::kActive ? "  " + std::string(Name(r.status)) : ""));
  }
}

void RegisterVillageCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* village = AddCommand(app, "village", "register villages and set their policy");
  village->require_subcommand(1);
  {
    auto o = std::make_shared<app::VillageAddRequest>();
    CLI::App* cmd = AddCommand(*village, "add", "register a village");
    cmd->add_option("CODE", o->code, "village code")->required();
    cmd->add_option("--name", o->name, "village name, e.g. 甲夼曲家村")->required();
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::VillageAdd, app::VillageAddJson);
  }
  {
    auto o = std::make_shared<app::VillagePolicyRequest>();
    CLI::App* cmd = AddCommand(*village, "policy", "set a village's review and bulletin policy");
    cmd->add_option("VILLAGE", o->village, "village code")->required();
    cmd->add_option("--review", o->review, "on|off: new entries wait for review")
        ->check(CLI::IsMember({"on", "off"}));
    cmd->add_option("--star-points", o->star_points, "points per star (default 20)");
    cmd->add_option("--max-stars", o->max_stars, "most stars (default 5)");
    cmd->add_option("--red-flag-share", o->red_flag_share, "percent with a red flag (default 10)");
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::VillagePolicy, app::VillagePolicyJson);
  }
  {
    auto o = std::make_shared<app::VillageListRequest>();
    CLI::App* cmd = AddCommand(*village, "list", "list villages");
    OnQuery(cmd, ctx, action, o, app::VillageList, app::VillageListJson, PrintVillages);
  }
}

void RegisterHouseholdCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* household = AddCommand(app, "household", "register households and their heads");
  household->require_subcommand(1);
  {
    auto o = std::make_shared<app::HouseholdAddRequest>();
    CLI::App* cmd = AddCommand(*household, "add", "register a household");
    cmd->add_option("ID", o->id, "household id")->required();
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--head", o->head.name, "name of the household head (户主)")->required();
    cmd->add_option("--phone", o->head.phone, "head's phone (kept beside the chain)");
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::HouseholdAdd, app::HouseholdAddJson);
  }
  {
    auto o = std::make_shared<app::HouseholdHeadRequest>();
    CLI::App* cmd = AddCommand(*household, "head", "set the resident who is head (户主)");
    cmd->add_option("HOUSEHOLD", o->household, "household id")->required();
    cmd->add_option("--resident", o->resident, "resident id")->required();
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::HouseholdHead, app::HouseholdHeadJson);
  }
  {
    auto o = std::make_shared<app::HouseholdListRequest>();
    CLI::App* cmd = AddCommand(*household, "list", "list households");
    cmd->add_option("--village", o->village, "village code");
    OnQuery(cmd, ctx, action, o, app::HouseholdList, app::HouseholdListJson, PrintHouseholds);
  }
}

void RegisterResidentCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* resident = AddCommand(app, "resident", "register and update residents");
  resident->require_subcommand(1);
  {
    auto o = std::make_shared<app::ResidentAddRequest>();
    CLI::App* cmd = AddCommand(*resident, "add", "register a resident");
    cmd->add_option("ID", o->id, "resident id")->required();
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--household", o->household, "household id")->required();
    cmd->add_option("--name", o->person.name, "name (kept beside the chain)")->required();
    AddPersonOptions(cmd, o->person, o->minor, o->adult);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::ResidentAdd, app::ResidentAddJson);
  }
  {
    auto o = std::make_shared<app::ResidentUpdateRequest>();
    CLI::App* cmd = AddCommand(*resident, "update",
                               "move a resident, mark departed/deceased, or correct its record");
    cmd->add_option("ID", o->id, "resident id")->required();
    cmd->add_option("--household", o->household, "new household");
    cmd->add_option("--status", o->status, "active|departed|deceased");
    cmd->add_option("--name", o->person.name, "new name (a new person record)");
    AddPersonOptions(cmd, o->person, o->minor, o->adult);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::ResidentUpdate, app::ResidentUpdateJson);
  }
  {
    auto o = std::make_shared<app::ResidentListRequest>();
    CLI::App* cmd = AddCommand(*resident, "list", "list residents");
    cmd->add_option("--village", o->village, "village code");
    OnQuery(cmd, ctx, action, o, app::ResidentList, app::ResidentListJson, PrintResidents);
  }
  RegisterResidentFind(*resident, ctx, action);
}

}  // namespace

void RegisterRegistryCommands(CLI::App& app, Context& ctx, Action* action) {
  RegisterVillageCommands(app, ctx, action);
  RegisterHouseholdCommands(app, ctx, action);
  RegisterResidentCommands(app, ctx, action);

  CLI::App* person = AddCommand(app, "person", "personal data kept beside the chain");
  person->require_subcommand(1);
  {
    auto o = std::make_shared<app::PersonEraseRequest>();
    CLI::App* cmd = AddCommand(*person, "erase", "erase a resident's or household head's record");
    cmd->add_option("ID", o->id, "resident or household id")->required();
    cmd->add_option("--reason", o->reason, "why (public)")->required();
    AddAllowNames(cmd, o->allow_names);
    AddRequestId(cmd, o->request_id);
    OnWrite(cmd, ctx, action, o, app::PersonErase, app::PersonEraseJson);
  }
}

}  // namespace vledger::cli
