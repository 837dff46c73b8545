#pragma once
// The chess bot's brain: stockfish over UCI when it is installed (skill and thinking time per match), else the
// built-in engine (chess_search.hpp). A stockfish that fails is dropped for the built-in engine for this
// question and started afresh for the next, so a crashing engine never stalls a match.
//
// Draw offers: it accepts a dead draw (neither side has mating material) or a position its engine scores at
// kLosingCentipawns or worse for itself, and declines everything else.
// Thread-safety: one bot thread (see bot_runner.hpp).
#include <memory>
#include <optional>
#include <string>

#include "games/chess/position.hpp"
#include "services/bots/bot_brain.hpp"
#include "services/bots/uci_engine.hpp"

namespace guildhall::services {

// Two pawns down, or worse: a bot this far behind takes a draw rather than play the loss out.
inline constexpr int kLosingCentipawns = 200;

// The rule above, pure: `score_for_bot` is the engine's score from the bot's side (nullopt: it gave none).
draw_answer judge_draw_offer(const games::chess::position& pos, std::optional<int> score_for_bot);

class chess_bot_brain final : public bot_brain {
 public:
  explicit chess_bot_brain(std::string stockfish_path) : stockfish_path_(std::move(stockfish_path)) {}
  result<std::string> choose_move(const bot_job& job) override;
  draw_answer answer_draw_offer(const bot_job& job) override;

 private:
  // The move and the score from the side to move's point of view, from stockfish or else the built-in engine.
  result<uci_engine::search_answer> think(const bot_job& job);
  result<uci_engine::search_answer> ask_stockfish(const bot_job& job);
  static result<uci_engine::search_answer> ask_builtin(const bot_job& job);

  std::string stockfish_path_;
  std::unique_ptr<uci_engine> engine_;
  int engine_skill_ = -1;
  bool stockfish_missing_ = false;
};

}  // namespace guildhall::services
