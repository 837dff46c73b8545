#pragma once
// The C++ client SDK's connection: connects over WebSocket or native TCP (either over TLS), matches responses to requests by cid,
// and hands pushes to a callback. Shares the codecs of wire/ with the server.
// Thread-safety: all members must be called on the io_context's thread (post to it from elsewhere); callbacks run
// there too.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <variant>

#include "client/client_stream.hpp"
#include "client/server_url.hpp"
#include "wire/codec.hpp"
#include "wire/frame_reader.hpp"
#include "wire/websocket_frames.hpp"

namespace guildhall::client {

namespace v1 = wire::v1;

class client_connection : public std::enable_shared_from_this<client_connection> {
 public:
  using reply_handler = std::move_only_function<void(const v1::Envelope&)>;
  using push_handler = std::function<void(const v1::Envelope&)>;
  using closed_handler = std::function<void(const std::string& reason)>;

  client_connection(boost::asio::io_context& io, server_url url,
                    wire::payload_format format = wire::payload_format::binary);

  void on_push(push_handler handler) { on_push_ = std::move(handler); }
  void on_closed(closed_handler handler) { on_closed_ = std::move(handler); }

  // TCP connect (and WebSocket handshake); `done` gets the outcome.
  void connect(std::move_only_function<void(result<void>)> done);
  // Sends with a fresh cid; `on_reply` gets the response or the Error.
  void request(v1::Envelope message, reply_handler on_reply);
  void close();

 private:
  void handshake(std::move_only_function<void(result<void>)> done);
  void read_more();
  void consume();
  void handle(v1::Envelope& message);
  void write(std::string frame);
  void write_next();
  void fail_connection(const std::string& reason);

  client_stream socket_;  // plain TCP or TLS
  server_url url_;
  wire::payload_format format_;
  std::variant<wire::frame_reader, wire::ws::frame_reader> reader_;
  std::vector<char> read_buffer_;
  std::deque<std::string> outbox_;
  std::unordered_map<std::uint32_t, reply_handler> pending_;
  push_handler on_push_;
  closed_handler on_closed_;
  std::uint32_t next_cid_ = 1;
  bool open_ = false;
  bool writing_ = false;
};

}  // namespace guildhall::client
