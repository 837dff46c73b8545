#pragma once
// The arena client's one seam to the network: log in, sit in an arena room, send inputs, hear snapshots, events,
// round trips and the end. Everything else in examples/arena-sdl is independent of how bytes travel.
//
// It runs on src/client's session: a blocking HTTP login first, then (over UDP, the default) a connect token
// fetched over HTTP and the UDP handshake, which authenticates the user; when UDP cannot be had (the server has it
// off, a firewall drops it) the session falls back to WebSocket on the same server's HTTP port. Then JoinRoom (by
// id, join-or-create of a public arena with bots, or with the matchmaker's reservation). Room inputs go out with
// session::notify_unreliable: over UDP on the unreliable channel (each input rides kInputCopies messages, so a
// lost one is covered by the next), over WebSocket as ordinary frames. Ping and loss come from the UDP
// connection's own estimates; over WebSocket from a Ping request each second and from missing snapshot ticks.
// Snapshots are decoded here with the snapshot codec against the baseline the server names, from a ring of
// kKeptSnapshots decoded ticks. After a lost connection the session reconnects by itself, and the room is joined
// again by id (the server keeps a seat for a while); on_closed comes when the session gives up.
//
// Thread-safety: everything runs on the io_context's thread; the SDL loop polls that io_context itself, so the
// callbacks run inside its io.poll() calls.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "arena_game.hpp"
#include "base/result.hpp"
#include "client/server_url.hpp"
#include "wire/snapshot/entity_set.hpp"
#include "wire/udp/network_simulator.hpp"

namespace guildhall::client {
class session;
}
namespace guildhall::v1 {
class Envelope;  // wire::v1 names this namespace (the generated protobuf code)
}

namespace guildhall::arena_sdl {

// Milliseconds on the steady clock: the one time base of the client (inputs, snapshots, pings, frames).
double steady_ms();

enum class transport_choice { udp, websocket };

struct connection_settings {
  // Any of the SDK's URLs; `transport` decides how it is reached: udp turns ws://HOST:HTTP_PORT into
  // udp://HOST:HTTP_PORT+2?http_port=HTTP_PORT (the default port layout), websocket turns a udp:// URL into the
  // WebSocket of its HTTP port. tcp:// and TLS URLs are used as they are.
  std::string server = "ws://127.0.0.1:9700";
  transport_choice transport = transport_choice::udp;
  bool udp_fallback = true;  // UDP refused or silent: WebSocket instead
  // Impairs this client's own UDP traffic (a bad network at the desk, and the bad-network tests).
  std::optional<wire::udp::impairment_config> udp_impairment;
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
  std::function<void(const guildhall::v1::Envelope& push)> on_push;  // every push, after the above (optional)
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
  // A reliable request on the same connection (chat, room messages), for tools and tests beside the game.
  void request(guildhall::v1::Envelope message, std::function<void(const guildhall::v1::Envelope&)> on_reply);
  void close();

  bool over_udp() const;
  // Over UDP the message layer's smoothed round trip; otherwise the last Ping's.
  double rtt_ms() const;
  // Over UDP the message layer's packet loss estimate (0..1); otherwise the share of the last kLossWindowTicks
  // ticks whose snapshot never came (0 over TCP, unless decoding failed).
  double loss() const;
  double snapshot_loss() const;
  std::uint64_t decode_errors() const { return decode_errors_; }

 private:
  struct kept_snapshot {
    std::uint32_t tick = 0;
    wire::snapshot::entity_set world;
  };
  void join();
  void join_room(std::uint64_t room_id, const std::string& reservation);
  void on_push(const guildhall::v1::Envelope& push);
  void on_snapshot(std::uint32_t tick, std::uint32_t baseline_tick, const std::string& data);
  void schedule_ping();
  void closed(const std::string& reason);

  boost::asio::io_context& io_;
  connection_settings settings_;
  connection_events events_;
  std::shared_ptr<client::session> session_;
  boost::asio::steady_timer ping_timer_;
  std::deque<kept_snapshot> kept_;
  std::deque<std::uint32_t> received_ticks_;  // the newest ticks decoded, ascending, for the loss figure
  std::uint64_t room_id_ = 0;
  std::uint64_t decode_errors_ = 0;
  double rtt_ms_ = 0;
  bool closed_ = false;
};

// The URL to connect to for `server` and `transport` (see connection_settings::server).
result<client::server_url> connection_url(const std::string& server, transport_choice transport);

}  // namespace guildhall::arena_sdl
