#include "cli/line_input.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <stdexcept>
#include <utility>

namespace guildhall::cli {
namespace {

// A typed line longer than this is cut: the same bound as the kernel's canonical mode.
constexpr std::size_t kMaxLineBytes = 4096;

constexpr char kEndOfText = 0x03;  // ^C
constexpr char kEndOfFile = 0x04;  // ^D
constexpr char kBackspace = 0x08;
constexpr char kEraseLine = 0x15;  // ^U
constexpr char kEraseWord = 0x17;  // ^W
constexpr char kEscape = 0x1b;
constexpr char kDelete = 0x7f;

// The terminal's settings before local editing, for the destructor and for a signal handler, which can reach
// nothing but globals. Only one line_input edits locally at a time.
termios saved_terminal{};
volatile std::sig_atomic_t terminal_saved = 0;

void restore_terminal() {
  if (terminal_saved) tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
}

// SIGTERM or SIGHUP would otherwise leave the shell without echo.
void restore_and_reraise(int signal_number) {
  restore_terminal();
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

bool start_local_editing() {
  if (terminal_saved || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_terminal) != 0) return false;
  termios raw = saved_terminal;
  // ISIG off too: ^C then arrives as a byte and ends the input cleanly instead of killing the process.
  raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ISIG | IEXTEN));
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0) return false;
  terminal_saved = 1;
  std::signal(SIGTERM, restore_and_reraise);
  std::signal(SIGHUP, restore_and_reraise);
  return true;
}

bool is_utf8_continuation(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

void erase_character(std::string& line) {
  while (!line.empty() && is_utf8_continuation(line.back())) line.pop_back();
  if (!line.empty()) line.pop_back();
}

void erase_word(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  while (!line.empty() && line.back() != ' ') line.pop_back();
}

}  // namespace

line_input::line_input(editing mode) {
  if (pipe(wake_pipe_) != 0) throw std::runtime_error("pipe failed");
  if (mode == editing::local) edits_locally_ = start_local_editing();
}

line_input::~line_input() {
  if (edits_locally_) {
    restore_terminal();
    terminal_saved = 0;
  }
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

bool line_input::edit(char byte, std::string& finished) {
  if (escape_ == escape::after_escape) {
    escape_ = (byte == '[' || byte == 'O') ? escape::in_sequence : escape::none;
    return false;
  }
  if (escape_ == escape::in_sequence) {
    if (byte >= 0x40 && byte <= 0x7e) escape_ = escape::none;  // the sequence's final byte
    return false;
  }
  const bool after_return = std::exchange(after_return_, byte == '\r');
  switch (byte) {
    case '\n':
      if (after_return) return false;  // the \n of a \r\n pair
      [[fallthrough]];
    case '\r':
      finished = std::exchange(typed_, {});
      return true;
    case kEndOfText: end_of_input_ = true; return false;
    case kEndOfFile: end_of_input_ = end_of_input_ || typed_.empty(); return false;
    case kBackspace:
    case kDelete: erase_character(typed_); return false;
    case kEraseLine: typed_.clear(); return false;
    case kEraseWord: erase_word(typed_); return false;
    case kEscape: escape_ = escape::after_escape; return false;
    default: break;
  }
  if (static_cast<unsigned char>(byte) < 0x20 || typed_.size() >= kMaxLineBytes) return false;
  typed_.push_back(byte);
  return false;
}

void line_input::feed(const char* bytes, std::size_t size) {
  if (!edits_locally_) {
    typed_.append(bytes, size);
    for (auto newline = typed_.find('\n'); newline != std::string::npos; newline = typed_.find('\n')) {
      ready_.push_back(typed_.substr(0, newline));
      typed_.erase(0, newline + 1);
    }
    return;
  }
  for (std::size_t i = 0; i < size && !end_of_input_; ++i) {
    std::string finished;
    if (edit(bytes[i], finished)) ready_.push_back(std::move(finished));
  }
  if (on_edit_) on_edit_(typed_);
}

std::optional<std::string> line_input::next_line() {
  while (true) {
    if (!ready_.empty()) {
      std::string line = std::move(ready_.front());
      ready_.pop_front();
      return line;
    }
    if (end_of_input_) {
      // A half-typed line counts at the end of piped input; ^C or ^D at a terminal drop it.
      if (typed_.empty() || edits_locally_) return std::nullopt;
      return std::exchange(typed_, {});
    }
    pollfd sources[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (poll(sources, 2, -1) < 0) continue;
    if (sources[1].revents & POLLIN) return std::nullopt;
    if (sources[0].revents & (POLLIN | POLLHUP)) {
      char buffer[4096];
      const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) end_of_input_ = true;
      else feed(buffer, static_cast<std::size_t>(n));
    }
  }
}

}  // namespace guildhall::cli
