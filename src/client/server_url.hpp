#pragma once
// Where a client connects: ws://HOST:PORT[/ws] (WebSocket) or tcp://HOST:PORT (native framing). Either may end
// in ?http_port=N to name the port of the HTTP API (login) when it is not the usual one.
#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace guildhall::client {

struct server_url {
  enum class scheme { websocket, tcp } kind = scheme::websocket;
  std::string host = "127.0.0.1";
  std::uint16_t port = 9700;
  std::string path = "/ws";
  // The HTTP API of the same server: for tcp:// it is port - 1 (9701 -> 9700, the default layout) unless the URL
  // says ?http_port=N.
  std::uint16_t http_port = 9700;
};

result<server_url> parse_server_url(const std::string& text);

}  // namespace guildhall::client
