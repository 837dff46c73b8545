// chess_game and chess_state through the public turn-game API: creating matches, applying moves in either
// notation, refusals that leave the state alone, and serialize/restore round trips.
#include <gtest/gtest.h>

#include "games/chess/chess_game.hpp"
#include "games/chess/chess_state.hpp"
#include "games/chess/fen.hpp"

namespace guildhall::games::chess {
namespace {

const chess_game kGame;

std::unique_ptr<game_state> create(const game_options& options = {}) {
  auto state = kGame.create(options);
  EXPECT_TRUE(state.has_value()) << (state ? "" : state.error());
  return state ? std::move(*state) : nullptr;
}

void play(game_state& state, std::initializer_list<std::string_view> moves) {
  for (std::string_view text : moves) {
    const auto accepted = state.apply(text);
    ASSERT_TRUE(accepted.has_value()) << text << ": " << accepted.error();
  }
}

TEST(ChessGame, DescribesItself) {
  EXPECT_EQ(kGame.name(), "chess");
  EXPECT_EQ(kGame.seats(), 2);
}

TEST(ChessGame, StartsFromTheStandardPosition) {
  const auto state = create({{"unknown", "ignored"}});
  EXPECT_EQ(state->to_move(), 0);
  EXPECT_EQ(state->view_for(0), kStartFen);
  EXPECT_EQ(state->view_for(-1), kStartFen);
  EXPECT_EQ(state->legal_moves().size(), 20u);
  EXPECT_FALSE(state->outcome().has_value());
}

TEST(ChessGame, StartsFromAFenWithItsSideToMove) {
  const std::string fen = "4k3/8/8/8/8/8/4P3/4K3 b - - 0 1";
  const auto state = create({{"fen", fen}});
  EXPECT_EQ(state->to_move(), 1);
  EXPECT_EQ(state->view_for(1), fen);
}

TEST(ChessGame, RefusesBadOptions) {
  EXPECT_EQ(kGame.create({{"fen", "8/8/8/8/8/8/8/8 w - - 0 1"}}).error(), "bad FEN: white must have exactly one king");
  EXPECT_EQ(kGame.create({{"fen", "7k/5Q2/6K1/8/8/8/8/8 b - - 0 1"}}).error(),
            "the game would be over before it starts (stalemate)");
}

TEST(ChessGame, AppliesUciAndSanAndAnswersInBoth) {
  const auto state = create();
  const auto first = state->apply("e2e4");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->canonical, "e2e4");
  EXPECT_EQ(first->display, "e4");
  EXPECT_EQ(state->to_move(), 1);
  const auto second = state->apply("Nf6");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->canonical, "g8f6");
  EXPECT_EQ(second->display, "Nf6");
  EXPECT_EQ(state->view_for(0), "rnbqkb1r/pppppppp/5n2/8/4P3/8/PPPP1PPP/RNBQKBNR w KQkq - 1 2");
}

TEST(ChessGame, RefusalsLeaveTheStateUnchanged) {
  const auto state = create();
  play(*state, {"e4", "e5"});
  const std::string before = state->serialize();
  for (std::string_view bad : {"e2e4", "Ke3", "Nd2", "O-O", "e7e5", "xyz", "", "e4e5e6e7e8e1e2e3e4"}) {
    EXPECT_FALSE(state->apply(bad).has_value()) << bad;
    EXPECT_EQ(state->serialize(), before) << bad;
  }
  EXPECT_EQ(state->to_move(), 0);
}

TEST(ChessGame, PlaysAResolvedMoveOnlyWhenLegal) {
  auto state = chess_state::start_from(position{}).value();
  const move e4{make_square(4, 1), make_square(4, 3)};
  EXPECT_EQ(state.play(e4).value().display, "e4");
  EXPECT_EQ(state.play(e4).error(), "e2e4 is not a legal move");
  EXPECT_EQ(state.moves().size(), 1u);
}

