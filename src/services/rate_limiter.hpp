#pragma once
// Token bucket: `rate_per_s` tokens a second, up to `burst`. Time is injected so tests need no sleeping.
// Thread-safety: none; one bucket per user per shard.
#include <algorithm>
#include <cstdint>

namespace guildhall::services {

class token_bucket {
 public:
  token_bucket(double rate_per_s, double burst, std::int64_t now_ms)
      : rate_per_ms_(rate_per_s / 1000.0), burst_(burst), tokens_(burst), last_ms_(now_ms) {}

  bool try_take(std::int64_t now_ms) {
    if (now_ms > last_ms_) {
      tokens_ = std::min(burst_, tokens_ + static_cast<double>(now_ms - last_ms_) * rate_per_ms_);
      last_ms_ = now_ms;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_per_ms_;
  double burst_;
  double tokens_;
  std::int64_t last_ms_;
};

}  // namespace guildhall::services
