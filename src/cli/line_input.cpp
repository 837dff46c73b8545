#include "cli/line_input.hpp"

#include <poll.h>
#include <unistd.h>

#include <iostream>
#include <stdexcept>
#include <utility>

namespace guildhall::cli {

line_input::line_input() {
  if (pipe(wake_pipe_) != 0) throw std::runtime_error("pipe failed");
}

line_input::~line_input() {
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

void line_input::print(const std::string& line) {
  std::lock_guard lock(output_);
  std::cout << line << std::endl;
}

void line_input::stop() {
  const char wake = 1;
  (void)!write(wake_pipe_[1], &wake, 1);
}

std::optional<std::string> line_input::next_line() {
  while (true) {
    if (const auto newline = typed_.find('\n'); newline != std::string::npos) {
      std::string line = typed_.substr(0, newline);
      typed_.erase(0, newline + 1);
      return line;
    }
    if (end_of_input_) {
      if (typed_.empty()) return std::nullopt;
      return std::exchange(typed_, {});
    }
    pollfd sources[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (poll(sources, 2, -1) < 0) continue;
    if (sources[1].revents & POLLIN) return std::nullopt;
    if (sources[0].revents & (POLLIN | POLLHUP)) {
      char buffer[4096];
      const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) end_of_input_ = true;
      else typed_.append(buffer, static_cast<std::size_t>(n));
    }
  }
}

}  // namespace guildhall::cli
