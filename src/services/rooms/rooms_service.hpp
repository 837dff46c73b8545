#pragma once
// Real-time rooms on the shards. A room lives on the shard its id maps to (id % shards) and runs there on its own
// timer; connections stay on the shard that accepted them. Each call into a room (a tick, a join, an input)
// collects its output (snapshots, events, answers) per destination shard and hands each shard ONE task carrying
// all of it, as chat broadcasts do: a tick of an 8-player room on 2 shards costs at most one cross-shard post,
// not eight (docs/architecture.md, "Real-time rooms", explains why this rather than moving connections).
// Thread-safety: request methods are called on the calling connection's shard; a room is touched only on its
// shard; per-connection membership lives on the connection's shard; answers go back there.
#include <atomic>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "net/connection.hpp"
#include "net/shard_pool.hpp"
#include "services/chat/chat_config.hpp"
#include "services/matchmaker/room_allocator.hpp"
#include "services/rooms/room_registry.hpp"
#include "services/rooms/rooms_config.hpp"
#include "wire/codec.hpp"

namespace guildhall::services {

using connection_ptr = std::shared_ptr<net::connection>;  // as in services/chat

class rooms_service {
 public:
  // Inputs in one RoomInput message at most: a client resends its last few inputs, not its history.
  static constexpr int kMaxInputsPerMessage = 8;
  // Ceiling on one input's bytes before it reaches any room (each type has its own, smaller, max_input_bytes).
  static constexpr std::size_t kMaxInputFrameBytes = 1024;
  static constexpr std::size_t kMaxMessageTypeBytes = 32;
  static constexpr std::size_t kMaxMessagePayloadBytes = 4096;
  static constexpr std::size_t kMaxOptions = 16;
  static constexpr std::size_t kMaxOptionBytes = 256;   // per key and per value
  static constexpr std::size_t kMaxInvited = 64;
  static constexpr std::size_t kMaxListedRooms = 100;

  rooms_service(net::shard_pool& shards, const room_registry& types, rooms_config config);
  ~rooms_service();
  rooms_service(const rooms_service&) = delete;
  rooms_service& operator=(const rooms_service&) = delete;

  const rooms_config& config() const { return config_; }

  void create(const identity& who, const connection_ptr& connection, std::uint32_t cid, wire::v1::CreateRoom request);
  void join(const identity& who, const connection_ptr& connection, std::uint32_t cid, wire::v1::JoinRoom request);
  void list(const connection_ptr& connection, std::uint32_t cid, wire::v1::ListRooms request);
  void leave(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t room_id);
  // No answer unless refused (then an Error with `cid`).
  void input(const identity& who, const connection_ptr& connection, std::uint32_t cid, wire::v1::RoomInput request);
  void message(const identity& who, const connection_ptr& connection, std::uint32_t cid, wire::v1::RoomMessage request);
  // The connection is gone (call on its shard): its seats go into their reconnection grace.
  void disconnected(const identity& who, const connection_ptr& connection);
  // At shutdown, before the connections are closed: every connected member of every room gets
  // RoomClosed{SHUTDOWN}, so a client knows the room is gone rather than trying to rejoin it after a reconnect.
  // From the owner thread while the shards run; returns once every shard has queued its messages.
  void close_all_for_shutdown();

  // For the matchmaker: creates a private room of `type` with a seat held for each user, and calls `done` (on the
  // room's shard) with the room id and one reservation token per user (JoinRoom{room_id, reservation}). Tokens
  // expire unused after rooms.reservation_ttl_ms. Any thread; `done` runs on the room's shard, so a caller that
  // lives on another shard posts its answer home.
  using placement = room_allocator::placement;
  using placement_done = std::move_only_function<void(std::expected<placement, std::string>)>;
  void create_reserved(std::string type, room_options options, std::vector<std::uint64_t> user_ids, placement_done done);

  // Rooms running now (all shards).
  std::uint32_t rooms_live() const { return rooms_live_.load(std::memory_order_relaxed); }

 private:
  struct live_room;
  struct shard_state;
  struct room_search;
  struct creation;

  unsigned room_shard(std::uint64_t room_id) const { return static_cast<unsigned>(room_id % shards_.size()); }
  unsigned home_shard(std::uint64_t user_id) const { return static_cast<unsigned>(user_id % shards_.size()); }
  shard_state& here();
  // A new room's id, on the least loaded shard; 0 when the server holds rooms.max_rooms.
  std::uint64_t reserve_room_id();
  void release_room_id(std::uint64_t room_id);

  // Told the new room's id once the creator's join was tried, or 0 when no room was made; runs on whichever shard
  // finished the attempt. May be empty.
  using creation_done = std::move_only_function<void(std::uint64_t room_id)>;
  // Any shard, for a checked request: counts the room against its creator's rooms.max_rooms_per_user (on their
  // home shard) and the server's rooms.max_rooms, then creates it on its shard, or answers why not.
  void admit_and_create(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                        const room_type& type, room_options options, bool is_private,
                        std::vector<std::uint64_t> invited, creation_done created);
  // On the room's shard: creates the room (the caller's admission already counted) or answers why not.
  void create_here(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t room_id,
                   const room_type& type, room_options options, bool is_private, std::vector<std::uint64_t> invited,
                   creation_done created);
  // On the room's shard: joins `room_id`; `on_refused` (if set) runs instead of answering a refusal.
  void join_here(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t room_id,
                 bool spectate, std::string reservation, std::move_only_function<void(const error&)> on_refused);
  void join_or_create(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                      wire::v1::JoinRoom request);
  void try_candidates(std::shared_ptr<room_search> search);
  // On the search's coordinator shard: no candidate took it; join the room another search of the same kind is
  // creating or just created, or create one (see rooms_service_join_or_create.cpp).
  void join_or_create_decide(std::shared_ptr<room_search> search);
  void join_or_create_created(const std::string& key, std::uint64_t room_id);
  void join_created(std::shared_ptr<room_search> search, std::uint64_t room_id);
  void start_room(std::unique_ptr<live_room> made);
  void arm(live_room& live);
  void on_timer(std::uint64_t room_id);
  // On the room's shard: the member's connection is gone; its seat goes into the reconnection grace.
  void drop_here(std::uint64_t room_id, std::uint64_t user_id, const connection_ptr& connection);
  void retire(std::uint64_t room_id);
  // The room type called `name`, or nullptr with ROOM_NOT_FOUND answered.
  const room_type* type_or_refuse(const connection_ptr& connection, std::uint32_t cid, const std::string& name);
  // On the connection's shard: false (and the error answered) when the connection is in
  // rooms.max_rooms_per_connection rooms already.
  bool within_connection_cap(const connection_ptr& connection, std::uint32_t cid);
  void reply_error(const connection_ptr& connection, std::uint32_t cid, const error& failure);

  net::shard_pool& shards_;
  const room_registry& types_;
  rooms_config config_;
  std::map<std::string, std::string, std::less<>> schema_json_;  // by type name, written once at construction
  std::vector<std::unique_ptr<shard_state>> states_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> rooms_per_shard_;
  std::atomic<std::uint32_t> rooms_live_{0};
  std::atomic<std::uint64_t> next_serial_;
};

}  // namespace guildhall::services
