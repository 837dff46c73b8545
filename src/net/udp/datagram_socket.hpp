#pragma once
// One non-blocking UDP socket with batched system calls: recvmmsg reads up to kBatch datagrams per call and
// sendmmsg writes the datagrams queued since the last flush in one call. At 120 bytes a datagram the kernel's cost
// is most of a packet's cost, and a batch of 32 costs about a third of 32 single sends (docs/benchmarks.md).
// Asio-free: the transport waits for readability with Asio and calls these.
// Thread-safety: one shard owns a socket and is the only thread that calls it.
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace guildhall::net {

struct socket_address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

struct received_datagram {
  const socket_address* from;
  std::span<const std::uint8_t> bytes;
};

class datagram_socket {
 public:
  static constexpr std::size_t kBatch = 64;
  // A receive slot's size: larger datagrams are cut (MSG_TRUNC) and dropped. Ours are at most 1200 bytes.
  static constexpr std::size_t kSlotBytes = 1500;

  // Binds `count` sockets to host:port in one SO_REUSEPORT group: the kernel hashes each client's address and
  // port to one socket of the group, so a client's datagrams always reach the same shard and no shard hands
  // packets to another. Port 0 picks a free port for the whole group. A port another process holds is refused
  // even if that process also set SO_REUSEPORT (a probe without it binds first).
  static result<std::vector<std::unique_ptr<datagram_socket>>> open_group(const std::string& host,
                                                                           std::uint16_t port, unsigned count);
  ~datagram_socket();
  datagram_socket(const datagram_socket&) = delete;
  datagram_socket& operator=(const datagram_socket&) = delete;

  int fd() const { return fd_; }
  std::uint16_t port() const { return port_; }

  // Reads the datagrams waiting, at most kBatch, without blocking; empty when none. Valid until the next call.
  std::span<const received_datagram> receive_batch();

  // A buffer for one outgoing datagram to `to`, sent by the next flush() (which runs by itself when the batch is
  // full); commit_send says how many bytes were written. Writing in place saves a copy of every packet.
  std::span<std::uint8_t> begin_send(const socket_address& to);
  void commit_send(std::size_t bytes);
  void send_copy(const socket_address& to, std::span<const std::uint8_t> bytes);
  // Sends what is queued. A datagram the kernel refuses (its buffer full) is dropped and counted: UDP may lose
  // it anyway, and the reliable layer above resends what matters.
  void flush();
  bool has_queued() const { return queued_ > 0; }

  struct counters {
    std::uint64_t datagrams_received = 0, bytes_received = 0, truncated = 0;
    std::uint64_t datagrams_sent = 0, bytes_sent = 0, send_dropped = 0;
    std::uint64_t receive_calls = 0, send_calls = 0;
  };
  const counters& stats() const { return stats_; }

 private:
  datagram_socket(int fd, std::uint16_t port);

  struct batch_buffers;
  int fd_;
  std::uint16_t port_;
  std::unique_ptr<batch_buffers> buffers_;
  std::size_t queued_ = 0;
  counters stats_;
};

// "1.2.3.4:5" or "[::1]:5".
std::string to_string(const socket_address& address);

}  // namespace guildhall::net
