#include "arena_connection.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "games/arena/arena_input.hpp"

namespace guildhall::arena_sdl {

namespace {

client::client_options options_for(const connection_settings& settings) {
  client::client_options options{.server_url = settings.server};
  switch (settings.transport) {
    case transport_choice::udp:
      options.transport =
          settings.udp_fallback ? client::transport_preference::automatic : client::transport_preference::udp;
      break;
    case transport_choice::websocket:
      options.transport = client::transport_preference::websocket;
      break;
  }
  options.udp_impairment = settings.udp_impairment;
  // A game notices a dead server in seconds, not in the SDK's default 45 (made for chat and turn-based play):
  // the UDP keep-alive and the pings below keep a live connection talking several times a second.
  options.dead_after_ms = 5000;
  options.ping_interval_ms = 2000;
  return options;
}

std::string describe(const client::client_error& error) {
  return std::string(client::to_string(error.code)) + (error.message.empty() ? "" : ": " + error.message);
}

}  // namespace

double steady_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

arena_connection::arena_connection(connection_settings settings, connection_events events)
    : settings_(std::move(settings)), events_(std::move(events)), client_(options_for(settings_)) {
  // The handlers run inside client_.poll(), which only this object calls: `this` outlives them.
  client_.set_handlers({
      .on_connection = [this](const client::connection_event& e) { on_connection(e); },
      .on_room_rejoined = [this](const client::room_joined& room) { joined(room, true); },
      .on_room_snapshot =
          [this](const client::room_snapshot& snapshot) {
            if (!layout_ || snapshot.room_id != room_id_ || !events_.on_snapshot) return;
            events_.on_snapshot(snapshot.tick, world_from(snapshot, *layout_));
          },
      .on_room_event =
          [this](const client::room_event& event) {
            if (!event.type.empty() && events_.on_event) events_.on_event(event.type, event.payload);
          },
      .on_room_closed = [this](const client::room_closed& closed) { on_room_closed(closed); },
      .on_matchmaker_matched =
          [this](const client::matchmaker_matched& match) {
            status("match found: joining");
            client_.join_room_reserved(match.room_id, match.reservation, on_join(false));
          },
      .on_matchmaker_cancelled =
          [this](const client::matchmaker_cancelled& c) { closed("matchmaking cancelled: " + c.reason); },
      .on_error =
          [this](const client::client_error& error) {
            // Undecodable snapshots mend themselves with the next one; inputs still in flight for a room that just
            // closed are refused (not_member) and need nothing either. Anything else is worth a line.
            if (error.code == client::client_errc::bad_snapshot) {
              ++decode_errors_;
            } else if (error.code != client::client_errc::not_member) {
              std::fprintf(stderr, "arena-sdl: %s\n", describe(error).c_str());
            }
          },
  });
}

void arena_connection::start() {
  const bool guest = settings_.password.empty();
  status("logging in as " + settings_.user);
  auto done = [this](client::client_result<client::login_session> session) {
    if (!session) return closed("login failed: " + describe(session.error()));
    logged_in();
  };
  // A guest is one per device: the same name comes back as the same guest account (the server names it).
  if (guest) return client_.login_guest("arena-sdl-" + settings_.user, std::move(done));
  // A password: log in, or register the name on first use.
  client_.login(settings_.user, settings_.password, [this, done](client::client_result<client::login_session> r) {
    if (r || r.error().code != client::client_errc::auth_failed) return done(std::move(r));
    client_.register_account(settings_.user, settings_.password, [this, done](auto registered) {
      if (!registered && registered.error().code == client::client_errc::username_taken) {
        return closed("login failed: wrong password for " + settings_.user);
      }
      done(std::move(registered));
    });
  });
}

void arena_connection::logged_in() {
  status(settings_.transport == transport_choice::udp ? "connecting over UDP" : "connecting over WebSocket");
  client_.connect([this](client::client_result<client::connected_info> me) {
    if (!me) return closed("cannot connect: " + describe(me.error()));
    connected_once_ = true;
    next_ping_ms_ = steady_ms();
    join();
  });
}

void arena_connection::join() {
  reconnected_ = false;
  if (settings_.room_id != 0) {
    status((settings_.spectate ? "watching room " : "joining room ") + std::to_string(settings_.room_id));
    if (settings_.spectate) return client_.spectate_room(settings_.room_id, on_join(false));
    return client_.join_room(settings_.room_id, on_join(false));
  }
  if (!settings_.matchmake) {
    status("joining an arena");
    return client_.join_or_create_room("arena", {{"bots", std::to_string(settings_.bots)}}, on_join(false));
  }
  client::matchmaker_request request{.room_type = "arena",
                                     .string_properties = {{"mode", "ffa"}},
                                     .query_equal = {{"mode", "ffa"}},
                                     .min_count = 2,
                                     .max_count = 8};
  client_.matchmaker_add(std::move(request), [this](client::client_result<client::matchmaker_ticket> ticket) {
    if (!ticket) return closed("matchmaker: " + describe(ticket.error()));
    status("waiting for a match");
  });
}

client::callback<client::room_joined> arena_connection::on_join(bool rejoined) {
  return [this, rejoined](client::client_result<client::room_joined> result) { joined(result, rejoined); };
}

void arena_connection::joined(const client::client_result<client::room_joined>& result, bool rejoined) {
  if (!result) return closed("join room: " + describe(result.error()));
  auto layout = layout_of(result->schema);
  if (!layout) return closed("room " + std::to_string(result->room.room_id) + " is no arena: no " + layout.error());
  layout_ = *layout;
  room_id_ = result->room.room_id;
  last_sequence_sent_ = 0;
  status("");
  const int seat = result->you.spectator ? -1 : int(result->you.seat);
  const int tick_hz = int(std::max(1u, result->tick_hz));
  if (events_.on_joined) events_.on_joined({room_id_, seat, tick_hz, rejoined});
}

void arena_connection::on_connection(const client::connection_event& event) {
  using kind = client::connection_event::kind;
  switch (event.what) {
    case kind::disconnected:
      status("connection lost (" + describe(event.error) + ")");
      break;
    case kind::reconnecting: {
      char line[160];
      std::snprintf(line, sizeof line, "connection lost (%s): reconnecting, attempt %u in %.1f s",
                    std::string(client::to_string(event.error.code)).c_str(), event.attempt,
                    double(event.retry_in.count()) / 1000);
      status(line);
      break;
    }
    case kind::reconnected:
      reconnected_ = true;
      if (std::exchange(seat_lost_, false)) {
        status("reconnected: joining again");
        join();
      } else {
        // The SDK rejoins the room now: on_room_rejoined, or on_room_closed when the room is gone.
        status("reconnected: rejoining the room");
      }
      break;
    case kind::gave_up:
      closed("connection gave up: " + describe(event.error));
      break;
  }
}

void arena_connection::on_room_closed(const client::room_closed& closed_room) {
  if (closed_room.room_id != room_id_ || closed_) return;
  room_id_ = 0;
  layout_.reset();
  if (closed_room.why == client::room_closed::reason::shutdown) {
    // The connection goes next; once it is back (on_connection: reconnected), sit down again.
    seat_lost_ = true;
    return status("the server is shutting down: waiting for it to come back");
  }
  if (reconnected_) {
    // Back on a restarted (or forgetful) server that no longer has the room: join the way we first did.
    status(closed_room.message + ": joining again");
    return join();
  }
  closed("room closed: " + closed_room.message);
}

void arena_connection::poll() {
  client_.poll();
  if (closed_ || !connected_once_ || !client_.connected() || steady_ms() < next_ping_ms_) return;
  next_ping_ms_ = steady_ms() + kPingIntervalMs;
  client_.ping([this](client::client_result<double> rtt) {
    if (rtt && events_.on_round_trip && !closed_) events_.on_round_trip(*rtt);
  });
}

void arena_connection::send_inputs(const outgoing_inputs& inputs) {
  if (room_id_ == 0 || closed_) return;
  for (const auto& frame : inputs.frames) {
    if (frame.sequence <= last_sequence_sent_) continue;
    const auto bytes = games::arena::encode_input(frame.input);
    // not_connected while the connection is down: the input is lost, as it would be on the wire, and prediction
    // is corrected by the first snapshot after the return.
    if (!client_.send_room_input(bytes, frame.client_tick, frame.view_tick)) break;
    last_sequence_sent_ = frame.sequence;
  }
}

bool arena_connection::over_udp() const {
  return client_.network().transport == client::network_stats::transport_kind::udp;
}

void arena_connection::status(const std::string& what) {
  if (events_.on_status) events_.on_status(what);
}

void arena_connection::closed(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  client_.disconnect();
  if (events_.on_closed) events_.on_closed(reason);
}

void arena_connection::close() {
  closed_ = true;
  client_.disconnect();
}

}  // namespace guildhall::arena_sdl
