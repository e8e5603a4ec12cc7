// BuildReport: gathers what a report shows from the projection rows of a
// log prefix. Privacy rules are applied here (see report.h), so renderers
// only format what they are given.
#include "vledger/projections/report.h"

#include <algorithm>
#include <map>
#include <set>

#include "report_shops.h"
#include "row_damage.h"
#include "vledger/ledger/bytes.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/projections/age.h"
#include "vledger/projections/funds.h"
#include "vledger/projections/grades.h"
#include "vledger/projections/names.h"
#include "vledger/projections/objections.h"
#include "vledger/projections/points.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

using report::L;

constexpr const char* kErasedZh = "已删除";
constexpr const char* kAnonymousZh = "爱心人士";

// Reads person records once each, remembering every ref it read.
class Names {
 public:
  Names(const PersonLookup& persons, const ReportData& d) : persons_(persons), d_(d) {}

  std::string Of(std::string_view ref) {
    if (ref.empty()) return "";
    const std::optional<Person>& p = Record(ref);
    return p ? p->name : L(d_, kErasedZh, "(erased)");
  }

  // Whether the resident may be named: known to be an adult on the
  // report's date (age.h). Unknown age, or an erased record without a
  // declaration, counts as a minor.
  bool Adult(const ResidentRecord& r) {
    return KnownAdultOn(AgeFactsOf(r, Record(r.person_ref)), d_.date);
  }

  // A name as the village's name policy shows it ("" for none).
  std::string Public(std::string_view ref) {
    if (d_.public_names == "none") return "";
    std::string name = Of(ref);
    return d_.public_names == "masked" ? MaskName(name) : name;
  }

  std::vector<std::string> Refs() const { return {refs_.begin(), refs_.end()}; }

 private:
  const std::optional<Person>& Record(std::string_view ref) {
    refs_.emplace(ref);
    auto it = cache_.find(ref);
    if (it == cache_.end()) it = cache_.emplace(std::string(ref), persons_(ref)).first;
    return it->second;
  }

  const PersonLookup& persons_;
  const ReportData& d_;
  std::map<std::string, std::optional<Person>, std::less<>> cache_;
  std::set<std::string, std::less<>> refs_;
};

std::string RuleAmount(const RuleRecord& r) {
  if (r.has_range) return std::to_string(r.min) + ".." + std::to_string(r.max);
  return std::to_string(r.points);
}

// ------------------------------------------------------------- points

struct PeriodEntries {
  std::set<std::string> disputed_residents, disputed_households;
};

PeriodEntries GatherEntries(StateStore& state, const VillageState& village, ReportData& d) {
  PeriodEntries out;
  std::map<std::string, CategoryTotal> categories;
  for (const RuleMonthUse& u : RuleUseInPeriod(village, d.args.period)) {
    RuleUse use;
    use.code = u.rule;
    if (const RuleRecord* rule = FindRule(state, u.rule)) {
      use.category = rule->category;
      use.description = rule->description;
      use.amount = RuleAmount(*rule);
    }
    use.entries = static_cast<uint64_t>(u.entries);
    use.points = u.points;
    // A rule's entries all have its sign.
    CategoryTotal& cat = categories[use.category];
    cat.category = use.category;
    (u.points >= 0 ? cat.awarded : cat.deducted) += u.points;
    d.rules.push_back(std::move(use));
  }
  for (auto& [name, cat] : categories) d.categories.push_back(std::move(cat));
  // Entries of the period under an open objection.
  for (const ObjectionRecord& o : ListObjections(state, d.args.village)) {
    if (o.resolved || !o.about_event) continue;
    auto e = LoadEntry(state, *o.about_event);
    if (!e || e->village != d.args.village || !DateInPeriod(e->occurred_on, d.args.period)) {
      continue;
    }
    if (e->status != EntryStatus::kApproved || ReversedBy(state, e->seq)) continue;
    out.disputed_residents.insert(e->resident);
    out.disputed_households.insert(e->household);
  }
  return out;
}

