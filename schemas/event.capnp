# vledger event schema.
#
# Every fact in a vledger ledger is one `Event`, stored as its Cap'n Proto
# canonical encoding C(e) (one segment, root pointer included). The record
# hash chain and the commit signatures are computed over those exact bytes,
# so ordinals here are part of the integrity format: they are never reused
# or renumbered. New fields and new union members are only ever appended.
#
# Conventions: identifiers are 1-64 chars of [A-Za-z0-9_.-]; dates are
# "YYYY-MM-DD" (China Standard Time); months "YYYY-MM"; periods "2021Q3",
# "2021-07" or "2021"; points are signed 64-bit; money is integer fen.
# Names of people never appear here: events carry a `personRef`, a salted
# commitment to a `Person` record kept beside the chain (see SPEC section 3).

@0xe8d2cc041d7e2951;

struct Event {
  recordedAt @0 :Int64;
  # UTC milliseconds since the Unix epoch when the event was appended.

  keyId @1 :Text;
  # Lowercase hex of the first 8 bytes of SHA-256(author's raw public key).

  requestId @2 :Text;
  # Client idempotency key; empty when none was given.

  body :union {
    genesis @3 :Genesis;
    keyRegistered @4 :KeyRegistered;
    keyRevoked @5 :KeyRevoked;
    villageRegistered @6 :VillageRegistered;
    householdRegistered @7 :HouseholdRegistered;
    householdHeadSet @8 :HouseholdHeadSet;
    villagePolicySet @9 :VillagePolicySet;
    residentRegistered @10 :ResidentRegistered;
    residentUpdated @11 :ResidentUpdated;
    personErased @12 :PersonErased;
    ruleDefined @13 :RuleDefined;
    ruleRetired @14 :RuleRetired;
    pointsAwarded @15 :PointsEntry;
    pointsDeducted @16 :PointsEntry;
    entriesReviewed @17 :EntriesReviewed;
    pointsRedeemed @18 :PointsRedeemed;
    pointsExpired @19 :PointsExpired;
    fundOpened @20 :FundOpened;
    donationReceived @21 :DonationReceived;
    fundDisbursed @22 :FundDisbursed;
    allowanceAdded @23 :AllowanceAdded;
    allowanceStopped @24 :AllowanceStopped;
    restrictionReleased @25 :RestrictionReleased;
    dividendDeclared @26 :DividendDeclared;
    eventReversed @27 :EventReversed;
    disclosurePublished @28 :DisclosurePublished;
    objectionFiled @29 :ObjectionFiled;
    objectionResolved @30 :ObjectionResolved;
    displayNameSet @31 :DisplayNameSet;
    shopItemAdded @32 :ShopItemAdded;
    shopRestocked @33 :ShopRestocked;
    gradePolicySet @34 :GradePolicySet;
    benefitAdded @35 :BenefitAdded;
    benefitWithdrawn @36 :BenefitWithdrawn;
    attestationIssued @37 :AttestationIssued;
    attestationRevoked @38 :AttestationRevoked;
  }
}

# ---------------------------------------------------------------- ledger

struct Genesis {
  name @0 :Text;
  # Display name of the ledger, e.g. "荣成市信用积分".
  origin @1 :Text;
  # Checkpoint origin line, fixed for the ledger's life.
  publicKey @2 :Data;
  # Raw 32-byte Ed25519 public key of the root admin.
  testClock @3 :Bool;
  # Made with `init --test-clock`: commands honour VLEDGER_NOW. False in
  # every other ledger, and in ledgers made before the field existed.
  monotonicTime @4 :Bool;
  # Set by every `init` since the field exists: no event's recordedAt is
  # below its predecessor's (verify checks it). Older ledgers lack it.
}

struct KeyRegistered {
  publicKey @0 :Data;
  # Raw 32-byte Ed25519 public key.
  role @1 :Text;
  # "admin", "collector", "treasurer", "reviewer" or "auditor".
  villages @2 :List(Text);
  # Village scope; empty means every village (admin and auditor only).
  label @3 :Text;
  # Free text, e.g. "曲家村信息采集员".
}

struct KeyRevoked {
  keyId @0 :Text;
  # Key id of the revoked key; it signs nothing after this event.
}

# -------------------------------------------------------------- registry

