#pragma once
// The "arena" room type: register one instance with the server's room registry. Immutable and shared by every
// arena room (thread-safe by being const).
#include <guildhall/room.hpp>

namespace guildhall::games::arena {

class arena_type final : public room_type {
 public:
  std::string_view name() const override { return "arena"; }
  room_settings settings() const override;
  // settings() with the tick rate of option tick_hz.
  room_settings settings_for(const room_options& options) const override;
  const world_schema& schema() const override;
  // Options: see arena_options.hpp (duration_s, bots, tick_hz, seed). Refuses bad values in words.
  std::expected<std::unique_ptr<room>, room_refusal> create(const room_options& options,
                                                            room_context& context) const override;
};

}  // namespace guildhall::games::arena
