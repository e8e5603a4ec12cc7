// The printables (projections/print.h): `report cards` and `report
// receipt`. What they show is gathered here, privacy rules included; the
// HTML is print_html.cc's.
#include "vledger/projections/print.h"

#include <set>

#include "guard.h"
#include "internal.h"
#include "vledger/app/report.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/age.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/names.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/report.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

// What every printable checks: HTML only, zh or en, a4 or card.
Status CheckPrintArgs(const ReportRequest& r) {
  if (r.format != "html") {
    return Status::InvalidInput(
        "--format", Msg("report {} is HTML only (--format html), not \"{}\"", r.kind, r.format));
  }
  VLEDGER_TRY(Parse<ReportLang>("--lang", r.lang).status());
  if (!r.paper.empty() && r.paper != "a4" && r.paper != "card") {
    return Status::InvalidInput("--size", Msg("\"{}\" is not a4 or card", r.paper));
  }
  if (!r.period.empty()) return Status::InvalidInput("--period", Msg("report {} has none", r.kind));
  if (r.edition != "full") {
    return Status::InvalidInput("--edition", Msg("report {} has none", r.kind));
  }
  return Status::Ok();
}

Result<uint64_t> ParseSize(std::string_view field, const std::string& text) {
  if (text.empty() || text.size() > 19 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidInput(field, Msg("\"{}\" is not a whole number", text));
  }
  return std::stoull(text);
}

Status WriteOut(const ReportRequest& request, const std::string& bytes) {
  if (request.out.empty()) return Status::Ok();
  return WriteFileAtomically(request.out, bytes);
}

ReportResult ResultOf(const ReportRequest& request, std::string bytes, uint64_t size,
                      std::string footer) {
  ReportResult out;
  out.sha256 = Hex(Sha256(bytes));
  out.size = size;
  out.footer = std::move(footer);
  out.out = request.out;
  out.bytes = std::move(bytes);
  return out;
}

// Why a resident gets no card, or nullopt when they get one.
std::optional<Status> NoCard(const ResidentRecord& r, const std::optional<Person>& person,
                             const std::string& date) {
  if (r.status == ResidentStatus::kDeparted) {
    return Status::FailedPrecondition("--resident", Msg("{} has left the village", r.id));
  }
  if (r.status == ResidentStatus::kDeceased) {
    return Status::FailedPrecondition("--resident", Msg("{} is deceased", r.id));
  }
  switch (AgeOn(AgeFactsOf(r, person), date)) {
    case AgeClass::kAdult:
      return std::nullopt;
    case AgeClass::kMinor:
      return Status::FailedPrecondition(
          "--resident",
          Msg("{} is a minor on {}: minors get no card (no page on the site)", r.id, date));
    case AgeClass::kUnknown:
      break;
  }
  return Status::FailedPrecondition(
      "--resident",
      Msg("{}'s age is not known on {}: only known adults get a card (declare it with "
          "resident update --adult)",
          r.id, date));
}

}  // namespace

// ------------------------------------------------------------- cards

Result<ReportResult> PrintCards(const Session& session, const ReportRequest& request) {
  VLEDGER_TRY(CheckPrintArgs(request));
  VLEDGER_TRY(CheckId("--village", request.village));
  if (!request.seq.empty()) return Status::InvalidInput("SEQ", "report cards takes no SEQ");
  VLEDGER_TRY(CheckSiteUrl(request.site_url));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  uint64_t size = ledger->size();
  if (!request.at.empty()) {
    VLEDGER_ASSIGN_OR_RETURN(size, ParseSize("--at", request.at));
    if (size == 0 || size > ledger->size()) {
      return Status::InvalidInput(
          "--at", Msg("give 1..{} (the log's size), not {}", ledger->size(), request.at));
    }
  }
  if (size == 0) return Status::FailedPrecondition("the log is empty");
  VLEDGER_ASSIGN_OR_RETURN(auto state, StateAt(*ledger, size - 1));
  auto village = LoadVillage(*state, request.village);
  if (!village) {
    return Status::NotFound("--village",
                            Msg("unknown village \"{}\" at size {}", request.village, size));
  }
  std::string site_url = request.site_url.empty() ? village->site_url : request.site_url;
  if (site_url.empty()) {
    return Status::FailedPrecondition(
        "--site-url", Msg("village {} has no villager site address: give --site-url URL or set "
                          "it with village policy {} --site-url URL",
                          request.village, request.village));
  }
  CardsData d;
  d.village = request.village;
  d.village_name = village->name;
  if (auto meta = LoadMeta(*state)) d.ledger_name = meta->name;
  d.paper = request.paper.empty() ? "a4" : request.paper;
  d.lang = request.lang;
  d.size = size;
  VLEDGER_ASSIGN_OR_RETURN(Event last, state->ReadEvent(size - 1));
  d.date = CstDate(last.recorded_at_ms);
  // The site's name policy: the village's --public-names, masked when unset.
  const std::string policy = village->public_names.empty() ? "masked" : village->public_names;

  std::vector<ResidentRecord> residents = ListResidents(*state, request.village);
  std::vector<const ResidentRecord*> chosen;
  if (request.residents.empty()) {
    for (const ResidentRecord& r : residents) chosen.push_back(&r);
  } else {
    std::set<std::string> seen;
    for (const std::string& id : request.residents) {
      if (!seen.insert(id).second) continue;
      const ResidentRecord* found = nullptr;
      for (const ResidentRecord& r : residents) {
        if (r.id == id) found = &r;
      }
      if (found == nullptr) {
        return Status::NotFound(
            "--resident", Msg("no resident \"{}\" in village {} at size {}", id, d.village, size));
      }
      chosen.push_back(found);
    }
  }
  for (const ResidentRecord* r : chosen) {
    std::optional<Person> person = PersonOf(ledger->LoadPerson(r->person_ref));
    if (std::optional<Status> why = NoCard(*r, person, d.date)) {
      if (request.residents.empty()) continue;  // everyone: only adults get one
      return *why;
    }
    CardLine card;
    card.id = r->id;
    if (person && policy != "none") {
      card.name = policy == "full" ? person->name : MaskName(person->name);
    }
    card.url = ResidentPageUrl(site_url, r->id);
    card.qr_svg = QrSvg(card.url, "QR code of the resident's page");
    d.cards.push_back(std::move(card));
  }
  if (d.cards.empty()) {
    return Status::FailedPrecondition(
        "--village",
        Msg("village {} has no adult resident at size {}: no card to print", d.village, size));
  }
  std::string bytes = RenderCardsHtml(d);
  VLEDGER_TRY(WriteOut(request, bytes));
  return ResultOf(request, std::move(bytes), size, PrintFooterLine(d));
}

