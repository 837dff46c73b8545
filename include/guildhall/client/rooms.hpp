#pragma once
// Real-time room values (docs/protocol.md, "Rooms"). Snapshots arrive decoded: the SDK keeps the baselines,
// applies each delta and acknowledges the newest tick to the server, so a game only ever sees whole worlds.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "guildhall/client/export.hpp"

namespace guildhall::client {

struct room_info {
  std::uint64_t room_id = 0;
  std::string type{};
  std::string label{};  // the game's flat JSON object
  std::uint32_t players = 0;
  std::uint32_t max_players = 0;
  std::uint32_t spectators = 0;
  bool locked = false;
  bool is_private = false;
};

struct room_member {
  std::uint64_t user_id = 0;
  std::string username{};
  std::int32_t seat = -1;  // -1: a spectator
  bool spectator = false;
  bool connected = true;   // false while within the reconnection grace
};

// What the room's entities look like: their kinds and each kind's field names, in the order entity_state::fields
// holds their values.
struct room_entity_kind {
  std::string name{};                 // "player", "projectile"
  std::vector<std::string> fields{};  // "x", "y", "health"
};
struct room_schema {
  std::vector<room_entity_kind> kinds{};  // entity_state::kind indexes this

  // The kind named `name`, or none.
  GUILDHALL_CLIENT_API std::optional<std::uint8_t> kind_of(std::string_view name) const;
  // The index of field `field` of kind `kind`, or none.
  GUILDHALL_CLIENT_API std::optional<std::size_t> field_of(std::uint8_t kind, std::string_view field) const;
};

struct room_joined {
  room_info room{};
  room_member you{};
  room_schema schema{};
  std::uint32_t tick_hz = 0;
  std::uint32_t server_tick = 0;  // the room's tick when it answered
  std::vector<room_member> members{};
  bool returned = false;          // back in a seat kept through the reconnection grace
  std::uint32_t max_input_bytes = 0;
  bool rejoined = false;          // joined again by the SDK itself after a reconnection
};

// One entity at one tick, its values dequantized to the game's units, in the schema's field order.
struct entity_state {
  std::uint32_t id = 0;
  std::uint8_t kind = 0;
  std::vector<double> fields{};
};

// One tick's world as this player sees it (the server filters by interest).
struct room_snapshot {
  std::uint64_t room_id = 0;
  std::uint32_t tick = 0;
  std::vector<entity_state> entities{};  // by id
};

struct room_event {
  std::uint64_t room_id = 0;
  std::uint64_t seq = 0;
  std::string type{};     // the game's event ("hit"); empty for a membership change
  std::string payload{};  // the game's encoding (JSON by convention)
  enum class change : std::uint8_t { none, joined, left, dropped, returned };
  change member_change = change::none;
  room_member member{};   // for a membership change
};

struct room_closed {
  std::uint64_t room_id = 0;
  enum class reason : std::uint8_t { unspecified, ended, kicked, replaced, disposed, shutdown };
  reason why = reason::unspecified;
  std::string message{};
};

// Join-or-create and listing filters are the game's label fields (arena: {"mode": "ffa"}).
using room_properties = std::map<std::string, std::string>;

}  // namespace guildhall::client
