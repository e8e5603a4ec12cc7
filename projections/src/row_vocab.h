// A vocabulary value (vocab.h) read back from a projection row. The rows
// store the value's text; one this code does not know is damage, not input:
// Corruption naming the row, thrown as a row that cannot be read (rows.h)
// and returned where projections are run.
#pragma once

#include <string>
#include <string_view>

#include "vledger/ledger/rows.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/vocab.h"

namespace vledger::detail {

template <typename E>
E DecodeVocab(std::string_view text, std::string_view prefix, std::string_view id) {
  Result<E> value = Parse<E>("", text);
  if (!value.ok()) {
    throw RowReadError(Status::Corruption(
        Msg("projection row {} is malformed (the projection rows are damaged: `vledger rebuild` "
            "writes them again from the log)",
            std::string(prefix) + std::string(id))));
  }
  return *value;
}

}  // namespace vledger::detail
