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

// GCC 12 at -O2 takes `made->room_id` after the check for a read of an uninitialized member once the lambda is
// inlined into std::move_only_function (-Wmaybe-uninitialized, a known false positive with std::expected).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
  void allocate(std::string_view room_type, const std::map<std::string, std::string, std::less<>>& options,
                std::vector<std::uint64_t> user_ids,
                std::move_only_function<void(std::expected<placement, std::string>)> done) override {
    rooms_.create_reserved(std::string(room_type), room_options(options.begin(), options.end()), std::move(user_ids),
                           [done = std::move(done)](std::expected<services::rooms_service::placement, std::string> made) mutable {
                             if (!made) return done(std::unexpected(std::move(made.error())));
                             done(placement{made->room_id, std::move(made->reservations)});
                           });
  }
#pragma GCC diagnostic pop

  // The seats of a room type, or nothing when the server has no such type.
  std::optional<int> seats(std::string_view room_type) const {
    const auto* type = types_.find(room_type);  // `auto`: the parameter hides the type room_type
    if (type == nullptr) return std::nullopt;
    return type->settings().max_players;
  }

 private:
  services::rooms_service& rooms_;
  const services::room_registry& types_;
};

}  // namespace guildhall::server