// ------------------------------------------------------------- grades

// Grades on the report's date, when the village has a policy in force;
// the counts are of the village's active residents, minors included (a
// count names no one).
void GatherGrades(StateStore& state, const std::vector<ResidentRecord>& residents, ReportData& d) {
  std::optional<GradePolicy> policy = GradePolicyOn(state, d.args.village, d.date);
  if (!policy) return;
  d.graded = true;
  for (const std::string& g : policy->grades) d.grade_counts.emplace_back(g, 0);
  for (const ResidentRecord& r : residents) {
    if (r.status != ResidentStatus::kActive) continue;
    std::string grade =
        GradeOf(*policy, policy->minimums, GradedScore(state, *policy, r.id, d.date));
    bool counted = false;
    for (auto& count : d.grade_counts) {
      if (count.first == grade) {
        count.second++;
        counted = true;
      }
    }
    if (!counted) d.ungraded++;
  }
  for (RankedRow& row : d.residents_ranked) {
    row.grade = GradeOf(*policy, policy->minimums, GradedScore(state, *policy, row.id, d.date));
  }
  if (policy->household_minimums.empty()) return;
  for (RankedRow& row : d.households_ranked) {
    row.grade = GradeOf(*policy, policy->household_minimums,
                        GradedHouseholdScore(state, *policy, row.id, d.date));
  }
}

void GatherRankings(StateStore& state, Names& names, const VillageRecord& village,
                    const PeriodEntries& entries, ReportData& d) {
  std::vector<ResidentRecord> residents = ListResidents(state, d.args.village);
  std::map<std::string, const ResidentRecord*> by_id;
  std::set<std::string> minors;  // and residents of unknown age
  for (const auto& r : residents) {
    by_id[std::string(r.id)] = &r;
    d.residents++;
    if (!names.Adult(r)) {
      d.minors++;
      minors.insert(std::string(r.id));
    }
  }
  std::vector<std::pair<std::string, int64_t>> adults;
  for (const auto& [id, points] : PeriodPointsList(state, d.args.village, d.args.period)) {
    d.total_points += points;
    d.residents_with_points++;
    if (minors.count(id) > 0) {
      d.minor_points += points;  // minors count only in totals
      continue;
    }
    adults.emplace_back(id, points);
  }
  for (const RankRow& row : ComputeRanking(adults, village)) {
    auto it = by_id.find(row.id);
    std::string name = it != by_id.end() ? names.Public(it->second->person_ref) : "";
    d.residents_ranked.push_back({row.rank, row.id, name, row.points, row.stars, row.red_flag,
                                  entries.disputed_residents.count(row.id) > 0, ""});
  }
  auto households = HouseholdPeriodPointsList(state, d.args.village, d.args.period);
  for (const RankRow& row : ComputeRanking(households, village)) {
    auto h = LoadHousehold(state, row.id);
    std::string name;
    if (h) {
      auto head = h->head_resident.empty() ? std::nullopt : LoadResident(state, h->head_resident);
      if (!head || names.Adult(*head)) name = names.Public(h->head_ref);
    }
    d.households_ranked.push_back({row.rank, row.id, name, row.points, row.stars, row.red_flag,
                                   entries.disputed_households.count(row.id) > 0, ""});
  }
  GatherGrades(state, residents, d);
}

// -------------------------------------------------------------- funds

// Whether a payment (or the dividend it belongs to) was reversed.
bool PaymentReversed(StateStore& state, std::string_view fund, uint64_t seq) {
  if (ReversedBy(state, seq)) return true;
  uint64_t dividend = DividendOfPayment(state, fund, seq);
  return dividend != 0 && ReversedBy(state, dividend).has_value();
}

