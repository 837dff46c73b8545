// guildhall::client::client: lifetime, poll(), logins, the connection and what reconnection restores. The
// operations are in client_chat.cpp, client_matches.cpp and client_rooms.cpp.
#include "guildhall/client/client.hpp"

#include <chrono>
#include <stdexcept>

#include "client/http_login.hpp"
#include "client/sdk/client_state.hpp"
#include "client/sdk/session_setup.hpp"
#include "guildhall/client/version.hpp"

namespace guildhall::client {

const char* library_version() { return GUILDHALL_CLIENT_VERSION_STRING; }

client::client(client_options options) {
  if (auto valid = validate(options); !valid) throw std::invalid_argument(valid.error().message);
  state_ = std::make_unique<state>(std::move(options));
}

client::~client() {
  if (!state_) return;
  state_->closed_by_us = true;
  state_->handlers = {};
  if (state_->net) state_->net->close();
}

client::client(client&&) noexcept = default;
client& client::operator=(client&&) noexcept = default;

void client::poll() {
  auto& io = state_->io;
  if (io.stopped()) io.restart();
  io.poll();
  state_->acknowledge_snapshot();
}

void client::set_handlers(event_handlers handlers) { state_->handlers = std::move(handlers); }

namespace {

void start_login(client::state& self, std::string action, v1::AuthRequest request, callback<login_session> done) {
  auto url = make_server_url(self.options);
  if (!url) return self.fail_later(std::move(done), url.error());
  auth_call call = auth_call_to(*url, std::move(action), std::move(request), self.options.login_timeout_ms);
  async_call_auth(self.io, std::move(call), [&self, done = std::move(done)](result<v1::AuthSession> answer) {
    if (!answer) {
      const auto code = answer.error().code;
      client_error error = code == errc::internal
                               ? sdk::connection_error_from(answer.error().message, std::nullopt)
                               : client_error{static_cast<client_errc>(static_cast<int>(code)), answer.error().message,
                                              answer.error().retry_after_ms, {}};
      if (code == errc::conflict) error.code = client_errc::username_taken;
      if (done) done(std::unexpected(std::move(error)));
      return;
    }
    self.auth = *answer;
    if (done) done(sdk::login_from(*answer));
  });
}

}  // namespace

void client::register_account(std::string username, std::string password, callback<login_session> done) {
  v1::AuthRequest request;
  request.set_username(std::move(username));
  request.set_password(std::move(password));
  start_login(*state_, "register", std::move(request), std::move(done));
}

void client::login(std::string username, std::string password, callback<login_session> done) {
  v1::AuthRequest request;
  request.set_username(std::move(username));
  request.set_password(std::move(password));
  start_login(*state_, "login", std::move(request), std::move(done));
}

void client::login_guest(std::string device_id, callback<login_session> done) {
  v1::AuthRequest request;
  request.set_device_id(std::move(device_id));
  start_login(*state_, "guest", std::move(request), std::move(done));
}

void client::login_refresh(std::string refresh_token, callback<login_session> done) {
  v1::AuthRequest request;
  request.set_refresh_token(std::move(refresh_token));
  start_login(*state_, "refresh", std::move(request), std::move(done));
}

login_session client::session() const {
  if (state_->net) return sdk::login_from(state_->net->auth());
  return state_->auth ? sdk::login_from(*state_->auth) : login_session{};
}

void client::set_session(login_session tokens) {
  v1::AuthSession auth;
  auth.set_user_id(tokens.user_id);
  auth.set_username(std::move(tokens.username));
  auth.set_token(std::move(tokens.access_token));
  auth.set_refresh_token(std::move(tokens.refresh_token));
  auth.set_expires_at_ms(tokens.expires_at_ms);
  state_->auth = std::move(auth);
}

void client::connect(callback<connected_info> done) {
  auto& self = *state_;
  if (!self.auth) {
    return self.fail_later(std::move(done), {client_errc::not_connected, "log in before connecting", 0, {}});
  }
  if (self.net || self.connect_done) {
    return self.fail_later(std::move(done), {client_errc::invalid_options, "already connected or connecting", 0, {}});
  }
  auto url = make_server_url(self.options);
  if (!url) return self.fail_later(std::move(done), url.error());
  self.closed_by_us = false;
  self.connect_done = std::move(done);
  session_events events{
      .on_ready = [&self](const v1::Authenticated& me, bool reconnected) { self.on_ready(me, reconnected); },
      .on_lost = [&self](const retry_notice& notice) { self.on_lost(notice); },
      .on_gave_up = [&self](const std::string& reason) { self.on_gave_up(reason); },
      .on_push = [&self](const v1::Envelope& push) { self.on_push(push); },
  };
  self.net = std::make_shared<guildhall::client::session>(self.io, std::move(*url), *self.auth,
                                                          make_session_options(self.options), std::move(events));
  self.net->start();
}

void client::disconnect() {
  auto& self = *state_;
  self.closed_by_us = true;
  if (self.net) {
    self.auth = self.net->auth();  // the newest tokens, for a later connect()
    self.net->close();
    // Pending requests complete (with `closed`) in a later poll(); the session goes with the last of them.
    self.later([net = std::move(self.net)] {});
  }
  self.channels.clear();
  self.room = {};
  if (auto done = std::exchange(self.connect_done, nullptr)) {
    self.fail_later(std::move(done), {client_errc::closed, "disconnected before the connection was up", 0, {}});
  }
}

bool client::connected() const { return state_->net && state_->net->connected(); }

network_stats client::network() const {
  const auto& net = state_->net;
  if (!net || !net->connected() || !net->connection()) return {};
  const auto& connection = *net->connection();
  network_stats stats{.transport = sdk::transport_kind_of(net->transport()),
                      .rtt_ms = connection.rtt_ms(),
                      .packet_loss = connection.packet_loss(),
                      .bytes_received = connection.bytes_received()};
  if (stats.transport != network_stats::transport_kind::udp) stats.rtt_ms = state_->ping_rtt_ms;
  return stats;
}

void client::ping(callback<double> done) {
  using steady = std::chrono::steady_clock;
  v1::Envelope request;
  const auto sent = steady::now();
  request.mutable_ping()->set_client_time_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(sent.time_since_epoch()).count());
  auto& self = *state_;
  self.call<double>(std::move(request), std::move(done), [&self, sent](const v1::Envelope& reply) -> client_result<double> {
    if (!reply.has_pong()) return std::unexpected(unexpected_answer("Ping"));
    self.ping_rtt_ms = std::chrono::duration<double, std::milli>(steady::now() - sent).count();
    return self.ping_rtt_ms;
  });
}

