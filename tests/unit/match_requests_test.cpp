// cli/match_requests: the play command's options and typed lines, and its choice of which match to join or
// resume - oldest first, never one's own, never someone else's invitation, never a different clock or rating.
#include "cli/match_requests.hpp"

#include <gtest/gtest.h>

namespace guildhall::cli {
namespace {

constexpr std::uint64_t kMe = 10;

v1::MatchInfo open_match(std::uint64_t id, std::int64_t created_at_ms, std::uint64_t creator_id, const std::string& creator,
                         std::vector<std::string> invited = {}) {
  v1::MatchInfo info;
  info.set_match_id(id);
  info.set_game("tictactoe");
  info.set_status(v1::MatchInfo::OPEN);
  info.set_created_at_ms(created_at_ms);
  info.mutable_time_control()->set_initial_ms(60'000);
  auto* seated = info.add_players();
  seated->set_user_id(creator_id);
  seated->set_username(creator);
  auto* free_seat = info.add_players();
  for (auto& name : invited) free_seat->add_invited(std::move(name));
  return info;
}

v1::MatchList list_of(std::vector<v1::MatchInfo> matches) {
  v1::MatchList list;
  for (auto& match : matches) *list.add_matches() = std::move(match);
  return list;
}

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
  EXPECT_EQ(parsed->initial_ms(), 300'000u);
  EXPECT_EQ(parsed->increment_ms(), 3'000u);
  parsed = parse_time_control("0.5+0");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->initial_ms(), 30'000u);
  parsed = parse_time_control("15");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->initial_ms(), 900'000u);
  EXPECT_EQ(parsed->increment_ms(), 0u);
  parsed = parse_time_control("0");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->initial_ms(), 0u);
}

TEST(MatchRequests, TimeControlOutOfRangeOrMalformedIsRefused) {
  for (const std::string_view text : {"", "+", "5+", "+3", "five", "5+3s", "-1", "0+5", "2000", "5+61", "0.001"}) {
    const auto parsed = parse_time_control(text);
    EXPECT_FALSE(parsed.has_value()) << text;
  }
}

TEST(MatchRequests, SeatChoices) {
  EXPECT_EQ(parse_seat("any").value(), v1::SEAT_ANY);
  EXPECT_EQ(parse_seat("first").value(), v1::SEAT_FIRST);
  EXPECT_EQ(parse_seat("white").value(), v1::SEAT_FIRST);
  EXPECT_EQ(parse_seat("O").value(), v1::SEAT_SECOND);
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
  EXPECT_EQ(picked->match_id(), 2u);  // 1 is older but mine
}

TEST(MatchRequests, OpenSeekSkipsOtherPeoplesInvitationsButTakesOnesForMe) {
  const auto list = list_of({open_match(1, 100, 2, "bobby", {"dave"}), open_match(2, 200, 3, "carol", {"ME"})});
  const auto picked = pick_open_match(list, tictactoe_seek(), kMe, "me");
  ASSERT_TRUE(picked.has_value());
  EXPECT_EQ(picked->match_id(), 2u);  // invitations match names case-insensitively, as the server does
}

TEST(MatchRequests, OpenSeekRespectsGameClockAndRating) {
  auto other_game = open_match(1, 100, 2, "bobby");
  other_game.set_game("chess");
  auto rated = open_match(2, 200, 2, "bobby");
  rated.set_rated(true);
  auto slow = open_match(3, 300, 2, "bobby");
  slow.mutable_time_control()->set_initial_ms(600'000);
  const auto list = list_of({other_game, rated, slow});
  EXPECT_EQ(pick_open_match(list, tictactoe_seek(), kMe, "me")->match_id(), 3u);  // any clock when none was asked
  auto wanted = tictactoe_seek();
  wanted.time_control = v1::TimeControl{};
  wanted.time_control->set_initial_ms(60'000);
  EXPECT_FALSE(pick_open_match(list, wanted, kMe, "me").has_value());
  wanted.rated = true;
  wanted.time_control.reset();
  EXPECT_EQ(pick_open_match(list, wanted, kMe, "me")->match_id(), 2u);
}

TEST(MatchRequests, InvitationMustComeFromTheNamedUserAndBeForMe) {
  const auto list = list_of({open_match(1, 100, 2, "bobby", {"dave"}), open_match(2, 200, 3, "carol", {"me"}),
                             open_match(3, 300, 2, "bobby", {"me"}), open_match(4, 50, 2, "bobby")});
  const auto found = find_invitation(list, "tictactoe", "Bobby", "me");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->match_id(), 3u);
  EXPECT_FALSE(find_invitation(list, "tictactoe", "erin", "me").has_value());
}

TEST(MatchRequests, ResumesTheNewestActiveMatchAgainstTheBot) {
  auto bot_game = [](std::uint64_t id, std::int64_t created) {
    auto info = open_match(id, created, kMe, "me");
    info.set_status(v1::MatchInfo::ACTIVE);
    auto* bot = info.mutable_players(1);
    bot->set_user_id(99);
    bot->set_username("GuildhallBot");
    bot->set_bot(true);
    return info;
  };
  const auto mine = list_of({bot_game(1, 100), bot_game(2, 200), open_match(3, 300, kMe, "me")});
  const auto found = find_resumable(mine, "tictactoe", kMe, {opponent::kind::bot, {}});
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->match_id(), 2u);
  EXPECT_FALSE(find_resumable(mine, "chess", kMe, {opponent::kind::bot, {}}).has_value());
}

TEST(MatchRequests, ResumesAGameAgainstTheUserOrMyInvitationToThem) {
  auto against_bobby = open_match(1, 100, kMe, "me");
  against_bobby.set_status(v1::MatchInfo::ACTIVE);
  against_bobby.mutable_players(1)->set_user_id(2);
  against_bobby.mutable_players(1)->set_username("bobby");
  const auto mine = list_of({against_bobby, open_match(2, 200, kMe, "me", {"carol"}), open_match(3, 300, kMe, "me")});
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {opponent::kind::user, "BOBBY"})->match_id(), 1u);
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {opponent::kind::user, "carol"})->match_id(), 2u);
  EXPECT_FALSE(find_resumable(mine, "tictactoe", kMe, {opponent::kind::user, "dave"}).has_value());
  // --vs open waits again in its own public open match, not in an invitation.
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {})->match_id(), 3u);
}

