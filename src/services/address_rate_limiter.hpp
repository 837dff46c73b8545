#pragma once
// A token bucket per client address, for the HTTP requests a stranger can make expensive: login and register
// (an argon2 run each), leaderboards and PGN (database reads). The map is bounded: past `kMaxAddresses` the
// buckets that have refilled (addresses gone quiet) are forgotten, and if every one is still busy the request is
// refused: a flood from many addresses then costs us a refusal, not memory.
// Thread-safety: every member from any thread; one mutex of its own, held only inside `allow`, never while
// calling out.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace guildhall::services {

class address_rate_limiter {
 public:
  static constexpr std::size_t kMaxAddresses = 10'000;

  // `per_minute` requests a minute per address, up to `burst` at once. `per_minute` 0 disables the limit.
  address_rate_limiter(double per_minute, double burst) : per_ms_(per_minute / 60'000.0), burst_(burst) {}

  // True when the address may make one more request now (and counts it).
  bool allow(const std::string& address, std::int64_t now_ms);
  // How long until the address has a token again, for Retry-After (0 when it has one).
  std::uint32_t retry_after_ms(const std::string& address, std::int64_t now_ms);

 private:
  struct bucket {
    double tokens;
    std::int64_t last_ms;
  };
  void refill(bucket& b, std::int64_t now_ms) const;
  void forget_refilled(std::int64_t now_ms);

  const double per_ms_;
  const double burst_;
  std::mutex mutex_;  // guards buckets_
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace guildhall::services