struct VillageRegistered {
  code @0 :Text;
  name @1 :Text;
  # A place name, not personal data.
}

struct HouseholdRegistered {
  id @0 :Text;
  village @1 :Text;
  headRef @2 :Data;
  # personRef of the household head's person record (32 bytes).
}

struct HouseholdHeadSet {
  household @0 :Text;
  resident @1 :Text;
  # The resident who bears household-level deductions (户主).
}

struct VillagePolicySet {
  village @0 :Text;
  review @1 :Bool;
  # When true, new awards and deductions are pending until reviewed.
  starPoints @2 :Int64;
  # Points per star in bulletins (default 20).
  maxStars @3 :UInt32;
  # At most this many stars (default 5).
  redFlagSharePct @4 :UInt32;
  # Share of residents with positive points who get a red flag (default 10).
  objectionOffice @5 :Text;
  # Where villagers raise objections to a bulletin (an office, not a
  # person's name), printed on the notice; "" = not set.
  objectionPhone @6 :Text;
  # The office's telephone, printed on the notice; "" = not set.
  publicNames @7 :Text;
  # How public output names residents: "full", "masked" (张*明) or "none";
  # "" = each output's default (bulletin full, site masked).
  siteUrl @8 :Text;
  # The villager site's page of the village; the bulletin's QR code encodes
  # it as URL#SIZE-ROOTHEX. "" = not set (the QR code holds the checkpoint).
  boardTop @9 :UInt32;
  # Residents ranked on the board edition of the bulletin (0 = 10).
  starHouseholdStars @10 :UInt32;
  # Stars from which a household is a star household (星级文明户) on the
  # bulletin (0 = the village's maxStars).
  holidays @11 :List(Text);
  # The county's holiday calendar (YYYY-MM-DD, ascending): days that are not
  # working days although Monday to Friday. Objection windows skip them.
  workdays @12 :List(Text);
  # Saturdays and Sundays that are working days (调休), ascending.
}

struct GradePolicySet {
  # A village's credit grades (信用等级), in force from `effectiveFrom` until
  # a later policy of the village takes effect: the grade of a score is the
  # first of `grades` whose minimum it reaches; below the last, no grade.
  village @0 :Text;
  effectiveFrom @1 :Text;
  # YYYY-MM-DD (China Standard Time).
  basis @2 :Text;
  # "score": the credit score as of the day graded; "year": the points
  # (awards minus deductions) of that day's calendar year.
  grades @3 :List(Text);
  # Best first, e.g. AAA, AA, A, B, C or ★★★★★ … (1-10 names, distinct).
  minimums @4 :List(Int64);
  # The least score of each grade, one per grade, strictly decreasing.
  householdMinimums @5 :List(Int64);
  # The same for the household score (its residents' scores summed), one
  # per grade; empty: households are not graded.
}

struct BenefitAdded {
  # A benefit (礼遇) that residents of a credit grade or better receive from
  # a partner, e.g. free bus rides from the county's transport group.
  code @0 :Text;
  # The benefit's id, new to the ledger.
  name @1 :Text;
  # What it is (public), e.g. 免费乘公交.
  partner @2 :Text;
  # Who grants it (an organisation, public), e.g. 市交通集团.
  minGrade @3 :Text;
  # The least grade that qualifies: that grade or a better one of the
  # resident's village's grade policy in force (GradePolicySet).
  villages @4 :List(Text);
  # The villages whose residents it is for; empty: every village.
}

struct BenefitWithdrawn {
  code @0 :Text;
  # A benefit added before and not yet withdrawn; no certificate is issued
  # for it from then on.
}

struct AttestationIssued {
  # A credit certificate (信用证明) issued to a resident: a signed note kept
  # by the resident, not in the log (docs/FORMAT.md, "Credit certificates").
  # Written by an attestor key, which also signs the certificate.
  resident @0 :Text;
  benefit @1 :Text;
  # The benefit it was issued for; empty: a certificate of the grade alone.
  certificateHash @2 :Data;
  # SHA-256 of the certificate's text (the whole signed note), 32 bytes.
  validUntil @3 :Text;
  # YYYY-MM-DD (China Standard Time), the last day it is valid.
  grade @4 :Text;
  # The resident's grade it states.
  checkpointSize @5 :UInt64;
  # The size of the stored checkpoint the grade was computed at.
}

