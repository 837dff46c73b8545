#include "games/chess/uci.hpp"

#include "games/chess/detail/quote.hpp"
#include "games/chess/movegen.hpp"

namespace guildhall::games::chess {

std::string to_uci(const move& m) {
  std::string text = square_name(m.from) + square_name(m.to);
  if (m.promotion != piece_type::none) text += static_cast<char>(piece_letter(m.promotion) - 'A' + 'a');
  return text;
}

bool looks_like_uci(std::string_view text) {
  if (text.size() != 4 && text.size() != 5) return false;
  if (!parse_square(text.substr(0, 2)) || !parse_square(text.substr(2, 2))) return false;
  if (text.size() == 4) return true;
  const piece_type promotion = piece_type_from_letter(text[4]);
  return promotion != piece_type::none && promotion != piece_type::pawn && promotion != piece_type::king;
}

std::expected<move, refusal> parse_uci(const position& pos, std::string_view text) {
  if (!looks_like_uci(text)) {
    return std::unexpected(detail::quote(text) + " is not a UCI move like e2e4 or e7e8q");
  }
  const square from = *parse_square(text.substr(0, 2));
  const square to = *parse_square(text.substr(2, 2));
  const piece_type promotion = text.size() == 5 ? piece_type_from_letter(text[4]) : piece_type::none;
  const piece mover = pos.at(from);
  if (mover == piece::none) return std::unexpected("there is no piece on " + square_name(from));
  if (color_of(mover) != pos.side_to_move()) {
    return std::unexpected("the piece on " + square_name(from) + " is not yours");
  }
  bool promotes_here = false;
  for (const move& m : legal_moves(pos)) {
    if (m.from != from || m.to != to) continue;
    if (m.promotion == promotion) return m;
    promotes_here = promotes_here || m.promotion != piece_type::none;
  }
  if (promotes_here && promotion == piece_type::none) {
    return std::unexpected(std::string(text) + " needs a promotion piece, e.g. " + std::string(text) + "q");
  }
  std::string reason = detail::quote(text) + " is not a legal move";
  if (pos.in_check()) reason += " (your king is in check)";
  return std::unexpected(reason);
}

}  // namespace guildhall::games::chess
