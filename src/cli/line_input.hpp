#pragma once
// Line input for terminal clients, read with poll so that another thread can end the wait (a lost connection
// ends the client at once), and output from any thread printed whole.
//
// Three ways to edit a line:
// - terminal: the terminal's own line discipline edits it (backspace, ^U, ^W) and echoes it. Output printed
//   meanwhile interrupts the echo on screen, but the kernel keeps what was typed. No history, and arrow keys
//   print escape sequences.
// - local: when stdin is a terminal, this class switches echo and canonical mode off and edits the line itself
//   with a line_editor (cursor keys, Home/End, Up/Down through the lines typed before, ^A ^E ^U ^W ^K; Enter
//   ends the line; ^C, or ^D on an empty line, ends the input; line_editor.hpp lists every key). It draws
//   nothing: every change goes to on_edit, so a client that redraws the whole screen (`guildhall play`) can
//   draw the half-typed line and the cursor itself.
// - prompt: local editing, drawn by this class as a prompt on the terminal's bottom row, `> ` and the line being
//   typed with the terminal's cursor at the editing cursor. print() lifts the prompt, writes its line above and
//   draws the prompt again, so a message arriving mid-typing leaves the half-typed line in view and intact.
//   A finished line leaves the prompt (a chat server echoes it back). `guildhall chat` uses this. It needs
//   stdout to be a terminal too; otherwise nothing could echo the keys, so it falls back to `terminal`.
// Local editing gives the terminal's settings back at destruction, or at SIGTERM/SIGHUP. Without a terminal
// (a pipe, a test) every mode behaves as `terminal`: lines end at \n and a half line counts at the end of input.
// The history lives as long as this object; it is not saved.
//
// Thread-safety: print() and stop() from any thread; next_line() from one thread only, which is also the thread
// on_edit is called on. on_edit must be set before the first next_line().
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "cli/line_editor.hpp"

namespace guildhall::cli {

class line_input {
 public:
  enum class editing { terminal, local, prompt };

  explicit line_input(editing mode = editing::terminal);
  ~line_input();
  line_input(const line_input&) = delete;
  line_input& operator=(const line_input&) = delete;

  // True when this object edits lines itself (local or prompt editing was asked for and could start); with
  // `local` the caller then draws the half-typed line, since the terminal no longer echoes it.
  bool edits_locally() const { return edits_locally_; }
  // After every change to the line being typed: the line, and the cursor in bytes from its start.
  void on_edit(std::function<void(const std::string& typed, std::size_t cursor)> handler) {
    on_edit_ = std::move(handler);
  }

  void print(const std::string& line);
  // The words before the typed line in prompt mode ("#lobby> "); "> " until set. Redrawn at once.
  void set_prompt(std::string prompt);
  // The next line typed; nullopt at the end of input or once stop() was called.
  std::optional<std::string> next_line();
  void stop();

 private:
  std::optional<std::string> read_line();
  void feed(std::string_view bytes);
  void show_prompt(const std::string& typed, std::size_t cursor);
  void hide_prompt();
  // The prompt's bytes for the line and cursor last shown; output_ held.
  std::string prompt_bytes() const;

  int wake_pipe_[2] = {-1, -1};  // stop() wakes the reading thread through it
  std::string unsplit_;          // without local editing: bytes read but not yet a whole line
  std::deque<std::string> ready_;  // whole lines not yet returned (a paste brings several at once)
  bool end_of_input_ = false;
  bool edits_locally_ = false;
  bool draws_prompt_ = false;
  line_editor editor_;
  std::function<void(const std::string&, std::size_t)> on_edit_;

  std::mutex output_;  // whole lines from several threads, and the prompt between them
  // Guarded by output_: what the prompt shows, since print() redraws it from any thread.
  bool prompt_shown_ = false;
  std::string prompt_ = "> ";
  std::string prompt_typed_;
  std::size_t prompt_cursor_ = 0;
};

}  // namespace guildhall::cli
