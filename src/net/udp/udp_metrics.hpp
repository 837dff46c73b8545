#pragma once
// UDP transport metrics beyond the per-transport connection, frame and byte counts of net_metrics.hpp (series
// "udp"): datagrams each way and what was dropped, by reason. Drops before the handshake are what an attacker
// costs us: each is a bounded check, counted, never answered.
// Thread-safety: any thread (see base/metrics.hpp).
#include <cstddef>

#include "base/metrics.hpp"
#include "wire/udp/packet_error.hpp"

namespace guildhall::net {

enum class udp_drop : std::size_t {
  refused_packet,     // the connection layer refused it (stranger, bad token, failed authentication, replay, ...)
  malformed_message,  // the message layer refused a decrypted packet (lying lengths, bad fragments)
  message_too_large,  // a message of ours bigger than the peer may receive: not sent
  send_failed,        // the kernel refused a datagram (its buffer full)
  truncated,          // a datagram longer than any of ours
  count_
};

struct udp_metrics {
  metrics::counter& datagrams;  // by direction: received, sent
  metrics::counter& dropped;    // by udp_drop
  metrics::counter& refused;    // by wire::udp::packet_error: why the connection layer refused a datagram
};

udp_metrics& udp_network_metrics();
void count_udp_drop(udp_drop reason, std::uint64_t n = 1);
// Adds what the connection layer refused since `before` (its counters by packet_error) to the metrics.
void count_refusals(const wire::udp::packet_error_counts& before, const wire::udp::packet_error_counts& after);

}  // namespace guildhall::net
