#pragma once
// The ends of a game that the position alone decides. Repetition needs the game's history and lives in
// repetition.hpp; chess_state puts the two together.
#include "games/chess/position.hpp"

namespace guildhall::games::chess {

// 100 half-moves (50 moves each) without a pawn move or capture.
constexpr int kFiftyMoveHalfmoves = 100;

enum class position_status { ongoing, checkmate, stalemate };

// Checkmate or stalemate of the side to move.
position_status status_of(const position& pos);

// Neither side can ever checkmate, whatever anyone plays: no pawns, rooks or queens, and either at most one
// minor piece on the board (K v K, K+B v K, K+N v K) or only bishops, all on squares of one colour (which
// covers K+B v K+B with same-coloured bishops).
bool insufficient_material(const position& pos);

// Whether `side` has mating material of its own, asked when its opponent runs out of time. A FIDE-like
// simplification that looks at `side`'s pieces only: a pawn, rook or queen, or two or more minor pieces, can
// win; a lone king, or a king with one knight or one bishop, cannot (even where the opponent's own pieces
// would make a helpmate possible).
bool can_mate(const position& pos, color side);

}  // namespace guildhall::games::chess
