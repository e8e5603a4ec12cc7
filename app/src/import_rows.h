// The kinds of rows an import takes, each row built by the shared event
// builders, and where in the file a row's error is (import.cc's helpers;
// not part of the application layer's interface).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vledger/app/append.h"

namespace vledger::app {

// A row's cells in the kind's normative column order ("" when the column
// is absent or the cell empty).
class RowView {
 public:
  RowView(const std::vector<std::string_view>& columns, const std::vector<std::string>& cells)
      : columns_(columns), cells_(cells) {}
  const std::string& operator[](std::string_view column) const;

 private:
  const std::vector<std::string_view>& columns_;
  const std::vector<std::string>& cells_;
};

using RowBuilder = Status (*)(CommitBuilder&, const RowView&);

struct KindSpec {
  std::string_view name;
  std::vector<std::string_view> columns;  // normative order
  size_t required = 0;                    // the first `required` columns
  RowBuilder build = nullptr;
  // The command whose builder `build` calls: a row writes that command's
  // event types (app/remote.h, EventTypesOf).
  std::string_view command;
};

const std::vector<KindSpec>& Kinds();
// The kind --kind names, or null.
const KindSpec* FindKind(std::string_view name);
// The kind's columns as SPEC lists them: "resident,rule,[points,date,…]".
std::string ColumnList(const KindSpec& kind);
// The same by their first Chinese headings: "村民,规则[,分值,日期,…]".
std::string ChineseColumnList(const KindSpec& kind);

// The index in `kind.columns` of the column a heading names: the column's
// own name ("date") or one of its Chinese headings ("日期"; README lists
// them); kind.columns.size() when none.
size_t ColumnOfHeading(const KindSpec& kind, std::string_view heading);

// A column's Chinese headings, the one a template writes first; empty when
// it has none.
std::vector<std::string_view> ChineseHeadings(std::string_view column);

// A refusal of the row starting at `line` with the column at fault as its
// field, as the file names it: `columns` are the kind's columns of the
// file's header positions, `headings` the header's text. The column is the
// one the Status's field maps to ("--points" → points, "occurredOn" →
// date), else the first column with the whole message kept as the detail.
// Other Statuses (storage faults) unchanged.
Status LocateRowError(const Status& st, uint64_t line, const std::vector<std::string>& columns,
                      const std::vector<std::string>& headings);

}  // namespace vledger::app
