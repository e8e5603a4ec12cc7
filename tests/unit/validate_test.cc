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

// Every byte value at every place of texts of 8 to 17 bytes (read eight
// bytes at a time where they are printable ASCII): accepted exactly when
// the byte is printable ASCII; all spaces are blank, one letter is not.
TEST(Validate, EachByteOfAsciiTextIsCheckedAtEveryPlace) {
  for (size_t size = 8; size <= 17; size++) {
    for (size_t at = 0; at < size; at++) {
      for (int b = 0; b < 256; b++) {
        std::string text(size, 'x');
        text[at] = static_cast<char>(b);
        if ((b >= 0x20 && b <= 0x7e) != CheckText("--note", text, true).ok()) {
          ADD_FAILURE() << "byte " << b << " at " << at << " of " << size;
          return;
        }
      }
      std::string spaces(size, ' ');
      ExpectRejected(CheckText("--note", spaces, true), "--note");
      spaces[at] = 'a';
      EXPECT_TRUE(CheckText("--note", spaces, true).ok()) << at << " of " << size;
    }
  }
}

// Every three-byte sequence led by E4..EC (U+4000..U+CFFF, checked by a
// shorter path): accepted exactly when both other bytes are continuation
// bytes, and counted as one character; cut short, refused.
TEST(Validate, ThreeByteSequencesOfTheChineseRangesAreCheckedWhole) {
  for (int lead = 0xe4; lead <= 0xec; lead++) {
    for (int b1 = 0; b1 < 256; b1++) {
      for (int b2 = 0; b2 < 256; b2++) {
        std::string seq{static_cast<char>(lead), static_cast<char>(b1), static_cast<char>(b2)};
        bool valid = (b1 & 0xc0) == 0x80 && (b2 & 0xc0) == 0x80;
        if (valid != CheckText("--note", seq, true).ok()) {
          ADD_FAILURE() << "sequence " << std::hex << lead << " " << b1 << " " << b2;
          return;
        }
      }
    }
    std::string cut{static_cast<char>(lead), '\x80'};
    ExpectRejected(CheckText("--note", cut, true), "--note");
    ExpectRejected(CheckText("--note", "a" + cut, true), "--note");
  }
  // The code points either side of the range go the whole way.
  ExpectRejected(CheckText("--note", "\u3000", true), "--note");  // E3: ideographic space
  ExpectRejected(CheckText("--note", "\ufdd0", true), "--note");  // EF: noncharacter
  EXPECT_TRUE(CheckName("--name", std::string(63, 'a') + "\u4e00").ok());
  ExpectRejected(CheckName("--name", std::string(64, 'a') + "\u4e00"), "--name");
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
