#include "net/shard_pool.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/detail/shard_contexts.hpp"

namespace guildhall::net {
namespace {
thread_local std::optional<unsigned> this_thread_shard;
}

shard_pool::shard_pool(unsigned shard_count) : contexts_(std::make_unique<detail::shard_contexts>()) {
  for (unsigned i = 0; i < std::max(1u, shard_count); ++i) {
    contexts_->shards.push_back(std::make_unique<detail::shard_context>());
    // Asio creates a context's reactor (an epoll descriptor, an eventfd, a timerfd) on first use, and throws if it
    // cannot. Create it now: a first connection handed to this shard while descriptors run out would otherwise
    // take the whole server down. A timer's service makes the reactor and outlives the timer.
    boost::asio::steady_timer make_reactor(contexts_->shards.back()->io);
  }
}

shard_pool::~shard_pool() { stop(); }

unsigned shard_pool::size() const { return static_cast<unsigned>(contexts_->shards.size()); }

void shard_pool::post(unsigned shard, task work) {
  boost::asio::post(contexts_->shards[shard]->io, std::move(work));
}

void shard_pool::post_after(unsigned shard, std::chrono::milliseconds delay, task work) {
  auto timer = std::make_shared<boost::asio::steady_timer>(contexts_->shards[shard]->io, delay);
  timer->async_wait([timer, work = std::move(work)](const boost::system::error_code& ec) mutable {
    if (!ec) work();
  });
}

void shard_pool::start() {
  for (unsigned i = 0; i < size(); ++i) {
    contexts_->threads.emplace_back([this, i] {
      this_thread_shard = i;
      contexts_->shards[i]->io.run();
    });
  }
}

void shard_pool::stop() {
  for (auto& shard : contexts_->shards) {
    shard->keep_running.reset();
    shard->io.stop();
  }
  for (auto& thread : contexts_->threads) {
    if (thread.joinable()) thread.join();
  }
  contexts_->threads.clear();
}

std::optional<unsigned> shard_pool::current_shard() { return this_thread_shard; }

}  // namespace guildhall::net
