#include "cli/terminal_screen.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "cli/prompt_line.hpp"
#include "cli/text_width.hpp"

namespace guildhall::cli {
namespace {

constexpr std::size_t kKeptNotices = 4;  // enough to read the last exchange; more would push the board away
constexpr std::size_t kDefaultRows = 24;
constexpr std::size_t kDefaultColumns = 80;

constexpr std::string_view kHome = "\x1b[H";
constexpr std::string_view kClearScreen = "\x1b[2J";
constexpr std::string_view kClearToLineEnd = "\x1b[K";

}  // namespace

terminal_dimensions terminal_size() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) {
    return {kDefaultRows, kDefaultColumns};
  }
  return {size.ws_row, size.ws_col};
}

terminal_screen::terminal_screen(bool in_place) : in_place_(in_place) {}

std::size_t terminal_screen::rows() const { return in_place_ ? terminal_size().rows : kDefaultRows; }

void terminal_screen::write_out(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
    if (written <= 0) return;  // a closed terminal: nobody is left to read it
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void terminal_screen::show(std::vector<std::string> frame, bool clock_tick) {
  if (closed_) return;
  if (in_place_) {
    frame_ = std::move(frame);
    return redraw();
  }
  if (clock_tick || frame == printed_frame_) return;
  std::string out;
  for (const auto& line : frame) out += line + "\n";
  write_out(out + "\n");
  printed_frame_ = std::move(frame);
}

void terminal_screen::notice(std::string line) {
  if (closed_) return;
  if (!in_place_) return write_out(line + "\n");
  notices_.push_back(std::move(line));
  while (notices_.size() > kKeptNotices) notices_.pop_front();
  redraw();
}

void terminal_screen::prompt(std::string text) {
  if (text == prompt_) return;
  prompt_ = std::move(text);
  if (in_place_ && !closed_) redraw();
}

void terminal_screen::typed(std::string text, std::size_t cursor) {
  typed_ = std::move(text);
  cursor_ = cursor;
  if (in_place_ && !closed_) redraw();
}

void terminal_screen::close() {
  if (closed_) return;
  closed_ = true;
  if (in_place_ && cleared_) write_out("\r\n");
}

void terminal_screen::redraw() {
  const auto size = terminal_size();
  // One column spare: a line that fills the last column leaves some terminals in a pending wrap, where the
  // clear-to-end-of-line that follows would erase its last character.
  const std::size_t columns = std::max<std::size_t>(size.columns, 2) - 1;
  const std::size_t rows = std::max<std::size_t>(size.rows, 2);
  // The prompt always shows; then the frame from its top; notices get what room is left.
  const std::size_t frame_rows = std::min(frame_.size(), rows - 1);
  const std::size_t notice_rows = std::min(notices_.size(), rows - 1 - frame_rows);

  std::string out;
  if (!cleared_) {
    out += kClearScreen;
    cleared_ = true;
  }
  out += kHome;
  auto add_line = [&](std::string_view line) {
    out += cut_to_width(line, columns);
    out += kClearToLineEnd;
    out += "\r\n";
  };
  for (std::size_t row = 0; row < frame_rows; ++row) add_line(frame_[row]);
  for (std::size_t row = notices_.size() - notice_rows; row < notices_.size(); ++row) add_line(notices_[row]);
  // Clears what an earlier, taller screen left below, then leaves the terminal's cursor at the editing cursor.
  out += draw_prompt_line(prompt_, typed_, cursor_, columns);
  write_out(out);
}

}  // namespace guildhall::cli
