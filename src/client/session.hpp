#pragma once
// A logged-in player's lasting presence on a server, above client_connection: it authenticates each connection,
// and when one is lost it reconnects with exponential backoff and jitter (reconnect_policy.hpp), re-authenticates
// (refreshing the access token over HTTP when it has expired, always keeping the newest refresh token, since a
// refresh token may be good for one use only), and tells the application what happens:
//   on_ready(me, reconnected)  authenticated: first time, or "back" after a loss (rejoin channels, reopen matches)
//   on_lost(notice)            the connection is gone; retrying in notice.delay (one call per scheduled attempt)
//   on_gave_up(reason)         no more attempts: the server sent us away, auth failed, or attempts ran out
// The first connection is not retried: a wrong address or a server that is down is reported at once.
// Whatever a request's fate, its callback runs once (client_connection.hpp); requests made while no connection is
// up fail locally at once: the application resends what matters from on_ready.
// The SDKs of later issues (rooms, UDP) reuse this seam: a room client is a session plus its own on_ready.
//
// Thread-safety: as client_connection: everything on the io_context's thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "client/client_connection.hpp"
#include "client/http_login.hpp"
#include "client/reconnect_policy.hpp"

namespace guildhall::client {

struct session_options {
  connection_options connection;
  reconnect_options reconnect;
  std::uint32_t login_timeout_ms = kDefaultLoginTimeoutMs;  // the HTTP refresh when the access token expired
  wire::payload_format format = wire::payload_format::binary;
};

struct retry_notice {
  std::string reason;               // why the last connection ended, or why the last attempt failed
  std::chrono::milliseconds delay;  // until the next attempt
  std::uint32_t attempt;            // 1 for the first retry after a loss
};

struct session_events {
  std::function<void(const v1::Authenticated& me, bool reconnected)> on_ready;
  std::function<void(const retry_notice& notice)> on_lost;
  std::function<void(const std::string& reason)> on_gave_up;
  std::function<void(const v1::Envelope& push)> on_push;
};

class session : public std::enable_shared_from_this<session> {
 public:
  session(boost::asio::io_context& io, server_url url, v1::AuthSession auth, session_options options,
          session_events events);

  void start();
  // On the current connection; fails locally when there is none.
  void request(v1::Envelope message, client_connection::reply_handler on_reply);
  // Without a cid (client_connection::notify): RoomInput at the tick rate. False, sending nothing, when not ready.
  bool notify(v1::Envelope message) { return connection_ && ready_ && connection_->notify(std::move(message)); }
  // Closes the connection and stops reconnecting; no event follows.
  void close();

  bool connected() const { return ready_; }
  // The newest tokens: after a refresh, the access and refresh tokens the server handed out last.
  const v1::AuthSession& auth() const { return auth_; }
  // The code the last connection was closed with (client_connection::close_code()); none when it failed without
  // one or the last attempt did not connect. Read it in on_lost / on_gave_up to tell a kick from a shutdown.
  std::optional<std::uint16_t> last_close_code() const { return last_close_code_; }

 private:
  void connect();
  void authenticate(bool refreshed);
  void refresh();
  void on_connection_ended(const std::string& reason, bool worth_retrying);
  void schedule_retry(const std::string& reason);
  void give_up(const std::string& reason);

  boost::asio::io_context& io_;
  server_url url_;
  v1::AuthSession auth_;
  session_options options_;
  session_events events_;
  std::shared_ptr<client_connection> connection_;
  boost::asio::steady_timer retry_timer_;
  std::mt19937 random_{std::random_device{}()};
  std::optional<std::uint16_t> last_close_code_;
  std::uint32_t attempt_ = 0;  // consecutive failed attempts since the last loss
  bool was_ready_ = false;     // authenticated once: from then on, losses are retried
  bool ready_ = false;
  bool stopped_ = false;
};

}  // namespace guildhall::client
