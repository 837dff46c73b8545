#pragma once
// Echoing a player's text back in a refusal: never more than a few bytes, never a control character.
#include <string>
#include <string_view>

namespace guildhall::games::chess::detail {

inline constexpr std::size_t kMaxQuotedBytes = 16;

inline std::string quote(std::string_view text) {
  std::string out = "'";
  for (char ch : text.substr(0, kMaxQuotedBytes)) out += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
  if (text.size() > kMaxQuotedBytes) out += "...";
  return out + "'";
}

}  // namespace guildhall::games::chess::detail
