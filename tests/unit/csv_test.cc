#include "vledger/projections/csv.h"

#include <gtest/gtest.h>

namespace vledger {
namespace {

TEST(Csv, ParsesHeaderRowsQuotesAndLineNumbers) {
  auto t = ParseCsv(
      "id,name\r\nR1,\"曲, 建国\"\r\n\r\nR2,\"say \"\"hi\"\"\"\nR3,\"two\nlines\"\nR4,x\n");
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

TEST(Csv, EmptyCellsRightOfTheHeaderAreNoCells) {
  // Excel's CSV keeps the columns it once used: a record may end in empty
  // cells past the header; a value there is still refused.
  auto t = ParseCsv("\n\na,b\n1,2,,\n3,4\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->header_line, 3u);
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"1", "2"}));
  EXPECT_FALSE(ParseCsv("a,b\n1,2,,x\n").ok());
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
    EXPECT_EQ(t.status().code(), Code::kInvalidInput);
    EXPECT_NE(t.status().message().find(c.want), std::string::npos) << t.status().message();
  }
}

// Plain text is read up to the next comma, quote or line end, whatever it
// holds (spaces, Chinese, symbols), and a quote inside it is still refused.
TEST(Csv, PlainCellsAreReadWholeUpToTheirEnd) {
  auto t = ParseCsv("id,note,n\r\nR1, 曲家村 打扫 ;:| ,7\r\nR2,a\tb,\"8\"\nR3,x,9");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"R1", " 曲家村 打扫 ;:| ", "7"}));
  EXPECT_EQ(t->rows[1].cells, (std::vector<std::string>{"R2", "a\tb", "8"}));
  EXPECT_EQ(t->rows[2].cells, (std::vector<std::string>{"R3", "x", "9"}));
  EXPECT_EQ(t->rows[2].line, 4u);
  auto stray = ParseCsv("id,note\nR1,abc\"d\"\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.status().message().find("line 2: stray quote"), std::string::npos);
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
  auto bom = DecodeCsvText(
      "\xEF\xBB\xBF"
      "a\n\xC7\xFA\n",
      "");
  ASSERT_FALSE(bom.ok());  // a BOM promises UTF-8
  EXPECT_NE(bom.status().message().find("line 2: invalid UTF-8"), std::string::npos);
}

TEST(Csv, AcceptsCrOnlyLineEndsCountingLines) {
  // Old Mac Excel ends lines with a CR alone.
  auto t = ParseCsv("id,note\rR1,a\r\rR2,\"two\rlines\"\rR3,b");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->header, (std::vector<std::string>{"id", "note"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"R1", "a"}));
  EXPECT_EQ(t->rows[1].line, 4u);  // the blank line 3 is skipped
  EXPECT_EQ(t->rows[1].cells[1], "two\rlines");
  EXPECT_EQ(t->rows[2].line, 6u);
  auto bad = ParseCsv("a,b\r1,2\r1,2,3\r");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3: 3 cells"), std::string::npos)
      << bad.status().message();
  auto undecodable = DecodeCsvText("a\rb\r\x80\r", "");
  ASSERT_FALSE(undecodable.ok());
  EXPECT_NE(undecodable.status().message().find("line 3"), std::string::npos)
      << undecodable.status().message();
}

// 曲红 in UTF-8 and in GB18030; 谢志 in GB18030 (D0 BB D6 BE) happens to be
// valid UTF-8 too, as "л־" (Cyrillic el, Hebrew maqaf).
constexpr const char* kQuHongUtf8 = "\xE6\x9B\xB2\xE7\xBA\xA2";
constexpr const char* kQuHongGb = "\xC7\xFA\xBA\xEC";
constexpr const char* kXieZhiGb = "\xD0\xBB\xD6\xBE";

TEST(CsvEncoding, RefusesAFileMixingUtf8AndGb18030LinesNamingOneOfEach) {
  std::string file = std::string("id,name\nR1,") + kQuHongUtf8 + "\nR2,x\nR3,x\nR4," + kQuHongGb +
                     "\nR5," + kQuHongUtf8 + "\n";
  auto r = DecodeCsvText(file, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
  EXPECT_EQ(r.status().message(),
            "mixed encodings: line 2 is UTF-8, line 5 is GB18030; save the file again as "
            "\"CSV UTF-8\"");
  // The same with a BOM, and with the GB18030 line first.
  auto bom = DecodeCsvText("\xEF\xBB\xBF" + file, "");
  ASSERT_FALSE(bom.ok());
  EXPECT_NE(bom.status().message().find("mixed encodings"), std::string::npos);
  auto gb_first =
      DecodeCsvText(std::string("id,name\nR4,") + kQuHongGb + "\nR1," + kQuHongUtf8 + "\n", "");
  ASSERT_FALSE(gb_first.ok());
  EXPECT_NE(gb_first.status().message().find("line 3 is UTF-8, line 2 is GB18030"),
            std::string::npos)
      << gb_first.status().message();
  // --encoding still decides for the whole file.
  EXPECT_TRUE(DecodeCsvText(file, "gb18030").ok());
  EXPECT_FALSE(DecodeCsvText(file, "utf-8").ok());
}

TEST(CsvEncoding, Gb18030LinesThatAreValidUtf8ByAccidentStayGb18030) {
  // Some lines are not UTF-8, one is (by accident): the whole file is GB18030.
  std::string file = std::string("id,name\nR1,") + kXieZhiGb + "\nR2," + kQuHongGb + "\n";
  auto r = DecodeCsvText(file, "");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "id,name\nR1,谢志\nR2,曲红\n");
  // Every line valid UTF-8 by accident: judged by what the lines decode to.
  auto all = DecodeCsvText(std::string("id,name\nR1,") + kXieZhiGb + "\n", "");
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(*all, "id,name\nR1,谢志\n");
}

TEST(CsvEncoding, Utf8FilesStayUtf8) {
  std::string body = std::string("id,name,note\nR1,") + kQuHongUtf8 + ",“好”，①\n";
  EXPECT_EQ(*DecodeCsvText("\xEF\xBB\xBF" + body, ""), "id,name,note\nR1,曲红,“好”，①\n");
  EXPECT_EQ(*DecodeCsvText(body, ""), "id,name,note\nR1,曲红,“好”，①\n");
  // A valid UTF-8 file with Chinese in UTF-8 keeps its other letters.
  std::string other = body + "R2,Иван,Lǚ\n";
  EXPECT_EQ(*DecodeCsvText(other, ""), other);
  EXPECT_EQ(*DecodeCsvText("id\nR1\n", ""), "id\nR1\n");
}

}  // namespace
}  // namespace vledger
