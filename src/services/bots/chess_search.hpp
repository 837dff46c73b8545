#pragma once
// The built-in chess engine, for when stockfish is not installed: iterative-deepening negamax with alpha-beta,
// captures first (MVV-LVA), a quiescence search over captures and check evasions, and chess_evaluation.hpp's
// material and piece-square tables.
// It finds short mates and does not hang pieces to one-move tactics; it is not a strong player.
//
// Deterministic: the same position, budget and seed give the same move. The seed only decides between moves
// the search scores equally. Pure computation on the calling thread; it reads no clock, so its cost is bounded
// by `max_nodes`, not by time (the default takes a few tens of milliseconds on one core).
#include <cstdint>
#include <expected>
#include <optional>

#include "games/chess/chess_state.hpp"
#include "games/chess/position.hpp"

namespace guildhall::services::chess_bot {

using games::chess::chess_state;
using games::chess::move;
using games::chess::position;

constexpr int kMaxSearchDepth = 32;

struct search_budget {
  // Full-width plies; more sees deeper tactics, at about five times the nodes per ply.
  int max_depth = 6;
  // Positions visited (quiescence included) before the search stops and plays the best move of the last
  // depth it finished. Depth 1 always finishes, so some legal move is always returned. Lower it for a weaker,
  // faster bot.
  std::uint64_t max_nodes = 40'000;

  std::expected<void, refusal> validate() const;
};

// A score in centipawns beyond which the search has seen a forced mate (for or against the side to move).
constexpr int kMateThreshold = 90'000;

struct search_result {
  move best;
  int score = 0;  // centipawns, from the side to move's point of view, of the deepest search that finished
};

// The bot's move and what it thinks of the position, or nullopt when the side to move has no legal move. An
// invalid budget is clamped (depth to 1..kMaxSearchDepth).
std::optional<search_result> search(const position& pos, const search_budget& budget, std::uint64_t seed);
// The move of search().
std::optional<move> choose_move(const position& pos, const search_budget& budget, std::uint64_t seed);
// The same for a match; nullopt too when the game is over.
std::optional<move> choose_move(const chess_state& state, const search_budget& budget, std::uint64_t seed);

}  // namespace guildhall::services::chess_bot
