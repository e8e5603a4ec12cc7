// Fund commands: fund open/list, donate, disburse, release, dividend,
// allowance add/stop/run/list, and the queries donor, statement and
// `balance --fund` (funds_queries.cc). Amounts are read as yuan
// (money.h) and travel as integer fen.
#include <algorithm>
#include <array>
#include <map>
#include <memory>

#include "append.h"
#include "context.h"
#include "funds_cli.h"
#include "vledger/ledger/codec.h"
#include "vledger/projections/dividend.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/money.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger::cli {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A payment listed in a dividend's or an allowance run's result.
struct Payment {
  std::string to;
  int64_t amount_fen = 0;
  uint64_t order = 0;  // tie-break for one beneficiary paid twice
};

Json PaymentsJson(std::vector<Payment> payments) {
  std::sort(payments.begin(), payments.end(), [](const Payment& a, const Payment& b) {
    return a.to != b.to ? a.to < b.to : a.order < b.order;
  });
  Json out = Json::array();
  for (const Payment& p : payments) out.push_back(Json{{"to", p.to}, {"amountFen", p.amount_fen}});
  return out;
}

// What one appending fund command runs: `build` adds the events; `extend`
// adds fields to the JSON result; `after` prints human lines once appended.
struct FundAppend {
  std::function<Status(CommitBuilder&)> build;
  std::function<void(Json&)> extend;
  std::function<void()> after;
  // A reminder printed on stderr once appended (a rejection prints only
  // its one error line).
  std::string warning;
};

void AddRequestId(CLI::App* cmd, std::string& request_id) {
  cmd->add_option("--request-id", request_id, "idempotency key");
}

// Registers `make` as the command's action; `make` runs after parsing and
// returns the pieces of the append.
template <typename Opts>
void OnAppend(CLI::App* cmd, Context& ctx, Action* action, std::shared_ptr<Opts> o,
              std::function<FundAppend(const Opts&, Context&)> make) {
  cmd->callback([&ctx, action, o, cmd, make] {
    *action = [&ctx, o, fp = Fingerprint(*cmd), make]() -> Status {
      FundAppend a = make(*o, ctx);
      VLEDGER_TRY(AppendCommand(ctx, {o->request_id, fp}, a.build, a.extend));
      if (a.after && !ctx.options.json) a.after();
      if (!a.warning.empty()) ctx.Warn(a.warning);
      return Status::Ok();
    };
  });
}

// Resolves --to: a resident id, else a household id.
Result<std::pair<std::string, std::string>> ResolveTo(StateStore& state, const std::string& to) {
  VLEDGER_TRY(CheckId("--to", to));
  if (LoadResident(state, to)) return std::make_pair(to, std::string());
  if (LoadHousehold(state, to)) return std::make_pair(std::string(), to);
  return Status::Rejected("--to: no resident or household " + Quoted(to));
}

Result<uint64_t> ParseSeqArg(const std::string& field, const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Rejected(field + ": " + Quoted(text) + " is not a seq");
  }
  return std::stoull(text);
}

Result<FundRecord> FundOf(StateStore& state, const std::string& field, const std::string& code) {
  VLEDGER_TRY(CheckId(field, code));
  auto f = LoadFund(state, code);
  if (!f) return Status::Rejected(field + ": unknown fund " + Quoted(code));
  return *f;
}

// A payment's or allowance's purpose names money the fund held: a purpose
// that never held any (ListPurposes keeps every one, zero included) is
// most likely a typo, which would silently draw unrestricted money.
Status CheckPurposeHeld(StateStore& state, const FundRecord& fund, const std::string& purpose) {
  if (purpose.empty()) return Status::Ok();
  VLEDGER_TRY(CheckId("--purpose", purpose));
  std::vector<std::string> purposes = ListPurposes(state, fund.code);
  if (std::find(purposes.begin(), purposes.end(), purpose) != purposes.end()) {
    return Status::Ok();
  }
  std::string held;
  for (const std::string& p : purposes) held += (held.empty() ? "" : ", ") + p;
  return Status::Rejected(
      "--purpose: fund " + fund.code + " never held money for purpose " + Quoted(purpose) +
      (held.empty() ? " (it has no restricted purposes)" : " (its purposes: " + held + ")"));
}

