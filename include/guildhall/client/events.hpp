#pragma once
// What the server and the connection tell a game without being asked. Set the handlers a game cares about;
// unset ones drop their events. Every handler runs inside client::poll(), on the thread that calls it.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "guildhall/client/chat.hpp"
#include "guildhall/client/error.hpp"
#include "guildhall/client/matches.hpp"
#include "guildhall/client/matchmaker.hpp"
#include "guildhall/client/rooms.hpp"

namespace guildhall::client {

// The connection's life after connect() succeeded. A loss is `disconnected` then one `reconnecting` per
// scheduled attempt, and ends in `reconnected` or `gave_up`. With reconnection.rejoin, the requests that rejoin the
// channels and the room are already sent when `reconnected` is reported: a request made in the handler (a
// channel's missed history) reaches the server after them.
struct connection_event {
  enum class kind : std::uint8_t { disconnected, reconnecting, reconnected, gave_up };
  kind what = kind::disconnected;
  // Why the connection ended (disconnected, gave_up) or the last attempt failed (reconnecting): server_gone with
  // close code 3001 for a server shutting down, kicked with the reason, timed_out for a silent connection...
  client_error error{};
  std::uint32_t attempt = 0;              // reconnecting: 1 for the first retry
  std::chrono::milliseconds retry_in{0};  // reconnecting: until that attempt
};

struct event_handlers {
  std::function<void(const connection_event&)> on_connection{};
  std::function<void(const chat_message&)> on_chat_message{};  // channel lines and direct messages
  std::function<void(const presence_event&)> on_presence{};
  std::function<void(const match_event&)> on_match_event{};
  std::function<void(const notification&)> on_notification{};  // again after each connect until acknowledged
  std::function<void(const room_joined&)> on_room_rejoined{};   // the SDK rejoined the room after a reconnection
  std::function<void(const room_snapshot&)> on_room_snapshot{};
  std::function<void(const room_event&)> on_room_event{};
  std::function<void(const room_closed&)> on_room_closed{};
  std::function<void(const matchmaker_ticket&)> on_matchmaker_ticket{};  // a party member queued this player
  std::function<void(const matchmaker_matched&)> on_matchmaker_matched{};
  std::function<void(const matchmaker_cancelled&)> on_matchmaker_cancelled{};
  // Errors the server pushed without a request (a refused room input) and snapshots that did not decode.
  std::function<void(const client_error&)> on_error{};
};

}  // namespace guildhall::client
