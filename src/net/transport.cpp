#include "net/transport.hpp"

#include <thread>

#include "base/refusals.hpp"
#include "net/connection_ids.hpp"
#include "net/stream_connection.hpp"

namespace guildhall::net {
namespace asio = boost::asio;

transport::transport(shard_pool& shards, transport_config config, handler_factory make_handler, http_handler& http)
    : shards_(shards),
      config_(std::move(config)),
      make_handler_(std::move(make_handler)),
      http_(http),
      http_listener_(shards, [this](unsigned shard, asio::ip::tcp::socket socket) {
        std::make_shared<http_session>(std::move(socket), new_tls_session(), http_, config_.http,
                                       [this, shard](asio::ip::tcp::socket upgraded, std::unique_ptr<tls_session> tls,
                                                     std::string greeting, std::string already_read) {
                                         adopt(shard, std::move(upgraded), std::move(tls), framing_kind::websocket,
                                               std::move(greeting), std::move(already_read));
                                       })
            ->start();
      }),
      tcp_listener_(shards, [this](unsigned shard, asio::ip::tcp::socket socket) {
        adopt(shard, std::move(socket), new_tls_session(), framing_kind::length_prefixed, {}, {});
      }),
      registries_(shards.size()),
      admission_(config_.limits.max_connections, config_.limits.max_connections_per_ip) {}

transport::~transport() = default;

result<void> transport::listen() {
  if (auto bound = http_listener_.bind(config_.host, config_.http_port); !bound) return bound;
  return tcp_listener_.bind(config_.host, config_.tcp_port);
}

void transport::start() {
  http_listener_.start();
  tcp_listener_.start();
}

std::unique_ptr<tls_session> transport::new_tls_session() const {
  return config_.tls ? std::make_unique<tls_session>(*config_.tls) : nullptr;
}

void transport::adopt(unsigned shard, asio::ip::tcp::socket socket, std::unique_ptr<tls_session> tls,
                      framing_kind framing, std::string greeting, std::string already_read) {
  const std::uint64_t id = next_connection_id();
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  std::string address = ec ? std::string() : peer.address().to_string();
  const auto verdict = admission_.admit(address);
  const bool admitted = verdict == connection_admission::verdict::admitted;
  auto connection = std::make_shared<stream_connection>(
      id, shard, std::move(socket), framing, config_.limits,
      [this, shard, admitted, address = std::move(address)](std::uint64_t gone) {
        registries_[shard].erase(gone);
        live_connections_.fetch_sub(1, std::memory_order_relaxed);
        if (admitted) admission_.release(address);
      },
      std::move(tls));
  registries_[shard].emplace(id, connection);
  live_connections_.fetch_add(1, std::memory_order_relaxed);
  if (admitted) return connection->start(make_handler_(connection), std::move(greeting), already_read);
  // Refused: no session at all, only the reason (Closing, and the close frame on WebSocket), then the close.
  connection->start(nullptr, std::move(greeting), {});
  if (verdict == connection_admission::verdict::server_full) {
    count_refusal(refusal_reason::connection_cap);
    connection->close(wire::close_code::server_full,
                      "server full: " + std::to_string(config_.limits.max_connections) + " connections; retry later");
  } else {
    count_refusal(refusal_reason::ip_limit);
    connection->close(wire::close_code::too_many_connections,
                      "at most " + std::to_string(config_.limits.max_connections_per_ip) + " connections per address");
  }
}

void transport::drain(std::chrono::milliseconds timeout) {
  http_listener_.stop();
  tcp_listener_.stop();
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    shards_.post(shard, [this, shard] {
      // Copy first: closing may finish a connection and erase it from the map we iterate.
      std::vector<std::shared_ptr<stream_connection>> open;
      for (auto& [id, weak] : registries_[shard]) {
        if (auto connection = weak.lock()) open.push_back(std::move(connection));
      }
      for (auto& connection : open) connection->close(wire::close_code::server_shutdown, "server shutting down");
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (connection_count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace guildhall::net
