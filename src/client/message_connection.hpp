#pragma once
// What every connection of the C++ client SDK does whatever carries its bytes: matches responses to requests by
// cid, hands pushes to a callback, times requests out, keeps itself alive with Pings (connection_options.hpp) and
// ends exactly once. client_connection (WebSocket or TCP, over TLS or not) and udp_client_connection (the UDP
// transport) derive from it and only carry bytes.
// One connection is one socket: when it is lost it stays lost; `session` (session.hpp) builds reconnection on it.
//
// Every request completes exactly once: with the server's answer, or with a local failure (an `Error` whose code
// is ERROR_CODE_UNSPECIFIED, which the server never sends: is_local_failure()) when its timeout passes, the
// connection fails or closes, or it was sent while not connected. No callback is dropped.
//
// Thread-safety: all members must be called on the io_context's thread (post to it from elsewhere); callbacks run
// there too, never from inside the call that caused them (a request on a closed connection completes later).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include "client/connection_options.hpp"
#include "client/server_url.hpp"
#include "wire/codec.hpp"

namespace guildhall::client {

namespace v1 = wire::v1;

// An answer the library made up because the server's never came (timeout, connection lost).
bool is_local_failure(const v1::Envelope& reply);
v1::Envelope local_failure(std::string message);

class message_connection : public std::enable_shared_from_this<message_connection> {
 public:
  using reply_handler = std::move_only_function<void(const v1::Envelope&)>;
  using push_handler = std::function<void(const v1::Envelope&)>;
  using closed_handler = std::function<void(const std::string& reason)>;
  using clock = std::chrono::steady_clock;

  virtual ~message_connection() = default;

  void on_push(push_handler handler) { on_push_ = std::move(handler); }
  // Once, when a connection that was open ends (by either side, or found dead); after every pending request
  // has completed. Not called when connect() fails: its handler says why.
  void on_closed(closed_handler handler) { on_closed_ = std::move(handler); }

  // Reaches the server, each step within its timeout; `done` gets the outcome, with a message that names the
  // step and the address ("connecting to 127.0.0.1:9 timed out after 5 s").
  virtual void connect(std::move_only_function<void(result<void>)> done) = 0;
  // Sends with a fresh cid; `on_reply` gets the response, the server's Error, or a local failure.
  void request(v1::Envelope message, reply_handler on_reply);
  // Sends without a cid, so no answer is matched to it: messages the server answers only to refuse (RoomInput
  // at the tick rate). Returns false, sending nothing, while not connected. A refusal arrives as a push.
  bool notify(v1::Envelope message);
  // Latest-wins state the server need not receive every copy of (RoomInput, which repeats its recent inputs):
  // UDP sends it unreliably; the stream transports like notify().
  virtual bool notify_unreliable(v1::Envelope message) { return notify(std::move(message)); }
  virtual void close() = 0;

  bool open() const { return open_; }
  // True when the transport authenticated the user itself (UDP: the connect token): the server then pushes
  // Authenticated unasked, and Authenticate would be refused.
  virtual bool authenticated_by_transport() const { return false; }
  // The code the server closed with (its Closing push or WebSocket close frame), once closed; none when the
  // transport failed, the connection was found dead, or we closed it.
  std::optional<std::uint16_t> close_code() const { return close_code_; }
  const server_url& url() const { return url_; }
  // Bytes received from the network since the session started (frames and their headers, after TLS; UDP: whole
  // datagrams): what a benchmark counts as received on the wire.
  std::uint64_t bytes_received() const { return bytes_received_; }
  // Round trip and loss as the transport measures them: UDP's message layer does; TCP and WebSocket leave both to
  // the caller's Pings (0 here).
  virtual double rtt_ms() const { return 0; }
  virtual double packet_loss() const { return 0; }

 protected:
  message_connection(boost::asio::io_context& io, server_url url, connection_options options);

  // Encodes and writes one message (its cid already set).
  virtual void transmit(const v1::Envelope& message) = 0;
  // The connection failed or ended: close the socket and stop the transport's own timers.
  virtual void drop_transport() = 0;
  virtual std::string where() const;

  // The connection is up: requests may go, the keep-alive starts.
  void start_session();
  void note_sent() { last_sent_ = clock::now(); }
  void note_received(std::size_t bytes) {
    last_received_ = clock::now();
    bytes_received_ += bytes;
  }
  // A message from the server: a request's answer, a Closing (which ends the connection) or a push.
  void deliver(v1::Envelope& message);
  void fail_connection(const std::string& reason);
  void set_close_code(std::uint16_t code) {
    if (!close_code_) close_code_ = code;
  }
  // Completes later, on the io_context, so that a caller never sees its callback run inside its own call.
  void complete_locally(reply_handler on_reply, std::string message);

  boost::asio::io_context& io_;
  server_url url_;
  connection_options options_;

 private:
  void arm_request_timer();
  void expire_requests();
  void keep_alive();

  std::unordered_map<std::uint32_t, reply_handler> pending_;
  // Requests by deadline. One timeout for all requests makes this insertion order, so one timer serves them all.
  std::deque<std::pair<clock::time_point, std::uint32_t>> deadlines_;
  boost::asio::steady_timer request_timer_;  // the earliest request deadline
  boost::asio::steady_timer keepalive_timer_;
  push_handler on_push_;
  closed_handler on_closed_;
  std::optional<std::uint16_t> close_code_;
  clock::time_point last_sent_;
  clock::time_point last_received_;
  std::uint64_t bytes_received_ = 0;
  std::uint32_t next_cid_ = 1;
  bool open_ = false;
  bool request_timer_armed_ = false;
};

}  // namespace guildhall::client
