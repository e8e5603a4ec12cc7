// The .xlsx reader (app/xlsx.h) over workbooks built here part by part,
// and the forms of an import's cells (app/import_cells.h).
#include "vledger/app/xlsx.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <fstream>
#include <map>
#include <sstream>

#include "temp_dir.h"
#include "vledger/app/import_cells.h"

namespace vledger::app {
namespace {

using Parts = std::map<std::string, std::string>;

const char* const kWorkbook =
    R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
    R"(<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>)"
    R"(<sheet name="二队" sheetId="2" r:id="rId2"/></sheets></workbook>)";
const char* const kRels =
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://x/worksheet" Target="/xl/worksheets/sheet2.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://x/sharedStrings" Target="sharedStrings.xml"/>)"
    R"(<Relationship Id="rId4" Type="http://x/styles" Target="styles.xml"/>)"
    R"(</Relationships>)";
// Style 0 General, 1 builtin date 14, 2 yyyy/m/d, 3 #,##0.00"元", 4 [Red]0.00.
const char* const kStyles =
    R"(<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy/m/d"/>)"
    R"(<numFmt numFmtId="165" formatCode="#,##0.00&quot;元&quot;"/>)"
    R"(<numFmt numFmtId="166" formatCode="[Red]0.00"/></numFmts>)"
    R"(<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>)"
    R"(<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>)"
    R"(<xf numFmtId="166"/></cellXfs></styleSheet>)";

std::string Sheet(const std::string& rows) {
  return R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
         R"(<sheetData>)" +
         rows + "</sheetData></worksheet>";
}

// A workbook of these parts (the workbook, its relationships and styles by
// default) as bytes, zipped by libzip.
std::string Zip(Parts parts, bool defaults = true) {
  if (defaults) {
    parts.emplace("xl/workbook.xml", kWorkbook);
    parts.emplace("xl/_rels/workbook.xml.rels", kRels);
    parts.emplace("xl/styles.xml", kStyles);
    parts.emplace("xl/worksheets/sheet2.xml", Sheet(""));
  }
  testing::TempDir dir;
  std::string path = dir.File("book.xlsx");
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, text] : parts) {
    zip_source_t* source = zip_source_buffer(zip, text.data(), text.size(), 0);
    EXPECT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE), 0);
  }
  EXPECT_EQ(zip_close(zip), 0);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Result<CsvTable> Read(const std::string& rows, Parts more = {}, const std::string& sheet = "") {
  more.emplace("xl/worksheets/sheet1.xml", Sheet(rows));
  return ReadXlsxSheet(Zip(more), "book.xlsx", sheet);
}

std::string SharedStrings(const std::string& items) { return "<sst>" + items + "</sst>"; }

TEST(Xlsx, ReadsEveryKindOfCell) {
  Parts shared = {{"xl/sharedStrings.xml",
                   SharedStrings("<si><t>村民</t></si><si><t xml:space=\"preserve\"> 规则 </t></si>"
                                 "<si><r><t>曲</t></r><r><t>建国</t></r></si>"
                                 "<si><t>王</t><rPh sb=\"0\" eb=\"1\"><t>ワン</t></rPh></si>")}};
  auto t = Read(R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>)"
                R"(<c r="C1" t="inlineStr"><is><t>分值</t></is></c><c r="D1" t="s"><v>2</v></c>)"
                R"(<c r="E1" t="s"><v>3</v></c></row>)"
                R"(<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v></c>)"
                R"(<c r="C2"><v>1000.5</v></c><c r="D2" t="str"><f>A1</f><v>文本</v></c>)"
                R"(<c r="E2" s="3"><v>0.30000000000000004</v></c></row>)",
                shared);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->header, (std::vector<std::string>{"村民", "规则", "分值", "曲建国", "王"}));
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"TRUE", "FALSE", "1000.5", "文本", "0.3"}));
  EXPECT_EQ(t->rows[0].line, 2u);
}

TEST(Xlsx, PlacesCellsByReferenceAndSkipsRowsWithoutValues) {
  // Gaps are empty cells; a styled empty cell and an empty row are nothing;
  // rows and cells without r= follow the one before.
  auto t = Read(R"(<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c>)"
                R"(<c r="C2" t="inlineStr"><is><t>c</t></is></c><c r="H2" s="1"/></row>)"
                R"(<row r="3"><c r="A3" s="1"/></row>)"
                R"(<row r="5"><c r="B5"><v>7</v></c></row>)"
                R"(<row><c><v>1</v></c><c><v>2</v></c></row>)");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->header, (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ(t->header_line, 2u);
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].line, 5u);
  EXPECT_EQ(t->rows[0].cells, (std::vector<std::string>{"", "7", ""}));
  EXPECT_EQ(t->rows[1].line, 6u);
  EXPECT_EQ(t->rows[1].cells, (std::vector<std::string>{"1", "2", ""}));
}

