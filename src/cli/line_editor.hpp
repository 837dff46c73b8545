#pragma once
// The editing half of line_input, sans I/O: bytes typed at a raw terminal go in, and out come the line being
// typed, the cursor in it, finished lines and a history to walk with Up and Down. No terminal, no clock, so every
// key is a unit test (tests/unit/line_editor_test.cpp).
//
// Keys, as a terminal in its usual modes sends them:
//   text                      inserted at the cursor, whole UTF-8 code points at a time
//   Enter (\r, \n, \r\n)      finishes the line, which joins the history
//   Backspace (^H, DEL)       deletes the code point before the cursor; Delete (ESC [ 3 ~) the one under it
//   Left, Right               move by one code point (ESC [ D/C, ESC O D/C)
//   Home, End, ^A, ^E         move to the start or end (ESC [ H/F, ESC O H/F, ESC [ 1/7 ~, ESC [ 4/8 ~)
//   Up, Down                  walk the history (ESC [ A/B, ESC O A/B); Down past the newest entry gives back
//                             the line that was being typed before the walk began
//   ^U, ^W, ^K                erase to the start, the word before the cursor, to the end
//   ^C; ^D on an empty line   end the input
// Other escape sequences are skipped whole and other control bytes ignored, so an unknown key never puts
// garbage into the line. An edit to a line recalled from the history changes the line being typed, not the
// history entry.
//
// Thread-safety: none; one thread feeds it and reads it.
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall::cli {

class line_editor {
 public:
  // A longer line is cut: the same bound as the kernel's canonical mode.
  static constexpr std::size_t kMaxLineBytes = 4096;
  // Enough to find a line from a long session again; at most 2 MB held.
  static constexpr std::size_t kMaxHistoryLines = 500;

  // Applies the bytes typed and returns the lines they finished, in order. Bytes after the end of the input
  // (^C, ^D on an empty line) are dropped.
  std::vector<std::string> feed(std::string_view bytes);

  const std::string& line() const { return line_; }
  // In bytes from the start of line(), always at the start of a code point (or at the end).
  std::size_t cursor() const { return cursor_; }
  // Oldest first; no empty lines and no entry equal to the one before it.
  const std::deque<std::string>& history() const { return history_; }
  bool ended() const { return ended_; }

 private:
  enum class escape { none, after_escape, in_sequence };

  // One byte; true when it finished the line (moved into `finished`).
  bool apply(char byte, std::string& finished);
  void apply_control(char byte);
  void apply_text(char byte);
  void apply_escape(char byte);
  void run_escape_sequence(char final_byte);
  std::string finish_line();

  void insert(std::string_view code_point);
  void erase(std::size_t from, std::size_t to);
  std::size_t previous_code_point(std::size_t at) const;
  std::size_t next_code_point(std::size_t at) const;
  std::size_t previous_word(std::size_t at) const;
  void recall(std::size_t history_index);

  std::string line_;
  std::size_t cursor_ = 0;
  std::string partial_code_point_;   // the bytes of a multi-byte code point that has not fully arrived
  std::size_t code_point_bytes_ = 0;  // how many bytes partial_code_point_ will have
  std::deque<std::string> history_;
  std::size_t history_index_ = 0;  // the entry on show; history_.size() while typing a new line
  std::string draft_;              // the new line put aside while walking the history
  escape escape_ = escape::none;
  char escape_introducer_ = 0;    // '[' or 'O'
  std::string escape_parameters_;  // the bytes between the introducer and the final byte, capped
  bool after_return_ = false;      // so that the \n of a \r\n pair does not finish a second, empty line
  bool ended_ = false;
};

}  // namespace guildhall::cli
