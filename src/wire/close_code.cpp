#include "wire/close_code.hpp"

namespace guildhall::wire {

std::string_view to_string(close_code code) {
  switch (code) {
    case close_code::normal: return "normal";
    case close_code::server_shutdown: return "server shutting down";
    case close_code::server_full: return "server full: too many connections";
    case close_code::too_many_connections: return "too many connections from this address";
    case close_code::idle_timeout: return "idle timeout";
    case close_code::protocol_violation: return "too many malformed frames";
    case close_code::auth_timeout: return "did not authenticate in time";
    case close_code::frame_too_large: return "frame too large";
    case close_code::flooding: return "kept sending past the rate limit";
    case close_code::slow_reader: return "reader too slow: outbound queue over its limit";
  }
  return "unknown";
}

}  // namespace guildhall::wire