TEST(Xlsx, DateFormattedNumbersAreDates) {
  auto t = Read(R"(<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="C1"><v>3</v></c>)"
                R"(<c r="D1"><v>4</v></c></row>)"
                R"(<row r="2"><c r="A2" s="1"><v>44475</v></c><c r="B2" s="2"><v>44475.75</v></c>)"
                R"(<c r="C2" s="3"><v>44475</v></c><c r="D2" s="4"><v>44475</v></c></row>)");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->rows[0].cells,
            (std::vector<std::string>{"2021-10-06", "2021-10-06", "44475", "44475"}));
}

TEST(Xlsx, The1904DateSystemWhenTheWorkbookSaysSo) {
  std::string workbook = kWorkbook;
  workbook.insert(workbook.find("<sheets>"), R"(<workbookPr date1904="1"/>)");
  Parts parts = {{"xl/workbook.xml", workbook}};
  auto t = Read(R"(<row r="1"><c r="A1"><v>1</v></c></row>)"
                R"(<row r="2"><c r="A2" s="1"><v>43013</v></c></row>)",
                parts);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->rows[0].cells[0], "2021-10-06");
}

TEST(Xlsx, SerialDatesAroundTheFictitiousLeapDay) {
  EXPECT_EQ(ExcelSerialDate(1, false), "1900-01-01");
  EXPECT_EQ(ExcelSerialDate(59, false), "1900-02-28");
  EXPECT_EQ(ExcelSerialDate(60, false), std::nullopt);  // Excel's 1900-02-29
  EXPECT_EQ(ExcelSerialDate(61, false), "1900-03-01");
  EXPECT_EQ(ExcelSerialDate(25569, false), "1970-01-01");
  EXPECT_EQ(ExcelSerialDate(44475, false), "2021-10-06");
  EXPECT_EQ(ExcelSerialDate(44475.999, false), "2021-10-06");
  EXPECT_EQ(ExcelSerialDate(2958465, false), "9999-12-31");
  EXPECT_EQ(ExcelSerialDate(2958466, false), std::nullopt);
  EXPECT_EQ(ExcelSerialDate(0, false), std::nullopt);
  EXPECT_EQ(ExcelSerialDate(-1, false), std::nullopt);
  EXPECT_EQ(ExcelSerialDate(0, true), "1904-01-01");
  EXPECT_EQ(ExcelSerialDate(43013, true), "2021-10-06");
}

TEST(Xlsx, NumbersReadAtFifteenSignificantDigits) {
  EXPECT_EQ(ExcelNumberText("0.30000000000000004"), "0.3");
  EXPECT_EQ(ExcelNumberText("1000.5"), "1000.5");
  EXPECT_EQ(ExcelNumberText("1000"), "1000");
  EXPECT_EQ(ExcelNumberText("4.4475E4"), "44475");
  EXPECT_EQ(ExcelNumberText("1E-3"), "0.001");
  EXPECT_EQ(ExcelNumberText("-2.5"), "-2.5");
  EXPECT_EQ(ExcelNumberText("0"), "0");
  EXPECT_EQ(ExcelNumberText("1234567.8899999999"), "1234567.89");
  EXPECT_EQ(ExcelNumberText("1E20"), "100000000000000000000");
  EXPECT_EQ(ExcelNumberText("abc"), "abc");
}

TEST(Xlsx, AFormulaWithoutASavedValueNamesTheCell) {
  auto ok = Read(R"(<row r="1"><c r="A1"><v>1</v></c></row>)"
                 R"(<row r="7"><c r="A7"><f>1+2</f><v>3</v></c></row>)");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->rows[0].cells[0], "3");
  auto t = Read(R"(<row r="1"><c r="C1"><v>1</v></c></row>)"
                R"(<row r="7"><c r="C7"><f>1+2</f></c></row>)");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kInvalidInput);
  EXPECT_EQ(t.status().field(), "Sheet1!C7");
  auto e = Read(R"(<row r="1"><c r="A1" t="e"><v>#DIV/0!</v></c></row>)");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().field(), "Sheet1!A1");
}

TEST(Xlsx, ASheetByNameAndAMissingSheetListsTheSheets) {
  Parts parts = {{"xl/worksheets/sheet2.xml", Sheet(R"(<row r="1"><c r="A1"><v>2</v></c></row>)")}};
  auto t = Read(R"(<row r="1"><c r="A1"><v>1</v></c></row>)", parts, "二队");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->header[0], "2");
  auto missing = Read("", {}, "三队");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find("Sheet1, 二队"), std::string::npos);
}

