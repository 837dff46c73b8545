#pragma once
// The arena client's one seam to the network: log in, sit in an arena room, send inputs, hear snapshots, events,
// round trips and the end. Everything else in examples/arena-sdl is independent of how bytes travel, so moving
// to the SDK's public client class and the UDP transport later changes this file pair only.
//
// Today it runs on the internal src/client client_connection (WebSocket or native TCP, TLS optional), as
// src/bench/arena_player.cpp does: a blocking HTTP login first, then connect, Authenticate, and JoinRoom (by id,
// join-or-create of a public arena with bots, or with the matchmaker's reservation). Snapshots are decoded here
// with the snapshot codec against the baseline the server names, from a ring of kKeptSnapshots decoded ticks.
//
// Thread-safety: everything runs on the io_context's thread; the SDL loop polls that io_context itself, so the
// callbacks run inside its io.poll() calls.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "arena_game.hpp"
#include "wire/snapshot/entity_set.hpp"

namespace guildhall::client {
class client_connection;
}
namespace guildhall::v1 {
class Envelope;  // wire::v1 names this namespace (the generated protobuf code)
}

namespace guildhall::arena_sdl {

// Milliseconds on the steady clock: the one time base of the client (inputs, snapshots, pings, frames).
double steady_ms();

struct connection_settings {
  std::string server = "ws://127.0.0.1:9700";
  std::string user;      // with an empty password: a guest of this name
  std::string password;  // logs in (registering on first use)
  std::uint64_t room_id = 0;  // 0: join-or-create (or the matchmaker)
  bool matchmake = false;     // queue with the matchmaker (mode=ffa, 2..8 players) instead
  int bots = 3;               // join-or-create: a public arena with this many bots
};

struct joined_room {
  std::uint64_t room_id = 0;
  int seat = -1;  // -1: spectator
  int tick_hz = 30;
};

struct connection_events {
  std::function<void(const std::string& what)> on_status;  // progress for the screen: "logging in", "queued"
  std::function<void(const joined_room& room)> on_joined;
  std::function<void(std::uint32_t tick, const wire::snapshot::entity_set& world)> on_snapshot;
  std::function<void(const std::string& type, const std::string& payload)> on_event;
  std::function<void(double rtt_ms)> on_round_trip;
  std::function<void(const std::string& reason)> on_closed;  // the connection, the login or the room is gone
};

class arena_connection {
 public:
  // Decoded snapshots kept as baselines: 2 s at 30 Hz, more than the 32 ticks the server encodes against.
  static constexpr std::size_t kKeptSnapshots = 64;
  static constexpr int kPingIntervalMs = 1000;
  // Ticks over which snapshot loss is measured.
  static constexpr std::uint32_t kLossWindowTicks = 100;

  arena_connection(boost::asio::io_context& io, connection_settings settings, connection_events events);
  ~arena_connection();

  // Logs in (blocking HTTP, a few ms on a LAN), then connects, authenticates and joins; reports through events.
  void start();
  void send_inputs(const outgoing_inputs& inputs);
  void close();

  double rtt_ms() const { return rtt_ms_; }
  // Share of the last kLossWindowTicks ticks whose snapshot never came (0 over TCP, unless decoding failed).
  double snapshot_loss() const;
  std::uint64_t decode_errors() const { return decode_errors_; }

 private:
  struct kept_snapshot {
    std::uint32_t tick = 0;
    wire::snapshot::entity_set world;
  };
  void authenticate(std::string token);
  void join();
  void join_room(std::uint64_t room_id, const std::string& reservation);
  void on_push(const guildhall::v1::Envelope& push);
  void on_snapshot(std::uint32_t tick, std::uint32_t baseline_tick, const std::string& data);
  void schedule_ping();
  void closed(const std::string& reason);

  boost::asio::io_context& io_;
  connection_settings settings_;
  connection_events events_;
  std::shared_ptr<client::client_connection> connection_;
  boost::asio::steady_timer ping_timer_;
  std::deque<kept_snapshot> kept_;
  std::deque<std::uint32_t> received_ticks_;  // the newest ticks decoded, ascending, for the loss figure
  std::uint64_t room_id_ = 0;
  std::uint64_t decode_errors_ = 0;
  double rtt_ms_ = 0;
  bool closed_ = false;
};

}  // namespace guildhall::arena_sdl
