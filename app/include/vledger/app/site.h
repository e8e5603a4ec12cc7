// The villager site (SPEC section 12, "Site"; issue 20 items 7-9):
// `site --out DIR [--village V] [--at SIZE]` writes a static web site of
// the log at a stored checkpoint, which any static web server or object
// store can publish. Layout (a contract: a village's --site-url is the URL
// of DIR/<VILLAGE>/):
//   DIR/index.html                 the villages
//   DIR/<VILLAGE>/index.html       the village: ranking, red flags, star
//                                  households, funds, its adult residents
//                                  (names as its --public-names says;
//                                  default masked), a box for a resident id
//   DIR/<VILLAGE>/r.html           the page of each adult resident, opened
//                                  as r.html?id=<RESIDENT>: credit score,
//                                  spendable points, history, and the data
//                                  its script verifies (checkpoint, county
//                                  key, event bytes, inclusion proofs)
//   DIR/<VILLAGE>/d/<N>.json       the residents' data, in id order, packed
//                                  into files of about 64 KB (r.html names
//                                  the file of each resident)
//   DIR/verify.html                a partner's check of a credit
//                                  certificate, in the browser
//   DIR/attest.json                what it checks against: the county's
//                                  attestor keys, the certificates no
//                                  longer valid at the checkpoint
//                                  (docs/FORMAT.md section 14); both
//                                  county-wide, also with --village
//   DIR/assets/…                   script, style, vendored verifiers
// The site is a pure function of the log, the person records and the
// arguments: no clock, sorted output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vledger/app/session.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/status.h"

namespace vledger::app {

// A resident page loads at most this many bytes (r.html and one data
// file); a resident whose history is longer shows only the newest entries
// that fit (the page says how many it leaves out).
inline constexpr size_t kSitePageBytesMax = 300 * 1024;

struct SiteRequest {
  std::string out_dir;         // absent or empty
  std::string village;         // "" = every village
  std::optional<uint64_t> at;  // the stored checkpoint of this size; default the newest
};

struct SiteResult {
  std::string out_dir;
  vledger::Checkpoint head;
  uint64_t villages = 0;
  uint64_t residents = 0;  // resident pages written
  uint64_t files = 0;      // every file written
  uint64_t bytes = 0;      // their total size
};

// Checks everything first (village known at the checkpoint's size, the
// checkpoint stored and matching the tree, DIR absent or empty), then
// writes into DIR.tmp and renames it to DIR, so a refused or failed run
// leaves nothing. InvalidInput naming --out for a DIR that holds anything;
// NotFound naming --village or --at.
Result<SiteResult> Site(const Session& session, const SiteRequest& request);
// {"dir","size","root","villages","residents","files","bytes"}
std::string SiteJson(const SiteResult& result);

}  // namespace vledger::app
