#pragma once
// The chess bot's brain: stockfish over UCI when it is installed (skill and thinking time per match), else the
// built-in engine of games/chess. A stockfish that fails is dropped for the built-in engine for this move and
// started afresh for the next, so a crashing engine never stalls a match.
// Thread-safety: one bot thread (see services/turns/bot_runner.hpp).
#include <memory>
#include <string>

#include "services/bots/uci_engine.hpp"
#include "services/turns/bot_runner.hpp"

namespace guildhall::server {

class chess_bot_brain final : public services::bot_brain {
 public:
  explicit chess_bot_brain(std::string stockfish_path) : stockfish_path_(std::move(stockfish_path)) {}
  result<std::string> choose_move(const services::bot_job& job) override;

 private:
  result<std::string> ask_stockfish(const services::bot_job& job);
  static result<std::string> ask_builtin(const services::bot_job& job);

  std::string stockfish_path_;
  std::unique_ptr<services::uci_engine> engine_;
  int engine_skill_ = -1;
  bool stockfish_missing_ = false;
};

}  // namespace guildhall::server
