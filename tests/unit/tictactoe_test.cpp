// games/tictactoe: the rules, refusals in plain words, and save/restore, which must survive a server restart and
// refuse a store that was tampered with.
#include "games/tictactoe/tictactoe.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace guildhall::games {
namespace {

std::unique_ptr<game_state> new_match() {
  auto state = tictactoe_game().create({});
  EXPECT_TRUE(state.has_value());
  return std::move(*state);
}

// Plays `moves` in order from the empty board; each must be accepted.
std::unique_ptr<game_state> play(const std::vector<std::string>& moves) {
  auto state = new_match();
  for (const std::string& move : moves) {
    const auto accepted = state->apply(move);
    EXPECT_TRUE(accepted.has_value()) << move << ": " << accepted.error();
  }
  return state;
}

void expect_refused(game_state& state, std::string_view move, std::string_view words) {
  const std::string before = state.serialize();
  const auto got = state.apply(move);
  ASSERT_FALSE(got.has_value()) << "accepted " << move;
  EXPECT_EQ(got.error(), words);
  EXPECT_EQ(state.serialize(), before) << "a refused move changed the board";
}

TEST(Tictactoe, NameAndSeats) {
  const tictactoe_game game;
  EXPECT_EQ(game.name(), "tictactoe");
  EXPECT_EQ(game.seats(), 2);
}

TEST(Tictactoe, NewMatchIsEmptyAndXMovesFirst) {
  const auto state = new_match();
  EXPECT_EQ(state->view_for(0), ".........");
  EXPECT_EQ(state->view_for(-1), ".........");
  EXPECT_EQ(state->to_move(), 0);
  EXPECT_FALSE(state->outcome().has_value());
}

TEST(Tictactoe, MovesAlternateAndMarkTheBoard) {
  auto state = new_match();
  const auto accepted = state->apply("4");
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->canonical, "4");
  EXPECT_EQ(accepted->display, "X centre");  // regression: the move list showed bare cell numbers
  EXPECT_EQ(state->view_for(1), "....X....");
  EXPECT_EQ(state->to_move(), 1);
  const auto answered = state->apply("0");
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->display, "O top left");
  EXPECT_EQ(state->view_for(0), "O...X....");
  EXPECT_EQ(state->to_move(), 0);
}

TEST(Tictactoe, EveryLineWins) {
  const int lines[8][3] = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6}, {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}};
  for (const auto& line : lines) {
    // X takes the line; O answers in the first free cells that are not on it and do not make a line of their own.
    auto state = new_match();
    std::string board = ".........";
    for (int cell : line) board[cell] = '#';
    for (int turn = 0; turn < 3; ++turn) {
      ASSERT_FALSE(state->outcome().has_value());
      ASSERT_TRUE(state->apply(std::to_string(line[turn])).has_value());
      if (turn == 2) break;
      const auto free = board.find('.');
      board[free] = 'o';
      ASSERT_TRUE(state->apply(std::to_string(free)).has_value());
    }
    const auto outcome = state->outcome();
    ASSERT_TRUE(outcome.has_value()) << state->view_for(-1);
    EXPECT_EQ(outcome->winner, 0) << state->view_for(-1);
    EXPECT_EQ(outcome->reason, "three in a row");
    EXPECT_TRUE(state->legal_moves().empty());
  }
}

TEST(Tictactoe, OWinsOnAColumn) {
  const auto state = play({"0", "1", "2", "4", "3", "7"});
  EXPECT_EQ(state->view_for(-1), "XOXXO..O.");
  const auto outcome = state->outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->winner, 1);
  EXPECT_EQ(outcome->reason, "three in a row");
}

TEST(Tictactoe, FullBoardWithoutALineIsADraw) {
  // X O X
  // X O O
  // O X X
  const auto state = play({"0", "1", "2", "4", "3", "5", "7", "6", "8"});
  EXPECT_EQ(state->view_for(-1), "XOXXOOOXX");
  const auto outcome = state->outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->winner.has_value());
  EXPECT_EQ(outcome->reason, "board full");
  EXPECT_TRUE(state->legal_moves().empty());
}

