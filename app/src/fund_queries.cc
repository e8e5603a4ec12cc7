// The fund queries (funds.h): balance --fund, fund list, allowance list and
// donor. They read the last whole commit (or, for balance, the state at
// --at SEQ) and never take the writer lock. Statements are in
// fund_statements.cc.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "guard.h"
#include "internal.h"
#include "vledger/app/funds.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/age.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/names.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/state.h"
#include "vledger/projections/validate.h"

namespace vledger::app {
namespace {

using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------- donor

// A restricted gift's uses and the money of it left.
struct GiftAttribution {
  std::vector<GiftUse> uses;
  int64_t unspent_fen = 0;
};

// Restricted money of one purpose is spent first in, first out: each
// payment or release drawing on it is attributed to the oldest gifts with
// money left. Reversed gifts, payments and releases are left out. A
// resident paid is shown by id only when known to be an adult `today`.
std::map<uint64_t, GiftAttribution> AttributeUses(const Ledger& ledger, StateStore& state,
                                                  const FundRecord& fund,
                                                  const std::string& purpose,
                                                  const std::string& today) {
  std::vector<FundMovement> rows = ListMovements(state, fund.code);
  std::set<uint64_t> reversed;
  for (const FundMovement& m : rows) {
    if (m.type == "reversal") reversed.insert(m.target);
  }
  std::map<uint64_t, GiftAttribution> gifts;  // by the gift's seq
  std::vector<uint64_t> queue;
  size_t head = 0;
  for (const FundMovement& m : rows) {
    if (m.purpose != purpose || m.restricted_delta == 0 || m.type == "reversal" ||
        reversed.count(m.seq)) {
      continue;
    }
    if (m.restricted_delta > 0) {
      gifts[m.seq].unspent_fen = m.restricted_delta;
      queue.push_back(m.seq);
      continue;
    }
    std::optional<std::string> to;
    if (fund.list_beneficiaries != BeneficiaryList::kNone && m.beneficiary.size() > 2) {
      std::string id = m.beneficiary.substr(2);
      auto r = m.beneficiary[0] == 'R' ? LoadResident(state, id) : std::nullopt;
      // Minors and residents of unknown age never appear, not even by id.
      if (!r || KnownAdultOn(AgeFactsOf(*r, PersonOf(ledger.LoadPerson(r->person_ref))), today)) {
        to = id;
      }
    }
    int64_t left = -m.restricted_delta;
    while (left > 0 && head < queue.size()) {
      GiftAttribution& gift = gifts[queue[head]];
      int64_t take = std::min(left, gift.unspent_fen);
      gift.uses.push_back(GiftUse{m.seq, m.date, m.type, to, take});
      gift.unspent_fen -= take;
      left -= take;
      if (gift.unspent_fen == 0) head++;
    }
  }
  return gifts;
}

// The seqs of the donations of organisation or person `name`, in order.
Result<std::vector<uint64_t>> DonationsOf(const Ledger& ledger, StateStore& state,
                                          const std::string& name) {
  std::vector<uint64_t> seqs = ListOrgDonations(state, name);
  VLEDGER_TRY(ledger.ScanPersonRecords([&](const Ledger::StoredPerson& stored) -> Status {
    if (!stored.record.ok() || stored.record->person.name != name) return Status::Ok();
    auto owner = LoadPersonOwner(state, stored.ref);
    if (owner && owner->kind == PersonOwnerKind::kDonor) {
      auto seq = ParseSeq("donor", owner->id);
      if (!seq.ok()) return Status::Corruption("a donor's person record names no donation");
      seqs.push_back(*seq);
    }
    return Status::Ok();
  }));
  std::sort(seqs.begin(), seqs.end());
  return seqs;
}

}  // namespace

// ------------------------------------------------------------- balance

Result<FundBalanceResult> FundBalance(const Session& session, const FundBalanceRequest& r) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  std::unique_ptr<StateStore> state;
  if (r.at_seq) {
    VLEDGER_ASSIGN_OR_RETURN(state, StateAt(*ledger, *r.at_seq));
  } else {
    VLEDGER_ASSIGN_OR_RETURN(state, StoredState(*ledger));
  }
  VLEDGER_ASSIGN_OR_RETURN(FundRecord f, FundOf(*state, "--fund", r.fund));
  FundBalanceResult out;
  out.fund = f.code;
  out.name = f.name;
  out.balance_fen = FundTotal(*state, f.code);
  out.purpose_names = DisplayNames(*state, NameKind::kPurpose, f.village);
  for (const std::string& p : ListPurposes(*state, f.code)) {
    out.purposes.emplace_back(p, PurposeBalance(*state, f.code, p));
  }
  int64_t unrestricted = PurposeBalance(*state, f.code, "");
  auto it = std::find_if(out.purposes.begin(), out.purposes.end(),
                         [](const auto& p) { return p.first.empty(); });
  if (it != out.purposes.end()) {
    it->second = unrestricted;
  } else {
    out.purposes.emplace_back("", unrestricted);
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string FundBalanceJson(const FundBalanceResult& r) {
  Json purposes = Json::object();
  for (const auto& [purpose, fen] : r.purposes) purposes[purpose] = fen;
  return Json{{"fund", r.fund}, {"balanceFen", r.balance_fen}, {"purposes", purposes}}.dump();
}

// ----------------------------------------------------------- fund list

Result<FundListResult> FundList(const Session& session, const FundListRequest&) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  FundListResult out;
  for (const FundRecord& f : ListFunds(*state)) {
    out.funds.push_back(FundLine{f.code, f.name, f.kind, f.village, f.list_beneficiaries,
                                 FundTotal(*state, f.code)});
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string FundListJson(const FundListResult& r) {
  Json funds = Json::array();
  for (const FundLine& f : r.funds) {
    funds.push_back(Json{{"code", f.code},
                         {"name", f.name},
                         {"kind", std::string(Name(f.kind))},
                         {"village", f.village},
                         {"listBeneficiaries", std::string(Name(f.list_beneficiaries))},
                         {"balanceFen", f.balance_fen}});
  }
  return Json{{"funds", funds}}.dump();
}

// ------------------------------------------------------ allowance list

Result<AllowanceListResult> AllowanceList(const Session& session,
                                          const AllowanceListRequest& r) try {
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  if (!r.fund.empty()) VLEDGER_TRY(FundOf(*state, "--fund", r.fund).status());
  AllowanceListResult out;
  out.purpose_names = DisplayNames(*state, NameKind::kPurpose, "");
  for (const AllowanceRecord& a : ListAllowances(*state)) {
    if (!r.fund.empty() && a.fund != r.fund) continue;
    out.allowances.push_back(AllowanceLine{a.seq, a.fund, a.beneficiary, a.household, a.amount_fen,
                                           a.purpose, a.from_month, a.until_month, a.stopped_seq});
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string AllowanceListJson(const AllowanceListResult& r) {
  Json out = Json::array();
  for (const AllowanceLine& a : r.allowances) {
    Json stopped = a.stopped_seq ? Json(a.stopped_seq) : Json(nullptr);
    out.push_back(Json{{"seq", a.seq},
                       {"fund", a.fund},
                       {"to", a.to},
                       {"household", a.household},
                       {"amountFen", a.amount_fen},
                       {"purpose", a.purpose},
                       {"from", a.from},
                       {"until", a.until},
                       {"stopped", stopped}});
  }
  return Json{{"allowances", out}}.dump();
}

// --------------------------------------------------------------- donor

Result<DonorResult> Donor(const Session& session, const DonorRequest& r) try {
  VLEDGER_TRY(CheckName("NAME", r.name));
  VLEDGER_ASSIGN_OR_RETURN(auto ledger, session.OpenReader());
  VLEDGER_ASSIGN_OR_RETURN(auto state, StoredState(*ledger));
  VLEDGER_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, DonationsOf(*ledger, *state, r.name));
  if (seqs.empty()) return Status::NotFound("NAME", Msg("no donor named \"{}\"", r.name));
  VLEDGER_ASSIGN_OR_RETURN(int64_t now_ms, session.NowMs(*ledger));
  std::string today = CstDate(now_ms);
  std::map<std::pair<std::string, std::string>, std::map<uint64_t, GiftAttribution>> attributed;
  DonorResult out;
  out.name = r.name;
  for (uint64_t seq : seqs) {
    VLEDGER_ASSIGN_OR_RETURN(Event e, ledger->ReadDecoded(seq));
    const auto* d = std::get_if<DonationReceived>(&e.body);
    if (d == nullptr) return Status::Corruption("the donor's row names no donation").WithSeq(seq);
    auto fund = LoadFund(*state, d->fund);
    if (!fund) return Status::Corruption("the donation names no fund").WithSeq(seq);
    DonorGift gift;
    gift.seq = seq;
    gift.fund = d->fund;
    gift.receipt = d->receipt;
    gift.date = CstDate(e.recorded_at_ms);
    gift.amount_fen = d->amount_fen;
    gift.purpose = d->purpose;
    gift.reversed = ReversedBy(*state, seq).has_value();
    if (!d->purpose.empty()) {
      auto key = std::make_pair(d->fund, d->purpose);
      auto cached = attributed.find(key);
      if (cached == attributed.end()) {
        cached =
            attributed.emplace(key, AttributeUses(*ledger, *state, *fund, d->purpose, today)).first;
      }
      auto it = cached->second.find(seq);
      if (it != cached->second.end()) {
        gift.uses = it->second.uses;
        gift.unspent_fen = it->second.unspent_fen;
      }
    }
    out.gifts.push_back(std::move(gift));
  }
  return out;
} catch (...) {
  return CaughtStatus();
}

std::string DonorJson(const DonorResult& r) {
  Json gifts = Json::array();
  for (const DonorGift& g : r.gifts) {
    Json uses = Json::array();
    for (const GiftUse& u : g.uses) {
      uses.push_back(Json{{"seq", u.seq},
                          {"date", u.date},
                          {"type", u.type},
                          {"to", u.to ? Json(*u.to) : Json(nullptr)},
                          {"amountFen", u.amount_fen}});
    }
    gifts.push_back(Json{{"seq", g.seq},
                         {"fund", g.fund},
                         {"receipt", g.receipt},
                         {"date", g.date},
                         {"amountFen", g.amount_fen},
                         {"purpose", g.purpose},
                         {"reversed", g.reversed},
                         {"uses", uses},
                         {"unspentFen", g.unspent_fen}});
  }
  return Json{{"donor", r.name}, {"gifts", gifts}}.dump();
}

}  // namespace vledger::app