TEST(ChessGame, SerializesTheStartFenAndTheMoves) {
  const auto state = create();
  EXPECT_EQ(state->serialize(), "guildhall-chess 1\nfen " + std::string(kStartFen) + "\nmoves");
  play(*state, {"e4", "e5", "Nf3"});
  EXPECT_EQ(state->serialize(), "guildhall-chess 1\nfen " + std::string(kStartFen) + "\nmoves e2e4 e7e5 g1f3");
}

TEST(ChessGame, RestoresAnEqualState) {
  const auto state = create({{"fen", "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1"}});
  play(*state, {"O-O", "b4c3", "d5d6", "O-O-O"});
  const auto restored = kGame.restore(state->serialize());
  ASSERT_TRUE(restored.has_value()) << restored.error();
  EXPECT_EQ((*restored)->serialize(), state->serialize());
  EXPECT_EQ((*restored)->view_for(0), state->view_for(0));
  EXPECT_EQ((*restored)->legal_moves(), state->legal_moves());
  EXPECT_EQ((*restored)->to_move(), state->to_move());
  const auto& chess = dynamic_cast<const chess_state&>(**restored);
  EXPECT_EQ(chess.san_moves(), (std::vector<std::string>{"O-O", "bxc3", "d6", "O-O-O"}));
}

TEST(ChessGame, RestoreKeepsTheRepetitionHistory) {
  const auto state = create();
  play(*state, {"Nf3", "Nf6", "Ng1", "Ng8", "Nf3", "Nf6", "Ng1"});
  auto restored = kGame.restore(state->serialize());
  ASSERT_TRUE(restored.has_value()) << restored.error();
  play(**restored, {"Ng8"});
  ASSERT_TRUE((*restored)->outcome().has_value());
  EXPECT_EQ((*restored)->outcome()->reason, "threefold repetition");
}

TEST(ChessGame, RestoresAFinishedGame) {
  const auto state = create();
  play(*state, {"f3", "e5", "g4", "Qh4#"});
  const auto restored = kGame.restore(state->serialize());
  ASSERT_TRUE(restored.has_value()) << restored.error();
  ASSERT_TRUE((*restored)->outcome().has_value());
  EXPECT_EQ((*restored)->outcome()->winner, 1);
}

TEST(ChessGame, RestoreRefusesCorruptText) {
  const std::string start = "guildhall-chess 1\nfen " + std::string(kStartFen) + "\n";
  const auto refusal = [](const std::string& text) {
    const auto restored = kGame.restore(text);
    EXPECT_FALSE(restored.has_value()) << text;
    return restored ? std::string() : restored.error();
  };
  EXPECT_EQ(refusal(""), "not a stored chess state (or one of an unknown version)");
  EXPECT_EQ(refusal("guildhall-chess 2\nfen " + std::string(kStartFen) + "\nmoves"),
            "not a stored chess state (or one of an unknown version)");
  EXPECT_EQ(refusal(start + "moves e2e4\n"), "not a stored chess state (or one of an unknown version)");
  EXPECT_EQ(refusal("guildhall-chess 1\nstart x\nmoves"), "stored chess state lacks its 'fen' or 'moves' line");
  EXPECT_EQ(refusal("guildhall-chess 1\nfen 8/8 w - - 0 1\nmoves"),
            "stored start position is invalid: the board must have 8 ranks separated by '/'");
  EXPECT_EQ(refusal(start + "moves e2e4 e7e5 e1e3"), "stored move 3: 'e1e3' is not a legal move");
  EXPECT_EQ(refusal(start + "moves e2e4  e7e5"), "stored move 2: '' is not a UCI move like e2e4 or e7e8q");
  EXPECT_EQ(refusal(start + "moves Nf3"), "stored move 1: 'Nf3' is not a UCI move like e2e4 or e7e8q");
  EXPECT_EQ(refusal(start + "movese2e4"), "stored moves must follow 'moves '");
  EXPECT_EQ(refusal(start + "moves f2f3 e7e5 g2g4 d8h4 a2a3"), "stored move 5 comes after the end of the game");
  EXPECT_EQ(refusal(start + "moves" + std::string(kMaxSerializedBytes, ' ')), "stored chess state is too long");
}

}  // namespace
}  // namespace guildhall::games::chess