TEST(Xlsx, WhatIsNotAWorkbookIsRefused) {
  EXPECT_EQ(ReadXlsxSheet("id,name\n", "a.xlsx", "").status().code(), Code::kInvalidInput);
  EXPECT_EQ(ReadXlsxSheet(std::string("PK\x03\x04garbage", 11), "a.xlsx", "").status().code(),
            Code::kInvalidInput);
  auto no_book = ReadXlsxSheet(Zip({{"readme.txt", "hello"}}, false), "a.xlsx", "");
  ASSERT_FALSE(no_book.ok());
  EXPECT_NE(no_book.status().message().find("xl/workbook.xml"), std::string::npos);
  auto bad_xml = Read("<row r=\"1\"><c r=\"A1\"><v>1</v></row>");
  EXPECT_EQ(bad_xml.status().code(), Code::kInvalidInput);
}

TEST(Xlsx, EntitiesAreRefusedNotExpanded) {
  Parts parts = {
      {"xl/sharedStrings.xml",
       R"(<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>)"
       R"(<sst><si><t>&b;</t></si></sst>)"}};
  auto t = Read(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)", parts);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("entity"), std::string::npos);
}

TEST(XlsxLimits, StringAcceptsBytesMaxRejectsOneMore) {
  std::string at(kXlsxStringBytesMax, 'x');
  auto ok = Read("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + at + "</t></is></c></row>");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->header[0].size(), kXlsxStringBytesMax);
  auto past =
      Read("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + at + "x</t></is></c></row>");
  EXPECT_EQ(past.status().code(), Code::kInvalidInput);
  Parts shared = {{"xl/sharedStrings.xml", SharedStrings("<si><t>" + at + "x</t></si>")}};
  EXPECT_EQ(Read("", shared).status().code(), Code::kInvalidInput);
}

TEST(XlsxLimits, ColumnsAcceptColumnsMaxRejectOneMore) {
  // Column 64 is BL, 65 BM.
  ASSERT_EQ(kXlsxColumnsMax, 64u);
  auto ok = Read(R"(<row r="1"><c r="BL1"><v>1</v></c><c r="BM1" s="1"/></row>)");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->header.size(), 64u);
  auto past = Read(R"(<row r="1"><c r="BM1"><v>1</v></c></row>)");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().field(), "Sheet1!BM1");
}

TEST(XlsxLimits, RowsAcceptRowsMaxRejectOneMore) {
  auto ok = Read(R"(<row r="1048576"><c r="A1048576"><v>1</v></c></row>)");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->header_line, kXlsxRowsMax);
  EXPECT_EQ(Read(R"(<row r="1048577"><c r="A1048577"><v>1</v></c></row>)").status().code(),
            Code::kInvalidInput);
}

TEST(XlsxLimits, SharedStringsAcceptMaxRejectOneMore) {
  std::string items;
  items.reserve(kXlsxSharedStringsMax * 6 + 8);
  for (uint64_t i = 0; i < kXlsxSharedStringsMax; i++) items += "<si/>";
  Parts at = {{"xl/sharedStrings.xml", SharedStrings(items)}};
  EXPECT_TRUE(Read("", at).ok());
  Parts past = {{"xl/sharedStrings.xml", SharedStrings(items + "<si/>")}};
  auto t = Read("", past);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("shared strings"), std::string::npos);
}

TEST(XlsxLimits, APartLargerThanPartBytesMaxIsRefused) {
  // A zip bomb: a part that expands past the bound is refused once the
  // bound is read, not held.
  std::string rows(kXlsxPartBytesMax + 1, ' ');
  auto t = Read(rows);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("MiB uncompressed"), std::string::npos);
}

TEST(XlsxLimits, CellTextPastTextBytesMaxIsRefused) {
  // One shared string of kXlsxStringBytesMax bytes in 4097 cells: one cell
  // past kXlsxTextBytesMax.
  Parts shared = {{"xl/sharedStrings.xml",
                   SharedStrings("<si><t>" + std::string(kXlsxStringBytesMax, 'x') + "</t></si>")}};
  uint64_t cells = kXlsxTextBytesMax / kXlsxStringBytesMax + 1;
  std::string rows;
  for (uint64_t i = 0; i < cells; i++) {
    if (i % 64 == 0) rows += (i == 0 ? "" : "</row>") + std::string("<row>");
    rows += R"(<c t="s"><v>0</v></c>)";
  }
  rows += "</row>";
  auto t = Read(rows, shared);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("MiB of text"), std::string::npos);
}