// ------------------------------------------------------------ fund open

struct OpenOpts {
  std::string request_id, code, name, kind, village, list = "none";
};

void RegisterFundOpen(CLI::App& fund, Context& context, Action* action) {
  auto opts = std::make_shared<OpenOpts>();
  CLI::App* cmd = AddCommand(fund, "open", "open a credit or charity fund (admin)");
  cmd->add_option("CODE", opts->code, "fund code")->required();
  cmd->add_option("--name", opts->name, "fund name, e.g. 曲家村信用基金")->required();
  cmd->add_option("--kind", opts->kind, "credit|charity")->required();
  cmd->add_option("--village", opts->village, "village scope (none: county level)");
  cmd->add_option("--list-beneficiaries", opts->list, "none|masked|full in public reports");
  AddRequestId(cmd, opts->request_id);
  OnAppend<OpenOpts>(cmd, context, action, opts, [](const OpenOpts& o, Context&) {
    FundAppend a;
    a.build = [o](CommitBuilder& b) {
      return b.Add(FundOpened{o.code, o.name, o.kind, o.village, o.list}).status();
    };
    return a;
  });
}

// --------------------------------------------------------------- donate

struct DonateOpts : DonationArgs {
  std::string request_id;
};

void RegisterDonate(CLI::App& app, Context& context, Action* action) {
  auto opts = std::make_shared<DonateOpts>();
  CLI::App* cmd = AddCommand(app, "donate", "record a donation to a fund, with a receipt number");
  cmd->add_option("FUND", opts->fund, "fund code")->required();
  cmd->add_option("--amount", opts->amount, "yuan, e.g. 500 or 500.50")->required();
  cmd->add_option("--donor", opts->donor, "an individual donor's name (kept beside the chain)");
  cmd->add_flag("--public-name", opts->public_name, "the donor consents to be named in public");
  cmd->add_option("--donor-org", opts->donor_org, "a donating organisation's name");
  cmd->add_flag("--anonymous", opts->anonymous, "an anonymous gift, shown as 爱心人士 (default)");
  cmd->add_option("--phone", opts->phone, "the donor's phone (kept beside the chain)");
  cmd->add_option("--purpose", opts->purpose, "restricted purpose (定向/限定性); none: unrestricted");
  cmd->add_option("--receipt", opts->receipt, "receipt number (default: the fund's next <FUND>-<n>)");
  AddRequestId(cmd, opts->request_id);
  OnAppend<DonateOpts>(cmd, context, action, opts, [](const DonateOpts& o, Context& ctx) {
    auto receipt = std::make_shared<std::string>();
    FundAppend a;
    a.build = [o, receipt](CommitBuilder& b) { return BuildDonation(b, o, receipt.get()); };
    a.extend = [receipt](Json& j) { j["receipt"] = *receipt; };
    a.after = [&ctx, receipt] {
      if (!receipt->empty()) ctx.PrintLine("receipt " + *receipt);
    };
    return a;
  });
}

// ------------------------------------------------------------- disburse

struct DisburseOpts : DisbursementArgs {
  std::string request_id;
};

void RegisterDisburse(CLI::App& app, Context& context, Action* action) {
  auto opts = std::make_shared<DisburseOpts>();
  CLI::App* cmd = AddCommand(app, "disburse", "pay a resident or household from a fund");
  cmd->add_option("FUND", opts->fund, "fund code")->required();
  cmd->add_option("--to", opts->to, "resident or household id")->required();
  cmd->add_option("--amount", opts->amount, "yuan")->required();
  cmd->add_option("--purpose", opts->purpose, "draw on this purpose's restricted money first");
  cmd->add_option("--period", opts->period, "the period paid for (2021Q3, 2021-07, 2021)");
  cmd->add_option("--note", opts->note, "public note");
  AddRequestId(cmd, opts->request_id);
  OnAppend<DisburseOpts>(cmd, context, action, opts, [](const DisburseOpts& o, Context&) {
    FundAppend a;
    if (!o.note.empty()) a.warning = "--note is public: keep personal details out of it";
    a.build = [o](CommitBuilder& b) { return BuildDisbursement(b, o); };
    return a;
  });
}