std::string DonorLabel(Names& names, const ReportData& d, const std::string& key) {
  if (key.empty()) return L(d, kAnonymousZh, "Anonymous donors (爱心人士)");
  if (key.rfind("org:", 0) == 0) return key.substr(4);
  auto ref = Unhex(key.substr(4));
  return ref ? names.Of(*ref) : L(d, kAnonymousZh, "Anonymous donors (爱心人士)");
}

void AddBeneficiary(StateStore& state, Names& names, const FundRecord& fund, const FundMovement& m,
                    int64_t amount, FundSummary& f,
                    std::map<std::pair<std::string, std::string>, BeneficiaryLine>& lines) {
  std::string kind = m.beneficiary.substr(0, 2), id = m.beneficiary.substr(2);
  std::string ref;
  if (kind == "R:") {
    auto r = LoadResident(state, id);
    if (!r || !names.Adult(*r)) {
      f.minor_payments++;
      f.minor_fen += amount;
      return;
    }
    ref = r->person_ref;
  } else if (auto h = LoadHousehold(state, id)) {
    ref = h->head_ref;
  }
  if (fund.list_beneficiaries == BeneficiaryList::kNone) return;
  std::string name = names.Of(ref);
  if (fund.list_beneficiaries == BeneficiaryList::kMasked) name = MaskName(name);
  // Keyed by beneficiary id, so two people with one masked name stay apart.
  BeneficiaryLine& line = lines[{m.beneficiary, m.purpose}];
  line.name = name;
  line.purpose = m.purpose;
  line.payments++;
  line.amount_fen += amount;
}

FundSummary GatherFund(StateStore& state, Names& names, const FundRecord& fund, ReportData& d) {
  FundSummary f;
  f.code = fund.code;
  f.name = fund.name;
  f.kind = Name(fund.kind);
  f.policy = Name(fund.list_beneficiaries);
  std::string start = PeriodStart(d.args.period);
  std::map<std::string, DonorLine> donors;
  std::map<std::string, PurposeLine> purposes;
  std::map<std::pair<std::string, std::string>, BeneficiaryLine> lines;
  // Corrected books: reversed events and their reversals both left out,
  // since the corrections section lists them.
  for (const FundMovement& m : ListMovements(state, fund.code)) {
    if (m.type == "reversal") continue;
    if (m.type == "payment" ? PaymentReversed(state, fund.code, m.seq)
                            : ReversedBy(state, m.seq).has_value()) {
      continue;
    }
    int64_t delta = m.restricted_delta + m.unrestricted_delta;
    bool before = m.date < start, in = DateInPeriod(m.date, d.args.period);
    if (before) f.opening_fen += delta;
    if (!in) continue;
    if (m.type == "donation") {
      f.income_fen += delta;
      DonorLine& line = donors[NamedDonor(m)];
      line.gifts++;
      line.amount_fen += delta;
    } else if (m.type == "payment") {
      f.payments_fen -= delta;
      PurposeLine& p = purposes[m.purpose];
      p.purpose = m.purpose;
      p.payments++;
      p.amount_fen -= delta;
      AddBeneficiary(state, names, fund, m, -delta, f, lines);
    }
  }
  f.closing_fen = f.opening_fen + f.income_fen - f.payments_fen;
  for (auto& [key, line] : donors) {
    line.label = DonorLabel(names, d, key);
    f.donors.push_back(line);
  }
  std::stable_sort(f.donors.begin(), f.donors.end(), [](const DonorLine& a, const DonorLine& b) {
    return a.amount_fen > b.amount_fen;
  });
  for (auto& [purpose, line] : purposes) f.purposes.push_back(line);
  for (auto& [key, line] : lines) f.beneficiaries.push_back(line);
  return f;
}

void GatherFunds(StateStore& state, Names& names, ReportData& d) {
  for (const FundRecord& fund : ListFunds(state)) {
    if (!fund.village.empty() && fund.village != d.args.village) continue;
    d.funds.push_back(GatherFund(state, names, fund, d));
  }
}

// ---------------------------------------------------- corrections, objections

