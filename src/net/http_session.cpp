#include "net/http_session.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "net/websocket_handshake.hpp"

namespace guildhall::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::size_t kReadChunkBytes = 16 * 1024;  // per read system call; the buffer lives on the stack

http_response plain_error(unsigned status, std::string message) {
  return http_response{status, "application/json",
                       R"({"error":{"code":"BAD_REQUEST","message":")" + std::move(message) + "\"}}", {}};
}

std::string path_of(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

}  // namespace

http_session::http_session(asio::ip::tcp::socket socket, std::unique_ptr<tls_session> tls, http_handler& handler,
                           const http_limits& limits, upgrade_callback upgrade)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      tls_(std::move(tls)),
      handler_(handler),
      limits_(limits),
      upgrade_(std::move(upgrade)) {
  boost::system::error_code ignored;
  socket_.non_blocking(true, ignored);
}

void http_session::start() { read_request(); }

void http_session::read_request() {
  parser_.emplace();
  parser_->body_limit(limits_.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
  parser_->eager(true);
  arm_timer();
  parse_buffered();  // a pipelined request may already be here
}

void http_session::arm_timer() {
  timer_.expires_after(std::chrono::milliseconds(limits_.request_timeout_ms));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->close();
  });
}

void http_session::wait_readable() {
  socket_.async_wait(asio::ip::tcp::socket::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (self->closed_) return;
    if (ec) return self->close();
    self->read_available();
  });
}

void http_session::read_available() {
  if (!receive()) return close();
  if (tls_ && !tls_->outgoing().empty()) flush_output();  // handshake flights
  if (closed_) return;
  parse_buffered();
}

bool http_session::receive() {
  for (;;) {
    std::array<char, kReadChunkBytes> chunk;
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(asio::buffer(chunk), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) return true;
    if (ec == asio::error::eof) {
      peer_done_ = true;  // a client may half-close after its request: answer what it sent, then close
      return true;
    }
    if (ec) return false;  // reset
    if (!tls_) {
      const auto room = buffer_.prepare(n);
      std::memcpy(room.data(), chunk.data(), n);
      buffer_.commit(n);
    } else {
      tls_->feed(std::string_view(chunk.data(), n));
      for (;;) {
        auto room = buffer_.prepare(kReadChunkBytes);
        auto got = tls_->read(static_cast<char*>(room.data()), room.size());
        // Plaintext on the https port, a failed handshake, or close_notify: close() sends OpenSSL's alert, if any.
        if (!got) return false;
        if (*got == 0) break;
        buffer_.commit(*got);
      }
    }
    // Past this the parser fails anyway (413/431): stop reading a client that floods us.
    if (n < chunk.size() || buffer_.size() > limits_.max_header_bytes + limits_.max_body_bytes) return true;
  }
}

void http_session::parse_buffered() {
  while (buffer_.size() > 0 && !parser_->is_done()) {
    boost::system::error_code ec;
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) break;
    if (ec) return on_parse_error(ec);
  }
  if (parser_->is_done()) return on_request();
  if (peer_done_) return close();  // the rest of the request will never come
  wait_readable();
}

void http_session::on_parse_error(const boost::system::error_code& ec) {
  keep_alive_ = false;
  if (ec == http::error::body_limit) return write(plain_error(413, "request body too large"));
  if (ec == http::error::header_limit) return write(plain_error(431, "request headers too large"));
  close();  // bytes that are not HTTP: nothing worth answering
}

void http_session::on_request() {
  auto request = parser_->release();
  keep_alive_ = request.keep_alive();
  version_ = request.version();
  if (beast::websocket::is_upgrade(request)) return upgrade(request);

  timer_.cancel();  // the handler may take its time (password hashing); the write is timed again
  boost::system::error_code ignored;
  const auto peer = socket_.remote_endpoint(ignored);
  http_request incoming{std::string(request.method_string()), std::string(request.target()),
                        std::move(request.body()), ignored ? std::string() : peer.address().to_string(), {}};
  const auto local = socket_.local_endpoint(ignored);
  if (!ignored) incoming.local_address = local.address().to_string();
  auto executor = socket_.get_executor();
  handler_.handle(std::move(incoming), [self = shared_from_this(), executor](http_response response) mutable {
    asio::dispatch(executor, [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
  });
}

void http_session::upgrade(const http::request<http::string_body>& request) {
  keep_alive_ = false;
  if (path_of(request.target()) != "/ws") return write(plain_error(404, "WebSocket endpoint is /ws"));
  const auto key = request[http::field::sec_websocket_key];
  if (key.empty() || request[http::field::sec_websocket_version] != "13") {
    return write(plain_error(400, "bad WebSocket upgrade request (need Sec-WebSocket-Key, version 13)"));
  }
  closed_ = true;  // handed over: late callbacks of this session do nothing
  timer_.cancel();
  boost::system::error_code ignored;
  socket_.cancel(ignored);  // a wait for writability (TLS bytes still to send) moves to the stream connection
  std::string already_read = beast::buffers_to_string(buffer_.data());
  upgrade_(std::move(socket_), std::move(tls_), websocket_upgrade_response(key), std::move(already_read));
}

void http_session::write(http_response response) {
  if (closed_) return;
  http::response<http::string_body> message(static_cast<http::status>(response.status), version_);
  message.set(http::field::server, "guildhall");
  message.set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) message.set(name, value);
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive_);
  message.prepare_payload();
  std::ostringstream text;
  text << message;
  const std::string bytes = std::move(text).str();
  if (tls_) {
    const iovec piece{const_cast<char*>(bytes.data()), bytes.size()};
    if (!tls_->write(std::span<const iovec>(&piece, 1))) return close();
  } else {
    plain_out_ += bytes;
  }
  response_pending_ = true;
  arm_timer();
  flush_output();
}

void http_session::flush_output() {
  if (waiting_writable_ || closed_) return;
  for (;;) {
    const std::string& pending = tls_ ? tls_->outgoing() : plain_out_;
    if (pending.empty()) break;
    const ssize_t written = ::send(socket_.native_handle(), pending.data(), pending.size(), MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return close();
      waiting_writable_ = true;
      socket_.async_wait(asio::ip::tcp::socket::wait_write,
                         [self = shared_from_this()](const boost::system::error_code& ec) {
                           self->waiting_writable_ = false;
                           if (self->closed_) return;
                           if (ec) return self->close();
                           self->flush_output();
                         });
      return;
    }
    if (tls_) {
      tls_->consume_outgoing(static_cast<std::size_t>(written));
    } else {
      plain_out_.erase(0, static_cast<std::size_t>(written));
    }
  }
  if (response_pending_) after_response();
}

void http_session::after_response() {
  response_pending_ = false;
  if (!keep_alive_) return close();
  read_request();
}

void http_session::close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  boost::system::error_code ignored;
  if (tls_) {
    tls_->close_notify();
    const std::string& sealed = tls_->outgoing();
    if (!sealed.empty()) ::send(socket_.native_handle(), sealed.data(), sealed.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  socket_.close(ignored);
}

}  // namespace guildhall::net
