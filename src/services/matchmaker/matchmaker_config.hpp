#pragma once
#include <cmath>
#include <cstdint>

#include "base/result.hpp"

namespace guildhall::services {

struct matchmaker_config {
  // How often the queues are searched for matches. Lower finds matches sooner at the cost of more passes; a pass
  // over a full queue is bounded (matchmaking::kMaxChecksPerPass).
  std::uint32_t interval_ms = 1'000;
  // How fast a query's numeric range widens per second waited, on each side, when the query does not say
  // (MatchmakerRange.widen_per_second). In the units of the property: 10 rating points a second by default.
  double widen_per_second = 10;
  // The most a range widens on each side when the query does not say (MatchmakerRange.max_widen).
  double max_widen = 500;
  // Tickets waiting per room type; MatchmakerAdd past it is refused (UNAVAILABLE). Bounds memory and search time.
  std::uint32_t max_tickets = 10'000;
  // A match smaller than its tickets' max_count forms only once its oldest ticket has waited this long: a full
  // room first, a smaller one rather than none later. 0 forms whatever reaches min_count at once.
  std::uint32_t fill_wait_ms = 10'000;

  result<void> validate() const {
    if (interval_ms == 0 || interval_ms > 60'000) {
      return fail(errc::invalid_argument, "matchmaker.interval_ms must be 1..60000");
    }
    if (!std::isfinite(widen_per_second) || widen_per_second < 0 || !std::isfinite(max_widen) || max_widen < 0 ||
        max_widen > 1e9) {
      return fail(errc::invalid_argument, "matchmaker.widen_per_second and max_widen must be 0 or more (max_widen at most 1e9)");
    }
    if (max_tickets == 0 || max_tickets > 1'000'000) {
      return fail(errc::invalid_argument, "matchmaker.max_tickets must be 1..1000000");
    }
    return {};
  }
};

}  // namespace guildhall::services