bool IsFundEvent(const EventBody& b) {
  return std::holds_alternative<DonationReceived>(b) || std::holds_alternative<FundDisbursed>(b) ||
         std::holds_alternative<RestrictionReleased>(b) ||
         std::holds_alternative<DividendDeclared>(b);
}

// Whose entry: the resident's name as the policy shows it (its id under
// "none", or when the record is gone), 未成年人 for a minor.
std::string ResidentLabel(StateStore& state, Names& names, const ReportData& d,
                          const std::string& id) {
  auto r = LoadResident(state, id);
  if (r && !names.Adult(*r)) return L(d, "未成年人", "a minor");
  if (!r) return id;
  std::string name = names.Public(r->person_ref);
  return name.empty() ? id : name;
}

std::string Signed(int64_t v) { return (v > 0 ? "+" : "") + std::to_string(v); }

// 王秀英「垃圾分类」+5 分（2021-09-03）; Wang "Sorting" +5 points (2021-09-03).
std::string EntrySummary(StateStore& state, Names& names, const ReportData& d,
                         const std::string& resident, const std::string& rule, int64_t points,
                         const std::string& date) {
  std::string who = ResidentLabel(state, names, d, resident);
  if (report::En(d)) {
    return who + " \"" + report::RuleLabel(d, rule) + "\" " + Signed(points) + " points (" + date +
           ")";
  }
  return who + "「" + report::RuleLabel(d, rule) + "」" + Signed(points) + " 分（" + date + "）";
}

// What reversing the entry changed.
std::string Change(const ReportData& d, const Event& e) {
  const EventBody& b = e.body;
  int64_t points = 0;
  if (const auto* p = std::get_if<PointsAwarded>(&b)) points = p->points;
  if (const auto* p = std::get_if<PointsDeducted>(&b)) points = p->points;
  if (const auto* p = std::get_if<PointsRedeemed>(&b)) points = -p->points;
  if (points != 0) {
    return report::En(d) ? "entry cancelled: " + Signed(-points) + " points"
                         : "撤销该条，积分 " + Signed(-points) + " 分";
  }
  return L(d, "撤销该条记录", "entry cancelled");
}

std::string Summary(StateStore& state, Names& names, const ReportData& d, const Event& e) {
  const EventBody& b = e.body;
  if (const auto* p = std::get_if<PointsAwarded>(&b)) {
    return EntrySummary(state, names, d, p->resident, p->rule, p->points, p->occurred_on);
  }
  if (const auto* p = std::get_if<PointsDeducted>(&b)) {
    return EntrySummary(state, names, d, p->resident, p->rule, p->points, p->occurred_on);
  }
  if (const auto* p = std::get_if<PointsRedeemed>(&b)) {
    return ResidentLabel(state, names, d, p->resident) + " " + L(d, "兑换", "redeemed") + " " +
           p->item + " -" + std::to_string(p->points);
  }
  if (const auto* p = std::get_if<PointsExpired>(&b)) {
    return std::string(L(d, "积分清零，截至 ", "points expiry before ")) + p->before;
  }
  if (const auto* p = std::get_if<DonationReceived>(&b)) {
    return p->fund + " " + L(d, "捐赠", "donation") + " " + report::Yuan(p->amount_fen) +
           (p->receipt.empty() ? "" : " #" + p->receipt);
  }
  if (const auto* p = std::get_if<FundDisbursed>(&b)) {
    return p->fund + " " + L(d, "支出", "payment") + " " + report::Yuan(p->amount_fen) + " " +
           report::PurposeLabel(d, p->purpose);
  }
  if (const auto* p = std::get_if<DividendDeclared>(&b)) {
    return p->fund + " " + L(d, "分红", "dividend") + " " + p->period + " " +
           report::Yuan(p->amount_fen);
  }
  if (const auto* p = std::get_if<RestrictionReleased>(&b)) {
    return p->fund + " " + L(d, "解除限定", "restriction released") + " " +
           report::PurposeLabel(d, p->purpose) + " " + report::Yuan(p->amount_fen);
  }
  return EventTypeName(b);
}

