#pragma once
// One terminal row holding a prompt and the line being typed, for the clients that draw their own input line
// (`guildhall chat` through line_input, `guildhall play` through terminal_screen). A line longer than the row
// scrolls sideways so that the cursor stays on screen, as readline's horizontal-scroll mode does: the start of
// the line while the cursor is near it, else the part that ends at the cursor.
// Pure functions, no terminal: the caller writes the bytes.
#include <cstddef>
#include <string>
#include <string_view>

namespace guildhall::cli {

struct prompt_view {
  std::string_view shown;     // the part of the typed line that fits, whole code points
  std::size_t cursor_column;  // 0-based, from the start of the row; at most `columns`
};

// What of `typed` fits in `columns` columns after `prompt`, with the cursor at byte `cursor` of `typed` (a code
// point boundary). The cursor may land on column `columns` itself, so a caller keeps one column spare past them.
prompt_view fit_prompt_line(std::string_view prompt, std::string_view typed, std::size_t cursor, std::size_t columns);

// Bytes that redraw the row the terminal's cursor is on - prompt, the fitting part of `typed`, the rest of the
// row and the rows below cleared - and leave the terminal's cursor at the editing cursor.
std::string draw_prompt_line(std::string_view prompt, std::string_view typed, std::size_t cursor, std::size_t columns);

}  // namespace guildhall::cli
