#pragma once
// Terminal columns of UTF-8 text, for padding columns side by side and cutting lines to the terminal's width.
// Every code point counts as one column: the play screen uses no wide (East Asian, emoji) characters, and its
// escape sequences are written outside the measured text.
#include <cstddef>
#include <string>
#include <string_view>

namespace guildhall::cli {

inline bool starts_code_point(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) != 0x80; }

inline std::size_t display_width(std::string_view text) {
  std::size_t columns = 0;
  for (const char byte : text) columns += starts_code_point(byte) ? 1 : 0;
  return columns;
}

// `text` cut to at most `columns` columns, never inside a code point.
inline std::string_view cut_to_width(std::string_view text, std::size_t columns) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (starts_code_point(text[i]) && seen++ == columns) return text.substr(0, i);
  }
  return text;
}

// `text` followed by spaces up to `columns` columns (unchanged when already as wide).
inline std::string pad_to_width(std::string_view text, std::size_t columns) {
  std::string padded(text);
  const std::size_t width = display_width(text);
  if (width < columns) padded.append(columns - width, ' ');
  return padded;
}

}  // namespace guildhall::cli