// The village a reversed event belongs to (fund events by their fund).
std::string TargetVillage(StateStore& state, const Event& e) {
  std::string fund;
  if (const auto* p = std::get_if<DonationReceived>(&e.body)) fund = p->fund;
  if (const auto* p = std::get_if<FundDisbursed>(&e.body)) fund = p->fund;
  if (const auto* p = std::get_if<RestrictionReleased>(&e.body)) fund = p->fund;
  if (const auto* p = std::get_if<DividendDeclared>(&e.body)) fund = p->fund;
  if (!fund.empty()) {
    auto f = LoadFund(state, fund);
    if (f && !f->village.empty()) return f->village;
  }
  return EventVillage(state, e);
}

Status GatherCorrections(StateStore& state, Names& names, ReportData& d) {
  // The last notice of an earlier period: a publication of this same
  // period (in another format, language or edition) is not "the last
  // notice", or the lists would depend on what was published before.
  const std::string start = PeriodStart(d.args.period);
  for (const DisclosureRecord& disc : ListDisclosures(state, d.args.village)) {
    if (disc.kind == d.args.kind && PeriodStart(disc.period) < start) {
      d.previous_disclosure = disc.seq;
    }
  }
  std::vector<std::pair<uint64_t, uint64_t>> reversals;  // (reversal seq, target)
  state.Scan("rev/", [&](std::string_view key, std::string_view value) {
    if (key.size() != 12) return true;
    RecordReader r(value);
    uint64_t by = r.U64();
    detail::CheckRow(r.ok(), key);
    if (!d.previous_disclosure || by > *d.previous_disclosure) {
      reversals.emplace_back(by, GetU64be(key.substr(4)));
    }
    return true;
  });
  std::sort(reversals.begin(), reversals.end());
  for (const auto& [seq, target] : reversals) {
    VLEDGER_ASSIGN_OR_RETURN(Event rev, state.ReadEvent(seq));
    VLEDGER_ASSIGN_OR_RETURN(Event tgt, state.ReadEvent(target));
    std::string village = TargetVillage(state, tgt);
    bool county_fund = village.empty() && IsFundEvent(tgt.body);
    if (village != d.args.village && !county_fund) continue;
    if (d.args.kind == "points" && IsFundEvent(tgt.body)) continue;
    if (d.args.kind == "funds" && !IsFundEvent(tgt.body)) continue;
    const auto* r = std::get_if<EventReversed>(&rev.body);
    detail::CheckRow(r != nullptr, "rev/" + U64be(target));  // names a reversal at `seq`
    CorrectionLine line;
    line.seq = seq;
    line.target = target;
    line.date = CstDate(rev.recorded_at_ms);
    line.type = EventTypeName(tgt.body);
    line.summary = Summary(state, names, d, tgt);
    line.change = Change(d, tgt);
    line.reason = r->reason;
    line.disputed = !OpenObjectionsAbout(state, target).empty();
    d.corrections.push_back(std::move(line));
  }
  return Status::Ok();
}

// What an objection is about, with whose entry it is.
std::string ObjectionAbout(StateStore& state, Names& names, const ReportData& d,
                           const ObjectionRecord& o) {
  if (!o.about_event) {
    return L(d, "公示 ", "report ") + Hex(o.about_report).substr(0, 16);
  }
  std::string about = report::SeqLabel(d, *o.about_event);
  if (*o.about_event < d.args.size) {
    auto e = state.ReadEvent(*o.about_event);
    if (e.ok()) about += L(d, "：", ": ") + Summary(state, names, d, *e);
  }
  return about;
}

