#include "games/chess/repetition.hpp"

#include <algorithm>

#include "games/chess/movegen.hpp"

namespace guildhall::games::chess {

position_key key_of(const position& pos) {
  position_key key;
  for (int index = 0; index < 64; ++index) {
    key.board[static_cast<std::size_t>(index)] = pos.at(make_square(index % 8, index / 8));
  }
  key.side_to_move = pos.side_to_move();
  key.castling = pos.castling();
  if (pos.en_passant() != kNoSquare) {
    const move_list captures = legal_moves(pos, move_filter::captures_and_promotions);
    const bool possible = std::any_of(captures.begin(), captures.end(),
                                      [](const move& m) { return m.kind == move_kind::en_passant; });
    if (possible) key.en_passant = pos.en_passant();
  }
  return key;
}

void repetition_history::record(const position& pos) {
  if (pos.halfmove_clock() == 0) keys_.clear();
  keys_.push_back(key_of(pos));
}

int repetition_history::occurrences_of_latest() const {
  if (keys_.empty()) return 0;
  return static_cast<int>(std::count(keys_.begin(), keys_.end(), keys_.back()));
}

}  // namespace guildhall::games::chess
