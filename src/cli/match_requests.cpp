#include "cli/match_requests.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace guildhall::cli {
namespace {

// The server's own bounds (turns.max_initial_ms by default, kMaxIncrementMs), checked here to say it early.
constexpr double kMaxMinutes = 24 * 60;
constexpr std::uint32_t kMaxIncrementSeconds = 60;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

template <typename Number>
bool parse_number(std::string_view text, Number& out) {
  if (text.empty()) return false;
  const auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), out);
  return failed == std::errc{} && end == text.data() + text.size();
}

using status = client::match_info::status;

const client::match_player* creator_of(const client::match_info& match) {
  for (const auto& player : match.players) {
    if (player.user_id != 0) return &player;
  }
  return nullptr;
}

bool seated(const client::match_info& match, std::uint64_t user_id) {
  return std::ranges::any_of(match.players, [&](const client::match_player& p) { return p.user_id == user_id; });
}

bool invites_anyone(const client::match_info& match) {
  return std::ranges::any_of(match.players, [](const client::match_player& p) { return !p.invited.empty(); });
}

bool invites(const client::match_info& match, std::string_view username) {
  return std::ranges::any_of(match.players, [&](const client::match_player& p) {
    return p.user_id == 0 &&
           std::ranges::any_of(p.invited, [&](const std::string& name) { return same_username(name, username); });
  });
}

// Oldest first, so players who have waited longest get their game first; ids break ties.
bool older(const client::match_info& a, const client::match_info& b) {
  return a.created_at_ms != b.created_at_ms ? a.created_at_ms < b.created_at_ms : a.match_id < b.match_id;
}

}  // namespace

