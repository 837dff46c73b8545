// How games end: checkmate, stalemate, threefold repetition, the fifty-move rule, insufficient material, and
// who can still win when the other side's clock runs out.
#include <gtest/gtest.h>

#include "games/chess/chess_game.hpp"
#include "games/chess/chess_state.hpp"
#include "games/chess/fen.hpp"
#include "games/chess/repetition.hpp"
#include "games/chess/rules.hpp"

namespace guildhall::games::chess {
namespace {

chess_state from_fen(std::string_view fen) {
  auto state = chess_state::start_from(parse_fen(fen).value());
  EXPECT_TRUE(state.has_value()) << fen << ": " << (state ? "" : state.error());
  return std::move(state).value();
}

void play(chess_state& state, std::initializer_list<std::string_view> moves) {
  for (std::string_view text : moves) {
    ASSERT_FALSE(state.outcome().has_value()) << "game over before " << text;
    const auto accepted = state.apply(text);
    ASSERT_TRUE(accepted.has_value()) << text << ": " << accepted.error();
  }
}

bool dead(std::string_view fen) { return insufficient_material(parse_fen(fen).value()); }

TEST(ChessRules, FoolsMateIsCheckmateForBlack) {
  chess_state state = from_fen(kStartFen);
  play(state, {"f3", "e5", "g4"});
  EXPECT_FALSE(state.outcome().has_value());
  const auto accepted = state.apply("Qh4");
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->display, "Qh4#");
  ASSERT_TRUE(state.outcome().has_value());
  EXPECT_EQ(state.outcome()->winner, 1);
  EXPECT_EQ(state.outcome()->reason, "checkmate");
  EXPECT_TRUE(state.legal_moves().empty());
  EXPECT_EQ(state.apply("a3").error(), "the game is over (checkmate)");
}

TEST(ChessRules, Stalemate) {
  chess_state state = from_fen("7k/8/6K1/8/8/8/8/5Q2 w - - 0 1");
  play(state, {"Qf7"});
  ASSERT_TRUE(state.outcome().has_value());
  EXPECT_FALSE(state.outcome()->winner.has_value());
  EXPECT_EQ(state.outcome()->reason, "stalemate");
}

TEST(ChessRules, ThreefoldRepetitionByKnightShuffles) {
  chess_state state = from_fen(kStartFen);
  play(state, {"Nf3", "Nf6", "Ng1", "Ng8", "Nf3", "Nf6", "Ng1"});
  EXPECT_FALSE(state.outcome().has_value()) << "the start position has occurred only twice";
  play(state, {"Ng8"});
  ASSERT_TRUE(state.outcome().has_value());
  EXPECT_FALSE(state.outcome()->winner.has_value());
  EXPECT_EQ(state.outcome()->reason, "threefold repetition");
}

TEST(ChessRules, LosingCastlingRightsMakesADifferentPosition) {
  chess_state state = from_fen("r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1");
  // Ke2 Ke7 Ke1 Ke8 gives the start placement back without castling rights: a new position, so twice round
  // is not yet a threefold repetition of the start.
  play(state, {"Ke2", "Ke7", "Ke1", "Ke8", "Ke2", "Ke7", "Ke1", "Ke8"});
  EXPECT_FALSE(state.outcome().has_value());
  // Ke7 with neither side able to castle was first reached on the second move.
  play(state, {"Ke2", "Ke7"});
  ASSERT_TRUE(state.outcome().has_value());
  EXPECT_EQ(state.outcome()->reason, "threefold repetition");
}

// The en-passant square only matters when the capture is legal: here bxc6 would expose the king on a5.
TEST(ChessRules, RepetitionIgnoresAnEnPassantSquareThatCannotBeUsed) {
  const auto pinned = parse_fen("8/8/8/KPp4r/8/8/8/7k w - c6 0 1").value();
  EXPECT_EQ(key_of(pinned), key_of(parse_fen("8/8/8/KPp4r/8/8/8/7k w - - 0 1").value()));
  const auto usable = parse_fen("8/8/8/KPp5/8/8/8/7k w - c6 0 1").value();
  EXPECT_NE(key_of(usable), key_of(parse_fen("8/8/8/KPp5/8/8/8/7k w - - 0 1").value()));
}

TEST(ChessRules, FiftyMoveRuleIsDeclaredAutomatically) {
  chess_state state = from_fen("4k3/8/8/8/8/8/8/R3K3 w - - 98 80");
  play(state, {"Ra2"});
  EXPECT_FALSE(state.outcome().has_value());
  play(state, {"Kf7"});
  ASSERT_TRUE(state.outcome().has_value());
  EXPECT_FALSE(state.outcome()->winner.has_value());
  EXPECT_EQ(state.outcome()->reason, "fifty-move rule");
}

TEST(ChessRules, APawnMoveResetsTheFiftyMoveCount) {
  chess_state state = from_fen("4k3/8/8/8/8/8/P7/R3K3 w - - 98 80");
  play(state, {"a3", "Kf7", "Ra2", "Ke7"});
  EXPECT_FALSE(state.outcome().has_value());
  EXPECT_EQ(state.current().halfmove_clock(), 3);
}

TEST(ChessRules, MateOnTheHundredthHalfMoveIsStillMate) {
  chess_state state = from_fen("7k/8/6K1/8/8/8/8/R7 w - - 99 80");
  play(state, {"Ra8"});
  ASSERT_TRUE(state.outcome().has_value());
  EXPECT_EQ(state.outcome()->winner, 0);
  EXPECT_EQ(state.outcome()->reason, "checkmate");
}

TEST(ChessRules, InsufficientMaterial) {
  EXPECT_TRUE(dead("4k3/8/8/8/8/8/8/4K3 w - - 0 1"));       // K v K
  EXPECT_TRUE(dead("4k3/8/8/8/8/8/8/2B1K3 w - - 0 1"));     // K+B v K
  EXPECT_TRUE(dead("4k3/8/8/8/8/8/8/1N2K3 w - - 0 1"));     // K+N v K
  EXPECT_TRUE(dead("4kb2/8/8/8/8/8/8/2B1K3 w - - 0 1"));    // K+B v K+B, both bishops on dark squares
  EXPECT_TRUE(dead("4k3/8/8/8/8/4B3/8/2B1K3 b - - 0 1"));   // two bishops, both on dark squares
  EXPECT_FALSE(dead("4k3/8/8/8/8/8/8/2B1KB2 b - - 0 1"));   // two bishops on squares of both colours
  EXPECT_FALSE(dead("2b1k3/8/8/8/8/8/8/2B1K3 w - - 0 1"));  // K+B v K+B on opposite colours: a mate exists
  EXPECT_FALSE(dead("1n2k3/8/8/8/8/8/8/1N2K3 w - - 0 1"));  // K+N v K+N
  EXPECT_FALSE(dead("4k3/8/8/8/8/8/8/1NN1K3 w - - 0 1"));   // K+N+N v K
  EXPECT_FALSE(dead("4k3/8/8/8/8/8/P7/4K3 w - - 0 1"));     // a pawn
  EXPECT_FALSE(dead("4k3/8/8/8/8/8/8/R3K3 w - - 0 1"));     // a rook
}

TEST(ChessRules, CapturingTheLastMatingPieceEndsTheGame) {
  chess_state state = from_fen("4k3/8/8/8/8/8/3r4/4K3 w - - 0 1");
  play(state, {"Kxd2"});
  ASSERT_TRUE(state.outcome().has_value());
  EXPECT_FALSE(state.outcome()->winner.has_value());
  EXPECT_EQ(state.outcome()->reason, "insufficient material");
}

TEST(ChessRules, FinishedStartPositionsAreRefused) {
  const auto refusal = [](std::string_view fen) { return chess_state::start_from(parse_fen(fen).value()).error(); };
  EXPECT_EQ(refusal("7k/5Q2/6K1/8/8/8/8/8 b - - 0 1"), "the game would be over before it starts (stalemate)");
  EXPECT_EQ(refusal("R6k/8/6K1/8/8/8/8/8 b - - 0 1"), "the game would be over before it starts (checkmate)");
  EXPECT_EQ(refusal("4k3/8/8/8/8/8/8/4K3 w - - 0 1"),
            "the game would be over before it starts (insufficient material)");
  EXPECT_EQ(refusal("4k3/8/8/8/8/8/8/R3K3 w - - 100 80"),
            "the game would be over before it starts (fifty-move rule)");
}

TEST(ChessRules, CanWinNeedsMatingMaterialOfOnesOwn) {
  const auto can = [](std::string_view fen, color side) { return can_mate(parse_fen(fen).value(), side); };
  EXPECT_FALSE(can("4k3/8/8/8/8/8/8/Q3K3 w - - 0 1", color::black));  // a lone king
  EXPECT_TRUE(can("4k3/8/8/8/8/8/8/Q3K3 w - - 0 1", color::white));
  EXPECT_FALSE(can("4k3/8/8/8/8/8/8/1N2K2q w - - 0 1", color::white));  // K+N alone
  EXPECT_FALSE(can("4k3/8/8/8/8/8/8/2B1K2q w - - 0 1", color::white));  // K+B alone
  EXPECT_TRUE(can("4k3/8/8/8/8/8/8/1NB1K2q w - - 0 1", color::white));  // K+B+N
  EXPECT_TRUE(can("4k3/8/8/8/8/8/8/1NN1K2q w - - 0 1", color::white));  // K+N+N: no forced mate, but a mate
  EXPECT_TRUE(can("4k3/8/8/8/8/8/P7/4K2q w - - 0 1", color::white));    // a pawn may promote
  EXPECT_TRUE(can("4k3/8/8/8/8/8/8/R3K2q w - - 0 1", color::white));

  chess_state state = from_fen("4k3/8/8/8/8/8/8/1N2K2q w - - 0 1");
  EXPECT_FALSE(state.can_win(0));
  EXPECT_TRUE(state.can_win(1));
  EXPECT_FALSE(state.can_win(2));
  EXPECT_FALSE(state.can_win(-1));
}

}  // namespace
}  // namespace guildhall::games::chess