// -------------------------------------------------------------- release

struct ReleaseOpts {
  std::string request_id, fund, purpose, amount, consent;
};

void RegisterRelease(CLI::App& app, Context& context, Action* action) {
  auto opts = std::make_shared<ReleaseOpts>();
  CLI::App* cmd = AddCommand(app, "release",
                             "lift a restriction with the donor's consent (慈善法 Art. 56)");
  cmd->add_option("FUND", opts->fund, "fund code")->required();
  cmd->add_option("--purpose", opts->purpose, "the restricted purpose")->required();
  cmd->add_option("--amount", opts->amount, "yuan")->required();
  cmd->add_option("--consent", opts->consent, "the donor's consent note (public)")->required();
  AddRequestId(cmd, opts->request_id);
  OnAppend<ReleaseOpts>(cmd, context, action, opts, [](const ReleaseOpts& o, Context&) {
    FundAppend a;
    a.warning = "--consent is public: keep personal details out of it";
    a.build = [o](CommitBuilder& b) -> Status {
      VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--amount", o.amount));
      VLEDGER_ASSIGN_OR_RETURN(FundRecord fund, FundOf(b.state(), "FUND", o.fund));
      return b.Add(RestrictionReleased{fund.code, o.purpose, fen, o.consent}).status();
    };
    return a;
  });
}

// ------------------------------------------------------------- dividend

struct DividendOpts {
  std::string request_id, fund, village, period, amount;
  bool again = false;
};

void PrintPayments(Context& ctx, const std::vector<Payment>& payments) {
  for (const Payment& p : payments) ctx.PrintLine("  " + p.to + "  " + FormatYuan(p.amount_fen));
}

// What a dividend paid, and whom it left out.
struct DividendResult {
  std::vector<Payment> payments;
  std::vector<std::string> skipped;  // departed or deceased, with positive points
};

void RegisterDividend(CLI::App& app, Context& context, Action* action) {
  auto opts = std::make_shared<DividendOpts>();
  CLI::App* cmd = AddCommand(app, "dividend",
                             "pay a credit fund's dividend in proportion to the period's points");
  cmd->add_option("FUND", opts->fund, "credit fund code")->required();
  cmd->add_option("--village", opts->village, "village")->required();
  cmd->add_option("--period", opts->period, "2021Q3, 2021-07 or 2021")->required();
  cmd->add_option("--amount", opts->amount, "total in yuan")->required();
  cmd->add_flag("--again", opts->again,
                "pay although the fund already paid a dividend for this village and period");
  AddRequestId(cmd, opts->request_id);
  OnAppend<DividendOpts>(cmd, context, action, opts, [](const DividendOpts& o, Context& ctx) {
    auto result = std::make_shared<DividendResult>();
    FundAppend a;
    a.build = [o, result](CommitBuilder& b) -> Status {
      VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--amount", o.amount));
      VLEDGER_ASSIGN_OR_RETURN(FundRecord fund, FundOf(b.state(), "FUND", o.fund));
      // The handler validates and computes the same allocation; it rejects
      // a period without positive points before anything is paid.
      VLEDGER_ASSIGN_OR_RETURN(
          uint64_t declared,
          b.Add(DividendDeclared{fund.code, o.village, o.period, fen, /*active_only=*/true}));
      if (!o.again) {
        if (auto seq = UnreversedDividend(b.state(), fund.code, o.village, o.period, declared)) {
          return Status::Rejected("--period: fund " + fund.code +
                                  " already paid a dividend for village " + Quoted(o.village) +
                                  " and " + o.period + " at seq " + std::to_string(*seq) +
                                  " (reverse it, or give --again to pay another)");
        }
      }
      VLEDGER_ASSIGN_OR_RETURN(
          auto shares, AllocateDividend(fen, DividendPointsList(b.state(), o.village, o.period,
                                                                true, &result->skipped)));
      for (const DividendShare& s : shares) {
        if (s.amount_fen == 0) continue;
        VLEDGER_TRY(
            b.Add(FundDisbursed{fund.code, s.resident, "", s.amount_fen, "", o.period, "", 0})
                .status());
        result->payments.push_back(Payment{s.resident, s.amount_fen, result->payments.size()});
      }
      return Status::Ok();
    };
    a.extend = [result](Json& j) {
      j["payments"] = PaymentsJson(result->payments);
      j["skipped"] = result->skipped;
    };
    a.after = [&ctx, result] {
      PrintPayments(ctx, result->payments);
      if (result->skipped.empty()) return;
      std::string ids;
      for (const std::string& id : result->skipped) ids += " " + id;
      ctx.PrintLine("skipped " + std::to_string(result->skipped.size()) +
                    (result->skipped.size() == 1 ? " resident" : " residents") +
                    ": departed or deceased (" + ids.substr(1) + ")");
    };
    return a;
  });
}

