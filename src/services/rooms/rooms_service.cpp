// rooms_service: rooms on their shards, their timers, and the batched delivery of what they produce. The requests
// clients make are in rooms_service_requests.cpp.
#include "services/rooms/rooms_service.hpp"

#include <sodium.h>

#include <chrono>
#include <latch>
#include <spdlog/spdlog.h>

#include "base/ids.hpp"
#include "services/delivery.hpp"
#include "services/rooms/detail/live_room.hpp"
#include "services/rooms/room_metrics.hpp"
#include "wire/snapshot/schema_json.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;
namespace {

v1::RoomClosed::Reason to_wire(room_exit why) {
  switch (why) {
    case room_exit::ended: return v1::RoomClosed::ENDED;
    case room_exit::kicked: return v1::RoomClosed::KICKED;
    case room_exit::replaced: return v1::RoomClosed::REPLACED;
    case room_exit::disposed: return v1::RoomClosed::DISPOSED;
    case room_exit::grace_expired: return v1::RoomClosed::ENDED;
    case room_exit::shutdown: return v1::RoomClosed::SHUTDOWN;
  }
  return v1::RoomClosed::REASON_UNSPECIFIED;
}

v1::MemberChange::Kind to_wire(member_change change) {
  switch (change) {
    case member_change::joined: return v1::MemberChange::JOINED;
    case member_change::left: return v1::MemberChange::LEFT;
    case member_change::dropped: return v1::MemberChange::DROPPED;
    case member_change::returned: return v1::MemberChange::RETURNED;
    case member_change::none: break;
  }
  return v1::MemberChange::KIND_UNSPECIFIED;
}

bool wants_json(const connection_ptr& connection) { return connection->format() == wire::payload_format::json; }

}  // namespace

// ---- Outbox --------------------------------------------------------------------------------------------------

bool room_outbox::empty() const {
  for (const auto& batch : by_shard_) {
    if (!batch.empty()) return false;
  }
  return true;
}

void room_outbox::flush(net::shard_pool& shards, const std::function<void(std::vector<room_delivery>&)>& deliver_here) {
  const auto local = net::shard_pool::current_shard();
  for (unsigned shard = 0; shard < by_shard_.size(); ++shard) {
    auto& batch = by_shard_[shard];
    if (batch.empty()) continue;
    if (local && *local == shard) {
      deliver_here(batch);
      batch.clear();
      continue;
    }
    // One task per destination shard per call into the room, whatever the number of its members there.
    shards.post(shard, [deliver_here, batch = std::exchange(batch, {})]() mutable { deliver_here(batch); });
  }
}

// ---- A room's output -----------------------------------------------------------------------------------------

void rooms_service::live_room::event(std::uint64_t user_id, const room_event& event) {
  const auto it = connections.find(user_id);
  if (it == connections.end()) return;
  if (encoded_seq != event.seq) {
    encoded_seq = event.seq;
    encoded_binary.reset();
    encoded_json.reset();
  }
  auto& cached = wants_json(it->second) ? encoded_json : encoded_binary;
  if (!cached) {
    v1::Envelope push;
    auto* body = push.mutable_room_event();
    body->set_room_id(id);
    body->set_seq(event.seq);
    body->set_type(event.type);
    body->set_payload(event.payload);
    if (event.change != member_change::none) {
      auto* change = body->mutable_member_change();
      change->set_kind(to_wire(event.change));
      auto* member = change->mutable_member();
      member->set_user_id(event.member.user_id);
      member->set_username(event.member.username);
      member->set_seat(event.member.seat);
      member->set_spectator(event.member.spectator);
      member->set_connected(event.connected);
    }
    cached = wire::encode_shared(push, &cached == &encoded_json);
  }
  outbox.add({it->second, cached, 0, 0, id});
}

void rooms_service::live_room::snapshot(std::uint64_t user_id, std::uint32_t tick, std::uint32_t baseline_tick,
                                        std::span<const std::uint8_t> data) {
  const auto it = connections.find(user_id);
  if (it == connections.end()) return;
  v1::Envelope push;
  auto* body = push.mutable_room_snapshot();
  body->set_room_id(id);
  body->set_tick(tick);
  body->set_baseline_tick(baseline_tick);
  body->set_data(reinterpret_cast<const char*>(data.data()), data.size());
  outbox.add({it->second, wire::encode_shared(push, wants_json(it->second)), id, 0, id});
}

void rooms_service::live_room::exited(std::uint64_t user_id, room_exit why, std::string_view message) {
  const auto it = connections.find(user_id);
  if (it == connections.end()) return;
  v1::Envelope push;
  auto* body = push.mutable_room_closed();
  body->set_room_id(id);
  body->set_reason(to_wire(why));
  body->set_message(std::string(message));
  outbox.add({it->second, wire::encode_shared(push, wants_json(it->second)), 0, -1, id});
  connections.erase(it);
}

