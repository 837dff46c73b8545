// rooms_service: what clients ask for. Each request is checked on the connection's shard (sizes, the
// connection's rooms), then handled on the room's shard, whose answer goes back in the room's outbox so it
// arrives before the room's next snapshot and events.
#include <sodium.h>


#include "services/delivery.hpp"
#include "services/rooms/detail/checked_options.hpp"
#include "services/rooms/detail/live_room.hpp"
#include "services/rooms/room_metrics.hpp"
#include "services/rooms/rooms_service.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;
namespace {

void fill_member(v1::RoomMember& out, const room_member& who, bool connected) {
  out.set_user_id(who.user_id);
  out.set_username(who.username);
  out.set_seat(who.seat);
  out.set_spectator(who.spectator);
  out.set_connected(connected);
}

void fill_info(v1::RoomInfo& out, const room_instance& room) {
  out.set_room_id(room.id());
  out.set_type(std::string(room.type().name()));
  out.set_label(room.label_json());
  out.set_players(static_cast<std::uint32_t>(room.players()));
  out.set_max_players(static_cast<std::uint32_t>(room.settings().max_players));
  out.set_spectators(static_cast<std::uint32_t>(room.spectators()));
  out.set_locked(room.locked());
  out.set_private_(room.is_private());
}

}  // namespace

const room_type* rooms_service::type_or_refuse(const connection_ptr& connection, std::uint32_t cid,
                                              const std::string& name) {
  const room_type* type = types_.find(name);
  if (!type) reply_error(connection, cid, {errc::room_not_found, "no room type '" + name + "'"});
  return type;
}

bool rooms_service::within_connection_cap(const connection_ptr& connection, std::uint32_t cid) {
  const auto& joined = here().joined;
  const auto it = joined.find(connection->id());
  if (it == joined.end() || it->second.size() < config_.max_rooms_per_connection) return true;
  reply_error(connection, cid, {errc::invalid_argument, "this connection is in too many rooms (at most " +
                                                             std::to_string(config_.max_rooms_per_connection) + ")"});
  return false;
}

void rooms_service::create(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                           v1::CreateRoom request) {
  const room_type* type = type_or_refuse(connection, cid, request.type());
  if (!type) return;
  auto options = checked_options(request.options());
  if (!options) return reply_error(connection, cid, options.error());
  if (static_cast<std::size_t>(request.invite_size()) > kMaxInvited) {
    return reply_error(connection, cid, {errc::invalid_argument, "invite at most 64 users"});
  }
  if (!within_connection_cap(connection, cid)) return;
  std::vector<std::uint64_t> invited(request.invite().begin(), request.invite().end());
  admit_and_create(who, connection, cid, *type, std::move(*options), request.private_(), std::move(invited), {});
}

void rooms_service::admit_and_create(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                     const room_type& type, room_options options, bool is_private,
                                     std::vector<std::uint64_t> invited, creation_done created) {
  invited.push_back(who.user_id);
  // The user's count of live rooms is kept on their home shard: check it there, then create on the room's.
  shards_.post(home_shard(who.user_id), [this, who, connection, cid, type = &type, options = std::move(options),
                                         is_private, invited = std::move(invited),
                                         created = std::move(created)]() mutable {
    auto refuse_here = [&](const error& failure) {
      if (here().created_by[who.user_id] == 0) here().created_by.erase(who.user_id);
      reply_error(connection, cid, failure);
      if (created) created(0);
    };
    auto& count = here().created_by[who.user_id];
    if (count >= config_.max_rooms_per_user) {
      return refuse_here({errc::room_full, "you have " + std::to_string(count) +
                                               " rooms open already (rooms.max_rooms_per_user)"});
    }
    const std::uint64_t room_id = reserve_room_id();
    if (room_id == 0) return refuse_here({errc::room_full, "the server holds its maximum of rooms; try later"});
    ++count;
    shards_.post(room_shard(room_id), [this, who, connection, cid, room_id, type, options = std::move(options), is_private,
                                       invited = std::move(invited), created = std::move(created)]() mutable {
      create_here(who, connection, cid, room_id, *type, std::move(options), is_private, std::move(invited),
                  std::move(created));
    });
  });
}

void rooms_service::create_here(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                std::uint64_t room_id, const room_type& type, room_options options, bool is_private,
                                std::vector<std::uint64_t> invited, creation_done created) {
  auto live = std::make_unique<live_room>(*this, room_shard(room_id), room_id, who.user_id);
  std::uint64_t seed = randombytes_random();
  seed = (seed << 32) | randombytes_random();
  auto made = room_instance::create({room_id, &type, std::move(options), is_private, std::move(invited), seed,
                                     steady_now_us(), {config_.reconnect_grace_ms, config_.empty_dispose_ms}, true},
                                    *live);
  if (!made) {
    release_room_id(room_id);
    shards_.post(home_shard(who.user_id), [this, user_id = who.user_id] {
      auto& counts = here().created_by;
      if (auto it = counts.find(user_id); it != counts.end() && --it->second == 0) counts.erase(it);
    });
    reply_error(connection, cid, made.error());
    if (created) created(0);
    return;
  }
  live->room = std::move(*made);
  start_room(std::move(live));
  join_here(who, connection, cid, room_id, false, {}, nullptr);
  // The room is in this shard's table now: whatever is posted here after `created` learns of it will find it.
  if (created) created(room_id);
}