struct AttestationRevoked {
  certificateHash @0 :Data;
  # The certificateHash of an attestationIssued not revoked before.
  reason @1 :Text;
  # Public free text; may be empty.
}

struct ResidentRegistered {
  id @0 :Text;
  village @1 :Text;
  household @2 :Text;
  minor @3 :Bool;
  # Minors never appear by name in public output.
  personRef @4 :Data;
  # Commitment to the resident's person record (32 bytes).
  adult @5 :Bool;
  # minor/adult: the age known when recorded, declared (`--minor`,
  # `--adult`) or read from the birth data; both false when unknown. Public
  # output takes the age from the person record's birth date, else its birth
  # year, else from these; unknown is shown as a minor.
}

struct ResidentUpdated {
  id @0 :Text;
  household @1 :Text;
  # New household when the resident moved; empty when unchanged.
  status @2 :Text;
  # "active", "departed" or "deceased"; empty when unchanged.
  personRef @3 :Data;
  # Commitment to the resident's new person record; empty when unchanged
  # (then left unset, so events without it encode as before the field
  # existed). The old record is erased by a personErased in the same commit.
  minor @4 :Bool;
  adult @5 :Bool;
  # The age known now, as in ResidentRegistered; both false when unchanged.
}

struct PersonErased {
  personRef @0 :Data;
  reason @1 :Text;
}

# ----------------------------------------------------------------- rules

struct RuleDefined {
  code @0 :Text;
  village @1 :Text;
  # Empty: the rule applies in every village.
  category @2 :Text;
  # e.g. 孝老爱亲, 环境整治, 志愿服务, 移风易俗.
  description @3 :Text;
  points @4 :Int64;
  # Default amount; negative for deduction rules.
  hasRange @5 :Bool;
  min @6 :Int64;
  max @7 :Int64;
  # With hasRange, a given amount must lie in [min, max].
  cap @8 :Int64;
  # Most points (by magnitude) per resident per capPeriod; 0 means no cap.
  capPeriod @9 :Text;
  # "month", "quarter", "year", or empty when there is no cap.
}

struct RuleRetired {
  code @0 :Text;
}

struct DisplayNameSet {
  # The name people read for a code (SPEC section 3: display names). A later
  # event for the same kind, village and code replaces the name.
  kind @0 :Text;
  # "rule", "purpose", "shop", "fund" or "category".
  code @1 :Text;
  # The code named: a rule or fund code, a purpose, a shop, a rule category.
  village @2 :Text;
  # The village the name holds in; empty: every village (always empty for
  # rules and funds, whose codes are county-wide).
  name @3 :Text;
}

# ---------------------------------------------------------------- points

struct PointsEntry {
  # pointsAwarded (points > 0) and pointsDeducted (points < 0).
  resident @0 :Text;
  rule @1 :Text;
  points @2 :Int64;
  # Points as applied at the time, with their sign.
  occurredOn @3 :Text;
  # Date of the act; the entry belongs to this date's period.
  note @4 :Text;
  evidence @5 :Data;
  # Optional SHA-256 of a photo or certificate (empty or 32 bytes).
  household @6 :Text;
  # Set for a household-level deduction, borne by the household head.
}

struct EntriesReviewed {
  village @0 :Text;
  approved @1 :List(UInt64);
  rejected @2 :List(Rejection);
  struct Rejection {
    seq @0 :UInt64;
    reason @1 :Text;
  }
}

struct PointsRedeemed {
  resident @0 :Text;
  shop @1 :Text;
  item @2 :Text;
  quantity @3 :UInt32;
  points @4 :Int64;
  # Spendable points taken, > 0.
}

struct ShopItemAdded {
  # An item on a shop's shelf (the credit supermarket, 信用超市) with its
  # price; an item already on the shelf takes the new price, and its stock
  # grows by `stock`. Redemptions of a shelf item at that shop then take
  # the price from here and never more than the stock.
  village @0 :Text;
  # The shop's village: shop codes are the village's own.
  shop @1 :Text;
  item @2 :Text;
  points @3 :Int64;
  # Points a unit, > 0.
  stock @4 :UInt32;
  # Units put on the shelf (may be 0 for a price change alone).
}

