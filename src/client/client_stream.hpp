#pragma once
// A client's byte stream to the server: plain TCP, or TLS over TCP (wss://, tls://) with the server's certificate
// checked against the system's trust store (plus tls_options::ca_file) and the URL's host name, unless
// tls_options::insecure. Has the subset of tcp::socket's interface the client uses, so client_connection and
// Asio's composed operations (async_write, async_read_until) work on either.
// Thread-safety: like a socket: use from the io_context's thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "client/server_url.hpp"

namespace guildhall::client {

// The TLS client settings for `options`: trust store, extra CA file, verification mode. Made once per options
// and shared (loading the system store for every connection of a load generator would cost milliseconds each).
result<std::shared_ptr<boost::asio::ssl::context>> client_tls_context(const tls_options& options);

// Makes `ssl` check that the certificate names `host` (a DNS name or an IP literal) and sends SNI for names.
void expect_server_name(SSL* ssl, const std::string& host);

// Why a TLS handshake failed, in words a user can act on (an untrusted or misnamed certificate says so).
std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec, const std::string& host);

class client_stream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  using tls_stream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

  // TLS when url.secure.
  client_stream(boost::asio::io_context& io, const server_url& url);

  executor_type get_executor() { return lowest_layer().get_executor(); }
  boost::asio::ip::tcp::socket& lowest_layer() { return tls_ ? tls_->next_layer() : socket_; }

  // Once lowest_layer() is connected (asio::async_connect over resolved endpoints): the TLS handshake with the
  // certificate checks; completes at once for plain TCP. `done` gets a sentence on failure (what failed and why).
  void async_tls_handshake(std::move_only_function<void(result<void>)> done);

  template <typename Buffers, typename Handler>
  auto async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) return tls_->async_read_some(buffers, std::forward<Handler>(handler));
    return socket_.async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <typename Buffers, typename Handler>
  auto async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) return tls_->async_write_some(buffers, std::forward<Handler>(handler));
    return socket_.async_write_some(buffers, std::forward<Handler>(handler));
  }

  template <typename Option>
  void set_option(const Option& option, boost::system::error_code& ec) {
    lowest_layer().set_option(option, ec);
  }
  template <typename Option>
  void set_option(const Option& option) {
    boost::system::error_code ignored;
    set_option(option, ignored);
  }
  // A TCP half-close. (Over TLS without close_notify: the server treats it as the end of the stream, as it is.)
  void shutdown(boost::asio::ip::tcp::socket::shutdown_type what, boost::system::error_code& ec) {
    lowest_layer().shutdown(what, ec);
  }
  void close(boost::system::error_code& ec) { lowest_layer().close(ec); }
  bool is_open() { return lowest_layer().is_open(); }

 private:
  boost::asio::ip::tcp::socket socket_;  // plain TCP; unused (closed) over TLS
  std::shared_ptr<boost::asio::ssl::context> context_;
  std::optional<tls_stream> tls_;
  std::string server_name_;
  std::string setup_error_;  // the TLS context could not be made (unreadable CA file): the handshake reports it
};

}  // namespace guildhall::client
