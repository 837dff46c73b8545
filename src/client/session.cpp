#include "client/session.hpp"

#include <boost/asio/post.hpp>

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

// Handlers hold the session weakly (it owns the connection, which owns them) and ignore a connection that is no
// longer the current one, so a late callback of a dropped connection cannot start a second retry.
void session::connect() {
  connection_ = std::make_shared<client_connection>(io_, url_, options_.format, options_.connection);
  last_close_code_.reset();
  const std::weak_ptr<session> weak = weak_from_this();
  const std::weak_ptr<client_connection> mine = connection_;
  connection_->on_push([weak](const v1::Envelope& push) {
    if (auto self = weak.lock(); self && self->events_.on_push) self->events_.on_push(push);
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
    if (!self || self->stopped_ || mine.lock() != self->connection_) return;
    if (!connected) return self->on_connection_ended(connected.error().message, true);
    self->authenticate(false);
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
      if (reply.error().code() == v1::TOKEN_EXPIRED && !refreshed) return self->refresh();
      return self->give_up("authentication failed: " + reply.error().message());
    }
    self->attempt_ = 0;
    self->ready_ = true;
    const bool reconnected = std::exchange(self->was_ready_, true);
    if (self->events_.on_ready) self->events_.on_ready(reply.authenticated(), reconnected);
  });
}

// The access token expired while we were away: trade the refresh token for a new pair, and keep both, since
// the server may accept each refresh token once only.
void session::refresh() {
  v1::AuthRequest request;
  request.set_refresh_token(auth_.refresh_token());
  auth_call call = auth_call_to(url_, "refresh", std::move(request), options_.login_timeout_ms);
  async_call_auth(io_, std::move(call), [weak = weak_from_this()](result<v1::AuthSession> renewed) {
    auto self = weak.lock();
    if (!self || self->stopped_ || !self->connection_) return;
    if (renewed) {
      self->auth_ = std::move(*renewed);
      return self->authenticate(true);
    }
    if (renewed.error().code == errc::auth_failed || renewed.error().code == errc::token_expired) {
      return self->give_up("the login has expired (" + renewed.error().message + "): log in again");
    }
    auto connection = std::exchange(self->connection_, nullptr);
    connection->close();
    self->on_connection_ended("refreshing the login failed: " + renewed.error().message, true);
  });
}

void session::request(v1::Envelope message, client_connection::reply_handler on_reply) {
  if (connection_ && ready_) return connection_->request(std::move(message), std::move(on_reply));
  asio::post(io_, [on_reply = std::move(on_reply)]() mutable { on_reply(local_failure("not connected")); });
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
