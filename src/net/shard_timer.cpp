#include "net/shard_timer.hpp"

#include <boost/asio/steady_timer.hpp>

#include "net/detail/shard_contexts.hpp"

namespace guildhall::net {

struct shard_timer::impl {
  explicit impl(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
};

shard_timer::shard_timer(shard_pool& shards, unsigned shard)
    : impl_(std::make_unique<impl>(shards.contexts().shards[shard]->io)) {}

shard_timer::~shard_timer() = default;  // the timer's destructor cancels: the handler sees operation_aborted

void shard_timer::run_at(std::chrono::steady_clock::time_point at, task work) {
  impl_->timer.expires_at(at);  // cancels a pending wait
  impl_->timer.async_wait([work = std::move(work)](const boost::system::error_code& ec) mutable {
    if (!ec) work();
  });
}

void shard_timer::cancel() { impl_->timer.cancel(); }

}  // namespace guildhall::net
