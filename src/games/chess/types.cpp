#include "games/chess/types.hpp"

namespace guildhall::games::chess {

std::optional<square> parse_square(std::string_view text) {
  if (text.size() != 2) return std::nullopt;
  if (text[0] < 'a' || text[0] > 'h' || text[1] < '1' || text[1] > '8') return std::nullopt;
  return make_square(text[0] - 'a', text[1] - '1');
}

std::string square_name(square sq) {
  if (!on_board(sq)) return "-";
  return {static_cast<char>('a' + file_of(sq)), static_cast<char>('1' + rank_of(sq))};
}

char piece_letter(piece_type t) {
  switch (t) {
    case piece_type::pawn: return 'P';
    case piece_type::knight: return 'N';
    case piece_type::bishop: return 'B';
    case piece_type::rook: return 'R';
    case piece_type::queen: return 'Q';
    case piece_type::king: return 'K';
    case piece_type::none: break;
  }
  return '?';
}

piece_type piece_type_from_letter(char letter) {
  switch (letter) {
    case 'P': case 'p': return piece_type::pawn;
    case 'N': case 'n': return piece_type::knight;
    case 'B': case 'b': return piece_type::bishop;
    case 'R': case 'r': return piece_type::rook;
    case 'Q': case 'q': return piece_type::queen;
    case 'K': case 'k': return piece_type::king;
    default: return piece_type::none;
  }
}

}  // namespace guildhall::games::chess
