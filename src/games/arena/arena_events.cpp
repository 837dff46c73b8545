#include "games/arena/arena_events.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace guildhall::games::arena {
namespace {

// A position with two decimals: events are for humans and UIs, the snapshot carries the precise value.
std::string number(double value) {
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                       std::chars_format::fixed, 2);
  return ec == std::errc{} ? std::string(buffer.data(), end) : "0";
}

}  // namespace

std::string json_name(std::string_view text) {
  if (text.size() > kMaxNameBytes) {
    std::size_t cut = kMaxNameBytes;
    while (cut > 0 && (std::uint8_t(text[cut]) & 0xc0) == 0x80) --cut;  // never split a UTF-8 character
    text = text.substr(0, cut);
  }
  std::string out = "\"";
  for (char ch : text) {
    const auto byte = std::uint8_t(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (byte < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string kill_event(int killer, std::string_view killer_name, int victim, std::string_view victim_name) {
  return "{\"killer\":" + std::to_string(killer) + ",\"victim\":" + std::to_string(victim) +
         ",\"killer_name\":" + json_name(killer_name) + ",\"victim_name\":" + json_name(victim_name) + "}";
}

std::string respawn_event(int seat, vec2 position) {
  return "{\"seat\":" + std::to_string(seat) + ",\"x\":" + number(position.x) + ",\"y\":" + number(position.y) +
         "}";
}

std::string results_event(std::vector<score_line> scores, std::string_view reason) {
  std::sort(scores.begin(), scores.end(), [](const score_line& a, const score_line& b) {
    if (a.kills != b.kills) return a.kills > b.kills;
    if (a.deaths != b.deaths) return a.deaths < b.deaths;
    return a.seat < b.seat;
  });
  std::string out = "{\"reason\":" + json_name(reason) + ",\"winner\":";
  out += scores.empty() ? "null" : std::to_string(scores.front().seat);
  out += ",\"scores\":[";
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const score_line& line = scores[i];
    if (i > 0) out += ',';
    out += "{\"seat\":" + std::to_string(line.seat) + ",\"name\":" + json_name(line.name) +
           ",\"kills\":" + std::to_string(line.kills) + ",\"deaths\":" + std::to_string(line.deaths) +
           ",\"bot\":" + (line.bot ? "true" : "false") + "}";
  }
  return out + "]}";
}

}  // namespace guildhall::games::arena
