#pragma once
// One chess position: the board, the side to move, castling rights, the en-passant square and the two clocks.
// A value type (about 140 bytes, cheap to copy). make() / unmake() play and take back a move the generator
// produced; the rules that need history (repetition) live in chess_state, not here.
// Thread-safety: none needed; a position is a value, each thread uses its own.
#include <array>
#include <cstdint>
#include <expected>

#include <guildhall/turn_game.hpp>

#include "games/chess/types.hpp"

namespace guildhall::games::chess {

// Clocks above this are refused: nothing legal comes near it, and a bound keeps arithmetic on them boring.
constexpr int kMaxClock = 9999;

// What a FEN says, before anyone checked that it makes sense; position::from_setup does the checking.
struct position_setup {
  std::array<piece, 64> board{};  // index = rank * 8 + file: a1, b1, ..., h8
  color side_to_move = color::white;
  castling_rights castling = 0;
  square en_passant = kNoSquare;
  int halfmove_clock = 0;
  int fullmove_number = 1;
};

// What make() returns so that unmake() can restore the position exactly.
struct undo_info {
  piece captured = piece::none;
  castling_rights castling = 0;
  square en_passant = kNoSquare;
  std::uint16_t halfmove_clock = 0;
};

class position {
 public:
  // The standard starting position.
  position();

  // Refuses positions no game of chess could have reached in ways that would break the rules code: a missing
  // or extra king, pawns on the first or last rank, more than 16 pieces or 8 pawns a side, castling rights
  // without the king and rook on their squares, an en-passant square no double pawn push could have left, and
  // the side not to move being in check.
  static std::expected<position, refusal> from_setup(const position_setup& setup);

  piece at(square sq) const { return board_[sq]; }
  color side_to_move() const { return side_; }
  castling_rights castling() const { return castling_; }
  // The square a pawn skipped on the last move, or kNoSquare. After a double push it is only set when an
  // enemy pawn stands beside the pawn that moved, so positions that differ in nothing else compare equal.
  square en_passant() const { return en_passant_; }
  int halfmove_clock() const { return halfmove_clock_; }
  int fullmove_number() const { return fullmove_number_; }
  square king_square(color c) const { return kings_[static_cast<int>(c)]; }

  // Whether any piece of `by` attacks `sq` (pins do not matter: a pinned piece still gives check).
  bool attacked(square sq, color by) const;
  bool in_check() const { return attacked(king_square(side_), opposite(side_)); }

  // Plays `m`, which must come from the move generator for this very position (it is not validated here).
  undo_info make(const move& m);
  // Takes back `m`, given what make(m) returned.
  void unmake(const move& m, const undo_info& undo);

  friend bool operator==(const position&, const position&) = default;

 private:
  void move_piece(square from, square to);
  void set_en_passant_after_double_push(square to);

  std::array<piece, 128> board_{};
  std::array<square, 2> kings_{kNoSquare, kNoSquare};
  color side_ = color::white;
  castling_rights castling_ = 0;
  square en_passant_ = kNoSquare;
  std::uint16_t halfmove_clock_ = 0;
  std::uint16_t fullmove_number_ = 1;
};

}  // namespace guildhall::games::chess
