#include "cli/line_input.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <stdexcept>
#include <utility>

#include "cli/prompt_line.hpp"
#include "cli/terminal_screen.hpp"

namespace guildhall::cli {
namespace {

constexpr std::string_view kClearToLineEnd = "\x1b[K";

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

}  // namespace

line_input::line_input(editing mode) {
  if (pipe(wake_pipe_) != 0) throw std::runtime_error("pipe failed");
  if (mode == editing::terminal || (mode == editing::prompt && !isatty(STDOUT_FILENO))) return;
  edits_locally_ = start_local_editing();
  draws_prompt_ = edits_locally_ && mode == editing::prompt;
  if (draws_prompt_) show_prompt({}, 0);
}

line_input::~line_input() {
  hide_prompt();
  if (edits_locally_) {
    restore_terminal();
    terminal_saved = 0;
  }
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

std::string line_input::prompt_bytes() const {
  // One column spare: the editing cursor may sit past the last character drawn.
  const std::size_t columns = std::max<std::size_t>(terminal_size().columns, 2) - 1;
  return draw_prompt_line(prompt_, prompt_typed_, prompt_cursor_, columns);
}

void line_input::show_prompt(const std::string& typed, std::size_t cursor) {
  std::lock_guard lock(output_);
  prompt_shown_ = true;
  prompt_typed_ = typed;
  prompt_cursor_ = cursor;
  std::cout << prompt_bytes() << std::flush;
}

void line_input::set_prompt(std::string prompt) {
  std::lock_guard lock(output_);
  prompt_ = std::move(prompt);
  if (prompt_shown_) std::cout << prompt_bytes() << std::flush;
}

void line_input::hide_prompt() {
  std::lock_guard lock(output_);
  if (!std::exchange(prompt_shown_, false)) return;
  std::cout << "\r" << kClearToLineEnd << std::flush;
}

void line_input::print(const std::string& line) {
  std::lock_guard lock(output_);
  if (!prompt_shown_) {
    std::cout << line << std::endl;
    return;
  }
  std::cout << "\r" << kClearToLineEnd << line << "\n" << prompt_bytes() << std::flush;
}

void line_input::stop() {
  const char wake = 1;
  (void)!write(wake_pipe_[1], &wake, 1);
}

void line_input::feed(std::string_view bytes) {
  if (!edits_locally_) {
    unsplit_.append(bytes);
    for (auto newline = unsplit_.find('\n'); newline != std::string::npos; newline = unsplit_.find('\n')) {
      ready_.push_back(unsplit_.substr(0, newline));
      unsplit_.erase(0, newline + 1);
    }
    return;
  }
  for (auto& line : editor_.feed(bytes)) ready_.push_back(std::move(line));
  if (editor_.ended()) end_of_input_ = true;
  if (draws_prompt_ && !end_of_input_) show_prompt(editor_.line(), editor_.cursor());
  if (on_edit_) on_edit_(editor_.line(), editor_.cursor());
}

std::optional<std::string> line_input::next_line() {
  auto line = read_line();
  // Output from now on (a goodbye, a last message) goes where the prompt was, and none redraws it.
  if (!line) hide_prompt();
  return line;
}

std::optional<std::string> line_input::read_line() {
  while (true) {
    if (!ready_.empty()) {
      std::string line = std::move(ready_.front());
      ready_.pop_front();
      return line;
    }
    if (end_of_input_) {
      // A half-typed line counts at the end of piped input; ^C or ^D at a terminal drop it.
      if (unsplit_.empty() || edits_locally_) return std::nullopt;
      return std::exchange(unsplit_, {});
    }
    pollfd sources[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (poll(sources, 2, -1) < 0) continue;
    if (sources[1].revents & POLLIN) return std::nullopt;
    if (sources[0].revents & (POLLIN | POLLHUP)) {
      char buffer[4096];
      const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) end_of_input_ = true;
      else feed({buffer, static_cast<std::size_t>(n)});
    }
  }
}

}  // namespace guildhall::cli
