#pragma once
// Blocking calls to the HTTP auth API (POST /v1/auth/...), for command-line clients and the load generator.
#include <string>

#include "base/result.hpp"
#include "client/server_url.hpp"
#include "guildhall/v1/guildhall.pb.h"

namespace guildhall::client {

// `action`: register, login, guest or refresh. Errors carry the server's error code and message.
result<v1::AuthSession> call_auth(const std::string& host, std::uint16_t port, const std::string& action,
                                  const v1::AuthRequest& request);
// The same against the HTTP API of `server` (url.http_port): https, with url.tls's checks, for wss:// and tls://.
result<v1::AuthSession> call_auth(const server_url& server, const std::string& action, const v1::AuthRequest& request);

}  // namespace guildhall::client
