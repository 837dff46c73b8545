#include "cli/prompt_line.hpp"

#include <algorithm>

#include "cli/text_width.hpp"

namespace guildhall::cli {
namespace {

constexpr std::string_view kClearBelow = "\x1b[J";

// `text` without its first `count` code points.
std::string_view drop_code_points(std::string_view text, std::size_t count) {
  std::size_t at = 0;
  for (std::size_t dropped = 0; at < text.size(); ++at) {
    if (starts_code_point(text[at]) && dropped++ == count) break;
  }
  return text.substr(at);
}

}  // namespace

prompt_view fit_prompt_line(std::string_view prompt, std::string_view typed, std::size_t cursor, std::size_t columns) {
  const std::size_t prompt_columns = std::min(display_width(prompt), columns);
  const std::size_t room = columns - prompt_columns;
  const std::size_t before_cursor = display_width(typed.substr(0, cursor));
  // Scrolled just far enough that the cursor sits on the spare column past the row.
  const std::size_t hidden = before_cursor > room ? before_cursor - room : 0;
  const std::string_view from = drop_code_points(typed, hidden);
  return {cut_to_width(from, room), prompt_columns + before_cursor - hidden};
}

std::string draw_prompt_line(std::string_view prompt, std::string_view typed, std::size_t cursor, std::size_t columns) {
  const prompt_view view = fit_prompt_line(prompt, typed, cursor, columns);
  std::string out = "\r";
  out += cut_to_width(prompt, columns);
  out += view.shown;
  out += kClearBelow;  // the end of a longer line drawn before, and anything a wrapped output line left below
  out += "\r";
  if (view.cursor_column > 0) out += "\x1b[" + std::to_string(view.cursor_column) + "C";
  return out;
}

}  // namespace guildhall::cli
