#pragma once
// Threads that think for bots, so a network thread never waits for a chess engine. A bot is a player like any
// other: the runner only proposes a move; the turn service plays it through the same checks as a human's.
// Thread-safety: `think` from any thread; `done` runs on a bot thread.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/work_queue.hpp"

namespace guildhall::services {

struct bot_job {
  std::string game;
  std::string view;                      // the game's view for the bot's seat (chess: FEN)
  std::vector<std::string> legal_moves;  // canonical
  std::uint32_t skill_level = 0;         // 0..20
  std::uint32_t move_time_ms = 0;
  std::uint64_t seed = 0;                // varies per move so equal positions need not repeat
};

// How a bot picks moves in one game. One per bot thread and game: it may keep state (a running engine).
class bot_brain {
 public:
  virtual ~bot_brain() = default;
  virtual result<std::string> choose_move(const bot_job& job) = 0;
};

// Makes the brain for `game`, or nullptr: the runner then plays a random legal move.
using brain_factory = std::function<std::unique_ptr<bot_brain>(const std::string& game)>;
using bot_done = std::move_only_function<void(result<std::string>)>;

class bot_runner {
 public:
  bot_runner(unsigned threads, brain_factory make_brain);
  ~bot_runner();
  void think(bot_job job, bot_done done);
  void stop();

 private:
  struct request {
    bot_job job;
    bot_done done;
  };
  struct worker {
    std::map<std::string, std::unique_ptr<bot_brain>> brains;
    std::unique_ptr<work_queue<request>> queue;
  };
  void run(worker& self, request& next);
  result<std::string> choose(worker& self, const bot_job& job);

  brain_factory make_brain_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::atomic<unsigned> next_worker_{0};
};

}  // namespace guildhall::services
