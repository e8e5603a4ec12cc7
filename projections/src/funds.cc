#include "vledger/projections/funds.h"

#include "row_damage.h"
#include "row_vocab.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/projections/accounts.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"

namespace vledger {
namespace {

std::string Key(std::string_view prefix, std::string_view a) {
  std::string k(prefix);
  k += '/';
  k.append(a);
  return k;
}

std::string Key(std::string_view prefix, std::string_view a, std::string_view b) {
  return Key(Key(prefix, a), b);
}

std::string SeqKey(std::string_view prefix, uint64_t seq) {
  std::string k(prefix);
  k += '/';
  PutU64be(&k, seq);
  return k;
}

// Decodes the row under `key`, written by this file; a malformed one is
// damage (row_damage.h).
template <typename T, typename F>
T DecodeValue(std::string_view key, std::string_view value, F decode) {
  RecordReader r(value);
  T decoded = decode(r);
  detail::CheckRow(r.ok(), key);
  return decoded;
}

// The same for the row under `key` in `state`; nullopt when there is none.
template <typename T, typename F>
std::optional<T> Decode(StateStore& state, const std::string& key, F decode) {
  auto row = state.Get(key);
  if (!row) return std::nullopt;
  return DecodeValue<T>(key, *row, decode);
}

std::optional<uint64_t> DecodeSeq(StateStore& state, const std::string& key) {
  return Decode<uint64_t>(state, key, [](RecordReader& r) { return r.U64(); });
}

FundRecord DecodeFund(RecordReader& r, std::string_view id) {
  FundRecord f;
  f.code = r.Str();
  f.name = r.Str();
  f.kind = detail::DecodeVocab<FundKind>(r.Str(), FundState::kPrefix, id);
  f.village = r.Str();
  f.list_beneficiaries = detail::DecodeVocab<BeneficiaryList>(r.Str(), FundState::kPrefix, id);
  f.seq = r.U64();
  f.next_receipt = r.U64();
  return f;
}

AllowanceRecord DecodeAllowance(RecordReader& r) {
  AllowanceRecord a;
  a.seq = r.U64();
  a.fund = r.Str();
  a.beneficiary = r.Str();
  a.household = r.Bool();
  a.amount_fen = r.I64();
  a.purpose = r.Str();
  a.from_month = r.Str();
  a.until_month = r.Str();
  a.stopped_seq = r.U64();
  return a;
}

FundMovement MovementFrom(RecordReader& r) {
  FundMovement m;
  m.seq = r.U64();
  m.date = r.Str();
  m.type = r.Str();
  m.target = r.U64();
  m.purpose = r.Str();
  m.restricted_delta = r.I64();
  m.unrestricted_delta = r.I64();
  m.donor = r.Str();
  m.public_name = r.Bool();
  m.beneficiary = r.Str();
  return m;
}

}  // namespace

// ---------------------------------------------------------------- funds

std::string FundState::EncodeRow() const {
  RecordWriter w;
  w.Str(rec.code)
      .Str(rec.name)
      .Str(Name(rec.kind))
      .Str(rec.village)
      .Str(Name(rec.list_beneficiaries));
  w.U64(rec.seq).U64(rec.next_receipt);
  w.I64(donations_fen).U64(purposes_fen.size());
  for (const auto& [p, v] : purposes_fen) w.Str(p).I64(v);
  w.U64(movements).Str(AsView(movement_chain));
  return w.Take();
}

FundState FundState::DecodeRow(std::string_view code, std::string_view row) {
  RecordReader r(row);
  FundState f;
  f.rec = DecodeFund(r, code);
  f.donations_fen = r.I64();
  uint64_t n = r.U64();
  for (uint64_t i = 0; i < n && r.ok(); i++) {
    std::string p = r.Str();
    f.purposes_fen.emplace_back(std::move(p), r.I64());
  }
  f.movements = r.U64();
  auto chain = HashFrom(r.Str());
  detail::CheckRow(r.ok() && r.done() && chain.has_value(),
                   std::string(kPrefix) + std::string(code));
  f.movement_chain = *chain;
  return f;
}

const FundState* FindFund(StateStore& state, std::string_view code) {
  return state.table<FundState>().Find(code);
}

FundState* MutableFund(StateStore& state, std::string_view code) {
  return state.table<FundState>().Mutable(code);
}

std::optional<FundRecord> LoadFund(StateStore& state, std::string_view code) {
  const FundState* f = FindFund(state, code);
  return f ? std::optional<FundRecord>(f->rec) : std::nullopt;
}

void StoreFund(StateStore& state, const FundRecord& fund) {
  auto& funds = state.table<FundState>();
  if (FundState* f = funds.Mutable(fund.code)) {
    f->rec = fund;
    return;
  }
  FundState f;
  f.rec = fund;
  funds.Insert(fund.code, std::move(f));
}

std::vector<FundRecord> ListFunds(StateStore& state) {
  std::vector<FundRecord> out;
  state.table<FundState>().ForEach(
      [&](std::string_view, const FundState& f) { out.push_back(f.rec); });
  return out;
}

int64_t PurposeBalance(StateStore& state, std::string_view fund, std::string_view purpose) {
  const FundState* f = FindFund(state, fund);
  return f ? SortedAmount(f->purposes_fen, purpose) : 0;
}

int64_t FundTotal(StateStore& state, std::string_view fund) {
  // Each balance is >= 0 and their sum is what donations brought in, which
  // the donation check keeps within int64.
  const FundState* f = FindFund(state, fund);
  if (f == nullptr) return 0;
  int64_t total = 0;
  for (const auto& [p, v] : f->purposes_fen) total += v;
  return total;
}

std::vector<std::string> ListPurposes(StateStore& state, std::string_view fund) {
  std::vector<std::string> out;
  const FundState* f = FindFund(state, fund);
  if (f == nullptr) return out;
  for (const auto& [p, v] : f->purposes_fen) {
    if (!p.empty()) out.push_back(p);
  }
  return out;
}

// ------------------------------------------------------------- receipts

bool IsAssignedShape(std::string_view fund, std::string_view receipt) {
  if (receipt.size() <= fund.size() + 1 || receipt.substr(0, fund.size()) != fund ||
      receipt[fund.size()] != '-') {
    return false;
  }
  std::string_view n = receipt.substr(fund.size() + 1);
  return n.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<uint64_t> ReceiptUsedBy(StateStore& state, const FundRecord& fund,
                                      std::string_view receipt) {
  if (IsAssignedShape(fund.code, receipt)) {
    std::string_view digits = receipt.substr(fund.code.size() + 1);
    // Numbers of the ledger's own sequence have no leading zeros.
    if (digits.size() > 19 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
    if (std::stoull(std::string(digits)) < fund.next_receipt) return uint64_t{0};
    return std::nullopt;
  }
  return DecodeSeq(state, Key("frcpt", fund.code, receipt));
}

void StoreReceipt(StateStore& state, const FundRecord& fund, std::string_view receipt,
                  uint64_t seq) {
  if (IsAssignedShape(fund.code, receipt)) return;  // the fund's counter says it
  state.Put(Key("frcpt", fund.code, receipt), RecordWriter().U64(seq).Take());
}

std::string AssignedReceipt(std::string_view fund, uint64_t n) {
  return std::string(fund) + "-" + std::to_string(n);
}

// ------------------------------------------------------------- payments

std::optional<PaymentRecord> LoadPayment(StateStore& state, uint64_t seq) {
  Result<Event> event = state.ReadEvent(seq);
  if (!event.ok() && event.status().is_storage_fault()) throw RowReadError(event.status());
  if (!event.ok()) return std::nullopt;
  const auto* d = std::get_if<FundDisbursed>(&event->body);
  if (d == nullptr) return std::nullopt;
  PaymentRecord p;
  p.fund = d->fund;
  p.household = !d->to_household.empty();
  p.beneficiary = p.household ? d->to_household : d->to_resident;
  p.purpose = d->purpose;
  if (!d->purpose.empty()) {
    auto split = DecodeSeq(state, SeqKey("fpsplit", seq));
    p.from_purpose_fen = static_cast<int64_t>(split.value_or(0));
  }
  p.from_unrestricted_fen = d->amount_fen - p.from_purpose_fen;
  p.allowance = d->allowance;
  p.period = d->period;
  p.dividend = DividendOfPayment(state, d->fund, seq);
  return p;
}

void StorePaymentSplit(StateStore& state, uint64_t seq, int64_t from_purpose_fen) {
  if (from_purpose_fen == 0) return;
  VLEDGER_ASSERT(from_purpose_fen > 0);
  state.Put(SeqKey("fpsplit", seq),
            RecordWriter().U64(static_cast<uint64_t>(from_purpose_fen)).Take());
}

// ------------------------------------------------------------ dividends

namespace {
DividendRecord ReadDividend(RecordReader& r) {
  DividendRecord d;
  d.fund = r.Str();
  d.village = r.Str();
  d.period = r.Str();
  d.amount_fen = r.I64();
  d.payments = r.U64();
  return d;
}
}  // namespace

std::optional<DividendRecord> LoadDividend(StateStore& state, std::string_view fund, uint64_t seq) {
  return Decode<DividendRecord>(state, SeqKey(Key("fdiv", fund), seq), ReadDividend);
}

void StoreDividend(StateStore& state, uint64_t seq, const DividendRecord& d) {
  state.Put(SeqKey(Key("fdiv", d.fund), seq), RecordWriter()
                                                  .Str(d.fund)
                                                  .Str(d.village)
                                                  .Str(d.period)
                                                  .I64(d.amount_fen)
                                                  .U64(d.payments)
                                                  .Take());
}

std::vector<std::pair<uint64_t, DividendRecord>> ListDividends(StateStore& state,
                                                               std::string_view fund) {
  std::string prefix = Key("fdiv", fund) + "/";
  std::vector<std::pair<uint64_t, DividendRecord>> out;
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() != prefix.size() + 8) return true;
    DividendRecord d = DecodeValue<DividendRecord>(key, value, ReadDividend);
    out.emplace_back(GetU64be(key.substr(prefix.size())), std::move(d));
    return true;
  });
  return out;
}

