#include "client/client_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <random>

#include "client/resolve_host.hpp"
#include "client/websocket_upgrade.hpp"

namespace guildhall::client {
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxIncomingBytes = 16 * 1024 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;
// The upgrade answer's head; a server that sends more before the blank line is not speaking WebSocket to us.
constexpr std::size_t kMaxUpgradeAnswerBytes = 8192;

wire::ws::mask_key random_mask() {
  thread_local std::mt19937 generator{std::random_device{}()};
  wire::ws::mask_key key;
  for (auto& byte : key) byte = static_cast<std::uint8_t>(generator());
  return key;
}

}  // namespace

client_connection::client_connection(asio::io_context& io, server_url url, wire::payload_format format,
                                     connection_options options)
    : message_connection(io, url, options),
      resolver_(io),
      socket_(io, url),
      format_(format),
      reader_(url_.kind == server_url::scheme::tcp
                  ? std::variant<wire::frame_reader, wire::ws::frame_reader>(wire::frame_reader(kMaxIncomingBytes))
                  : wire::ws::frame_reader(wire::ws::role::client, kMaxIncomingBytes)),
      read_buffer_(kReadChunk),
      step_timer_(io) {}

void client_connection::connect(std::move_only_function<void(result<void>)> done) {
  connect_done_ = std::move(done);
  arm_step_deadline(options_.connect_timeout_ms, "connecting to " + where());
  async_resolve_host(
      resolver_, url_.host, url_.port,
      [self = self()](const boost::system::error_code& ec, asio::ip::tcp::resolver::results_type found) {
        if (!self->connect_done_) return;  // timed out meanwhile
        if (ec) return self->finish_connect(fail(errc::internal, "cannot resolve " + self->url_.host + ": " + ec.message()));
        asio::async_connect(self->socket_.lowest_layer(), found,
                            [self](const boost::system::error_code& ec, const asio::ip::tcp::endpoint&) {
                              if (!self->connect_done_) return;
                              if (ec) {
                                return self->finish_connect(
                                    fail(errc::internal, "connecting to " + self->where() + " failed: " + ec.message()));
                              }
                              self->on_connected();
                            });
      });
}

void client_connection::on_connected() {
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (!url_.secure) return after_tls();
  arm_step_deadline(options_.handshake_timeout_ms, "the TLS handshake with " + where());
  socket_.async_tls_handshake([self = self()](result<void> secured) {
    if (!self->connect_done_) return;  // timed out meanwhile
    if (!secured) return self->finish_connect(std::move(secured));
    self->after_tls();
  });
}

void client_connection::after_tls() {
  if (url_.kind == server_url::scheme::tcp) return finish_connect({});
  arm_step_deadline(options_.handshake_timeout_ms, "the WebSocket handshake with " + where());
  handshake();
}

// A step's deadline: past it, the step's pending operation is cancelled and connect() reports what timed out.
void client_connection::arm_step_deadline(std::uint32_t timeout_ms, std::string what) {
  step_timer_.expires_after(std::chrono::milliseconds(timeout_ms));
  step_timer_.async_wait([self = self(), timeout_ms, what = std::move(what)](const boost::system::error_code& ec) {
    if (ec || !self->connect_done_) return;
    self->finish_connect(fail(errc::internal, what + " timed out after " + describe_ms(timeout_ms)));
  });
}

void client_connection::handshake() {
  websocket_key_ = new_websocket_key();
  auto request = std::make_shared<std::string>(upgrade_request(url_, websocket_key_));
  asio::async_write(socket_, asio::buffer(*request), [self = self(), request](
                                                         const boost::system::error_code& ec, std::size_t) {
    if (!self->connect_done_) return;
    if (ec) return self->finish_connect(fail(errc::internal, "WebSocket handshake with " + self->where() + " failed: " + ec.message()));
    auto answer = std::make_shared<asio::streambuf>(kMaxUpgradeAnswerBytes);
    asio::async_read_until(self->socket_, *answer, "\r\n\r\n", [self, answer](const boost::system::error_code& ec,
                                                                               std::size_t head_bytes) {
      if (!self->connect_done_) return;
      if (ec) return self->finish_connect(fail(errc::internal, "WebSocket handshake with " + self->where() + " failed: " + ec.message()));
      const auto data = answer->data();
      const std::string head(asio::buffers_begin(data), asio::buffers_begin(data) + static_cast<long>(head_bytes));
      if (auto checked = check_upgrade_answer(head, self->websocket_key_); !checked) return self->finish_connect(checked);
      answer->consume(head_bytes);
      // Frames the server sent right behind its answer are already in the buffer.
      std::get<wire::ws::frame_reader>(self->reader_).feed(
          std::string(asio::buffers_begin(answer->data()), asio::buffers_end(answer->data())));
      self->finish_connect({});
    });
  });
}

