#pragma once
// Shared-nothing shards: one io_context and one thread per shard. State that lives on a shard (connections,
// channels, presence) is touched only by that shard's thread; other threads reach it by `post`.
// This header is free of Asio so services can use shards without seeing transport details.
// Thread-safety: `post` and `current_shard` may be called from any thread; `start`/`stop` from the
// owner thread only.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace guildhall::net {

using task = std::move_only_function<void()>;

namespace detail {
struct shard_contexts;
}

class shard_pool {
 public:
  explicit shard_pool(unsigned shard_count);
  ~shard_pool();
  shard_pool(const shard_pool&) = delete;
  shard_pool& operator=(const shard_pool&) = delete;

  unsigned size() const;
  void post(unsigned shard, task work);
  // Runs `work` on `shard` once `delay` has passed (never earlier); dropped if the pool stops first.
  void post_after(unsigned shard, std::chrono::milliseconds delay, task work);

  void start();
  // Stops every shard's loop and joins the threads; queued work that has not run is dropped.
  void stop();

  // The shard the calling thread runs, or nullopt off the shards (database threads, main).
  static std::optional<unsigned> current_shard();

  detail::shard_contexts& contexts() { return *contexts_; }

 private:
  std::unique_ptr<detail::shard_contexts> contexts_;
};

}  // namespace guildhall::net
