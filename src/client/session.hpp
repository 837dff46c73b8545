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
// A udp:// session fetches a connect token over HTTP for each connection (the server then authenticates the
// connection by it) and falls back to WebSocket when UDP cannot be had (session_options::udp_fallback).
// A room client is a session plus its own on_ready.
//
// Thread-safety: as client_connection: everything on the io_context's thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include <optional>

#include "client/client_connection.hpp"
#include "client/http_login.hpp"
#include "client/reconnect_policy.hpp"
#include "wire/udp/network_simulator.hpp"

namespace guildhall::client {

struct session_options {
  connection_options connection;
  reconnect_options reconnect;
  std::uint32_t login_timeout_ms = kDefaultLoginTimeoutMs;  // the HTTP refresh (and UDP connect token) calls
  wire::payload_format format = wire::payload_format::binary;
  // udp:// only: when the UDP connection cannot be made (no token: the server has UDP off; no handshake: a
  // firewall drops UDP), connect over WebSocket to the same server's HTTP port instead, for the session's life.
  bool udp_fallback = true;
  // udp:// only: impair this client's own traffic (a bad network at the desk); none by default.
  std::optional<wire::udp::impairment_config> udp_impairment;
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
  void request(v1::Envelope message, message_connection::reply_handler on_reply);
  // Without a cid (see message_connection::notify); false when not connected.
  bool notify(v1::Envelope message);
  // Latest-wins state (room inputs): unreliable over UDP; false when not connected.
  bool notify_unreliable(v1::Envelope message);
  // Closes the connection and stops reconnecting; no event follows.
  void close();

  bool connected() const { return ready_; }
  // The transport in use: udp, or websocket/tcp (also after a UDP fallback); the connection, for its statistics.
  server_url::scheme transport() const { return connection_url().kind; }
  const std::shared_ptr<message_connection>& connection() const { return connection_; }
  // The newest tokens: after a refresh, the access and refresh tokens the server handed out last.
  const v1::AuthSession& auth() const { return auth_; }
  // The code the last connection was closed with (message_connection::close_code()); none when it failed without
  // one or the last attempt did not connect. Read it in on_lost / on_gave_up to tell a kick from a shutdown.
  std::optional<std::uint16_t> last_close_code() const { return last_close_code_; }

 private:
  void connect();
  void connect_udp();
  void use(std::shared_ptr<message_connection> connection);
  void authenticate(bool refreshed);
  void became_ready(const v1::Authenticated& me);
  // Trades the refresh token for a new pair, then `then`.
  void refresh(std::move_only_function<void()> then);
  void fall_back_to_websocket(const std::string& why);
  // Where the next connection goes: the URL, or after a UDP fallback the WebSocket of the same server.
  server_url connection_url() const;
  void on_connection_ended(const std::string& reason, bool worth_retrying);
  void schedule_retry(const std::string& reason);
  void give_up(const std::string& reason);

  boost::asio::io_context& io_;
  server_url url_;
  v1::AuthSession auth_;
  session_options options_;
  session_events events_;
  std::shared_ptr<message_connection> connection_;
  boost::asio::steady_timer retry_timer_;
  std::mt19937 random_{std::random_device{}()};
  std::optional<std::uint16_t> last_close_code_;
  std::uint32_t attempt_ = 0;  // consecutive failed attempts since the last loss
  bool was_ready_ = false;     // authenticated once: from then on, losses are retried
  bool udp_fell_back_ = false;  // UDP did not work: WebSocket from now on
  bool refreshed_ = false;      // the access token was renewed for this attempt (a second expiry is final)
  bool ready_ = false;
  bool stopped_ = false;
};

}  // namespace guildhall::client
