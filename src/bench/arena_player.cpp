#include "bench/arena_player.hpp"

#include <algorithm>

#include "bench/sdk_setup.hpp"
#include "games/arena/arena_input.hpp"

namespace guildhall::bench {
namespace sdk = guildhall::client;
namespace arena = games::arena;

arena_player::arena_player(const sdk::client_options& options, std::uint64_t seed, arena_player_events events)
    : client_(options), events_(std::move(events)), brain_(seed) {
  install_handlers();
}

// The player outlives every poll() of its client (the run owns both until it returns), so `this` is safe here.
void arena_player::install_handlers() {
  sdk::event_handlers handlers;
  handlers.on_room_snapshot = [this](const sdk::room_snapshot& snapshot) { on_snapshot(snapshot); };
  handlers.on_room_event = [this](const sdk::room_event&) { ++counts_.events; };
  handlers.on_room_closed = [this](const sdk::room_closed& closed) {
    if (events_.on_closed) events_.on_closed("room closed: " + closed.message);
  };
  handlers.on_connection = [this](const sdk::connection_event& event) {
    if (event.what == sdk::connection_event::kind::disconnected || event.what == sdk::connection_event::kind::gave_up) {
      if (events_.on_closed) events_.on_closed(said(event.error, "connection lost"));
    }
  };
  handlers.on_error = [this](const sdk::client_error& pushed) {
    if (pushed.code == sdk::client_errc::bad_snapshot) ++counts_.decode_errors;
    error(said(pushed, "pushed"));
  };
  client_.set_handlers(std::move(handlers));
}

void arena_player::connect(const std::string& user, std::function<void(result<void>)> done) {
  sign_in(client_, "cli-device-" + user, std::move(done));
}

void arena_player::create_room(const room_options& options, std::function<void(result<std::uint64_t>)> done) {
  sdk::room_properties properties(options.begin(), options.end());
  client_.create_room("arena", std::move(properties), false,
                      [this, done = std::move(done)](sdk::client_result<sdk::room_joined> joined) {
                        if (!joined) return done(fail(errc::room_refused, said(joined.error(), "create room")));
                        if (auto seated = sit(*joined); !seated) return done(std::unexpected(seated.error()));
                        done(joined->room.room_id);
                      });
}

void arena_player::join_room(std::uint64_t room_id, std::function<void(result<void>)> done) {
  client_.join_room(room_id, [this, done = std::move(done)](sdk::client_result<sdk::room_joined> joined) {
    if (!joined) return done(fail(errc::room_refused, said(joined.error(), "join room")));
    done(sit(*joined));
  });
}

result<void> arena_player::sit(const sdk::room_joined& joined) {
  seat_ = joined.you.seat;
  tick_hz_ = static_cast<int>(joined.tick_hz);
  const auto& schema = joined.schema;
  const auto kind = schema.kind_of("player");
  if (!kind) return fail(errc::internal, "the room's schema has no player entity");
  const auto x = schema.field_of(*kind, "x"), y = schema.field_of(*kind, "y"),
             health = schema.field_of(*kind, "health"), alive = schema.field_of(*kind, "alive"),
             seat = schema.field_of(*kind, "seat");
  if (!x || !y || !health || !alive || !seat) return fail(errc::internal, "the room's player lacks a field the bot reads");
  fields_ = player_fields{.kind = *kind, .x = *x, .y = *y, .health = *health, .alive = *alive, .seat = *seat};
  return {};
}

// What the brain sees: every player entity of the newest world, in game units (the SDK dequantized them).
void arena_player::on_snapshot(const sdk::room_snapshot& snapshot) {
  ++counts_.snapshots;
  if (!fields_) return;
  const auto& f = *fields_;
  bodies_.clear();
  for (const auto& entity : snapshot.entities) {
    if (entity.kind != f.kind || entity.fields.size() <= std::max({f.x, f.y, f.health, f.alive, f.seat})) continue;
    const auto& v = entity.fields;
    bodies_.push_back({.seat = static_cast<int>(v[f.seat]),
                       .position = {v[f.x], v[f.y]},
                       .health = static_cast<int>(v[f.health]),
                       .alive = v[f.alive] != 0});
  }
}

void arena_player::error(const std::string& what) {
  if (events_.on_error) events_.on_error(what);
}

arena::arena_input arena_player::think() {
  std::optional<arena::bot_body> self;
  std::vector<arena::bot_body> others;
  others.reserve(bodies_.size());
  for (const auto& body : bodies_) {
    if (body.seat == seat_) self = body;
    else others.push_back(body);
  }
  if (!self) return {};
  return brain_.think({.self = *self, .others = others, .tick_hz = tick_hz_});
}

void arena_player::send_input() {
  if (client_.room_id() == 0) return;
  const auto data = arena::encode_input(think());
  if (client_.send_room_input(data)) ++counts_.inputs_sent;
}

}  // namespace guildhall::bench
