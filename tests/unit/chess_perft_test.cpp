// Move generation against the published perft counts (chessprogramming.org/Perft_Results). Castling, en
// passant (pinned too), promotions and checks all show up in these trees, so a wrong count points at a rule.
#include "games/chess/perft.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "games/chess/fen.hpp"

namespace guildhall::games::chess {
namespace {

void expect_counts(std::string_view fen, const std::vector<std::uint64_t>& counts) {
  const auto pos = parse_fen(fen);
  ASSERT_TRUE(pos.has_value()) << pos.error();
  for (std::size_t depth = 1; depth <= counts.size(); ++depth) {
    EXPECT_EQ(perft(*pos, static_cast<int>(depth)), counts[depth - 1]) << fen << " at depth " << depth;
  }
}

TEST(ChessPerft, StartPosition) { expect_counts(kStartFen, {20, 400, 8'902, 197'281, 4'865'609}); }

TEST(ChessPerft, Kiwipete) {
  expect_counts("r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1",
                {48, 2'039, 97'862, 4'085'603});
}

// Rook-and-pawn endgame full of discovered checks and the en passant that would leave the king in check.
TEST(ChessPerft, Position3) {
  expect_counts("8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1", {14, 191, 2'812, 43'238, 674'624});
}

TEST(ChessPerft, Position4) {
  expect_counts("r3k2r/Pppp1ppp/1b3nbN/nP6/BBP1P3/q4N2/Pp1P2PP/R2Q1RK1 w kq - 0 1", {6, 264, 9'467, 422'333});
}

// Position 4 with colours swapped: the same counts, so black's code paths are checked as well as white's.
TEST(ChessPerft, Position4Mirrored) {
  expect_counts("r2q1rk1/pP1p2pp/Q4n2/bbp1p3/Np6/1B3NBn/pPPP1PPP/R3K2R b KQ - 0 1", {6, 264, 9'467, 422'333});
}

TEST(ChessPerft, Position5) {
  expect_counts("rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8", {44, 1'486, 62'379, 2'103'487});
}

TEST(ChessPerft, Position6) {
  expect_counts("r4rk1/1pp1qppp/p1np1n2/2b1p1B1/2B1P1b1/P1NP1N2/1PP1QPPP/R4RK1 w - - 0 10",
                {46, 2'079, 89'890, 3'894'594});
}

TEST(ChessPerft, DepthZeroIsOneNode) { EXPECT_EQ(perft(position{}, 0), 1u); }

}  // namespace
}  // namespace guildhall::games::chess
