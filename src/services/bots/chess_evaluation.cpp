#include "services/bots/chess_evaluation.hpp"

#include <algorithm>
#include <array>

namespace guildhall::services::chess_bot {
using namespace games::chess;  // the board types this file reads
namespace {

using table = std::array<int, 64>;

// Written as a board is drawn, from white's side: the first row is rank 8, the last rank 1.
constexpr table kPawn{
      0,   0,   0,   0,   0,   0,   0,   0,
     50,  50,  50,  50,  50,  50,  50,  50,
     10,  10,  20,  30,  30,  20,  10,  10,
      5,   5,  10,  25,  25,  10,   5,   5,
      0,   0,   0,  20,  20,   0,   0,   0,
      5,  -5, -10,   0,   0, -10,  -5,   5,
      5,  10,  10, -20, -20,  10,  10,   5,
      0,   0,   0,   0,   0,   0,   0,   0,
};
constexpr table kKnight{
    -50, -40, -30, -30, -30, -30, -40, -50,
    -40, -20,   0,   0,   0,   0, -20, -40,
    -30,   0,  10,  15,  15,  10,   0, -30,
    -30,   5,  15,  20,  20,  15,   5, -30,
    -30,   0,  15,  20,  20,  15,   0, -30,
    -30,   5,  10,  15,  15,  10,   5, -30,
    -40, -20,   0,   5,   5,   0, -20, -40,
    -50, -40, -30, -30, -30, -30, -40, -50,
};
constexpr table kBishop{
    -20, -10, -10, -10, -10, -10, -10, -20,
    -10,   0,   0,   0,   0,   0,   0, -10,
    -10,   0,   5,  10,  10,   5,   0, -10,
    -10,   5,   5,  10,  10,   5,   5, -10,
    -10,   0,  10,  10,  10,  10,   0, -10,
    -10,  10,  10,  10,  10,  10,  10, -10,
    -10,   5,   0,   0,   0,   0,   5, -10,
    -20, -10, -10, -10, -10, -10, -10, -20,
};
constexpr table kRook{
      0,   0,   0,   0,   0,   0,   0,   0,
      5,  10,  10,  10,  10,  10,  10,   5,
     -5,   0,   0,   0,   0,   0,   0,  -5,
     -5,   0,   0,   0,   0,   0,   0,  -5,
     -5,   0,   0,   0,   0,   0,   0,  -5,
     -5,   0,   0,   0,   0,   0,   0,  -5,
     -5,   0,   0,   0,   0,   0,   0,  -5,
      0,   0,   0,   5,   5,   0,   0,   0,
};
constexpr table kQueen{
    -20, -10, -10,  -5,  -5, -10, -10, -20,
    -10,   0,   0,   0,   0,   0,   0, -10,
    -10,   0,   5,   5,   5,   5,   0, -10,
     -5,   0,   5,   5,   5,   5,   0,  -5,
      0,   0,   5,   5,   5,   5,   0,  -5,
    -10,   5,   5,   5,   5,   5,   0, -10,
    -10,   0,   5,   0,   0,   0,   0, -10,
    -20, -10, -10,  -5,  -5, -10, -10, -20,
};
constexpr table kKingMiddlegame{
    -30, -40, -40, -50, -50, -40, -40, -30,
    -30, -40, -40, -50, -50, -40, -40, -30,
    -30, -40, -40, -50, -50, -40, -40, -30,
    -30, -40, -40, -50, -50, -40, -40, -30,
    -20, -30, -30, -40, -40, -30, -30, -20,
    -10, -20, -20, -20, -20, -20, -20, -10,
     20,  20,   0,   0,   0,   0,  20,  20,
     20,  30,  10,   0,   0,  10,  30,  20,
};
constexpr table kKingEndgame{
    -50, -40, -30, -20, -20, -30, -40, -50,
    -30, -20, -10,   0,   0, -10, -20, -30,
    -30, -10,  20,  30,  30,  20, -10, -30,
    -30, -10,  30,  40,  40,  30, -10, -30,
    -30, -10,  30,  40,  40,  30, -10, -30,
    -30, -10,  20,  30,  30,  20, -10, -30,
    -30, -30,   0,   0,   0,   0, -30, -30,
    -50, -30, -30, -30, -30, -30, -30, -50,
};

// Game phase: 24 with all minor and major pieces on the board, 0 with none.
constexpr int kFullPhase = 24;

int phase_weight(piece_type type) {
  switch (type) {
    case piece_type::knight:
    case piece_type::bishop: return 1;
    case piece_type::rook: return 2;
    case piece_type::queen: return 4;
    default: return 0;
  }
}

const table& table_for(piece_type type) {
  switch (type) {
    case piece_type::pawn: return kPawn;
    case piece_type::knight: return kKnight;
    case piece_type::bishop: return kBishop;
    case piece_type::rook: return kRook;
    default: return kQueen;
  }
}

}  // namespace

int piece_value(piece_type type) {
  static constexpr std::array<int, 7> kValues{0, 100, 320, 330, 500, 900, 0};
  return kValues[static_cast<std::size_t>(type)];
}

int evaluate(const position& pos) {
  int score = 0;  // white's point of view
  int phase = 0;
  std::array<int, 2> king_index{};
  for (int rank = 0; rank < 8; ++rank) {
    for (int file = 0; file < 8; ++file) {
      const piece p = pos.at(make_square(file, rank));
      if (p == piece::none) continue;
      const bool white = color_of(p) == color::white;
      // Tables are drawn from white's side; black reads them upside down.
      const auto index = static_cast<std::size_t>((white ? 7 - rank : rank) * 8 + file);
      const piece_type type = type_of(p);
      if (type == piece_type::king) {
        king_index[white ? 0 : 1] = static_cast<int>(index);
        continue;
      }
      phase += phase_weight(type);
      const int value = piece_value(type) + table_for(type)[index];
      score += white ? value : -value;
    }
  }
  phase = std::min(phase, kFullPhase);
  for (int side = 0; side < 2; ++side) {
    const auto index = static_cast<std::size_t>(king_index[static_cast<std::size_t>(side)]);
    const int king = (kKingMiddlegame[index] * phase + kKingEndgame[index] * (kFullPhase - phase)) / kFullPhase;
    score += side == 0 ? king : -king;
  }
  return pos.side_to_move() == color::white ? score : -score;
}

}  // namespace guildhall::services::chess_bot
