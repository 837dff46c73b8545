#include "client/client_connection.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <random>

namespace guildhall::client {
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxIncomingBytes = 16 * 1024 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;

wire::ws::mask_key random_mask() {
  thread_local std::mt19937 generator{std::random_device{}()};
  wire::ws::mask_key key;
  for (auto& byte : key) byte = static_cast<std::uint8_t>(generator());
  return key;
}

// RFC 6455 4.1: a fresh random 16-byte nonce, base64-encoded, for every handshake.
std::string websocket_key() {
  std::array<unsigned char, 16> nonce{};
  RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
  std::array<unsigned char, 25> encoded{};
  const int length = EVP_EncodeBlock(encoded.data(), nonce.data(), static_cast<int>(nonce.size()));
  return std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(length));
}

}  // namespace

client_connection::client_connection(asio::io_context& io, server_url url, wire::payload_format format)
    : socket_(io, url),
      url_(std::move(url)),
      format_(format),
      reader_(url_.kind == server_url::scheme::tcp
                  ? std::variant<wire::frame_reader, wire::ws::frame_reader>(wire::frame_reader(kMaxIncomingBytes))
                  : wire::ws::frame_reader(wire::ws::role::client, kMaxIncomingBytes)),
      read_buffer_(kReadChunk) {}

void client_connection::connect(std::move_only_function<void(result<void>)> done) {
  boost::system::error_code ec;
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(url_.host, ec), url_.port);
  if (ec) return done(fail(errc::invalid_argument, "bad host " + url_.host));
  socket_.async_connect(endpoint, [self = shared_from_this(), done = std::move(done)](result<void> connected) mutable {
    if (!connected) return done(std::move(connected));
    self->socket_.set_option(asio::ip::tcp::no_delay(true));
    if (self->url_.kind == server_url::scheme::tcp) {
      self->open_ = true;
      self->read_more();
      return done({});
    }
    self->handshake(std::move(done));
  });
}

void client_connection::handshake(std::move_only_function<void(result<void>)> done) {
  auto request = std::make_shared<std::string>(
      "GET " + url_.path + " HTTP/1.1\r\nHost: " + url_.host + ":" + std::to_string(url_.port) +
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + websocket_key() +
      "\r\nSec-WebSocket-Version: 13\r\n\r\n");
  asio::async_write(socket_, asio::buffer(*request), [self = shared_from_this(), request, done = std::move(done)](
                                                         const boost::system::error_code& ec, std::size_t) mutable {
    if (ec) return done(fail(errc::internal, "handshake write failed: " + ec.message()));
    auto answer = std::make_shared<asio::streambuf>(8192);
    asio::async_read_until(self->socket_, *answer, "\r\n\r\n",
                           [self, answer, done = std::move(done)](const boost::system::error_code& ec,
                                                                  std::size_t header_bytes) mutable {
                             if (ec) return done(fail(errc::internal, "handshake failed: " + ec.message()));
                             const std::string text(asio::buffers_begin(answer->data()),
                                                    asio::buffers_begin(answer->data()) + static_cast<long>(header_bytes));
                             if (!text.starts_with("HTTP/1.1 101")) {
                               return done(fail(errc::internal, "server refused the upgrade: " + text.substr(0, text.find('\r'))));
                             }
                             answer->consume(header_bytes);
                             const std::string rest(asio::buffers_begin(answer->data()), asio::buffers_end(answer->data()));
                             self->open_ = true;
                             std::get<wire::ws::frame_reader>(self->reader_).feed(rest);
                             self->consume();
                             self->read_more();
                             done({});
                           });
  });
}

void client_connection::request(v1::Envelope message, reply_handler on_reply) {
  const std::uint32_t cid = next_cid_++;
  if (next_cid_ == 0) next_cid_ = 1;
  message.set_cid(cid);
  pending_.emplace(cid, std::move(on_reply));
  std::string payload = wire::encode(message, format_);
  if (url_.kind == server_url::scheme::tcp) return write(wire::frame_for_stream(payload));
  const auto kind = format_ == wire::payload_format::json ? wire::ws::opcode::text : wire::ws::opcode::binary;
  write(wire::ws::make_frame(kind, payload, random_mask()));
}

void client_connection::write(std::string frame) {
  if (!open_) return;
  outbox_.push_back(std::move(frame));
  if (!writing_) write_next();
}

void client_connection::write_next() {
  if (outbox_.empty() || !open_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  asio::async_write(socket_, asio::buffer(outbox_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      if (ec) return self->fail_connection("write failed: " + ec.message());
                      self->outbox_.pop_front();
                      self->write_next();
                    });
}

void client_connection::read_more() {
  socket_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                                  std::size_t n) {
    if (ec) return self->fail_connection(ec == asio::error::eof ? "server closed the connection" : ec.message());
    std::visit([&](auto& reader) { reader.feed(std::string_view(self->read_buffer_.data(), n)); }, self->reader_);
    self->consume();
    if (self->open_) self->read_more();
  });
}

void client_connection::consume() {
  while (open_) {
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
        return fail_connection("server closed the WebSocket (" + std::to_string(wire::ws::close_code_of((*frame)->payload)) + ")");
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
    handle(message);
  }
}

void client_connection::handle(v1::Envelope& message) {
  if (message.cid() != 0) {
    if (auto it = pending_.find(message.cid()); it != pending_.end()) {
      auto on_reply = std::move(it->second);
      pending_.erase(it);
      on_reply(message);
      return;
    }
  }
  if (message.has_closing()) {
    return fail_connection("closed by server: " + std::to_string(message.closing().code()) + " " + message.closing().reason());
  }
  if (on_push_) on_push_(message);
}

void client_connection::close() {
  if (!open_) return;
  if (url_.kind == server_url::scheme::websocket) {
    write(wire::ws::make_frame(wire::ws::opcode::close, wire::ws::close_payload(1000, "bye"), random_mask()));
  }
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

void client_connection::fail_connection(const std::string& reason) {
  if (!open_ && !socket_.is_open()) return;
  const bool was_open = open_;
  open_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
  pending_.clear();
  if (was_open && on_closed_) on_closed_(reason);
}

}  // namespace guildhall::client
