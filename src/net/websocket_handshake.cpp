#include "net/websocket_handshake.hpp"

#include "wire/websocket_accept.hpp"

namespace guildhall::net {

std::string websocket_accept_key(std::string_view client_key) { return wire::ws::accept_key(client_key); }

std::string websocket_upgrade_response(std::string_view client_key) {
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
         websocket_accept_key(client_key) + "\r\n\r\n";
}

}  // namespace guildhall::net
