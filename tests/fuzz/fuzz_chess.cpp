// libFuzzer target: the chess module's decoders of hostile text, as the server meets them: a FEN from
// CreateMatch options, moves from MakeMove (UCI or SAN), and stored state read back by restore. Input layout:
// the first line is a FEN (or, if it starts with "guildhall-chess", the whole input is stored state); every
// further line is a move. Invariants: nothing crashes; a refused move leaves the position unchanged; an accepted
// move is one of the legal moves; a state always restores to an equal state.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "games/chess/chess_game.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const guildhall::games::chess::chess_game chess;
  if (input.starts_with("guildhall-chess")) {
    if (auto state = chess.restore(input)) {
      if (!chess.restore((*state)->serialize())) std::abort();
    }
    return 0;
  }
  const auto line_end = input.find('\n');
  guildhall::game_options options;
  if (line_end != 0) options.emplace("fen", std::string(input.substr(0, line_end)));
  auto created = chess.create(options);
  if (!created) return 0;
  auto& state = **created;
  std::string_view moves = line_end == std::string_view::npos ? std::string_view() : input.substr(line_end + 1);
  while (!moves.empty() && !state.outcome()) {
    const auto end = moves.find('\n');
    const auto move = moves.substr(0, end);
    const std::string before = state.view_for(-1);
    const auto legal = state.legal_moves();
    if (auto accepted = state.apply(move)) {
      if (std::find(legal.begin(), legal.end(), accepted->canonical) == legal.end()) std::abort();
    } else if (state.view_for(-1) != before) {
      std::abort();
    }
    if (end == std::string_view::npos) break;
    moves.remove_prefix(end + 1);
  }
  auto restored = chess.restore(state.serialize());
  if (!restored || (*restored)->view_for(-1) != state.view_for(-1)) std::abort();
  return 0;
}
