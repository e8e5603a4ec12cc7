#include "vledger/csv.h"

#include <gtest/gtest.h>

namespace vledger {
namespace {

TEST(Csv, ParsesHeaderRowsQuotesAndLineNumbers) {
  auto t = ParseCsv("id,name\r\nR1,\"曲, 建国\"\r\n\r\nR2,\"say \"\"hi\"\"\"\nR3,\"two\nlines\"\nR4,x\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->header, (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(t->rows.size(), 4u);
  EXPECT_EQ(t->rows[0].cells[1], "曲, 建国");
  EXPECT_EQ(t->rows[0].line, 2u);
  EXPECT_EQ(t->rows[1].cells[1], "say \"hi\"");
  EXPECT_EQ(t->rows[1].line, 4u);  // the blank line 3 is skipped
  EXPECT_EQ(t->rows[2].cells[1], "two\nlines");
  EXPECT_EQ(t->rows[3].line, 7u);  // the quoted newline counts as a physical line
}

TEST(Csv, KeepsEmptyCellsAndLastLineWithoutNewline) {
  auto t = ParseCsv("a,b,c\n1,,\n,,3");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"1", "", ""}));
  EXPECT_EQ(t->rows[1].cells, (std::vector<std::string>{"", "", "3"}));
}

TEST(Csv, RejectsMalformedRecordsNamingTheLine) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"a,b\n1,\"open\n", "line 2: unterminated"},
      {"a,b\n1,x\"y\n", "line 2: stray quote"},
      {"a,b\n1,\"x\"y\n", "line 2: text after a closing quote"},
      {"a,b\n1,2\n1,2,3\n", "line 3: 3 cells, but the header has 2"},
      {"", "line 1: the file has no header row"},
  };
  for (const auto& c : cases) {
    auto t = ParseCsv(c.text);
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_EQ(t.status().code(), Code::kRejected);
    EXPECT_NE(t.status().message().find(c.want), std::string::npos) << t.status().message();
  }
}

TEST(Csv, RecordLengthBoundHoldsAtTheLimitAndOnePast) {
  std::string at = "a\n" + std::string(kCsvRecordBytesMax, 'x') + "\n";
  EXPECT_TRUE(ParseCsv(at).ok());
  std::string past = "a\n" + std::string(kCsvRecordBytesMax + 2, 'x') + "\n";
  auto t = ParseCsv(past);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("line 2: record longer"), std::string::npos);
}

TEST(CsvEncoding, DetectsBomUtf8AndGb18030) {
  EXPECT_EQ(*DecodeCsvText("\xEF\xBB\xBFid\n", ""), "id\n");
  EXPECT_EQ(*DecodeCsvText("名字\n", ""), "名字\n");
  // 曲建国 in GB18030.
  EXPECT_EQ(*DecodeCsvText("name\n\xC7\xFA\xBD\xA8\xB9\xFA\n", ""), "name\n曲建国\n");
  EXPECT_EQ(*DecodeCsvText("\xC7\xFA\n", "gb18030"), "曲\n");
}

TEST(CsvEncoding, RejectsBytesThatAreNeitherNamingTheLine) {
  // 0x80 alone is invalid in both UTF-8 and GB18030.
  auto r = DecodeCsvText("a\nb\n\x80\n", "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 3"), std::string::npos) << r.status().message();
  auto bom = DecodeCsvText("\xEF\xBB\xBF" "a\n\xC7\xFA\n", "");
  ASSERT_FALSE(bom.ok());  // a BOM promises UTF-8
  EXPECT_NE(bom.status().message().find("line 2: invalid UTF-8"), std::string::npos);
}

}  // namespace
}  // namespace vledger
