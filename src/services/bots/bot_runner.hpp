#pragma once
// Threads that think for bots, so a network thread never waits for a chess engine. Each thread keeps one brain
// per game (bot_brain.hpp); a game without a brain plays a random legal move and declines every draw offer.
// Thread-safety: `think` and `consider_draw` from any thread; `done` runs on a bot thread.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/work_queue.hpp"
#include "services/bots/bot_brain.hpp"

namespace guildhall::services {

// Makes the brain for `game`, or nullptr: the runner then plays a random legal move.
using brain_factory = std::function<std::unique_ptr<bot_brain>(const std::string& game)>;
using bot_done = std::move_only_function<void(result<std::string>)>;
using draw_done = std::move_only_function<void(draw_answer)>;

class bot_runner {
 public:
  bot_runner(unsigned threads, brain_factory make_brain);
  ~bot_runner();
  void think(bot_job job, bot_done done);
  // Asks the brain whether to accept the draw offered in `job`'s position.
  void consider_draw(bot_job job, draw_done done);
  void stop();

 private:
  struct request {
    bot_job job;
    bot_done done;           // a move is wanted ...
    draw_done draw_decided;  // ... or, when this is set, an answer to a draw offer
  };
  struct worker {
    std::map<std::string, std::unique_ptr<bot_brain>> brains;
    std::unique_ptr<work_queue<request>> queue;
  };
  void run(worker& self, request& next);
  bot_brain* brain_for(worker& self, const std::string& game);
  // The brain's move, or a random legal one when the game has no brain or the brain fails.
  static result<std::string> choose(bot_brain* brain, const bot_job& job);

  brain_factory make_brain_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::atomic<unsigned> next_worker_{0};
};

}  // namespace guildhall::services
