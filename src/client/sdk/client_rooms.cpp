// The real-time room operations of guildhall::client::client, and the snapshot intake: decode, hand the world to
// the game, acknowledge the newest tick (the server encodes later snapshots against it).
#include "client/sdk/client_state.hpp"
#include "client/sdk/schema_from_json.hpp"
#include "wire/snapshot/quantize.hpp"

namespace guildhall::client {

std::optional<std::uint8_t> room_schema::kind_of(std::string_view name) const {
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i].name == name) return static_cast<std::uint8_t>(i);
  }
  return std::nullopt;
}

std::optional<std::size_t> room_schema::field_of(std::uint8_t kind, std::string_view field) const {
  if (kind >= kinds.size()) return std::nullopt;
  const auto& fields = kinds[kind].fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i] == field) return i;
  }
  return std::nullopt;
}

client_result<room_joined> client::state::enter_room(const v1::RoomJoined& joined, bool spectator, bool rejoined) {
  auto schema = sdk::schema_from_json(joined.schema_json());
  if (!schema) return std::unexpected(client_error{client_errc::bad_snapshot, "room schema: " + schema.error(), 0, {}});
  const bool same_room = room.room_id == joined.room().room_id();
  room.room_id = joined.room().room_id();
  room.spectator = spectator;
  room.max_input_bytes = joined.max_input_bytes();
  room.acked_tick = 0;
  if (!same_room) {
    room.input_sequence = 0;
    room.recent_inputs.clear();
  }
  room_joined out{.room = sdk::room_info_from(joined.room()), .you = sdk::room_member_from(joined.you()),
                  .schema = sdk::public_schema(*schema), .tick_hz = joined.tick_hz(),
                  .server_tick = joined.server_tick(), .members = {}, .returned = joined.returned(),
                  .max_input_bytes = joined.max_input_bytes(), .rejoined = rejoined};
  for (const auto& member : joined.members()) out.members.push_back(sdk::room_member_from(member));
  room.intake.reset(std::move(*schema));
  room.acks.reset(joined.tick_hz());
  return out;
}

void client::state::join(v1::Envelope request, bool spectator, callback<room_joined> done) {
  call<room_joined>(std::move(request), std::move(done),
                    [this, spectator](const v1::Envelope& reply) -> client_result<room_joined> {
                      if (!reply.has_room_joined()) return std::unexpected(unexpected_answer("JoinRoom"));
                      return enter_room(reply.room_joined(), spectator, false);
                    });
}

