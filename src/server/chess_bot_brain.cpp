#include "server/chess_bot_brain.hpp"

#include <spdlog/spdlog.h>

#include "games/chess/bot.hpp"
#include "games/chess/fen.hpp"
#include "games/chess/uci.hpp"

namespace guildhall::server {

result<std::string> chess_bot_brain::choose_move(const services::bot_job& job) {
  if (!stockfish_missing_) {
    auto chosen = ask_stockfish(job);
    if (chosen) return chosen;
    if (chosen.error().code == errc::not_found && engine_) return chosen;  // no legal move: nothing else will find one
    spdlog::warn("stockfish: {}; the built-in engine moves instead", chosen.error().message);
  }
  return ask_builtin(job);
}

result<std::string> chess_bot_brain::ask_stockfish(const services::bot_job& job) {
  const int skill = static_cast<int>(job.skill_level);
  if (!engine_ || engine_skill_ != skill) {
    engine_.reset();
    services::uci_engine_options options;
    options.path = stockfish_path_;
    options.skill_level = skill;
    auto started = services::uci_engine::start(options);
    if (!started) {
      // Not installed: say so once and stop trying. Any other failure is retried with the next move.
      if (started.error().code == errc::not_found) stockfish_missing_ = true;
      return std::unexpected(started.error());
    }
    engine_ = std::move(*started);
    engine_skill_ = skill;
  }
  auto chosen = engine_->best_move(job.view, std::chrono::milliseconds(job.move_time_ms));
  if (!chosen && chosen.error().code == errc::internal) engine_.reset();
  return chosen;
}

result<std::string> chess_bot_brain::ask_builtin(const services::bot_job& job) {
  auto position = games::chess::parse_fen(job.view);
  if (!position) return fail(errc::internal, "bad FEN for the bot: " + position.error());
  games::chess::search_budget budget;
  // Skill 0..20 maps onto search depth 1..6, so "easy" bots are easy here too.
  budget.max_depth = 1 + static_cast<int>(job.skill_level) / 4;
  auto chosen = games::chess::choose_move(*position, budget, job.seed);
  if (!chosen) return fail(errc::not_found, "no legal move");
  return games::chess::to_uci(*chosen);
}

}  // namespace guildhall::server
