#pragma once
// When and whether a session reconnects: pure functions, unit-tested (tests/unit/reconnect_policy_test.cpp).
#include <chrono>
#include <cstdint>
#include <optional>

namespace guildhall::client {

struct reconnect_options {
  // The first retry waits about this long; each failed attempt doubles it, up to max_delay_ms.
  std::uint32_t first_delay_ms = 2000;
  std::uint32_t max_delay_ms = 30000;
  // Each delay is drawn from [d * (1 - jitter), d * (1 + jitter)]: after a server restart its players do not all
  // come back in the same millisecond.
  double jitter = 0.2;
  // Consecutive failed attempts before giving up (about five minutes with the delays above); 0 never retries.
  std::uint32_t max_attempts = 14;
};

// Whether a connection that ended with `close_code` is worth reconnecting (close codes in ranges, docs/protocol.md):
// none (the transport failed or the connection went silent) and 3xxx (the server is shutting down or overloaded:
// come back later) are; 1xxx (a normal close), 2xxx (the application sent us away) and the 4xxx that mean our
// client is at fault (protocol violation, failed authentication, frames too large, flooding) are not. 4001 (we
// were idle) and 4006 (we read too slowly) are transient and worth another try.
bool worth_reconnecting(std::optional<std::uint16_t> close_code);

// The wait before attempt `attempt` (1 for the first retry). `unit_random` is uniform in [0, 1): randomness is
// injected so that tests can pin it.
std::chrono::milliseconds retry_delay(const reconnect_options& options, std::uint32_t attempt, double unit_random);

}  // namespace guildhall::client