void rooms_service::join(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                         v1::JoinRoom request) {
  if (request.reservation().size() > 64) return reply_error(connection, cid, {errc::invalid_argument, "bad reservation"});
  if (request.room_id() == 0) return join_or_create(who, connection, cid, std::move(request));
  const auto& joined = here().joined;
  const auto mine = joined.find(connection->id());
  const bool rejoin = mine != joined.end() && mine->second.contains(request.room_id());
  if (!rejoin && !within_connection_cap(connection, cid)) return;
  const unsigned shard = room_shard(request.room_id());  // see input(): never read `request` in the same call
  shards_.post(shard, [this, who, connection, cid, room_id = request.room_id(), spectate = request.spectate(),
                       reservation = std::move(*request.mutable_reservation())]() mutable {
    join_here(who, connection, cid, room_id, spectate, std::move(reservation), nullptr);
  });
}

void rooms_service::join_here(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                              std::uint64_t room_id, bool spectate, std::string reservation,
                              std::move_only_function<void(const error&)> on_refused) {
  auto refuse = [&](const error& failure) {
    if (on_refused) return on_refused(failure);
    reply_error(connection, cid, failure);
  };
  auto& rooms = here().rooms;
  const auto it = rooms.find(room_id);
  if (it == rooms.end() || it->second->retiring || it->second->room->finished()) {
    return refuse({errc::room_not_found, "no room " + std::to_string(room_id) + " (it may have ended)"});
  }
  auto& live = *it->second;
  auto joined = live.room->join({who.user_id, who.username, spectate, std::move(reservation)}, steady_now_us());
  if (!joined) {
    live.flush();
    return refuse(joined.error());
  }
  // The same user from another connection takes the seat over; the old connection is told.
  if (auto old = live.connections.find(who.user_id); old != live.connections.end() && old->second != connection) {
    live.exited(who.user_id, room_exit::replaced, "you joined this room from another connection");
  }
  live.connections[who.user_id] = connection;

  v1::Envelope answer;
  answer.set_cid(cid);
  auto* body = answer.mutable_room_joined();
  const auto& room = *live.room;
  fill_info(*body->mutable_room(), room);
  fill_member(*body->mutable_you(), joined->you, true);
  body->set_schema_json(schema_json_.find(room.type().name())->second);
  body->set_tick_hz(static_cast<std::uint32_t>(room.settings().tick_hz));
  body->set_server_tick(room.current_tick());
  for (const auto* m : live.room->members()) fill_member(*body->add_members(), m->who, m->connected);
  body->set_returned(joined->returned);
  body->set_next_event_seq(joined->next_event_seq);
  body->set_events_lost(joined->events_lost);
  body->set_max_input_bytes(static_cast<std::uint32_t>(room.settings().max_input_bytes));
  body->set_max_inputs_per_tick(static_cast<std::uint32_t>(room.settings().max_inputs_per_tick));
  live.outbox.add({connection, wire::encode_shared(answer, connection->format() == wire::payload_format::json), 0, +1,
                   room_id, who.user_id});
  live.room->activate(who.user_id);  // missed events follow the answer, then snapshots from the next tick
  live.flush();
  if (live.room->finished()) retire(room_id);
}

void rooms_service::list(const connection_ptr& connection, std::uint32_t cid, v1::ListRooms request) {
  const room_type* type = type_or_refuse(connection, cid, request.type());
  if (!type) return;
  if (static_cast<std::size_t>(request.label_filter_size()) > kMaxLabelFilterFields) {
    return reply_error(connection, cid, {errc::invalid_argument, "filter on at most 8 label fields"});
  }
  auto filter = checked_options(request.label_filter());
  if (!filter) return reply_error(connection, cid, filter.error());
  struct gathering {
    v1::Envelope answer;
    unsigned shards_left;
  };
  auto gathered = std::make_shared<gathering>();
  gathered->answer.set_cid(cid);
  gathered->shards_left = shards_.size();
  const unsigned home = connection->shard();
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    shards_.post(shard, [this, type, filter = *filter, gathered, connection, home] {
      std::vector<v1::RoomInfo> found;
      for (const auto& [room_id, live] : here().rooms) {
        if (found.size() >= kMaxListedRooms) break;
        const auto& room = *live->room;
        if (&room.type() != type || room.is_private() || room.finished() || !label_matches(room.label(), filter)) continue;
        fill_info(found.emplace_back(), room);
      }
      shards_.post(home, [gathered, found = std::move(found), connection] {
        auto* list = gathered->answer.mutable_room_list();
        for (auto& info : found) {
          if (static_cast<std::size_t>(list->rooms_size()) < kMaxListedRooms) *list->add_rooms() = std::move(info);
        }
        if (--gathered->shards_left == 0) {
          connection->send(wire::encode_shared(gathered->answer, connection->format() == wire::payload_format::json));
        }
      });
    });
  }
}

