#include "net/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "net/websocket_handshake.hpp"

namespace guildhall::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

http_response plain_error(unsigned status, std::string message) {
  return http_response{status, "application/json",
                       R"({"error":{"code":"BAD_REQUEST","message":")" + std::move(message) + "\"}}", {}};
}

std::string path_of(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

}  // namespace

http_session::http_session(asio::ip::tcp::socket socket, http_handler& handler, const http_limits& limits,
                           upgrade_callback upgrade)
    : stream_(std::move(socket)), handler_(handler), limits_(limits), upgrade_(std::move(upgrade)) {}

void http_session::start() { read_request(); }

void http_session::read_request() {
  parser_.emplace();
  parser_->body_limit(limits_.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
  stream_.expires_after(std::chrono::milliseconds(limits_.request_timeout_ms));
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                     self->on_request(ec);
                   });
}

void http_session::on_request(const boost::system::error_code& ec) {
  if (ec == http::error::body_limit) {
    keep_alive_ = false;
    return write(plain_error(413, "request body too large"));
  }
  if (ec == http::error::header_limit) {
    keep_alive_ = false;
    return write(plain_error(431, "request headers too large"));
  }
  if (ec) return close();  // timeout, EOF, or bytes that are not HTTP: nothing worth answering

  auto request = parser_->release();
  keep_alive_ = request.keep_alive();
  version_ = request.version();
  if (beast::websocket::is_upgrade(request)) return upgrade(request);

  stream_.expires_never();
  boost::system::error_code ignored;
  const auto peer = stream_.socket().remote_endpoint(ignored);
  http_request incoming{std::string(request.method_string()), std::string(request.target()),
                        std::move(request.body()), ignored ? std::string() : peer.address().to_string()};
  auto executor = stream_.get_executor();
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
  stream_.expires_never();
  std::string already_read = beast::buffers_to_string(buffer_.data());
  upgrade_(stream_.release_socket(), websocket_upgrade_response(key), std::move(already_read));
}

void http_session::write(http_response response) {
  auto message = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status), version_);
  message->set(http::field::server, "guildhall");
  message->set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) message->set(name, value);
  message->body() = std::move(response.body);
  message->keep_alive(keep_alive_);
  message->prepare_payload();
  stream_.expires_after(std::chrono::milliseconds(limits_.request_timeout_ms));
  http::async_write(stream_, *message,
                    [self = shared_from_this(), message](const boost::system::error_code& ec, std::size_t) {
                      if (ec || !self->keep_alive_) return self->close();
                      self->read_request();
                    });
}

void http_session::close() {
  boost::system::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace guildhall::net
