#pragma once
// Transport metrics: client connections (TCP, WebSocket and UDP; plain HTTP requests are not connections here),
// frames and bytes each way. Recorded on the connection's shard.
// Thread-safety: any thread (see base/metrics.hpp).
#include <cstddef>
#include <cstdint>

#include "base/metrics.hpp"
#include "net/inbound_framing.hpp"

namespace guildhall::net {

struct net_metrics {
  metrics::gauge& connections_open;          // by transport
  metrics::counter& connections_accepted;    // by transport
  metrics::counter& connections_closed;      // by transport and close reason
  metrics::counter& frames_received;         // data frames (envelopes), by transport
  metrics::counter& frames_sent;
  metrics::counter& bytes_received;          // on the socket, framing included
  metrics::counter& bytes_sent;
  metrics::counter& frames_replaced;         // latest-wins messages (snapshots) that replaced an unsent one
};

net_metrics& network_metrics();

// The series of a transport label: "tcp" for the native length-prefixed framing, "websocket", "udp".
inline std::size_t transport_series(framing_kind kind) { return kind == framing_kind::websocket ? 1 : 0; }
inline constexpr std::size_t kUdpTransportSeries = 2;

// Counts an accepted connection (and one more open) of a transport series.
void count_accepted(std::size_t transport);
// Counts a closed connection. `close_code` is the code the server closed with (wire::close_code), or 0 when the
// peer closed or went away first; it becomes one of a fixed set of reason labels.
void count_closed(std::size_t transport, std::uint16_t close_code);

}  // namespace guildhall::net