// ------------------------------------------------------------- receipt

Result<ReportResult> PrintReceipt(const Session& session, const ReportRequest& request) {
  VLEDGER_TRY(CheckPrintArgs(request));
  if (!request.village.empty()) {
    return Status::InvalidInput("--village", "report receipt takes no --village (SEQ says it)");
  }
  if (!request.residents.empty()) {
    return Status::InvalidInput("--resident", "only report cards takes --resident");
  }
  if (!request.site_url.empty()) {
    return Status::InvalidInput("--site-url", "only report cards takes --site-url");
  }
  if (!request.at.empty()) return Status::InvalidInput("--at", "report receipt takes no --at");
  if (request.seq.empty()) {
    return Status::InvalidInput("SEQ", "give the seq of the donation: report receipt SEQ");
  }
  VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSize("SEQ", request.seq));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  if (seq >= ledger->size()) {
    return Status::NotFound(
        "SEQ", Msg("seq {} is beyond the log (its last seq is {})", seq, ledger->size() - 1));
  }
  VLEDGER_ASSIGN_OR_RETURN(Event e, ledger->ReadDecoded(seq));
  const auto* gift = std::get_if<DonationReceived>(&e.body);
  if (gift == nullptr) {
    return Status::InvalidInput(
        "SEQ", Msg("seq {} is a {} event, not a donation", seq, EventTypeName(e.body)));
  }
  // Names as they were when the donation was recorded, so that a receipt
  // prints the same later; only a later reversal is added to it.
  VLEDGER_ASSIGN_OR_RETURN(auto state, StateAt(*ledger, seq));
  ReceiptData d;
  d.seq = seq;
  d.paper = request.paper.empty() ? "a4" : request.paper;
  d.lang = request.lang;
  d.receipt = gift->receipt;
  if (!gift->donor_org.empty()) {
    d.donor = gift->donor_org;
  } else if (!gift->donor_ref.empty() && gift->public_name) {
    if (std::optional<Person> donor = PersonOf(ledger->LoadPerson(gift->donor_ref))) {
      d.donor = donor->name;  // erased since: anonymous
    }
  }
  d.amount_fen = gift->amount_fen;
  d.fund = gift->fund;
  std::string village;
  if (auto fund = LoadFund(*state, gift->fund)) {
    d.fund_name = fund->name;
    village = fund->village;
  }
  if (!village.empty()) {
    if (auto v = LoadVillage(*state, village)) d.village_name = v->name;
  }
  if (!gift->purpose.empty()) {
    std::string name =
        report::NameOf(DisplayNames(*state, NameKind::kPurpose, village), gift->purpose);
    d.purpose = name.empty() ? gift->purpose : name;
  }
  if (auto meta = LoadMeta(*state)) {
    d.ledger_name = meta->name;
    d.county_key_id = meta->root_key_id;
  }
  d.date = CstDate(e.recorded_at_ms);
  VLEDGER_ASSIGN_OR_RETURN(Hash h, ledger->ReadHash(seq));
  d.record_hash = Hex(h);
  VLEDGER_ASSIGN_OR_RETURN(auto live, StoredState(*ledger));
  if (auto reversal = ReversedBy(*live, seq)) d.reversed_by = *reversal;
  std::string bytes = RenderReceiptHtml(d);
  VLEDGER_TRY(WriteOut(request, bytes));
  return ResultOf(request, std::move(bytes), ledger->size(), PrintFooterLine(d));
}

}  // namespace vledger::app
