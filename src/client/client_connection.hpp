#pragma once
// The C++ client SDK's connection: connects over WebSocket or native TCP, either over TLS (client_stream.hpp), host
// names resolved; matches responses to requests by cid, hands pushes to a callback, and keeps itself alive with
// Pings (connection_options.hpp).
// One connection is one socket: when it is lost it stays lost; `session` (session.hpp) builds reconnection on it.
//
// Every request completes exactly once: with the server's answer, or with a local failure (an `Error` whose code
// is ERROR_CODE_UNSPECIFIED, which the server never sends: is_local_failure()) when its timeout passes, the
// connection fails or closes, or it was sent while not connected. No callback is dropped.
//
// Thread-safety: all members must be called on the io_context's thread (post to it from elsewhere); callbacks run
// there too, never from inside the call that caused them (a request on a closed connection completes later).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <variant>

#include "client/client_stream.hpp"
#include "client/connection_options.hpp"
#include "client/server_url.hpp"
#include "wire/codec.hpp"
#include "wire/frame_reader.hpp"
#include "wire/websocket_frames.hpp"

namespace guildhall::client {

namespace v1 = wire::v1;

// An answer the library made up because the server's never came (timeout, connection lost).
bool is_local_failure(const v1::Envelope& reply);
v1::Envelope local_failure(std::string message);

class client_connection : public std::enable_shared_from_this<client_connection> {
 public:
  using reply_handler = std::move_only_function<void(const v1::Envelope&)>;
  using push_handler = std::function<void(const v1::Envelope&)>;
  using closed_handler = std::function<void(const std::string& reason)>;
  using clock = std::chrono::steady_clock;

  client_connection(boost::asio::io_context& io, server_url url,
                    wire::payload_format format = wire::payload_format::binary, connection_options options = {});

  void on_push(push_handler handler) { on_push_ = std::move(handler); }
  // Once, when a connection that was open ends (by either side, or found dead); after every pending request
  // has completed. Not called when connect() fails: its handler says why.
  void on_closed(closed_handler handler) { on_closed_ = std::move(handler); }

  // Resolves, connects, then the TLS handshake (wss://, tls://) and the WebSocket upgrade, each step within its
  // timeout; `done` gets the outcome, with a message that names the step and the address ("connecting to
  // 127.0.0.1:9 timed out after 5 s").
  void connect(std::move_only_function<void(result<void>)> done);
  // Sends with a fresh cid; `on_reply` gets the response, the server's Error, or a local failure.
  void request(v1::Envelope message, reply_handler on_reply);
  // Sends without a cid, so no answer is matched to it: messages the server answers only to refuse (RoomInput
  // at the tick rate). Returns false, sending nothing, while not connected. A refusal arrives as a push.
  bool notify(v1::Envelope message);
  void close();

  bool open() const { return open_; }
  // The code the server closed with (its Closing push or WebSocket close frame), once closed; none when the
  // transport failed, the connection was found dead, or we closed it.
  std::optional<std::uint16_t> close_code() const { return close_code_; }
  const server_url& url() const { return url_; }
  // Bytes read from the socket since the session started (frames and their headers, after TLS): what a
  // benchmark counts as received on the wire.
  std::uint64_t bytes_received() const { return bytes_received_; }

 private:
  void on_connected();
  void after_tls();
  void handshake();
  void finish_connect(result<void> outcome);
  void arm_step_deadline(std::uint32_t timeout_ms, std::string what);
  void start_session();
  void read_more();
  void consume();
  void handle(v1::Envelope& message);
  void send(v1::Envelope message);
  void write(std::string frame);
  void write_next();
  void arm_request_timer();
  void expire_requests();
  void keep_alive();
  void fail_connection(const std::string& reason);
  void complete_locally(reply_handler on_reply, std::string message);
  std::string where() const;

  boost::asio::ip::tcp::resolver resolver_;
  client_stream socket_;  // plain TCP or TLS; every socket operation is in client_connection.cpp's few I/O functions
  server_url url_;
  wire::payload_format format_;
  connection_options options_;
  std::variant<wire::frame_reader, wire::ws::frame_reader> reader_;
  std::vector<char> read_buffer_;
  std::deque<std::string> outbox_;
  std::unordered_map<std::uint32_t, reply_handler> pending_;
  // Requests by deadline. One timeout for all requests makes this insertion order, so one timer serves them all.
  std::deque<std::pair<clock::time_point, std::uint32_t>> deadlines_;
  boost::asio::steady_timer step_timer_;     // the connect or handshake step in progress
  boost::asio::steady_timer request_timer_;  // the earliest request deadline
  boost::asio::steady_timer keepalive_timer_;
  std::move_only_function<void(result<void>)> connect_done_;
  std::string websocket_key_;
  push_handler on_push_;
  closed_handler on_closed_;
  std::optional<std::uint16_t> close_code_;
  clock::time_point last_sent_;
  clock::time_point last_received_;
  std::uint64_t bytes_received_ = 0;
  std::uint32_t next_cid_ = 1;
  bool open_ = false;
  bool writing_ = false;
  bool request_timer_armed_ = false;
};

}  // namespace guildhall::client
