#include "services/bots/chess_bot_brain.hpp"

#include <spdlog/spdlog.h>

#include "games/chess/fen.hpp"
#include "games/chess/rules.hpp"
#include "games/chess/uci.hpp"
#include "services/bots/chess_search.hpp"

namespace guildhall::services {
namespace chess = games::chess;

draw_answer judge_draw_offer(const chess::position& pos, std::optional<int> score_for_bot) {
  const bool dead = !chess::can_mate(pos, chess::color::white) && !chess::can_mate(pos, chess::color::black);
  if (dead || (score_for_bot && *score_for_bot <= -kLosingCentipawns)) return draw_answer::accept;
  return draw_answer::decline;
}

result<std::string> chess_bot_brain::choose_move(const bot_job& job) {
  auto answer = think(job);
  if (!answer) return std::unexpected(answer.error());
  return std::move(answer->move);
}

draw_answer chess_bot_brain::answer_draw_offer(const bot_job& job) {
  auto position = chess::parse_fen(job.view);
  if (!position) return draw_answer::decline;
  const auto bot = job.seat == 0 ? chess::color::white : chess::color::black;
  std::optional<int> score;
  if (auto answer = think(job); answer && answer->score) {
    score = position->side_to_move() == bot ? *answer->score : -*answer->score;
  }
  const auto decided = judge_draw_offer(*position, score);
  spdlog::debug("bot: draw offer {} at score {}", decided == draw_answer::accept ? "accepted" : "declined",
                score ? std::to_string(*score) : "none");
  return decided;
}

result<uci_engine::search_answer> chess_bot_brain::think(const bot_job& job) {
  if (!stockfish_missing_) {
    auto answer = ask_stockfish(job);
    if (answer) return answer;
    if (answer.error().code == errc::not_found && engine_) return answer;  // no legal move: nothing else will find one
    spdlog::warn("stockfish: {}; the built-in engine moves instead", answer.error().message);
  }
  return ask_builtin(job);
}

result<uci_engine::search_answer> chess_bot_brain::ask_stockfish(const bot_job& job) {
  const int skill = static_cast<int>(job.skill_level);
  if (!engine_ || engine_skill_ != skill) {
    engine_.reset();
    uci_engine_options options;
    options.path = stockfish_path_;
    options.skill_level = skill;
    auto started = uci_engine::start(options);
    if (!started) {
      // Not installed: say so once and stop trying. Any other failure is retried with the next question.
      if (started.error().code == errc::not_found) stockfish_missing_ = true;
      return std::unexpected(started.error());
    }
    engine_ = std::move(*started);
    engine_skill_ = skill;
  }
  auto answer = engine_->search(job.view, std::chrono::milliseconds(job.move_time_ms));
  if (!answer && answer.error().code == errc::internal) engine_.reset();
  return answer;
}

result<uci_engine::search_answer> chess_bot_brain::ask_builtin(const bot_job& job) {
  auto position = chess::parse_fen(job.view);
  if (!position) return fail(errc::internal, "bad FEN for the bot: " + position.error());
  chess_bot::search_budget budget;
  // Skill 0..20 maps onto search depth 1..6, so "easy" bots are easy here too.
  budget.max_depth = 1 + static_cast<int>(job.skill_level) / 4;
  auto found = chess_bot::search(*position, budget, job.seed);
  if (!found) return fail(errc::not_found, "no legal move");
  return uci_engine::search_answer{chess::to_uci(found->best), found->score};
}

}  // namespace guildhall::services