void client_connection::finish_connect(result<void> outcome) {
  auto done = std::exchange(connect_done_, nullptr);
  if (!done) return;
  step_timer_.cancel();
  if (!outcome) {
    resolver_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
    return done(std::move(outcome));
  }
  start_session();
  read_more();
  done({});
  consume();  // frames that came with the upgrade answer, now that the caller has its handlers in place
}

void client_connection::transmit(const v1::Envelope& message) {
  std::string payload = wire::encode(message, format_);
  if (url_.kind == server_url::scheme::tcp) return write(wire::frame_for_stream(payload));
  const auto kind = format_ == wire::payload_format::json ? wire::ws::opcode::text : wire::ws::opcode::binary;
  write(wire::ws::make_frame(kind, payload, random_mask()));
}

void client_connection::write(std::string frame) {
  if (!open()) return;
  note_sent();
  outbox_.push_back(std::move(frame));
  if (!writing_) write_next();
}

void client_connection::write_next() {
  if (outbox_.empty() || !open()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  asio::async_write(socket_, asio::buffer(outbox_.front()),
                    [self = self()](const boost::system::error_code& ec, std::size_t) {
                      if (ec) return self->fail_connection("write failed: " + ec.message());
                      self->outbox_.pop_front();
                      self->write_next();
                    });
}

void client_connection::read_more() {
  socket_.async_read_some(asio::buffer(read_buffer_), [self = self()](const boost::system::error_code& ec,
                                                                                  std::size_t n) {
    if (ec) return self->fail_connection(ec == asio::error::eof ? "the server closed the connection" : ec.message());
    self->note_received(n);
    std::visit([&](auto& reader) { reader.feed(std::string_view(self->read_buffer_.data(), n)); }, self->reader_);
    self->consume();
    if (self->open()) self->read_more();
  });
}

void client_connection::consume() {
  while (open()) {
    v1::Envelope message;
    if (auto* stream = std::get_if<wire::frame_reader>(&reader_)) {
      auto frame = stream->next();
      if (!frame) return fail_connection(frame.error().message);
      if (!*frame) return;
      auto decoded = wire::decode(**frame, wire::payload_format::binary);
      if (!decoded) return fail_connection(decoded.error().message);
      message = std::move(*decoded);
    } else {
      auto frame = std::get<wire::ws::frame_reader>(reader_).next();
      if (!frame) return fail_connection(frame.error().message);
      if (!*frame) return;
      const auto kind = (*frame)->kind;
      if (kind == wire::ws::opcode::close) {
        const auto code = wire::ws::close_code_of((*frame)->payload);
        set_close_code(code);
        return fail_connection("the server closed the WebSocket (" + std::to_string(code) + ")");
      }
      if (kind == wire::ws::opcode::ping) {
        write(wire::ws::make_frame(wire::ws::opcode::pong, (*frame)->payload, random_mask()));
        continue;
      }
      if (kind != wire::ws::opcode::text && kind != wire::ws::opcode::binary) continue;
      auto decoded = wire::decode((*frame)->payload,
                                  kind == wire::ws::opcode::text ? wire::payload_format::json : wire::payload_format::binary);
      if (!decoded) return fail_connection(decoded.error().message);
      message = std::move(*decoded);
    }
    deliver(message);
  }
}

void client_connection::close() {
  if (!connect_done_ && !open()) return;
  if (connect_done_) return finish_connect(fail(errc::internal, "closed before connecting"));
  if (url_.kind == server_url::scheme::websocket) {
    write(wire::ws::make_frame(wire::ws::opcode::close, wire::ws::close_payload(1000, "bye"), random_mask()));
  }
  // The server's answer (or EOF) ends the read loop, which completes what is still pending.
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

void client_connection::drop_transport() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  outbox_.clear();
}

}  // namespace guildhall::client
