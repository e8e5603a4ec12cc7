// Event builders shared by the single commands and `import` (SPEC section
// 9): each turns one command's (or one CSV row's) values, as the command
// line spells them, into events added to a pending commit. So a row of an
// import file is checked and recorded by exactly the code that runs for
// the equivalent `vledger resident add …`, `award …` or `donate …`.
//
// Values are strings in the CLI's formats (points as decimal integers,
// amounts as yuan, dates as YYYY-MM-DD); an empty string means "not given".
// Errors name their field (Status::field()): the command-line option (e.g.
// "--points") or the event's schema field (e.g. "rule"), which `import`
// maps back to a CSV column.
//
// The builders are in app/src/builders.cc.
#pragma once

#include <string>

#include "vledger/app/append.h"

namespace vledger::app {

// One person record, kept beside the chain (never in the log).
struct PersonArgs {
  std::string name, phone, id_card;
  int birth_year = 0;  // 0: not given
};

// `resident add ID --village V --household H --name N [--minor|--adult]
// [--birth-year Y] [--id-card C] [--phone P]`: a declaration that
// contradicts the birth data is rejected.
struct ResidentArgs {
  std::string id, village, household;
  bool minor = false;
  PersonArgs person;
  bool adult = false;
};
Status BuildResident(CommitBuilder& b, const ResidentArgs& a);

// `resident update ID [--household H] [--status S] [--name N] [--phone P]
// [--birth-year Y] [--id-card C] [--minor|--adult]`. Any of name, phone,
// birth year or ID card writes a new person record (new salt, new
// personRef) and erases the old one in the same commit.
struct ResidentUpdateArgs {
  std::string id, household, status;
  PersonArgs person;  // what is given replaces the record's
  bool minor = false, adult = false;
};
Status BuildResidentUpdate(CommitBuilder& b, const ResidentUpdateArgs& a);

// `household add ID --village V --head NAME [--phone P]`
struct HouseholdArgs {
  std::string id, village;
  PersonArgs head;
};
Status BuildHousehold(CommitBuilder& b, const HouseholdArgs& a);

// `rule add CODE --category C --points P [--village V] [--min A --max B]
// [--cap N --cap-period month|quarter|year] [--desc D]`
struct RuleArgs {
  std::string code, category, points, village, min, max, cap, cap_period, desc;
  std::string name;  // the rule's display name, set in the same commit when given
};
Status BuildRule(CommitBuilder& b, const RuleArgs& a);

// `name set KIND CODE NAME [--village V]`: a display name (SPEC section 3).
struct DisplayNameArgs {
  std::string kind, code, name, village;
};
Status BuildDisplayName(CommitBuilder& b, const DisplayNameArgs& a);

// `award RESIDENT RULE [--points P] [--on DATE] [--note T] [--evidence H]`
struct AwardArgs {
  std::string resident, rule, points, on, note, evidence;
};
Status BuildAward(CommitBuilder& b, const AwardArgs& a);

// `deduct RESIDENT RULE …` or `deduct --household H RULE …`: exactly one
// of `resident` and `household`; `points` is the positive magnitude.
struct DeductionArgs {
  std::string resident, household, rule, points, on, note, evidence;
};
Status BuildDeduction(CommitBuilder& b, const DeductionArgs& a);

// `redeem RESIDENT [--points P] --item T [--shop S] [--qty Q]`: without
// `points`, the shelf's price of the item times the quantity (shop.h); a
// shop without a shelf needs `points`, the total.
struct RedemptionArgs {
  std::string resident, points, item, shop = "default", qty = "1";
};
Status BuildRedemption(CommitBuilder& b, const RedemptionArgs& a);

// `shop item add SHOP --item NAME --points N --stock N [--village V]`
struct ShopItemArgs {
  std::string shop, village, item, points, stock;
};
Status BuildShopItem(CommitBuilder& b, const ShopItemArgs& a);

// `shop restock SHOP --item NAME --qty N [--village V]`
struct ShopRestockArgs {
  std::string shop, village, item, qty;
};
Status BuildShopRestock(CommitBuilder& b, const ShopRestockArgs& a);

// `donate FUND --amount Y [--donor N [--public-name] | --donor-org N |
// --anonymous] [--phone P] [--purpose P] [--receipt R]`. Sets `*receipt`
// to the receipt number recorded (given or assigned), when not null.
struct DonationArgs {
  std::string fund, amount, donor, donor_org, purpose, receipt, phone;
  bool public_name = false, anonymous = false;
};
Status BuildDonation(CommitBuilder& b, const DonationArgs& a, std::string* receipt);

// `disburse FUND --to RESIDENT|HOUSEHOLD --amount Y [--purpose P]
// [--period PER] [--note T]`
struct DisbursementArgs {
  std::string fund, to, amount, purpose, period, note;
};
Status BuildDisbursement(CommitBuilder& b, const DisbursementArgs& a);

}  // namespace vledger::app
