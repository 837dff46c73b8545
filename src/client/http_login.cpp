#include "client/http_login.hpp"

#include <google/protobuf/util/json_util.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "client/client_stream.hpp"
#include "client/connection_options.hpp"
#include "client/resolve_host.hpp"

namespace guildhall::client {
namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

namespace {

errc errc_of(const std::string& code) {
  if (code == "AUTH_FAILED") return errc::auth_failed;
  if (code == "TOKEN_EXPIRED") return errc::token_expired;
  if (code == "USERNAME_TAKEN") return errc::conflict;
  if (code == "INVALID_ARGUMENT") return errc::invalid_argument;
  if (code == "NOT_FOUND") return errc::not_found;
  if (code == "RATE_LIMITED") return errc::rate_limited;
  if (code == "UNAVAILABLE") return errc::unavailable;
  return errc::internal;
}

template <typename Message>
result<Message> parse_answer(const http::response<http::string_body>& answer) {
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
  Message parsed;
  if (!google::protobuf::util::JsonStringToMessage(answer.body(), &parsed).ok()) {
    return fail(errc::internal, "unexpected answer: " + answer.body());
  }
  return parsed;
}

// One call in flight: resolve, connect, TLS handshake (https), write, read, each stage named so that the timeout
// can say which one hung. `call_.action` is the path below /v1/ ("auth/login", "udp/connect-token").
template <typename Answer>
class json_exchange : public std::enable_shared_from_this<json_exchange<Answer>> {
 public:
  json_exchange(asio::io_context& io, auth_call call, const google::protobuf::Message& request,
                std::move_only_function<void(result<Answer>)> done)
      : call_(std::move(call)), resolver_(io), socket_(io), deadline_(io), done_(std::move(done)) {
    google::protobuf::util::JsonPrintOptions print;
    print.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(request, &body_, print);
  }
  using std::enable_shared_from_this<json_exchange<Answer>>::shared_from_this;

  void start() {
    deadline_.expires_after(std::chrono::milliseconds(call_.timeout_ms));
    deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->finish(fail(errc::internal, self->stage_ + " timed out after " + describe_ms(self->call_.timeout_ms)));
    });
    stage_ = "connecting to " + where();
    async_resolve_host(resolver_, call_.host, call_.port,
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        asio::ip::tcp::resolver::results_type found) {
                              if (ec) return self->finish(fail(errc::internal, "cannot resolve " + self->call_.host + ": " + ec.message()));
                              asio::async_connect(self->socket_, found, [self](const boost::system::error_code& ec,
                                                                               const asio::ip::tcp::endpoint&) {
                                if (ec) return self->finish(fail(errc::internal, "cannot reach " + self->where() + ": " + ec.message()));
                                self->on_connected();
                              });
                            });
  }

 private:
  std::string where() const { return call_.host + ":" + std::to_string(call_.port); }
  const std::string& server_name() const { return call_.server_name.empty() ? call_.host : call_.server_name; }

  void on_connected() {
    if (!call_.secure) return send(socket_);
    auto context = client_tls_context(call_.tls);
    if (!context) return finish(std::unexpected(context.error()));
    context_ = *context;
    tls_.emplace(std::move(socket_), *context_);
    expect_server_name(tls_->native_handle(), server_name());
    stage_ = "the TLS handshake with " + where();
    tls_->async_handshake(ssl::stream_base::client, [self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec) {
        return self->finish(fail(errc::internal, describe_tls_failure(self->tls_->native_handle(), ec, self->server_name())));
      }
      self->send(*self->tls_);
    });
  }

  // `stream`: the socket, or the TLS stream over it once its handshake is done.
  template <typename Stream>
  void send(Stream& stream) {
    request_ = http::request<http::string_body>(http::verb::post, "/v1/" + call_.action, 11);
    request_.set(http::field::host, server_name());
    request_.set(http::field::content_type, "application/json");
    request_.body() = std::move(body_);
    request_.prepare_payload();
    stage_ = "POST /v1/" + call_.action + " to " + where();
    http::async_write(stream, request_, [self = shared_from_this(), &stream](const boost::system::error_code& ec, std::size_t) {
      if (ec) return self->finish(fail(errc::internal, "HTTP write failed: " + ec.message()));
      http::async_read(stream, self->buffer_, self->answer_,
                       [self](const boost::system::error_code& ec, std::size_t) {
                         if (ec) return self->finish(fail(errc::internal, "HTTP read failed: " + ec.message()));
                         self->finish(parse_answer<Answer>(self->answer_));
                       });
    });
  }

  // The first outcome wins; the cancelled operations' handlers then find done_ empty.
  void finish(result<Answer> outcome) {
    auto done = std::exchange(done_, nullptr);
    if (!done) return;
    deadline_.cancel();
    resolver_.cancel();
    boost::system::error_code ignored;
    (tls_ ? tls_->next_layer() : socket_).close(ignored);
    done(std::move(outcome));
  }

  auth_call call_;
  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;  // moved into tls_ for https
  std::shared_ptr<ssl::context> context_;
  std::optional<ssl::stream<asio::ip::tcp::socket>> tls_;
  asio::steady_timer deadline_;
  std::move_only_function<void(result<Answer>)> done_;
  std::string body_;
  std::string stage_;
  http::request<http::string_body> request_;
  boost::beast::flat_buffer buffer_;
  http::response<http::string_body> answer_;
};

}  // namespace

void async_call_auth(asio::io_context& io, auth_call call, std::move_only_function<void(result<v1::AuthSession>)> done) {
  const v1::AuthRequest request = call.request;
  call.action = "auth/" + call.action;
  std::make_shared<json_exchange<v1::AuthSession>>(io, std::move(call), request, std::move(done))->start();
}

void async_fetch_connect_token(asio::io_context& io, const server_url& server, const std::string& access_token,
                               std::uint32_t timeout_ms, std::move_only_function<void(result<v1::ConnectToken>)> done) {
  v1::ConnectTokenRequest request;
  request.set_token(access_token);
  auth_call call = auth_call_to(server, "udp/connect-token", {}, timeout_ms);
  std::make_shared<json_exchange<v1::ConnectToken>>(io, std::move(call), request, std::move(done))->start();
}

result<v1::AuthSession> call_auth(const auth_call& call) {
  asio::io_context io;
  result<v1::AuthSession> outcome = fail(errc::internal, "not called");
  async_call_auth(io, call, [&](result<v1::AuthSession> answer) { outcome = std::move(answer); });
  io.run();
  return outcome;
}

result<v1::AuthSession> call_auth(const std::string& host, std::uint16_t port, const std::string& action,
                                  const v1::AuthRequest& request) {
  return call_auth(auth_call{.host = host, .port = port, .action = action, .request = request, .timeout_ms = kDefaultLoginTimeoutMs});
}

auth_call auth_call_to(const server_url& server, std::string action, v1::AuthRequest request, std::uint32_t timeout_ms) {
  return auth_call{.host = server.host,
                   .port = server.http_port,
                   .action = std::move(action),
                   .request = std::move(request),
                   .timeout_ms = timeout_ms,
                   .secure = server.secure,
                   .server_name = server.server_name,
                   .tls = server.tls};
}

result<v1::AuthSession> call_auth(const server_url& server, const std::string& action, const v1::AuthRequest& request) {
  return call_auth(auth_call_to(server, action, request));
}

}  // namespace guildhall::client
