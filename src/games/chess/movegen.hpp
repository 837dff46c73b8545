#pragma once
// Legal move generation: castling (never out of, through or into check), en passant (including the capture
// that would expose the king along the rank), promotion to queen, rook, bishop or knight.
#include <array>
#include <cstddef>

#include "games/chess/position.hpp"

namespace guildhall::games::chess {

// Enough for any position position::from_setup accepts: at most 15 pieces besides the king, none with more
// than 27 moves, plus 8 king moves and 2 castles. (Reachable positions have at most 218 legal moves.)
constexpr std::size_t kMaxMoves = 512;

// A fixed-capacity list so generation never allocates.
class move_list {
 public:
  void push_back(const move& m) { moves_[size_++] = m; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }
  move& operator[](std::size_t i) { return moves_[i]; }
  const move& operator[](std::size_t i) const { return moves_[i]; }
  move* begin() { return moves_.data(); }
  move* end() { return moves_.data() + size_; }
  const move* begin() const { return moves_.data(); }
  const move* end() const { return moves_.data() + size_; }

 private:
  std::array<move, kMaxMoves> moves_;
  std::size_t size_ = 0;
};

enum class move_filter {
  all,
  captures_and_promotions,  // what a quiescence search looks at
};

move_list legal_moves(const position& pos, move_filter filter = move_filter::all);
bool has_legal_move(const position& pos);

}  // namespace guildhall::games::chess
