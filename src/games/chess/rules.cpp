#include "games/chess/rules.hpp"

#include <optional>

#include "games/chess/movegen.hpp"

namespace guildhall::games::chess {
namespace {

struct material {
  int heavy_or_pawns = 0;  // pawns, rooks and queens: enough to mate on their own
  int knights = 0;
  int bishops = 0;
  bool light_bishop = false;
  bool dark_bishop = false;
};

material count_material(const position& pos, std::optional<color> only) {
  material count;
  for (int rank = 0; rank < 8; ++rank) {
    for (int file = 0; file < 8; ++file) {
      const piece p = pos.at(make_square(file, rank));
      if (p == piece::none || (only && color_of(p) != *only)) continue;
      switch (type_of(p)) {
        case piece_type::pawn:
        case piece_type::rook:
        case piece_type::queen: ++count.heavy_or_pawns; break;
        case piece_type::knight: ++count.knights; break;
        case piece_type::bishop:
          ++count.bishops;
          ((file + rank) % 2 == 0 ? count.dark_bishop : count.light_bishop) = true;
          break;
        case piece_type::king:
        case piece_type::none: break;
      }
    }
  }
  return count;
}

}  // namespace

position_status status_of(const position& pos) {
  if (has_legal_move(pos)) return position_status::ongoing;
  return pos.in_check() ? position_status::checkmate : position_status::stalemate;
}

bool insufficient_material(const position& pos) {
  const material count = count_material(pos, std::nullopt);
  if (count.heavy_or_pawns > 0) return false;
  if (count.knights + count.bishops <= 1) return true;
  return count.knights == 0 && !(count.light_bishop && count.dark_bishop);
}

bool can_mate(const position& pos, color side) {
  const material count = count_material(pos, side);
  return count.heavy_or_pawns > 0 || count.knights + count.bishops >= 2;
}

}  // namespace guildhall::games::chess
