// Names and free text (SPEC section 3, docs/LIMITS.md): blank values,
// bidirectional controls and noncharacters are refused naming the field;
// control characters in messages are shown escaped.
#include "vledger/projections/validate.h"

#include <gtest/gtest.h>

namespace vledger {
namespace {

void ExpectRejected(const Status& st, const std::string& field) {
  EXPECT_EQ(st.code(), Code::kInvalidInput);
  EXPECT_EQ(st.message().rfind(field + ": ", 0), 0u) << st.message();
}

TEST(Validate, BlankNamesAndTextsAreRejected) {
  for (const char* blank : {" ", "   ", "\u3000", " \u3000 ", "\u200b", "\u200c\u200d", "\u2060",
                            "\ufeff", " \u200b\u3000", "\u00a0", "\u3164"}) {
    ExpectRejected(CheckName("--name", blank), "--name");
    ExpectRejected(CheckText("--note", blank, true), "--note");
  }
  EXPECT_TRUE(CheckName("--name", "曲 建国").ok());
  EXPECT_TRUE(CheckName("--name", "\u200b曲").ok());
  EXPECT_TRUE(CheckText("--note", "", true).ok());
}

TEST(Validate, BidiControlsAreRejected) {
  for (const char* bidi : {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                           "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"}) {
    std::string name = std::string("曲") + bidi + "明";
    ExpectRejected(CheckName("--name", name), "--name");
    ExpectRejected(CheckText("--reason", name, false), "--reason");
  }
}

TEST(Validate, NoncharactersAreRejected) {
  for (const char* non : {"\ufdd0", "\ufdef", "\uffff", "\xf0\x9f\xbf\xbe", "\xf4\x8f\xbf\xbf"}) {
    std::string text = std::string("a") + non;
    ExpectRejected(CheckName("--name", text), "--name");
    ExpectRejected(CheckText("--note", text, true), "--note");
  }
  EXPECT_TRUE(CheckName("--name", "\ufdcf\ufdf0").ok());
}

TEST(Validate, ControlCharactersAreStillRejected) {
  ExpectRejected(CheckText("--note", "\x1b[31m", true), "--note");
  ExpectRejected(CheckName("--name", "a\x07"), "--name");
  ExpectRejected(CheckName("--name", "a\xc2\x85"), "--name");
  // ASCII is checked without decoding: DEL and tab are controls too.
  ExpectRejected(CheckText("--note", "a\x7f", true), "--note");
  ExpectRejected(CheckText("--note", "a\tb", true), "--note");
  ExpectRejected(CheckText("--note", "\n", true), "--note");
  EXPECT_TRUE(CheckText("--note", "~ !R1", true).ok());
}

TEST(Validate, NamesCountCodePointsOfAsciiAndChinese) {
  EXPECT_TRUE(CheckName("--name", std::string(64, 'a')).ok());
  ExpectRejected(CheckName("--name", std::string(65, 'a')), "--name");
  std::string mixed(32, 'a');
  for (int i = 0; i < 32; i++) mixed += "曲";
  EXPECT_TRUE(CheckName("--name", mixed).ok());
  ExpectRejected(CheckName("--name", mixed + "a"), "--name");
  ExpectRejected(CheckName("--name", "a" + mixed), "--name");
}

TEST(Validate, EscapeControlsShowsControlCharactersEscaped) {
  EXPECT_EQ(EscapeControls("a\x1b[31mb"), "a\\x1b[31mb");
  EXPECT_EQ(EscapeControls("\x07\x7f"), "\\x07\\x7f");
  EXPECT_EQ(EscapeControls("x\xc2\x85y"), "x\\u{85}y");
  EXPECT_EQ(EscapeControls("x\u202ey"), "x\\u{202e}y");
  EXPECT_EQ(EscapeControls("bad \xff byte"), "bad \\xff byte");
  EXPECT_EQ(EscapeControls("曲家村 \"R1\""), "曲家村 \"R1\"");
}

}  // namespace
}  // namespace vledger
