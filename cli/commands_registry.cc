// Registry commands: villages, households, residents, person records.
#include <memory>

#include "append.h"
#include "builders.h"
#include "context.h"
#include "vledger/age.h"
#include "vledger/codec.h"
#include "vledger/registry.h"
#include "vledger/validate.h"

namespace vledger::cli {
namespace {

Status CheckPhone(const std::string& phone) {
  bool digits = phone.size() >= 5 && phone.size() <= 20 &&
                phone.find_first_not_of("0123456789+-") == std::string::npos;
  if (!digits) return Status::Rejected("--phone: \"" + phone + "\" is not a phone number");
  return Status::Ok();
}

// Sets the birth data of `person` from what was given on `today`: the
// ID-card number's birth date (and its year), else the birth year.
Status SetBirth(Person& person, const PersonArgs& p, const std::string& today) {
  if (p.birth_year != 0) VLEDGER_TRY(CheckBirthYear("--birth-year", p.birth_year, today));
  if (!p.id_card.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(std::string birth, IdCardBirthDate("--id-card", p.id_card, today));
    int year = std::stoi(birth.substr(0, 4));
    if (p.birth_year != 0 && p.birth_year != year) {
      return Status::Rejected("--birth-year: " + std::to_string(p.birth_year) +
                              " is not the year of birth the ID-card number gives");
    }
    person.birth_date = BirthDateNumber(birth);
    person.birth_year = static_cast<uint16_t>(year);
  } else if (p.birth_year != 0) {
    if (person.birth_date != 0 &&
        person.birth_date / 10000 != static_cast<uint32_t>(p.birth_year)) {
      return Status::Rejected(
          "--birth-year: the record's ID-card number gives another year; "
          "give --id-card to correct it");
    }
    person.birth_year = static_cast<uint16_t>(p.birth_year);
  }
  return Status::Ok();
}

// A new person record from what was given on `today`.
Result<Person> NewPerson(const std::string& field, const PersonArgs& p, const std::string& today) {
  VLEDGER_TRY(CheckName(field, p.name));
  if (!p.phone.empty()) VLEDGER_TRY(CheckPhone(p.phone));
  Person person;
  person.name = p.name;
  person.phone = p.phone;
  VLEDGER_TRY(SetBirth(person, p, today));
  return person;
}

// Writes the person record beside the chain and returns its personRef.
// The ID-card number itself is never stored: only a salted hash of it
// (with the record's own salt) and the birth date read from it.
std::string PutPerson(WriteTxn& txn, const Person& person, const std::string& id_card) {
  PersonRecord record = NewPersonRecord(person);
  record.person.id_card_hash.clear();
  if (!id_card.empty()) {
    std::string id = id_card;
    if (id[17] == 'x') id[17] = 'X';
    record.person.id_card_hash = record.IdCardHash(id);
  }
  return txn.PutPerson(record);
}

// The age the log records for a resident: a declaration given now, else
// what the birth data say `today`. An adult stays one, so a resident known
// to be an adult is still named (as 已删除) once its record is erased; one
// recorded as a minor turns adult by the birth data while they are kept.
// Rejected when a declaration contradicts the birth data.
Result<AgeClass> AgeToRecord(const std::optional<Person>& person, bool minor, bool adult,
                             const std::string& today) {
  ResidentRecord declared;
  declared.minor = minor;
  declared.adult = adult;
  AgeFacts facts = AgeFactsOf(declared, person);
  VLEDGER_TRY(CheckAgeDeclaration(facts, today));
  return AgeOn(facts, today);
}

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

Status BuildResident(CommitBuilder& b, const ResidentArgs& a) {
  std::string today = CstDate(b.now_ms());
  VLEDGER_ASSIGN_OR_RETURN(Person person, NewPerson("--name", a.person, today));
  VLEDGER_ASSIGN_OR_RETURN(AgeClass age, AgeToRecord(person, a.minor, a.adult, today));
  std::string ref = PutPerson(b.txn(), person, a.person.id_card);
  return b
      .Add(ResidentRegistered{a.id, a.village, a.household, age == AgeClass::kMinor, ref,
                              age == AgeClass::kAdult})
      .status();
}

Status BuildHousehold(CommitBuilder& b, const HouseholdArgs& a) {
  VLEDGER_ASSIGN_OR_RETURN(Person person, NewPerson("--head", a.head, CstDate(b.now_ms())));
  std::string ref = PutPerson(b.txn(), person, a.head.id_card);
  return b.Add(HouseholdRegistered{a.id, a.village, ref}).status();
}

Status BuildResidentUpdate(CommitBuilder& b, const ResidentUpdateArgs& a) {
  VLEDGER_TRY(CheckId("ID", a.id));
  auto resident = LoadResident(b.state(), a.id);
  if (!resident) return Status::Rejected("ID: unknown resident \"" + a.id + "\"");
  const PersonArgs& p = a.person;
  bool new_record = !p.name.empty() || !p.phone.empty() || p.birth_year != 0 || !p.id_card.empty();
  std::string today = CstDate(b.now_ms());
  std::optional<Person> person = PersonOf(b.txn().LoadPerson(resident->person_ref));
  if (new_record) {
    if (!person) {
      return Status::Rejected("ID: the person record of resident \"" + a.id +
                              "\" was erased; it cannot be updated");
    }
    if (!p.name.empty()) VLEDGER_TRY(CheckName("--name", p.name));
    if (!p.phone.empty()) VLEDGER_TRY(CheckPhone(p.phone));
    if (!p.name.empty()) person->name = p.name;
    if (!p.phone.empty()) person->phone = p.phone;
    VLEDGER_TRY(SetBirth(*person, p, today));
  }
  ResidentUpdated update{a.id, a.household, a.status, "", false, false};
  if (new_record || a.minor || a.adult) {
    // Only a declaration given now can contradict the birth data: one made
    // earlier gives way to birth data recorded since. Unknown: unchanged.
    VLEDGER_ASSIGN_OR_RETURN(AgeClass age, AgeToRecord(person, a.minor, a.adult, today));
    update.minor = age == AgeClass::kMinor;
    update.adult = age == AgeClass::kAdult;
  }
  if (!new_record) return b.Add(update).status();
  // A new record under a new salt; the old one is erased as `person erase`
  // does. Its ID-card hash is bound to the old salt, so it is kept only
  // when the number is given again (the birth date read from it stays).
  update.person_ref = PutPerson(b.txn(), *person, p.id_card);
  VLEDGER_TRY(b.Add(update).status());
  b.txn().DeletePerson(resident->person_ref);
  return b.Add(PersonErased{resident->person_ref, "replaced by resident update"}).status();
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
