// cli/board_render: boards drawn from the server's views, from either side, with the last move marked, and
// refusals for views that are not boards.
#include "cli/board_render.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace guildhall::cli {
namespace {

constexpr std::string_view kStart = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1";
constexpr std::string_view kAfterE4 = "rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq e3 0 1";

TEST(BoardRenderChess, StartPositionFromWhitesSide) {
  const auto board = render_chess_board(kStart, {});
  ASSERT_TRUE(board.has_value()) << board.error().message;
  const std::vector<std::string> expected{
      "     a  b  c  d  e  f  g  h",
      "  8  r  n  b  q  k  b  n  r  8",
      "  7  p  p  p  p  p  p  p  p  7",
      "  6  .  .  .  .  .  .  .  .  6",
      "  5  .  .  .  .  .  .  .  .  5",
      "  4  .  .  .  .  .  .  .  .  4",
      "  3  .  .  .  .  .  .  .  .  3",
      "  2  P  P  P  P  P  P  P  P  2",
      "  1  R  N  B  Q  K  B  N  R  1",
      "     a  b  c  d  e  f  g  h",
  };
  EXPECT_EQ(*board, expected);
}

TEST(BoardRenderChess, FlippedForBlackPutsRankOneOnTopAndFileHOnTheLeft) {
  const auto board = render_chess_board(kStart, {.flipped = true});
  ASSERT_TRUE(board.has_value());
  ASSERT_EQ(board->size(), 10u);
  EXPECT_EQ((*board)[0], "     h  g  f  e  d  c  b  a");
  EXPECT_EQ((*board)[1], "  1  R  N  B  K  Q  B  N  R  1");
  EXPECT_EQ((*board)[8], "  8  r  n  b  k  q  b  n  r  8");
}

TEST(BoardRenderChess, LastMoveSquaresAreBracketedWithoutShiftingTheBoard) {
  const auto board = render_chess_board(kAfterE4, {.last_move = "e2e4"});
  ASSERT_TRUE(board.has_value());
  EXPECT_EQ((*board)[5], "  4  .  .  .  . [P] .  .  .  4");
  EXPECT_EQ((*board)[7], "  2  P  P  P  P [.] P  P  P  2");
  EXPECT_EQ((*board)[5].size(), (*board)[1].size());
}

TEST(BoardRenderChess, LastMoveIsMarkedFromBlacksSideToo) {
  const auto board = render_chess_board(kAfterE4, {.flipped = true, .last_move = "e2e4"});
  ASSERT_TRUE(board.has_value());
  EXPECT_EQ((*board)[2], "  2  P  P  P [.] P  P  P  P  2");
  EXPECT_EQ((*board)[4], "  4  .  .  . [P] .  .  .  .  4");
}

TEST(BoardRenderChess, MoveThatIsNotUciMarksNothing) {
  const auto board = render_chess_board(kAfterE4, {.last_move = "e4"});
  ASSERT_TRUE(board.has_value());
  for (const auto& line : *board) EXPECT_EQ(line.find('['), std::string::npos) << line;
}

TEST(BoardRenderChess, UnicodeUsesChessSymbols) {
  const auto board = render_chess_board(kStart, {.unicode = true});
  ASSERT_TRUE(board.has_value());
  EXPECT_EQ((*board)[1], "  8  ♜  ♞  ♝  ♛  ♚  ♝  ♞  ♜  8");
  EXPECT_EQ((*board)[8], "  1  ♖  ♘  ♗  ♕  ♔  ♗  ♘  ♖  1");
  EXPECT_EQ((*board)[4], "  5  .  .  .  .  .  .  .  .  5");
}

TEST(BoardRenderChess, PlacementFieldAloneIsEnoughAndDigitsMayFollowEachOther) {
  EXPECT_TRUE(render_chess_board("8/8/8/4k3/8/8/8/4K3", {}).has_value());
  EXPECT_TRUE(render_chess_board("8/8/8/44/8/8/8/4K2k w - - 0 1", {}).has_value());
}

TEST(BoardRenderChess, MalformedPlacementIsRefused) {
  for (const std::string_view fen : {
           "",
           "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP w",               // seven ranks
           "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR/8 w",    // nine ranks
           "rnbqkbnr/ppppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w",     // nine squares in a rank
           "rnbqkbnr/ppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w",       // seven squares in a rank
           "rnbqkbnr/pppppppp/9/8/8/8/PPPPPPPP/RNBQKBNR w",      // a 9
           "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNX w",      // not a piece
       }) {
    const auto board = render_chess_board(fen, {});
    ASSERT_FALSE(board.has_value()) << fen;
    EXPECT_EQ(board.error().code, errc::invalid_argument);
  }
}

TEST(BoardRenderTicTacToe, EmptyCellsShowTheNumberToType) {
  const auto board = render_tictactoe_board("X...O....", "");
  ASSERT_TRUE(board.has_value());
  const std::vector<std::string> expected{
      "  X | 1 | 2",
      " ---+---+---",
      "  3 | O | 5",
      " ---+---+---",
      "  6 | 7 | 8",
  };
  EXPECT_EQ(*board, expected);
}

TEST(BoardRenderTicTacToe, LastMoveIsBracketed) {
  const auto board = render_tictactoe_board("X...O....", "4");
  ASSERT_TRUE(board.has_value());
  EXPECT_EQ((*board)[2], "  3 |[O]| 5");
}

TEST(BoardRenderTicTacToe, ViewsThatAreNotBoardsAreRefused) {
  for (const std::string_view cells : {"", "........", "..........", "X...o....", "X...O...?"}) {
    const auto board = render_tictactoe_board(cells, "");
    ASSERT_FALSE(board.has_value()) << cells;
    EXPECT_EQ(board.error().code, errc::invalid_argument);
  }
}

}  // namespace
}  // namespace guildhall::cli
