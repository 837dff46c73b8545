#pragma once
// Close reasons, in ranges shared with every SDK (docs/protocol.md): 1xxx normal, 2xxx application,
// 3xxx server (retry later), 4xxx client (fix the client). On WebSocket the close frame carries the same code.
#include <cstdint>
#include <string_view>

namespace guildhall::wire {

enum class close_code : std::uint16_t {
  normal = 1000,
  server_shutdown = 3001,
  server_full = 3002,            // limits.max_connections reached: retry later
  too_many_connections = 4007,   // limits.max_connections_per_ip reached from this address
  idle_timeout = 4001,
  protocol_violation = 4002,
  auth_timeout = 4003,
  frame_too_large = 4004,
  flooding = 4005,
  slow_reader = 4006,
};

std::string_view to_string(close_code code);

}  // namespace guildhall::wire