std::optional<uint64_t> UnreversedDividend(StateStore& state, std::string_view fund,
                                           std::string_view village, std::string_view period,
                                           uint64_t except) {
  for (const auto& [seq, d] : ListDividends(state, fund)) {
    if (seq != except && d.village == village && d.period == period && !ReversedBy(state, seq)) {
      return seq;
    }
  }
  return std::nullopt;
}

uint64_t DividendOfPayment(StateStore& state, std::string_view fund, uint64_t payment_seq) {
  std::string prefix = Key("fdiv", fund) + "/";
  uint64_t found = 0;
  state.Scan(prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() != prefix.size() + 8) return true;
    uint64_t seq = GetU64be(key.substr(prefix.size()));
    if (seq >= payment_seq) return false;
    RecordReader r(value);
    r.Str(), r.Str(), r.Str(), r.I64();
    uint64_t payments = r.U64();
    detail::CheckRow(r.ok(), key);
    if (payment_seq <= seq + payments) found = seq;
    return true;
  });
  return found;
}

std::optional<PendingDividend> LoadPendingDividend(StateStore& state) {
  return Decode<PendingDividend>(state, "fdivpend", [](RecordReader& r) {
    PendingDividend p;
    p.declared_seq = r.U64();
    p.fund = r.Str();
    p.period = r.Str();
    p.next = r.U64();
    p.count = r.U64();
    return p;
  });
}

