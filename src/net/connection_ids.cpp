#include "net/connection_ids.hpp"

#include <atomic>

namespace guildhall::net {

std::uint64_t next_connection_id() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace guildhall::net
