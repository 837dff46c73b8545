#pragma once
// A move as a player types it: UCI or SAN, whichever the text looks like.
#include <expected>
#include <string_view>

#include "games/chess/position.hpp"

namespace guildhall::games::chess {

// Longer text is refused unread; the longest SAN ("Qh4xe1+!?") and UCI are well under it.
constexpr std::size_t kMaxMoveTextBytes = 16;

// The legal move `text` names in `pos`: UCI when it has UCI's shape ("e2e4", "e7e8q"), SAN otherwise.
std::expected<move, refusal> parse_move(const position& pos, std::string_view text);

}  // namespace guildhall::games::chess
