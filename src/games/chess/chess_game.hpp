#pragma once
// Chess for the turn engine: name "chess", two seats (0 white, 1 black).
// Options: {"fen": "<FEN>"} starts from that position instead of the standard one; other keys are ignored.
// Thread-safety: immutable, shared by every match.
#include <guildhall/turn_game.hpp>

namespace guildhall::games::chess {

inline constexpr std::string_view kFenOption = "fen";

class chess_game final : public turn_game {
 public:
  std::string_view name() const override { return "chess"; }
  int seats() const override { return 2; }
  std::expected<std::unique_ptr<game_state>, refusal> create(const game_options& options) const override;
  std::expected<std::unique_ptr<game_state>, refusal> restore(std::string_view serialized) const override;
};

}  // namespace guildhall::games::chess