void client::state::on_ready(const v1::Authenticated& me, bool reconnected) {
  if (!reconnected) {
    if (auto done = std::exchange(connect_done, nullptr)) {
      done(connected_info{.user_id = me.user_id(), .username = me.username(), .session_id = me.session_id()});
    }
    return;
  }
  // Rejoin first: what the game asks for on `reconnected` (a channel's history) then reaches the server after it.
  if (options.reconnection.rejoin) rejoin();
  notify_connection(connection_event::kind::reconnected, {});
}

void client::state::on_lost(const retry_notice& notice) {
  auto error = sdk::connection_error_from(notice.reason, net ? net->last_close_code() : std::nullopt);
  if (notice.attempt == 1) notify_connection(connection_event::kind::disconnected, error);
  notify_connection(connection_event::kind::reconnecting, std::move(error), notice.attempt, notice.delay);
}

void client::state::on_gave_up(const std::string& reason) {
  auto error = sdk::connection_error_from(reason, net ? net->last_close_code() : std::nullopt);
  // The session is spent; connect() may start a new one. Dropped later: this runs inside its callback.
  if (net) {
    auth = net->auth();
    later([spent = std::move(net)] {});
  }
  if (auto done = std::exchange(connect_done, nullptr)) return done(std::unexpected(std::move(error)));
  notify_connection(connection_event::kind::gave_up, std::move(error));
}

