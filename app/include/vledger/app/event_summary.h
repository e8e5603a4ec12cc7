// What one event of the log says, in the terms a person reads it in: its
// kind, its date, the resident and village it concerns, the rule, points
// or amount and note. `log` shows and filters events by it, and every
// appending command answers with the summaries of what it recorded (plus
// the balances after it), from which a front end says in a sentence what
// was recorded. Names of people are in it only where the reader may see
// them (EventSummary::resident_name).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vledger::app {

struct EventSummary {
  uint64_t seq = 0;
  std::string type;  // the event type's name (event.capnp), e.g. "pointsAwarded"
  int64_t recorded_at_ms = 0;
  std::string key_id;
  // The act's date (an entry's occurredOn) when the event has one, else
  // the date it was recorded (China Standard Time).
  std::string date;
  // The village the event concerns (empty: none, or every village); for a
  // key registration, its villages (empty: every village).
  std::string village;
  std::vector<std::string> villages;
  // The resident it concerns (an entry, a redemption, a payment or an
  // allowance to a resident, a registration, an objection), and the
  // resident's name: empty when erased or when the reader may not see names.
  std::string resident, resident_name;
  std::string household;
  // What a registry or catalogue event registered: a village, household,
  // resident, rule, fund or key id, and its name (a village's or fund's
  // name, a key's label and role).
  std::string code, name, role;
  // Points events: the rule, its display name (else its description, else
  // empty), its category and the category's display name (else empty).
  std::string rule, rule_name, category, category_name;
  // As recorded, signed; redemptions: taken (negative); shopItemAdded: a unit's price.
  std::optional<int64_t> points;
  bool pending = false;               // an award or deduction waiting for review
  std::optional<int64_t> amount_fen;  // money events
  std::string fund, fund_name, purpose, shop, item, receipt, period;
  // The display names of the purpose and the shop (else empty).
  std::string purpose_name, shop_name;
  // displayNameSet: what it names (rule, purpose, shop, fund, category);
  // the code and the name are in `code` and `name`.
  std::string name_kind;
  uint32_t quantity = 0;
  // The note, reason, consent, answer or objection text of the event.
  std::string note;
  // A reversal's target, an objection's event, a resolution's objection, a
  // stop's allowance (0: none); a reversal's target type.
  uint64_t target = 0;
  std::string target_type;
  // After the commit, in an append's result only: the resident's points,
  // the fund's total balance.
  std::optional<int64_t> credit_score, spendable_points;
  std::optional<int64_t> fund_balance_fen;
};

}  // namespace vledger::app
