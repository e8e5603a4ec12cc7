#include "recorded.h"

#include "event_names.h"
#include "i18n.h"
#include "vledger/projections/money.h"

namespace vledger::cli {
namespace {

std::string Seqs(const app::AppendResult& r) {
  if (*r.first == *r.last) return Tr("seq {}", *r.first);
  return Tr("seqs {0}..{1}", *r.first, *r.last);
}

// 曲建国 (R001), R001 when the name is not known, or a household.
std::string Who(const app::EventSummary& s) {
  if (!s.resident.empty()) {
    return s.resident_name.empty() ? s.resident : Tr("{0} ({1})", s.resident_name, s.resident);
  }
  if (!s.household.empty()) return Tr("household {}", s.household);
  return "";
}

// 志愿服务: 为老人义务理发, or the rule's code when it has no name.
std::string RuleText(const app::EventSummary& s) {
  std::string name = s.rule_name.empty() ? s.rule : s.rule_name;
  if (s.category.empty()) return name;
  return Tr("{0}: {1}", s.category_name.empty() ? s.category : s.category_name, name);
}

std::string ShopText(const app::EventSummary& s) {
  return s.shop_name.empty() ? s.shop : s.shop_name;
}

// The rule and the note, as they go in parentheses.
std::string RuleAndNote(const app::EventSummary& s) {
  std::string text = RuleText(s);
  if (!s.note.empty()) text += Tr("; note: {}", s.note);
  return text;
}

std::string Yuan(int64_t fen) { return FormatYuan(fen); }

std::string FundText(const app::EventSummary& s) {
  return s.fund_name.empty() || s.fund_name == s.fund ? s.fund
                                                      : Tr("{0} ({1})", s.fund_name, s.fund);
}

std::string PurposeText(const app::EventSummary& s) {
  if (s.purpose.empty()) return _("unrestricted");
  return s.purpose_name.empty() ? s.purpose : s.purpose_name;
}

int64_t Magnitude(const std::optional<int64_t>& v) { return v ? (*v < 0 ? -*v : *v) : 0; }

// The sentence of a commit whose first event is `s`.
std::string Sentence(const app::AppendResult& r, const app::EventSummary& s) {
  std::string seqs = Seqs(r);
  uint64_t events = *r.last - *r.first + 1;
  if (s.type == "pointsAwarded" || s.type == "pointsDeducted") {
    // A village that reviews entries: the balances change once approved.
    if (s.pending && s.type == "pointsAwarded") {
      return Tr("Awarded {0} points to {1} ({2}), pending review ({3})", Magnitude(s.points),
                Who(s), RuleAndNote(s), seqs);
    }
    if (s.pending) {
      return Tr("Deducted {0} points from {1} ({2}), pending review ({3})", Magnitude(s.points),
                Who(s), RuleAndNote(s), seqs);
    }
    if (s.type == "pointsAwarded") {
      return Tr("Awarded {0} points to {1} ({2}); credit score {3}, spendable {4} ({5})",
                Magnitude(s.points), Who(s), RuleAndNote(s), s.credit_score.value_or(0),
                s.spendable_points.value_or(0), seqs);
    }
    return Tr("Deducted {0} points from {1} ({2}); credit score {3}, spendable {4} ({5})",
              Magnitude(s.points), Who(s), RuleAndNote(s), s.credit_score.value_or(0),
              s.spendable_points.value_or(0), seqs);
  }
  if (s.type == "pointsRedeemed") {
    return Tr("Redeemed {0} points of {1} for {2} x{3} at {4}; spendable {5} ({6})",
              Magnitude(s.points), Who(s), s.item, s.quantity, ShopText(s),
              s.spendable_points.value_or(0), seqs);
  }
  if (s.type == "eventReversed") {
    std::string what = EventName(s.target_type);
    if (std::string who = Who(s); !who.empty()) what = Tr("{0}, {1}", what, who);
    if (s.credit_score) {
      return Tr("Reversed seq {0} ({1}): {2}; credit score {3}, spendable {4} ({5})", s.target,
                what, s.note, *s.credit_score, s.spendable_points.value_or(0), seqs);
    }
    return Tr("Reversed seq {0} ({1}): {2} ({3})", s.target, what, s.note, seqs);
  }
  if (s.type == "donationReceived") {
    return Tr(
        "Received a donation of {0} yuan to fund {1} ({2}), receipt {3}; fund balance {4} "
        "yuan ({5})",
        Yuan(s.amount_fen.value_or(0)), FundText(s), PurposeText(s), s.receipt,
        Yuan(s.fund_balance_fen.value_or(0)), seqs);
  }
  if (s.type == "fundDisbursed" && events > 1) {
    return Tr("Paid {0} payments from fund {1}; fund balance {2} yuan ({3})", events, FundText(s),
              Yuan(s.fund_balance_fen.value_or(0)), seqs);
  }
  if (s.type == "fundDisbursed") {
    return Tr("Paid {0} yuan from fund {1} to {2} ({3}); fund balance {4} yuan ({5})",
              Yuan(s.amount_fen.value_or(0)), FundText(s), Who(s), PurposeText(s),
              Yuan(s.fund_balance_fen.value_or(0)), seqs);
  }
  if (s.type == "allowanceAdded") {
    return Tr("Added an allowance of {0} yuan a month from fund {1} to {2} ({3}), from {4} ({5})",
              Yuan(s.amount_fen.value_or(0)), FundText(s), Who(s), PurposeText(s), s.period, seqs);
  }
  if (s.type == "dividendDeclared") {
    return Tr(
        "Declared a dividend of {0} yuan from fund {1} for {2} {3} (payments: {4}); fund "
        "balance {5} yuan ({6})",
        Yuan(s.amount_fen.value_or(0)), FundText(s), s.village, s.period, events - 1,
        Yuan(s.fund_balance_fen.value_or(0)), seqs);
  }
  if (s.type == "fundOpened") {
    return Tr("Opened fund {0} ({1}) ({2})", s.name, s.code, seqs);
  }
  if (s.type == "villageRegistered") {
    return Tr("Registered village {0} ({1}) ({2})", s.name, s.code, seqs);
  }
  if (s.type == "householdRegistered") {
    return Tr("Registered household {0} in village {1}, head {2} ({3})", s.code, s.village, s.name,
              seqs);
  }
  if (s.type == "residentRegistered") {
    return Tr("Registered resident {0} in household {1}, village {2} ({3})", Who(s), s.household,
              s.village, seqs);
  }
  if (s.type == "ruleDefined") {
    return Tr("Defined rule {0} ({1}), {2} points ({3})", s.code, RuleText(s), s.points.value_or(0),
              seqs);
  }
  if (s.type == "shopItemAdded") {
    return Tr("Put {0} on the shelf of {1} at {2} points a unit, {3} added ({4})", s.item,
              ShopText(s), s.points.value_or(0), s.quantity, seqs);
  }
  if (s.type == "shopRestocked") {
    return Tr("Restocked {0} at {1}: {2} added ({3})", s.item, ShopText(s), s.quantity, seqs);
  }
  if (s.type == "displayNameSet") {
    return Tr("Named {0} {1} \"{2}\" ({3})", Word(s.name_kind), s.code, s.name, seqs);
  }
  if (s.type == "keyRegistered") {
    std::string role = Word(s.role);
    std::string what = s.name.empty() ? role : Tr("{0}, {1}", role, s.name);
    return Tr("Registered key {0} ({1}) ({2})", s.code, what, seqs);
  }
  if (s.type == "objectionFiled") {
    if (s.target != 0) return Tr("Filed an objection about seq {0} ({1})", s.target, seqs);
    return Tr("Filed an objection about a report ({0})", seqs);
  }
  if (events > 1)
    return Tr("Recorded {0} events, the first a {1} ({2})", events, EventName(s.type), seqs);
  return Tr("Recorded {0} ({1})", EventName(s.type), seqs);
}

}  // namespace

std::string RecordedSentence(const app::AppendResult& r) {
  if (!r.first) return _("nothing to append");
  if (r.repeated || r.recorded.empty()) {
    return Tr("Already recorded ({0}): nothing appended now", Seqs(r));
  }
  return Sentence(r, r.recorded.front());
}

std::string EventDetails(const app::EventSummary& s) {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += "  ";
    out += part;
  };
  add(Who(s));
  if (s.type != "residentRegistered" && s.type != "householdRegistered") {
    if (!s.code.empty()) add(s.name.empty() ? s.code : Tr("{0} ({1})", s.name, s.code));
  } else if (!s.name.empty()) {
    add(s.name);
  }
  if (!s.role.empty()) add(Word(s.role));
  if (!s.name_kind.empty()) add(Word(s.name_kind));
  if (!s.rule.empty()) add(RuleText(s));
  if (s.points) add((*s.points > 0 ? "+" : "") + std::to_string(*s.points));
  if (s.pending) add(_("pending review"));
  if (s.amount_fen) add(Tr("{} yuan", Yuan(*s.amount_fen)));
  if (!s.fund.empty() && s.type != "fundOpened") add(FundText(s));
  if (!s.purpose.empty()) add(PurposeText(s));
  if (!s.item.empty()) add(Tr("{0} x{1} at {2}", s.item, s.quantity, ShopText(s)));
  if (!s.period.empty()) add(s.period);
  if (s.target != 0) add(Tr("seq {}", s.target));
  if (!s.note.empty()) add(s.note);
  return out;
}

}  // namespace vledger::cli