void rooms_service::live_room::flush() {
  outbox.flush(service.shards_, [&service = service](std::vector<room_delivery>& batch) {
    auto& joined = service.here().joined;
    for (auto& delivery : batch) {
      if (delivery.membership > 0) {
        // A connection that closed while its join was on the way would hold the seat as connected for ever: its
        // on_closed has run, or will find no record of this room. Drop the seat instead.
        if (delivery.connection->send(std::move(delivery.message)) == net::send_status::queued) {
          joined[delivery.connection->id()].insert(delivery.room_id);
        } else {
          service.shards_.post(service.room_shard(delivery.room_id),
                               [&service, room_id = delivery.room_id, user_id = delivery.user_id,
                                connection = delivery.connection] { service.drop_here(room_id, user_id, connection); });
        }
        continue;
      }
      if (delivery.membership < 0) {
        if (auto it = joined.find(delivery.connection->id()); it != joined.end()) {
          it->second.erase(delivery.room_id);
          if (it->second.empty()) joined.erase(it);
        }
      }
      if (delivery.latest_slot != 0) {
        delivery.connection->send_latest(std::move(delivery.message), delivery.latest_slot);
      } else {
        delivery.connection->send(std::move(delivery.message));
      }
    }
  });
}

// ---- The service ---------------------------------------------------------------------------------------------

rooms_service::rooms_service(net::shard_pool& shards, const room_registry& types, rooms_config config)
    : shards_(shards),
      types_(types),
      config_(config),
      rooms_per_shard_(std::make_unique<std::atomic<std::uint32_t>[]>(shards.size())),
      // Ids never repeat across restarts in practice: they start from the clock (ms), one apart per room.
      next_serial_(static_cast<std::uint64_t>(unix_now_ms())) {
  for (unsigned shard = 0; shard < shards.size(); ++shard) states_.push_back(std::make_unique<shard_state>());
  for (const auto& name : types.names()) schema_json_[name] = wire::snapshot::schema_to_json(types.find(name)->schema());
  rooms_metrics();  // registered before the first scrape
}

rooms_service::~rooms_service() {
  // The shards have stopped: no timer fires any more. Rooms go with their handlers here, on the owner's thread.
  for (auto& state : states_) {
    rooms_live_.fetch_sub(static_cast<std::uint32_t>(state->rooms.size()));
    rooms_metrics().rooms_live.add(0, -static_cast<std::int64_t>(state->rooms.size()));
    state->rooms.clear();
  }
}

void rooms_service::close_all_for_shutdown() {
  std::latch told(static_cast<std::ptrdiff_t>(shards_.size()));
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    shards_.post(shard, [this, &told] {
      for (auto& [room_id, live] : here().rooms) {
        while (!live->connections.empty()) {  // exited() erases the member it tells
          live->exited(live->connections.begin()->first, room_exit::shutdown, "the server is shutting down");
        }
        live->flush();  // posts to each connection's shard before the transport's close does
      }
      told.count_down();
    });
  }
  told.wait();
}

rooms_service::shard_state& rooms_service::here() { return *states_[*net::shard_pool::current_shard()]; }

std::uint64_t rooms_service::reserve_room_id() {
  if (rooms_live_.fetch_add(1) >= config_.max_rooms) {
    rooms_live_.fetch_sub(1);
    return 0;
  }
  unsigned best = 0;
  for (unsigned shard = 1; shard < shards_.size(); ++shard) {
    if (rooms_per_shard_[shard].load(std::memory_order_relaxed) < rooms_per_shard_[best].load(std::memory_order_relaxed)) {
      best = shard;
    }
  }
  rooms_per_shard_[best].fetch_add(1);
  rooms_metrics().rooms_live.add(0, 1);
  return next_serial_.fetch_add(1) * shards_.size() + best;
}

void rooms_service::release_room_id(std::uint64_t room_id) {
  rooms_per_shard_[room_shard(room_id)].fetch_sub(1);
  rooms_live_.fetch_sub(1);
  rooms_metrics().rooms_live.add(0, -1);
}

void rooms_service::start_room(std::unique_ptr<live_room> made) {
  auto& live = *made;
  here().rooms.emplace(live.id, std::move(made));
  arm(live);
}

void rooms_service::arm(live_room& live) {
  const auto due = std::chrono::steady_clock::time_point(std::chrono::microseconds(live.room->run_due(steady_now_us())));
  live.timer.run_at(due, [this, room_id = live.id] { on_timer(room_id); });
}

