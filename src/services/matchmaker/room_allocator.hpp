#pragma once
// The seam between the matchmaker and the room engine: when a match forms, the matchmaker asks for a room and a
// seat reservation for each player. The room engine implements it (the server wires rooms_service's
// create_reserved into it); unit tests use a recording one.
// Thread-safety: allocate is called on the matchmaker's shard (shard 0) and must not block; `done` is called
// exactly once, on any shard or thread, even before allocate returns: the matchmaker posts the outcome back to
// its own shard.
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace guildhall::services {

class room_allocator {
 public:
  virtual ~room_allocator() = default;
  struct placement {
    std::uint64_t room_id;
    // One (user id, reservation token) per player asked for: the token a client presents to take its seat.
    std::vector<std::pair<std::uint64_t, std::string>> reservations;
  };
  // Creates a room of `room_type` with `options` and reserves a seat in it for each of `user_ids`; calls `done`
  // with the room and the tokens, or with why not (unknown type, options refused, server full).
  virtual void allocate(std::string_view room_type, const std::map<std::string, std::string, std::less<>>& options,
                        std::vector<std::uint64_t> user_ids,
                        std::move_only_function<void(std::expected<placement, std::string>)> done) = 0;
};

}  // namespace guildhall::services
