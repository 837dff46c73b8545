#include "bench/client_pump.hpp"

#include <time.h>

#include <algorithm>

namespace guildhall::bench {

namespace {

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

}  // namespace

client_pump::client_pump(boost::asio::io_context& io, std::chrono::microseconds period)
    : timer_(io), period_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(period)) {}

void client_pump::add(guildhall::client::client& client) {
  clients_.push_back(&client);
  ++live_;
  if (running_ || stopped_) return;
  running_ = true;
  next_ = std::chrono::steady_clock::now();
  schedule();
}

void client_pump::remove(guildhall::client::client& client) {
  const auto found = std::find(clients_.begin(), clients_.end(), &client);
  if (found == clients_.end()) return;
  *found = nullptr;
  --live_;
  holes_ = true;
}

void client_pump::stop() {
  stopped_ = true;
  running_ = false;
  timer_.cancel();
}

// On a fixed grid (next_ += period): a round that overran the period is followed at once by the next, never by a
// pile of them.
void client_pump::schedule() {
  const auto now = std::chrono::steady_clock::now();
  next_ = std::max(next_ + period_, now);
  timer_.expires_at(next_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    round();
    schedule();
  });
}

void client_pump::round() {
  const double start = thread_cpu_seconds();
  // By index: a poll may add clients (they wait for the next round) or remove some (left as holes).
  const std::size_t count = clients_.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (auto* client = clients_[i]) {
      client->poll();
      ++counts_.polls;
    }
  }
  if (holes_) {
    std::erase(clients_, nullptr);
    holes_ = false;
  }
  ++counts_.rounds;
  counts_.busy_seconds += thread_cpu_seconds() - start;
}

}  // namespace guildhall::bench
