#include "client/session.hpp"

#include <boost/asio/post.hpp>

#include "client/udp_client_connection.hpp"

namespace guildhall::client {
namespace asio = boost::asio;

session::session(asio::io_context& io, server_url url, v1::AuthSession auth, session_options options,
                 session_events events)
    : io_(io),
      url_(std::move(url)),
      auth_(std::move(auth)),
      options_(options),
      events_(std::move(events)),
      retry_timer_(io) {}

void session::start() { connect(); }

server_url session::connection_url() const {
  if (url_.kind != server_url::scheme::udp || !udp_fell_back_) return url_;
  server_url websocket = url_;
  websocket.kind = server_url::scheme::websocket;
  websocket.port = url_.http_port;
  websocket.path = "/ws";
  return websocket;
}

void session::connect() {
  refreshed_ = false;
  if (connection_url().kind == server_url::scheme::udp) return connect_udp();
  use(std::make_shared<client_connection>(io_, connection_url(), options_.format, options_.connection));
}

// Each UDP connection needs a connect token of its own (a token's packet sequence must never repeat), asked for
// over HTTP with the access token.
void session::connect_udp() {
  async_fetch_connect_token(
      io_, url_, auth_.token(), options_.login_timeout_ms,
      [weak = weak_from_this()](result<v1::ConnectToken> answer) {
        auto self = weak.lock();
        if (!self || self->stopped_) return;
        if (!answer && answer.error().code == errc::token_expired && !self->refreshed_) {
          return self->refresh([weak] {
            if (auto again = weak.lock()) again->connect_udp();
          });
        }
        if (!answer && answer.error().code == errc::not_found) {
          return self->fall_back_to_websocket("the server does not serve UDP");
        }
        if (!answer) return self->on_connection_ended("no UDP connect token: " + answer.error().message, true);
        auto token = to_connect_token(*answer);
        if (!token) return self->on_connection_ended(token.error().message, true);
        self->use(std::make_shared<udp_client_connection>(self->io_, self->url_, std::move(*token),
                                                          self->options_.connection, self->options_.udp_impairment));
      });
}

void session::fall_back_to_websocket(const std::string& why) {
  if (!options_.udp_fallback) return on_connection_ended(why, true);
  udp_fell_back_ = true;
  connect();
}

// Handlers hold the session weakly (it owns the connection, which owns them) and ignore a connection that is no
// longer the current one, so a late callback of a dropped connection cannot start a second retry.
void session::use(std::shared_ptr<message_connection> connection) {
  connection_ = std::move(connection);
  last_close_code_.reset();
  const std::weak_ptr<session> weak = weak_from_this();
  const std::weak_ptr<message_connection> mine = connection_;
  connection_->on_push([weak, mine](const v1::Envelope& push) {
    auto self = weak.lock();
    if (!self) return;
    // A transport that authenticated the user (UDP) announces it with an unasked Authenticated.
    if (push.has_authenticated() && !self->ready_ && mine.lock() == self->connection_) {
      return self->became_ready(push.authenticated());
    }
    if (self->events_.on_push) self->events_.on_push(push);
  });
  connection_->on_closed([weak, mine](const std::string& reason) {
    auto self = weak.lock();
    auto connection = mine.lock();
    if (!self || !connection || connection != self->connection_) return;
    self->last_close_code_ = connection->close_code();
    self->on_connection_ended(reason, worth_reconnecting(connection->close_code()));
  });
  connection_->connect([weak, mine](result<void> connected) {
    auto self = weak.lock();
    auto connection = mine.lock();
    if (!self || self->stopped_ || connection != self->connection_) return;
    if (!connected) {
      const bool udp = connection->url().kind == server_url::scheme::udp;
      if (udp && !self->was_ready_) return self->fall_back_to_websocket(connected.error().message);
      return self->on_connection_ended(connected.error().message, true);
    }
    if (!connection->authenticated_by_transport()) self->authenticate(false);
  });
}

void session::authenticate(bool refreshed) {
  v1::Envelope hello;
  hello.mutable_authenticate()->set_token(auth_.token());
  connection_->request(hello, [weak = weak_from_this(), mine = std::weak_ptr(connection_), refreshed](
                                  const v1::Envelope& reply) {
    auto self = weak.lock();
    if (!self || self->stopped_ || mine.lock() != self->connection_) return;
    if (is_local_failure(reply)) {
      // A closed connection reports through on_closed next, with the close code that decides; one still open
      // did not answer in time and is dropped here.
      if (!self->connection_->open()) return;
      auto connection = std::exchange(self->connection_, nullptr);
      connection->close();
      return self->on_connection_ended(reply.error().message(), true);
    }
    if (reply.has_error()) {
      if (reply.error().code() == v1::TOKEN_EXPIRED && !refreshed) {
        return self->refresh([weak] {
          if (auto again = weak.lock()) again->authenticate(true);
        });
      }
      return self->give_up("authentication failed: " + reply.error().message());
    }
    self->became_ready(reply.authenticated());
  });
}

void session::became_ready(const v1::Authenticated& me) {
  attempt_ = 0;
  ready_ = true;
  const bool reconnected = std::exchange(was_ready_, true);
  if (events_.on_ready) events_.on_ready(me, reconnected);
}

// The access token expired while we were away: trade the refresh token for a new pair, and keep both, since
// the server may accept each refresh token once only.
void session::refresh(std::move_only_function<void()> then) {
  refreshed_ = true;
  v1::AuthRequest request;
  request.set_refresh_token(auth_.refresh_token());
  auth_call call = auth_call_to(url_, "refresh", std::move(request), options_.login_timeout_ms);
  async_call_auth(io_, std::move(call), [weak = weak_from_this(), then = std::move(then)](
                                            result<v1::AuthSession> renewed) mutable {
    auto self = weak.lock();
    if (!self || self->stopped_) return;
    if (renewed) {
      self->auth_ = std::move(*renewed);
      return then();
    }
    if (renewed.error().code == errc::auth_failed || renewed.error().code == errc::token_expired) {
      return self->give_up("the login has expired (" + renewed.error().message + "): log in again");
    }
    if (auto connection = std::exchange(self->connection_, nullptr)) connection->close();
    self->on_connection_ended("refreshing the login failed: " + renewed.error().message, true);
  });
}

void session::request(v1::Envelope message, message_connection::reply_handler on_reply) {
  if (connection_ && ready_) return connection_->request(std::move(message), std::move(on_reply));
  asio::post(io_, [on_reply = std::move(on_reply)]() mutable { on_reply(local_failure("not connected")); });
}

bool session::notify(v1::Envelope message) { return connection_ && ready_ && connection_->notify(std::move(message)); }

bool session::notify_unreliable(v1::Envelope message) {
  return connection_ && ready_ && connection_->notify_unreliable(std::move(message));
}

void session::on_connection_ended(const std::string& reason, bool worth_retrying) {
  ready_ = false;
  if (stopped_) return;
  if (!was_ready_) return give_up(reason);  // the first connection: report at once, the address may be wrong
  if (!worth_retrying) return give_up(reason);
  schedule_retry(reason);
}

void session::schedule_retry(const std::string& reason) {
  if (++attempt_ > options_.reconnect.max_attempts) {
    return give_up("gave up after " + std::to_string(attempt_ - 1) + " attempts: " + reason);
  }
  const auto delay = retry_delay(options_.reconnect, attempt_, std::uniform_real_distribution<double>(0, 1)(random_));
  if (events_.on_lost) events_.on_lost(retry_notice{reason, delay, attempt_});
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopped_) return;
    self->connect();
  });
}

void session::give_up(const std::string& reason) {
  if (std::exchange(stopped_, true)) return;
  ready_ = false;
  retry_timer_.cancel();
  if (auto connection = std::exchange(connection_, nullptr)) connection->close();
  if (events_.on_gave_up) events_.on_gave_up(reason);
}

void session::close() {
  stopped_ = true;
  ready_ = false;
  retry_timer_.cancel();
  if (connection_) connection_->close();
}

}  // namespace guildhall::client
