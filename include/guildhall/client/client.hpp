#pragma once
// The one object a game holds to play on a Guildhall server.
//
//   guildhall::client::client net({.server_url = "ws://play.example.com:9700/ws"});
//   net.login_guest("device-id", [&](auto session) { ... net.connect(...) ... });
//   while (running) { net.poll(); render(); }   // callbacks and events run inside poll()
//
// Every operation completes exactly once, through its callback, with a value or a client_error: an answer from
// the server, or a local failure (timed_out, not_connected, closed). Callbacks never run inside the call that
// starts the operation, even when it fails at once: always in a later poll().
//
// Thread-safety: one thread. Construct, call, poll() and destroy a client on the same thread; callbacks and events
// run on it, inside poll(). A client does no work and starts no thread of its own: nothing happens between polls
// (a game that stops polling for longer than dead_after_ms looks dead to itself; the server waits 60 s). Distinct
// clients are independent and may live on different threads. Destroying a client closes its connection; pending
// callbacks are dropped, not called (they would run in a poll() that no longer exists).
//
// Copying: a client is movable, not copyable; a moved-from client may only be destroyed or assigned to.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "guildhall/client/chat.hpp"
#include "guildhall/client/error.hpp"
#include "guildhall/client/events.hpp"
#include "guildhall/client/export.hpp"
#include "guildhall/client/matches.hpp"
#include "guildhall/client/matchmaker.hpp"
#include "guildhall/client/options.hpp"
#include "guildhall/client/rooms.hpp"

namespace guildhall::client {

template <typename T>
using callback = std::function<void(client_result<T>)>;

// The tokens of a login: keep refresh_token to log in again later without the password (login_refresh). A refresh
// token may be good for one use only: the client keeps the newest in session().
struct login_session {
  std::uint64_t user_id = 0;
  std::string username{};
  std::string access_token{};
  std::string refresh_token{};
  std::int64_t expires_at_ms = 0;  // the access token's expiry (Unix ms)
};

// Who this connection is, once authenticated.
struct connected_info {
  std::uint64_t user_id = 0;
  std::string username{};
  std::uint64_t session_id = 0;  // the server's id of this connection, for support
};

// What the connection in use is doing: for a game's network display and for tuning. Zeros while not connected.
struct network_stats {
  enum class transport_kind : std::uint8_t { none, udp, websocket, tcp };
  transport_kind transport = transport_kind::none;  // what connect() ended up on (automatic may fall back)
  // UDP: the message layer's smoothed round trip and the fraction (0..1) of packets lost, measured all the time.
  // TCP and WebSocket: the newest ping() round trip (0 before one); loss 0, since TCP resends what is lost.
  double rtt_ms = 0;
  double packet_loss = 0;
  // Read from the network on the connection in use (a reconnection starts again from 0): frames with their
  // headers, after TLS; UDP: whole datagrams, headers and MAC included.
  std::uint64_t bytes_received = 0;
};

class GUILDHALL_CLIENT_API client {
 public:
  // Throws std::invalid_argument when validate(options) fails: options are the program's, not the network's.
  explicit client(client_options options = {});
  ~client();
  client(client&&) noexcept;
  client& operator=(client&&) noexcept;
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Runs every callback and event that is ready, then returns: never waits. Call it once per frame.
  void poll();
  void set_handlers(event_handlers handlers);

  // ---- Account (HTTP); each stores the session for connect() --------------------------------------------------
  void register_account(std::string username, std::string password, callback<login_session> done);
  void login(std::string username, std::string password, callback<login_session> done);
  void login_guest(std::string device_id, callback<login_session> done);
  void login_refresh(std::string refresh_token, callback<login_session> done);
  // The newest tokens (a reconnection may have refreshed them); empty before a login.
  login_session session() const;
  // Uses tokens kept from an earlier login (saved between runs) for connect(), instead of logging in again. An
  // expired access token is refreshed with the refresh token when connecting.
  void set_session(login_session tokens);

  // ---- Connection ------------------------------------------------------------------------------------------
  // Connects and authenticates with the last login's tokens (not_connected without one). The first connection is
  // not retried: connection_refused, timed_out... come back at once. Once connected, losses are retried as
  // client_options::reconnection says and reported through on_connection.
  void connect(callback<connected_info> done);
  // Closes the connection and stops reconnecting; pending operations complete with `closed`.
  void disconnect();
  bool connected() const;
  network_stats network() const;
  // One round trip to the server and back, in milliseconds: a game's clock sync feeds on it (clock_sync.hpp).
  void ping(callback<double> done);

