#pragma once
// Where `guildhall play` writes. Two ways:
// - in place (stdout is a terminal and line_input edits locally): the whole screen is redrawn from its top
//   corner - the match frame, the latest notices, then the prompt with the half-typed line and the terminal's
//   cursor at the editing cursor (prompt_line.hpp scrolls a long line sideways) - overwriting rather
//   than clearing, so a clock ticking once a second does not flicker, and nothing scrolls away. Lines are cut to
//   the terminal's width and the frame to its height, so a small tmux pane shows the top of the screen rather
//   than a scrolled mess.
// - scrolling (a pipe, a log, a terminal without local editing): the frame is printed whenever it changes for
//   a reason other than a clock tick, notices as they come, and the prompt never.
// Thread-safety: one thread (the play command's network thread).
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall::cli {

struct terminal_dimensions {
  std::size_t rows;
  std::size_t columns;
};
// Of the terminal on stdout; 24 x 80 when there is none or it cannot say.
terminal_dimensions terminal_size();

class terminal_screen {
 public:
  explicit terminal_screen(bool in_place);

  bool in_place() const { return in_place_; }
  // The terminal's height in rows (24 when it cannot be asked).
  std::size_t rows() const;

  // A new frame; `clock_tick` when only the clocks moved (not worth a reprint in scrolling mode).
  void show(std::vector<std::string> frame, bool clock_tick);
  // A line of news under the frame: the latest few stay on screen.
  void notice(std::string line);
  void prompt(std::string text);
  // The half-typed line, and the editing cursor in bytes from its start, where the terminal's cursor is left.
  void typed(std::string text, std::size_t cursor);
  // Ends drawing in place: later output goes below the last screen, which stays visible.
  void close();

 private:
  void redraw();
  static void write_out(std::string_view bytes);

  bool in_place_;
  bool cleared_ = false;  // the first in-place draw clears the screen once
  bool closed_ = false;
  std::vector<std::string> frame_;
  std::vector<std::string> printed_frame_;  // scrolling mode: what was printed last
  std::deque<std::string> notices_;
  std::string prompt_;
  std::string typed_;
  std::size_t cursor_ = 0;
};

}  // namespace guildhall::cli