bool same_username(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

std::string invited_names(const client::match_info& match) {
  std::string names;
  for (const auto& player : match.players) {
    if (player.user_id != 0) continue;
    for (const auto& name : player.invited) names += (names.empty() ? "" : ", ") + name;
  }
  return names;
}

time_control time_control_of(const client::match_info& match) { return {match.initial_ms, match.increment_ms}; }

opponent parse_opponent(std::string_view text) {
  text = trim(text);
  if (text.empty() || text == "open") return {};
  if (text == "bot") return {opponent::kind::bot, {}};
  return {opponent::kind::user, std::string(text)};
}

result<time_control> parse_time_control(std::string_view text) {
  text = trim(text);
  const auto plus = text.find('+');
  double minutes = 0;
  std::uint32_t increment_seconds = 0;
  if (!parse_number(text.substr(0, plus), minutes) ||
      (plus != std::string_view::npos && !parse_number(text.substr(plus + 1), increment_seconds))) {
    return fail(errc::invalid_argument, "--time is MINUTES+SECONDS (5+3, 0.5+0) or 0 for no clock");
  }
  if (!(minutes >= 0 && minutes <= kMaxMinutes) || increment_seconds > kMaxIncrementSeconds) {
    return fail(errc::invalid_argument, "--time: at most 1440 minutes and 60 seconds of increment");
  }
  const time_control clock{.initial_ms = static_cast<std::uint32_t>(std::lround(minutes * 60'000)),
                           .increment_ms = increment_seconds * 1000};
  if (clock.initial_ms == 0 && increment_seconds > 0) {
    return fail(errc::invalid_argument, "--time: an increment needs a clock (0 means no clock)");
  }
  if (clock.initial_ms > 0 && clock.initial_ms < 1000) {
    return fail(errc::invalid_argument, "--time: at least one second on the clock");
  }
  return clock;
}

time_control default_time_control(std::string_view game) {
  if (game == "tictactoe") return {.initial_ms = 60'000};
  return {.initial_ms = 10 * 60'000, .increment_ms = 5'000};
}

result<client::match_settings::seat_choice> parse_seat(std::string_view text) {
  using seat = client::match_settings::seat_choice;
  text = trim(text);
  if (text == "any") return seat::any;
  if (text == "first" || text == "white" || text == "x" || text == "X") return seat::first;
  if (text == "second" || text == "black" || text == "o" || text == "O") return seat::second;
  return fail(errc::invalid_argument, "--seat is any, first (white, X) or second (black, O)");
}

typed_line parse_typed_line(std::string_view line) {
  line = trim(line);
  if (line.empty()) return {};
  if (line.front() != '/') return {typed_line::kind::move, std::string(line)};
  static constexpr std::pair<std::string_view, typed_line::kind> kCommands[] = {
      {"/resign", typed_line::kind::resign}, {"/draw", typed_line::kind::draw},   {"/decline", typed_line::kind::decline},
      {"/abort", typed_line::kind::abort},   {"/quit", typed_line::kind::quit},   {"/exit", typed_line::kind::quit},
      {"/help", typed_line::kind::help},     {"/?", typed_line::kind::help},      {"/moves", typed_line::kind::moves},
  };
  for (const auto& [word, kind] : kCommands) {
    if (line == word) return {kind, {}};
  }
  return {typed_line::kind::unknown, std::string(line)};
}

bool may_join(const client::match_info& match, std::uint64_t my_user_id, std::string_view my_username) {
  if (match.state != status::open || seated(match, my_user_id)) return false;
  return std::ranges::any_of(match.players, [&](const client::match_player& p) {
    return p.user_id == 0 && (p.invited.empty() || std::ranges::any_of(p.invited, [&](const std::string& name) {
                                return same_username(name, my_username);
                              }));
  });
}

std::optional<client::match_info> pick_open_match(const match_list& open, const seek& wanted, std::uint64_t my_user_id,
                                                  std::string_view my_username) {
  std::optional<client::match_info> best;
  for (const auto& match : open) {
    if (match.game != wanted.game || match.rated != wanted.rated || !creator_of(match)) continue;
    if (wanted.clock && time_control_of(match) != *wanted.clock) continue;
    if (!may_join(match, my_user_id, my_username)) continue;
    if (!best || older(match, *best)) best = match;
  }
  return best;
}

std::optional<client::match_info> find_invitation(const match_list& open, std::string_view game, std::string_view from,
                                                  std::string_view my_username) {
  std::optional<client::match_info> best;
  for (const auto& match : open) {
    const auto* creator = creator_of(match);
    if (match.game != game || match.state != status::open || !creator) continue;
    if (!same_username(creator->username, from) || !invites(match, my_username)) continue;
    if (!best || older(match, *best)) best = match;
  }
  return best;
}

std::optional<client::match_info> find_resumable(const match_list& mine, std::string_view game,
                                                 std::uint64_t my_user_id, const opponent& against,
                                                 const std::optional<time_control>& clock) {
  auto fits = [&](const client::match_info& match) {
    if (match.game != game || !seated(match, my_user_id)) return false;
    const bool open = match.state == status::open;
    if (!open && match.state != status::active) return false;
    if (open && clock && time_control_of(match) != *clock) return false;
    return std::ranges::any_of(match.players, [&](const client::match_player& p) {
      if (p.user_id == my_user_id) return false;
      switch (against.is) {
        case opponent::kind::bot: return !open && p.bot;
        case opponent::kind::user:
          return open ? invites(match, against.username) : p.user_id != 0 && same_username(p.username, against.username);
        case opponent::kind::open: return open && p.user_id == 0 && !invites_anyone(match);
      }
      return false;
    });
  };
  std::optional<client::match_info> newest;
  for (const auto& match : mine) {
    if (fits(match) && (!newest || older(*newest, match))) newest = match;
  }
  return newest;
}

client::match_settings create_match_settings(std::string_view game, const opponent& against, const time_control& clock,
                                             client::match_settings::seat_choice seat, bool rated) {
  client::match_settings settings{.game = std::string(game),
                                  .bot = against.is == opponent::kind::bot,
                                  .rated = rated,
                                  .initial_ms = clock.initial_ms,
                                  .increment_ms = clock.increment_ms,
                                  .seat = seat};
  if (against.is == opponent::kind::user) settings.invite.push_back(against.username);
  return settings;
}

}  // namespace guildhall::cli
