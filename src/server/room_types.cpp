#include "server/room_types.hpp"

#include "games/arena/arena_type.hpp"
#include "games/dots/dots.hpp"

namespace guildhall::server {

void register_room_types(services::room_registry& types) {
  types.add(std::make_unique<games::dots_type>());
  types.add(std::make_unique<games::arena::arena_type>());
}

}  // namespace guildhall::server
