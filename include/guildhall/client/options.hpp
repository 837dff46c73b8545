#pragma once
// How a client connects: where, over what, how long it waits and how it comes back after a loss. Plain values
// with in-class defaults that suit a game on the Internet; validate() says what is wrong before anything runs.
#include <cstdint>
#include <string>

#include "guildhall/client/error.hpp"
#include "guildhall/client/export.hpp"

namespace guildhall::client {

enum class transport_preference : std::uint8_t {
  automatic,  // UDP, falling back to WebSocket when the server has UDP off or UDP does not get through
  udp,        // UDP only (port = HTTP port + 2 by default; the connect token names the address)
  websocket,  // ws:// (wss:// when secure)
  tcp,        // the native length-prefixed framing: tcp:// (tls:// when secure); port = HTTP port + 1 by default
};

struct reconnection_settings {
  bool enabled = true;  // false: a lost connection ends in a gave_up event at once
  // First retry after about this long, doubling per failed attempt up to max_delay_ms, each drawn within
  // +-jitter of that, so that the players of a restarted server do not all return in the same millisecond.
  std::uint32_t first_delay_ms = 2000;
  std::uint32_t max_delay_ms = 30000;
  double jitter = 0.2;
  std::uint32_t max_attempts = 14;  // about five minutes with the delays above
  // Rejoin, once back, the chat channels joined and the room sat in (the server keeps a room seat for its
  // reconnection grace, rooms.reconnect_grace_ms, 30 s by default).
  bool rejoin = true;
};

struct client_options {
  // ws://host:port[/ws], wss://, tcp://host:port, tls://; "?http_port=N" names the HTTP (login) port when it is
  // not the usual one. With `transport` websocket or tcp the scheme is switched to match (docs/sdk-cpp.md).
  std::string server_url = "ws://127.0.0.1:9700/ws";
  transport_preference transport = transport_preference::automatic;
  // A bad network at the desk: impair this client's own UDP traffic, both ways (0 = off; never in a release).
  struct network_impairment {
    std::uint32_t latency_ms = 0;      // one way, added per direction
    std::uint32_t jitter_ms = 0;       // +- per packet
    double loss_percent = 0;
    double duplicate_percent = 0;
    double reorder_percent = 0;
    std::uint64_t seed = 1;            // same seed, same impairments
  } udp_impairment{};
  // Development servers with self-signed certificates: a PEM file to trust, or (never in a release) no checks.
  std::string tls_ca_file{};
  bool tls_insecure = false;

  std::uint32_t connect_timeout_ms = 5000;    // name lookup + TCP connect
  std::uint32_t handshake_timeout_ms = 5000;  // TLS, then the WebSocket upgrade, each
  std::uint32_t login_timeout_ms = 5000;      // each HTTP login call, all steps together
  std::uint32_t request_timeout_ms = 15000;   // each request's answer; past it the callback gets timed_out
  std::uint32_t ping_interval_ms = 20000;     // keep-alive when idle; must stay under the server's 60 s idle limit
  std::uint32_t dead_after_ms = 45000;        // silence that means the connection is dead (> ping_interval_ms)

  reconnection_settings reconnection{};
};

// invalid_options with a sentence naming the field, or success.
GUILDHALL_CLIENT_API client_result<void> validate(const client_options& options);

}  // namespace guildhall::client
