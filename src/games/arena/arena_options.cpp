#include "games/arena/arena_options.hpp"

#include <charconv>
#include <string>

#include "games/arena/arena_rules.hpp"

namespace guildhall::games::arena {
namespace {

constexpr std::size_t kMaxQuotedBytes = 16;

// A player's text echoed in a refusal: short, printable.
std::string quote(std::string_view text) {
  std::string out = "'";
  for (char ch : text.substr(0, kMaxQuotedBytes)) out += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
  if (text.size() > kMaxQuotedBytes) out += "...";
  return out + "'";
}

// The whole of `text` as a decimal number, or nullopt (no sign, spaces or trailing bytes accepted).
template <typename T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::expected<int, room_refusal> parse_bounded(const room_options& options, std::string_view key, int fallback,
                                               int min, int max, std::string_view what) {
  const auto found = options.find(key);
  if (found == options.end()) return fallback;
  const auto value = parse_number<int>(found->second);
  if (!value || *value < min || *value > max) {
    return std::unexpected(std::string(what) + " must be a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", not " + quote(found->second));
  }
  return *value;
}

}  // namespace

std::expected<arena_config, room_refusal> parse_options(const room_options& options) {
  arena_config config;
  const auto duration = parse_bounded(options, "duration_s", kDefaultDurationS, kMinDurationS, kMaxDurationS,
                                      "the match length (duration_s, seconds)");
  if (!duration) return std::unexpected(duration.error());
  config.duration_s = *duration;
  const auto bots = parse_bounded(options, "bots", 0, 0, kMaxFighters - 1, "the number of bots (bots)");
  if (!bots) return std::unexpected(bots.error());
  config.bots = *bots;
  const auto hz = parse_bounded(options, "tick_hz", kDefaultTickHz, kMinTickHz, kMaxTickHz, "the tick rate (tick_hz)");
  if (!hz) return std::unexpected(hz.error());
  config.tick_hz = *hz;
  if (const auto seed = options.find("seed"); seed != options.end()) {
    config.seed = parse_number<std::uint64_t>(seed->second);
    if (!config.seed) return std::unexpected("the seed must be an unsigned whole number, not " + quote(seed->second));
  }
  if (const auto map = options.find("map"); map != options.end() && map->second != "yard") {
    return std::unexpected("there is no arena map called " + quote(map->second) + " (there is 'yard')");
  }
  if (const auto mode = options.find("mode"); mode != options.end() && mode->second != "ffa") {
    return std::unexpected("the arena has no mode " + quote(mode->second) + " (there is 'ffa')");
  }
  return config;
}

}  // namespace guildhall::games::arena
