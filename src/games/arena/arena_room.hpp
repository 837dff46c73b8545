#pragma once
// One arena match: up to kMaxFighters fighters (people and bots) on the yard map, a hitscan rifle with lag
// compensation, a match clock, and results at the end. Written only against include/guildhall/room.hpp.
//
// Server authority: a player's inputs only say which buttons are held and where they aim (arena_input.hpp).
// Each tick every fighter moves once by the latest buttons it sent (motion.hpp caps speed and acceleration and
// stops it at walls), so sending inputs faster, repeating them or sending garbage changes nothing: there is no
// field to teleport with and no way to move further per tick. Shots are limited to one per kFireIntervalMs.
//
// Seats: a person sits in the slot of their room seat, so their player entity is kPlayerIdBase + seat. Bots
// (option `bots`) take free slots and give way when a person needs theirs.
//
// Thread-safety: none needed; the engine calls a room on its shard only, one call at a time.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <guildhall/room.hpp>

#include "games/arena/arena_bot.hpp"
#include "games/arena/arena_input.hpp"
#include "games/arena/arena_options.hpp"
#include "games/arena/arena_schema.hpp"
#include "games/arena/lag_history.hpp"
#include "games/arena/motion.hpp"

namespace guildhall::games::arena {

// Counters of what the room did with its inputs, for the engine's metrics and for tests.
struct arena_stats {
  std::uint64_t inputs_applied = 0;
  std::uint64_t inputs_wrong_size = 0;      // malformed: not kInputBytes long
  std::uint64_t inputs_reserved_bits = 0;   // malformed: undefined button bits
  std::uint64_t inputs_not_fighting = 0;    // from a spectator or someone without a body in the match
  std::uint64_t shots = 0;
  std::uint64_t hits = 0;
  std::uint64_t kills = 0;
};

class arena_room final : public room {
 public:
  arena_room(const arena_config& config, room_context& context);

  std::expected<void, room_refusal> on_join(const room_member& member) override;
  void on_leave(const room_member& member, leave_kind why) override;
  void on_input(const room_member& member, const player_input& input) override;
  void on_tick() override;
  void write_world(world_writer& out) const override;
  std::optional<viewpoint> viewpoint_for(const room_member& member) const override;

  const arena_stats& stats() const { return stats_; }
  match_state state() const { return state_; }

  // For tests and replays (never reachable from the network): puts slot's living body at `position`, standing
  // still. Refused (false) if the slot is empty, dead, or the position is not free.
  bool place(int slot, vec2 position);

 private:
  struct fire_order {
    std::uint16_t aim = 0;
    std::uint32_t view_tick = 0;
  };
  struct fighter {
    bool present = false;
    bool bot = false;
    bool connected = true;
    std::uint64_t user_id = 0;
    std::string name;
    body motion;
    std::uint16_t aim = 0;
    int health = 0;
    bool alive = false;
    int kills = 0;
    int deaths = 0;
    std::uint32_t life = 0;             // spawns so far; see body_sample
    std::uint8_t buttons = 0;           // as last sent
    std::optional<fire_order> fire;     // a trigger pull not yet fired (kept through the cool-down)
    std::uint32_t ready_tick = 0;       // may fire from this tick
    std::uint32_t respawn_tick = 0;     // dead until this tick
    std::optional<arena_bot> brain;
  };
  struct tracer {
    bool live = false;
    vec2 from, to;
    int seat = 0;
    bool hit = false;
    std::uint32_t expires_tick = 0;
  };
  struct hit {
    int shooter = 0;
    int victim = 0;
  };

  // Who is in the match (arena_roster.cpp).
  std::optional<int> slot_of(const room_member& member) const;
  void seat_person(int slot, const room_member& member);
  void make_room_for(int slot);
  void fill_with_bots();
  void spawn(int slot);
  int people() const;
  int fighters() const;
  void update_label();

  // The simulation (arena_room.cpp).
  void think_bots();
  void move_fighters();
  void record_history(std::uint32_t tick);
  void fire_weapons(std::uint32_t tick);
  std::optional<int> fire_one(int slot, std::uint32_t tick);
  void apply_hit(const hit& h, std::uint32_t tick);
  void respawn_due(std::uint32_t tick);
  void finish();
  std::uint32_t ticks_for_ms(int ms) const;

  arena_config config_;
  room_context& context_;
  const arena_map& map_;
  std::mt19937_64 random_;  // spawns and bot seeds: from the `seed` option, so a match replays
  std::array<fighter, kMaxFighters> fighters_{};
  std::array<tracer, kMaxTracers> tracers_{};
  std::size_t next_tracer_ = 0;
  lag_history history_;
  match_state state_ = match_state::waiting;
  std::uint32_t end_tick_ = 0;
  std::uint32_t bots_made_ = 0;
  std::uint32_t lives_ = 0;  // spawns in this room, so every life has its own number
  std::vector<bot_body> bot_sight_;  // reused each tick: what one bot sees
  std::string label_;
  arena_stats stats_;
};

}  // namespace guildhall::games::arena
