#pragma once
// One running room: the handler, its members (seats, spectators, reconnection grace), reservations, inputs,
// reliable events and the per-client snapshots of every tick. It owns no socket, timer or clock: the service
// (rooms_service) calls it with the time and hands its output (room_sink) to connections, so "ten clients join,
// one drops at tick 300 and comes back" is a unit test.
// Thread-safety: none; a room lives on one shard and every call is made there, one at a time. The handler's
// room_context calls that change membership (kick, end) take effect after the handler's callback returns.
#include <cstdint>
#include <expected>
#include <memory>
#include <random>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <guildhall/room.hpp>

#include "base/result.hpp"
#include "services/rooms/event_log.hpp"
#include "services/rooms/input_queue.hpp"
#include "services/rooms/room_label.hpp"
#include "services/rooms/snapshot_builder.hpp"
#include "services/rooms/tick_schedule.hpp"
#include "services/rooms/world_frame.hpp"

namespace guildhall::services {

// Why a member stopped receiving a room (RoomClosed.Reason).
enum class room_exit : std::uint8_t { ended, kicked, replaced, disposed, grace_expired, shutdown };

// Where a room's output goes, in the order it is produced. rooms_service implements it (one batch per destination
// shard per call into the room); tests record it.
class room_sink {
 public:
  virtual ~room_sink() = default;
  virtual void event(std::uint64_t user_id, const room_event& event) = 0;
  virtual void snapshot(std::uint64_t user_id, std::uint32_t tick, std::uint32_t baseline_tick,
                        std::span<const std::uint8_t> data) = 0;
  // The member is out of the room (after its last event): tell its connection.
  virtual void exited(std::uint64_t user_id, room_exit why, std::string_view message) = 0;
};

struct room_timing {
  std::int64_t reconnect_grace_ms = 20'000;
  std::int64_t empty_dispose_ms = 30'000;
};

struct room_stats {
  std::uint64_t ticks = 0;
  std::uint64_t late_ticks = 0;
  std::uint64_t stalls = 0;
  std::uint64_t snapshot_bytes = 0;
  std::uint64_t entities_rejected = 0;
  std::uint64_t inputs_dropped[static_cast<std::size_t>(input_drop::count)] = {};
};

struct member_state {
  room_member who;
  bool connected = true;        // false while within the reconnection grace
  std::int64_t dropped_at_ms = 0;
  bool active = false;          // receives events and snapshots (after the join answer went out)
  std::uint64_t delivered_seq = 0;  // last event seq handed to it
  input_queue inputs;
  snapshot_client view;
  member_state(room_member m, const room_settings& s) : who(std::move(m)), inputs(s.max_inputs_per_tick, s.max_input_bytes) {}
};

class room_instance final : private room_context {
 public:
  // Bounds on what a game hands the engine: a runaway game must not fill memory through its events.
  static constexpr std::size_t kMaxEventTypeBytes = 32;
  static constexpr std::size_t kMaxEventPayloadBytes = 16 * 1024;
  static constexpr std::size_t kMaxReservations = 64;

  struct params {
    std::uint64_t id = 0;
    const room_type* type = nullptr;
    room_options options;
    bool is_private = false;
    std::vector<std::uint64_t> invited;  // private rooms: who may join besides the creator
    std::uint64_t seed = 0;
    std::int64_t now_us = 0;  // creation time, and the start of the tick schedule (monotonic clock)
    room_timing timing;
    // Start the schedule up to a period later, at this room's phase of tick_schedule::spread_start (the engine
    // does; tests that count ticks from now_us do not).
    bool spread_tick_phase = false;
  };
  // A room, or why the game refused its options (errc::room_refused) or its type's settings are unusable.
  static result<std::unique_ptr<room_instance>> create(params p, room_sink& sink);
  ~room_instance() override;

  struct join_request {
    std::uint64_t user_id = 0;
    std::string username;
    bool spectate = false;
    std::string reservation;
  };
  struct joined {
    room_member you;
    bool returned = false;
    std::uint64_t next_event_seq = 0;
    bool events_lost = false;
  };
  // Seats (or returns) a member. Its events and snapshots start only with activate(), so the caller can send the
  // join answer first.
  result<joined> join(const join_request& request, std::int64_t now_us);
  // Starts delivery to a joined member: replays the events since its last delivered one (a returning member's
  // missed events), and its next snapshot is full.
  void activate(std::uint64_t user_id);
  // Left on purpose: the seat is free.
  void leave(std::uint64_t user_id, std::int64_t now_us);
  // The member's connection is gone: the seat is kept for the reconnection grace.
  void drop(std::uint64_t user_id, std::int64_t now_us);

