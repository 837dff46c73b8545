#pragma once
// Engine-wide settings of real-time rooms (rooms.* in the server configuration). Per-type settings (tick rate,
// seats, budgets) are the room type's own (include/guildhall/room.hpp, room_settings).
#include <cstdint>

#include "base/result.hpp"

namespace guildhall::services {

struct rooms_config {
  // How long a player whose connection dropped keeps the seat; a game sees on_leave(dropped) and then
  // on_leave(returned) or on_leave(left). Raise it for mobile players on flaky networks.
  std::int64_t reconnect_grace_ms = 20'000;
  // A room with no player (nor seat reservation) is disposed after this. Lower it on a busy server.
  std::int64_t empty_dispose_ms = 30'000;
  // A matchmaker's seat reservation unused for this long is released.
  std::int64_t reservation_ttl_ms = 15'000;
  // Rooms on this server at most (each costs a tick's CPU whether anyone plays or not).
  std::uint32_t max_rooms = 2'000;
  // Rooms one user may have created and still alive, so one client cannot fill the server.
  std::uint32_t max_rooms_per_user = 4;
  // Rooms one connection may be in at once (as player or spectator).
  std::uint32_t max_rooms_per_connection = 4;

  result<void> validate() const {
    if (reconnect_grace_ms < 0 || reconnect_grace_ms > 3'600'000) {
      return fail(errc::invalid_argument, "rooms.reconnect_grace_ms must be 0..3600000");
    }
    if (empty_dispose_ms < 0 || empty_dispose_ms > 86'400'000) {
      return fail(errc::invalid_argument, "rooms.empty_dispose_ms must be 0..86400000");
    }
    if (reservation_ttl_ms <= 0 || reservation_ttl_ms > 600'000) {
      return fail(errc::invalid_argument, "rooms.reservation_ttl_ms must be 1..600000");
    }
    if (max_rooms == 0 || max_rooms_per_user == 0 || max_rooms_per_connection == 0) {
      return fail(errc::invalid_argument, "rooms.max_rooms, max_rooms_per_user and max_rooms_per_connection must be positive");
    }
    return {};
  }
};

}  // namespace guildhall::services
