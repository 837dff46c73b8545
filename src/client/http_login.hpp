#pragma once
// Calls to the HTTP auth API (POST /v1/auth/...), over http or https: asynchronous on the caller's io_context for
// clients that keep running meanwhile (session's re-login), blocking for command-line clients, tests and the load
// generator. Both resolve host names and give up after `timeout_ms` (the TLS handshake included) with a message
// naming what timed out.
#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "base/result.hpp"
#include "client/server_url.hpp"
#include "guildhall/v1/guildhall.pb.h"

namespace guildhall::client {

// Connect, send and answer together: a server that accepts and never answers costs this long at most.
constexpr std::uint32_t kDefaultLoginTimeoutMs = 5000;

struct auth_call {
  std::string host;
  std::uint16_t port = 9700;
  std::string action;  // register, login, guest or refresh
  v1::AuthRequest request;
  std::uint32_t timeout_ms = kDefaultLoginTimeoutMs;
  bool secure = false;      // https, the certificate checked as `tls` says
  std::string server_name{};  // what the certificate must name (and SNI); empty: `host`
  tls_options tls{};
};

// A call to the HTTP API of `server` (url.http_port): https for wss:// and tls://, with url.tls's checks.
auth_call auth_call_to(const server_url& server, std::string action, v1::AuthRequest request,
                       std::uint32_t timeout_ms = kDefaultLoginTimeoutMs);

// `done` runs on `io`'s thread. Errors carry the server's error code and message, or errc::internal for a
// failure to reach it ("connecting to 127.0.0.1:9 timed out after 5 s").
void async_call_auth(boost::asio::io_context& io, auth_call call,
                     std::move_only_function<void(result<v1::AuthSession>)> done);

// POST /v1/udp/connect-token: a connect token for the UDP transport, for the holder of `access_token`. NOT_FOUND
// when the server does not serve UDP.
void async_fetch_connect_token(boost::asio::io_context& io, const server_url& server, const std::string& access_token,
                               std::uint32_t timeout_ms, std::move_only_function<void(result<v1::ConnectToken>)> done);

// The blocking form, on a private io_context.
result<v1::AuthSession> call_auth(const auth_call& call);
result<v1::AuthSession> call_auth(const std::string& host, std::uint16_t port, const std::string& action,
                                  const v1::AuthRequest& request);
result<v1::AuthSession> call_auth(const server_url& server, const std::string& action, const v1::AuthRequest& request);

}  // namespace guildhall::client
