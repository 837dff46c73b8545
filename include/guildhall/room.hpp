#pragma once
// The public API for writing a real-time game for Guildhall. A room handler owns one simulation: it is told who
// joins and leaves, receives each player's inputs in order, advances its world once per tick, and describes that
// world as entities with typed, quantized fields. It never sees a socket, a clock, a database or a thread. The
// server's room engine (src/services/rooms) does everything else: seats, the fixed-rate tick, per-player
// snapshots (delta-compressed against what each client acknowledged, filtered by interest, within a byte budget),
// reliable events, reconnection, listing, matchmaking and metrics. src/games/arena is a complete example.
//
// Thread-safety: a room_type is shared by every room of that type and must be immutable (const methods only). A
// room and its room_context belong to one shard and are only ever called on it, one call at a time; a handler
// needs no locks. Nothing a handler does may block: the tick path never waits for a database or the network.
#include <cmath>
#include <cstdint>
#include <expected>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall {

// ---- Describing the world ------------------------------------------------------------------------------------

// How one field of an entity travels on the wire. Every field is quantized to an unsigned integer of `bits` bits
// (1..32) before it is sent, so the schema decides both the precision clients see and the bytes it costs.
struct field_spec {
  enum class kind : std::uint8_t {
    boolean,  // 1 bit: false / true
    integer,  // whole numbers in [min, max]
    real,     // min + k * step for k = 0 .. (max - min) / step, rounded to the nearest; clamped to [min, max]
    angle,    // radians, any value: wrapped to [0, 2*pi) and cut into 2^bits steps
  };

  std::string name;  // for clients and docs ("x", "health"); unique within its entity type
  kind type = kind::integer;
  double min = 0;
  double max = 0;
  double step = 1;      // real only
  std::uint8_t bits = 1;

  static field_spec flag(std::string name) { return {std::move(name), kind::boolean, 0, 1, 1, 1}; }
  static field_spec whole(std::string name, std::int64_t min, std::int64_t max) {
    return {std::move(name), kind::integer, double(min), double(max), 1, bits_for(std::uint64_t(max - min))};
  }
  static field_spec fixed(std::string name, double min, double max, double step) {
    return {std::move(name), kind::real, min, max, step, bits_for(std::uint64_t(std::ceil((max - min) / step)))};
  }
  static field_spec turn(std::string name, std::uint8_t bits) {
    return {std::move(name), kind::angle, 0, 0, 1, bits};
  }

  // Bits needed to hold every value in 0..largest (at least 1).
  static constexpr std::uint8_t bits_for(std::uint64_t largest) {
    std::uint8_t bits = 1;
    while (bits < 32 && (largest >> bits) != 0) ++bits;
    return bits;
  }
};

// One kind of entity ("player", "projectile"): its fields in wire order.
struct entity_type {
  std::string name;
  std::vector<field_spec> fields;  // at most 32
};

// Every entity type a room type's world may hold; an entity's `type` is an index into `types`.
struct world_schema {
  std::vector<entity_type> types;  // at most 256
};

// Where an entity is, for interest management. The engine sends a player the entities within their viewpoint's
// radius plus the always-relevant ones, and under a tight byte budget refreshes near, important and changed
// entities first; an entity left out gains priority every tick until it is sent.
struct relevance {
  bool always = false;      // sent to everyone regardless of distance (scores, the match timer, the map)
  float x = 0, y = 0;       // world position, in the same units as viewpoint
  float priority = 1;       // weight relative to other entities (the player's own avatar might use 4)
  std::uint64_t only_for_user = 0;  // non-zero: private to that user (their ammo, their cards)
};

// What one player's snapshot is centred on. A player without a viewpoint (spectators, small worlds) sees every
// entity.
struct viewpoint {
  float x = 0, y = 0;
  float radius = 0;
};

// The handler describes its world through this once per tick, after on_tick. `fields` holds one value per field
// of the entity's type, in schema order, in natural units (the engine quantizes). Ids must be unique within a
// tick; an id that stops being written is removed from every client's view; reusing an id later is allowed.
class world_writer {
 public:
  virtual ~world_writer() = default;
  virtual void entity(std::uint32_t id, std::uint8_t type, std::span<const double> fields, relevance where) = 0;
  void entity(std::uint32_t id, std::uint8_t type, std::initializer_list<double> fields, relevance where) {
    entity(id, type, std::span<const double>(fields.begin(), fields.size()), where);
  }
};

// ---- Players and their input ---------------------------------------------------------------------------------

// Someone in a room. Seats are numbered 0..max_players-1 and kept through a reconnection; spectators have no
// seat (-1) and never send input.
struct room_member {
  std::uint64_t user_id = 0;
  std::string username;
  int seat = -1;
  bool spectator = false;
  bool bot = false;  // a headless bot the engine or a test runs; handlers may treat it like anyone else
};

