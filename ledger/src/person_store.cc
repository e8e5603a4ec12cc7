// Byte layout of person records (person_store.h).
#include "vledger/ledger/person_store.h"

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/codec.h"
#include "vledger/ledger/crypto.h"
#include "vledger/ledger/restate.h"

namespace vledger {

std::string PersonRecord::ref() const { return PersonRef(salt, EncodePerson(person)); }

std::string PersonRecord::IdCardHash(std::string_view id_card) const {
  return AsString(Sha256(salt + std::string(id_card)));
}

std::string PersonRecord::EncodeRow() const {
  VLEDGER_ASSERT(salt.size() == kPersonSaltBytes);
  return salt + EncodePerson(person);
}

Result<PersonRecord> PersonRecord::DecodeRow(std::string_view ref, std::string_view row) {
  if (row.size() < kPersonSaltBytes) {
    return Status::Corruption(Msg("person record {} is malformed", Hex(ref)));
  }
  Result<Person> person = DecodePerson(row.substr(kPersonSaltBytes));
  if (!person.ok()) {
    return Restated(person.status(), Code::kCorruption)
        .WithPrefix(Msg("person record {} is malformed", Hex(ref)));
  }
  return PersonRecord{std::string(row.substr(0, kPersonSaltBytes)), std::move(*person)};
}

PersonRecord NewPersonRecord(const Person& person) {
  return PersonRecord{RandomBytes(kPersonSaltBytes), person};
}

}  // namespace vledger
