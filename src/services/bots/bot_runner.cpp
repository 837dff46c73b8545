#include "services/bots/bot_runner.hpp"

#include <chrono>
#include <random>

#include "services/service_metrics.hpp"

namespace guildhall::services {
namespace {

std::uint64_t elapsed_us(std::chrono::steady_clock::time_point since) {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(duration_cast<microseconds>(steady_clock::now() - since).count());
}

}  // namespace

bot_runner::bot_runner(unsigned threads, brain_factory make_brain) : make_brain_(std::move(make_brain)) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) {
    auto self = std::make_unique<worker>();
    self->queue = std::make_unique<work_queue<request>>([this, raw = self.get()](std::deque<request>& batch) {
      for (auto& next : batch) run(*raw, next);
    });
    workers_.push_back(std::move(self));
  }
}

bot_runner::~bot_runner() { stop(); }

void bot_runner::think(bot_job job, bot_done done) {
  const unsigned index = next_worker_.fetch_add(1, std::memory_order_relaxed) % workers_.size();
  workers_[index]->queue->push(request{std::move(job), std::move(done), {}});
}

void bot_runner::consider_draw(bot_job job, draw_done done) {
  const unsigned index = next_worker_.fetch_add(1, std::memory_order_relaxed) % workers_.size();
  workers_[index]->queue->push(request{std::move(job), {}, std::move(done)});
}

void bot_runner::stop() {
  for (auto& self : workers_) self->queue->stop();
}

bot_brain* bot_runner::brain_for(worker& self, const std::string& game) {
  auto& brain = self.brains[game];
  if (!brain && make_brain_) brain = make_brain_(game);
  return brain.get();
}

void bot_runner::run(worker& self, request& next) {
  auto* brain = brain_for(self, next.job.game);
  if (next.draw_decided) return next.draw_decided(brain ? brain->answer_draw_offer(next.job) : draw_answer::decline);
  const auto started = std::chrono::steady_clock::now();
  auto chosen = choose(brain, next.job);
  services_metrics().bot_think.observe(0, elapsed_us(started));
  next.done(std::move(chosen));
}

result<std::string> bot_runner::choose(bot_brain* brain, const bot_job& job) {
  if (brain) {
    auto chosen = brain->choose_move(job);
    if (chosen || job.legal_moves.empty()) return chosen;
  }
  if (job.legal_moves.empty()) return fail(errc::not_found, "no legal move");
  std::mt19937_64 random(job.seed);
  std::uniform_int_distribution<std::size_t> pick(0, job.legal_moves.size() - 1);
  return job.legal_moves[pick(random)];
}

}  // namespace guildhall::services
