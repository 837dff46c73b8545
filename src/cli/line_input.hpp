#pragma once
// Line input for terminal clients, read with poll so that another thread can end the wait (a lost connection
// ends the client at once), and output from any thread printed whole.
//
// Two ways to edit a line:
// - terminal: the terminal's own line discipline edits it (backspace, ^U, ^W) and echoes it. Output printed
//   meanwhile interrupts the echo on screen, but the kernel keeps what was typed. `guildhall chat` uses this.
// - local: when stdin is a terminal, this class switches echo and canonical mode off and edits the line itself
//   (printable text, backspace, ^U, ^W; Enter ends the line; ^C, or ^D on an empty line, ends the input), and
//   reports every change through on_edit, so a client that redraws the whole screen can draw the half-typed
//   line too. The terminal's settings come back at destruction, or at SIGTERM/SIGHUP. Without a terminal
//   (a pipe, a test) it behaves as `terminal`.
//
// Thread-safety: print() and stop() from any thread; next_line() from one thread only, which is also the thread
// on_edit is called on. on_edit must be set before the first next_line().
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace guildhall::cli {

class line_input {
 public:
  enum class editing { terminal, local };

  explicit line_input(editing mode = editing::terminal);
  ~line_input();
  line_input(const line_input&) = delete;
  line_input& operator=(const line_input&) = delete;

  // True when this object edits lines itself (local editing was asked for and stdin is a terminal); the caller
  // then draws the half-typed line, since the terminal no longer echoes it.
  bool edits_locally() const { return edits_locally_; }
  void on_edit(std::function<void(const std::string& typed)> handler) { on_edit_ = std::move(handler); }

  void print(const std::string& line);
  // The next line typed; nullopt at the end of input or once stop() was called.
  std::optional<std::string> next_line();
  void stop();

 private:
  void feed(const char* bytes, std::size_t size);
  // Local editing: applies one byte typed; true when it finished a line (moved into `finished`).
  bool edit(char byte, std::string& finished);

  enum class escape { none, after_escape, in_sequence };

  int wake_pipe_[2] = {-1, -1};  // stop() wakes the reading thread through it
  std::mutex output_;            // whole lines from several threads
  std::string typed_;            // bytes read but not yet a whole line
  std::deque<std::string> ready_;  // whole lines not yet returned (a paste brings several at once)
  bool end_of_input_ = false;
  bool edits_locally_ = false;
  escape escape_ = escape::none;  // skipping a terminal escape sequence (arrow keys and the like)
  bool after_return_ = false;
  std::function<void(const std::string&)> on_edit_;
};

}  // namespace guildhall::cli
