#include "games/arena/arena_type.hpp"

#include "games/arena/arena_room.hpp"

namespace guildhall::games::arena {

room_settings arena_type::settings() const {
  room_settings settings;
  settings.tick_hz = kDefaultTickHz;
  settings.max_players = kMaxFighters;
  // A client sends one input per tick and may repeat the last few against loss; four per tick leaves room for
  // a burst after a stall without letting a flood through.
  settings.max_inputs_per_tick = 4;
  // An input is kInputBytes; anything much larger is not ours. The engine refuses (and counts) what is over the
  // cap before the room sees it; the room refuses every other wrong size itself.
  settings.max_input_bytes = 16;
  return settings;
}

room_settings arena_type::settings_for(const room_options& options) const {
  room_settings settings = this->settings();
  // Unacceptable options keep the defaults here; create() then refuses them in words.
  if (const auto config = parse_options(options)) settings.tick_hz = config->tick_hz;
  return settings;
}

const world_schema& arena_type::schema() const { return arena_world_schema(); }

std::expected<std::unique_ptr<room>, room_refusal> arena_type::create(const room_options& options,
                                                                      room_context& context) const {
  const auto config = parse_options(options);
  if (!config) return std::unexpected(config.error());
  return std::make_unique<arena_room>(*config, context);
}

}  // namespace guildhall::games::arena
