#include "net/udp/udp_transport.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>

#include <cstring>
#include <thread>

#include "base/ids.hpp"
#include "net/detail/shard_contexts.hpp"
#include "net/udp/datagram_socket.hpp"
#include "net/udp/peer_conversion.hpp"
#include "net/udp/shared_token_claims.hpp"
#include "net/udp/udp_shard.hpp"
#include "wire/udp/guildhall_endpoint_config.hpp"

namespace guildhall::net {
namespace udp = wire::udp;

namespace {

// The addresses a connect token may name for this server: the one we bind, or every local interface's when we
// bind them all, plus udp.public_address (NAT). A token naming none of them was issued for another server.
std::vector<udp::peer_address> our_addresses(const std::string& host, std::uint16_t port, const udp_config& config) {
  std::vector<udp::peer_address> addresses;
  if (auto configured = udp::parse_peer_address(config.public_address)) addresses.push_back(*configured);
  const bool wildcard = host == "0.0.0.0" || host == "::";
  if (!wildcard) {
    const bool v6 = host.find(':') != std::string::npos;
    if (auto bound = udp::parse_peer_address((v6 ? "[" + host + "]" : host) + ":" + std::to_string(port))) {
      addresses.push_back(*bound);
    }
    return addresses;
  }
  ifaddrs* interfaces = nullptr;
  if (::getifaddrs(&interfaces) != 0) return addresses;
  for (const ifaddrs* each = interfaces; each; each = each->ifa_next) {
    if (!each->ifa_addr) continue;
    const int family = each->ifa_addr->sa_family;
    if (family != AF_INET && !(family == AF_INET6 && host == "::")) continue;
    socket_address local;
    local.length = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    std::memcpy(&local.storage, each->ifa_addr, local.length);
    auto peer = to_peer_address(local);
    peer.port = port;
    addresses.push_back(peer);
  }
  ::freeifaddrs(interfaces);
  return addresses;
}

}  // namespace

udp_transport::udp_transport(shard_pool& shards, udp_transport_config config, handler_factory make_handler)
    : shards_(shards), config_(std::move(config)), make_handler_(std::move(make_handler)) {}

udp_transport::~udp_transport() = default;

result<void> udp_transport::listen() {
  auto sockets = datagram_socket::open_group(config_.host, config_.port, shards_.size());
  if (!sockets) return std::unexpected(sockets.error());
  port_ = (*sockets)[0]->port();

  udp_shard_settings settings;
  settings.protocol.protocol_id = kUdpProtocolId;
  settings.protocol.connect_token_key = config_.connect_token_key;
  settings.protocol.public_addresses = our_addresses(config_.host, port_, config_.udp);
  settings.protocol.max_clients = config_.udp.max_clients_per_shard;
  token_claims_ = std::make_unique<shared_token_claims>(settings.protocol.max_token_entries * shards_.size());
  settings.protocol.claim_token = [claims = token_claims_.get()](const shared_token_claims::token_mac& mac,
                                                                  const udp::peer_address& from,
                                                                  std::uint64_t expire_ms) {
    return claims->claim(mac, from, expire_ms, static_cast<std::uint64_t>(unix_now_ms()));
  };
  settings.close_linger_ms = config_.close_linger_ms;
  settings.max_frame_bytes = config_.max_frame_bytes;
  settings.idle_timeout_ms = config_.idle_timeout_ms;
  settings.endpoint = udp::guildhall_endpoint_config();
  if (config_.udp.impaired()) {
    udp::impairment_config impairment;
    impairment.latency_ms = config_.udp.sim_latency_ms;
    impairment.jitter_ms = config_.udp.sim_jitter_ms;
    impairment.loss_percent = config_.udp.sim_loss_percent;
    impairment.duplicate_percent = config_.udp.sim_duplicate_percent;
    impairment.reorder_percent = config_.udp.sim_reorder_percent;
    impairment.bandwidth_kbps = config_.udp.sim_bandwidth_kbps;
    impairment.seed = config_.udp.sim_seed;
    settings.impairment = impairment;
  }
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    udp_shards_.push_back(std::make_unique<udp_shard>(shards_.contexts().shards[shard]->io, shard,
                                                      std::move((*sockets)[shard]), settings, make_handler_));
  }
  return {};
}

void udp_transport::start() {
  for (auto& shard : udp_shards_) shards_.post(shard->shard(), [&shard] { shard->start(); });
}

std::size_t udp_transport::connection_count() const {
  std::size_t total = 0;
  for (const auto& shard : udp_shards_) total += shard->connection_count();
  return total;
}

void udp_transport::drain(std::chrono::milliseconds timeout) {
  for (auto& shard : udp_shards_) {
    shards_.post(shard->shard(), [&shard] { shard->close_all(wire::close_code::server_shutdown, "server shutting down"); });
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (connection_count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& shard : udp_shards_) shards_.post(shard->shard(), [&shard] { shard->stop(); });
}

}  // namespace guildhall::net
