// Person records: the values of the `persons` column family (store.h),
// with their byte layout kept here so that no caller builds or parses it.
//
//   persons   personRef -> salt(16) || C(Person)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "vledger/ledger/event.h"
#include "vledger/ledger/status.h"

namespace vledger {

// Bytes of the random salt in front of every person record.
inline constexpr size_t kPersonSaltBytes = 16;

// A person record kept beside the chain: its salt and the person. The
// record is committed to by personRef = H("VLEDGER-PERSON-V1\0" || salt ||
// C(person)) (codec.h, PersonRef); change the person and the ref changes.
struct PersonRecord {
  std::string salt;  // kPersonSaltBytes bytes
  Person person;

  // The commitment to this record: the personRef events carry. A stored
  // record belongs under `ref` only when ref() == ref.
  std::string ref() const;
  // SHA-256(salt || id_card): the hash of an ID-card number kept in a record
  // instead of the number, bound to this record's salt. The caller gives
  // the number in the form it keeps (upper-case check character).
  std::string IdCardHash(std::string_view id_card) const;

  // salt || C(person): the stored value.
  std::string EncodeRow() const;
  // The record stored under `ref` as `row`. Corruption, naming the ref,
  // when the row is shorter than a salt or C(Person) does not decode. The
  // commitment is not checked here (compare ref()).
  static Result<PersonRecord> DecodeRow(std::string_view ref, std::string_view row);

  bool operator==(const PersonRecord&) const = default;
};

// A new record of `person` under a fresh random salt.
PersonRecord NewPersonRecord(const Person& person);

}  // namespace vledger
