#include "net/net_metrics.hpp"

#include "wire/close_code.hpp"

namespace guildhall::net {
namespace {

const metrics::label kTransport{"transport", {"tcp", "websocket", "udp"}};
// Why connections end: the peer left ("peer"), or the server's close code, by name.
const metrics::label kReason{"reason", {"peer", "normal", "server_shutdown", "idle_timeout", "protocol_violation",
                                        "auth_timeout", "frame_too_large", "flooding", "slow_reader", "server_full",
                                        "too_many_connections", "other"}};

std::size_t reason_series(std::uint16_t code) {
  using wire::close_code;
  switch (static_cast<close_code>(code)) {
    case close_code::normal: return 1;
    case close_code::server_shutdown: return 2;
    case close_code::idle_timeout: return 3;
    case close_code::protocol_violation: return 4;
    case close_code::auth_timeout: return 5;
    case close_code::frame_too_large: return 6;
    case close_code::flooding: return 7;
    case close_code::slow_reader: return 8;
    case close_code::server_full: return 9;
    case close_code::too_many_connections: return 10;
  }
  return code == 0 ? 0 : 11;
}

}  // namespace

net_metrics& network_metrics() {
  auto& registry = metrics::default_registry();
  static net_metrics made{
      registry.add_gauge("guildhall_connections_open", "Client connections open now, by transport.", {kTransport}),
      registry.add_counter("guildhall_connections_accepted_total", "Client connections accepted, by transport.",
                           {kTransport}),
      registry.add_counter("guildhall_connections_closed_total",
                           "Client connections closed, by transport and reason (peer: the client left first; "
                           "otherwise the server's close code).",
                           {kTransport, kReason}),
      registry.add_counter("guildhall_frames_received_total", "Data frames (envelopes) received, by transport.",
                           {kTransport}),
      registry.add_counter("guildhall_frames_sent_total", "Data frames (envelopes) queued to clients, by transport.",
                           {kTransport}),
      registry.add_counter("guildhall_received_bytes_total", "Bytes read from client sockets, framing included.",
                           {kTransport}),
      registry.add_counter("guildhall_sent_bytes_total", "Bytes written to client sockets, framing included.",
                           {kTransport}),
      registry.add_counter("guildhall_frames_replaced_total",
                           "Latest-wins frames (room snapshots) that replaced an unsent older one in a slow "
                           "reader's queue instead of queueing behind it."),
  };
  return made;
}

void count_accepted(std::size_t transport) {
  auto& made = network_metrics();
  made.connections_accepted.add(transport);
  made.connections_open.add(transport, +1);
}

void count_closed(std::size_t transport, std::uint16_t close_code) {
  auto& made = network_metrics();
  made.connections_open.add(transport, -1);
  made.connections_closed.add(made.connections_closed.series({transport, reason_series(close_code)}));
}

}  // namespace guildhall::net
