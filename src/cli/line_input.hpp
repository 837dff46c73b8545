#pragma once
// Line input for terminal clients: lines as the terminal's own line discipline edits them (backspace, ^U, ^W),
// read with poll so that another thread can end the wait (a lost connection ends the client at once), and
// output from any thread printed whole.
// Thread-safety: print() and stop() from any thread; next_line() from one thread only.
#include <mutex>
#include <optional>
#include <string>

namespace guildhall::cli {

class line_input {
 public:
  line_input();
  ~line_input();
  line_input(const line_input&) = delete;
  line_input& operator=(const line_input&) = delete;

  void print(const std::string& line);
  // The next line typed; nullopt at the end of input or once stop() was called.
  std::optional<std::string> next_line();
  void stop();

 private:
  int wake_pipe_[2] = {-1, -1};  // stop() wakes the reading thread through it
  std::mutex output_;            // whole lines from several threads
  std::string typed_;            // bytes read but not yet a whole line
  bool end_of_input_ = false;
};

}  // namespace guildhall::cli
