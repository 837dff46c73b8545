#pragma once
// Drives SDK clients from the load generator's io_context. A guildhall::client::client does its work only inside
// its own poll(); the load generator holds hundreds of them on one thread, so a timer on its io_context polls every
// client it was given once per period. Between two rounds a client's socket buffers what arrives: the period is
// the most a delivery can wait at this end, on top of the network.
//
// The cost grows with the clients, not with their traffic: one poll() of a client with nothing ready is one
// non-blocking epoll_wait on its own event loop. counts() says how much of the thread the rounds took.
//
// Thread-safety: the io_context's one thread. Clients may be added and removed from inside a poll() (a callback
// that connects the next client, or settles one that is done); a removed client is not polled again, even in the
// round under way. Clients must outlive the pump or be removed first.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <vector>

#include <guildhall/client/client.hpp>

namespace guildhall::bench {

class client_pump {
 public:
  struct counts {
    std::uint64_t rounds = 0;
    std::uint64_t polls = 0;
    double busy_seconds = 0;  // this thread's CPU time inside the rounds (not the time it waited for a core)
  };

  // `period` 0: round after round, as fast as the io_context turns (a busy loop on the generator's core).
  client_pump(boost::asio::io_context& io, std::chrono::microseconds period);
  client_pump(const client_pump&) = delete;
  client_pump& operator=(const client_pump&) = delete;

  // Starts the rounds with the first add(); stop() ends them (a stopped pump polls nothing more).
  void add(guildhall::client::client& client);
  void remove(guildhall::client::client& client);
  void stop();
  std::size_t size() const { return live_; }
  const counts& totals() const { return counts_; }

 private:
  void schedule();
  void round();

  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::duration period_;
  std::chrono::steady_clock::time_point next_{};
  std::vector<guildhall::client::client*> clients_;  // nullptr: removed, compacted after the round
  std::size_t live_ = 0;
  bool running_ = false;
  bool stopped_ = false;
  bool holes_ = false;
  counts counts_;
};

}  // namespace guildhall::bench
