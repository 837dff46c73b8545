#include "cli/board_render.hpp"

#include <array>
#include <optional>

namespace guildhall::cli {
namespace {

// The board as 64 squares, a8 first (FEN order); '.' for an empty square.
using squares = std::array<char, 64>;

result<squares> parse_placement(std::string_view fen) {
  const std::string_view placement = fen.substr(0, fen.find(' '));
  auto refuse = [&] { return fail(errc::invalid_argument, "not a chess position: '" + std::string(placement) + "'"); };
  squares board;
  board.fill('.');
  int rank = 0;
  int file = 0;
  for (const char c : placement) {
    if (c == '/') {
      if (file != 8 || ++rank > 7) return refuse();
      file = 0;
    } else if (c >= '1' && c <= '8') {
      file += c - '0';
      if (file > 8) return refuse();
    } else if (std::string_view("pnbrqkPNBRQK").find(c) != std::string_view::npos) {
      if (file > 7) return refuse();
      board[static_cast<std::size_t>(rank * 8 + file++)] = c;
    } else {
      return refuse();
    }
  }
  if (rank != 7 || file != 8) return refuse();
  return board;
}

// The square index (a8 = 0) of "e2", or nullopt.
std::optional<int> square_index(std::string_view name) {
  if (name.size() != 2 || name[0] < 'a' || name[0] > 'h' || name[1] < '1' || name[1] > '8') return std::nullopt;
  return ('8' - name[1]) * 8 + (name[0] - 'a');
}

std::string_view piece_symbol(char piece) {
  switch (piece) {
    case 'K': return "♔";
    case 'Q': return "♕";
    case 'R': return "♖";
    case 'B': return "♗";
    case 'N': return "♘";
    case 'P': return "♙";
    case 'k': return "♚";
    case 'q': return "♛";
    case 'r': return "♜";
    case 'b': return "♝";
    case 'n': return "♞";
    case 'p': return "♟";
    default: return ".";
  }
}

// Three columns per square leave room for the brackets that mark the last move without shifting the board.
std::string square_text(char piece, bool unicode, bool marked) {
  std::string text(marked ? "[" : " ");
  if (unicode) text += piece_symbol(piece);
  else text += piece;
  text += marked ? "]" : " ";
  return text;
}

}  // namespace

result<std::vector<std::string>> render_chess_board(std::string_view fen, const chess_board_style& style) {
  auto board = parse_placement(fen);
  if (!board) return std::unexpected(board.error());
  std::optional<int> from;
  std::optional<int> to;
  if (style.last_move.size() >= 4) {
    from = square_index(style.last_move.substr(0, 2));
    to = square_index(style.last_move.substr(2, 2));
  }
  std::string files = "    ";
  for (int column = 0; column < 8; ++column) {
    files += ' ';
    files += static_cast<char>(style.flipped ? 'h' - column : 'a' + column);
    files += ' ';
  }
  files.pop_back();
  std::vector<std::string> lines{files};
  for (int row = 0; row < 8; ++row) {
    const int rank = style.flipped ? 7 - row : row;  // 0 is rank 8, as in the FEN
    const char rank_label = static_cast<char>('8' - rank);
    std::string line = "  ";
    line += rank_label;
    line += ' ';
    for (int column = 0; column < 8; ++column) {
      const int square = rank * 8 + (style.flipped ? 7 - column : column);
      const bool marked = square == from || square == to;
      line += square_text((*board)[static_cast<std::size_t>(square)], style.unicode, marked);
    }
    line += ' ';
    line += rank_label;
    lines.push_back(std::move(line));
  }
  lines.push_back(files);
  return lines;
}

result<std::vector<std::string>> render_tictactoe_board(std::string_view cells, std::string_view last_move) {
  if (cells.size() != 9 || cells.find_first_not_of("XO.") != std::string_view::npos) {
    return fail(errc::invalid_argument, "not a tic-tac-toe board: '" + std::string(cells) + "'");
  }
  const int marked = last_move.size() == 1 && last_move[0] >= '0' && last_move[0] <= '8' ? last_move[0] - '0' : -1;
  std::vector<std::string> lines;
  for (int row = 0; row < 3; ++row) {
    if (row > 0) lines.emplace_back(" ---+---+---");
    std::string line = " ";
    for (int column = 0; column < 3; ++column) {
      const int cell = row * 3 + column;
      const char mark = cells[static_cast<std::size_t>(cell)];
      if (column > 0) line += '|';
      line += cell == marked ? '[' : ' ';
      line += mark == '.' ? static_cast<char>('0' + cell) : mark;
      line += cell == marked ? ']' : ' ';
    }
    if (line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace guildhall::cli
