#pragma once
// Wiring for real-time play: which room types the server offers.
#include "services/rooms/room_registry.hpp"

namespace guildhall::server {

void register_room_types(services::room_registry& types);

}  // namespace guildhall::server
