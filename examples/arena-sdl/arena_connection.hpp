#pragma once
// The arena client's one seam to the network, written only against the public SDK (<guildhall/client.hpp>, the
// shared library libguildhall-client.so that any game links): log in, connect, sit in an arena room, send inputs,
// hear snapshots, events and the connection's life. Everything else in examples/arena-sdl is independent of how
// bytes travel.
//
// The steps, each started from the previous one's callback:
//   login_guest (or login, registering on first use)  ->  connect (UDP, falling back to WebSocket when UDP cannot
//   be had; or WebSocket only)  ->  join_or_create_room("arena", {bots}) | join_room(id) | matchmaker_add and,
//   once on_matchmaker_matched, join_room_reserved.
// Inputs go out with client::send_room_input, one per predicted tick, stamped with that tick and the tick the
// player was looking at; the SDK repeats each in its next two messages, so a lost datagram costs nothing.
// Snapshots arrive decoded (the SDK keeps the baselines and acknowledges); they are read by field name through the
// schema of room_joined (arena_world.hpp). A ping() each second feeds the game's clock sync on every transport;
// network() gives the round trip, loss and transport for the screen. After a lost connection the SDK reconnects
// with backoff and rejoins the room within the server's grace; when the room is gone by then (the server
// restarted, or closed it on its way down), the connection joins again the way it first did. on_closed comes only
// when it is over for good: a refused login, the reconnection given up, the match over, a kick.
//
// Thread-safety: one thread. Nothing happens between calls to poll(), which runs every event below.
#include <cstdint>
#include <functional>
#include <guildhall/client.hpp>
#include <optional>
#include <string>

#include "arena_game.hpp"
#include "arena_world.hpp"

namespace guildhall::arena_sdl {

// Milliseconds on the steady clock: the one time base of the client (inputs, snapshots, pings, frames).
double steady_ms();

enum class transport_choice { udp, websocket };

struct connection_settings {
  // ws://HOST:HTTP_PORT[/ws], or udp://HOST:UDP_PORT?http_port=N; the SDK derives the other transports' ports
  // from it (docs/sdk-cpp.md, "Transports").
  std::string server = "ws://127.0.0.1:9700/ws";
  transport_choice transport = transport_choice::udp;
  bool udp_fallback = true;  // udp: WebSocket when UDP is refused or silent
  // Impairs this client's own UDP traffic (a bad network at the desk, and the bad-network tests).
  client::client_options::network_impairment udp_impairment{};
  std::string user;      // with an empty password: a guest of this name
  std::string password;  // logs in (registering on first use)
  std::uint64_t room_id = 0;  // 0: join-or-create (or the matchmaker)
  bool spectate = false;      // with room_id: watch without a seat, seeing every fighter (no view radius)
  bool matchmake = false;     // queue with the matchmaker (mode=ffa, 2..8 players) instead
  int bots = 3;               // join-or-create: a public arena with this many bots
};

struct joined_room {
  std::uint64_t room_id = 0;
  int seat = -1;  // -1: spectator
  int tick_hz = 30;
  bool rejoined = false;  // back after a reconnection (the same room, or a new one if it was gone)
};

struct connection_events {
  // Progress and trouble for the screen: "logging in", "waiting for a match", "connection lost: ...",
  // "reconnecting (attempt 2 in 4.1 s)". An empty text: nothing to say any more (back in the room).
  std::function<void(const std::string& what)> on_status;
  std::function<void(const joined_room& room)> on_joined;  // a fresh game starts: new seat, new ticks
  std::function<void(std::uint32_t tick, const world_view& world)> on_snapshot;
  std::function<void(const std::string& type, const std::string& payload)> on_event;
  std::function<void(double rtt_ms)> on_round_trip;
  std::function<void(const std::string& reason)> on_closed;  // the login, the connection or the room is gone
};

class arena_connection {
 public:
  static constexpr double kPingIntervalMs = 1000;

  arena_connection(connection_settings settings, connection_events events);
  // The SDK's handlers hold `this`.
  arena_connection(const arena_connection&) = delete;
  arena_connection& operator=(const arena_connection&) = delete;

  // Starts the login; everything else follows inside poll().
  void start();
  // Once per frame: runs the SDK's callbacks (and so this connection's events), and the ping of each second.
  void poll();
  // The frames of `inputs` not sent before (arena_game repeats frames; the SDK already does).
  void send_inputs(const outgoing_inputs& inputs);
  void close();

  bool over_udp() const;
  // Over UDP the message layer's smoothed round trip and packet loss (0..1); over WebSocket the last ping's round
  // trip and no loss (TCP resends).
  client::network_stats network() const { return client_.network(); }
  double rtt_ms() const { return network().rtt_ms; }
  double loss() const { return network().packet_loss; }
  std::uint64_t decode_errors() const { return decode_errors_; }
  // The SDK underneath, for tools and tests beside the game (chat, room messages).
  client::client& sdk() { return client_; }

 private:
  void logged_in();
  void join();
  void joined(const client::client_result<client::room_joined>& result, bool rejoined);
  void on_connection(const client::connection_event& event);
  void on_room_closed(const client::room_closed& closed);
  void status(const std::string& what);
  void closed(const std::string& reason);
  client::callback<client::room_joined> on_join(bool rejoined);

  connection_settings settings_;
  connection_events events_;
  client::client client_;
  std::optional<world_layout> layout_;
  std::uint64_t room_id_ = 0;
  std::uint32_t last_sequence_sent_ = 0;  // arena_game's input sequence
  std::uint64_t decode_errors_ = 0;
  double next_ping_ms_ = 0;
  bool connected_once_ = false;
  bool reconnected_ = false;  // since the last join: a room that cannot be rejoined is joined afresh
  bool seat_lost_ = false;    // the room closed for a server shutdown: join afresh once reconnected
  bool closed_ = false;
};

}  // namespace guildhall::arena_sdl
