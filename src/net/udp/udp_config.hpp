#pragma once
// The UDP transport's settings (`udp.*`). Defaults suit a game server on the open internet; the `sim_*` settings
// impair the server's own traffic (both directions) so a developer can play their game on a bad network from
// their desk, reproducibly for a seed.
#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace guildhall::net {

// Names this protocol in every packet's associated data and every token: a token or packet of another protocol
// (or another version of ours) fails authentication. "GUILDH" + version 1.0.
inline constexpr std::uint64_t kUdpProtocolId = 0x4755494C44480100ULL;

struct udp_config {
  bool enabled = true;                  // false: no UDP port, no connect tokens (WebSocket and TCP only)
  // The address clients are told to send to ("203.0.113.5:9702"), when it is not the one they reached HTTP at:
  // behind NAT or a load balancer. Empty: the address of the HTTP connection that asked for the token.
  std::string public_address;
  std::uint32_t max_clients_per_shard = 4096;  // a shard past this answers valid requests "denied"
  std::uint32_t token_lifetime_s = 45;  // a connect token must be used this soon after it was issued
  std::uint32_t timeout_s = 10;         // silence after which either side drops the connection
  // Impairment of everything the server sends and receives (0 = off). For testing, never for production.
  std::uint32_t sim_latency_ms = 0;     // added one way, per direction
  std::uint32_t sim_jitter_ms = 0;      // +- random per packet
  double sim_loss_percent = 0;          // packets dropped
  double sim_duplicate_percent = 0;     // packets delivered twice
  double sim_reorder_percent = 0;       // packets held back so later ones overtake them
  std::uint32_t sim_bandwidth_kbps = 0; // cap per direction; 0: unlimited
  std::uint64_t sim_seed = 1;           // the same seed gives the same losses for the same traffic

  bool impaired() const {
    return sim_latency_ms || sim_jitter_ms || sim_loss_percent > 0 || sim_duplicate_percent > 0 ||
           sim_reorder_percent > 0 || sim_bandwidth_kbps;
  }
  result<void> validate() const;
};

}  // namespace guildhall::net
