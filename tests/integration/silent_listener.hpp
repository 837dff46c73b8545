#pragma once
// Listeners of a test's own for the client library's failure paths, and a loop that drives an io_context until a
// condition holds.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

namespace guildhall::testing {

// A loopback listener that never accepts and never answers: the kernel completes TCP handshakes into its backlog,
// so a client connects and then hears nothing. With `backlog_full`, its backlog is filled first, so that a
// further connect hangs in SYN_SENT (Linux drops SYNs to a full accept queue).
class silent_listener {
 public:
  explicit silent_listener(bool backlog_full = false);
  ~silent_listener();
  silent_listener(const silent_listener&) = delete;
  silent_listener& operator=(const silent_listener&) = delete;
  std::uint16_t port() const { return port_; }
  // Takes one queued connection, to answer it by hand or close it.
  int accept_one();

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::vector<int> fillers_;
};

// Runs `io` until `done` holds or `limit` passes; true when `done` held.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(10));

}  // namespace guildhall::testing
