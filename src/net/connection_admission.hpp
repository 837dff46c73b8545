#pragma once
// Caps on concurrent connections, in all and per client address, checked as each connection is adopted so one
// host (or a crowd) cannot take every file descriptor and every byte of per-connection memory.
// Thread-safety: every member from any thread. One mutex of its own (connections arrive on every shard and one
// address's connections spread across shards), held only to count, never while calling out.
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace guildhall::net {

class connection_admission {
 public:
  enum class verdict { admitted, server_full, address_full };

  // `max_per_address` 0: no per-address limit.
  connection_admission(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // Counts the connection when admitted; every admitted one must be released exactly once.
  verdict admit(const std::string& address);
  void release(const std::string& address);

 private:
  const std::size_t max_total_;
  const std::size_t max_per_address_;
  std::mutex mutex_;  // guards total_ and per_address_
  std::size_t total_ = 0;
  // Only addresses with a live connection: at most max_total_ entries.
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace guildhall::net