// One input message from a player, as the engine hands it over: in sequence order, duplicates and stale ones
// already dropped, at most room_settings::max_inputs_per_tick per player per tick. `data` is the game's own
// encoding (arena: buttons and aim) and at most room_settings::max_input_bytes long; validate it like any
// other bytes from the network.
struct player_input {
  std::uint32_t sequence = 0;     // the client's counter, increasing by one per input
  std::uint32_t client_tick = 0;  // the server tick the client predicted it for
  std::uint32_t view_tick = 0;    // the server tick of the world the player was looking at (for lag compensation)
  std::span<const std::uint8_t> data;
};

// Why a member is leaving or coming back.
enum class leave_kind : std::uint8_t {
  dropped,   // connection lost: the seat is kept for rooms.reconnect_grace_ms
  returned,  // came back within the grace period (sent to on_leave as the end of a `dropped`)
  left,      // left on purpose, was kicked, or the grace period ran out: the seat is free again
};

// ---- What the engine does for a handler ---------------------------------------------------------------------

// Given to the handler at creation; valid for the room's whole life. Call it only from the handler's own
// callbacks.
class room_context {
 public:
  virtual ~room_context() = default;

  virtual std::uint64_t room_id() const = 0;
  virtual std::uint32_t tick() const = 0;    // the tick being simulated (0 before the first)
  virtual std::int64_t now_ms() const = 0;   // the time the current tick is scheduled for (server clock, ms)
  virtual int tick_hz() const = 0;
  virtual std::mt19937_64& random() = 0;     // seeded per room; seedable in tests, so a match can be replayed

  // Reliable events, delivered in order and never dropped (a reconnecting member gets those it missed).
  // `type` is a short name ("hit", "round_over"); `payload` is the game's own (JSON is the norm for events).
  virtual void broadcast(std::string_view type, std::string_view payload) = 0;
  virtual void send(std::uint64_t user_id, std::string_view type, std::string_view payload) = 0;

  // The metadata label shown in listings and matched by filters: a flat JSON object ({"map":"yard","mode":"ffa"}).
  virtual void set_label(std::string json_object) = 0;
  // A locked room takes nobody new (reconnections still come back).
  virtual void set_locked(bool locked) = 0;
  virtual void kick(std::uint64_t user_id, std::string_view reason) = 0;
  // Ends the room after this tick: members are told `reason` and the room is disposed.
  virtual void end(std::string_view reason) = 0;
};

// Options a room is created with, as the client (or the matchmaker) sent them.
using room_options = std::map<std::string, std::string, std::less<>>;

// Why something was refused, in words a player can read ("the room is full"). Sent to the client unchanged.
using room_refusal = std::string;

// One running room. The engine calls, on the room's shard: on_join/on_leave as members come and go, on_input
// for each accepted input, on_message for each reliable message, then once per tick on_tick followed by
// write_world. A handler must not throw; bad input is its to ignore or clamp.
class room {
 public:
  virtual ~room() = default;

  // May refuse with a reason (the room is full, the match has started). Called for players and spectators; a
  // member coming back within the grace period is not asked again (see on_leave(returned)).
  virtual std::expected<void, room_refusal> on_join(const room_member& member) = 0;
  virtual void on_leave(const room_member& member, leave_kind why) = 0;

  virtual void on_input(const room_member& member, const player_input& input) = 0;
  // A reliable message from a member (chat in the room, "ready", a vote). Default: ignored.
  virtual void on_message(const room_member&, std::string_view /*type*/, std::string_view /*payload*/) {}

  // Advance the simulation by one tick of 1/tick_hz seconds.
  virtual void on_tick() = 0;
  virtual void write_world(world_writer& out) const = 0;
  virtual std::optional<viewpoint> viewpoint_for(const room_member& member) const = 0;
};

// Per-type settings; the server configuration may override the engine-wide ones (rooms.*).
struct room_settings {
  int tick_hz = 30;                       // 1..128; snapshots go out every tick
  int max_players = 8;                    // seats; spectators are extra
  int max_spectators = 16;
  int max_inputs_per_tick = 4;            // per player; more waiting inputs wait for the next tick
  std::size_t max_input_bytes = 64;       // larger inputs are refused and counted
  std::size_t snapshot_budget_bytes = 1200;  // per client per snapshot; priority decides who is left out
};

// A kind of room ("arena"): its settings, its world's schema, and how to start one. Register an instance with
// the server's room registry (src/services/rooms/room_registry.hpp).
class room_type {
 public:
  virtual ~room_type() = default;
  virtual std::string_view name() const = 0;
  virtual room_settings settings() const { return {}; }
  // The settings of one room created with `options` (the engine checks them as it checks settings()). Default:
  // settings(). A type whose tick rate or seats are a creation option (arena: tick_hz) overrides this; options
  // it cannot accept are create()'s to refuse, so here they may simply fall back to settings().
  virtual room_settings settings_for(const room_options& /*options*/) const { return settings(); }
  virtual const world_schema& schema() const = 0;
  // A new room, or why the options are unacceptable. `context` outlives the room.
  virtual std::expected<std::unique_ptr<room>, room_refusal> create(const room_options& options,
                                                                    room_context& context) const = 0;
};

}  // namespace guildhall
