#pragma once
// The kernel's cost of a datagram on loopback, as the floor the UDP transport is judged against (bench udp-echo):
// one thread sends 120-byte datagrams in sendmmsg batches of 32 to a loopback socket that a second thread drains
// with recvmmsg batches of 32; each thread's own CPU clock says what its side cost. Nothing else runs in either
// loop, so the figure is the system calls, the copies and loopback delivery (done in the sender's context).
// Thread-safety: run_plain_udp_loop blocks its caller and runs two threads of its own.
#include <cstddef>
#include <cstdint>

#include "base/result.hpp"

namespace guildhall::bench {

// As the issue measures it: 32 datagrams of 120 bytes per call.
inline constexpr std::size_t kPlainBatch = 32;
inline constexpr std::size_t kPlainDatagramBytes = 120;

struct plain_loop_figures {
  double seconds = 0;
  std::uint64_t sent = 0;
  std::uint64_t received = 0;         // the rest were dropped by the kernel (the drainer fell behind)
  double send_cpu_seconds = 0;        // the sending thread's CPU (user + system)
  double receive_cpu_seconds = 0;     // the draining thread's
  double send_us_per_datagram() const { return sent ? 1e6 * send_cpu_seconds / double(sent) : 0; }
  double receive_us_per_datagram() const { return received ? 1e6 * receive_cpu_seconds / double(received) : 0; }
  // One datagram sent and received: what an echo server pays per packet, the kernel's part alone.
  double us_per_packet() const { return send_us_per_datagram() + receive_us_per_datagram(); }
};

// Runs the loop for `seconds`, the sender pinned to CPU `send_cpu` and the drainer to `receive_cpu` (-1: unpinned).
result<plain_loop_figures> run_plain_udp_loop(double seconds, int send_cpu, int receive_cpu);

// Pins the calling thread to `cpu` (no-op for -1 or a machine without it); the CPU time of the calling thread.
void pin_this_thread(int cpu);
double this_thread_cpu_seconds();

}  // namespace guildhall::bench
