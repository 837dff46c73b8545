#pragma once
// How long a client waits for each step, and how it keeps an idle connection alive. Every client of the SDK
// (guildhall chat, guildhall play, the load generator, the SDKs of later issues) takes these; the terminal
// clients expose them as flags (--timeout-ms, --request-timeout-ms, --ping-interval-ms).
#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace guildhall::client {

struct connection_options {
  // Name lookup and TCP connect together. An address where something listens but never answers (a firewall
  // dropping packets, a stopped process holding the port) would otherwise hang for minutes.
  std::uint32_t connect_timeout_ms = 5000;
  // Each handshake on top of the connection: TLS (wss://, tls://), then the WebSocket upgrade (request sent, 101
  // answer read); each gets this long.
  std::uint32_t handshake_timeout_ms = 5000;
  // Each request's answer; 0 waits forever. Past it the request completes with a local error (see
  // client_connection::request); the connection stays, since the keep-alive below decides whether it is dead.
  std::uint32_t request_timeout_ms = 15000;
  // A Ping goes out when nothing was sent for this long. Well under the server's limits.idle_timeout_ms (60 s)
  // so an idle player stays connected; 0 sends none.
  std::uint32_t ping_interval_ms = 20000;
  // Nothing received for this long (not even the Pong of our pings) means the connection is dead: a peer gone
  // without a FIN (a pulled cable, a NAT that forgot us). 0 never decides that. Must exceed ping_interval_ms.
  std::uint32_t dead_after_ms = 45000;
};

result<void> validate(const connection_options& options);

// "5 s", "1.5 s", "250 ms": a duration for a message a person reads.
std::string describe_ms(std::uint64_t ms);

}  // namespace guildhall::client
