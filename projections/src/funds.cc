#include "vledger/funds.h"

#include "vledger/accounts.h"
#include "vledger/bytes.h"

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

// Decodes a row written by this file; a malformed one is a bug or damage.
template <typename T, typename F>
std::optional<T> Decode(const std::optional<std::string>& row, F decode) {
  if (!row) return std::nullopt;
  RecordReader r(*row);
  T value = decode(r);
  VLEDGER_ASSERT(r.ok());
  return value;
}

std::optional<uint64_t> DecodeSeq(const std::optional<std::string>& row) {
  return Decode<uint64_t>(row, [](RecordReader& r) { return r.U64(); });
}

FundRecord DecodeFund(RecordReader& r) {
  FundRecord f;
  f.code = r.Str();
  f.name = r.Str();
  f.kind = r.Str();
  f.village = r.Str();
  f.list_beneficiaries = r.Str();
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

FundMovement DecodeMovement(RecordReader& r) {
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

std::optional<FundRecord> LoadFund(StateStore& state, std::string_view code) {
  return Decode<FundRecord>(state.Get(Key("fund", code)), DecodeFund);
}

void StoreFund(StateStore& state, const FundRecord& f) {
  state.Put(Key("fund", f.code), RecordWriter()
                                     .Str(f.code)
                                     .Str(f.name)
                                     .Str(f.kind)
                                     .Str(f.village)
                                     .Str(f.list_beneficiaries)
                                     .U64(f.seq)
                                     .U64(f.next_receipt)
                                     .Take());
}

std::vector<FundRecord> ListFunds(StateStore& state) {
  std::vector<FundRecord> out;
  state.Scan("fund/", [&](std::string_view, std::string_view value) {
    RecordReader r(value);
    out.push_back(DecodeFund(r));
    VLEDGER_ASSERT(r.ok());
    return true;
  });
  return out;
}

std::string FundAccount(std::string_view fund, std::string_view purpose) {
  std::string a = "fund:" + std::string(fund);
  if (!purpose.empty()) a += ":" + std::string(purpose);
  return a;
}

std::string DonationsAccount(std::string_view fund) { return "donations:" + std::string(fund); }

std::string PaidAccount(std::string_view fund, std::string_view beneficiary) {
  return "paid:" + std::string(fund) + ":" + std::string(beneficiary);
}

int64_t PurposeBalance(StateStore& state, std::string_view fund, std::string_view purpose) {
  return AccountBalance(state, kMoneyUnit, FundAccount(fund, purpose));
}

int64_t FundTotal(StateStore& state, std::string_view fund) {
  // Each balance is >= 0 and their sum is what donations brought in, which
  // Post() keeps within int64.
  int64_t total = PurposeBalance(state, fund, "");
  for (const std::string& p : ListPurposes(state, fund)) total += PurposeBalance(state, fund, p);
  return total;
}

std::vector<std::string> ListPurposes(StateStore& state, std::string_view fund) {
  std::vector<std::string> out;
  std::string prefix = Key("fpur", fund) + "/";
  state.Scan(prefix, [&](std::string_view key, std::string_view) {
    out.emplace_back(key.substr(prefix.size()));
    return true;
  });
  return out;
}

void MarkPurpose(StateStore& state, std::string_view fund, std::string_view purpose) {
  VLEDGER_ASSERT(!purpose.empty());
  state.Put(Key("fpur", fund, purpose), "");
}

// ------------------------------------------------------------- receipts

std::optional<uint64_t> ReceiptUsedBy(StateStore& state, std::string_view fund,
                                      std::string_view receipt) {
  return DecodeSeq(state.Get(Key("frcpt", fund, receipt)));
}

void StoreReceipt(StateStore& state, std::string_view fund, std::string_view receipt,
                  uint64_t seq) {
  state.Put(Key("frcpt", fund, receipt), RecordWriter().U64(seq).Take());
}

std::string AssignedReceipt(std::string_view fund, uint64_t n) {
  return std::string(fund) + "-" + std::to_string(n);
}

// ------------------------------------------------------------- payments

std::optional<PaymentRecord> LoadPayment(StateStore& state, uint64_t seq) {
  return Decode<PaymentRecord>(state.Get(SeqKey("fpay", seq)), [](RecordReader& r) {
    PaymentRecord p;
    p.fund = r.Str();
    p.beneficiary = r.Str();
    p.household = r.Bool();
    p.purpose = r.Str();
    p.from_purpose_fen = r.I64();
    p.from_unrestricted_fen = r.I64();
    p.allowance = r.U64();
    p.period = r.Str();
    p.dividend = r.U64();
    return p;
  });
}

void StorePayment(StateStore& state, uint64_t seq, const PaymentRecord& p) {
  state.Put(SeqKey("fpay", seq), RecordWriter()
                                     .Str(p.fund)
                                     .Str(p.beneficiary)
                                     .Bool(p.household)
                                     .Str(p.purpose)
                                     .I64(p.from_purpose_fen)
                                     .I64(p.from_unrestricted_fen)
                                     .U64(p.allowance)
                                     .Str(p.period)
                                     .U64(p.dividend)
                                     .Take());
}

// ------------------------------------------------------------ dividends

std::optional<DividendRecord> LoadDividend(StateStore& state, uint64_t seq) {
  return Decode<DividendRecord>(state.Get(SeqKey("fdiv", seq)), [](RecordReader& r) {
    DividendRecord d;
    d.fund = r.Str();
    d.village = r.Str();
    d.period = r.Str();
    d.amount_fen = r.I64();
    d.payments = r.U64();
    return d;
  });
}

void StoreDividend(StateStore& state, uint64_t seq, const DividendRecord& d) {
  state.Put(SeqKey("fdiv", seq), RecordWriter()
                                     .Str(d.fund)
                                     .Str(d.village)
                                     .Str(d.period)
                                     .I64(d.amount_fen)
                                     .U64(d.payments)
                                     .Take());
}

std::optional<PendingDividend> LoadPendingDividend(StateStore& state) {
  return Decode<PendingDividend>(state.Get("fdivpend"), [](RecordReader& r) {
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
  state.Put("fdivpend", RecordWriter()
                            .U64(p.declared_seq)
                            .Str(p.fund)
                            .Str(p.period)
                            .U64(p.next)
                            .U64(p.count)
                            .Take());
}

std::optional<ExpectedShare> LoadExpectedShare(StateStore& state, uint64_t index) {
  return Decode<ExpectedShare>(state.Get(SeqKey("fdivexp", index)), [](RecordReader& r) {
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
  return Decode<AllowanceRecord>(state.Get(SeqKey("allow", seq)), DecodeAllowance);
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
  state.Scan("allow/", [&](std::string_view, std::string_view value) {
    RecordReader r(value);
    out.push_back(DecodeAllowance(r));
    VLEDGER_ASSERT(r.ok());
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
  return DecodeSeq(state.Get(SeqKey("apaid", allowance) + "/" + std::string(month)));
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

void StoreMovement(StateStore& state, std::string_view fund, const FundMovement& m) {
  std::string key = Key("fmov", fund) + "/";
  PutU64be(&key, m.seq);
  state.Put(key, RecordWriter()
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
                     .Take());
}

std::vector<FundMovement> ListMovements(StateStore& state, std::string_view fund) {
  std::vector<FundMovement> out;
  state.Scan(Key("fmov", fund) + "/", [&](std::string_view, std::string_view value) {
    RecordReader r(value);
    out.push_back(DecodeMovement(r));
    VLEDGER_ASSERT(r.ok());
    return true;
  });
  return out;
}

std::optional<FundMovement> LoadMovement(StateStore& state, std::string_view fund, uint64_t seq) {
  std::string key = Key("fmov", fund) + "/";
  PutU64be(&key, seq);
  return Decode<FundMovement>(state.Get(key), DecodeMovement);
}

void IndexOrgDonation(StateStore& state, std::string_view org, uint64_t seq) {
  std::string key = Key("forg", Hex(org)) + "/";
  PutU64be(&key, seq);
  state.Put(key, "");
}

std::vector<uint64_t> ListOrgDonations(StateStore& state, std::string_view org) {
  std::vector<uint64_t> out;
  std::string prefix = Key("forg", Hex(org)) + "/";
  state.Scan(prefix, [&](std::string_view key, std::string_view) {
    VLEDGER_ASSERT(key.size() == prefix.size() + 8);
    out.push_back(GetU64be(key.substr(prefix.size())));
    return true;
  });
  return out;
}

}  // namespace vledger
