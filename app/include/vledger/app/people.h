// People by name (SPEC section 12): `resident find`, the resolution of a
// RESIDENT argument that is a name, and the refusal of free text that
// names a registered person.
//
// All three read the name index (app/src/name_index.h): personal data
// beside the person records, derived from them and dropped when a person
// is erased, never in the log or an archive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vledger/app/session.h"
#include "vledger/ledger/person_store.h"
#include "vledger/ledger/rows.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/state.h"

namespace vledger {
class Ledger;
class WriteTxn;
}  // namespace vledger

namespace vledger::app {

// Residents `resident find` lists at most (docs/LIMITS.md).
inline constexpr size_t kFindMatchesMax = 50;
// Residents a name that is ambiguous or matches nobody lists at most.
inline constexpr size_t kNameChoicesMax = 10;

// The name index and the person records, read from a ledger or through a
// write transaction (which also sees what it has staged).
class PeopleReader {
 public:
  static std::unique_ptr<PeopleReader> Of(const Ledger& ledger);
  static std::unique_ptr<PeopleReader> Of(WriteTxn& txn);
  virtual ~PeopleReader() = default;
  virtual Result<std::optional<std::string>> GetNameRow(std::string_view key) = 0;
  virtual Status ScanNameRows(std::string_view prefix, const RowSource::ScanFn& fn) = 0;
  virtual Result<std::optional<PersonRecord>> LoadPerson(std::string_view ref) = 0;
  // InvalidInput naming `field` when this reader sees nobody's name (a
  // server's unsigned client, people_view.h).
  virtual Status CheckNamesVisible(std::string_view field) {
    (void)field;
    return Status::Ok();
  }
};

// One resident as `resident find` and the name errors list it.
struct ResidentMatch {
  std::string id, name, village, household;
  std::string head;    // the household head's name (kErasedName when erased)
  int birth_year = 0;  // 0: not known
  ResidentStatus status = ResidentStatus::kActive;
};

// The resident a RESIDENT argument means: an existing resident id wins;
// else `text` as a full name, among the residents of `villages` (empty:
// every village). One resident: its id. Several: Conflict naming `field`
// and listing them (id, household, head, birth year; at most
// kNameChoicesMax). None: `text` itself when it is a well-formed id (the
// command's own check then says it is unknown), else NotFound listing the
// closest names (the same pinyin, the same surname and length).
Result<std::string> ResolveResident(PeopleReader& people, StateStore& state, std::string_view field,
                                    const std::string& text,
                                    const std::vector<std::string>& villages);

// Checks free text for the names of the residents of some villages,
// remembering what it looked up: a commit of many rows (an import) reads
// each pair of leading characters of a name from the index once.
class NameChecker {
 public:
  explicit NameChecker(std::vector<std::string> villages) : villages_(std::move(villages)) {}
  // CheckNoNames, for the villages given at construction.
  Status Check(PeopleReader& people, std::string_view field, std::string_view text);

 private:
  std::vector<std::string> villages_;
  // The in-scope names starting with a pair of characters, by that pair.
  std::unordered_map<std::string, std::vector<std::string>> names_by_start_;
};

// Free text of `field` (a note, reason, item, objection) that contains the
// full name (two characters or more) of a registered, unerased resident of
// `villages` (empty: every village) is InvalidInput naming the field. A
// handful of index lookups per character of the text.
Status CheckNoNames(PeopleReader& people, std::string_view field, std::string_view text,
                    const std::vector<std::string>& villages);

// `resident find TEXT [--village V]`: residents by id, household, name or
// name prefix, full pinyin or initials (or their prefixes). Pinyin not yet
// read is read first (and kept) when the ledger can be written.
struct ResidentFindRequest {
  std::string text;
  std::string village;  // empty: every village
};
struct ResidentFindResult {
  std::vector<ResidentMatch> residents;  // at most kFindMatchesMax
  bool truncated = false;                // more matched than are listed
  uint64_t unread_pinyin = 0;            // residents whose pinyin could not be read now
};
Result<ResidentFindResult> ResidentFind(const Session& session, const ResidentFindRequest& request);
std::string ResidentFindJson(const ResidentFindResult& result);

// A name index lookup for tests and `rebuild`: builds the index again from
// the person records (writer only); returns the residents indexed.
Result<uint64_t> RebuildNames(Ledger& writer);

}  // namespace vledger::app
