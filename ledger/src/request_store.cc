// Keys and byte layouts of request records and import progress
// (request_store.h), and their reads and writes through the store.
#include "vledger/ledger/request_store.h"

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/store.h"

namespace vledger {

namespace {

constexpr std::string_view kRequestPrefix = "req/";
// A sealed fingerprint: this tag (no command starts with a control
// character), a 16-byte salt, SHA-256(salt || fingerprint).
constexpr std::string_view kSealedTag = "\x1dsha256\x1d";
constexpr size_t kSaltBytes = 16;

std::string Sealed(std::string_view salt, std::string_view fingerprint) {
  Sha256Hasher h;
  h.Update(salt).Update(fingerprint);
  Hash digest = h.Finish();
  std::string out(kSealedTag);
  out.append(salt);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out;
}
constexpr std::string_view kImportPrefix = "imp/";
constexpr std::string_view kImportedRowsPrefix = "imr/";

std::string ImportKey(std::string_view label) {
  return std::string(kImportPrefix) + std::string(label);
}

std::string ImportedRowsPrefix(std::string_view label) {
  return std::string(kImportedRowsPrefix) + std::string(label) + "/";
}

Status DamagedImport(std::string_view label) {
  return Status::Corruption(Msg("import record of \"{}\" is damaged", label));
}

Result<ImportRecord> DecodeImportRecord(std::string_view label, std::string_view row) {
  RecordReader r(row);
  ImportRecord record;
  record.sha256_hex = r.Str();
  record.completed = r.Bool();
  if (!r.ok()) return DamagedImport(label);
  return record;
}

}  // namespace

std::string SealFingerprint(std::string_view fingerprint) {
  return Sealed(RandomBytes(kSaltBytes), fingerprint);
}

bool SameFingerprint(std::string_view stored, std::string_view fingerprint) {
  if (stored.substr(0, kSealedTag.size()) != kSealedTag) return stored == fingerprint;
  if (stored.size() != kSealedTag.size() + kSaltBytes + sizeof(Hash)) return false;
  return Sealed(stored.substr(kSealedTag.size(), kSaltBytes), fingerprint) == stored;
}

std::string RequestKey(std::string_view id) {
  return std::string(kRequestPrefix) + std::string(id);
}

std::string EncodeRequestRecord(const RequestRecord& record) {
  return RecordWriter().Str(record.fingerprint).Str(record.result_json).Str(record.key_id).Take();
}

Result<RequestRecord> DecodeRequestRecord(std::string_view id, std::string_view row) {
  RecordReader r(row);
  RequestRecord record;
  record.fingerprint = r.Str();
  record.result_json = r.Str();
  if (!r.done()) record.key_id = r.Str();
  if (!r.ok() || !r.done()) {
    return Status::Corruption(Msg("the record of request id \"{}\" is damaged", id));
  }
  return record;
}

Result<std::optional<RequestRecord>> WriteTxn::LoadRequest(std::string_view id) {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row, GetRequestRow(RequestKey(id)));
  if (!row) return std::optional<RequestRecord>();
  VLEDGER_ASSIGN_OR_RETURN(RequestRecord record, DecodeRequestRecord(id, *row));
  return std::optional<RequestRecord>(std::move(record));
}

void WriteTxn::StoreRequest(std::string_view id, const RequestRecord& record) {
  PutRequestRow(RequestKey(id), EncodeRequestRecord(record));
}

Result<std::optional<ImportRecord>> WriteTxn::LoadImport(std::string_view label) {
  VLEDGER_ASSIGN_OR_RETURN(std::optional<std::string> row, GetRequestRow(ImportKey(label)));
  if (!row) return std::optional<ImportRecord>();
  VLEDGER_ASSIGN_OR_RETURN(ImportRecord record, DecodeImportRecord(label, *row));
  return std::optional<ImportRecord>(std::move(record));
}

void WriteTxn::StoreImport(std::string_view label, const ImportRecord& record) {
  PutRequestRow(ImportKey(label),
                RecordWriter().Str(record.sha256_hex).Bool(record.completed).Take());
}

void WriteTxn::StoreImportedRows(std::string_view label, uint64_t first_seq,
                                 std::string_view derived_ids) {
  VLEDGER_ASSERT(derived_ids.size() % kImportedRowIdBytes == 0);
  std::string key = ImportedRowsPrefix(label);
  PutU64be(&key, first_seq);
  PutRequestRow(key, std::string(derived_ids));
}

Status Ledger::ScanImports(
    const std::function<bool(std::string_view label, const ImportRecord& record)>& fn) const {
  Status bad;
  VLEDGER_TRY(ScanRequestRows(kImportPrefix, [&](std::string_view key, std::string_view value) {
    std::string_view label = key.substr(kImportPrefix.size());
    Result<ImportRecord> record = DecodeImportRecord(label, value);
    if (!record.ok()) {
      bad = record.status();
      return false;
    }
    return fn(label, *record);
  }));
  return bad;
}

Result<std::unordered_map<std::string, uint64_t>> Ledger::LoadImportedRows(
    std::string_view label) const {
  std::unordered_map<std::string, uint64_t> ids;
  std::string prefix = ImportedRowsPrefix(label);
  Status bad;
  VLEDGER_TRY(ScanRequestRows(prefix, [&](std::string_view key, std::string_view value) {
    if (key.size() != prefix.size() + 8 || value.size() % kImportedRowIdBytes != 0) {
      bad = Status::Corruption(Msg("import progress row of \"{}\" is damaged", label));
      return false;
    }
    uint64_t first = 0;
    for (char c : key.substr(prefix.size())) first = first << 8 | static_cast<uint8_t>(c);
    for (size_t i = 0; i < value.size(); i += kImportedRowIdBytes) {
      ids.emplace(value.substr(i, kImportedRowIdBytes), first);
    }
    return true;
  }));
  VLEDGER_TRY(bad);
  return ids;
}

}  // namespace vledger
