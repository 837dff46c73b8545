#include "net/udp/udp_metrics.hpp"

namespace guildhall::net {
namespace {

metrics::label packet_error_label() {
  metrics::label reasons{"reason", {}};
  for (std::size_t i = 0; i < wire::udp::kPacketErrorCount; ++i) {
    reasons.values.emplace_back(wire::udp::to_string(static_cast<wire::udp::packet_error>(i)));
  }
  return reasons;
}

}  // namespace

udp_metrics& udp_network_metrics() {
  auto& registry = metrics::default_registry();
  static udp_metrics made{
      registry.add_counter("guildhall_udp_datagrams_total", "UDP datagrams, by direction.",
                           {{"direction", {"received", "sent"}}}),
      registry.add_counter("guildhall_udp_dropped_total", "UDP datagrams and messages dropped, by reason.",
                           {{"reason", {"refused_packet", "malformed_message", "message_too_large", "send_failed",
                                        "truncated"}}}),
      registry.add_counter("guildhall_udp_refused_total",
                           "UDP datagrams the connection layer refused unanswered, by reason (forged, expired or "
                           "replayed tokens, strangers, failed authentication, replays).",
                           {packet_error_label()}),
  };
  return made;
}

void count_udp_drop(udp_drop reason, std::uint64_t n) {
  udp_network_metrics().dropped.add(static_cast<std::size_t>(reason), n);
}

}  // namespace guildhall::net

namespace guildhall::net {

void count_refusals(const wire::udp::packet_error_counts& before, const wire::udp::packet_error_counts& after) {
  auto& made = udp_network_metrics();
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (const auto n = after[i] - before[i]) {
      made.refused.add(i, n);
      total += n;
    }
  }
  if (total) count_udp_drop(udp_drop::refused_packet, total);
}

}  // namespace guildhall::net
