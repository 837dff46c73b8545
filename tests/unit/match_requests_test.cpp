// cli/match_requests: the play command's options and typed lines, and its choice of which match to join or
// resume - oldest first, never one's own, never someone else's invitation, never a different clock or rating.
#include "cli/match_requests.hpp"

#include <gtest/gtest.h>

namespace guildhall::cli {
namespace {

constexpr std::uint64_t kMe = 10;

using status = client::match_info::status;
using seat = client::match_settings::seat_choice;

client::match_info open_match(std::uint64_t id, std::int64_t created_at_ms, std::uint64_t creator_id,
                              const std::string& creator, std::vector<std::string> invited = {}) {
  client::match_info info{.match_id = id, .game = "tictactoe", .state = status::open};
  info.created_at_ms = created_at_ms;
  info.initial_ms = 60'000;
  info.players.push_back({.user_id = creator_id, .username = creator});
  info.players.push_back({.invited = std::move(invited)});
  return info;
}

match_list list_of(std::vector<client::match_info> matches) { return matches; }

seek tictactoe_seek() { return {"tictactoe", std::nullopt, false}; }

TEST(MatchRequests, OpponentKeywordsAndNames) {
  EXPECT_EQ(parse_opponent("").is, opponent::kind::open);
  EXPECT_EQ(parse_opponent("open").is, opponent::kind::open);
  EXPECT_EQ(parse_opponent("bot").is, opponent::kind::bot);
  const auto user = parse_opponent("bobby");
  EXPECT_EQ(user.is, opponent::kind::user);
  EXPECT_EQ(user.username, "bobby");
}

TEST(MatchRequests, TimeControlIsMinutesPlusSeconds) {
  auto parsed = parse_time_control("5+3");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->initial_ms, 300'000u);
  EXPECT_EQ(parsed->increment_ms, 3'000u);
  parsed = parse_time_control("0.5+0");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->initial_ms, 30'000u);
  parsed = parse_time_control("15");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->initial_ms, 900'000u);
  EXPECT_EQ(parsed->increment_ms, 0u);
  parsed = parse_time_control("0");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->initial_ms, 0u);
}

TEST(MatchRequests, TimeControlOutOfRangeOrMalformedIsRefused) {
  for (const std::string_view text : {"", "+", "5+", "+3", "five", "5+3s", "-1", "0+5", "2000", "5+61", "0.001"}) {
    const auto parsed = parse_time_control(text);
    EXPECT_FALSE(parsed.has_value()) << text;
  }
}

TEST(MatchRequests, SeatChoices) {
  EXPECT_EQ(parse_seat("any").value(), seat::any);
  EXPECT_EQ(parse_seat("first").value(), seat::first);
  EXPECT_EQ(parse_seat("white").value(), seat::first);
  EXPECT_EQ(parse_seat("O").value(), seat::second);
  EXPECT_FALSE(parse_seat("left").has_value());
}

TEST(MatchRequests, TypedLinesAreMovesOrCommands) {
  EXPECT_EQ(parse_typed_line("   ").is, typed_line::kind::empty);
  const auto move = parse_typed_line("  Nf3 ");
  EXPECT_EQ(move.is, typed_line::kind::move);
  EXPECT_EQ(move.text, "Nf3");
  EXPECT_EQ(parse_typed_line("/resign").is, typed_line::kind::resign);
  EXPECT_EQ(parse_typed_line("/draw").is, typed_line::kind::draw);
  EXPECT_EQ(parse_typed_line("/decline").is, typed_line::kind::decline);
  EXPECT_EQ(parse_typed_line("/abort").is, typed_line::kind::abort);
  EXPECT_EQ(parse_typed_line("/quit").is, typed_line::kind::quit);
  EXPECT_EQ(parse_typed_line("/moves").is, typed_line::kind::moves);
  const auto unknown = parse_typed_line("/resignnow");
  EXPECT_EQ(unknown.is, typed_line::kind::unknown);
  EXPECT_EQ(unknown.text, "/resignnow");
}

TEST(MatchRequests, OpenSeekJoinsTheOldestMatchOfSomeoneElse) {
  const auto list = list_of({open_match(3, 300, 2, "bobby"), open_match(1, 100, kMe, "me"), open_match(2, 200, 3, "carol")});
  const auto picked = pick_open_match(list, tictactoe_seek(), kMe, "me");
  ASSERT_TRUE(picked.has_value());
  EXPECT_EQ(picked->match_id, 2u);  // 1 is older but mine
}

TEST(MatchRequests, OpenSeekSkipsOtherPeoplesInvitationsButTakesOnesForMe) {
  const auto list = list_of({open_match(1, 100, 2, "bobby", {"dave"}), open_match(2, 200, 3, "carol", {"ME"})});
  const auto picked = pick_open_match(list, tictactoe_seek(), kMe, "me");
  ASSERT_TRUE(picked.has_value());
  EXPECT_EQ(picked->match_id, 2u);  // invitations match names case-insensitively, as the server does
}

TEST(MatchRequests, OpenSeekRespectsGameClockAndRating) {
  auto other_game = open_match(1, 100, 2, "bobby");
  other_game.game = "chess";
  auto rated = open_match(2, 200, 2, "bobby");
  rated.rated = true;
  auto slow = open_match(3, 300, 2, "bobby");
  slow.initial_ms = 600'000;
  const auto list = list_of({other_game, rated, slow});
  EXPECT_EQ(pick_open_match(list, tictactoe_seek(), kMe, "me")->match_id, 3u);  // any clock when none was asked
  auto wanted = tictactoe_seek();
  wanted.clock = time_control{.initial_ms = 60'000};
  EXPECT_FALSE(pick_open_match(list, wanted, kMe, "me").has_value());
  wanted.rated = true;
  wanted.clock.reset();
  EXPECT_EQ(pick_open_match(list, wanted, kMe, "me")->match_id, 2u);
}

TEST(MatchRequests, InvitationMustComeFromTheNamedUserAndBeForMe) {
  const auto list = list_of({open_match(1, 100, 2, "bobby", {"dave"}), open_match(2, 200, 3, "carol", {"me"}),
                             open_match(3, 300, 2, "bobby", {"me"}), open_match(4, 50, 2, "bobby")});
  const auto found = find_invitation(list, "tictactoe", "Bobby", "me");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->match_id, 3u);
  EXPECT_FALSE(find_invitation(list, "tictactoe", "erin", "me").has_value());
}

TEST(MatchRequests, ResumesTheNewestActiveMatchAgainstTheBot) {
  auto bot_game = [](std::uint64_t id, std::int64_t created) {
    auto info = open_match(id, created, kMe, "me");
    info.state = status::active;
    info.players[1] = {.user_id = 99, .username = "GuildhallBot", .bot = true};
    return info;
  };
  const auto mine = list_of({bot_game(1, 100), bot_game(2, 200), open_match(3, 300, kMe, "me")});
  const auto found = find_resumable(mine, "tictactoe", kMe, {opponent::kind::bot, {}});
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->match_id, 2u);
  EXPECT_FALSE(find_resumable(mine, "chess", kMe, {opponent::kind::bot, {}}).has_value());
}

TEST(MatchRequests, ResumesAGameAgainstTheUserOrMyInvitationToThem) {
  auto against_bobby = open_match(1, 100, kMe, "me");
  against_bobby.state = status::active;
  against_bobby.players[1] = {.user_id = 2, .username = "bobby"};
  const auto mine = list_of({against_bobby, open_match(2, 200, kMe, "me", {"carol"}), open_match(3, 300, kMe, "me")});
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {opponent::kind::user, "BOBBY"})->match_id, 1u);
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {opponent::kind::user, "carol"})->match_id, 2u);
  EXPECT_FALSE(find_resumable(mine, "tictactoe", kMe, {opponent::kind::user, "dave"}).has_value());
  // --vs open waits again in its own public open match, not in an invitation.
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {})->match_id, 3u);
}

