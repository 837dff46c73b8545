#pragma once
// The built-in chess engine's static evaluation: material plus piece-square tables (Tomasz Michniewski's
// "Simplified Evaluation Function"), the king's table blended from middlegame to endgame as pieces come off.
#include "games/chess/position.hpp"

namespace guildhall::services::chess_bot {

using games::chess::piece_type;
using games::chess::position;

// Centipawns: pawn 100, knight 320, bishop 330, rook 500, queen 900, king 0.
int piece_value(piece_type type);

// The position's score in centipawns from the point of view of the side to move (positive = better for it).
int evaluate(const position& pos);

}  // namespace guildhall::services::chess_bot
