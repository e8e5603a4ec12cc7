// The event builders shared by the single commands and import (builders.h),
// and the parsing helpers of internal.h.
#include "vledger/app/builders.h"

#include <algorithm>
#include <limits>

#include "guard.h"
#include "internal.h"
#include "name_index.h"
#include "vledger/app/people.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/rows.h"
#include "vledger/projections/money.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/shelf.h"
#include "vledger/projections/validate.h"

namespace vledger::app {

// ------------------------------------------------------------- helpers

Result<int64_t> ParseInt64(std::string_view field, const std::string& text) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = std::string_view(text).substr(negative ? 1 : 0);
  if (digits.empty() || digits.size() > 19 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::InvalidInput(field, Msg("\"{}\" is not an integer", text));
  }
  uint64_t v = 0;  // 19 digits fit in uint64
  for (char c : digits) v = v * 10 + static_cast<uint64_t>(c - '0');
  uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  if (v > limit) return Status::InvalidInput(field, Msg("{} is out of range", text));
  return negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

Status StatusOf(Code code, Msg msg) {
  switch (code) {
    case Code::kOk:
    case Code::kInvalidInput:
      return Status::InvalidInput(std::move(msg));
    case Code::kNotFound:
      return Status::NotFound(std::move(msg));
    case Code::kAlreadyExists:
      return Status::AlreadyExists(std::move(msg));
    case Code::kConflict:
      return Status::Conflict(std::move(msg));
    case Code::kPermissionDenied:
      return Status::PermissionDenied(std::move(msg));
    case Code::kFailedPrecondition:
      return Status::FailedPrecondition(std::move(msg));
    case Code::kVerificationFailed:
      return Status::VerificationFailed(std::move(msg));
    case Code::kCorruption:
      return Status::Corruption(std::move(msg));
    case Code::kUnavailable:
      return Status::Unavailable(std::move(msg));
    case Code::kIo:
      return Status::Io(std::move(msg));
    case Code::kInternal:
      return Status::Internal(std::move(msg));
    case Code::kUsage:
      return Status::Usage(std::move(msg));
  }
  return Status::Internal(std::move(msg));
}

Status Flattened(Code code, const Status& st) {
  Status out = StatusOf(code, st.msg());
  const std::vector<Msg>& prefixes = st.prefixes();
  for (size_t i = prefixes.size(); i-- > 0;) out = out.WithPrefix(prefixes[i]);
  if (!st.field().empty()) out = out.WithPrefix(Msg("{}", st.field()));
  if (st.seq()) out = out.WithPrefix(Msg("seq {}", *st.seq()));
  if (st.row()) out = out.WithPrefix(Msg("row {}", *st.row()));
  return out;
}

Result<uint64_t> ParseSeq(std::string_view field, const std::string& text) {
  VLEDGER_ASSIGN_OR_RETURN(int64_t v, ParseInt64(field, text));
  if (v < 0) return Status::InvalidInput(field, Msg("{} is not a seq", text));
  return static_cast<uint64_t>(v);
}

Result<std::pair<std::string, std::string>> ResolveTo(CommitBuilder& b, std::string_view field,
                                                      const std::string& to) {
  StateStore& state = b.state();
  if (LoadResident(state, to)) return std::make_pair(to, std::string());
  if (LoadHousehold(state, to)) return std::make_pair(std::string(), to);
  VLEDGER_ASSIGN_OR_RETURN(std::string resident, ResidentArg(b, field, to));
  if (LoadResident(state, resident)) return std::make_pair(resident, std::string());
  VLEDGER_TRY(CheckId(field, to));
  return Status::NotFound(field, Msg("no resident or household \"{}\"", to));
}

Result<std::string> ResidentArg(CommitBuilder& b, std::string_view field, const std::string& text) {
  std::optional<KeyRecord> key = LoadKey(b.state(), b.key_id());
  auto people = PeopleReader::Of(b.txn());
  return ResolveResident(*people, b.state(), field, text,
                         key ? key->villages : std::vector<std::string>());
}

Result<FundRecord> FundOf(StateStore& state, std::string_view field, const std::string& code) {
  VLEDGER_TRY(CheckId(field, code));
  auto f = LoadFund(state, code);
  if (!f) return Status::NotFound(field, Msg("unknown fund \"{}\"", code));
  return *f;
}

Status CheckPurposeHeld(StateStore& state, const FundRecord& fund, const std::string& purpose) {
  if (purpose.empty()) return Status::Ok();
  VLEDGER_TRY(CheckId("--purpose", purpose));
  std::vector<std::string> purposes = ListPurposes(state, fund.code);
  if (std::find(purposes.begin(), purposes.end(), purpose) != purposes.end()) {
    return Status::Ok();
  }
  std::string held;
  for (const std::string& p : purposes) held += (held.empty() ? "" : ", ") + p;
  if (held.empty()) {
    return Status::NotFound("--purpose", Msg("fund {} never held money for purpose \"{}\" (it "
                                             "has no restricted purposes)",
                                             fund.code, purpose));
  }
  return Status::NotFound(
      "--purpose", Msg("fund {} never held money for purpose \"{}\" (its purposes: {})", fund.code,
                       purpose, held));
}

std::optional<Person> PersonOf(const Result<std::optional<PersonRecord>>& record) {
  // An unreadable record is not an erased one: its status goes up as a
  // projection read's does, to the entry point's guard (guard.h).
  if (!record.ok()) throw RowReadError(record.status());
  if (!*record) return std::nullopt;
  return (*record)->person;
}

namespace {

Status CheckPhone(const std::string& phone) {
  bool digits = phone.size() >= 5 && phone.size() <= 20 &&
                phone.find_first_not_of("0123456789+-") == std::string::npos;
  if (!digits) return Status::InvalidInput("--phone", Msg("\"{}\" is not a phone number", phone));
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
      return Status::InvalidInput(
          "--birth-year",
          Msg("{} is not the year of birth the ID-card number gives", p.birth_year));
    }
    person.birth_date = BirthDateNumber(birth);
    person.birth_year = static_cast<uint16_t>(year);
  } else if (p.birth_year != 0) {
    if (person.birth_date != 0 &&
        person.birth_date / 10000 != static_cast<uint32_t>(p.birth_year)) {
      return Status::InvalidInput("--birth-year",
                                  "the record's ID-card number gives another year; "
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
// Refused when a declaration contradicts the birth data.
Result<AgeClass> AgeToRecord(const std::optional<Person>& person, bool minor, bool adult,
                             const std::string& today) {
  ResidentRecord declared;
  declared.minor = minor;
  declared.adult = adult;
  AgeFacts facts = AgeFactsOf(declared, person);
  VLEDGER_TRY(CheckAgeDeclaration(facts, today));
  return AgeOn(facts, today);
}

// Fills in what the command line left out of a points entry: the date
// (CST date of recordedAt) and the rule's default points.
Status CompleteEntry(CommitBuilder& b, const std::string& points, int64_t sign,
                     const std::string& on, const std::string& evidence, PointsEntry* e) {
  if (!points.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(int64_t p, ParseInt64("--points", points));
    if (p <= 0) {
      if (sign < 0) {
        return Status::InvalidInput("--points",
                                    "give a positive amount (the magnitude of the deduction)");
      }
      return Status::InvalidInput("--points", "give a positive amount");
    }
    e->points = sign * p;
  } else if (auto rule = LoadRule(b.state(), e->rule)) {
    e->points = rule->points;
  }
  e->occurred_on = on.empty() ? CstDate(b.now_ms()) : on;
  if (!on.empty()) VLEDGER_TRY(CheckDate("--on", on));
  if (!evidence.empty()) {
    auto bytes = Unhex(evidence);
    if (!bytes || bytes->size() != 32) {
      return Status::InvalidInput("--evidence",
                                  "give the SHA-256 of the evidence as 64 hex digits");
    }
    e->evidence = *bytes;
  }
  return Status::Ok();
}

}  // namespace

// ------------------------------------------------------------ registry

Status BuildResident(CommitBuilder& b, const ResidentArgs& a) try {
  std::string today = CstDate(b.now_ms());
  VLEDGER_ASSIGN_OR_RETURN(Person person, NewPerson("--name", a.person, today));
  VLEDGER_ASSIGN_OR_RETURN(AgeClass age, AgeToRecord(person, a.minor, a.adult, today));
  std::string ref = PutPerson(b.txn(), person, a.person.id_card);
  // A registered id is refused by the event, so nothing is indexed for it.
  bool registered = LoadResident(b.state(), a.id).has_value();
  VLEDGER_TRY(IndexResident(b.txn(), a.id, a.village, person.name, registered));
  return b
      .Add(ResidentRegistered{a.id, a.village, a.household, age == AgeClass::kMinor, ref,
                              age == AgeClass::kAdult})
      .status();
} catch (...) {
  return CaughtStatus();
}

Status BuildHousehold(CommitBuilder& b, const HouseholdArgs& a) try {
  VLEDGER_ASSIGN_OR_RETURN(Person person, NewPerson("--head", a.head, CstDate(b.now_ms())));
  std::string ref = PutPerson(b.txn(), person, a.head.id_card);
  return b.Add(HouseholdRegistered{a.id, a.village, ref}).status();
} catch (...) {
  return CaughtStatus();
}
Status BuildResidentUpdate(CommitBuilder& b, const ResidentUpdateArgs& a) try {
  VLEDGER_ASSIGN_OR_RETURN(std::string id, ResidentArg(b, "ID", a.id));
  VLEDGER_TRY(CheckId("ID", id));
  auto resident = LoadResident(b.state(), id);
  if (!resident) return Status::NotFound("ID", Msg("unknown resident \"{}\"", a.id));
  const PersonArgs& p = a.person;
  bool new_record = !p.name.empty() || !p.phone.empty() || p.birth_year != 0 || !p.id_card.empty();
  std::string today = CstDate(b.now_ms());
  std::optional<Person> person = PersonOf(b.txn().LoadPerson(resident->person_ref));
  if (new_record) {
    if (!person) {
      return Status::FailedPrecondition(
          "ID", Msg("the person record of resident \"{}\" was erased; it cannot be updated", a.id));
    }
    if (!p.name.empty()) VLEDGER_TRY(CheckName("--name", p.name));
    if (!p.phone.empty()) VLEDGER_TRY(CheckPhone(p.phone));
    if (!p.name.empty()) person->name = p.name;
    if (!p.phone.empty()) person->phone = p.phone;
    VLEDGER_TRY(SetBirth(*person, p, today));
  }
  ResidentUpdated update{std::string(resident->id), a.household, a.status, "", false, false};
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
  VLEDGER_TRY(IndexResident(b.txn(), resident->id, resident->village, person->name));
  VLEDGER_TRY(b.Add(update).status());
  b.txn().DeletePerson(resident->person_ref);
  return b.Add(PersonErased{std::string(resident->person_ref), "replaced by resident update"})
      .status();
} catch (...) {
  return CaughtStatus();
}

// -------------------------------------------------------------- points

Status BuildRule(CommitBuilder& b, const RuleArgs& a) try {
  RuleDefined r;
  r.code = a.code;
  r.village = a.village;
  r.category = a.category;
  r.description = a.desc;
  VLEDGER_ASSIGN_OR_RETURN(r.points, ParseInt64("--points", a.points));
  if (a.min.empty() != a.max.empty()) {
    return Status::InvalidInput(a.min.empty() ? "--min" : "--max",
                                "give both --min and --max, or neither");
  }
  if (!a.min.empty()) {
    r.has_range = true;
    VLEDGER_ASSIGN_OR_RETURN(r.min, ParseInt64("--min", a.min));
    VLEDGER_ASSIGN_OR_RETURN(r.max, ParseInt64("--max", a.max));
  }
  if (!a.cap.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(r.cap, ParseInt64("--cap", a.cap));
    if (r.cap <= 0) return Status::InvalidInput("--cap", "must be greater than zero");
  }
  r.cap_period = a.cap_period;
  VLEDGER_TRY(b.Add(r).status());
  if (a.name.empty()) return Status::Ok();
  return b.Add(DisplayNameSet{.kind = "rule", .code = a.code, .village = "", .name = a.name})
      .status();
} catch (...) {
  return CaughtStatus();
}

Status BuildDisplayName(CommitBuilder& b, const DisplayNameArgs& a) try {
  return b.Add(DisplayNameSet{.kind = a.kind, .code = a.code, .village = a.village, .name = a.name})
      .status();
} catch (...) {
  return CaughtStatus();
}

Status BuildAward(CommitBuilder& b, const AwardArgs& a) try {
  PointsAwarded e;
  VLEDGER_ASSIGN_OR_RETURN(e.resident, ResidentArg(b, "resident", a.resident));
  e.rule = a.rule;
  e.note = a.note;
  VLEDGER_TRY(CompleteEntry(b, a.points, 1, a.on, a.evidence, &e));
  VLEDGER_TRY(CheckText("--note", a.note, true));
  return b.Add(e).status();
} catch (...) {
  return CaughtStatus();
}

Status BuildDeduction(CommitBuilder& b, const DeductionArgs& a) try {
  PointsDeducted e;
  if (!a.household.empty()) {
    if (!a.resident.empty()) {
      return Status::InvalidInput("--household", "give a resident or a household, not both");
    }
    VLEDGER_TRY(CheckId("--household", a.household));
    auto h = LoadHousehold(b.state(), a.household);
    if (!h) return Status::NotFound("--household", Msg("unknown household \"{}\"", a.household));
    if (h->head_resident.empty()) {
      return Status::FailedPrecondition(
          "--household",
          Msg("household \"{}\" has no head (户主) set; use `household head` first", a.household));
    }
    e.resident = h->head_resident;
    e.household = h->id;
  } else {
    VLEDGER_ASSIGN_OR_RETURN(e.resident, ResidentArg(b, "resident", a.resident));
  }
  e.rule = a.rule;
  e.note = a.note;
  VLEDGER_TRY(CompleteEntry(b, a.points, -1, a.on, a.evidence, &e));
  VLEDGER_TRY(CheckText("--note", a.note, true));
  return b.Add(e).status();
} catch (...) {
  return CaughtStatus();
}

Status BuildRedemption(CommitBuilder& b, const RedemptionArgs& a) try {
  PointsRedeemed r;
  VLEDGER_ASSIGN_OR_RETURN(r.resident, ResidentArg(b, "resident", a.resident));
  r.shop = a.shop;
  r.item = a.item;
  VLEDGER_ASSIGN_OR_RETURN(int64_t qty, ParseInt64("--qty", a.qty));
  if (qty < 1 || qty > kRedeemQuantityMax) {
    return Status::InvalidInput("--qty", Msg("must be 1 to {}", kRedeemQuantityMax));
  }
  r.quantity = static_cast<uint32_t>(qty);
  if (!a.points.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(r.points, ParseInt64("--points", a.points));
    if (r.points <= 0) return Status::InvalidInput("--points", "must be greater than zero");
    return b.Add(r).status();  // a shelf item's total is checked against its price (shelf.h)
  }
  // The price from the shelf of the resident's village's shop.
  VLEDGER_TRY(CheckId("--shop", a.shop));
  const ResidentState* resident = FindResident(b.state(), r.resident);
  if (resident == nullptr)
    return Status::NotFound("resident", Msg("unknown resident \"{}\"", r.resident));
  const std::string village(resident->rec.village);
  std::optional<ShelfItem> item = FindShelfItem(b.state(), village, a.shop, a.item);
  if (!item) {
    if (!HasShelf(b.state(), village, a.shop)) {
      return Status::InvalidInput(
          "--points", Msg("shop \"{}\" of village \"{}\" has no shelf: give the points taken",
                          a.shop, village));
    }
    return Status::NotFound("--item",
                            Msg("\"{}\" is not on the shelf of shop \"{}\"", a.item, a.shop));
  }
  r.points = item->points * qty;  // both bounded (shelf.h, kRedeemQuantityMax): no overflow
  return b.Add(r).status();
} catch (...) {
  return CaughtStatus();
}

// ---------------------------------------------------------------- shop

namespace {

// The village of a shop command: `given`, else the writing key's only village.
Result<std::string> ShopVillage(CommitBuilder& b, const std::string& given) {
  if (!given.empty()) {
    VLEDGER_TRY(CheckId("--village", given));
    return given;
  }
  std::optional<KeyRecord> key = LoadKey(b.state(), b.key_id());
  if (key && key->villages.size() == 1) return key->villages.front();
  return Status::InvalidInput("--village", "give the shop's village (--village V)");
}

// A count of units (--stock, --qty): 0 to 10^9, or 1 up when `positive`.
Result<uint32_t> ParseUnits(std::string_view field, const std::string& text, bool positive) {
  VLEDGER_ASSIGN_OR_RETURN(int64_t n, ParseInt64(field, text));
  int64_t min = positive ? 1 : 0;
  if (n < min || n > 1'000'000'000) {
    return Status::InvalidInput(field, Msg("must be {} to 1000000000", min));
  }
  return static_cast<uint32_t>(n);
}

}  // namespace

Status BuildShopItem(CommitBuilder& b, const ShopItemArgs& a) try {
  ShopItemAdded e;
  VLEDGER_ASSIGN_OR_RETURN(e.village, ShopVillage(b, a.village));
  VLEDGER_TRY(CheckId("SHOP", a.shop));
  e.shop = a.shop;
  e.item = a.item;
  VLEDGER_TRY(CheckText("--item", a.item, false));
  VLEDGER_ASSIGN_OR_RETURN(e.points, ParseInt64("--points", a.points));
  if (e.points <= 0) return Status::InvalidInput("--points", "must be greater than zero");
  VLEDGER_ASSIGN_OR_RETURN(e.stock, ParseUnits("--stock", a.stock, false));
  return b.Add(e).status();
} catch (...) {
  return CaughtStatus();
}

Status BuildShopRestock(CommitBuilder& b, const ShopRestockArgs& a) try {
  ShopRestocked e;
  VLEDGER_ASSIGN_OR_RETURN(e.village, ShopVillage(b, a.village));
  VLEDGER_TRY(CheckId("SHOP", a.shop));
  e.shop = a.shop;
  e.item = a.item;
  VLEDGER_TRY(CheckText("--item", a.item, false));
  VLEDGER_ASSIGN_OR_RETURN(e.quantity, ParseUnits("--qty", a.qty, true));
  return b.Add(e).status();
} catch (...) {
  return CaughtStatus();
}

// --------------------------------------------------------------- funds

Status BuildDonation(CommitBuilder& b, const DonationArgs& a, std::string* receipt) try {
  VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--amount", a.amount));
  VLEDGER_ASSIGN_OR_RETURN(FundRecord fund, FundOf(b.state(), "FUND", a.fund));
  int given = !a.donor.empty() + !a.donor_org.empty() + (a.anonymous ? 1 : 0);
  if (given > 1) {
    return Status::InvalidInput("--donor", "give only one of --donor, --donor-org, --anonymous");
  }
  if (a.public_name && a.donor.empty()) {
    return Status::InvalidInput("--public-name", "only with --donor NAME");
  }
  DonationReceived d;
  d.fund = fund.code;
  d.amount_fen = fen;
  d.purpose = a.purpose;
  d.public_name = a.public_name;
  d.donor_org = a.donor_org;
  d.anonymous = given == 0 || a.anonymous;
  if (!a.donor.empty()) {
    VLEDGER_TRY(CheckName("--donor", a.donor));
    Person person;
    person.name = a.donor;
    person.phone = a.phone;
    d.donor_ref = b.txn().PutPerson(NewPersonRecord(person));
  } else if (!a.phone.empty()) {
    return Status::InvalidInput("--phone", "only with --donor NAME");
  }
  d.receipt = a.receipt.empty() ? AssignedReceipt(fund.code, fund.next_receipt) : a.receipt;
  if (receipt != nullptr) *receipt = d.receipt;
  return b.Add(std::move(d)).status();
} catch (...) {
  return CaughtStatus();
}

Status BuildDisbursement(CommitBuilder& b, const DisbursementArgs& a) try {
  VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--amount", a.amount));
  VLEDGER_ASSIGN_OR_RETURN(FundRecord fund, FundOf(b.state(), "FUND", a.fund));
  VLEDGER_ASSIGN_OR_RETURN(auto to, ResolveTo(b, "--to", a.to));
  VLEDGER_TRY(CheckPurposeHeld(b.state(), fund, a.purpose));
  return b.Add(FundDisbursed{fund.code, to.first, to.second, fen, a.purpose, a.period, a.note, 0})
      .status();
} catch (...) {
  return CaughtStatus();
}

}  // namespace vledger::app
