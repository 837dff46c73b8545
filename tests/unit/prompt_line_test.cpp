// cli/prompt_line: the input row of chat and play - what of a long line shows, and where the cursor is left.
#include "cli/prompt_line.hpp"

#include <gtest/gtest.h>

namespace guildhall::cli {
namespace {

TEST(PromptLine, AShortLineShowsWholeWithTheCursorInIt) {
  const auto view = fit_prompt_line("> ", "hello", 2, 20);
  EXPECT_EQ(view.shown, "hello");
  EXPECT_EQ(view.cursor_column, 4u);
}

TEST(PromptLine, ColumnsCountCodePointsNotBytes) {
  const auto view = fit_prompt_line("> ", "\xc3\xa7" "a\xe2\x82\xac", 3, 20);  // cursor after "ça"
  EXPECT_EQ(view.shown, "\xc3\xa7" "a\xe2\x82\xac");
  EXPECT_EQ(view.cursor_column, 4u);
}

TEST(PromptLine, ALongLineShowsItsStartWhileTheCursorIsThere) {
  const auto view = fit_prompt_line("> ", "abcdefghij", 1, 7);
  EXPECT_EQ(view.shown, "abcde");
  EXPECT_EQ(view.cursor_column, 3u);
}

TEST(PromptLine, ALongLineScrollsToKeepTheCursorInView) {
  const auto at_end = fit_prompt_line("> ", "abcdefghij", 10, 7);
  EXPECT_EQ(at_end.shown, "fghij");
  EXPECT_EQ(at_end.cursor_column, 7u);  // the spare column past the row
  const auto in_middle = fit_prompt_line("> ", "abcdefghij", 8, 7);
  EXPECT_EQ(in_middle.shown, "defgh");
  EXPECT_EQ(in_middle.cursor_column, 7u);
}

TEST(PromptLine, ScrollingNeverSplitsACodePoint) {
  const auto view = fit_prompt_line("", "\xc3\xa7\xc3\xa7\xc3\xa7", 6, 2);
  EXPECT_EQ(view.shown, "\xc3\xa7\xc3\xa7");
  EXPECT_EQ(view.cursor_column, 2u);
}

TEST(PromptLine, APromptWiderThanTheRowLeavesNoRoom) {
  const auto view = fit_prompt_line("a long prompt ", "typed", 5, 4);
  EXPECT_EQ(view.shown, "");
  EXPECT_EQ(view.cursor_column, 4u);
}

TEST(PromptLine, DrawingClearsTheRowAndPlacesTheCursor) {
  EXPECT_EQ(draw_prompt_line("> ", "hello", 1, 20), "\r> hello\x1b[J\r\x1b[3C");
  EXPECT_EQ(draw_prompt_line("", "", 0, 20), "\r\x1b[J\r");
}

}  // namespace
}  // namespace guildhall::cli
