// Fund projections: credit and charity funds, receipts, payments,
// dividends and monthly allowances (SPEC section 3). Money lives in the
// double-entry accounts (accounts.h), unit "fen":
//   donations:<fund> -> fund:<fund>[:<purpose>] -> paid:<fund>:<beneficiary>
// fund:<fund> is the unrestricted money, fund:<fund>:<purpose> the money
// restricted to a purpose (定向/限定性). The fund's own accounts are in its
// entity, fund/<code> (FundState); paid:<fund>:<id> in the beneficiary's.
// Other rows (u64be = 8-byte big-endian seq, so rows sort by seq):
//   frcpt/<fund>/<receipt>               (plain) seq of the donation that used a
//                                        receipt number of the treasurer's own
//   fpsplit/<u64be seq>                  (plain) what a payment for a purpose drew
//                                        on that purpose's money (the rest came
//                                        from unrestricted money)
//   fdiv/<fund>/<u64be seq>              (plain) DividendRecord of a dividendDeclared
//   fdivpend, fdivexp/<u64be index>      (plain) a dividend whose payments follow
//                                        in its commit, and its expected shares
//   allow/<u64be seq>                    (plain) AllowanceRecord
//   apaid/<u64be allowance>/<YYYY-MM>    (plain) seq of the payment for that month
//   fmov/<fund>/<u64be seq>              (index) FundMovement, for statements and
//                                        donors, chained in the fund's entity
// A payment is read back from the log (fundDisbursed) with its split.
// An individual donor's personRef is owned by kind "donor", id the
// donation's seq in decimal (registry.h, PersonOwner).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/state.h"

namespace vledger {

// Largest number of residents one dividend pays (one village).
inline constexpr size_t kDividendSharesMax = 100'000;

struct FundRecord {
  std::string code, name;
  FundKind kind = FundKind::kCredit;
  std::string village;
  BeneficiaryList list_beneficiaries = BeneficiaryList::kNone;
  uint64_t seq = 0;
  uint64_t next_receipt = 1;  // n of the next ledger-assigned receipt <FUND>-<n>
};

struct FundState {
  FundRecord rec;
  int64_t donations_fen = 0;  // account donations:<fund> (never above zero)
  // Accounts fund:<fund> ("") and fund:<fund>:<purpose>: every purpose that
  // ever held money, zero included, in byte order.
  std::vector<std::pair<std::string, int64_t>> purposes_fen;
  uint64_t movements = 0;  // index rows fmov/<fund>/..., chained:
  Hash movement_chain{};   // H(chain || value) over them in seq order

