// The forms an import's cells may take beside the command line's (SPEC
// section 9): cells trimmed, dates and amounts as clerks write them in
// Excel, points with a sign or a unit. Each function returns the text the
// command line takes.
#pragma once

#include <string>
#include <string_view>

#include "vledger/ledger/status.h"

namespace vledger::app {

// `cell` without the white space around it: ASCII spaces, tabs and line
// ends, the no-break space U+00A0, the ideographic (full-width) space
// U+3000 and a stray byte-order mark U+FEFF.
std::string TrimCell(std::string_view cell);
// The same as a view into `cell`.
std::string_view TrimCellView(std::string_view cell);

// A date cell: 2021-10-06, 2021-10-6, 2021/10/6, 2021.10.6 or 2021年10月6日
// (an xlsx date cell reads as the first), as YYYY-MM-DD; "" stays "". A
// cell in none of these forms, or naming no such day (2021/2/30), is
// InvalidInput naming `field` and listing them; a day outside the years a
// ledger takes is CheckDate's refusal.
Result<std::string> ParseImportDate(std::string_view field, std::string_view cell);

// An amount cell in yuan: 500, 500.5, 500.50, 1,000.00 (thousands
// separated by commas), with ￥ or ¥ before it or 元 after it; as the
// command line's text (digits, a point, two decimals). Exact: the text is
// read as decimal digits, never through a float. "" stays "". A cell in
// none of these forms is InvalidInput naming `field` and listing them;
// zero or more than the ledger holds is ParseYuan's refusal.
Result<std::string> ParseImportAmount(std::string_view field, std::string_view cell);

// A points cell: 3, +3 or 3分 as "3"; any other text unchanged (the
// command's own check refuses it).
std::string NormalizePoints(std::string_view cell);

}  // namespace vledger::app
