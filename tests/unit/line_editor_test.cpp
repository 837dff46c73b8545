// cli/line_editor: the keys of `guildhall chat` and `guildhall play` as the bytes a terminal sends - editing at a
// cursor that never splits a code point, the history walk, and escape sequences skipped whole.
#include "cli/line_editor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace guildhall::cli {
namespace {

constexpr const char* kUp = "\x1b[A";
constexpr const char* kDown = "\x1b[B";
constexpr const char* kRight = "\x1b[C";
constexpr const char* kLeft = "\x1b[D";
constexpr const char* kHome = "\x1b[H";
constexpr const char* kEnd = "\x1b[F";
constexpr const char* kDeleteKey = "\x1b[3~";

using lines = std::vector<std::string>;

TEST(LineEditor, InsertsAtTheCursor) {
  line_editor editor;
  EXPECT_TRUE(editor.feed("helo").empty());
  editor.feed(kLeft);
  EXPECT_EQ(editor.cursor(), 3u);
  editor.feed("l");
  EXPECT_EQ(editor.line(), "hello");
  EXPECT_EQ(editor.cursor(), 4u);
  EXPECT_EQ(editor.feed("\r"), lines{"hello"});
  EXPECT_EQ(editor.line(), "");
  EXPECT_EQ(editor.cursor(), 0u);
}

TEST(LineEditor, ArrowsMoveByWholeCodePoints) {
  line_editor editor;
  editor.feed("\xc3\xa7" "a\xe2\x82\xac");  // "ça€": 2, 1 and 3 bytes
  EXPECT_EQ(editor.cursor(), 6u);
  editor.feed(kLeft);
  EXPECT_EQ(editor.cursor(), 3u);
  editor.feed(kLeft);
  EXPECT_EQ(editor.cursor(), 2u);
  editor.feed(kLeft);
  EXPECT_EQ(editor.cursor(), 0u);
  editor.feed(kLeft);  // stays at the start
  EXPECT_EQ(editor.cursor(), 0u);
  editor.feed(kRight);
  EXPECT_EQ(editor.cursor(), 2u);
  editor.feed("\xe2\x82\xac");
  EXPECT_EQ(editor.line(), "\xc3\xa7\xe2\x82\xac" "a\xe2\x82\xac");
  EXPECT_EQ(editor.cursor(), 5u);
  editor.feed(std::string(kRight) + kRight + kRight);  // past the end: stays there
  EXPECT_EQ(editor.cursor(), editor.line().size());
}

TEST(LineEditor, ACodePointSplitAcrossReadsArrivesWhole) {
  line_editor editor;
  editor.feed("ab");
  editor.feed(kLeft);
  editor.feed("\xe2");
  EXPECT_EQ(editor.line(), "ab");  // nothing half inserted
  EXPECT_EQ(editor.cursor(), 1u);
  editor.feed("\x82\xac");
  EXPECT_EQ(editor.line(), "a\xe2\x82\xac" "b");
  EXPECT_EQ(editor.cursor(), 4u);
}

TEST(LineEditor, StrayContinuationBytesAreDropped) {
  line_editor editor;
  editor.feed("a\x82\xac" "b");
  EXPECT_EQ(editor.line(), "ab");
}

TEST(LineEditor, BackspaceDeletesTheCodePointBeforeTheCursor) {
  line_editor editor;
  editor.feed("x\xc3\xa7y");
  editor.feed(kLeft);
  editor.feed("\x7f");
  EXPECT_EQ(editor.line(), "xy");
  EXPECT_EQ(editor.cursor(), 1u);
  editor.feed("\x08");
  EXPECT_EQ(editor.line(), "y");
  EXPECT_EQ(editor.cursor(), 0u);
  editor.feed("\x7f");  // at the start: nothing to delete
  EXPECT_EQ(editor.line(), "y");
}

TEST(LineEditor, DeleteKeyDeletesUnderTheCursor) {
  line_editor editor;
  editor.feed("a\xc3\xa7" "b");
  editor.feed(kHome);
  editor.feed(kRight);
  editor.feed(kDeleteKey);
  EXPECT_EQ(editor.line(), "ab");
  EXPECT_EQ(editor.cursor(), 1u);
  editor.feed(kEnd);
  editor.feed(kDeleteKey);  // at the end: nothing under the cursor
  EXPECT_EQ(editor.line(), "ab");
}

struct key {
  const char* name;
  const char* bytes;
};

TEST(LineEditor, EveryHomeAndEndSpelling) {
  for (const key home : {key{"ESC [ H", "\x1b[H"}, key{"ESC O H", "\x1bOH"}, key{"ESC [ 1 ~", "\x1b[1~"},
                         key{"ESC [ 7 ~", "\x1b[7~"}, key{"^A", "\x01"}}) {
    SCOPED_TRACE(home.name);
    line_editor editor;
    editor.feed("abc");
    editor.feed(home.bytes);
    EXPECT_EQ(editor.cursor(), 0u);
    EXPECT_EQ(editor.line(), "abc");
  }
  for (const key end : {key{"ESC [ F", "\x1b[F"}, key{"ESC O F", "\x1bOF"}, key{"ESC [ 4 ~", "\x1b[4~"},
                        key{"ESC [ 8 ~", "\x1b[8~"}, key{"^E", "\x05"}}) {
    SCOPED_TRACE(end.name);
    line_editor editor;
    editor.feed("abc");
    editor.feed(kHome);
    editor.feed(end.bytes);
    EXPECT_EQ(editor.cursor(), 3u);
    EXPECT_EQ(editor.line(), "abc");
  }
}

TEST(LineEditor, ApplicationModeArrows) {
  line_editor editor;
  editor.feed("ac");
  editor.feed("\x1bOD");
  editor.feed("b");
  editor.feed("\x1bOC");
  editor.feed("d");
  EXPECT_EQ(editor.line(), "abcd");
  editor.feed("\r");
  editor.feed("\x1bOA");
  EXPECT_EQ(editor.line(), "abcd");
  editor.feed("\x1bOB");
  EXPECT_EQ(editor.line(), "");
}

TEST(LineEditor, EraseToStartWordAndEndFromTheCursor) {
  line_editor editor;
  editor.feed("one two  three four");
  editor.feed(std::string(kLeft) + kLeft + kLeft + kLeft);  // before "four"
  editor.feed("\x17");  // ^W: "three " goes
  EXPECT_EQ(editor.line(), "one two  four");
  EXPECT_EQ(editor.cursor(), 9u);
  editor.feed("\x17");  // ^W again: the spaces, then "two"
  EXPECT_EQ(editor.line(), "one four");
  EXPECT_EQ(editor.cursor(), 4u);
  editor.feed("\x0b");  // ^K
  EXPECT_EQ(editor.line(), "one ");
  EXPECT_EQ(editor.cursor(), 4u);
  editor.feed("x");
  editor.feed(kLeft);
  editor.feed("\x15");  // ^U: everything before the cursor
  EXPECT_EQ(editor.line(), "x");
  EXPECT_EQ(editor.cursor(), 0u);
}

TEST(LineEditor, UpAndDownWalkTheHistoryAndGiveBackTheDraft) {
  line_editor editor;
  EXPECT_EQ(editor.feed("first\rsecond\r"), (lines{"first", "second"}));
  editor.feed("dra");
  editor.feed(kLeft);
  editor.feed(kUp);
  EXPECT_EQ(editor.line(), "second");
  EXPECT_EQ(editor.cursor(), 6u);  // at the end, as readline does
  editor.feed(kUp);
  EXPECT_EQ(editor.line(), "first");
  editor.feed(kUp);  // the oldest: stays
  EXPECT_EQ(editor.line(), "first");
  editor.feed(kDown);
  EXPECT_EQ(editor.line(), "second");
  editor.feed(kDown);
  EXPECT_EQ(editor.line(), "dra");
  editor.feed(kDown);  // already the new line: nothing below it
  EXPECT_EQ(editor.line(), "dra");
  editor.feed("ft");
  EXPECT_EQ(editor.feed("\r"), lines{"draft"});
}

TEST(LineEditor, ARecalledLineIsEditedAndSentAsNew) {
  line_editor editor;
  editor.feed("hello\r");
  editor.feed(kUp);
  EXPECT_EQ(editor.feed(" again\r"), lines{"hello again"});
  ASSERT_EQ(editor.history().size(), 2u);
  EXPECT_EQ(editor.history()[0], "hello");
  EXPECT_EQ(editor.history()[1], "hello again");
  editor.feed(kUp);
  editor.feed(kUp);
  EXPECT_EQ(editor.line(), "hello");
}

TEST(LineEditor, UpWithNoHistoryKeepsTheLine) {
  line_editor editor;
  editor.feed("typing");
  editor.feed(kUp);
  EXPECT_EQ(editor.line(), "typing");
  editor.feed(kDown);
  EXPECT_EQ(editor.line(), "typing");
}

TEST(LineEditor, HistorySkipsEmptyLinesAndRepeats) {
  line_editor editor;
  EXPECT_EQ(editor.feed("a\r\ra\rb\ra\r"), (lines{"a", "", "a", "b", "a"}));
  EXPECT_EQ(editor.history(), (std::deque<std::string>{"a", "b", "a"}));
}

TEST(LineEditor, HistoryKeepsTheNewestLines) {
  line_editor editor;
  const std::size_t typed = line_editor::kMaxHistoryLines + 20;
  for (std::size_t i = 0; i < typed; ++i) editor.feed("line " + std::to_string(i) + "\r");
  ASSERT_EQ(editor.history().size(), line_editor::kMaxHistoryLines);
  EXPECT_EQ(editor.history().front(), "line 20");
  EXPECT_EQ(editor.history().back(), "line " + std::to_string(typed - 1));
  for (std::size_t i = 0; i < typed; ++i) editor.feed(kUp);
  EXPECT_EQ(editor.line(), "line 20");
}

TEST(LineEditor, UnknownEscapeSequencesAreSkippedWhole) {
  line_editor editor;
  editor.feed("ab");
  editor.feed("\x1b[1;5D");  // Ctrl+Left
  editor.feed("\x1b[15~");   // F5
  editor.feed("\x1b[200~");  // a bracketed-paste start
  editor.feed("\x1bOP");     // F1
  editor.feed("\x1bx");      // Alt+x: both bytes go
  editor.feed("\x1b\x1b[D");  // Esc, then Left
  editor.feed("c");
  EXPECT_EQ(editor.line(), "acb");
}

TEST(LineEditor, AnEscapeSequenceSplitAcrossReads) {
  line_editor editor;
  editor.feed("ab");
  editor.feed("\x1b");
  editor.feed("[");
  editor.feed("D");
  editor.feed("X");
  EXPECT_EQ(editor.line(), "aXb");
}

TEST(LineEditor, OtherControlBytesAreIgnored) {
  line_editor editor;
  editor.feed("a\tb\x0c" "c\x07");
  EXPECT_EQ(editor.line(), "abc");
}

TEST(LineEditor, ReturnNewlineIsOneEnter) {
  line_editor editor;
  EXPECT_EQ(editor.feed("one\r\ntwo\nthree\r\r\n"), (lines{"one", "two", "three", ""}));
  // The \n of a pair split across reads is still part of the pair.
  EXPECT_EQ(editor.feed("four\r"), lines{"four"});
  EXPECT_TRUE(editor.feed("\n").empty());
}

TEST(LineEditor, EndOfFileOnlyOnAnEmptyLine) {
  line_editor editor;
  editor.feed("abc\x04");
  EXPECT_FALSE(editor.ended());
  EXPECT_EQ(editor.line(), "abc");
  editor.feed("\x15\x04");
  EXPECT_TRUE(editor.ended());
  EXPECT_TRUE(editor.feed("more\r").empty());  // nothing after the end
}

TEST(LineEditor, InterruptEndsEvenAHalfLine) {
  line_editor editor;
  EXPECT_EQ(editor.feed("done\rhalf\x03" "after\r"), lines{"done"});
  EXPECT_TRUE(editor.ended());
}

TEST(LineEditor, LinesAreCappedWithoutSplittingACodePoint) {
  line_editor editor;
  editor.feed(std::string(line_editor::kMaxLineBytes - 1, 'x'));
  editor.feed("\xc3\xa7");  // two bytes do not fit in the one left
  EXPECT_EQ(editor.line().size(), line_editor::kMaxLineBytes - 1);
  editor.feed("y\xc3\xa7");
  EXPECT_EQ(editor.line().size(), line_editor::kMaxLineBytes);
  EXPECT_EQ(editor.line().back(), 'y');
}

}  // namespace
}  // namespace guildhall::cli
