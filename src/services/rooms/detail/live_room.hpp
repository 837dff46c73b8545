#pragma once
// rooms_service internals shared by its two source files: a running room with its timer, connections and the
// outbox that batches its output per destination shard. Not for use outside services/rooms.
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "net/shard_pool.hpp"
#include "net/shard_timer.hpp"
#include "services/rooms/room_instance.hpp"
#include "services/rooms/rooms_service.hpp"

namespace guildhall::services {

// The monotonic clock every room schedule, grace and reservation is measured on.
inline std::int64_t steady_now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

// One message for one connection, with what it does to the connection's shard's record of its rooms.
struct room_delivery {
  connection_ptr connection;
  wire::shared_message message;
  std::uint64_t latest_slot = 0;  // non-zero: a snapshot, latest-wins (net::connection::send_latest)
  int membership = 0;             // +1: the connection is now in room_id; -1: no longer
  std::uint64_t room_id = 0;
  std::uint64_t user_id = 0;      // with membership +1: whose seat, to drop it if the connection is already closing
};

// Everything one call into a room produced, by destination shard; flush() hands each shard one task.
class room_outbox {
 public:
  explicit room_outbox(unsigned shard_count) : by_shard_(shard_count) {}
  void add(room_delivery delivery) {
    const unsigned shard = delivery.connection->shard();
    by_shard_[shard].push_back(std::move(delivery));
  }
  bool empty() const;
  // `deliver_here` runs each shard's batch on that shard (posted unless it is the current one).
  void flush(net::shard_pool& shards, const std::function<void(std::vector<room_delivery>&)>& deliver_here);

 private:
  std::vector<std::vector<room_delivery>> by_shard_;
};

struct rooms_service::live_room final : room_sink {
  live_room(rooms_service& service, unsigned shard, std::uint64_t room_id, std::uint64_t creator)
      : service(service), timer(service.shards_, shard), outbox(service.shards_.size()), id(room_id), creator(creator) {}

  void event(std::uint64_t user_id, const room_event& event) override;
  void snapshot(std::uint64_t user_id, std::uint32_t tick, std::uint32_t baseline_tick,
                std::span<const std::uint8_t> data) override;
  void exited(std::uint64_t user_id, room_exit why, std::string_view message) override;
  void flush();

  rooms_service& service;
  net::shard_timer timer;
  room_outbox outbox;
  std::uint64_t id;
  std::uint64_t creator;  // whose per-user room count this room is in (0: the matchmaker's)
  std::unique_ptr<room_instance> room;
  std::unordered_map<std::uint64_t, connection_ptr> connections;  // by user: members connected now
  // The last event encoded, per format: a broadcast is encoded once, not once per member.
  std::uint64_t encoded_seq = 0;
  wire::shared_message encoded_binary, encoded_json;
  bool retiring = false;
};

// A room being made, or just made, by a join-or-create, and the searches of the same kind waiting for it.
struct rooms_service::creation {
  std::uint64_t room_id = 0;  // 0 while being created
  std::int64_t made_ms = 0;
  std::vector<std::shared_ptr<room_search>> waiting;
};

struct rooms_service::shard_state {
  std::unordered_map<std::uint64_t, std::unique_ptr<live_room>> rooms;             // rooms on this shard
  std::unordered_map<std::uint64_t, std::unordered_set<std::uint64_t>> joined;     // connection id -> room ids
  std::unordered_map<std::uint64_t, std::uint32_t> created_by;                     // home users -> live rooms made
  std::unordered_map<std::string, creation> creating;  // join-or-create kinds coordinated here, by search key
};

}  // namespace guildhall::services
