// UCI and SAN: reading what players type (forgiving where it is unambiguous, refusing with a reason where it is
// not) and writing SAN with exactly the disambiguation and check marks a reader expects.
#include <gtest/gtest.h>

#include "games/chess/fen.hpp"
#include "games/chess/movegen.hpp"
#include "games/chess/notation.hpp"
#include "games/chess/san.hpp"
#include "games/chess/uci.hpp"

namespace guildhall::games::chess {
namespace {

position at(std::string_view fen) {
  auto pos = parse_fen(fen);
  EXPECT_TRUE(pos.has_value()) << fen << ": " << (pos ? "" : pos.error());
  return pos.value_or(position{});
}

// SAN of the move `text` (in any notation) names in `fen`.
std::string san_of(std::string_view fen, std::string_view text) {
  const position pos = at(fen);
  const auto m = parse_move(pos, text);
  if (!m) return "refused: " + m.error();
  return to_san(pos, *m);
}

std::string refusal_for(std::string_view fen, std::string_view text) {
  const auto m = parse_move(at(fen), text);
  EXPECT_FALSE(m.has_value()) << text << " was accepted";
  return m ? std::string() : m.error();
}

constexpr std::string_view kKiwipete = "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1";
constexpr std::string_view kTwoKnights = "4k3/8/8/8/8/5N2/8/1N2K3 w - - 0 1";
constexpr std::string_view kTwoRooks = "k7/8/8/8/8/4R3/8/4R2K w - - 0 1";
constexpr std::string_view kThreeQueens = "8/8/1k6/8/4Q2Q/8/8/K3n2Q w - - 0 1";
constexpr std::string_view kPromotion = "7k/4P3/8/8/8/8/8/4K3 w - - 0 1";
constexpr std::string_view kCastling = "r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1";
constexpr std::string_view kEnPassant = "rnbqkbnr/ppp1p1pp/8/3pPp2/8/8/PPPP1PPP/RNBQKBNR w KQkq f6 0 3";
constexpr std::string_view kFoolsMate = "rnbqkbnr/pppp1ppp/8/4p3/6P1/5P2/PPPPP2P/RNBQKBNR b KQkq - 0 2";

TEST(ChessNotation, WritesUci) {
  EXPECT_EQ(to_uci(parse_move(position{}, "Nf3").value()), "g1f3");
  EXPECT_EQ(to_uci(parse_move(at(kPromotion), "e8=N").value()), "e7e8n");
  EXPECT_EQ(to_uci(parse_move(at(kCastling), "O-O-O").value()), "e1c1");
}

TEST(ChessNotation, ReadsUci) {
  EXPECT_EQ(san_of(kStartFen, "e2e4"), "e4");
  EXPECT_EQ(san_of(kStartFen, "g1f3"), "Nf3");
  EXPECT_EQ(san_of(kPromotion, "e7e8q"), "e8=Q+");
  EXPECT_EQ(san_of(kPromotion, "e7e8Q"), "e8=Q+");
  EXPECT_EQ(san_of(kPromotion, "e7e8b"), "e8=B");
  EXPECT_EQ(san_of(kCastling, "e1g1"), "O-O");
  EXPECT_EQ(san_of(kEnPassant, "e5f6"), "exf6");
}

TEST(ChessNotation, RefusesBadUciWithReasons) {
  EXPECT_EQ(refusal_for(kStartFen, "e3e4"), "there is no piece on e3");
  EXPECT_EQ(refusal_for(kStartFen, "e7e5"), "the piece on e7 is not yours");
  EXPECT_EQ(refusal_for(kStartFen, "e2e5"), "'e2e5' is not a legal move");
  EXPECT_EQ(refusal_for(kPromotion, "e7e8"), "e7e8 needs a promotion piece, e.g. e7e8q");
  EXPECT_EQ(refusal_for(kStartFen, "e2e4q"), "'e2e4q' is not a legal move");
  EXPECT_EQ(refusal_for(kCastling, "e1h1"), "'e1h1' is not a legal move");
  EXPECT_EQ(refusal_for("4k3/8/8/8/8/8/8/r3K3 w - - 0 1", "e1d1"),
            "'e1d1' is not a legal move (your king is in check)");
}

TEST(ChessNotation, ReadsSan) {
  EXPECT_EQ(san_of(kStartFen, "Nf3"), "Nf3");
  EXPECT_EQ(san_of(kStartFen, "e4"), "e4");
  EXPECT_EQ(san_of("rnbqkbnr/ppp1pppp/8/3p4/4P3/8/PPPP1PPP/RNBQKBNR w KQkq - 0 2", "exd5"), "exd5");
  EXPECT_EQ(san_of(kEnPassant, "exf6"), "exf6");
  EXPECT_EQ(san_of(kCastling, "O-O"), "O-O");
  EXPECT_EQ(san_of(kCastling, "0-0"), "O-O");
  EXPECT_EQ(san_of(kCastling, "O-O-O"), "O-O-O");
  EXPECT_EQ(san_of(kCastling, "0-0-0"), "O-O-O");
  EXPECT_EQ(san_of(kPromotion, "e8=Q+"), "e8=Q+");
  EXPECT_EQ(san_of(kPromotion, "e8Q"), "e8=Q+");
  EXPECT_EQ(san_of(kPromotion, "e8=r"), "e8=R+");
  EXPECT_EQ(san_of(kTwoKnights, "Nbd2"), "Nbd2");
  EXPECT_EQ(san_of(kTwoKnights, "Nfd2"), "Nfd2");
  EXPECT_EQ(san_of(kTwoRooks, "R1e2"), "R1e2");
  EXPECT_EQ(san_of(kThreeQueens, "Qh4xe1"), "Qh4xe1");
  EXPECT_EQ(san_of(kFoolsMate, "Qh4#"), "Qh4#");
}

TEST(ChessNotation, ForgivesWhatPeopleType) {
  EXPECT_EQ(san_of(kStartFen, "Nf3!?"), "Nf3");
  EXPECT_EQ(san_of(kStartFen, "e4!!"), "e4");
  EXPECT_EQ(san_of(kFoolsMate, "Qh4"), "Qh4#");
  EXPECT_EQ(san_of(kFoolsMate, "Qh4+"), "Qh4#");
  EXPECT_EQ(san_of(kStartFen, "Ng1-f3"), "Nf3");
  EXPECT_EQ(san_of(kStartFen, "e2-e4"), "e4");
  EXPECT_EQ(san_of(kThreeQueens, "Qh4e1"), "Qh4xe1");
  EXPECT_EQ(san_of(kCastling, "o-o"), "O-O");
  EXPECT_EQ(san_of("rnbqkbnr/ppp1pppp/8/3p4/4P3/8/PPPP1PPP/RNBQKBNR w KQkq - 0 2", "ed5"), "exd5");
}

TEST(ChessNotation, RefusesBadSanWithReasons) {
  EXPECT_EQ(refusal_for(kStartFen, "Ke2"), "'Ke2' is not a legal move");
  EXPECT_EQ(refusal_for(kStartFen, "e5"), "'e5' is not a legal move");
  EXPECT_EQ(refusal_for(kStartFen, "O-O"), "castling king side is not legal here");
  EXPECT_EQ(refusal_for(kTwoKnights, "Nd2"),
            "'Nd2' is ambiguous: more than one piece can go there (say which, e.g. Nbd2)");
  EXPECT_EQ(refusal_for(kThreeQueens, "Qxe1"),
            "'Qxe1' is ambiguous: more than one piece can go there (say which, e.g. Q1xe1)");
  EXPECT_EQ(refusal_for(kPromotion, "e8"), "'e8' needs a promotion piece, e.g. e8=Q");
  EXPECT_EQ(refusal_for(kPromotion, "e8=K"), "cannot read 'e8=K' as a move: use SAN like Nf3 or UCI like g1f3");
  EXPECT_EQ(refusal_for(kStartFen, "hello"), "cannot read 'hello' as a move: use SAN like Nf3 or UCI like g1f3");
  EXPECT_EQ(refusal_for(kStartFen, "Zz9"), "cannot read 'Zz9' as a move: use SAN like Nf3 or UCI like g1f3");
  EXPECT_EQ(refusal_for(kStartFen, "e\n4"), "cannot read 'e?4' as a move: use SAN like Nf3 or UCI like g1f3");
  EXPECT_EQ(refusal_for(kStartFen, ""), "no move given");
  EXPECT_EQ(refusal_for(kStartFen, std::string(17, 'e')), "that move is too long to be a chess move");
}

TEST(ChessNotation, WritesSanWithChecksAndDisambiguation) {
  EXPECT_EQ(san_of(kTwoRooks, "e3e2"), "R3e2");
  EXPECT_EQ(san_of(kTwoRooks, "e3e4"), "Re4");
  EXPECT_EQ(san_of(kThreeQueens, "e4e1"), "Qexe1");  // file first: no other queen on the e-file
  EXPECT_EQ(san_of(kThreeQueens, "h1e1"), "Q1xe1");  // the h4 queen shares the file, none shares rank 1
  EXPECT_EQ(san_of(kThreeQueens, "h4h2"), "Q4h2");
  EXPECT_EQ(san_of(kPromotion, "e7e8n"), "e8=N");
  EXPECT_EQ(san_of(kPromotion, "e7e8r"), "e8=R+");
  EXPECT_EQ(san_of(kKiwipete, "e2a6"), "Bxa6");
  EXPECT_EQ(san_of(kKiwipete, "d5e6"), "dxe6");
  EXPECT_EQ(san_of(kKiwipete, "e5f7"), "Nxf7");
  EXPECT_EQ(san_of(kKiwipete, "c3b1"), "Nb1");
  EXPECT_EQ(san_of(kCastling, "a1a8"), "Rxa8+");
  // A pinned knight does not count as a second candidate, so no disambiguation.
  EXPECT_EQ(san_of("4k3/4r3/8/8/8/8/4N3/N3K3 w - - 0 1", "a1c2"), "Nc2");
}

// Every legal move, in positions full of special moves, survives to_san -> parse_san and to_uci -> parse_uci,
// and no two moves share a SAN.
TEST(ChessNotation, EveryLegalMoveRoundTrips) {
  for (std::string_view fen : {kStartFen, kKiwipete, kThreeQueens, kPromotion, kEnPassant,
                               std::string_view("8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1"),
                               std::string_view("r3k2r/Pppp1ppp/1b3nbN/nP6/BBP1P3/q4N2/Pp1P2PP/R2Q1RK1 w kq - 0 1"),
                               std::string_view("rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8")}) {
    const position pos = at(fen);
    std::vector<std::string> seen;
    for (const move& m : legal_moves(pos)) {
      const std::string san = to_san(pos, m);
      EXPECT_EQ(std::count(seen.begin(), seen.end(), san), 0) << fen << " " << san;
      seen.push_back(san);
      const auto from_san = parse_san(pos, san);
      ASSERT_TRUE(from_san.has_value()) << fen << " " << san << ": " << from_san.error();
      EXPECT_EQ(*from_san, m) << fen << " " << san;
      const auto from_uci = parse_uci(pos, to_uci(m));
      ASSERT_TRUE(from_uci.has_value()) << fen << " " << to_uci(m) << ": " << from_uci.error();
      EXPECT_EQ(*from_uci, m) << fen << " " << to_uci(m);
    }
  }
}

}  // namespace
}  // namespace guildhall::games::chess