void GatherObjections(StateStore& state, Names& names, ReportData& d) {
  for (const ObjectionRecord& o : ListObjections(state, d.args.village)) {
    bool recent = !d.previous_disclosure || o.resolved_seq > *d.previous_disclosure;
    if (o.resolved && !recent) continue;  // closed before the last report
    ObjectionLine line;
    line.seq = o.seq;
    line.about = ObjectionAbout(state, names, d, o);
    line.filed_on = o.filed_on;
    line.reply_due = o.reply_due;
    line.text = o.text;
    line.resolved = o.resolved;
    line.upheld = o.upheld;
    line.resolved_on = o.resolved_on;
    line.answer = o.answer;
    line.reversal = o.reversal;
    d.objections.push_back(std::move(line));
  }
}

// ------------------------------------------------------------- notice

void GatherNotice(StateStore& state, const VillageRecord& village, ReportData& d) {
  d.notice.published_on = d.date;
  if (!d.date.empty()) {
    d.notice.window_end =
        AddWorkingDays(d.date, d.args.window_days, {village.holidays, village.workdays});
  }
  d.notice.office = village.objection_office;
  d.notice.phone = village.objection_phone;
  if (auto meta = LoadMeta(state)) d.notice.county_key_id = meta->root_key_id;
}

// ------------------------------------------------------------- board

// Rows of `rows` down to rank `top`, every row tied at it included.
std::vector<RankedRow> Top(const std::vector<RankedRow>& rows, uint64_t top) {
  std::vector<RankedRow> out;
  for (const RankedRow& r : rows) {
    if (r.rank > top) break;
    out.push_back(r);
  }
  return out;
}

// The board's printed height in tenths of a millimetre (report.h,
// kBoardHeightMax).
uint64_t BoardHeight(const ReportData& d, const std::vector<RankedRow>& top) {
  // Each list begins with its label, which takes the room of `label` names.
  auto running = [](size_t names, size_t label, size_t per_line) {
    return kBoardNamesLineHeight * ((names + label + per_line - 1) / per_line);
  };
  auto row = [](size_t bytes) {
    return 5 + kBoardTextLineHeight *
                   std::max<size_t>(2, (bytes + kBoardRowBytes - 1) / kBoardRowBytes);
  };
  uint64_t height = kBoardFixedHeight + kBoardRankedRowHeight * top.size();
  height += running(d.board.red_flags.size(), 1, kBoardNamesPerLine);
  height += running(d.board.star_households.size(), 3, kBoardHouseholdsPerLine);
  if (d.graded) height += running(d.grade_counts.size() + 1, 1, kBoardGradesPerLine);
  if (!d.funds.empty()) height += kBoardFundRowHeight * (d.funds.size() + 1);  // and its head
  if (!d.shops.empty()) {
    height += kBoardShopsHeadingHeight + kBoardShopRowHeight * (d.shops.size() + 1);
  }
  for (const CorrectionLine& c : d.corrections) height += row(c.summary.size() + c.reason.size());
  for (const ObjectionLine& o : d.objections) height += row(o.about.size() + o.text.size());
  return height;
}

