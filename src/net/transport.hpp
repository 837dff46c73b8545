#pragma once
// The server's network face: the HTTP/WebSocket port and the native TCP port, with a registry of live
// connections per shard so shutdown can tell every client and wait for the goodbyes to be written.
// Thread-safety: construct, listen, start and drain from one owner thread; the rest runs on the shards.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/connection.hpp"
#include "net/connection_admission.hpp"
#include "net/http_session.hpp"
#include "net/inbound_framing.hpp"
#include "net/http_types.hpp"
#include "net/listener.hpp"
#include "net/shard_pool.hpp"
#include "net/tls_context.hpp"

namespace guildhall::net {

class stream_connection;

struct transport_config {
  std::string host = "0.0.0.0";
  std::uint16_t http_port = 9700;
  std::uint16_t tcp_port = 9701;
  connection_limits limits;
  http_limits http;
  // Set: both ports speak only TLS (https/wss on the HTTP port, TLS on the native port). Null: plaintext.
  std::shared_ptr<const tls_context> tls;
};

class transport {
 public:
  transport(shard_pool& shards, transport_config config, handler_factory make_handler, http_handler& http);
  ~transport();

  result<void> listen();
  std::uint16_t http_port() const { return http_listener_.port(); }
  std::uint16_t tcp_port() const { return tcp_listener_.port(); }
  void start();

  // Stops accepting, closes every connection with 3001, and waits until they are gone or `timeout` passes.
  void drain(std::chrono::milliseconds timeout);
  std::size_t connection_count() const { return live_connections_.load(std::memory_order_relaxed); }

 private:
  void adopt(unsigned shard, boost::asio::ip::tcp::socket socket, std::unique_ptr<tls_session> tls,
             framing_kind framing, std::string greeting, std::string already_read);
  std::unique_ptr<tls_session> new_tls_session() const;

  shard_pool& shards_;
  transport_config config_;
  handler_factory make_handler_;
  http_handler& http_;
  listener http_listener_;
  listener tcp_listener_;
  // One map per shard, touched only on that shard.
  std::vector<std::unordered_map<std::uint64_t, std::weak_ptr<stream_connection>>> registries_;
  std::atomic<std::size_t> live_connections_{0};
  connection_admission admission_;
};

}  // namespace guildhall::net