// What a new connection lacks: the channels (the server forgets a connection's channels with it) and the room,
// whose seat the server keeps for its grace period: JoinRoom with the same id returns to it (web/arena.js).
void client::state::rejoin() {
  for (const auto& channel : channels) {
    v1::Envelope request;
    request.mutable_join_channel()->set_channel(channel);
    call<channel_joined>(std::move(request), [this, channel](client_result<channel_joined> joined) {
      if (!joined) report(client_error{joined.error().code, "rejoining #" + channel + ": " + joined.error().message,
                                       0, {}});
    }, [](const v1::Envelope& reply) -> client_result<channel_joined> {
      if (!reply.has_channel_joined()) return std::unexpected(unexpected_answer("JoinChannel"));
      return channel_joined{.channel = reply.channel_joined().channel(), .members = {}};
    });
  }
  if (room.room_id == 0) return;
  v1::Envelope request;
  request.mutable_join_room()->set_room_id(room.room_id);
  request.mutable_join_room()->set_spectate(room.spectator);
  const auto room_id = room.room_id;
  net->request(std::move(request), [this, room_id](const v1::Envelope& reply) {
    if (room.room_id != room_id) return;  // left meanwhile
    if (reply.has_room_joined()) {
      auto joined = enter_room(reply.room_joined(), room.spectator, true);
      if (joined && handlers.on_room_rejoined) handlers.on_room_rejoined(*joined);
      if (!joined) report(joined.error());
      return;
    }
    // The grace ran out or the room ended while we were away: the room is gone for this player.
    const std::string why = reply.has_error() ? reply.error().message() : "no answer";
    room = {};
    if (handlers.on_room_closed) {
      handlers.on_room_closed(room_closed{.room_id = room_id, .why = room_closed::reason::unspecified,
                                          .message = "could not rejoin the room: " + why});
    }
  });
}

void client::state::on_push(const v1::Envelope& push) {
  switch (push.body_case()) {
    case v1::Envelope::kChatMessage:
      if (handlers.on_chat_message) handlers.on_chat_message(sdk::chat_from(push.chat_message()));
      break;
    case v1::Envelope::kPresence:
      if (handlers.on_presence) handlers.on_presence(sdk::presence_from(push.presence()));
      break;
    case v1::Envelope::kMatchEvent:
      if (handlers.on_match_event) handlers.on_match_event(sdk::match_event_from(push.match_event()));
      break;
    case v1::Envelope::kNotification:
      if (handlers.on_notification) handlers.on_notification(sdk::notification_from(push.notification()));
      break;
    case v1::Envelope::kRoomSnapshot:
      on_room_snapshot(push.room_snapshot());
      break;
    case v1::Envelope::kRoomEvent:
      if (push.room_event().room_id() == room.room_id && handlers.on_room_event) {
        handlers.on_room_event(sdk::room_event_from(push.room_event()));
      }
      break;
    case v1::Envelope::kRoomClosed:
      if (push.room_closed().room_id() == room.room_id) room = {};
      if (handlers.on_room_closed) handlers.on_room_closed(sdk::room_closed_from(push.room_closed()));
      break;
    case v1::Envelope::kMatchmakerTicket:
      if (handlers.on_matchmaker_ticket) handlers.on_matchmaker_ticket(sdk::ticket_from(push.matchmaker_ticket()));
      break;
    case v1::Envelope::kMatchmakerMatched:
      if (handlers.on_matchmaker_matched) handlers.on_matchmaker_matched(sdk::matched_from(push.matchmaker_matched()));
      break;
    case v1::Envelope::kMatchmakerCancelled:
      if (handlers.on_matchmaker_cancelled) {
        handlers.on_matchmaker_cancelled({push.matchmaker_cancelled().ticket(), push.matchmaker_cancelled().reason()});
      }
      break;
    case v1::Envelope::kError:
      report(sdk::error_from(push.error()));
      break;
    default:
      break;  // pushes this SDK does not surface yet (open-match changes)
  }
}

}  // namespace guildhall::client