void client::state::on_room_snapshot(const v1::RoomSnapshot& pushed) {
  if (pushed.room_id() != room.room_id || room.room_id == 0) return;
  const auto& data = pushed.data();
  const auto decoded = room.intake.decode(
      pushed.tick(), pushed.baseline_tick(),
      std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
  if (!decoded) {
    ++room.bad_snapshots;
    return report(client_error{client_errc::bad_snapshot, decoded.error(), 0, {}});
  }
  if (!handlers.on_room_snapshot) return;
  const auto& schema = room.intake.schema();
  const auto& world = **decoded;
  room_snapshot out{.room_id = room.room_id, .tick = pushed.tick(), .entities = {}};
  out.entities.reserve(world.size());
  for (std::size_t i = 0; i < world.size(); ++i) {
    entity_state entity{.id = world.id(i), .kind = world.type(i), .fields = {}};
    const auto values = world.fields(i);
    const auto& specs = schema.types[entity.kind].fields;  // decode_delta checked the type and field count
    entity.fields.reserve(values.size());
    for (std::size_t f = 0; f < values.size() && f < specs.size(); ++f) {
      entity.fields.push_back(wire::snapshot::dequantize(specs[f], values[f]));
    }
    out.entities.push_back(std::move(entity));
  }
  handlers.on_room_snapshot(out);
}

// Once per poll() at most, for a tick that waited a tick period unacknowledged (ack_schedule): a game sending inputs
// acknowledges with them.
void client::state::acknowledge_snapshot() {
  const auto newest = room.intake.newest_tick();
  if (room.room_id == 0 || !net) return;
  const bool waiting = newest != 0 && newest != room.acked_tick;
  // The clock is read only for a tick that waits: most polls of a game sending inputs have none.
  if (!room.acks.due(waiting, waiting ? std::chrono::steady_clock::now() : sdk::ack_schedule::clock::time_point{})) {
    return;
  }
  v1::Envelope message;
  message.mutable_room_input()->set_room_id(room.room_id);
  message.mutable_room_input()->set_ack_tick(newest);
  if (net->notify_unreliable(std::move(message))) room.acked_tick = newest;
}

void client::create_room(std::string type, room_properties options, bool is_private, callback<room_joined> done) {
  v1::Envelope request;
  auto* create = request.mutable_create_room();
  create->set_type(std::move(type));
  for (const auto& [key, value] : options) (*create->mutable_options())[key] = value;
  create->set_private_(is_private);
  state_->join(std::move(request), false, std::move(done));
}

void client::join_room(std::uint64_t room_id, callback<room_joined> done) {
  v1::Envelope request;
  request.mutable_join_room()->set_room_id(room_id);
  state_->join(std::move(request), false, std::move(done));
}

void client::join_room_reserved(std::uint64_t room_id, std::string reservation, callback<room_joined> done) {
  v1::Envelope request;
  request.mutable_join_room()->set_room_id(room_id);
  request.mutable_join_room()->set_reservation(std::move(reservation));
  state_->join(std::move(request), false, std::move(done));
}

void client::join_or_create_room(std::string type, room_properties options, callback<room_joined> done) {
  v1::Envelope request;
  auto* join = request.mutable_join_room();
  join->set_type(std::move(type));
  for (const auto& [key, value] : options) (*join->mutable_options())[key] = value;
  state_->join(std::move(request), false, std::move(done));
}

void client::spectate_room(std::uint64_t room_id, callback<room_joined> done) {
  v1::Envelope request;
  request.mutable_join_room()->set_room_id(room_id);
  request.mutable_join_room()->set_spectate(true);
  state_->join(std::move(request), true, std::move(done));
}

void client::list_rooms(std::string type, room_properties label_filter, callback<std::vector<room_info>> done) {
  v1::Envelope request;
  request.mutable_list_rooms()->set_type(std::move(type));
  for (const auto& [key, value] : label_filter) (*request.mutable_list_rooms()->mutable_label_filter())[key] = value;
  state_->call<std::vector<room_info>>(
      std::move(request), std::move(done),
      expect<std::vector<room_info>>("ListRooms", [](auto& r) { return r.has_room_list(); }, [](auto& r) {
        std::vector<room_info> rooms;
        for (const auto& info : r.room_list().rooms()) rooms.push_back(sdk::room_info_from(info));
        return rooms;
      }));
}

void client::leave_room(callback<void> done) {
  auto& self = *state_;
  if (self.room.room_id == 0) {
    return self.fail_later(std::move(done), {client_errc::invalid_options, "not in a room", 0, {}});
  }
  v1::Envelope request;
  request.mutable_leave_room()->set_room_id(self.room.room_id);
  self.room = {};  // from now on its snapshots and events are ignored, whatever the answer
  self.call<void>(std::move(request), std::move(done),
                  expect<void>("LeaveRoom", [](auto& r) { return r.has_room_left(); }, [](auto&) {}));
}

client_result<std::uint32_t> client::send_room_input(std::span<const std::uint8_t> data, std::uint32_t client_tick,
                                                     std::uint32_t view_tick) {
  auto& self = *state_;
  auto& room = self.room;
  if (room.room_id == 0 || room.spectator) {
    return std::unexpected(client_error{client_errc::invalid_options, "not playing in a room", 0, {}});
  }
  if (room.max_input_bytes != 0 && data.size() > room.max_input_bytes) {
    return std::unexpected(client_error{client_errc::invalid_options,
                                        "input of " + std::to_string(data.size()) + " bytes, the room takes at most " +
                                            std::to_string(room.max_input_bytes), 0, {}});
  }
  if (!self.net || !self.net->connected()) {
    return std::unexpected(client_error{client_errc::not_connected, "not connected", 0, {}});
  }
  const auto newest = room.intake.newest_tick();
  v1::Envelope message;
  auto* input = message.mutable_room_input();
  input->set_room_id(room.room_id);
  input->set_ack_tick(newest);
  // Over UDP a message may be lost, so each input rides in the next messages too; TCP and WebSocket lose nothing,
  // and there the copies would only be bytes for the server to parse and drop as duplicates.
  constexpr std::size_t kCopiesOfEachInput = 3;
  const std::size_t copies = self.net->transport() == server_url::scheme::udp ? kCopiesOfEachInput : 1;
  v1::InputFrame frame;
  frame.set_sequence(room.input_sequence + 1);
  frame.set_client_tick(client_tick != 0 ? client_tick : newest + 1);
  frame.set_view_tick(view_tick != 0 ? view_tick : newest);
  frame.set_data(std::string(reinterpret_cast<const char*>(data.data()), data.size()));
  room.recent_inputs.push_back(std::move(frame));
  while (room.recent_inputs.size() > copies) room.recent_inputs.pop_front();
  for (const auto& recent : room.recent_inputs) *input->add_inputs() = recent;
  if (!self.net->notify_unreliable(std::move(message))) {
    return std::unexpected(client_error{client_errc::not_connected, "not connected", 0, {}});
  }
  room.acked_tick = newest;
  room.acks.acknowledged();
  return ++room.input_sequence;
}

void client::send_room_message(std::string type, std::string payload, callback<void> done) {
  auto& self = *state_;
  if (self.room.room_id == 0) {
    return self.fail_later(std::move(done), {client_errc::invalid_options, "not in a room", 0, {}});
  }
  v1::Envelope message;
  auto* room_message = message.mutable_room_message();
  room_message->set_room_id(self.room.room_id);
  room_message->set_type(std::move(type));
  room_message->set_payload(std::move(payload));
  // Without a cid the server answers only a refusal (as a push: on_error); the callback reports the sending.
  const bool sent = self.net && self.net->notify(std::move(message));
  if (!sent) return self.fail_later(std::move(done), {client_errc::not_connected, "not connected", 0, {}});
  self.later([done = std::move(done)] {
    if (done) done({});
  });
}

std::uint64_t client::room_id() const { return state_->room.room_id; }
std::uint32_t client::newest_snapshot_tick() const { return state_->room.intake.newest_tick(); }

}  // namespace guildhall::client