// ------------------------------------------------------------ allowances

struct AllowanceAddOpts {
  std::string request_id, fund, to, amount, from, until, purpose;
};

struct AllowanceStopOpts {
  std::string request_id, seq;
};

struct AllowanceRunOpts {
  std::string request_id, month, fund;
  bool advance = false;
};

// Whether the signing key may pay from `fund` (what the handlers check).
bool KeyMayWrite(const std::optional<KeyRecord>& key, const FundRecord& fund) {
  if (!key) return false;
  if (key->role == "admin") return true;
  if (key->role != "treasurer") return false;
  if (key->villages.empty()) return true;
  return std::find(key->villages.begin(), key->villages.end(), fund.village) !=
         key->villages.end();
}

// The allowances due in `month`, in seq order: of `fund` when given, else
// of every fund the key may pay from. Allowances to residents who are no
// longer active are left out with a warning.
std::vector<AllowanceRecord> DueAllowances(Context& ctx, CommitBuilder& b, const std::string& month,
                                           const std::string& fund) {
  StateStore& state = b.state();
  std::optional<KeyRecord> key = LoadKey(state, b.key_id());
  std::map<std::string, bool> may_write;
  std::vector<AllowanceRecord> due;
  for (const AllowanceRecord& a : ListAllowances(state)) {
    if (!fund.empty() && a.fund != fund) continue;
    if (!AllowanceDue(state, a, month)) continue;
    if (fund.empty()) {
      auto it = may_write.find(a.fund);
      if (it == may_write.end()) {
        it = may_write.emplace(a.fund, KeyMayWrite(key, *LoadFund(state, a.fund))).first;
      }
      if (!it->second) continue;
    }
    if (!a.household) {
      auto r = LoadResident(state, a.beneficiary);
      if (r && r->status != "active") {
        ctx.Warn("allowance " + std::to_string(a.seq) + ": resident " + a.beneficiary + " is " +
                 r->status + "; not paid (stop it with `allowance stop " + std::to_string(a.seq) +
                 "`)");
        continue;
      }
    }
    due.push_back(a);
  }
  return due;
}

