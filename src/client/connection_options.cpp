#include "client/connection_options.hpp"

namespace guildhall::client {

result<void> validate(const connection_options& options) {
  if (options.connect_timeout_ms == 0) return fail(errc::invalid_argument, "connect timeout must be over 0 ms");
  if (options.handshake_timeout_ms == 0) return fail(errc::invalid_argument, "handshake timeout must be over 0 ms");
  if (options.dead_after_ms != 0 && options.ping_interval_ms != 0 && options.dead_after_ms <= options.ping_interval_ms) {
    return fail(errc::invalid_argument, "dead_after_ms must exceed ping_interval_ms, or the pings' answers could not "
                                        "arrive in time");
  }
  return {};
}

std::string describe_ms(std::uint64_t ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  std::string text = std::to_string(ms / 1000);
  if (const auto tenths = (ms % 1000) / 100; tenths != 0) text += "." + std::to_string(tenths);
  return text + " s";
}

}  // namespace guildhall::client