  static constexpr int kTableId = 6;
  static constexpr std::string_view kPrefix = "fund/";
  std::string EncodeRow() const;
  static FundState DecodeRow(std::string_view id, std::string_view row);
};

const FundState* FindFund(StateStore& state, std::string_view code);
FundState* MutableFund(StateStore& state, std::string_view code);
std::optional<FundRecord> LoadFund(StateStore& state, std::string_view code);
void StoreFund(StateStore& state, const FundRecord& fund);
std::vector<FundRecord> ListFunds(StateStore& state);

// Balance of a purpose ("" = unrestricted money) and of the whole fund.
int64_t PurposeBalance(StateStore& state, std::string_view fund, std::string_view purpose);
int64_t FundTotal(StateStore& state, std::string_view fund);

// Purposes that ever held money, in byte order (without "").
std::vector<std::string> ListPurposes(StateStore& state, std::string_view fund);

// Receipt numbers: the donation that used one, if any. A receipt of the
// ledger's own sequence (<FUND>-<n>) is used when n is below the fund's
// next number; the seq that used it is then not known (0).
std::optional<uint64_t> ReceiptUsedBy(StateStore& state, const FundRecord& fund,
                                      std::string_view receipt);
void StoreReceipt(StateStore& state, const FundRecord& fund, std::string_view receipt,
                  uint64_t seq);
// The ledger-assigned receipt number <fund>-<n>.
std::string AssignedReceipt(std::string_view fund, uint64_t n);
// Whether `receipt` has the shape <fund>-<digits> of the ledger's own numbers.
bool IsAssignedShape(std::string_view fund, std::string_view receipt);

// What one fundDisbursed drew, for reversals and statements.
struct PaymentRecord {
  std::string fund, beneficiary;  // beneficiary: resident or household id
  bool household = false;
  std::string purpose;
  int64_t from_purpose_fen = 0;       // drawn on fund:<fund>:<purpose>
  int64_t from_unrestricted_fen = 0;  // drawn on fund:<fund>
  uint64_t allowance = 0;             // allowance seq, or 0
  std::string period;
  uint64_t dividend = 0;  // seq of the dividendDeclared it belongs to, or 0
};
// The payment at `seq`, read from the log; nullopt when that event is not
// a fundDisbursed.
std::optional<PaymentRecord> LoadPayment(StateStore& state, uint64_t seq);
// Remembers what a payment for a purpose drew on the purpose's money.
void StorePaymentSplit(StateStore& state, uint64_t seq, int64_t from_purpose_fen);

struct DividendRecord {
  std::string fund, village, period;
  int64_t amount_fen = 0;
  uint64_t payments = 0;  // its fundDisbursed events are seq+1 .. seq+payments
};
std::optional<DividendRecord> LoadDividend(StateStore& state, std::string_view fund, uint64_t seq);
void StoreDividend(StateStore& state, uint64_t seq, const DividendRecord& dividend);
// The fund's dividends, by the seq of their dividendDeclared, in seq order
// (reversed ones included).
std::vector<std::pair<uint64_t, DividendRecord>> ListDividends(StateStore& state,
                                                               std::string_view fund);
// The first unreversed dividend of the fund for the village and period
// other than the one at `except`: what makes another one a repeat, which
// `dividend` refuses without --again (a rule of the command, not of the
// log: SPEC section 3).
std::optional<uint64_t> UnreversedDividend(StateStore& state, std::string_view fund,
                                           std::string_view village, std::string_view period,
                                           uint64_t except);
// The seq of the fund's dividend whose payments include `payment_seq`, or 0.
uint64_t DividendOfPayment(StateStore& state, std::string_view fund, uint64_t payment_seq);

// A dividend whose payments are still to follow in its commit.
struct PendingDividend {
  uint64_t declared_seq = 0;
  std::string fund, period;
  uint64_t next = 0, count = 0;  // next expected share index, number of shares
};
struct ExpectedShare {
  std::string resident;
  int64_t amount_fen = 0;
};
std::optional<PendingDividend> LoadPendingDividend(StateStore& state);
// Stores `pending`, or deletes the row when every share was paid.
void StorePendingDividend(StateStore& state, const PendingDividend& pending);
std::optional<ExpectedShare> LoadExpectedShare(StateStore& state, uint64_t index);
void StoreExpectedShare(StateStore& state, uint64_t index, const ExpectedShare& share);
void DeleteExpectedShare(StateStore& state, uint64_t index);

struct AllowanceRecord {
  uint64_t seq = 0;
  std::string fund, beneficiary;
  bool household = false;
  int64_t amount_fen = 0;
  std::string purpose, from_month, until_month;  // until empty: until stopped
  uint64_t stopped_seq = 0;                      // 0 while active
};
std::optional<AllowanceRecord> LoadAllowance(StateStore& state, uint64_t seq);
void StoreAllowance(StateStore& state, const AllowanceRecord& allowance);
std::vector<AllowanceRecord> ListAllowances(StateStore& state);
// Whether the allowance is due in `month` (YYYY-MM): active, within its
// months, and not yet paid for it.
bool AllowanceDue(StateStore& state, const AllowanceRecord& allowance, std::string_view month);
std::optional<uint64_t> AllowancePaidBy(StateStore& state, uint64_t allowance,
                                        std::string_view month);
void SetAllowancePaid(StateStore& state, uint64_t allowance, std::string_view month,
                      std::optional<uint64_t> payment_seq);

// One change to a fund's money, by the event (or reversal) at `seq`.
struct FundMovement {
  uint64_t seq = 0;
  std::string date;     // CST date it was recorded
  std::string type;     // "donation", "payment", "release" or "reversal"
  uint64_t target = 0;  // a reversal: the seq it reversed
  std::string purpose;
  int64_t restricted_delta = 0;    // change of fund:<fund>:<purpose>
  int64_t unrestricted_delta = 0;  // change of fund:<fund>
  std::string donor;               // donation: "ref:<hex>", "org:<name>" or "anon"
  bool public_name = false;
  std::string beneficiary;  // payment: "R:<id>" or "H:<id>"
};
// Emits the movement's index row and chains it into the fund's entity.
void StoreMovement(StateStore& state, FundState& fund, const FundMovement& movement);
std::vector<FundMovement> ListMovements(StateStore& state, std::string_view fund);
std::optional<FundMovement> LoadMovement(StateStore& state, std::string_view fund, uint64_t seq);
// The next link of a fund's movement chain, and a movement row's value.
Hash ChainMovement(const Hash& chain, std::string_view value);
std::optional<FundMovement> DecodeMovement(std::string_view value);
constexpr std::string_view kMovementPrefix = "fmov/";

// Who a donation may name in public (公益事业捐赠法 Art. 8): the
// organisation ("org:<name>"), or the person who consented to be named
// ("ref:<hex>"); "" for an anonymous gift or a person without consent,
// shown as 爱心人士.
std::string NamedDonor(const FundMovement& donation);

// Donations by an organisation (every fund's movements), in seq order.
std::vector<uint64_t> ListOrgDonations(StateStore& state, std::string_view org);

}  // namespace vledger
