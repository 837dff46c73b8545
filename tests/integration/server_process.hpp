#pragma once
// A real `guildhall serve` process for integration tests: its own temporary data folder, loopback ports picked
// by the kernel (read back from the server's start-up lines), stopped by signal.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace guildhall::testing {

class server_process {
 public:
  // Starts at once; `settings` are extra `--set name=value` pairs.
  explicit server_process(std::vector<std::string> settings = {}, std::string data_dir = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // Starts again after stop(), on the same ports and data folder.
  void start();
  // Sends `signal` and waits for the exit; returns the exit status (or 128 + signal number).
  int stop(int signal = 15);
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  std::uint16_t http_port() const { return http_port_; }
  std::uint16_t tcp_port() const { return tcp_port_; }
  std::uint16_t udp_port() const { return udp_port_; }  // 0 with udp.enabled=false
  const std::string& data_dir() const { return data_dir_; }
  std::string log() const;  // the server's stderr so far, for failure messages

 private:
  std::vector<std::string> settings_;
  bool owns_data_dir_;  // a folder the caller gave us outlives us; one we made does not
  std::string data_dir_;
  pid_t pid_ = -1;
  std::uint16_t http_port_ = 0;
  std::uint16_t tcp_port_ = 0;
  std::uint16_t udp_port_ = 0;
};

// What a process has used so far, from /proc: CPU time on any core (schedstat) and resident memory (statm).
double cpu_seconds_of(pid_t pid);
long resident_kib_of(pid_t pid);

// The path of a fresh temporary folder.
std::string make_temp_dir(const std::string& prefix);

}  // namespace guildhall::testing
