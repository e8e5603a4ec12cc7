// Unit tests of translatable messages (message.h): how a pattern is filled
// in, and how a Status built from patterns renders its English line while
// keeping each pattern and its arguments apart for a front end.
#include "vledger/ledger/message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vledger/ledger/restate.h"
#include "vledger/ledger/status.h"
#include "vledger/ledger/vocab.h"
#include "vledger/projections/money.h"
#include "vledger/projections/validate.h"

namespace vledger {
namespace {

std::string Fill(std::string_view pattern, const std::vector<std::string>& args) {
  return Msg::FormatPattern(pattern, args);
}

TEST(StatusMsg, EmptyPlaceholdersTakeTheArgumentsInOrder) {
  EXPECT_EQ(Fill("unknown rule \"{}\" in village {}", {"R1", "V01"}),
            "unknown rule \"R1\" in village V01");
  EXPECT_EQ(Fill("no placeholder", {}), "no placeholder");
  EXPECT_EQ(Fill("{}{}", {"a", "b"}), "ab");
  EXPECT_EQ(Fill("", {}), "");
}

TEST(StatusMsg, NumberedPlaceholdersReorder) {
  EXPECT_EQ(Fill("{1} before {0}", {"first", "second"}), "second before first");
  EXPECT_EQ(Fill("ledger {0} and {0}/writer.lock", {"L"}), "ledger L and L/writer.lock");
  // A translation reorders; the English keeps the order of the arguments.
  EXPECT_EQ(Fill("规则 {0} 每月最多 {1} 分；村民“{2}”在 {4} 已得 {3} 分",
                 {"R", "10", "X", "7", "2021-09"}),
            "规则 R 每月最多 10 分；村民“X”在 2021-09 已得 7 分");
  // {} after a numbered one takes the next argument not yet taken in order.
  EXPECT_EQ(Fill("{1} {} {}", {"a", "b"}), "b a b");
}

TEST(StatusMsg, DoubledBracesAreLiteral) {
  EXPECT_EQ(Fill("{{}} is {}", {"x"}), "{} is x");
  EXPECT_EQ(Fill("a {{b}} c", {}), "a {b} c");
  EXPECT_EQ(Fill("}}{{", {}), "}{");
}

TEST(StatusMsg, MissingArgumentsStayVisible) {
  EXPECT_EQ(Fill("{} and {}", {"one"}), "one and {}");
  EXPECT_EQ(Fill("{3} of {0}", {"a"}), "{3} of a");
  EXPECT_EQ(Fill("{x} {}", {"a"}), "{x} a");
  EXPECT_EQ(Fill("open { never closed", {"a"}), "open { never closed");
  EXPECT_EQ(Fill("lone } brace", {}), "lone } brace");
  // An argument holding braces is text, never read as a placeholder.
  EXPECT_EQ(Fill("{} {}", {"{0}", "{{"}), "{0} {{");
}

TEST(StatusMsg, ArgumentsAreStringsOrIntegers) {
  std::string s = "S";
  std::string_view v = "V";
  Msg m("{} {} {} {} {} {} {}", s, v, "lit", 'c', uint64_t{18446744073709551615u}, int64_t{-5},
        size_t{3});
  EXPECT_EQ(m.English(), "S V lit c 18446744073709551615 -5 3");
  EXPECT_STREQ(m.pattern(), "{} {} {} {} {} {} {}");
  EXPECT_EQ(m.args().size(), 7u);
  EXPECT_TRUE(Msg().empty());
  EXPECT_EQ(Msg("a {}", 1), Msg("a {}", 1));
  EXPECT_FALSE(Msg("a {}", 1) == Msg("a {}", 2));
}

TEST(StatusRender, KeepsThePatternAndTheArguments) {
  Status st = Status::NotFound("rule", Msg("unknown rule \"{}\"", "R9"));
  EXPECT_EQ(st.message(), "rule: unknown rule \"R9\"");
  EXPECT_STREQ(st.msg().pattern(), "unknown rule \"{}\"");
  EXPECT_EQ(st.msg().args(), std::vector<std::string>{"R9"});
  EXPECT_EQ(st.field(), "rule");
  EXPECT_EQ(st.code(), Code::kNotFound);
  // A literal needs no Msg.
  EXPECT_STREQ(Status::InvalidInput("--points", "must not be zero").msg().pattern(),
               "must not be zero");
}

TEST(StatusRender, RowSeqFieldAndPrefixes) {
  Status st =
      Status::InvalidInput("points", Msg("{} is beyond the limit of {} points", 5000, 1000));
  EXPECT_EQ(st.WithSeq(12).message(), "seq 12: points: 5000 is beyond the limit of 1000 points");
  EXPECT_EQ(st.WithRow(4).WithSeq(12).message(),
            "row 4: seq 12: points: 5000 is beyond the limit of 1000 points");
  Status prefixed = st.WithPrefix(Msg("archive {}: entry at byte {}", "a.vla", 64));
  EXPECT_EQ(prefixed.message(),
            "archive a.vla: entry at byte 64: points: 5000 is beyond the limit of 1000 points");
  ASSERT_EQ(prefixed.prefixes().size(), 2u);
  EXPECT_STREQ(prefixed.prefixes()[0].pattern(), "archive {}: entry at byte {}");
  EXPECT_EQ(prefixed.prefixes()[1].English(), "points");  // the field, moved in
  EXPECT_TRUE(prefixed.field().empty());
  EXPECT_EQ(prefixed.WithPrefix("outer").detail(),
            "outer: archive a.vla: entry at byte 64: points: 5000 is beyond the limit of 1000 "
            "points");
}

TEST(StatusRender, RestatedKeepsTheWholeLine) {
  Status st = Status::InvalidInput("--village", Msg("\"{}\" is not an id", "x y"))
                  .WithPrefix("inner")
                  .WithSeq(3)
                  .WithRow(9);
  Status v = Restated(st, Code::kVerificationFailed);
  EXPECT_EQ(v.code(), Code::kVerificationFailed);
  EXPECT_EQ(v.message(), st.message());
  EXPECT_FALSE(v.row().has_value());
  EXPECT_FALSE(v.seq().has_value());
  EXPECT_EQ(v.WithPrefix("footer line").message(), "footer line: " + st.message());
}

TEST(StatusRender, LibraryMessagesAreOnePatternWithArguments) {
  Status role = Parse<Role>("--role", "boss").status();
  EXPECT_EQ(
      role.message(),
      "--role: \"boss\" is not admin, collector, treasurer, reviewer, auditor, checkpointer or "
      "attestor");
  EXPECT_STREQ(role.msg().pattern(), "\"{}\" is not {} or {}");
  Status format = Parse<ReportFormat>("--format", "pdf").status();
  EXPECT_EQ(format.message(), "--format: \"pdf\" is not one of html|md|csv|json");

  Status amount = ParseYuan("--amount", "1.234").status();
  EXPECT_EQ(amount.message(),
            "--amount: \"1.234\" is not an amount in yuan (digits, optionally a point and one or "
            "two decimals, e.g. 500.50)");
  EXPECT_EQ(amount.msg().args(), std::vector<std::string>{"1.234"});

  Status name = CheckName("--name", "a\u202eb");
  EXPECT_EQ(name.message(), "--name: has the bidirectional control character U+202E");
  EXPECT_STREQ(name.msg().pattern(), "has the bidirectional control character U+{}");
  EXPECT_EQ(CheckDate("date", "2021-02-30").message(),
            "date: \"2021-02-30\" is not a calendar date");
}

}  // namespace
}  // namespace vledger
