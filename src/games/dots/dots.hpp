#pragma once
// dots: the smallest real-time game, and the tutorial for writing one (docs/writing-a-real-time-game.md). Each
// player is a dot on a 100 x 100 field, moved by arrow-key inputs; a clock entity everyone sees counts ticks.
// Written only against include/guildhall/room.hpp. The integration tests play it over real sockets.
#include <guildhall/room.hpp>

namespace guildhall::games {

// Input: one byte, a bitmask of the arrow keys held.
inline constexpr std::uint8_t kDotsUp = 1, kDotsDown = 2, kDotsLeft = 4, kDotsRight = 8;
// Units a dot moves per tick with a key held; the field is 0..100 on both axes.
inline constexpr double kDotsSpeed = 1.0;
inline constexpr float kDotsViewRadius = 40;

class dots_type final : public room_type {
 public:
  dots_type();
  std::string_view name() const override { return "dots"; }
  room_settings settings() const override;
  const world_schema& schema() const override { return schema_; }
  // Options: "mode" (any short word, shown in the label), "end_after_ticks" (ends the room then; 0 = never).
  std::expected<std::unique_ptr<room>, room_refusal> create(const room_options& options,
                                                            room_context& context) const override;

 private:
  world_schema schema_;
};

}  // namespace guildhall::games