// Keeps of the ranking what the board shows: the top N (the village's,
// default 10), down to 5 when the page would overflow; two pages past that.
void CutForBoard(const VillageRecord& village, ReportData& d) {
  BoardInfo& b = d.board;
  b.residents_ranked = d.residents_ranked.size();
  for (const RankedRow& r : d.residents_ranked) {
    if (r.red_flag) b.red_flags.push_back(r);
  }
  b.star_household_stars =
      village.star_household_stars != 0 ? village.star_household_stars : village.max_stars;
  for (const RankedRow& h : d.households_ranked) {
    if (h.stars >= b.star_household_stars && h.stars > 0) b.star_households.push_back(h);
  }
  uint64_t top = village.board_top != 0 ? village.board_top : kBoardTopDefault;
  std::vector<RankedRow> kept = Top(d.residents_ranked, top);
  if (BoardHeight(d, kept) > kBoardHeightMax && top > kBoardTopMin) {
    top = kBoardTopMin;
    kept = Top(d.residents_ranked, top);
  }
  // Residents tied at the last rank are all shown, unless there are so
  // many (everyone at a village's base score, say) that they alone would
  // push the ranking past the page: then none of them, and a line saying
  // how many are in the full bulletin.
  if (BoardHeight(d, kept) > kBoardHeightMax && kept.size() > top) {
    const uint64_t rank = kept.back().rank;
    auto tied = [&](const RankedRow& r) { return r.rank == rank; };
    b.tied_rank = rank;
    b.tied_left_off = static_cast<uint64_t>(std::count_if(kept.begin(), kept.end(), tied));
    kept.erase(std::remove_if(kept.begin(), kept.end(), tied), kept.end());
  }
  b.top = top;
  b.pages = BoardHeight(d, kept) > kBoardHeightMax ? 2 : 1;
  d.residents_ranked = std::move(kept);
  d.households_ranked.clear();
  d.rules.clear();
  d.categories.clear();
  for (FundSummary& f : d.funds) {  // the period's totals only
    f.donors.clear();
    f.purposes.clear();
    f.beneficiaries.clear();
    f.minor_payments = 0;
    f.minor_fen = 0;
  }
  for (ShopSummary& s : d.shops) s.months.clear();  // a row a shop: its totals
}

}  // namespace

Result<ReportData> BuildReport(StateStore& state, const PersonLookup& persons,
                               const ReportArgs& args, std::string checkpoint) {
  VLEDGER_TRY(CheckReportArgs(args));
  auto village = LoadVillage(state, args.village);
  if (!village) {
    return Status::NotFound("--village",
                            Msg("unknown village \"{}\" at size {}", args.village, args.size));
  }
  ReportData d;
  d.args = args;
  if (auto meta = LoadMeta(state)) d.ledger_name = meta->name;
  d.village_name = village->name;
  d.star_points = village->star_points;
  d.max_stars = village->max_stars;
  d.red_flag_share_pct = village->red_flag_share_pct;
  d.checkpoint = std::move(checkpoint);
  if (!village->public_names.empty()) d.public_names = village->public_names;
  d.site_url = args.site_url.empty() ? village->site_url : args.site_url;
  d.qr_payload = d.checkpoint;
  if (auto head = ParseCheckpoint(d.checkpoint); head.ok()) {
    d.root_hex = Hex(AsString(head->root));
    if (!d.site_url.empty())
      d.qr_payload = d.site_url + "#" + std::to_string(head->size) + "-" + d.root_hex;
  }
  d.rule_names = DisplayNames(state, NameKind::kRule, "");
  d.category_names = DisplayNames(state, NameKind::kCategory, args.village);
  d.purpose_names = DisplayNames(state, NameKind::kPurpose, args.village);
  if (args.size > 0) {
    VLEDGER_ASSIGN_OR_RETURN(Event last, state.ReadEvent(args.size - 1));
    d.date = CstDate(last.recorded_at_ms);
  }
  Names names(persons, d);
  if (args.kind != "funds") {
    PeriodEntries entries = GatherEntries(state, *FindVillage(state, args.village), d);
    GatherRankings(state, names, *village, entries, d);
  } else {
    for (const auto& r : ListResidents(state, args.village)) {
      d.residents++;
      if (!names.Adult(r)) d.minors++;
    }
  }
  if (args.kind != "points") GatherFunds(state, names, d);
  if (args.kind == "bulletin") detail::GatherShops(state, d);
  VLEDGER_TRY(GatherCorrections(state, names, d));
  GatherObjections(state, names, d);
  GatherNotice(state, *village, d);
  if (args.edition == "board") CutForBoard(*village, d);
  d.person_refs = names.Refs();
  return d;
}

std::string RenderReport(const ReportData& data) {
  const std::string& f = data.args.format;
  if (f == "md") return RenderMarkdown(data);
  if (f == "csv") return RenderCsv(data);
  if (f == "json") return RenderJson(data);
  return RenderHtml(data);
}

}  // namespace vledger