  // Queues one input; false (and counted) when it was dropped. `data` is moved from when queued.
  enum class input_outcome { queued, dropped, not_player };
  input_outcome input(std::uint64_t user_id, std::uint32_t sequence, std::uint32_t client_tick,
                      std::uint32_t view_tick, std::string& data);
  void acknowledge(std::uint64_t user_id, std::uint32_t tick);
  result<void> message(std::uint64_t user_id, std::string_view type, std::string_view payload);

  // Holds a seat for `user_id` until `expires_ms` (matchmaking): `token` joins it.
  result<void> reserve(std::uint64_t user_id, std::string token, std::int64_t expires_ms);

  // Runs every tick due at `now_us` (see tick_schedule), then expires graces and reservations. Returns when the
  // next tick is due.
  std::int64_t run_due(std::int64_t now_us);

  bool finished() const { return finished_; }  // ended or disposed: the service removes it
  std::uint64_t id() const { return id_; }
  const room_type& type() const { return type_; }
  const room_settings& settings() const { return settings_; }
  const std::string& label_json() const { return label_json_; }
  const label_fields& label() const { return label_; }
  bool locked() const { return locked_; }
  bool is_private() const { return private_; }
  std::size_t players() const { return players_; }
  std::size_t spectators() const { return spectators_; }
  std::size_t free_seats() const;
  std::uint32_t current_tick() const { return tick_; }
  std::vector<member_state*> members();
  const member_state* member(std::uint64_t user_id) const;
  const room_stats& stats() const { return stats_; }
  std::uint64_t next_event_seq() const { return events_.next_seq(); }

 private:
  room_instance(params p, const room_settings& settings, room_sink& sink);

  // room_context
  std::uint64_t room_id() const override { return id_; }
  std::uint32_t tick() const override { return tick_; }
  std::int64_t now_ms() const override { return now_us_ / 1000; }
  int tick_hz() const override { return settings_.tick_hz; }
  std::mt19937_64& random() override { return random_; }
  void broadcast(std::string_view type, std::string_view payload) override;
  void send(std::uint64_t user_id, std::string_view type, std::string_view payload) override;
  void set_label(std::string json_object) override;
  void set_locked(bool locked) override;
  void kick(std::uint64_t user_id, std::string_view reason) override;
  void end(std::string_view reason) override;

  void run_tick(const tick_schedule::due_tick& due);
  void send_snapshots();
  void emit(room_event event);
  void member_event(member_change change, const member_state& m);
  // Removes a member for good (on_leave(left) first), telling its connection why.
  void remove(std::uint64_t user_id, room_exit why, std::string_view message);
  // Kicks and an end requested by the handler, at a safe point (no handler callback on the stack).
  void settle(bool allow_end);
  void expire(std::int64_t now_ms);
  result<int> take_seat(const join_request& request, std::int64_t now_ms);
  result<void> admit(const join_request& request) const;

  std::uint64_t id_;
  const room_type& type_;
  room_settings settings_;
  room_timing timing_;
  room_sink& sink_;
  std::unique_ptr<room> handler_;
  tick_schedule schedule_;
  std::mt19937_64 random_;
  world_frame frame_;
  snapshot_builder builder_;
  event_log events_;
  std::vector<std::unique_ptr<member_state>> members_;  // join order
  struct reservation {
    std::uint64_t user_id;
    std::string token;
    std::int64_t expires_ms;
  };
  std::vector<reservation> reservations_;
  std::set<std::uint64_t> invited_;
  bool private_;
  std::string label_json_ = "{}";
  label_fields label_;
  bool locked_ = false;
  std::size_t players_ = 0;     // seated, connected or within grace
  std::size_t spectators_ = 0;
  std::int64_t empty_since_ms_;  // when the room last had no player (nor reservation)
  std::uint32_t tick_ = 0;
  std::int64_t now_us_;
  std::vector<std::pair<std::uint64_t, std::string>> kicks_;  // requested by the handler
  std::optional<std::string> ending_;                         // end() was called
  bool finished_ = false;
  room_stats stats_;
  std::vector<std::uint8_t> scratch_;  // one snapshot's bytes, reused
};

}  // namespace guildhall::services
