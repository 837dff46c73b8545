#include "client/http_login.hpp"

#include <google/protobuf/util/json_util.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "client/client_stream.hpp"

namespace guildhall::client {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

errc errc_of(const std::string& code) {
  if (code == "AUTH_FAILED") return errc::auth_failed;
  if (code == "TOKEN_EXPIRED") return errc::token_expired;
  if (code == "USERNAME_TAKEN") return errc::conflict;
  if (code == "INVALID_ARGUMENT") return errc::invalid_argument;
  if (code == "NOT_FOUND") return errc::not_found;
  return errc::internal;
}

// One request and its answer over a connected `stream` (a socket, or a TLS stream after its handshake).
template <typename Stream>
result<v1::AuthSession> exchange(Stream& stream, const std::string& host, const std::string& action,
                                 const v1::AuthRequest& request) {
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  std::string body;
  google::protobuf::util::MessageToJsonString(request, &body, print);

  boost::system::error_code ec;
  http::request<http::string_body> call(http::verb::post, "/v1/auth/" + action, 11);
  call.set(http::field::host, host);
  call.set(http::field::content_type, "application/json");
  call.body() = std::move(body);
  call.prepare_payload();
  http::write(stream, call, ec);
  if (ec) return fail(errc::internal, "HTTP write failed: " + ec.message());

  boost::beast::flat_buffer buffer;
  http::response<http::string_body> answer;
  http::read(stream, buffer, answer, ec);
  if (ec) return fail(errc::internal, "HTTP read failed: " + ec.message());

  if (answer.result() != http::status::ok) {
    // {"error":{"code":"...","message":"..."}}
    const std::string& text = answer.body();
    auto field = [&](const std::string& name) {
      const auto at = text.find("\"" + name + "\":\"");
      if (at == std::string::npos) return std::string();
      const auto start = at + name.size() + 4;
      return text.substr(start, text.find('"', start) - start);
    };
    return fail(errc_of(field("code")), field("message").empty() ? text : field("message"));
  }
  v1::AuthSession session;
  if (!google::protobuf::util::JsonStringToMessage(answer.body(), &session).ok()) {
    return fail(errc::internal, "unexpected answer: " + answer.body());
  }
  return session;
}

result<void> connect_to(asio::ip::tcp::socket& socket, const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address(host, ec), port}, ec);
  if (ec) return fail(errc::internal, "cannot reach " + host + ":" + std::to_string(port) + ": " + ec.message());
  return {};
}

}  // namespace

result<v1::AuthSession> call_auth(const std::string& host, std::uint16_t port, const std::string& action,
                                  const v1::AuthRequest& request) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  if (auto connected = connect_to(socket, host, port); !connected) return std::unexpected(connected.error());
  return exchange(socket, host, action, request);
}

result<v1::AuthSession> call_auth(const server_url& server, const std::string& action, const v1::AuthRequest& request) {
  if (!server.secure) return call_auth(server.host, server.http_port, action, request);
  auto context = client_tls_context(server.tls);
  if (!context) return std::unexpected(context.error());
  asio::io_context io;
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, **context);
  if (auto connected = connect_to(stream.next_layer(), server.host, server.http_port); !connected) {
    return std::unexpected(connected.error());
  }
  expect_server_name(stream.native_handle(), server.server_name);
  boost::system::error_code ec;
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return fail(errc::internal, describe_tls_failure(stream.native_handle(), ec, server.server_name));
  return exchange(stream, server.server_name, action, request);
}

}  // namespace guildhall::client
