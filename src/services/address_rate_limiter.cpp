#include "services/address_rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace guildhall::services {

void address_rate_limiter::refill(bucket& b, std::int64_t now_ms) const {
  if (now_ms > b.last_ms) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ms - b.last_ms) * per_ms_);
    b.last_ms = now_ms;
  }
}

void address_rate_limiter::forget_refilled(std::int64_t now_ms) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now_ms);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

bool address_rate_limiter::allow(const std::string& address, std::int64_t now_ms) {
  if (per_ms_ <= 0) return true;
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxAddresses) forget_refilled(now_ms);
    if (buckets_.size() >= kMaxAddresses) return false;
    it = buckets_.emplace(address, bucket{burst_, now_ms}).first;
  }
  refill(it->second, now_ms);
  if (it->second.tokens < 1.0) return false;
  it->second.tokens -= 1.0;
  return true;
}

std::uint32_t address_rate_limiter::retry_after_ms(const std::string& address, std::int64_t now_ms) {
  if (per_ms_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  const auto it = buckets_.find(address);
  if (it == buckets_.end()) return 0;
  refill(it->second, now_ms);
  if (it->second.tokens >= 1.0) return 0;
  return static_cast<std::uint32_t>(std::ceil((1.0 - it->second.tokens) / per_ms_));
}

}  // namespace guildhall::services
