#pragma once
// The server's UDP port (docs/protocol.md "UDP"): one socket per shard in a SO_REUSEPORT group, so each shard reads
// and writes its own clients' datagrams in batches and a connection lives on one shard like every other. Clients
// connect with a connect token (server/connect_token_issuer.hpp) and are authenticated by it.
// Thread-safety: construct, listen, start, drain and stop from one owner thread; the rest runs on the shards.
#include <chrono>
#include <memory>
#include <vector>

#include "base/result.hpp"
#include "net/connection.hpp"
#include "net/shard_pool.hpp"
#include "net/udp/udp_config.hpp"
#include "wire/udp/connect_token.hpp"

namespace guildhall::net {

class shared_token_claims;
class udp_shard;

struct udp_transport_config {
  std::string host = "0.0.0.0";
  std::uint16_t port = 9702;
  udp_config udp;
  wire::udp::key connect_token_key{};
  std::uint32_t close_linger_ms = 2'000;
  std::size_t max_frame_bytes = 64 * 1024;  // limits.max_frame_bytes, as on the stream transports
  std::uint32_t idle_timeout_ms = 60'000;    // limits.idle_timeout_ms, likewise
};


class udp_transport {
 public:
  udp_transport(shard_pool& shards, udp_transport_config config, handler_factory make_handler);
  ~udp_transport();

  result<void> listen();
  std::uint16_t port() const { return port_; }
  void start();
  // Closes every UDP connection with 3001 and waits until they are gone (the peer acknowledged the Closing, or
  // the linger passed) or `timeout` passes. Then stops reading.
  void drain(std::chrono::milliseconds timeout);
  std::size_t connection_count() const;

 private:
  shard_pool& shards_;
  udp_transport_config config_;
  handler_factory make_handler_;
  std::uint16_t port_ = 0;
  std::unique_ptr<shared_token_claims> token_claims_;  // shared by every shard's connection layer
  std::vector<std::unique_ptr<udp_shard>> udp_shards_;
};

}  // namespace guildhall::net
