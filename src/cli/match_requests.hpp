#pragma once
// What a player asks of `guildhall play`, on its command line and at its prompt, turned into the SDK's requests:
// parsing --vs, --time and typed lines, choosing which listed match to join or resume, the settings of a new match.
// Pure functions (tests/unit/match_requests_test.cpp); play_matchmaking.cpp sends what they build.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <guildhall/client.hpp>
#include <vector>

#include "base/result.hpp"

namespace guildhall::cli {

using match_list = std::vector<client::match_info>;

// A match's clock: each seat's time at the start (0: no clock) and what a move adds.
struct time_control {
  std::uint32_t initial_ms = 0;
  std::uint32_t increment_ms = 0;
  bool operator==(const time_control&) const = default;
};
time_control time_control_of(const client::match_info& match);

// --vs: "bot", "open", or a username.
struct opponent {
  enum class kind { open, bot, user } is = kind::open;
  std::string username;  // for kind::user
};
opponent parse_opponent(std::string_view text);

// --time: "MINUTES+INCREMENT" with the increment in seconds ("5+3", "0.5+2"), "MINUTES" alone (no increment),
// or "0" for no clock (a correspondence game, adjudicated by the server's move deadline).
result<time_control> parse_time_control(std::string_view text);
// The clock a new match gets when --time is not given: long enough to think, short enough for a sitting.
time_control default_time_control(std::string_view game);

// --seat: "any", "first" (white, X) or "second".
result<client::match_settings::seat_choice> parse_seat(std::string_view text);

// A line typed at the prompt.
struct typed_line {
  enum class kind { empty, move, resign, draw, decline, abort, quit, help, moves, unknown } is = kind::empty;
  std::string text;  // the move, or the unknown command
};
typed_line parse_typed_line(std::string_view line);

// What --vs open looks for.
struct seek {
  std::string game;
  std::optional<cli::time_control> clock;  // any when not given on the command line
  bool rated = false;                           // a casual player does not land in a rated game, nor the reverse
};
// The oldest open match someone else created that fits `wanted` and that `me` may join (a free seat open to
// anyone or reserved for `me`).
std::optional<client::match_info> pick_open_match(const match_list& open, const seek& wanted, std::uint64_t my_user_id,
                                             std::string_view my_username);
// An open match of `game` that `from` created with a seat reserved for `me`.
std::optional<client::match_info> find_invitation(const match_list& open, std::string_view game, std::string_view from,
                                             std::string_view my_username);
// The newest unfinished match of `game` in `mine` (the answer to ListMyMatches) against `against`: an active one
// against that bot or user, an open one of mine inviting that user, or for kind::open one of my own open matches
// that anyone may join (a seek left behind by a client that crashed). With `clock` (--time), an open match
// with another clock is not resumed: the player asked for this clock. A game already under way is resumed
// whatever its clock: it is the game the player left.
std::optional<client::match_info> find_resumable(const match_list& mine, std::string_view game, std::uint64_t my_user_id,
                                            const opponent& against,
                                            const std::optional<time_control>& clock = std::nullopt);
// True when `me` may take a free seat of the open match (the match is open and a seat is free to anyone or to me).
bool may_join(const client::match_info& match, std::uint64_t my_user_id, std::string_view my_username);

client::match_settings create_match_settings(std::string_view game, const opponent& against, const time_control& clock,
                                             client::match_settings::seat_choice seat, bool rated);

bool same_username(std::string_view a, std::string_view b);
// Who the free seats of an open match are reserved for, "bobby, carol"; empty for a match anyone may join.
std::string invited_names(const client::match_info& match);

}  // namespace guildhall::cli
