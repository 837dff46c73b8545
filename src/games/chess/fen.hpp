#pragma once
// Forsyth-Edwards Notation, the one text form of a position that clients, PGN and storage share.
#include <expected>
#include <string>
#include <string_view>

#include "games/chess/position.hpp"

namespace guildhall::games::chess {

inline constexpr std::string_view kStartFen = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1";

// Longer text is refused unread: the longest sensible FEN is under 100 bytes.
constexpr std::size_t kMaxFenBytes = 128;

// Reads the six FEN fields (the two clocks may be left out; they default to "0 1"). Fields are separated by
// spaces; surrounding whitespace is ignored. Refuses malformed text and impossible positions with a reason a
// player can read (see position::from_setup for the position checks).
std::expected<position, refusal> parse_fen(std::string_view text);

std::string to_fen(const position& pos);

}  // namespace guildhall::games::chess
