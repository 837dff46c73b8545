#pragma once
#include <deque>
// The inside of guildhall::client::client (client.hpp's pimpl): an io_context that only poll() runs, the session
// that keeps the player connected, and what must be restored after a reconnection (channels, room).
// Thread-safety: the client's one thread; everything here runs inside poll() or a public call.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "client/sdk/convert.hpp"
#include "client/sdk/snapshot_intake.hpp"
#include "client/session.hpp"
#include "guildhall/client/client.hpp"

namespace guildhall::client {

// The room this player is in, and how to get back into it.
struct current_room {
  std::uint64_t room_id = 0;
  bool spectator = false;
  sdk::snapshot_intake intake;
  sdk::ack_schedule acks;             // when poll() acknowledges with a message of its own
  std::uint32_t acked_tick = 0;       // the newest tick an outgoing RoomInput acknowledged
  std::uint32_t input_sequence = 0;   // the last InputFrame sequence sent in this room
  // The newest inputs, each sent again in the next messages: over UDP an input message may be lost, and the
  // server runs each sequence once whichever copy arrives (the protocol's "this and the next two").
  std::deque<v1::InputFrame> recent_inputs;
  std::uint32_t max_input_bytes = 0;
  std::uint64_t bad_snapshots = 0;
};

struct client::state {
  explicit state(client_options chosen) : options(std::move(chosen)) {}

  client_options options;
  // Declared before the session and the handlers: destroyed after them, with the operations still queued in it.
  boost::asio::io_context io;
  event_handlers handlers;
  std::optional<v1::AuthSession> auth;
  std::shared_ptr<guildhall::client::session> net;  // qualified: client::session() is a member
  callback<connected_info> connect_done;  // until the first connection is up or has failed
  bool closed_by_us = false;
  std::set<std::string> channels;         // joined, to rejoin after a reconnection
  current_room room;
  double ping_rtt_ms = 0;                 // the newest ping() round trip

  // Runs `work` in a later poll(): an operation's callback never runs inside the call that started it.
  template <typename F>
  void later(F&& work) {
    boost::asio::post(io, std::forward<F>(work));
  }
  template <typename T>
  void fail_later(callback<T> done, client_error error) {
    later([done = std::move(done), error = std::move(error)]() mutable {
      if (done) done(std::unexpected(std::move(error)));
    });
  }

  // Sends `request`; `extract` turns a reply that is not an Error into the value (or an error). `done` runs once.
  template <typename T, typename Extract>
  void call(v1::Envelope request, callback<T> done, Extract extract) {
    if (!net) return fail_later(std::move(done), client_error{client_errc::not_connected, "not connected", 0, {}});
    net->request(std::move(request), [this, done = std::move(done), extract = std::move(extract)](
                                         const v1::Envelope& reply) mutable {
      if (!done) return;
      if (is_local_failure(reply)) return done(std::unexpected(sdk::local_error_from(reply.error().message(),
                                                                                     closed_by_us)));
      if (reply.has_error()) return done(std::unexpected(sdk::error_from(reply.error())));
      done(extract(reply));
    });
  }

  // The session's events.
  void on_ready(const v1::Authenticated& me, bool reconnected);
  void on_lost(const retry_notice& notice);
  void on_gave_up(const std::string& reason);
  void on_push(const v1::Envelope& push);
  void rejoin();

  // Rooms (client_rooms.cpp).
  // Takes the seat `joined` describes: the schema for decoding, fresh baselines (the server starts with a full
  // snapshot). The input sequence goes on through a rejoin of the same room, since the server drops sequences it
  // has seen from this seat.
  client_result<room_joined> enter_room(const v1::RoomJoined& joined, bool spectator, bool rejoined);
  void join(v1::Envelope request, bool spectator, callback<room_joined> done);
  void on_room_snapshot(const v1::RoomSnapshot& snapshot);
  void acknowledge_snapshot();
  void report(client_error error) {
    if (handlers.on_error) handlers.on_error(error);
  }
  void notify_connection(connection_event::kind what, client_error error, std::uint32_t attempt = 0,
                        std::chrono::milliseconds retry_in = {}) {
    if (handlers.on_connection) handlers.on_connection({what, std::move(error), attempt, retry_in});
  }
};

// An answer of the wrong kind: a server bug or a newer protocol, reported rather than guessed at.
inline client_error unexpected_answer(const char* what) {
  return client_error{client_errc::internal, std::string("unexpected answer to ") + what, 0, {}};
}

// An extractor for state::call: the reply must carry `has`; its value is `get` of it. Anything else is a server
// bug, reported as such.
template <typename T, typename Has, typename Get>
auto expect(const char* what, Has has, Get get) {
  return [what, has, get](const v1::Envelope& reply) -> client_result<T> {
    if (!has(reply)) return std::unexpected(unexpected_answer(what));
    if constexpr (std::is_void_v<T>) {
      get(reply);
      return {};
    } else {
      return get(reply);
    }
  };
}

}  // namespace guildhall::client
