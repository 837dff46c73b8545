#pragma once
// Where a client connects: ws://HOST:PORT[/ws] (WebSocket) or tcp://HOST:PORT (native framing), or the same over
// TLS: wss:// and tls:// (the HTTP login then uses https); or udp://HOST:PORT, the UDP transport, whose packets are
// always encrypted with the keys of a connect token fetched over HTTP (udps://: fetched over https, which a
// deployment on a network others can read needs). Any may end in ?http_port=N to name the port of the HTTP API
// (login, connect token) when it is not the usual one.
#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace guildhall::client {

// How a TLS client checks the server. By default the certificate chain must lead to the system's trust store
// and name the host of the URL.
struct tls_options {
  std::string ca_file;    // PEM file of certificates to trust as well (a self-signed development certificate)
  bool insecure = false;  // development only: accept any certificate (the connection is encrypted, not authenticated)
};

struct server_url {
  enum class scheme { websocket, tcp, udp } kind = scheme::websocket;
  std::string host = "127.0.0.1";
  std::uint16_t port = 9700;
  std::string path = "/ws";
  // The HTTP API of the same server: for tcp:// it is port - 1 (9701 -> 9700, the default layout), for udp://
  // port - 2, unless the URL says ?http_port=N.
  std::uint16_t http_port = 9700;
  bool secure = false;      // wss://, tls:// or udps://: TLS on the connection (not UDP's) and https for HTTP
  std::string server_name;  // the host as written in the URL: what the certificate must name (and SNI)
  tls_options tls;          // not part of the URL: set by the program (--ca-file, --insecure)
};

result<server_url> parse_server_url(const std::string& text);

}  // namespace guildhall::client