void StorePendingDividend(StateStore& state, const PendingDividend& p) {
  VLEDGER_ASSERT(p.next <= p.count);
  if (p.next == p.count) {
    state.Delete("fdivpend");
    return;
  }
  state.Put(
      "fdivpend",
      RecordWriter().U64(p.declared_seq).Str(p.fund).Str(p.period).U64(p.next).U64(p.count).Take());
}

std::optional<ExpectedShare> LoadExpectedShare(StateStore& state, uint64_t index) {
  return Decode<ExpectedShare>(state, SeqKey("fdivexp", index), [](RecordReader& r) {
    ExpectedShare s;
    s.resident = r.Str();
    s.amount_fen = r.I64();
    return s;
  });
}

void StoreExpectedShare(StateStore& state, uint64_t index, const ExpectedShare& s) {
  state.Put(SeqKey("fdivexp", index), RecordWriter().Str(s.resident).I64(s.amount_fen).Take());
}

void DeleteExpectedShare(StateStore& state, uint64_t index) {
  state.Delete(SeqKey("fdivexp", index));
}

// ----------------------------------------------------------- allowances

std::optional<AllowanceRecord> LoadAllowance(StateStore& state, uint64_t seq) {
  return Decode<AllowanceRecord>(state, SeqKey("allow", seq), DecodeAllowance);
}

