#include "games/chess/chess_game.hpp"

#include "games/chess/chess_state.hpp"
#include "games/chess/fen.hpp"

namespace guildhall::games::chess {
namespace {

std::expected<std::unique_ptr<game_state>, refusal> boxed(std::expected<chess_state, refusal> state) {
  if (!state) return std::unexpected(state.error());
  return std::make_unique<chess_state>(std::move(*state));
}

}  // namespace

std::expected<std::unique_ptr<game_state>, refusal> chess_game::create(const game_options& options) const {
  const auto fen = options.find(kFenOption);
  if (fen == options.end()) return boxed(chess_state::start_from(position{}));
  const auto start = parse_fen(fen->second);
  if (!start) return std::unexpected("bad FEN: " + start.error());
  return boxed(chess_state::start_from(*start));
}

std::expected<std::unique_ptr<game_state>, refusal> chess_game::restore(std::string_view serialized) const {
  return boxed(chess_state::deserialize(serialized));
}

}  // namespace guildhall::games::chess