// Checks that every fund can cover all of its due payments; otherwise
// names each fund that falls short, by how much and which allowances.
Status CheckCoverage(StateStore& state, const std::vector<AllowanceRecord>& due,
                     const std::string& month) {
  std::map<std::string, std::map<std::string, int64_t>> balance;  // fund -> purpose -> fen
  std::map<std::string, std::pair<int64_t, std::vector<uint64_t>>> short_of;
  for (const AllowanceRecord& a : due) {
    auto& purposes = balance[a.fund];
    for (const std::string& p : {a.purpose, std::string()}) {
      if (!purposes.count(p)) purposes[p] = PurposeBalance(state, a.fund, p);
    }
    int64_t left = a.amount_fen;
    for (const std::string& p : {a.purpose, std::string()}) {
      int64_t take = std::min(left, purposes[p]);
      purposes[p] -= take;
      left -= take;
    }
    if (left > 0) {
      short_of[a.fund].first += left;
      short_of[a.fund].second.push_back(a.seq);
    }
  }
  if (short_of.empty()) return Status::Ok();
  std::string msg = "allowances due in " + month + " were not paid: ";
  bool first = true;
  for (const auto& [fund, s] : short_of) {
    if (!first) msg += "; ";
    first = false;
    msg += "fund " + fund + " is short by " + FormatYuan(s.first) + " (allowances";
    for (uint64_t seq : s.second) msg += " " + std::to_string(seq);
    msg += ")";
  }
  return Status::Rejected(msg);
}

void RegisterAllowanceWrites(CLI::App& allowance, Context& context, Action* action) {
  {
    auto opts = std::make_shared<AllowanceAddOpts>();
    CLI::App* cmd = AddCommand(allowance, "add", "add a monthly allowance");
    cmd->add_option("FUND", opts->fund, "fund code")->required();
    cmd->add_option("--to", opts->to, "resident or household id")->required();
    cmd->add_option("--amount", opts->amount, "yuan per month")->required();
    cmd->add_option("--from", opts->from, "first month, YYYY-MM")->required();
    cmd->add_option("--until", opts->until, "last month, YYYY-MM (default: until stopped)");
    cmd->add_option("--purpose", opts->purpose, "restricted purpose it draws on first");
    AddRequestId(cmd, opts->request_id);
    OnAppend<AllowanceAddOpts>(cmd, context, action, opts, [](const AllowanceAddOpts& o, Context&) {
      FundAppend a;
      a.build = [o](CommitBuilder& b) -> Status {
        VLEDGER_ASSIGN_OR_RETURN(int64_t fen, ParseYuan("--amount", o.amount));
        VLEDGER_ASSIGN_OR_RETURN(FundRecord fund, FundOf(b.state(), "FUND", o.fund));
        VLEDGER_ASSIGN_OR_RETURN(auto to, ResolveTo(b.state(), o.to));
        VLEDGER_TRY(CheckPurposeHeld(b.state(), fund, o.purpose));
        return b.Add(AllowanceAdded{fund.code, to.first, to.second, fen, o.purpose, o.from, o.until})
            .status();
      };
      return a;
    });
  }
  {
    auto opts = std::make_shared<AllowanceStopOpts>();
    CLI::App* cmd = AddCommand(allowance, "stop", "stop a monthly allowance");
    cmd->add_option("SEQ", opts->seq, "seq of the allowance (its `allowance add`)")->required();
    AddRequestId(cmd, opts->request_id);
    OnAppend<AllowanceStopOpts>(cmd, context, action, opts, [](const AllowanceStopOpts& o, Context&) {
      FundAppend a;
      a.build = [o](CommitBuilder& b) -> Status {
        VLEDGER_ASSIGN_OR_RETURN(uint64_t seq, ParseSeqArg("SEQ", o.seq));
        return b.Add(AllowanceStopped{seq}).status();
      };
      return a;
    });
  }
  {
    auto opts = std::make_shared<AllowanceRunOpts>();
    CLI::App* cmd = AddCommand(allowance, "run", "pay every allowance due in a month, once");
    cmd->add_option("--month", opts->month, "YYYY-MM")->required();
    cmd->add_option("--fund", opts->fund, "only this fund");
    cmd->add_flag("--advance", opts->advance, "pay a month after the current one (in advance)");
    AddRequestId(cmd, opts->request_id);
    OnAppend<AllowanceRunOpts>(cmd, context, action, opts, [](const AllowanceRunOpts& o, Context& ctx) {
      auto payments = std::make_shared<std::vector<Payment>>();
      auto ahead = std::make_shared<bool>(false);
      FundAppend a;
      a.build = [o, &ctx, payments, ahead](CommitBuilder& b) -> Status {
        VLEDGER_TRY(CheckMonth("--month", o.month));
        // The current month is the clock's, in China Standard Time.
        std::string current = CstDate(b.now_ms()).substr(0, 7);
        *ahead = o.month > current;
        if (*ahead && !o.advance) {
          return Status::Rejected("--month: " + o.month + " is after the current month " + current +
                                  " (give --advance to pay it in advance)");
        }
        if (!o.fund.empty()) VLEDGER_TRY(FundOf(b.state(), "--fund", o.fund).status());
        std::vector<AllowanceRecord> due = DueAllowances(ctx, b, o.month, o.fund);
        VLEDGER_TRY(CheckCoverage(b.state(), due, o.month));
        for (const AllowanceRecord& al : due) {
          FundDisbursed d{al.fund, "", "", al.amount_fen, al.purpose, o.month, "", al.seq};
          (al.household ? d.to_household : d.to_resident) = al.beneficiary;
          VLEDGER_TRY(b.Add(std::move(d)).status());
          payments->push_back(Payment{al.beneficiary, al.amount_fen, al.seq});
        }
        return Status::Ok();
      };
      a.extend = [payments](Json& j) { j["payments"] = PaymentsJson(*payments); };
      a.after = [&ctx, payments, ahead, month = o.month] {
        PrintPayments(ctx, *payments);
        if (*ahead && !payments->empty()) ctx.PrintLine("paid in advance for " + month);
      };
      return a;
    });
  }
}

}  // namespace

