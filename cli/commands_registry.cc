// Registry commands: villages, households, residents, person records.
#include <memory>

#include "append.h"
#include "context.h"
#include "vledger/projections/age.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {
namespace {

// The person of a loaded record; nullopt when erased or unreadable.
std::optional<Person> PersonOf(const Result<std::optional<PersonRecord>>& record) {
  if (!record.ok() || !*record) return std::nullopt;
  return (*record)->person;
}

struct CommonOpts {
  std::string request_id;
};

void AddRequestId(CLI::App* cmd, std::string& request_id) {
  cmd->add_option("--request-id", request_id, "idempotency key");
}

// The age and contact options of `resident add` and `resident update`.
void AddPersonOptions(CLI::App* cmd, PersonArgs& person, bool& minor, bool& adult) {
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

template <typename Opts, typename Fn>
void OnAppend(CLI::App* cmd, Context& ctx, Action* action, std::shared_ptr<Opts> o, Fn build) {
  cmd->callback([&ctx, action, o, cmd, build] {
    *action = [&ctx, o, fp = Fingerprint(*cmd), build] {
      return AppendCommand(ctx, {o->request_id, fp},
                           [&](CommitBuilder& b) { return build(*o, b); });
    };
  });
}

std::optional<Person> LoadPerson(Ledger& ledger, const std::string& ref) {
  return PersonOf(ledger.LoadPerson(ref));
}

std::string PersonName(Ledger& ledger, const std::string& ref) {
  auto person = LoadPerson(ledger, ref);
  return person ? person->name : "已删除";
}

const char* AgeName(AgeClass age) {
  switch (age) {
    case AgeClass::kAdult:
      return "adult";
    case AgeClass::kMinor:
      return "minor";
    case AgeClass::kUnknown:
      break;
  }
  return "unknown";
}

Status ListVillagesCmd(Context& ctx) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  Json out = Json::array();
  for (const auto& v : ListVillages(*state)) {
    out.push_back(Json{{"code", v.code}, {"name", v.name}, {"review", v.review},
                       {"starPoints", v.star_points}, {"maxStars", v.max_stars},
                       {"redFlagSharePct", v.red_flag_share_pct}});
    if (!ctx.options.json) ctx.PrintLine(v.code + "  " + v.name + (v.review ? "  (review on)" : ""));
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"villages", out}});
  return Status::Ok();
}

Status ListResidentsCmd(Context& ctx, const std::string& village) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  if (!village.empty() && !LoadVillage(*state, village)) {
    return Status::Rejected("--village: unknown village \"" + village + "\"");
  }
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, ctx.NowMs(*ledger));
  std::string today = CstDate(now_ms);
  Json out = Json::array();
  for (const auto& r : ListResidents(*state, village)) {
    auto person = LoadPerson(*ledger, r.person_ref);
    std::string name = person ? person->name : "已删除";
    AgeClass age = AgeOn(AgeFactsOf(r, person), today);
    out.push_back(Json{{"id", r.id}, {"village", r.village}, {"household", r.household},
                       {"name", name}, {"minor", age == AgeClass::kMinor}, {"status", r.status},
                       {"age", AgeName(age)}});
    if (!ctx.options.json) {
      std::string mark = age == AgeClass::kMinor     ? "  (minor)"
                         : age == AgeClass::kUnknown ? "  (age unknown)"
                                                     : "";
      ctx.PrintLine(r.id + "  " + r.household + "  " + name + mark +
                    (r.status != "active" ? "  " + r.status : ""));
    }
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"residents", out}});
  return Status::Ok();
}

Status ListHouseholdsCmd(Context& ctx, const std::string& village) {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, ctx.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  if (!village.empty() && !LoadVillage(*state, village)) {
    return Status::Rejected("--village: unknown village \"" + village + "\"");
  }
  Json out = Json::array();
  for (const auto& h : ListHouseholds(*state, village)) {
    std::string head = PersonName(*ledger, h.head_ref);
    out.push_back(Json{{"id", h.id}, {"village", h.village}, {"head", head},
                       {"headResident", h.head_resident}});
    if (!ctx.options.json) ctx.PrintLine(h.id + "  " + h.village + "  " + head);
  }
  if (ctx.options.json) ctx.PrintJson(Json{{"households", out}});
  return Status::Ok();
}

}  // namespace


void RegisterRegistryCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* village = AddCommand(app, "village", "register villages and set their policy");
  village->require_subcommand(1);
  {
    struct Opts : CommonOpts {
      std::string code, name;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*village, "add", "register a village");
    cmd->add_option("CODE", o->code, "village code")->required();
    cmd->add_option("--name", o->name, "village name, e.g. 甲夼曲家村")->required();
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) {
      return b.Add(VillageRegistered{op.code, op.name}).status();
    });
  }
  {
    struct Opts : CommonOpts {
      std::string village, review;
      std::optional<int64_t> star_points;
      std::optional<uint32_t> max_stars, red_flag_share;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*village, "policy", "set a village's review and bulletin policy");
    cmd->add_option("VILLAGE", o->village, "village code")->required();
    cmd->add_option("--review", o->review, "on|off: new entries wait for review")
        ->check(CLI::IsMember({"on", "off"}));
    cmd->add_option("--star-points", o->star_points, "points per star (default 20)");
    cmd->add_option("--max-stars", o->max_stars, "most stars (default 5)");
    cmd->add_option("--red-flag-share", o->red_flag_share, "percent with a red flag (default 10)");
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) -> Status {
      VLEDGER_TRY(CheckId("village", op.village));
      auto v = LoadVillage(b.state(), op.village);
      if (!v) return Status::Rejected("village: unknown village \"" + op.village + "\"");
      VillagePolicySet p{v->code, v->review, v->star_points, v->max_stars, v->red_flag_share_pct};
      if (!op.review.empty()) p.review = op.review == "on";
      if (op.star_points) p.star_points = *op.star_points;
      if (op.max_stars) p.max_stars = *op.max_stars;
      if (op.red_flag_share) p.red_flag_share_pct = *op.red_flag_share;
      return b.Add(p).status();
    });
  }
  {
    CLI::App* cmd = AddCommand(*village, "list", "list villages");
    cmd->callback([&ctx, action] { *action = [&ctx] { return ListVillagesCmd(ctx); }; });
  }

  CLI::App* household = AddCommand(app, "household", "register households and their heads");
  household->require_subcommand(1);
  {
    struct Opts : CommonOpts {
      std::string id, village;
      PersonArgs head;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*household, "add", "register a household");
    cmd->add_option("ID", o->id, "household id")->required();
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--head", o->head.name, "name of the household head (户主)")->required();
    cmd->add_option("--phone", o->head.phone, "head's phone (kept beside the chain)");
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) {
      return BuildHousehold(b, HouseholdArgs{op.id, op.village, op.head});
    });
  }
  {
    struct Opts : CommonOpts {
      std::string household, resident;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*household, "head", "set the resident who is head (户主)");
    cmd->add_option("HOUSEHOLD", o->household, "household id")->required();
    cmd->add_option("--resident", o->resident, "resident id")->required();
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) {
      return b.Add(HouseholdHeadSet{op.household, op.resident}).status();
    });
  }
  {
    auto village_code = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(*household, "list", "list households");
    cmd->add_option("--village", *village_code, "village code");
    cmd->callback([&ctx, action, village_code] {
      *action = [&ctx, village_code] { return ListHouseholdsCmd(ctx, *village_code); };
    });
  }

  CLI::App* resident = AddCommand(app, "resident", "register and update residents");
  resident->require_subcommand(1);
  {
    struct Opts : CommonOpts {
      std::string id, village, household;
      bool minor = false, adult = false;
      PersonArgs person;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*resident, "add", "register a resident");
    cmd->add_option("ID", o->id, "resident id")->required();
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--household", o->household, "household id")->required();
    cmd->add_option("--name", o->person.name, "name (kept beside the chain)")->required();
    AddPersonOptions(cmd, o->person, o->minor, o->adult);
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) {
      return BuildResident(
          b, ResidentArgs{op.id, op.village, op.household, op.minor, op.person, op.adult});
    });
  }
  {
    struct Opts : CommonOpts {
      ResidentUpdateArgs args;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*resident, "update",
                               "move a resident, mark departed/deceased, or correct its record");
    cmd->add_option("ID", o->args.id, "resident id")->required();
    cmd->add_option("--household", o->args.household, "new household");
    cmd->add_option("--status", o->args.status, "active|departed|deceased");
    cmd->add_option("--name", o->args.person.name, "new name (a new person record)");
    AddPersonOptions(cmd, o->args.person, o->args.minor, o->args.adult);
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o,
             [](const Opts& op, CommitBuilder& b) { return BuildResidentUpdate(b, op.args); });
  }
  {
    auto village_code = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(*resident, "list", "list residents");
    cmd->add_option("--village", *village_code, "village code");
    cmd->callback([&ctx, action, village_code] {
      *action = [&ctx, village_code] { return ListResidentsCmd(ctx, *village_code); };
    });
  }

  CLI::App* person = AddCommand(app, "person", "personal data kept beside the chain");
  person->require_subcommand(1);
  {
    struct Opts : CommonOpts {
      std::string id, reason;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*person, "erase", "erase a resident's or household head's record");
    cmd->add_option("ID", o->id, "resident or household id")->required();
    cmd->add_option("--reason", o->reason, "why (public)")->required();
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) -> Status {
      VLEDGER_TRY(CheckId("ID", op.id));
      std::string ref;
      if (auto r = LoadResident(b.state(), op.id)) {
        ref = r->person_ref;
      } else if (auto h = LoadHousehold(b.state(), op.id)) {
        ref = h->head_ref;
      } else {
        return Status::Rejected("ID: no resident or household \"" + op.id + "\"");
      }
      b.txn().DeletePerson(ref);
      return b.Add(PersonErased{ref, op.reason}).status();
    });
  }
}

}  // namespace vledger::cli
