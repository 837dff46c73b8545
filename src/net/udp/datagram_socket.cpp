#include "net/udp/datagram_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace guildhall::net {

struct datagram_socket::batch_buffers {
  std::array<std::array<std::uint8_t, kSlotBytes>, kBatch> in;
  std::array<socket_address, kBatch> in_from;
  std::array<received_datagram, kBatch> received;
  std::array<mmsghdr, kBatch> in_headers;
  std::array<iovec, kBatch> in_vectors;

  std::array<std::array<std::uint8_t, kSlotBytes>, kBatch> out;
  std::array<socket_address, kBatch> out_to;
  std::array<mmsghdr, kBatch> out_headers;
  std::array<iovec, kBatch> out_vectors;
};

namespace {

result<socket_address> resolve(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) {
    return fail(errc::invalid_argument, "bad UDP listen address '" + host + "'");
  }
  socket_address address;
  std::memcpy(&address.storage, found->ai_addr, found->ai_addrlen);
  address.length = found->ai_addrlen;
  ::freeaddrinfo(found);
  return address;
}

void set_port(socket_address& address, std::uint16_t port) {
  if (address.storage.ss_family == AF_INET) {
    reinterpret_cast<sockaddr_in&>(address.storage).sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6&>(address.storage).sin6_port = htons(port);
  }
}

std::string bind_failure(const std::string& host, std::uint16_t port, int err) {
  if (err == EADDRINUSE) {
    return "UDP port " + std::to_string(port) + " is in use (on " + host + "): stop the other process or set udp_port";
  }
  return "cannot bind UDP " + host + ":" + std::to_string(port) + ": " + std::strerror(err);
}

// A socket bound to `address`; with `reuse_port`, one of a group that shares it.
result<int> bind_socket(const socket_address& address, bool reuse_port, const std::string& host, std::uint16_t port) {
  const int fd = ::socket(address.storage.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(errc::internal, std::string("cannot open a UDP socket: ") + std::strerror(errno));
  const int on = 1;
  if (reuse_port && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
    const int err = errno;
    ::close(fd);
    return fail(errc::internal, std::string("SO_REUSEPORT: ") + std::strerror(err));
  }
  // Room for a burst of a few hundred datagrams while the shard is busy with a tick: 4 MB each way (the kernel
  // caps it at net.core.rmem_max/wmem_max; smaller is fine, only bursts suffer).
  const int buffer_bytes = 4 * 1024 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
    const int err = errno;
    ::close(fd);
    return fail(errc::internal, bind_failure(host, port, err));
  }
  return fd;
}

std::uint16_t bound_port(int fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
  if (local.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(local).sin_port);
  return ntohs(reinterpret_cast<const sockaddr_in6&>(local).sin6_port);
}

}  // namespace

result<std::vector<std::unique_ptr<datagram_socket>>> datagram_socket::open_group(const std::string& host,
                                                                                  std::uint16_t port,
                                                                                  unsigned count) {
  auto address = resolve(host, port);
  if (!address) return std::unexpected(address.error());
  if (port != 0) {
    // SO_REUSEPORT would let us join a group another server of the same user holds and split its clients with
    // it. A plain bind fails on any port in use, so the probe proves the port is free; it is closed at once.
    auto probe = bind_socket(*address, false, host, port);
    if (!probe) return std::unexpected(probe.error());
    ::close(*probe);
  }
  std::vector<std::unique_ptr<datagram_socket>> group;
  for (unsigned i = 0; i < count; ++i) {
    auto fd = bind_socket(*address, true, host, port);
    if (!fd) return std::unexpected(fd.error());
    if (port == 0) {
      port = bound_port(*fd);
      set_port(*address, port);
    }
    group.push_back(std::unique_ptr<datagram_socket>(new datagram_socket(*fd, port)));
  }
  return group;
}

datagram_socket::datagram_socket(int fd, std::uint16_t port)
    : fd_(fd), port_(port), buffers_(std::make_unique<batch_buffers>()) {
  auto& b = *buffers_;
  for (std::size_t i = 0; i < kBatch; ++i) {
    b.in_vectors[i] = {b.in[i].data(), kSlotBytes};
    b.out_vectors[i] = {b.out[i].data(), 0};
  }
}

datagram_socket::~datagram_socket() { ::close(fd_); }

std::span<const received_datagram> datagram_socket::receive_batch() {
  auto& b = *buffers_;
  for (std::size_t i = 0; i < kBatch; ++i) {
    b.in_from[i].length = sizeof(sockaddr_storage);
    b.in_headers[i] = {};
    b.in_headers[i].msg_hdr.msg_name = &b.in_from[i].storage;
    b.in_headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    b.in_headers[i].msg_hdr.msg_iov = &b.in_vectors[i];
    b.in_headers[i].msg_hdr.msg_iovlen = 1;
  }
  ++stats_.receive_calls;
  const int count = ::recvmmsg(fd_, b.in_headers.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (count <= 0) return {};
  std::size_t kept = 0;
  for (int i = 0; i < count; ++i) {
    const auto& header = b.in_headers[i];
    stats_.bytes_received += header.msg_len;
    ++stats_.datagrams_received;
    if (header.msg_hdr.msg_flags & MSG_TRUNC) {
      ++stats_.truncated;  // longer than any datagram of ours: a stranger's, never decoded
      continue;
    }
    b.in_from[i].length = header.msg_hdr.msg_namelen;
    b.received[kept++] = {&b.in_from[i], {b.in[i].data(), header.msg_len}};
  }
  return {b.received.data(), kept};
}

std::span<std::uint8_t> datagram_socket::begin_send(const socket_address& to) {
  if (queued_ == kBatch) flush();
  buffers_->out_to[queued_] = to;
  return buffers_->out[queued_];
}

void datagram_socket::commit_send(std::size_t bytes) {
  if (bytes == 0 || bytes > kSlotBytes) return;
  buffers_->out_vectors[queued_].iov_len = bytes;
  ++queued_;
  if (queued_ == kBatch) flush();
}

void datagram_socket::send_copy(const socket_address& to, std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kSlotBytes) return;
  auto slot = begin_send(to);
  std::memcpy(slot.data(), bytes.data(), bytes.size());
  commit_send(bytes.size());
}

void datagram_socket::flush() {
  auto& b = *buffers_;
  std::size_t sent = 0;
  while (sent < queued_) {
    const std::size_t pending = queued_ - sent;
    for (std::size_t i = 0; i < pending; ++i) {
      auto& header = b.out_headers[i];
      header = {};
      header.msg_hdr.msg_name = &b.out_to[sent + i].storage;
      header.msg_hdr.msg_namelen = b.out_to[sent + i].length;
      header.msg_hdr.msg_iov = &b.out_vectors[sent + i];
      header.msg_hdr.msg_iovlen = 1;
    }
    ++stats_.send_calls;
    const int count = ::sendmmsg(fd_, b.out_headers.data(), static_cast<unsigned>(pending), MSG_DONTWAIT);
    if (count <= 0) {
      // The first datagram was refused (buffer full, or an unreachable address): drop it and go on with the rest.
      ++stats_.send_dropped;
      ++sent;
      continue;
    }
    for (int i = 0; i < count; ++i) stats_.bytes_sent += b.out_vectors[sent + i].iov_len;
    stats_.datagrams_sent += count;
    sent += count;
  }
  queued_ = 0;
}

std::string to_string(const socket_address& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.storage.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address.storage);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(v4.sin_port));
  }
  const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address.storage);
  ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
  return "[" + std::string(text) + "]:" + std::to_string(ntohs(v6.sin6_port));
}

}  // namespace guildhall::net
