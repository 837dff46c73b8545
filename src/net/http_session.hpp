#pragma once
// One HTTP/1.1 connection on the web port, in the clear or over TLS: reads requests (bounded in size and time),
// hands them to the http_handler, writes the answers, and turns a WebSocket upgrade on /ws into a
// stream_connection (handing over the TLS session with the socket).
// The socket is read and written here and Beast only parses (its parser is fed bytes), so the TLS layer is the
// same sans-I/O tls_session the stream connections use.
// Thread-safety: lives on the shard that accepted it.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "net/http_types.hpp"
#include "net/tls_session.hpp"

namespace guildhall::net {

struct http_limits {
  std::size_t max_body_bytes = 64 * 1024;  // JSON API bodies are tiny; uploads are not an HTTP API feature here
  std::size_t max_header_bytes = 8 * 1024;
  // A client that has not sent a whole request by then (the TLS handshake included) is dropped.
  std::uint32_t request_timeout_ms = 10'000;
};

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  using upgrade_callback = std::function<void(boost::asio::ip::tcp::socket socket, std::unique_ptr<tls_session> tls,
                                              std::string greeting, std::string already_read)>;

  // `tls` is null for plain HTTP.
  http_session(boost::asio::ip::tcp::socket socket, std::unique_ptr<tls_session> tls, http_handler& handler,
               const http_limits& limits, upgrade_callback upgrade);
  void start();

 private:
  using request_parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  void read_request();
  void wait_readable();
  void read_available();
  // Reads what the socket has into buffer_ (decrypted); false when the peer reset or broke the TLS stream (EOF
  // only sets peer_done_).
  bool receive();
  void parse_buffered();
  void on_parse_error(const boost::system::error_code& ec);
  void on_request();
  void upgrade(const boost::beast::http::request<boost::beast::http::string_body>& request);
  void write(http_response response);
  // Sends the pending bytes (sealed by TLS or plain); once all are out, a finished response moves on.
  void flush_output();
  void after_response();
  void arm_timer();
  void close();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::unique_ptr<tls_session> tls_;
  boost::beast::flat_buffer buffer_;  // plaintext received and not yet parsed
  std::optional<request_parser> parser_;
  std::string plain_out_;  // bytes to write, without TLS (with TLS they wait in tls_->outgoing())
  http_handler& handler_;
  const http_limits& limits_;
  upgrade_callback upgrade_;
  bool keep_alive_ = false;
  bool response_pending_ = false;  // a response is being written: after it, read the next request or close
  bool waiting_writable_ = false;
  bool peer_done_ = false;  // the client half-closed: no more requests will come
  bool closed_ = false;  // closed, or handed over to a stream_connection
  unsigned version_ = 11;
};

}  // namespace guildhall::net
