#pragma once
// GET /readyz: whether a load balancer should send this server new players. Ready means started, not draining,
// and the database answers a trivial query through a reader thread (the path every history and lookup takes)
// within readyz_timeout_ms. Otherwise 503 with a JSON reason. /healthz, by contrast, only says the process is alive.
// Thread-safety: `set_state` from any thread; `check` on a shard (it arms its deadline on the calling shard).
#include <atomic>
#include <cstdint>

#include "net/http_types.hpp"
#include "net/shard_pool.hpp"
#include "store/database.hpp"

namespace guildhall::server {

class readiness {
 public:
  enum class state : std::uint8_t { starting, serving, draining };

  readiness(store::database& db, net::shard_pool& shards, std::uint32_t timeout_ms)
      : db_(db), shards_(shards), timeout_ms_(timeout_ms) {}

  void set_state(state now) { state_.store(now, std::memory_order_release); }
  // Answers through `respond` exactly once: at once when not serving, else when the database answers or the
  // deadline passes, whichever comes first.
  void check(net::http_responder respond);

 private:
  store::database& db_;
  net::shard_pool& shards_;
  std::uint32_t timeout_ms_;
  std::atomic<state> state_{state::starting};
};

}  // namespace guildhall::server
