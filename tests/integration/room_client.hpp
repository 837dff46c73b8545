#pragma once
// A room player over blocking_client for the rooms and arena tests: joins, sends inputs (each resent in the next
// two messages, with the newest decoded tick as the ack), and keeps the world as a client does, by decoding every
// snapshot against the baseline it names with the real snapshot codec. Plays `dots` unless told another type and
// its schema.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "blocking_client.hpp"
#include "games/dots/dots.hpp"
#include "wire/snapshot/quantize.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace guildhall::testing {

inline const world_schema& dots_schema() {
  static const games::dots_type type;
  return type.schema();
}

class room_player {
 public:
  room_player(transport kind, std::uint16_t port, const std::string& token, int receive_buffer_bytes = 0,
              std::string type = "dots", const world_schema& schema = dots_schema())
      : client(kind, port, receive_buffer_bytes), type_(std::move(type)), schema_(&schema) {
    const auto answer = client.authenticate(token);
    if (!answer.has_authenticated()) throw std::runtime_error("authenticate failed: " + answer.DebugString());
    user_id = answer.authenticated().user_id();
  }

  v1::Envelope create(const std::map<std::string, std::string>& options = {}, bool is_private = false) {
    v1::Envelope request;
    request.mutable_create_room()->set_type(type_);
    for (const auto& [k, v] : options) (*request.mutable_create_room()->mutable_options())[k] = v;
    request.mutable_create_room()->set_private_(is_private);
    return remember(client.call(request));
  }
  v1::Envelope join(std::uint64_t id, const std::string& reservation = {}, bool spectate = false) {
    v1::Envelope request;
    request.mutable_join_room()->set_room_id(id);
    request.mutable_join_room()->set_reservation(reservation);
    request.mutable_join_room()->set_spectate(spectate);
    return remember(client.call(request));
  }
  v1::Envelope join_or_create(const std::map<std::string, std::string>& options) {
    v1::Envelope request;
    request.mutable_join_room()->set_type(type_);
    for (const auto& [k, v] : options) (*request.mutable_join_room()->mutable_options())[k] = v;
    return remember(client.call(request));
  }
  v1::Envelope say(const std::string& payload, std::string type = "say") {
    v1::Envelope request;
    request.mutable_room_message()->set_room_id(room_id);
    request.mutable_room_message()->set_type(std::move(type));
    request.mutable_room_message()->set_payload(payload);
    client.send(request);  // no answer unless refused
    return request;
  }
  // Holds `keys` (games::kDots*) from now on: one input message carrying this and the two previous inputs.
  void press(std::uint8_t keys) { press_data(std::string(1, static_cast<char>(keys))); }
  // The same with a game's own input bytes (the arena's are three).
  void press_data(std::string data) {
    ++sequence_;
    sent_.push_back(std::move(data));
    v1::Envelope request;
    auto* input = request.mutable_room_input();
    input->set_room_id(room_id);
    input->set_ack_tick(newest_tick);
    for (std::uint32_t s = sequence_ >= 3 ? sequence_ - 2 : 1; s <= sequence_; ++s) {
      auto* frame = input->add_inputs();
      frame->set_sequence(s);
      frame->set_client_tick(newest_tick + 1);
      frame->set_view_tick(newest_tick);
      frame->set_data(sent_[s - 1]);
    }
    client.send(request);
  }
  // Reads pushes for `duration`, applying snapshots and collecting events.
  void read_for(std::chrono::milliseconds duration) {
    const auto deadline = std::chrono::steady_clock::now() + duration;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return;
      auto push = client.next_push(left);
      if (!push) return;
      handle(*push);
    }
  }
  // Reads until `done()` holds or `timeout` passes; true when it held.
  template <typename Done>
  bool read_until(Done done, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return false;
      auto push = client.next_push(left);
      if (!push) return done();
      handle(*push);
    }
    return true;
  }
  void handle(const v1::Envelope& push) {
    if (push.has_room_snapshot()) return apply(push.room_snapshot());
    if (push.has_room_event()) events.push_back(push.room_event());
    if (push.has_room_closed()) closed = push.room_closed();
    if (push.has_error()) errors.push_back(push.error());
  }
  // The dot of `seat` as this client sees it, or nullopt.
  std::optional<std::pair<double, double>> dot(int seat) const {
    if (newest_tick == 0) return std::nullopt;
    const auto& world = received_.at(newest_tick);
    const auto* e = world.find(100 + static_cast<std::uint32_t>(seat));
    if (!e) return std::nullopt;
    const auto& fields = dots_schema().types[0].fields;
    return std::pair{wire::snapshot::dequantize(fields[0], world.fields(*e)[0]),
                     wire::snapshot::dequantize(fields[1], world.fields(*e)[1])};
  }
  // The values of entity `id` as this client sees it in the newest snapshot (dequantized), or nullopt.
  std::optional<std::vector<double>> entity(std::uint32_t id) const {
    if (newest_tick == 0) return std::nullopt;
    const auto& world = received_.at(newest_tick);
    const auto* e = world.find(id);
    if (!e) return std::nullopt;
    const auto& fields = schema_->types.at(e->type).fields;
    const auto values = world.fields(*e);
    std::vector<double> out;
    for (std::size_t i = 0; i < fields.size() && i < values.size(); ++i) {
      out.push_back(wire::snapshot::dequantize(fields[i], values[i]));
    }
    return out;
  }
  std::vector<std::string> event_names() const {
    std::vector<std::string> out;
    for (const auto& e : events) {
      out.push_back(e.has_member_change() ? v1::MemberChange::Kind_Name(e.member_change().kind()) + ":" +
                                                std::to_string(e.member_change().member().user_id())
                                          : e.type());
    }
    return out;
  }

  blocking_client client;
  std::uint64_t user_id = 0;
  std::uint64_t room_id = 0;
  int seat = -1;
  std::uint32_t newest_tick = 0;
  std::uint32_t snapshots = 0;
  std::uint32_t full_snapshots = 0;
  std::vector<std::uint32_t> snapshot_ticks;
  std::vector<v1::RoomEvent> events;
  std::vector<v1::Error> errors;
  std::optional<v1::RoomClosed> closed;

 private:
  v1::Envelope remember(v1::Envelope answer) {
    if (answer.has_room_joined()) {
      room_id = answer.room_joined().room().room_id();
      seat = answer.room_joined().you().seat();
      received_.clear();
      newest_tick = 0;
    }
    // Pushes that came before the answer are the room's too.
    for (auto& push : std::exchange(client.pushes, {})) handle(push);
    return answer;
  }
  void apply(const v1::RoomSnapshot& snapshot) {
    static const wire::snapshot::entity_set empty;
    const auto base = received_.find(snapshot.baseline_tick());
    ASSERT_TRUE(snapshot.baseline_tick() == 0 || base != received_.end())
        << "snapshot " << snapshot.tick() << " against unknown baseline " << snapshot.baseline_tick();
    wire::snapshot::entity_set target;
    const auto& data = snapshot.data();
    const auto decoded = wire::snapshot::decode_delta(
        *schema_, snapshot.baseline_tick() == 0 ? empty : base->second,
        std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), target);
    ASSERT_TRUE(decoded) << wire::snapshot::to_string(decoded.error());
    ASSERT_GT(snapshot.tick(), newest_tick) << "snapshots must arrive newest last";
    received_[snapshot.tick()] = std::move(target);
    newest_tick = snapshot.tick();
    ++snapshots;
    if (snapshot.baseline_tick() == 0) ++full_snapshots;
    snapshot_ticks.push_back(snapshot.tick());
    // Keep a client's ring: a second's worth.
    while (received_.size() > 64) received_.erase(received_.begin());
  }

  std::string type_;
  const world_schema* schema_;
  std::map<std::uint32_t, wire::snapshot::entity_set> received_;
  std::uint32_t sequence_ = 0;
  std::vector<std::string> sent_;
};

}  // namespace guildhall::testing
