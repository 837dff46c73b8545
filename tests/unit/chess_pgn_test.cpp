// PGN export, checked against the exact text.
#include "games/chess/pgn.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "games/chess/chess_state.hpp"
#include "games/chess/fen.hpp"

namespace guildhall::games::chess {
namespace {

TEST(ChessPgn, ShortGame) {
  auto state = chess_state::start_from(position{}).value();
  for (std::string_view m : {"f3", "e5", "g4", "Qh4"}) ASSERT_TRUE(state.apply(m).has_value());
  pgn_game game = pgn_of(state);
  game.event = "Casual game";
  game.site = "Guildhall";
  game.date = "2024.05.01";
  game.white = "alice";
  game.black = "bob";
  game.time_control = pgn_time_control(300'000, 3'000);
  game.termination = "bob won by checkmate";
  EXPECT_EQ(write_pgn(game).value(),
            "[Event \"Casual game\"]\n"
            "[Site \"Guildhall\"]\n"
            "[Date \"2024.05.01\"]\n"
            "[Round \"-\"]\n"
            "[White \"alice\"]\n"
            "[Black \"bob\"]\n"
            "[Result \"0-1\"]\n"
            "[TimeControl \"300+3\"]\n"
            "[Termination \"bob won by checkmate\"]\n"
            "\n"
            "1. f3 e5 2. g4 Qh4# 0-1\n");
}

TEST(ChessPgn, TimeControlInSecondsOrADashWithoutAClock) {
  EXPECT_EQ(pgn_time_control(0, 0), "-");
  EXPECT_EQ(pgn_time_control(600'000, 0), "600+0");
  EXPECT_EQ(pgn_time_control(180'000, 2'000), "180+2");
  EXPECT_EQ(pgn_time_control(1'500, 250), "1.5+0.25");
}

TEST(ChessPgn, CustomStartWithBlackToMove) {
  pgn_game game;
  game.start_fen = "4k3/8/8/8/8/8/4P3/4K3 b - - 0 12";
  game.san_moves = {"Kd7", "e4", "Ke6"};
  EXPECT_EQ(write_pgn(game).value(),
            "[Event \"?\"]\n"
            "[Site \"?\"]\n"
            "[Date \"????.??.??\"]\n"
            "[Round \"-\"]\n"
            "[White \"?\"]\n"
            "[Black \"?\"]\n"
            "[Result \"*\"]\n"
            "[SetUp \"1\"]\n"
            "[FEN \"4k3/8/8/8/8/8/4P3/4K3 b - - 0 12\"]\n"
            "\n"
            "12... Kd7 13. e4 Ke6 *\n");
}

TEST(ChessPgn, TheStandardStartNeedsNoFenTag) {
  const auto state = chess_state::start_from(position{}).value();
  EXPECT_TRUE(pgn_of(state).start_fen.empty());
  const auto custom = chess_state::start_from(parse_fen("4k3/8/8/8/8/8/4P3/4K3 w - - 0 1").value()).value();
  EXPECT_EQ(pgn_of(custom).start_fen, "4k3/8/8/8/8/8/4P3/4K3 w - - 0 1");
}

TEST(ChessPgn, WrapsLongMovetextUnder80Columns) {
  pgn_game game;
  for (int i = 0; i < 20; ++i) {
    for (std::string_view m : {"Nf3", "Nf6", "Ng1", "Ng8"}) game.san_moves.emplace_back(m);
  }
  game.result = "1/2-1/2";
  const std::string text = write_pgn(game).value();
  const std::string movetext = text.substr(text.find("\n\n") + 2);
  std::size_t start = 0;
  int lines = 0;
  for (std::size_t end = movetext.find('\n'); end != std::string::npos; end = movetext.find('\n', start)) {
    EXPECT_LT(end - start, 80u) << movetext.substr(start, end - start);
    start = end + 1;
    ++lines;
  }
  EXPECT_GT(lines, 1);
  EXPECT_EQ(movetext.substr(0, 24), "1. Nf3 Nf6 2. Ng1 Ng8 3.");
  std::string flat = movetext;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  EXPECT_TRUE(flat.ends_with(" 39. Nf3 Nf6 40. Ng1 Ng8 1/2-1/2 ")) << movetext;
}

TEST(ChessPgn, EscapesTagValues) {
  pgn_game game;
  game.white = "Robert \"Bobby\" \\ F\nischer";
  const std::string text = write_pgn(game).value();
  EXPECT_NE(text.find("[White \"Robert \\\"Bobby\\\" \\\\ F ischer\"]\n"), std::string::npos) << text;
}

TEST(ChessPgn, RefusesWhatWouldBreakThePgn) {
  pgn_game game;
  game.result = "1-1";
  EXPECT_EQ(write_pgn(game).error(), "the result must be 1-0, 0-1, 1/2-1/2 or *");
  game.result = "*";
  game.start_fen = "not a fen";
  EXPECT_NE(write_pgn(game).error().find("the start FEN is invalid"), std::string::npos);
  game.start_fen.clear();
  game.event = std::string(300, 'x');
  EXPECT_EQ(write_pgn(game).error(), "the Event tag is longer than 255 bytes");
  game.event = "?";
  game.san_moves = {"e4", "e5 {comment}"};
  EXPECT_EQ(write_pgn(game).error(), "move 2 is not a SAN move");
}

TEST(ChessPgn, ResultFromOutcome) {
  EXPECT_EQ(pgn_result(std::nullopt), "*");
  EXPECT_EQ(pgn_result(game_outcome{0, "checkmate"}), "1-0");
  EXPECT_EQ(pgn_result(game_outcome{1, "checkmate"}), "0-1");
  EXPECT_EQ(pgn_result(game_outcome{std::nullopt, "stalemate"}), "1/2-1/2");
}

}  // namespace
}  // namespace guildhall::games::chess
