#pragma once
// Tic-tac-toe, the game docs/writing-a-turn-based-game.md walks through: pure rules on the public header alone.
//
// Seat 0 plays X and moves first. A move names an empty cell, "0".."8" in reading order (left to right, top to
// bottom). Views and saved states are the nine cells in that order, each 'X', 'O' or '.': "X...O...." is X in a
// corner and O in the centre.
#include <guildhall/turn_game.hpp>

namespace guildhall::games {

class tictactoe_game final : public turn_game {
 public:
  std::string_view name() const override { return "tictactoe"; }
  int seats() const override { return 2; }
  std::expected<std::unique_ptr<game_state>, refusal> create(const game_options& options) const override;
  std::expected<std::unique_ptr<game_state>, refusal> restore(std::string_view cells) const override;
};

}  // namespace guildhall::games
