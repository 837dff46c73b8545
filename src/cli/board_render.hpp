#pragma once
// Game boards as lines of text for the terminal client, from the view the server sends: a chess position from
// its FEN (only the piece-placement field is read: the server validates moves, the client only draws), a
// tic-tac-toe board from its nine cells. Pure functions (tests/unit/board_render_test.cpp).
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace guildhall::cli {

struct chess_board_style {
  bool flipped = false;        // black's point of view: rank 1 at the top, file h on the left
  bool unicode = false;        // chess symbols instead of letters (letters read well in any font, even in tmux)
  std::string_view last_move = {};  // in UCI (e2e4); its two squares are drawn in [brackets]
};

// Ten lines: file letters, ranks 8 to 1 (or 1 to 8 when flipped) between rank numbers, file letters. White
// pieces are upper case (K Q R B N P), black lower case, empty squares dots. An invalid_argument error when the
// placement field is not eight ranks of eight squares.
result<std::vector<std::string>> render_chess_board(std::string_view fen, const chess_board_style& style);

// Five lines: three rows of X, O, or the number (0-8) to type for each empty cell. `last_move` (a cell number)
// is drawn in [brackets]. An invalid_argument error unless `cells` is nine of X, O and '.'.
result<std::vector<std::string>> render_tictactoe_board(std::string_view cells, std::string_view last_move);

}  // namespace guildhall::cli
