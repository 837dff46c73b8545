#pragma once
// Drives an arena room the way the room engine does, through include/guildhall/room.hpp only: a room_context
// with injected time and randomness that records what the room asked of it, and a world_writer that keeps what
// the room wrote. (STYLE.md section 6: the engine's side is injected, nothing of the arena is stood in for.)
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "games/arena/arena_input.hpp"
#include "games/arena/arena_room.hpp"
#include "games/arena/arena_schema.hpp"
#include "games/arena/arena_type.hpp"

namespace guildhall::games::arena::testing {

struct sent_event {
  std::uint64_t to = 0;  // 0: broadcast
  std::string type;
  std::string payload;
};

class test_context final : public room_context {
 public:
  explicit test_context(int hz = kDefaultTickHz, std::uint64_t seed = 7) : hz_(hz), random_(seed) {}

  std::uint64_t room_id() const override { return 42; }
  std::uint32_t tick() const override { return tick_; }
  std::int64_t now_ms() const override { return std::int64_t(tick_) * 1000 / hz_; }
  int tick_hz() const override { return hz_; }
  std::mt19937_64& random() override { return random_; }
  void broadcast(std::string_view type, std::string_view payload) override {
    events.push_back({0, std::string(type), std::string(payload)});
  }
  void send(std::uint64_t user_id, std::string_view type, std::string_view payload) override {
    events.push_back({user_id, std::string(type), std::string(payload)});
  }
  void set_label(std::string json_object) override { label = std::move(json_object); }
  void set_locked(bool value) override { locked = value; }
  void kick(std::uint64_t user_id, std::string_view) override { kicked.push_back(user_id); }
  void end(std::string_view reason) override { ended = std::string(reason); }

  std::uint32_t tick_ = 0;
  std::vector<sent_event> events;
  std::string label;
  bool locked = false;
  std::vector<std::uint64_t> kicked;
  std::optional<std::string> ended;

  std::vector<sent_event> of_type(std::string_view type) const {
    std::vector<sent_event> out;
    for (const auto& e : events) if (e.type == type) out.push_back(e);
    return out;
  }

 private:
  int hz_;
  std::mt19937_64 random_;
};

struct written_entity {
  std::uint8_t type = 0;
  std::vector<double> fields;
  relevance where;
};

class recording_world final : public world_writer {
 public:
  using world_writer::entity;
  void entity(std::uint32_t id, std::uint8_t type, std::span<const double> fields, relevance where) override {
    EXPECT_FALSE(entities.contains(id)) << "entity " << id << " written twice in one tick";
    entities[id] = {type, {fields.begin(), fields.end()}, where};
  }
  std::map<std::uint32_t, written_entity> entities;
};

inline room_member person(int seat, std::uint64_t user_id, std::string name = "") {
  return {user_id, name.empty() ? "player" + std::to_string(user_id) : name, seat, false, false};
}

inline room_member spectator(std::uint64_t user_id) { return {user_id, "watcher", -1, true, false}; }

// One arena room, its context, and the world as of the last tick.
class arena_harness {
 public:
  explicit arena_harness(room_options options = {}, int hz = kDefaultTickHz) : context(hz) {
    auto made = arena_type().create(options, context);
    EXPECT_TRUE(made.has_value()) << (made ? "" : made.error());
    room_ = std::move(*made);
    arena = dynamic_cast<arena_room*>(room_.get());
  }

  void join(const room_member& member) {
    const auto joined = arena->on_join(member);
    ASSERT_TRUE(joined.has_value()) << joined.error();
  }

  // One input as the engine hands it over; view_tick defaults to the tick the world was last written at.
  void input(const room_member& member, std::uint8_t buttons, std::uint16_t aim = 0,
             std::optional<std::uint32_t> view_tick = std::nullopt) {
    const auto bytes = encode_input({buttons, aim});
    send_raw(member, bytes, view_tick.value_or(context.tick_));
  }

  void send_raw(const room_member& member, std::span<const std::uint8_t> bytes, std::uint32_t view_tick) {
    player_input in;
    in.sequence = ++sequence_;
    in.client_tick = context.tick_ + 1;
    in.view_tick = view_tick;
    in.data = bytes;
    arena->on_input(member, in);
  }

  // Runs one tick as the engine does: on_tick, then write_world.
  void step() {
    ++context.tick_;
    arena->on_tick();
    world = recording_world{};
    arena->write_world(world);
  }

  void steps(int n) {
    for (int i = 0; i < n; ++i) step();
  }

  const written_entity& player(int slot) const { return world.entities.at(kPlayerIdBase + std::uint32_t(slot)); }
  vec2 position(int slot) const { return {player(slot).fields[kPx], player(slot).fields[kPy]}; }
  bool has_player(int slot) const { return world.entities.contains(kPlayerIdBase + std::uint32_t(slot)); }
  const written_entity& match() const { return world.entities.at(kMatchId); }

  test_context context;
  arena_room* arena = nullptr;
  recording_world world;

 private:
  std::unique_ptr<room> room_;
  std::uint32_t sequence_ = 0;
};

// The 16-bit aim from `from` towards `to`.
inline std::uint16_t aim_at(vec2 from, vec2 to) { return quantize_aim(std::atan2(to.y - from.y, to.x - from.x)); }

}  // namespace guildhall::games::arena::testing