void rooms_service::leave(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                          std::uint64_t room_id) {
  auto& joined = here().joined;
  const auto mine = joined.find(connection->id());
  if (mine == joined.end() || !mine->second.contains(room_id)) {
    return reply_error(connection, cid, {errc::not_member, "not in room " + std::to_string(room_id)});
  }
  mine->second.erase(room_id);
  if (mine->second.empty()) joined.erase(mine);
  shards_.post(room_shard(room_id), [this, who, connection, cid, room_id] {
    v1::Envelope answer;
    answer.set_cid(cid);
    answer.mutable_room_left()->set_room_id(room_id);
    auto& rooms = here().rooms;
    const auto it = rooms.find(room_id);
    if (it == rooms.end()) return services::deliver(shards_, connection, std::move(answer));
    auto& live = *it->second;
    if (auto member = live.connections.find(who.user_id); member != live.connections.end() && member->second == connection) {
      live.connections.erase(member);
      live.room->leave(who.user_id, steady_now_us());
    }
    live.outbox.add({connection, wire::encode_shared(answer, connection->format() == wire::payload_format::json), 0, 0, room_id});
    live.flush();
    if (live.room->finished()) retire(room_id);
  });
}

void rooms_service::input(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                          v1::RoomInput request) {
  const auto& joined = here().joined;
  const auto mine = joined.find(connection->id());
  if (mine == joined.end() || !mine->second.contains(request.room_id())) {
    rooms_metrics().inputs_dropped.add(series(input_drop_reason::not_member), std::max(1, request.inputs_size()));
    return reply_error(connection, cid, {errc::not_member, "not in room " + std::to_string(request.room_id())});
  }
  // The shard is read before the call: the order in which a call's arguments are evaluated is unspecified, and
  // GCC built the lambda (moving `request` out) first, so every input went to shard 0 (room_id() of a moved-from
  // message is 0) and rooms on other shards never moved.
  const unsigned shard = room_shard(request.room_id());
  shards_.post(shard, [this, user_id = who.user_id, connection, request = std::move(request)]() mutable {
    auto& rooms = here().rooms;
    const auto it = rooms.find(request.room_id());
    const auto frames = std::max(1, request.inputs_size());
    if (it == rooms.end()) return rooms_metrics().inputs_dropped.add(series(input_drop_reason::not_seated), frames);
    auto& live = *it->second;
    // Only the connection holding the seat plays it (a replaced one may still be sending).
    if (auto member = live.connections.find(user_id); member == live.connections.end() || member->second != connection) {
      return rooms_metrics().inputs_dropped.add(series(input_drop_reason::not_seated), frames);
    }
    for (auto& frame : *request.mutable_inputs()) {
      if (live.room->input(user_id, frame.sequence(), frame.client_tick(), frame.view_tick(), *frame.mutable_data()) ==
          room_instance::input_outcome::not_player) {
        rooms_metrics().inputs_dropped.add(series(input_drop_reason::not_playing));
      }
    }
    if (request.ack_tick() != 0) live.room->acknowledge(user_id, request.ack_tick());
  });
}

void rooms_service::message(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                            v1::RoomMessage request) {
  const auto& joined = here().joined;
  const auto mine = joined.find(connection->id());
  if (mine == joined.end() || !mine->second.contains(request.room_id())) {
    return reply_error(connection, cid, {errc::not_member, "not in room " + std::to_string(request.room_id())});
  }
  const unsigned shard = room_shard(request.room_id());  // see input()
  shards_.post(shard, [this, user_id = who.user_id, connection, cid, request = std::move(request)]() mutable {
    auto& rooms = here().rooms;
    const auto it = rooms.find(request.room_id());
    if (it == rooms.end()) {
      return reply_error(connection, cid, {errc::room_not_found, "room " + std::to_string(request.room_id()) + " has ended"});
    }
    auto& live = *it->second;
    if (auto member = live.connections.find(user_id); member == live.connections.end() || member->second != connection) {
      return reply_error(connection, cid, {errc::not_member, "not in this room"});
    }
    if (auto sent = live.room->message(user_id, request.type(), request.payload()); !sent) {
      reply_error(connection, cid, sent.error());
    }
    live.flush();
    if (live.room->finished()) retire(request.room_id());
  });
}

void rooms_service::disconnected(const identity& who, const connection_ptr& connection) {
  auto& joined = here().joined;
  const auto mine = joined.find(connection->id());
  if (mine == joined.end()) return;
  for (const auto room_id : mine->second) {
    shards_.post(room_shard(room_id), [this, user_id = who.user_id, connection, room_id] {
      drop_here(room_id, user_id, connection);
    });
  }
  joined.erase(mine);
}

}  // namespace guildhall::services
