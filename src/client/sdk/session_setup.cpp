#include "client/sdk/session_setup.hpp"

namespace guildhall::client {

client_result<server_url> make_server_url(const client_options& options) {
  auto parsed = parse_server_url(options.server_url);
  if (!parsed) {
    return std::unexpected(client_error{.code = client_errc::invalid_options,
                                        .message = "server_url: " + parsed.error().message});
  }
  server_url url = std::move(*parsed);
  url.tls = tls_options{.ca_file = options.tls_ca_file, .insecure = options.tls_insecure};
  switch (options.transport) {
    case transport_preference::tcp:
      if (url.kind == server_url::scheme::websocket) {
        url.kind = server_url::scheme::tcp;
        url.http_port = url.port;
        url.port = static_cast<std::uint16_t>(url.port + 1);
      }
      break;
    case transport_preference::automatic:
    case transport_preference::udp:
      // The HTTP port serves the connect token; the token names the UDP address itself.
      if (url.kind != server_url::scheme::udp) {
        url.kind = server_url::scheme::udp;
        url.port = static_cast<std::uint16_t>(url.http_port + 2);
        url.path.clear();
      }
      break;
    case transport_preference::websocket:
      if (url.kind == server_url::scheme::tcp) {
        url.kind = server_url::scheme::websocket;
        url.port = url.http_port;
        url.path = "/ws";
      }
      break;
  }
  return url;
}

session_options make_session_options(const client_options& options) {
  session_options out;
  out.connection = connection_options{.connect_timeout_ms = options.connect_timeout_ms,
                                      .handshake_timeout_ms = options.handshake_timeout_ms,
                                      .request_timeout_ms = options.request_timeout_ms,
                                      .ping_interval_ms = options.ping_interval_ms,
                                      .dead_after_ms = options.dead_after_ms};
  const auto& again = options.reconnection;
  out.reconnect = reconnect_options{.first_delay_ms = again.first_delay_ms,
                                    .max_delay_ms = again.max_delay_ms,
                                    .jitter = again.jitter,
                                    .max_attempts = again.enabled ? again.max_attempts : 0};
  out.login_timeout_ms = options.login_timeout_ms;
  out.format = wire::payload_format::binary;
  out.udp_fallback = options.transport == transport_preference::automatic;
  const auto& bad = options.udp_impairment;
  if (bad.latency_ms || bad.jitter_ms || bad.loss_percent > 0 || bad.duplicate_percent > 0 || bad.reorder_percent > 0) {
    out.udp_impairment = wire::udp::impairment_config{.latency_ms = bad.latency_ms,
                                                      .jitter_ms = bad.jitter_ms,
                                                      .loss_percent = bad.loss_percent,
                                                      .duplicate_percent = bad.duplicate_percent,
                                                      .reorder_percent = bad.reorder_percent,
                                                      .seed = bad.seed};
  }
  return out;
}

}  // namespace guildhall::client