void StoreAllowance(StateStore& state, const AllowanceRecord& a) {
  state.Put(SeqKey("allow", a.seq), RecordWriter()
                                        .U64(a.seq)
                                        .Str(a.fund)
                                        .Str(a.beneficiary)
                                        .Bool(a.household)
                                        .I64(a.amount_fen)
                                        .Str(a.purpose)
                                        .Str(a.from_month)
                                        .Str(a.until_month)
                                        .U64(a.stopped_seq)
                                        .Take());
}

std::vector<AllowanceRecord> ListAllowances(StateStore& state) {
  std::vector<AllowanceRecord> out;
  state.Scan("allow/", [&](std::string_view key, std::string_view value) {
    out.push_back(DecodeValue<AllowanceRecord>(key, value, DecodeAllowance));
    return true;
  });
  return out;
}

bool AllowanceDue(StateStore& state, const AllowanceRecord& a, std::string_view month) {
  if (a.stopped_seq != 0) return false;
  // YYYY-MM strings compare like the months they name.
  if (month < std::string_view(a.from_month)) return false;
  if (!a.until_month.empty() && month > std::string_view(a.until_month)) return false;
  return !AllowancePaidBy(state, a.seq, month).has_value();
}

std::optional<uint64_t> AllowancePaidBy(StateStore& state, uint64_t allowance,
                                        std::string_view month) {
  return DecodeSeq(state, SeqKey("apaid", allowance) + "/" + std::string(month));
}

void SetAllowancePaid(StateStore& state, uint64_t allowance, std::string_view month,
                      std::optional<uint64_t> payment_seq) {
  std::string key = SeqKey("apaid", allowance) + "/" + std::string(month);
  if (payment_seq) {
    state.Put(key, RecordWriter().U64(*payment_seq).Take());
  } else {
    state.Delete(key);
  }
}

// ------------------------------------------------------------ movements

namespace {

std::string MovementKey(std::string_view fund, uint64_t seq) {
  std::string key(kMovementPrefix);
  key.append(fund);
  key += '/';
  PutU64be(&key, seq);
  return key;
}

}  // namespace

Hash ChainMovement(const Hash& chain, std::string_view value) {
  Sha256Hasher h;
  h.Update(AsView(chain)).Update(value);
  return h.Finish();
}

std::optional<FundMovement> DecodeMovement(std::string_view value) {
  RecordReader r(value);
  FundMovement m = MovementFrom(r);
  if (!r.ok() || !r.done()) return std::nullopt;
  return m;
}

void StoreMovement(StateStore& state, FundState& fund, const FundMovement& m) {
  std::string value = RecordWriter()
                          .U64(m.seq)
                          .Str(m.date)
                          .Str(m.type)
                          .U64(m.target)
                          .Str(m.purpose)
                          .I64(m.restricted_delta)
                          .I64(m.unrestricted_delta)
                          .Str(m.donor)
                          .Bool(m.public_name)
                          .Str(m.beneficiary)
                          .Take();
  state.Emit(MovementKey(fund.rec.code, m.seq), value);
  fund.movement_chain = ChainMovement(fund.movement_chain, value);
  fund.movements++;
}

std::vector<FundMovement> ListMovements(StateStore& state, std::string_view fund) {
  std::vector<FundMovement> out;
  state.Scan(std::string(kMovementPrefix) + std::string(fund) + "/",
             [&](std::string_view key, std::string_view value) {
               auto m = DecodeMovement(value);
               detail::CheckRow(m.has_value(), key);
               out.push_back(std::move(*m));
               return true;
             });
  return out;
}

std::optional<FundMovement> LoadMovement(StateStore& state, std::string_view fund, uint64_t seq) {
  auto row = state.Get(MovementKey(fund, seq));
  if (!row) return std::nullopt;
  return DecodeMovement(*row);
}

std::string NamedDonor(const FundMovement& donation) {
  if (donation.donor.rfind("org:", 0) == 0) return donation.donor;
  if (donation.donor.rfind("ref:", 0) == 0 && donation.public_name) return donation.donor;
  return "";
}

std::vector<uint64_t> ListOrgDonations(StateStore& state, std::string_view org) {
  std::vector<uint64_t> out;
  std::string donor = "org:" + std::string(org);
  state.Scan(kMovementPrefix, [&](std::string_view key, std::string_view value) {
    auto m = DecodeMovement(value);
    detail::CheckRow(m.has_value(), key);
    if (m->type == "donation" && m->donor == donor) out.push_back(m->seq);
    return true;
  });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace vledger
