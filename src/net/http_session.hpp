#pragma once
// One HTTP/1.1 connection on the web port: reads requests (bounded in size and time), hands them to the
// http_handler, writes the answers, and turns a WebSocket upgrade on /ws into a stream_connection.
// Thread-safety: lives on the shard that accepted it.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "net/http_types.hpp"

namespace guildhall::net {

struct http_limits {
  std::size_t max_body_bytes = 64 * 1024;  // JSON API bodies are tiny; uploads are not an HTTP API feature here
  std::size_t max_header_bytes = 8 * 1024;
  std::uint32_t request_timeout_ms = 10'000;  // a client that has not sent a whole request by then is dropped
};

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  using upgrade_callback =
      std::function<void(boost::asio::ip::tcp::socket socket, std::string greeting, std::string already_read)>;

  http_session(boost::asio::ip::tcp::socket socket, http_handler& handler, const http_limits& limits,
               upgrade_callback upgrade);
  void start();

 private:
  void read_request();
  void on_request(const boost::system::error_code& ec);
  void upgrade(const boost::beast::http::request<boost::beast::http::string_body>& request);
  void write(http_response response);
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  http_handler& handler_;
  const http_limits& limits_;
  upgrade_callback upgrade_;
  bool keep_alive_ = false;
  unsigned version_ = 11;
};

}  // namespace guildhall::net
