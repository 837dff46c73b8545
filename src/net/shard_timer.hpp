#pragma once
// A reusable timer on one shard, for work that recurs at times of its own (a room's ticks): one Asio timer for
// the owner's whole life instead of one allocated per wait (shard_pool::post_after). Asio-free header.
// Thread-safety: create, use and destroy on its shard. Destroying it cancels the pending wait; a cancelled
// wait's work is dropped without being called, so work may capture its owner.
#include <chrono>
#include <memory>

#include "net/shard_pool.hpp"

namespace guildhall::net {

class shard_timer {
 public:
  shard_timer(shard_pool& shards, unsigned shard);
  ~shard_timer();
  shard_timer(const shard_timer&) = delete;
  shard_timer& operator=(const shard_timer&) = delete;

  // Runs `work` on the shard once `at` has passed, replacing (cancelling) any wait still pending.
  void run_at(std::chrono::steady_clock::time_point at, task work);
  void cancel();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace guildhall::net
