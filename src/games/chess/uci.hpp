#pragma once
// UCI long algebraic notation ("e2e4", "e7e8q", castling as the king's move "e1g1"): the canonical spelling a
// match stores and replays.
#include <expected>
#include <string>
#include <string_view>

#include "games/chess/position.hpp"

namespace guildhall::games::chess {

std::string to_uci(const move& m);

// Whether `text` has the shape of a UCI move (two squares and an optional promotion letter), legal or not.
bool looks_like_uci(std::string_view text);

// The legal move `text` names in `pos`. The promotion letter may be either case; castling is only accepted as
// the king's two-square move, not as "king takes rook".
std::expected<move, refusal> parse_uci(const position& pos, std::string_view text);

}  // namespace guildhall::games::chess
