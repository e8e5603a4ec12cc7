// Request records and import progress: the rows of the `requests` column
// family (store.h), which no replay recreates, with their keys and byte
// layouts kept here so that no caller builds or parses them (FORMAT.md §9).
//
//   req/<id>                       RequestRecord: Str(fingerprint)
//                                  Str(result JSON) [Str(key id)] (records
//                                  written before the key id was kept end
//                                  after the result)
//   imp/<label>                    ImportRecord: Str(file SHA-256 hex)
//                                  Bool(completed)
//   imr/<label>/<u64be first seq>  the derived request ids (16 bytes each)
//                                  of the rows one import commit appended
// (Str and Bool as RecordWriter writes them, bytes.h.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vledger/ledger/status.h"

namespace vledger {

// What a request id keeps under `req/<id>`: the fingerprint of the command
// (or import row) that used it, that command's JSON result, and the key
// that signed it (empty in a record written before records kept it).
// What is kept of a request's fingerprint (its command and arguments,
// which may hold a name or an ID-card number): a random salt and
// SHA-256(salt || fingerprint), never the words themselves.
std::string SealFingerprint(std::string_view fingerprint);
// Whether `stored` is of `fingerprint`: sealed, or kept in clear by a
// version before fingerprints were sealed.
bool SameFingerprint(std::string_view stored, std::string_view fingerprint);

struct RequestRecord {
  std::string fingerprint;
  std::string result_json;
  std::string key_id;

  bool operator==(const RequestRecord&) const = default;
};

// The key of request id `id` in the `requests` column family.
std::string RequestKey(std::string_view id);
std::string EncodeRequestRecord(const RequestRecord& record);
// Corruption ("the record of request id "ID" is damaged") when `row` is
// not a request record.
Result<RequestRecord> DecodeRequestRecord(std::string_view id, std::string_view row);

// What `imp/<label>` keeps: the SHA-256 (hex) of the file last imported
// under the label, and whether that import completed.
struct ImportRecord {
  std::string sha256_hex;
  bool completed = false;

  bool operator==(const ImportRecord&) const = default;
};

// Bytes of one derived request id in an `imr/` row.
inline constexpr size_t kImportedRowIdBytes = 16;

}  // namespace vledger