// Issue 8: `guildhall play --time 5+3` resumed an older open match with another clock.
TEST(MatchRequests, ResumesAnOpenMatchOnlyWhenItsClockFitsTime) {
  auto waiting = open_match(1, 100, kMe, "me");
  waiting.mutable_time_control()->set_initial_ms(60'000);
  const auto mine = list_of({waiting});
  v1::TimeControl blitz;
  blitz.set_initial_ms(5 * 60'000);
  blitz.set_increment_ms(3'000);
  EXPECT_FALSE(find_resumable(mine, "tictactoe", kMe, {}, blitz).has_value());
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {}, waiting.time_control())->match_id(), 1u);
  EXPECT_EQ(find_resumable(mine, "tictactoe", kMe, {})->match_id(), 1u) << "without --time any clock fits";

  // A game under way is the game the player left: resumed whatever --time says.
  auto playing = open_match(2, 200, kMe, "me", {"bobby"});
  playing.set_status(v1::MatchInfo::ACTIVE);
  playing.mutable_players(1)->set_user_id(2);
  playing.mutable_players(1)->set_username("bobby");
  EXPECT_EQ(find_resumable(list_of({playing}), "tictactoe", kMe, {opponent::kind::user, "bobby"}, blitz)->match_id(), 2u);
}

TEST(MatchRequests, MayJoinOnlyAFreeSeatOpenToMe) {
  EXPECT_TRUE(may_join(open_match(1, 0, 2, "bobby"), kMe, "me"));
  EXPECT_TRUE(may_join(open_match(1, 0, 2, "bobby", {"me"}), kMe, "me"));
  EXPECT_FALSE(may_join(open_match(1, 0, 2, "bobby", {"carol"}), kMe, "me"));
  EXPECT_FALSE(may_join(open_match(1, 0, kMe, "me"), kMe, "me"));
  auto started = open_match(1, 0, 2, "bobby");
  started.set_status(v1::MatchInfo::ACTIVE);
  EXPECT_FALSE(may_join(started, kMe, "me"));
}

TEST(MatchRequests, InvitedNamesListTheFreeSeatsReservations) {
  EXPECT_EQ(invited_names(open_match(1, 0, 2, "bobby")), "");
  EXPECT_EQ(invited_names(open_match(1, 0, 2, "bobby", {"carol", "dave"})), "carol, dave");
}

TEST(MatchRequests, CreateMatchRequestsForEachOpponent) {
  v1::TimeControl clock;
  clock.set_initial_ms(60'000);
  const auto bot = create_match_request("chess", {opponent::kind::bot, {}}, clock, v1::SEAT_FIRST, false);
  EXPECT_EQ(bot.create_match().game(), "chess");
  EXPECT_TRUE(bot.create_match().bot().enabled());
  EXPECT_EQ(bot.create_match().seat(), v1::SEAT_FIRST);
  EXPECT_EQ(bot.create_match().time_control().initial_ms(), 60'000u);
  const auto invite = create_match_request("chess", {opponent::kind::user, "bobby"}, clock, v1::SEAT_ANY, true);
  ASSERT_EQ(invite.create_match().invite_size(), 1);
  EXPECT_EQ(invite.create_match().invite(0), "bobby");
  EXPECT_TRUE(invite.create_match().rated());
  const auto open = create_match_request("tictactoe", {}, clock, v1::SEAT_ANY, false);
  EXPECT_FALSE(open.create_match().bot().enabled());
  EXPECT_EQ(open.create_match().invite_size(), 0);
}

}  // namespace
}  // namespace guildhall::cli