void RegisterFundCommands(CLI::App& app, Context& ctx, Action* action) {
  CLI::App* fund = AddCommand(app, "fund", "open and list credit and charity funds");
  fund->require_subcommand(1);
  RegisterFundOpen(*fund, ctx, action);
  {
    CLI::App* cmd = AddCommand(*fund, "list", "list funds and their balances");
    cmd->callback([&ctx, action] { *action = [&ctx] { return FundListCommand(ctx); }; });
  }
  RegisterDonate(app, ctx, action);
  RegisterDisburse(app, ctx, action);
  RegisterRelease(app, ctx, action);
  RegisterDividend(app, ctx, action);

  CLI::App* allowance = AddCommand(app, "allowance", "monthly allowances paid by a fund");
  allowance->require_subcommand(1);
  RegisterAllowanceWrites(*allowance, ctx, action);
  {
    auto fund_code = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(*allowance, "list", "list allowances");
    cmd->add_option("--fund", *fund_code, "only this fund");
    cmd->callback([&ctx, action, fund_code] {
      *action = [&ctx, fund_code] { return AllowanceListCommand(ctx, *fund_code); };
    });
  }
  {
    auto name = std::make_shared<std::string>();
    CLI::App* cmd = AddCommand(app, "donor", "where a donor's gifts went (慈善法 Art. 42)");
    cmd->add_option("NAME", *name, "donor or organisation name")->required();
    cmd->callback([&ctx, action, name] { *action = [&ctx, name] { return DonorCommand(ctx, *name); }; });
  }
  {
    auto a = std::make_shared<std::array<std::string, 3>>();  // fund, --period, --for
    CLI::App* cmd = AddCommand(app, "statement", "a fund's statement for a period");
    cmd->add_option("FUND", (*a)[0], "fund code")->required();
    CLI::Option* period = cmd->add_option(
        "--period", (*a)[1], "2021Q3, 2021-07 or 2021: money in and out, by recording date");
    CLI::Option* for_period = cmd->add_option(
        "--for", (*a)[2], "the payments for this period, whenever they were recorded");
    period->excludes(for_period);
    cmd->callback([&ctx, action, a] {
      *action = [&ctx, a] { return StatementCommand(ctx, (*a)[0], (*a)[1], (*a)[2]); };
    });
  }
}

}  // namespace vledger::cli
