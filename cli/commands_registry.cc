// Registry commands: villages, households, residents, person records.
#include <memory>

#include "append.h"
#include "builders.h"
#include "context.h"
#include "vledger/codec.h"
#include "vledger/registry.h"
#include "vledger/validate.h"

namespace vledger::cli {
namespace {

Status CheckPersonArgs(const std::string& field, const PersonArgs& p) {
  VLEDGER_TRY(CheckName(field, p.name));
  if (p.birth_year != 0 && (p.birth_year < 1900 || p.birth_year > 2200)) {
    return Status::Rejected("--birth-year: " + std::to_string(p.birth_year) + " is not a year");
  }
  if (!p.phone.empty()) {
    bool digits = p.phone.size() >= 5 && p.phone.size() <= 20 &&
                  p.phone.find_first_not_of("0123456789+-") == std::string::npos;
    if (!digits) return Status::Rejected("--phone: \"" + p.phone + "\" is not a phone number");
  }
  if (!p.id_card.empty()) {
    bool ok = p.id_card.size() == 18 &&
              p.id_card.substr(0, 17).find_first_not_of("0123456789") == std::string::npos &&
              std::string("0123456789Xx").find(p.id_card[17]) != std::string::npos;
    if (!ok) return Status::Rejected("--id-card: not an 18-character ID-card number");
  }
  return Status::Ok();
}

// Writes the person record beside the chain and returns its personRef.
// The ID-card number itself is never stored: only a salted hash of it.
std::string PutPerson(WriteTxn& txn, const PersonArgs& p) {
  std::string salt = RandomSalt();
  Person person;
  person.name = p.name;
  person.birth_year = static_cast<uint16_t>(p.birth_year);
  person.phone = p.phone;
  if (!p.id_card.empty()) {
    std::string id = p.id_card;
    if (id[17] == 'x') id[17] = 'X';
    person.id_card_hash = AsString(Sha256(salt + id));
  }
  std::string record = EncodePerson(person);
  std::string ref = PersonRef(salt, record);
  txn.PutPerson(ref, salt + record);
  return ref;
}

struct CommonOpts {
  std::string request_id;
};

void AddRequestId(CLI::App* cmd, std::string& request_id) {
  cmd->add_option("--request-id", request_id, "idempotency key");
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

std::string PersonName(Ledger& ledger, const std::string& ref) {
  auto row = ledger.GetPerson(ref);
  if (!row.ok() || !*row || (*row)->size() < 16) return "已删除";
  auto person = DecodePerson(std::string_view(**row).substr(16));
  return person.ok() ? person->name : "?";
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
  Json out = Json::array();
  for (const auto& r : ListResidents(*state, village)) {
    std::string name = PersonName(*ledger, r.person_ref);
    out.push_back(Json{{"id", r.id}, {"village", r.village}, {"household", r.household},
                       {"name", name}, {"minor", r.minor}, {"status", r.status}});
    if (!ctx.options.json) {
      ctx.PrintLine(r.id + "  " + r.household + "  " + name + (r.minor ? "  (minor)" : "") +
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

Status BuildResident(CommitBuilder& b, const ResidentArgs& a) {
  VLEDGER_TRY(CheckPersonArgs("--name", a.person));
  std::string ref = PutPerson(b.txn(), a.person);
  return b.Add(ResidentRegistered{a.id, a.village, a.household, a.minor, ref}).status();
}

Status BuildHousehold(CommitBuilder& b, const HouseholdArgs& a) {
  VLEDGER_TRY(CheckPersonArgs("--head", a.head));
  std::string ref = PutPerson(b.txn(), a.head);
  return b.Add(HouseholdRegistered{a.id, a.village, ref}).status();
}

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
      bool minor = false;
      PersonArgs person;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*resident, "add", "register a resident");
    cmd->add_option("ID", o->id, "resident id")->required();
    cmd->add_option("--village", o->village, "village code")->required();
    cmd->add_option("--household", o->household, "household id")->required();
    cmd->add_option("--name", o->person.name, "name (kept beside the chain)")->required();
    cmd->add_flag("--minor", o->minor, "under 18: never shown by name in public");
    cmd->add_option("--birth-year", o->person.birth_year, "year of birth");
    cmd->add_option("--phone", o->person.phone, "phone number");
    cmd->add_option("--id-card", o->person.id_card, "ID-card number (only a salted hash is kept)");
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) {
      return BuildResident(b, ResidentArgs{op.id, op.village, op.household, op.minor, op.person});
    });
  }
  {
    struct Opts : CommonOpts {
      std::string id, household, status;
    };
    auto o = std::make_shared<Opts>();
    CLI::App* cmd = AddCommand(*resident, "update", "move a resident or mark departed/deceased");
    cmd->add_option("ID", o->id, "resident id")->required();
    cmd->add_option("--household", o->household, "new household");
    cmd->add_option("--status", o->status, "active|departed|deceased");
    AddRequestId(cmd, o->request_id);
    OnAppend(cmd, ctx, action, o, [](const Opts& op, CommitBuilder& b) {
      return b.Add(ResidentUpdated{op.id, op.household, op.status}).status();
    });
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
