#include "net/udp/udp_metrics.hpp"

namespace guildhall::net {

udp_metrics& udp_network_metrics() {
  auto& registry = metrics::default_registry();
  static udp_metrics made{
      registry.add_counter("guildhall_udp_datagrams_total", "UDP datagrams, by direction.",
                           {{"direction", {"received", "sent"}}}),
      registry.add_counter("guildhall_udp_dropped_total", "UDP datagrams and messages dropped, by reason.",
                           {{"reason", {"refused_packet", "malformed_message", "message_too_large", "send_failed",
                                        "truncated"}}}),
  };
  return made;
}

void count_udp_drop(udp_drop reason, std::uint64_t n) {
  udp_network_metrics().dropped.add(static_cast<std::size_t>(reason), n);
}

}  // namespace guildhall::net
