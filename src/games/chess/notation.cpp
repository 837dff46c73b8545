#include "games/chess/notation.hpp"

#include "games/chess/san.hpp"
#include "games/chess/uci.hpp"

namespace guildhall::games::chess {

std::expected<move, refusal> parse_move(const position& pos, std::string_view text) {
  if (text.empty()) return std::unexpected(refusal("no move given"));
  if (text.size() > kMaxMoveTextBytes) return std::unexpected(refusal("that move is too long to be a chess move"));
  if (looks_like_uci(text)) return parse_uci(pos, text);
  return parse_san(pos, text);
}

}  // namespace guildhall::games::chess
