// FEN in and out: exact round trips, and every malformed or impossible position refused with a reason.
#include "games/chess/fen.hpp"

#include <gtest/gtest.h>

#include "games/chess/movegen.hpp"

namespace guildhall::games::chess {
namespace {

std::string refusal_for(std::string_view fen) {
  const auto pos = parse_fen(fen);
  EXPECT_FALSE(pos.has_value()) << fen << " was accepted";
  return pos ? std::string() : pos.error();
}

TEST(ChessFen, DefaultPositionIsTheStartPosition) {
  EXPECT_EQ(to_fen(position{}), kStartFen);
  EXPECT_EQ(parse_fen(kStartFen).value(), position{});
}

TEST(ChessFen, RoundTripsExactly) {
  for (std::string_view fen : {
           "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1",
           "8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1",
           "rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8",
           "rnbqkbnr/ppp1p1pp/8/3pPp2/8/8/PPPP1PPP/RNBQKBNR w KQkq f6 0 3",
           "4k3/8/8/8/3pP3/8/8/4K3 b - e3 0 40",
           "r3k3/8/8/8/8/8/8/4K2R b Kq - 17 63",
       }) {
    const auto pos = parse_fen(fen);
    ASSERT_TRUE(pos.has_value()) << fen << ": " << pos.error();
    EXPECT_EQ(to_fen(*pos), fen);
  }
}

TEST(ChessFen, ClocksMayBeLeftOutAndSpacesAreForgiven) {
  EXPECT_EQ(to_fen(parse_fen("  4k3/8/8/8/8/8/8/4K3   b - -\n").value()), "4k3/8/8/8/8/8/8/4K3 b - - 0 1");
}

TEST(ChessFen, ExportsTheEnPassantSquareOnlyWhenAPawnCouldTake) {
  position pos;
  const auto play = [&](std::string_view from, std::string_view to) {
    for (const move& m : legal_moves(pos)) {
      if (m.from == parse_square(from) && m.to == parse_square(to)) {
        pos.make(m);
        return;
      }
    }
    FAIL() << from << to << " not found";
  };
  play("e2", "e4");
  EXPECT_EQ(to_fen(pos), "rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1");
  play("d7", "d5");
  play("e4", "e5");
  play("f7", "f5");
  EXPECT_EQ(to_fen(pos), "rnbqkbnr/ppp1p1pp/8/3pPp2/8/8/PPPP1PPP/RNBQKBNR w KQkq f6 0 3");
}

TEST(ChessFen, RefusesMalformedText) {
  EXPECT_NE(refusal_for("").find("6 fields"), std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq").find("6 fields"), std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1 extra").find("6 fields"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/ppppxppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1").find("unknown piece letter 'x'"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/ppppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1").find("more than 8 squares"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/ppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1").find("rank 7 does not have 8"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP w KQkq - 0 1").find("8 ranks"), std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1").find("more than 8 ranks"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR x KQkq - 0 1").find("'w' or 'b'"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w HAha - 0 1").find("Chess960"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KKq - 0 1").find("repeated"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq e9 0 1").find("en-passant square"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - x 1").find("halfmove clock must be a"),
            std::string::npos);
  EXPECT_NE(refusal_for("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1.5").find("move number must be a"),
            std::string::npos);
  EXPECT_NE(refusal_for(std::string(200, '8')).find("too long"), std::string::npos);
}

TEST(ChessFen, RefusesImpossiblePositions) {
  EXPECT_NE(refusal_for("8/8/8/8/8/8/8/4K3 w - - 0 1").find("black must have exactly one king"), std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/8/8/8/4KK2 w - - 0 1").find("white must have exactly one king"),
            std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/8/8/8/P3K3 w - - 0 1").find("first or last rank"), std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/8/PPPP4/PPPPP3/4K3 w - - 0 1").find("more than 8 pawns"), std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/NNNN4/NNNN4/NNNN4/NNNNK3 w - - 0 1").find("more than 16 pieces"),
            std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/8/8/8/4K3 w K - 0 1").find("castling right 'K' needs the white king on e1 and "
                                                          "a rook on h1"),
            std::string::npos);
  EXPECT_NE(refusal_for("r3k3/8/8/8/8/8/8/4K3 w k - 0 1").find("castling right 'k'"), std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/4P3/8/8/4K3 b - e6 0 1").find("en-passant square e6"), std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/8/8/8/4K3 b - e3 0 1").find("en-passant square e3"), std::string::npos);
  EXPECT_NE(refusal_for("4k2R/8/8/8/8/8/8/4K3 w - - 0 1").find("black is in check but it is white's move"),
            std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/8/8/8/4K3 w - - -1 1").find("halfmove clock must be between"),
            std::string::npos);
  EXPECT_NE(refusal_for("4k3/8/8/8/8/8/8/4K3 w - - 0 0").find("move number must be between"), std::string::npos);
}

}  // namespace
}  // namespace guildhall::games::chess