// Issue 8: `guildhall play --time 5+3` resumed an older open match with another clock.
TEST(MatchRequests, ResumesAnOpenMatchOnlyWhenItsClockFitsTime) {
  auto waiting = open_match(1, 100, kMe, "me");
  waiting.initial_ms = 60'000;
  const auto mine = list_of({waiting});
  const time_control blitz{.initial_ms = 5 * 60'000, .increment_ms = 3'000};
  EXPECT_FALSE(find_resumable(mine, "tictactoe", kMe, {}, blitz).has_value());
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {}, time_control_of(waiting))->match_id, 1u);
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {})->match_id, 1u) << "without --time any clock fits";

  // A game under way is the game the player left: resumed whatever --time says.
  auto playing = open_match(2, 200, kMe, "me", {"bobby"});
  playing.state = status::active;
  playing.players[1] = {.user_id = 2, .username = "bobby"};
  EXPECT_EQ(find_resumable(list_of({playing}), "tictactoe", kMe, {opponent::kind::user, "bobby"}, blitz)->match_id, 2u);
}

TEST(MatchRequests, MayJoinOnlyAFreeSeatOpenToMe) {
  EXPECT_TRUE(may_join(open_match(1, 0, 2, "bobby"), kMe, "me"));
  EXPECT_TRUE(may_join(open_match(1, 0, 2, "bobby", {"me"}), kMe, "me"));
  EXPECT_FALSE(may_join(open_match(1, 0, 2, "bobby", {"carol"}), kMe, "me"));
  EXPECT_FALSE(may_join(open_match(1, 0, kMe, "me"), kMe, "me"));
  auto started = open_match(1, 0, 2, "bobby");
  started.state = status::active;
  EXPECT_FALSE(may_join(started, kMe, "me"));
}

TEST(MatchRequests, InvitedNamesListTheFreeSeatsReservations) {
  EXPECT_EQ(invited_names(open_match(1, 0, 2, "bobby")), "");
  EXPECT_EQ(invited_names(open_match(1, 0, 2, "bobby", {"carol", "dave"})), "carol, dave");
}

TEST(MatchRequests, CreateMatchSettingsForEachOpponent) {
  const time_control clock{.initial_ms = 60'000};
  const auto bot = create_match_settings("chess", {opponent::kind::bot, {}}, clock, seat::first, false);
  EXPECT_EQ(bot.game, "chess");
  EXPECT_TRUE(bot.bot);
  EXPECT_EQ(bot.seat, seat::first);
  EXPECT_EQ(bot.initial_ms, 60'000u);
  EXPECT_EQ(bot.increment_ms, 0u);
  const auto invite = create_match_settings("chess", {opponent::kind::user, "bobby"}, clock, seat::any, true);
  EXPECT_EQ(invite.invite, std::vector<std::string>{"bobby"});
  EXPECT_FALSE(invite.bot);
  EXPECT_TRUE(invite.rated);
  const auto open = create_match_settings("tictactoe", {}, clock, seat::any, false);
  EXPECT_FALSE(open.bot);
  EXPECT_TRUE(open.invite.empty());
}

}  // namespace
}  // namespace guildhall::cli
