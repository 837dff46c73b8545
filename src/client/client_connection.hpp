#pragma once
// The C++ client SDK's stream connection: connects over WebSocket or native TCP, either over TLS
// (client_stream.hpp), host names resolved. Requests, pushes, time-outs and the keep-alive are
// message_connection's; this class carries the frames.
//
// Thread-safety: all members must be called on the io_context's thread (post to it from elsewhere); callbacks run
// there too, never from inside the call that caused them (a request on a closed connection completes later).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <variant>

#include "client/client_stream.hpp"
#include "client/message_connection.hpp"
#include "wire/frame_reader.hpp"
#include "wire/websocket_frames.hpp"

namespace guildhall::client {

class client_connection final : public message_connection {
 public:
  client_connection(boost::asio::io_context& io, server_url url,
                    wire::payload_format format = wire::payload_format::binary, connection_options options = {});

  // Resolves, connects, then the TLS handshake (wss://, tls://) and the WebSocket upgrade, each step within its
  // timeout.
  void connect(std::move_only_function<void(result<void>)> done) override;
  void close() override;

 private:
  std::shared_ptr<client_connection> self() {
    return std::static_pointer_cast<client_connection>(shared_from_this());
  }
  void transmit(const v1::Envelope& message) override;
  void drop_transport() override;

  void on_connected();
  void after_tls();
  void handshake();
  void finish_connect(result<void> outcome);
  void arm_step_deadline(std::uint32_t timeout_ms, std::string what);
  void read_more();
  void consume();
  void write(std::string frame);
  void write_next();

  boost::asio::ip::tcp::resolver resolver_;
  client_stream socket_;  // plain TCP or TLS; every socket operation is in client_connection.cpp's few I/O functions
  wire::payload_format format_;
  std::variant<wire::frame_reader, wire::ws::frame_reader> reader_;
  std::vector<char> read_buffer_;
  std::deque<std::string> outbox_;
  boost::asio::steady_timer step_timer_;  // the connect or handshake step in progress
  std::move_only_function<void(result<void>)> connect_done_;
  std::string websocket_key_;
  bool writing_ = false;
};

}  // namespace guildhall::client
