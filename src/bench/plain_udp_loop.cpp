#include "bench/plain_udp_loop.hpp"

#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>

namespace guildhall::bench {

namespace {

// The drainer's socket buffer: several batches' worth, so a scheduling hiccup of the drainer drops nothing.
constexpr int kReceiveBufferBytes = 4 * 1024 * 1024;
// The drainer wakes this often to see whether the sender has finished.
constexpr long kDrainPollUs = 100'000;

// A socket closed on scope exit.
struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

result<void> open_pair(fd_guard& sender, fd_guard& receiver) {
  sender.fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  receiver.fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (sender.fd < 0 || receiver.fd < 0) return fail(errc::internal, std::string("socket: ") + std::strerror(errno));
  ::setsockopt(receiver.fd, SOL_SOCKET, SO_RCVBUF, &kReceiveBufferBytes, sizeof kReceiveBufferBytes);
  const timeval poll{0, kDrainPollUs};
  ::setsockopt(receiver.fd, SOL_SOCKET, SO_RCVTIMEO, &poll, sizeof poll);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(receiver.fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(receiver.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      ::connect(sender.fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    return fail(errc::internal, std::string("loopback socket pair: ") + std::strerror(errno));
  }
  return {};
}

// Batches of kPlainBatch until `until`; returns the datagrams the kernel took.
std::uint64_t send_until(int fd, std::chrono::steady_clock::time_point until) {
  std::array<std::array<std::uint8_t, kPlainDatagramBytes>, kPlainBatch> payloads{};
  std::array<iovec, kPlainBatch> vectors{};
  std::array<mmsghdr, kPlainBatch> headers{};
  for (std::size_t i = 0; i < kPlainBatch; ++i) {
    payloads[i].fill(static_cast<std::uint8_t>(i));
    vectors[i] = {payloads[i].data(), payloads[i].size()};
    headers[i].msg_hdr.msg_iov = &vectors[i];
    headers[i].msg_hdr.msg_iovlen = 1;
  }
  std::uint64_t sent = 0;
  while (std::chrono::steady_clock::now() < until) {
    const int n = ::sendmmsg(fd, headers.data(), kPlainBatch, 0);
    if (n > 0) sent += static_cast<std::uint64_t>(n);
  }
  return sent;
}

// Reads in batches until the sender is done and a poll interval passes with nothing left to read.
std::uint64_t drain(int fd, const std::atomic<bool>& sender_done) {
  std::array<std::array<std::uint8_t, 2048>, kPlainBatch> buffers{};
  std::array<iovec, kPlainBatch> vectors{};
  std::array<mmsghdr, kPlainBatch> headers{};
  std::uint64_t received = 0;
  for (;;) {
    for (std::size_t i = 0; i < kPlainBatch; ++i) {
      vectors[i] = {buffers[i].data(), buffers[i].size()};
      headers[i] = {};
      headers[i].msg_hdr.msg_iov = &vectors[i];
      headers[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = ::recvmmsg(fd, headers.data(), kPlainBatch, MSG_WAITFORONE, nullptr);
    if (n > 0) {
      received += static_cast<std::uint64_t>(n);
    } else if (sender_done.load(std::memory_order_acquire)) {
      return received;
    }
  }
}

}  // namespace

void pin_this_thread(int cpu) {
  if (cpu < 0 || static_cast<unsigned>(cpu) >= std::thread::hardware_concurrency()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set);
}

double this_thread_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

result<plain_loop_figures> run_plain_udp_loop(double seconds, int send_cpu, int receive_cpu) {
  fd_guard sender, receiver;
  if (auto opened = open_pair(sender, receiver); !opened) return std::unexpected(opened.error());
  plain_loop_figures figures;
  std::atomic<bool> sender_done{false};
  std::thread drainer([&] {
    pin_this_thread(receive_cpu);
    const double start = this_thread_cpu_seconds();
    figures.received = drain(receiver.fd, sender_done);
    figures.receive_cpu_seconds = this_thread_cpu_seconds() - start;
  });
  std::thread sending([&] {
    pin_this_thread(send_cpu);
    const double start = this_thread_cpu_seconds();
    const auto began = std::chrono::steady_clock::now();
    figures.sent = send_until(sender.fd, began + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                     std::chrono::duration<double>(seconds)));
    figures.send_cpu_seconds = this_thread_cpu_seconds() - start;
    figures.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    sender_done.store(true, std::memory_order_release);
  });
  sending.join();
  drainer.join();
  return figures;
}

}  // namespace guildhall::bench
