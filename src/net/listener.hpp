#pragma once
// One acceptor per shard on the same port (SO_REUSEPORT): the kernel spreads new connections over the shards,
// so a connection is accepted, served and closed on one thread with no hand-off.
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "net/shard_pool.hpp"

namespace guildhall::net {

class listener {
 public:
  using accept_callback = std::function<void(unsigned shard, boost::asio::ip::tcp::socket socket)>;

  listener(shard_pool& shards, accept_callback on_accept);
  // Binds every shard's acceptor; port 0 picks a free port (then shared by all shards).
  result<void> bind(const std::string& host, std::uint16_t port);
  std::uint16_t port() const { return port_; }
  void start();
  void stop();  // called from any thread; closes the acceptors on their shards

 private:
  void accept_next(unsigned shard);

  shard_pool& shards_;
  accept_callback on_accept_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  std::uint16_t port_ = 0;
};

}  // namespace guildhall::net