  // ---- Chat -----------------------------------------------------------------------------------------------
  void join_channel(std::string channel, callback<channel_joined> done);
  void leave_channel(std::string channel, callback<void> done);
  void send_message(std::string channel, std::string text, callback<message_sent> done);
  void send_direct(std::string to_username, std::string text, callback<message_sent> done);
  // before_id 0: from the newest; limit 0: the server's default (50).
  void channel_history(std::string channel, std::uint64_t before_id, std::uint32_t limit,
                       callback<history_page> done);
  void direct_history(std::string with_username, std::uint64_t before_id, std::uint32_t limit,
                      callback<history_page> done);
  void channel_members(std::string channel, callback<std::vector<channel_member>> done);

  // ---- Turn-based matches ------------------------------------------------------------------------------------
  void create_match(match_settings settings, callback<match_snapshot> done);
  // game empty: every game.
  void list_open_matches(std::string game, callback<std::vector<match_info>> done);
  void join_match(std::uint64_t match_id, callback<match_snapshot> done);
  // Subscribes to the match's events and returns the moves after `after_ply` (0: all): also how to resume.
  void open_match(std::uint64_t match_id, std::uint32_t after_ply, callback<match_snapshot> done);
  // `expected_ply`: the moves this player has seen, so a move on a stale position is refused (not_your_turn).
  void make_move(std::uint64_t match_id, std::string move, std::optional<std::uint32_t> expected_ply,
                 callback<move_record> done);
  void act(std::uint64_t match_id, match_action action, callback<match_snapshot> done);
  void leave_match(std::uint64_t match_id, callback<void> done);
  void list_my_matches(bool include_finished, callback<std::vector<match_info>> done);
  // The notifications shown (their notification_id; at most 100 per call): the server deletes them and stops
  // sending them again.
  void acknowledge_notifications(std::vector<std::uint64_t> notification_ids, callback<void> done);
  // around_username empty: the top; limit 0: 20.
  void leaderboard(std::string game, std::string around_username, std::uint32_t limit,
                   callback<leaderboard_page> done);

  // ---- Matchmaker ------------------------------------------------------------------------------------------
  void matchmaker_add(matchmaker_request request, callback<matchmaker_ticket> done);
  void matchmaker_remove(std::uint64_t ticket, callback<void> done);

  // ---- Rooms (one at a time) ---------------------------------------------------------------------------------
  // Each join answers with room_joined; snapshots and events follow as events. Joining another room leaves
  // nothing by itself: leave_room first.
  void create_room(std::string type, room_properties options, bool is_private, callback<room_joined> done);
  void join_room(std::uint64_t room_id, callback<room_joined> done);
  void join_room_reserved(std::uint64_t room_id, std::string reservation, callback<room_joined> done);
  void join_or_create_room(std::string type, room_properties options, callback<room_joined> done);
  void spectate_room(std::uint64_t room_id, callback<room_joined> done);
  void list_rooms(std::string type, room_properties label_filter, callback<std::vector<room_info>> done);
  void leave_room(callback<void> done);
  // One input for the current tick, in the game's encoding (at most room_joined::max_input_bytes). Returns its
  // sequence number (1, 2, ...: what a prediction buffer keys on), or not_connected / invalid_options (no room,
  // too long) at once. Also acknowledges the newest snapshot; poll() acknowledges on its own, with a message of its
  // own, a snapshot no input acknowledged within a tick period (a spectator's, or a game's between inputs).
  // `client_tick` 0: the newest snapshot's tick + 1. `view_tick`: the tick of the world the player was looking at
  // when giving this input (a game drawing others interpolated sees the past: the server rewinds to it for lag
  // compensation, within its own limits); 0: the newest snapshot's tick.
  client_result<std::uint32_t> send_room_input(std::span<const std::uint8_t> data, std::uint32_t client_tick = 0,
                                               std::uint32_t view_tick = 0);
  // A reliable message to the room's game (type 1..32 bytes, payload at most 4096).
  void send_room_message(std::string type, std::string payload, callback<void> done);
  // The room this player is in (0: none), and the newest snapshot tick decoded in it.
  std::uint64_t room_id() const;
  std::uint32_t newest_snapshot_tick() const;

  struct state;  // opaque: the library's inside

 private:
  std::unique_ptr<state> state_{};
};

}  // namespace guildhall::client