void rooms_service::on_timer(std::uint64_t room_id) {
  auto& rooms = here().rooms;
  const auto it = rooms.find(room_id);
  if (it == rooms.end()) return;
  auto& live = *it->second;
  const auto started = std::chrono::steady_clock::now();
  const std::uint64_t ticks_before = live.room->stats().ticks;
  const std::int64_t next_due = live.room->run_due(steady_now_us());
  const std::uint64_t ran = live.room->stats().ticks - ticks_before;
  live.flush();
  if (ran > 0) {
    const auto spent = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    for (std::uint64_t i = 0; i < ran; ++i) rooms_metrics().tick_time.observe(0, static_cast<std::uint64_t>(spent.count()) / ran);
  }
  if (live.room->finished()) return retire(room_id);
  live.timer.run_at(std::chrono::steady_clock::time_point(std::chrono::microseconds(next_due)),
                    [this, room_id] { on_timer(room_id); });
}

void rooms_service::drop_here(std::uint64_t room_id, std::uint64_t user_id, const connection_ptr& connection) {
  auto& rooms = here().rooms;
  const auto it = rooms.find(room_id);
  if (it == rooms.end()) return;
  auto& live = *it->second;
  const auto member = live.connections.find(user_id);
  if (member == live.connections.end() || member->second != connection) return;  // replaced meanwhile
  live.connections.erase(member);
  live.room->drop(user_id, steady_now_us());
  live.flush();
  if (live.room->finished()) retire(room_id);
}

void rooms_service::retire(std::uint64_t room_id) {
  auto& rooms = here().rooms;
  const auto it = rooms.find(room_id);
  if (it == rooms.end() || it->second->retiring) return;
  it->second->retiring = true;
  it->second->timer.cancel();
  // Everyone still connected hears why (the room told the sink already for ends and disposals).
  for (const auto& [user_id, connection] : std::unordered_map(it->second->connections)) {
    it->second->exited(user_id, room_exit::ended, "the room has closed");
  }
  it->second->flush();
  const std::uint64_t creator = it->second->creator;
  // Destroyed from a fresh task, never inside the timer callback or room call that found it finished.
  shards_.post(room_shard(room_id), [this, room_id] { here().rooms.erase(room_id); });
  release_room_id(room_id);
  if (creator != 0) {
    shards_.post(home_shard(creator), [this, creator] {
      auto& created = here().created_by;
      if (auto found = created.find(creator); found != created.end() && --found->second == 0) created.erase(found);
    });
  }
}

void rooms_service::reply_error(const connection_ptr& connection, std::uint32_t cid, const error& failure) {
  services::deliver(shards_, connection, wire::make_error(cid, failure));
}

void rooms_service::create_reserved(std::string type_name, room_options options, std::vector<std::uint64_t> user_ids,
                                    placement_done done) {
  const room_type* type = types_.find(type_name);
  if (!type) return done(std::unexpected("no room type '" + type_name + "'"));
  if (user_ids.empty() || user_ids.size() > room_instance::kMaxReservations) {
    return done(std::unexpected(std::string("a reserved room needs 1..64 users")));
  }
  const std::uint64_t room_id = reserve_room_id();
  if (room_id == 0) return done(std::unexpected(std::string("the server holds its maximum of rooms")));
  shards_.post(room_shard(room_id), [this, room_id, type, options = std::move(options), user_ids = std::move(user_ids),
                                     done = std::move(done)]() mutable {
    auto live = std::make_unique<live_room>(*this, room_shard(room_id), room_id, 0);
    const std::int64_t now_us = steady_now_us();
    room_instance::params params{room_id, type, std::move(options), true, user_ids, randombytes_random(), now_us,
                                 {config_.reconnect_grace_ms, config_.empty_dispose_ms}, true};
    params.seed = (params.seed << 32) | randombytes_random();
    auto made = room_instance::create(std::move(params), *live);
    if (!made) {
      release_room_id(room_id);
      return done(std::unexpected(made.error().message));
    }
    live->room = std::move(*made);
    placement result{room_id, {}};
    for (const auto user_id : user_ids) {
      unsigned char raw[18];
      randombytes_buf(raw, sizeof raw);
      char text[sizeof raw * 2 + 1];
      sodium_bin2hex(text, sizeof text, raw, sizeof raw);
      if (auto held = live->room->reserve(user_id, text, now_us / 1000 + config_.reservation_ttl_ms); !held) {
        release_room_id(room_id);
        return done(std::unexpected(held.error().message));
      }
      result.reservations.emplace_back(user_id, text);
    }
    live->flush();
    start_room(std::move(live));
    done(std::move(result));
  });
}

}  // namespace guildhall::services
