#include "client/reconnect_policy.hpp"

#include <algorithm>
#include <cmath>

#include "wire/close_code.hpp"

namespace guildhall::client {

bool worth_reconnecting(std::optional<std::uint16_t> close_code) {
  if (!close_code) return true;
  const std::uint16_t code = *close_code;
  if (code >= 3000 && code < 4000) return true;
  return code == static_cast<std::uint16_t>(wire::close_code::idle_timeout) ||
         code == static_cast<std::uint16_t>(wire::close_code::slow_reader) ||
         code == 1001 || code == 1006 || code == 1011 || code == 1012 || code == 1013;  // RFC 6455: going away,
                                                                                        // abnormal, restarting
}

std::chrono::milliseconds retry_delay(const reconnect_options& options, std::uint32_t attempt, double unit_random) {
  const std::uint32_t doublings = std::min<std::uint32_t>(attempt == 0 ? 0 : attempt - 1, 20);
  const double base = std::min<double>(static_cast<double>(options.first_delay_ms) * std::pow(2.0, doublings),
                                       options.max_delay_ms);
  const double spread = std::clamp(options.jitter, 0.0, 1.0);
  const double factor = 1.0 - spread + 2.0 * spread * std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(base * factor)));
}

}  // namespace guildhall::client
