#include "silent_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace guildhall::testing {

using namespace std::chrono_literals;

silent_listener::silent_listener(bool backlog_full) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd_, 0) != 0) {
    throw std::runtime_error("listen failed");
  }
  socklen_t length = sizeof address;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  if (!backlog_full) return;
  // Backlog 0 admits one finished handshake; a few more make sure the queue is full.
  for (int i = 0; i < 3; ++i) {
    const int filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    (void)connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address);
    fillers_.push_back(filler);
  }
  std::this_thread::sleep_for(100ms);  // let the kernel finish the fillers' handshakes
}

silent_listener::~silent_listener() {
  for (int fd : fillers_) close(fd);
  close(fd_);
}

int silent_listener::accept_one() { return accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC); }

bool run_until(boost::asio::io_context& io, const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.restart();
    io.run_for(20ms);
  }
  return true;
}

}  // namespace guildhall::testing
