#pragma once
#include <string>
#include <string_view>

namespace guildhall::net {

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (RFC 6455 section 4.2.2).
std::string websocket_accept_key(std::string_view client_key);

// The complete "101 Switching Protocols" answer.
std::string websocket_upgrade_response(std::string_view client_key);

}  // namespace guildhall::net
