// The name index: personal data kept beside the person records (the
// `names` column family, store.h), derived from them, never in the log,
// an archive or a backup. Its rows (docs/FORMAT.md, "The name index"):
//
//   n/NAME \0 ID       -> VILLAGE     a resident's full name (exact and prefix)
//   r/ID               -> NAME \0 VILLAGE \0 PINYIN \0 INITIALS
//                                      (PINYIN and INITIALS empty until read)
//   q/ID               -> ""          the pinyin of resident ID is still to read
//   p/PINYIN \0 ID     -> ""          full pinyin, no tones ("wangjianguo")
//   i/INITIALS \0 ID   -> ""          initials ("wjg")
//   c/CHARACTER        -> READING     the reading of one Han character
//
// Exact names are written with the resident (IndexResident), in the same
// commit, without ICU; the pinyin rows are filled later in one go
// (FillPinyin: the first `resident find` that sees q/ rows, or `rebuild`),
// so that one command pays the transliterator's start (~170 ms) only when
// a character not read before appears.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/ledger/status.h"
#include "vledger/ledger/store.h"
#include "vledger/projections/registry.h"
#include "vledger/projections/small_bytes.h"
#include "vledger/projections/state.h"

namespace vledger::app {

inline constexpr std::string_view kNamePrefix = "n/";
inline constexpr std::string_view kNameResidentPrefix = "r/";
inline constexpr std::string_view kPinyinPendingPrefix = "q/";
inline constexpr std::string_view kPinyinPrefix = "p/";
inline constexpr std::string_view kInitialsPrefix = "i/";
inline constexpr std::string_view kCharPrefix = "c/";

// The r/ row of a resident.
struct IndexedResident {
  std::string name, village, pinyin, initials;
  std::string Encode() const;
  // nullopt when malformed.
  static std::optional<IndexedResident> Decode(std::string_view row);
};

// "n/" NAME \0 ID and its kin.
std::string NameKey(std::string_view name, std::string_view id);
std::string PinyinKey(std::string_view prefix, std::string_view reading, std::string_view id);
// The ID at the end of an n/, p/ or i/ key.
std::string_view IdOfKey(std::string_view key);

// Indexes resident `id` of `village` under `name` with the next event
// added to `txn`, replacing what was indexed for it before (`replace`: a
// new resident has nothing indexed, and an import of many is spared the
// lookups).
Status IndexResident(WriteTxn& txn, std::string_view id, std::string_view village,
                     std::string_view name, bool replace = true);
// Drops every row of resident `id` (its person record is erased).
Status UnindexResident(WriteTxn& txn, std::string_view id);

// Reads the pinyin of every resident with a q/ row; returns how many.
Result<uint64_t> FillPinyin(Ledger& writer);
// A resident as a rebuild of the index joins it to its person record. In
// place, not strings: 80 bytes a resident instead of 112 and an allocation
// for the ref (the 286,000 of a county fill fresh pages).
struct ResidentToIndex {
  uint64_t head;  // the ref's first eight bytes as a number: most comparisons end there
  InlineRef person_ref;
  SmallBytes id, village;
};
// The residents of `state`, for RebuildNameIndex: taken from a replayed
// state (`rebuild`), they need not be read back from the stored rows.
std::vector<ResidentToIndex> ResidentsToIndex(StateStore& state);

// Drops the whole index and builds it again from the residents and their
// person records, pinyin included; returns the residents indexed. The
// residents are `residents` when given (ResidentsToIndex of the state the
// stored rows were written from), else read from the stored rows.
Result<uint64_t> RebuildNameIndex(
    Ledger& writer, std::optional<std::vector<ResidentToIndex>> residents = std::nullopt);

}  // namespace vledger::app
