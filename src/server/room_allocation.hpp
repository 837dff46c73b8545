#pragma once
// Wiring between the matchmaker and the room engine: a formed match becomes a room with a seat reserved for
// each player (rooms_service::create_reserved), and the matchmaker learns how many seats each room type has.
// Thread-safety: as room_allocator's (allocate on shard 0; rooms_service posts the work to the room's shard).
#include <optional>
#include <string_view>

#include "services/matchmaker/room_allocator.hpp"
#include "services/rooms/room_registry.hpp"
#include "services/rooms/rooms_service.hpp"

namespace guildhall::server {

class room_allocation final : public services::room_allocator {
 public:
  room_allocation(services::rooms_service& rooms, const services::room_registry& types) : rooms_(rooms), types_(types) {}

  void allocate(std::string_view type_name, const std::map<std::string, std::string, std::less<>>& options,
                std::vector<std::uint64_t> user_ids,
                std::move_only_function<void(std::expected<placement, std::string>)> done) override {
    rooms_.create_reserved(std::string(type_name), room_options(options.begin(), options.end()), std::move(user_ids),
                           std::move(done));
  }

  // The seats of a room type, or nothing when the server has no such type.
  std::optional<int> seats(std::string_view type_name) const {
    const guildhall::room_type* type = types_.find(type_name);
    if (type == nullptr) return std::nullopt;
    return type->settings().max_players;
  }

 private:
  services::rooms_service& rooms_;
  const services::room_registry& types_;
};

}  // namespace guildhall::server
