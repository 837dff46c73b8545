#pragma once
// Standard Algebraic Notation ("Nf3", "exd5", "O-O", "e8=Q+", "Nbd2"): what people read and type.
#include <expected>
#include <string>
#include <string_view>

#include "games/chess/position.hpp"

namespace guildhall::games::chess {

// SAN of `m`, a legal move in `pos`: with the least disambiguation that makes it unique (file, then rank, then
// both), "x" for captures, "=Q" for promotions and "+" or "#" when it checks or mates.
std::string to_san(const position& pos, const move& m);

// The legal move `text` names in `pos`. Forgiving in what people actually type: castling as O-O or 0-0 (either
// case), trailing "+", "#", "!" and "?" ignored, "x" optional, a promotion with or without "=", and long
// algebraic ("Ng1-f3", "e2-e4", "Qh4xe1"). Refuses ambiguous text ("Nd2" when two knights can go there) and
// names the way to say it.
std::expected<move, refusal> parse_san(const position& pos, std::string_view text);

}  // namespace guildhall::games::chess
