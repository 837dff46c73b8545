#pragma once
// One listening socket per port, owned by this process alone: no SO_REUSEPORT, so a second server on the same
// port fails to bind instead of joining the port and taking half the connections (and its own database). The
// acceptor lives on one shard, which accepts and hands each connection to the shards in turn (see
// docs/architecture.md, "One acceptor per port").
// Accepted sockets are close-on-exec from the start (accept4): a child process (the stockfish bot) must never
// hold a client's connection open. Running out of descriptors backs off instead of spinning.
// Thread-safety: bind and start from the owner thread before the shards run; stop from any thread; the rest runs
// on the accepting shard.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "net/shard_pool.hpp"

namespace guildhall::net {

class listener {
 public:
  using accept_callback = std::function<void(unsigned shard, boost::asio::ip::tcp::socket socket)>;

  // The shard whose thread accepts; `on_accept` runs on the shard each connection is handed to.
  static constexpr unsigned kAcceptShard = 0;
  // Out of file descriptors, accepting waits this long before trying again, doubling up to kMaxRetryDelay: a
  // pending connection keeps the socket readable, and retrying at once would spin a core until one is freed.
  static constexpr std::chrono::milliseconds kFirstRetryDelay{100};
  static constexpr std::chrono::milliseconds kMaxRetryDelay{1000};
  // Connections accepted per wake-up before the shard runs its other work.
  static constexpr int kMaxAcceptsPerWake = 64;

  listener(shard_pool& shards, accept_callback on_accept);
  // Binds and listens; port 0 picks a free port. A port held by any other socket is an error naming the port.
  result<void> bind(const std::string& host, std::uint16_t port);
  std::uint16_t port() const { return port_; }
  void start();
  void stop();  // called from any thread; closes the acceptor on its shard

 private:
  void wait_acceptable();
  void accept_ready();
  void retry_later(int error_number);
  void hand_off(int fd);

  shard_pool& shards_;
  accept_callback on_accept_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<boost::asio::steady_timer> retry_;
  std::chrono::milliseconds retry_delay_{0};  // non-zero while out of descriptors
  boost::asio::ip::tcp protocol_ = boost::asio::ip::tcp::v4();
  unsigned next_shard_ = 0;
  std::uint16_t port_ = 0;
};

}  // namespace guildhall::net
