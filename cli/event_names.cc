#include "event_names.h"

#include "i18n.h"

namespace vledger::cli {

// One line per union member of Event.body, in ordinal order; each name is
// marked with the context "event" (i18n.h), so its translation is that of
// a kind of event. xgettext reads the literals, hence no table or macro.
std::string EventName(std::string_view type) {
  if (type == "genesis") return P_("event", "genesis");
  if (type == "keyRegistered") return P_("event", "keyRegistered");
  if (type == "keyRevoked") return P_("event", "keyRevoked");
  if (type == "villageRegistered") return P_("event", "villageRegistered");
  if (type == "householdRegistered") return P_("event", "householdRegistered");
  if (type == "householdHeadSet") return P_("event", "householdHeadSet");
  if (type == "villagePolicySet") return P_("event", "villagePolicySet");
  if (type == "residentRegistered") return P_("event", "residentRegistered");
  if (type == "residentUpdated") return P_("event", "residentUpdated");
  if (type == "personErased") return P_("event", "personErased");
  if (type == "ruleDefined") return P_("event", "ruleDefined");
  if (type == "ruleRetired") return P_("event", "ruleRetired");
  if (type == "pointsAwarded") return P_("event", "pointsAwarded");
  if (type == "pointsDeducted") return P_("event", "pointsDeducted");
  if (type == "entriesReviewed") return P_("event", "entriesReviewed");
  if (type == "pointsRedeemed") return P_("event", "pointsRedeemed");
  if (type == "pointsExpired") return P_("event", "pointsExpired");
  if (type == "fundOpened") return P_("event", "fundOpened");
  if (type == "donationReceived") return P_("event", "donationReceived");
  if (type == "fundDisbursed") return P_("event", "fundDisbursed");
  if (type == "allowanceAdded") return P_("event", "allowanceAdded");
  if (type == "allowanceStopped") return P_("event", "allowanceStopped");
  if (type == "restrictionReleased") return P_("event", "restrictionReleased");
  if (type == "dividendDeclared") return P_("event", "dividendDeclared");
  if (type == "eventReversed") return P_("event", "eventReversed");
  if (type == "disclosurePublished") return P_("event", "disclosurePublished");
  if (type == "objectionFiled") return P_("event", "objectionFiled");
  if (type == "objectionResolved") return P_("event", "objectionResolved");
  if (type == "displayNameSet") return P_("event", "displayNameSet");
  if (type == "shopItemAdded") return P_("event", "shopItemAdded");
  if (type == "shopRestocked") return P_("event", "shopRestocked");
  if (type == "gradePolicySet") return P_("event", "gradePolicySet");
  if (type == "benefitAdded") return P_("event", "benefitAdded");
  if (type == "benefitWithdrawn") return P_("event", "benefitWithdrawn");
  if (type == "attestationIssued") return P_("event", "attestationIssued");
  if (type == "attestationRevoked") return P_("event", "attestationRevoked");
  return std::string(type);
}

}  // namespace vledger::cli
