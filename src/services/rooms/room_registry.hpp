#pragma once
// The real-time room types this server offers, by name (filled by src/server/room_types.cpp).
#include <guildhall/room.hpp>

#include "services/named_registry.hpp"

namespace guildhall::services {

using room_registry = named_registry<room_type>;

}  // namespace guildhall::services
