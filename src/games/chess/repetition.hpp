#pragma once
// Threefold repetition: how often the current position has occurred in the game.
#include <array>
#include <cstdint>
#include <vector>

#include "games/chess/position.hpp"

namespace guildhall::games::chess {

// What makes two positions "the same" for repetition (FIDE 9.2.3): the pieces on their squares, the side to
// move, castling rights, and the en-passant square only when an en-passant capture is actually legal. The
// whole board is compared, not a hash, so no collision can ever declare a false draw.
struct position_key {
  std::array<piece, 64> board{};
  color side_to_move = color::white;
  castling_rights castling = 0;
  square en_passant = kNoSquare;

  friend bool operator==(const position_key&, const position_key&) = default;
};

position_key key_of(const position& pos);

// The positions since the last pawn move or capture: nothing before one can recur, so the history stays
// short (the fifty-move rule ends the game after 100 entries).
class repetition_history {
 public:
  // Records the position reached after a move (or the start position).
  void record(const position& pos);
  // How often the most recently recorded position has occurred, itself included.
  int occurrences_of_latest() const;

 private:
  std::vector<position_key> keys_;
};

}  // namespace guildhall::games::chess