// ------------------------------------------------------------ the cells

TEST(ImportCells, CellsAreTrimmedOfEveryKindOfSpace) {
  EXPECT_EQ(TrimCell("  R01\t"), "R01");
  EXPECT_EQ(TrimCell("\xE3\x80\x80曲建国\xE3\x80\x80"), "曲建国");
  EXPECT_EQ(TrimCell("\xC2\xA0 5 \r\n"), "5");
  EXPECT_EQ(TrimCell("a b"), "a b");
  EXPECT_EQ(TrimCell("\xE3\x80\x80"), "");
  // Each kind of space alone at one end, the other end printable.
  for (std::string space : {" ", "\t", "\r", "\n", "\xC2\xA0", "\xE3\x80\x80", "\xEF\xBB\xBF"}) {
    EXPECT_EQ(TrimCell(space + "R01"), "R01");
    EXPECT_EQ(TrimCell("R01" + space), "R01");
  }
  EXPECT_EQ(TrimCell("曲建国"), "曲建国");
  // A cell with nothing to trim is given back as it is, not copied.
  std::string plain = "R01 and more";
  EXPECT_EQ(TrimCellView(plain).data(), plain.data());
  EXPECT_EQ(TrimCellView(plain).size(), plain.size());
}

TEST(ImportCells, DatesInEveryAcceptedForm) {
  for (const char* form : {"2021-10-06", "2021-10-6", "2021/10/6", "2021/10/06", "2021.10.6",
                           "2021年10月6日", "2021年10月06日"}) {
    auto d = ParseImportDate("date", form);
    ASSERT_TRUE(d.ok()) << form << ": " << d.status().message();
    EXPECT_EQ(*d, "2021-10-06") << form;
  }
  EXPECT_EQ(*ParseImportDate("date", ""), "");
}

TEST(ImportCells, ADateInNoAcceptedFormListsTheForms) {
  for (const char* bad : {"10/6/2021", "2021/10/6日", "2021-10", "21/10/6", "2021年10月6",
                          "2021/10-6", "2021/100/6", "yesterday"}) {
    auto d = ParseImportDate("date", bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.status().field(), "date");
    EXPECT_NE(d.status().message().find("2021年10月6日"), std::string::npos) << bad;
  }
  // The right shape but no such day: the date check's own refusal.
  auto d = ParseImportDate("date", "2021/2/30");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().field(), "date");
}

TEST(ImportCells, AmountsInEveryAcceptedFormAreExactFen) {
  const std::pair<const char*, const char*> cases[] = {
      {"500", "500.00"},
      {"500.5", "500.50"},
      {"500.05", "500.05"},
      {"1,000.00", "1000.00"},
      {"12,345,678.9", "12345678.90"},
      {"￥500", "500.00"},
      {"¥500", "500.00"},
      {"500元", "500.00"},
      {"￥1,000.00元", "1000.00"},
      {"￥ 1,000.00", "1000.00"},
      {"0.3", "0.30"},
      {"0.01", "0.01"},
  };
  for (const auto& [cell, text] : cases) {
    auto a = ParseImportAmount("amount", cell);
    ASSERT_TRUE(a.ok()) << cell << ": " << a.status().message();
    EXPECT_EQ(*a, text) << cell;
  }
  EXPECT_EQ(*ParseImportAmount("amount", ""), "");
}

TEST(ImportCells, AnAmountInNoAcceptedFormListsTheForms) {
  for (const char* bad : {"1,00", "12,3456.00", ",500", "500.555", "500.", "-500", "五百元", "$500",
                          "500 yuan", "1.000,00"}) {
    auto a = ParseImportAmount("amount", bad);
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().field(), "amount");
    EXPECT_NE(a.status().message().find("1,000.00"), std::string::npos) << bad;
  }
  // Zero is the yuan parser's refusal.
  EXPECT_FALSE(ParseImportAmount("amount", "￥0.00").ok());
}

TEST(ImportCells, PointsWithASignOrAUnit) {
  EXPECT_EQ(NormalizePoints("3"), "3");
  EXPECT_EQ(NormalizePoints("+3"), "3");
  EXPECT_EQ(NormalizePoints("3分"), "3");
  EXPECT_EQ(NormalizePoints("+12分"), "12");
  EXPECT_EQ(NormalizePoints("-5"), "-5");
  EXPECT_EQ(NormalizePoints("abc"), "abc");
  EXPECT_EQ(NormalizePoints("分"), "分");
  EXPECT_EQ(NormalizePoints(""), "");
}

}  // namespace
}  // namespace vledger::app