TEST(Tictactoe, WinOnTheLastCellIsAWinNotADraw) {
  // X O X
  // O X O
  // O X X  <- X's ninth mark fills the board and completes a diagonal
  const auto state = play({"0", "1", "2", "3", "4", "5", "7", "6", "8"});
  EXPECT_EQ(state->view_for(-1), "XOXOXOOXX");
  const auto outcome = state->outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->winner, 0);
}

TEST(Tictactoe, OccupiedCellIsRefused) {
  auto state = play({"4"});
  expect_refused(*state, "4", "cell 4 is taken");
  EXPECT_EQ(state->to_move(), 1);
}

TEST(Tictactoe, OutOfRangeAndGarbageAreRefused) {
  auto state = new_match();
  expect_refused(*state, "9", "not a cell: '9' (cells are 0 to 8)");
  expect_refused(*state, "-1", "not a cell: '-1' (cells are 0 to 8)");
  expect_refused(*state, "z", "not a cell: 'z' (cells are 0 to 8)");
  const std::vector<std::string_view> garbage_moves = {"", " 4", "4 ", "04", "44", "b2", "X", "/", ":",
                                                       std::string_view("\0", 1)};
  for (std::string_view garbage : garbage_moves) {
    const std::string before = state->serialize();
    EXPECT_FALSE(state->apply(garbage).has_value()) << "accepted '" << garbage << "'";
    EXPECT_EQ(state->serialize(), before);
  }
}

TEST(Tictactoe, LegalMovesAreTheEmptyCells) {
  EXPECT_EQ(new_match()->legal_moves(), (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8"}));
  EXPECT_EQ(play({"4", "0", "8"})->legal_moves(), (std::vector<std::string>{"1", "2", "3", "5", "6", "7"}));
}

TEST(Tictactoe, SerializeRestoreRoundTrip) {
  const tictactoe_game game;
  const std::vector<std::vector<std::string>> games = {
      {}, {"4"}, {"4", "0"}, {"0", "1", "2", "4", "3", "7"}, {"0", "1", "2", "4", "3", "5", "7", "6", "8"}};
  for (const auto& moves : games) {
    const auto original = play(moves);
    const auto restored = game.restore(original->serialize());
    ASSERT_TRUE(restored.has_value()) << original->serialize() << ": " << restored.error();
    const auto& copy = **restored;
    EXPECT_EQ(copy.serialize(), original->serialize());
    EXPECT_EQ(copy.view_for(-1), original->view_for(-1));
    EXPECT_EQ(copy.legal_moves(), original->legal_moves());
    EXPECT_EQ(copy.outcome().has_value(), original->outcome().has_value());
    if (!original->outcome()) {
      EXPECT_EQ(copy.to_move(), original->to_move());
    }
  }
}

TEST(Tictactoe, RestoredMatchPlaysOn) {
  auto restored = tictactoe_game().restore("XO.X.O...");
  ASSERT_TRUE(restored.has_value());
  auto& state = **restored;
  EXPECT_EQ(state.to_move(), 0);
  ASSERT_TRUE(state.apply("6").has_value());
  ASSERT_TRUE(state.outcome().has_value());
  EXPECT_EQ(state.outcome()->winner, 0);
}

TEST(Tictactoe, CorruptStoreIsRefused) {
  const tictactoe_game game;
  for (std::string_view corrupt : std::vector<std::string_view>{
           "",              // empty
           "........",      // 8 cells
           "..........",    // 10 cells
           "....x....",     // lower case
           "....Z....",     // not a mark
           "... .....",     // space
           "OO.......",     // O moved first
           "O........",
           "XX.......",     // X moved twice
           "XXXOO.O..",     // O moved after X's three in a row
           "OOOXX.X.X",     // X moved after O's three in a row
           "XXXOOO.X.",     // both have three in a row
       }) {
    const auto got = game.restore(corrupt);
    EXPECT_FALSE(got.has_value()) << "restored '" << corrupt << "'";
    if (!got) {
      EXPECT_FALSE(got.error().empty());
    }
  }
}

TEST(Tictactoe, ViewIsTheSameForEveryone) {
  const auto state = play({"0", "4"});
  EXPECT_EQ(state->view_for(0), "X...O....");
  EXPECT_EQ(state->view_for(1), "X...O....");
  EXPECT_EQ(state->view_for(-1), "X...O....");
  EXPECT_TRUE(state->can_win(0));
}

}  // namespace
}  // namespace guildhall::games