struct ShopRestocked {
  village @0 :Text;
  shop @1 :Text;
  item @2 :Text;
  # An item already on the shop's shelf.
  quantity @3 :UInt32;
  # Units added, > 0.
}

struct PointsExpired {
  village @0 :Text;
  before @1 :Text;
  # Cut-off date: spendable points of lots earned before it lapse.
}

# ----------------------------------------------------------------- funds

struct FundOpened {
  code @0 :Text;
  name @1 :Text;
  kind @2 :Text;
  # "credit" or "charity".
  village @3 :Text;
  # Empty: not scoped to one village.
  listBeneficiaries @4 :Text;
  # "none", "masked" or "full": how public reports list beneficiaries.
}

struct DonationReceived {
  fund @0 :Text;
  donorRef @1 :Data;
  # personRef of an individual donor, or empty.
  donorOrg @2 :Text;
  # Name of a donating organisation (not personal data), or empty.
  anonymous @3 :Bool;
  publicName @4 :Bool;
  # The donor consents to be named in public reports.
  amountFen @5 :Int64;
  purpose @6 :Text;
  # Restricted purpose (定向/限定性), or empty when unrestricted.
  receipt @7 :Text;
}

struct FundDisbursed {
  fund @0 :Text;
  toResident @1 :Text;
  toHousehold @2 :Text;
  # Exactly one of toResident and toHousehold is set.
  amountFen @3 :Int64;
  purpose @4 :Text;
  period @5 :Text;
  note @6 :Text;
  allowance @7 :UInt64;
  # Seq of the allowanceAdded this pays, or 0.
}

struct AllowanceAdded {
  fund @0 :Text;
  toResident @1 :Text;
  toHousehold @2 :Text;
  amountFen @3 :Int64;
  # Paid once per month.
  purpose @4 :Text;
  fromMonth @5 :Text;
  untilMonth @6 :Text;
  # Empty: until stopped.
}

struct AllowanceStopped {
  allowance @0 :UInt64;
  # Seq of the allowanceAdded event.
}

struct RestrictionReleased {
  fund @0 :Text;
  purpose @1 :Text;
  amountFen @2 :Int64;
  consent @3 :Text;
  # The donor's consent note (慈善法 Art. 56).
}

struct DividendDeclared {
  fund @0 :Text;
  village @1 :Text;
  period @2 :Text;
  amountFen @3 :Int64;
  activeOnly @4 :Bool;
  # Departed and deceased residents are skipped (their points are not in
  # P). Every dividend vledger declares sets it; dividends recorded before
  # it existed read false and paid every resident with points.
}

# ----------------------------------------------------------- corrections

struct EventReversed {
  target @0 :UInt64;
  reason @1 :Text;
}

# ------------------------------------------------------------ disclosure

struct DisclosurePublished {
  village @0 :Text;
  period @1 :Text;
  kind @2 :Text;
  # "bulletin", "points" or "funds".
  reportSha256 @3 :Data;
  treeSize @4 :UInt64;
  windowEnd @5 :Text;
  # Last day objections are taken (YYYY-MM-DD).
  format @6 :Text;
  lang @7 :Text;
}

struct ObjectionFiled {
  about :union {
    event @0 :UInt64;
    report @1 :Data;
    # SHA-256 of a published report.
  }
  byResident @2 :Text;
  byRef @3 :Data;
  # The objector, as a resident id or a person record.
  text @4 :Text;
  replyDue @5 :Text;
}

struct ObjectionResolved {
  objection @0 :UInt64;
  upheld @1 :Bool;
  answer @2 :Text;
  reversal @3 :UInt64;
  # Seq of the eventReversed it caused, or 0.
}

# ------------------------------------------------- beside the chain

struct Person {
  # A person record, kept in the person store, never in the log. The log
  # carries personRef = H("VLEDGER-PERSON-V1\0" || salt || C(Person)).
  name @0 :Text;
  birthYear @1 :UInt16;
  # 0 when unknown.
  phone @2 :Text;
  idCardHash @3 :Data;
  # Salted SHA-256 of the ID-card number, never the number itself.
  birthDate @4 :UInt32;
  # Birth date read from the ID-card number as YYYYMMDD (19620315); 0 when
  # no number was given.
}
