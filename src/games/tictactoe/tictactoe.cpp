#include "games/tictactoe/tictactoe.hpp"

#include <algorithm>

namespace guildhall::games {
namespace {

constexpr int kLines[8][3] = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8},   // rows
                              {0, 3, 6}, {1, 4, 7}, {2, 5, 8},   // columns
                              {0, 4, 8}, {2, 4, 6}};             // diagonals
// A move list reads as moves, the mark and where it went ("X centre"), not as bare cell numbers.
constexpr const char* kCellNames[9] = {"top left", "top", "top right", "left", "centre", "right",
                                       "bottom left", "bottom", "bottom right"};

bool has_line(std::string_view cells, char mark) {
  return std::ranges::any_of(kLines, [&](const auto& line) {
    return std::ranges::all_of(line, [&](int cell) { return cells[cell] == mark; });
  });
}

class tictactoe_state final : public game_state {
 public:
  explicit tictactoe_state(std::string_view cells) : cells_(cells) {}
  // X moves first, so it is X's turn whenever both have played as often.
  seat to_move() const override { return std::ranges::count(cells_, 'X') == std::ranges::count(cells_, 'O') ? 0 : 1; }

  std::expected<accepted_move, refusal> apply(std::string_view move) override {
    if (move.size() != 1 || move[0] < '0' || move[0] > '8') {
      return std::unexpected("not a cell: '" + std::string(move) + "' (cells are 0 to 8)");
    }
    const int cell = move[0] - '0';
    if (cells_[cell] != '.') return std::unexpected("cell " + std::string(move) + " is taken");
    cells_[cell] = to_move() == 0 ? 'X' : 'O';
    return accepted_move{.canonical = std::string(move), .display = cells_[cell] + std::string(" ") + kCellNames[cell]};
  }

  std::optional<game_outcome> outcome() const override {
    if (has_line(cells_, 'X')) return game_outcome{.winner = 0, .reason = "three in a row"};
    if (has_line(cells_, 'O')) return game_outcome{.winner = 1, .reason = "three in a row"};
    if (!cells_.contains('.')) return game_outcome{.winner = std::nullopt, .reason = "board full"};
    return std::nullopt;
  }

  std::string view_for(seat) const override { return cells_; }  // nothing is hidden: all see the whole board

  std::vector<std::string> legal_moves() const override {
    if (outcome()) return {};
    std::vector<std::string> moves;
    for (int cell = 0; cell < 9; ++cell) {
      if (cells_[cell] == '.') moves.push_back(std::to_string(cell));
    }
    return moves;
  }

  std::string serialize() const override { return cells_; }  // the whole state: the turn follows from the marks

 private:
  std::string cells_;  // nine cells in reading order: 'X', 'O' or '.'
};

}  // namespace

std::expected<std::unique_ptr<game_state>, refusal> tictactoe_game::create(const game_options&) const {
  return std::make_unique<tictactoe_state>(".........");
}

// Stored text comes from serialize(), so a board it could never have written means the store is corrupt.
std::expected<std::unique_ptr<game_state>, refusal> tictactoe_game::restore(std::string_view cells) const {
  if (cells.size() != 9 || cells.find_first_not_of("XO.") != cells.npos) return std::unexpected("not a board");
  const auto x_lead = std::ranges::count(cells, 'X') - std::ranges::count(cells, 'O');
  if (x_lead != 0 && x_lead != 1) return std::unexpected("X moves first, so X has as many marks as O or one more");
  // Play stops at three in a row, so only the player who moved last can have one.
  if (has_line(cells, x_lead == 1 ? 'O' : 'X')) return std::unexpected("play went on after three in a row");
  return std::make_unique<tictactoe_state>(cells);
}

}  // namespace guildhall::games
