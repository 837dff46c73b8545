#pragma once
// Counts the leaf nodes of the legal move tree to `depth` plies: the standard test of a move generator against
// published counts (chessprogramming.org/Perft_Results).
#include <cstdint>

#include "games/chess/position.hpp"

namespace guildhall::games::chess {

std::uint64_t perft(const position& pos, int depth);

}  // namespace guildhall::games::chess
