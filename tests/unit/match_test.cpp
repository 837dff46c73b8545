// services::match, the engine's rules, with an injected clock: seats and invitations, turn order, clocks and
// increments, flag falls (and the lone king that cannot win on time), draw offers, abort, adjudication.
#include "services/turns/match.hpp"

#include <gtest/gtest.h>

#include "games/chess/chess_game.hpp"
#include "games/tictactoe/tictactoe.hpp"

namespace guildhall::services {
namespace {

constexpr std::int64_t kT0 = 1'800'000'000'000;
const player_ref kAda{1, "ada", false, 0};
const player_ref kBob{2, "bob", false, 0};

store::match_record header(std::int64_t initial_ms = 0, std::int64_t increment_ms = 0) {
  store::match_record record;
  record.id = 42;
  record.game = "tictactoe";
  record.seats.resize(2);
  record.seats[0] = store::match_seat{kAda.user_id, kAda.username, false, 0, {}};
  record.initial_ms = initial_ms;
  record.increment_ms = increment_ms;
  return record;
}

match started(const turn_game& game, store::match_record record, std::int64_t now = kT0) {
  auto created = match::create(game, std::move(record), now);
  EXPECT_TRUE(created.has_value());
  EXPECT_TRUE(created->join(kBob, now).has_value());
  return std::move(*created);
}

TEST(Match, StartsWhenTheLastSeatIsTakenAndKeepsStrictTurns) {
  games::tictactoe_game game;
  auto created = match::create(game, header(), kT0);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->record().status, store::match_status::open);
  EXPECT_EQ(created->play(kAda.user_id, "4", std::nullopt, kT0).error().code, errc::match_closed);
  ASSERT_EQ(created->join(kBob, kT0).value(), 1);
  EXPECT_TRUE(created->active());
  EXPECT_EQ(created->join(player_ref{3, "carl", false, 0}, kT0).error().code, errc::match_closed);
  EXPECT_EQ(created->play(kBob.user_id, "4", std::nullopt, kT0).error().code, errc::not_your_turn);
  EXPECT_EQ(created->play(99, "4", std::nullopt, kT0).error().code, errc::not_player);
  ASSERT_TRUE(created->play(kAda.user_id, "4", std::nullopt, kT0));
  EXPECT_EQ(created->play(kBob.user_id, "0", 7, kT0).error().code, errc::not_your_turn);  // stale ply
  EXPECT_EQ(created->play(kBob.user_id, "4", 1, kT0).error().code, errc::illegal_move);
  EXPECT_EQ(created->record().ply, 1u);
  EXPECT_EQ(created->record().to_move, 1);
  ASSERT_TRUE(created->play(kBob.user_id, "0", 1, kT0));
  // Ply 0 is a real expectation ("I have seen no move"), not "unchecked": X's second device is refused.
  EXPECT_EQ(created->play(kAda.user_id, "8", 0, kT0).error().code, errc::not_your_turn);
  EXPECT_TRUE(created->play(kAda.user_id, "8", 2, kT0));
}

TEST(Match, InvitationsReserveTheSeat) {
  games::tictactoe_game game;
  auto record = header();
  record.seats[1].invited = {"Bob"};
  auto created = match::create(game, record, kT0);
  EXPECT_EQ(created->join(player_ref{3, "carl", false, 0}, kT0).error().code, errc::match_closed);
  EXPECT_TRUE(created->join(kBob, kT0));  // names compare without case
}

TEST(Match, TheClockRunsOnlyOnTheMoversTurnAndGainsTheIncrement) {
  games::tictactoe_game game;
  auto m = started(game, header(10'000, 1'000));
  ASSERT_TRUE(m.play(kAda.user_id, "4", std::nullopt, kT0 + 1'000));  // 11 s: no clock ran before this first move
  ASSERT_TRUE(m.play(kBob.user_id, "0", std::nullopt, kT0 + 2'000));
  EXPECT_TRUE(m.clock_running());
  EXPECT_EQ(m.remaining_ms(0, kT0 + 5'000), 8'000);
  EXPECT_EQ(m.remaining_ms(1, kT0 + 5'000), 11'000);
  auto moved = m.play(kAda.user_id, "8", std::nullopt, kT0 + 5'000);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->clock_ms, 9'000);  // 11 s - 3 s + 1 s
  EXPECT_EQ(m.remaining_ms(0, kT0 + 7'000), 9'000);
  EXPECT_EQ(m.remaining_ms(1, kT0 + 7'000), 9'000);
}

// Regression: clocks ran from the start of the match, so a player could lose on time before moving.
TEST(Match, NobodysClockRunsBeforeTheirFirstMove) {
  games::tictactoe_game game;
  turns_config config;
  config.first_move_deadline_ms = 60'000;
  auto m = started(game, header(5'000));
  EXPECT_FALSE(m.clock_running());
  EXPECT_FALSE(m.expire(kT0 + 30'000, config));  // 30 s on a 5 s clock, but white has not moved yet
  EXPECT_EQ(m.remaining_ms(0, kT0 + 30'000), 5'000);
  ASSERT_TRUE(m.play(kAda.user_id, "4", std::nullopt, kT0 + 30'000));
  EXPECT_EQ(m.moves().back().clock_ms, 5'000);
  EXPECT_FALSE(m.expire(kT0 + 60'000, config));  // nor does black's, before its own first move
  EXPECT_EQ(m.remaining_ms(1, kT0 + 60'000), 5'000);
  ASSERT_TRUE(m.play(kBob.user_id, "0", std::nullopt, kT0 + 60'000));
  EXPECT_TRUE(m.clock_running());  // from now on both clocks count
  EXPECT_FALSE(m.expire(kT0 + 64'999, config));
  EXPECT_TRUE(m.expire(kT0 + 65'000, config));
  EXPECT_EQ(m.record().winner, 1);
  EXPECT_EQ(m.record().result_reason, "time");
}

TEST(Match, ASideThatNeverMakesItsFirstMoveHasTheMatchAborted) {
  games::tictactoe_game game;
  turns_config config;
  config.first_move_deadline_ms = 20'000;
  auto m = started(game, header(5'000));
  EXPECT_FALSE(m.expire(kT0 + 19'999, config));
  EXPECT_TRUE(m.expire(kT0 + 20'000, config));
  EXPECT_EQ(m.record().status, store::match_status::aborted);
  EXPECT_EQ(m.record().result_reason, "no first move");
  auto second = started(game, header(5'000));  // black's deadline counts from its own turn
  ASSERT_TRUE(second.play(kAda.user_id, "4", std::nullopt, kT0 + 15'000));
  EXPECT_FALSE(second.expire(kT0 + 34'999, config));
  EXPECT_TRUE(second.expire(kT0 + 35'000, config));
  EXPECT_EQ(second.record().status, store::match_status::aborted);
}

// Regression: a restart charged the time the server was down to the player to move.
TEST(Match, AfterARestartTheClockResumesFromTheRestart) {
  games::tictactoe_game game;
  auto m = started(game, header(10'000));
  ASSERT_TRUE(m.play(kAda.user_id, "4", std::nullopt, kT0));
  ASSERT_TRUE(m.play(kBob.user_id, "0", std::nullopt, kT0 + 1'000));  // ada's clock runs from here
  auto restored = match::restore(game, m.record(), m.moves());
  ASSERT_TRUE(restored);
  restored->resume_after_restart(kT0 + 60'000);  // the server was away for a minute
  EXPECT_FALSE(restored->expire(kT0 + 60'000, turns_config{}));
  EXPECT_EQ(restored->remaining_ms(0, kT0 + 62'000), 8'000);
  EXPECT_EQ(restored->remaining_ms(1, kT0 + 62'000), 10'000);
}

TEST(Match, AFallenFlagLosesAndIsNoticedWithoutAMove) {
  games::tictactoe_game game;
  auto m = started(game, header(5'000));
  const turns_config config;
  ASSERT_TRUE(m.play(kAda.user_id, "4", std::nullopt, kT0));
  ASSERT_TRUE(m.play(kBob.user_id, "0", std::nullopt, kT0));
  EXPECT_FALSE(m.expire(kT0 + 4'999, config));
  EXPECT_TRUE(m.expire(kT0 + 5'000, config));
  EXPECT_EQ(m.record().status, store::match_status::finished);
  EXPECT_EQ(m.record().winner, 1);
  EXPECT_EQ(m.record().result_reason, "time");
  EXPECT_EQ(m.record().clock_ms[0], 0);
}

TEST(Match, ALoneKingCannotWinOnTime) {
  games::chess::chess_game chess;
  auto record = header(5'000);
  record.game = "chess";
  record.options = {{"fen", "4k3/8/8/8/8/8/4P3/4K2R w K - 0 1"}};  // black has only its king
  auto m = started(chess, record);
  ASSERT_TRUE(m.play(kAda.user_id, "e3", std::nullopt, kT0));
  ASSERT_TRUE(m.play(kBob.user_id, "Kd7", std::nullopt, kT0));
  EXPECT_TRUE(m.expire(kT0 + 6'000, turns_config{}));
  EXPECT_EQ(m.record().winner, -1);
  EXPECT_EQ(m.record().result_reason, "time, and the opponent cannot win");
}

TEST(Match, ADrawOfferLapsesWhenTheOpponentMovesAndStandsOtherwise) {
  games::tictactoe_game game;
  auto m = started(game, header());
  ASSERT_TRUE(m.offer_draw(kAda.user_id, kT0));
  EXPECT_EQ(m.accept_draw(kAda.user_id, kT0).error().code, errc::invalid_argument);  // not one's own offer
  ASSERT_TRUE(m.play(kAda.user_id, "4", std::nullopt, kT0));
  EXPECT_EQ(m.record().draw_offered_by, 0);  // the offerer moving keeps it
  ASSERT_TRUE(m.play(kBob.user_id, "0", std::nullopt, kT0));
  EXPECT_EQ(m.record().draw_offered_by, -1);  // the opponent moving declines it
  ASSERT_TRUE(m.offer_draw(kBob.user_id, kT0));
  ASSERT_TRUE(m.offer_draw(kAda.user_id, kT0));  // offering back accepts
  EXPECT_EQ(m.record().status, store::match_status::finished);
  EXPECT_EQ(m.record().result_reason, "agreement");
}

TEST(Match, AbortOnlyBeforeBothHaveMovedAndResignHandsTheWin) {
  games::tictactoe_game game;
  auto m = started(game, header());
  ASSERT_TRUE(m.play(kAda.user_id, "4", std::nullopt, kT0));
  ASSERT_TRUE(m.play(kBob.user_id, "0", std::nullopt, kT0));
  EXPECT_EQ(m.abort(kAda.user_id, kT0).error().code, errc::match_closed);
  ASSERT_TRUE(m.resign(kAda.user_id, kT0));
  EXPECT_EQ(m.record().winner, 1);
  auto early = started(game, header());
  ASSERT_TRUE(early.abort(kBob.user_id, kT0));
  EXPECT_EQ(early.record().status, store::match_status::aborted);
}

TEST(Match, APlayerWhoNeverReturnsIsAdjudicated) {
  games::tictactoe_game game;
  turns_config config;
  config.move_deadline_ms = 60'000;
  auto fresh = started(game, header());
  EXPECT_TRUE(fresh.expire(kT0 + 60'000, config));
  EXPECT_EQ(fresh.record().status, store::match_status::aborted);  // it had barely begun
  auto m = started(game, header());
  ASSERT_TRUE(m.play(kAda.user_id, "4", std::nullopt, kT0));
  ASSERT_TRUE(m.play(kBob.user_id, "0", std::nullopt, kT0 + 1'000));
  EXPECT_FALSE(m.expire(kT0 + 60'999, config));
  EXPECT_TRUE(m.expire(kT0 + 61'000, config));
  EXPECT_EQ(m.record().winner, 1);
  EXPECT_EQ(m.record().result_reason, "abandoned");
}

TEST(Match, AnOpenMatchNobodyJoinsIsCancelledAndTheLastLeaverCancelsIt) {
  games::tictactoe_game game;
  turns_config config;
  config.open_match_ttl_ms = 1'000;
  auto waiting = match::create(game, header(), kT0);
  EXPECT_TRUE(waiting->expire(kT0 + 1'000, config));
  EXPECT_EQ(waiting->record().status, store::match_status::aborted);
  auto left = match::create(game, header(), kT0);
  ASSERT_TRUE(left->leave_open(kAda.user_id, kT0));
  EXPECT_EQ(left->record().status, store::match_status::aborted);
}

// Regression: an open match whose creator had gone stayed listed and joinable until open_match_ttl_ms.
TEST(Match, AnOpenMatchWhoseCreatorStaysAwayExpires) {
  games::tictactoe_game game;
  turns_config config;
  config.open_match_offline_ttl_ms = 300'000;
  auto waiting = match::create(game, header(), kT0);
  EXPECT_TRUE(waiting->seated_players_present());
  EXPECT_FALSE(waiting->set_present(kAda.user_id, true, kT0));  // no change
  EXPECT_FALSE(waiting->set_present(kBob.user_id, false, kT0));  // not seated
  EXPECT_TRUE(waiting->set_present(kAda.user_id, false, kT0 + 1'000));
  EXPECT_FALSE(waiting->seated_players_present());
  EXPECT_TRUE(waiting->set_present(kAda.user_id, true, kT0 + 2'000));  // back: the wait starts over
  EXPECT_TRUE(waiting->set_present(kAda.user_id, false, kT0 + 10'000));
  EXPECT_FALSE(waiting->expire(kT0 + 309'999, config));
  EXPECT_TRUE(waiting->expire(kT0 + 310'000, config));
  EXPECT_EQ(waiting->record().status, store::match_status::aborted);
  EXPECT_EQ(waiting->record().result_reason, "creator offline");

  auto present = match::create(game, header(), kT0);  // a creator who stays is never withdrawn for it
  EXPECT_FALSE(present->expire(kT0 + 3'600'000, config));
  config.open_match_offline_ttl_ms = 0;  // 0: never
  auto kept = match::create(game, header(), kT0);
  kept->set_present(kAda.user_id, false, kT0);
  EXPECT_FALSE(kept->expire(kT0 + 3'600'000, config));
}

TEST(Match, AfterARestartAnOpenMatchsCreatorIsAwayUntilTheyConnect) {
  games::tictactoe_game game;
  turns_config config;
  config.open_match_offline_ttl_ms = 60'000;
  auto created = match::create(game, header(), kT0);
  auto restored = match::restore(game, created->record(), {});
  restored->resume_after_restart(kT0 + 5'000);
  EXPECT_FALSE(restored->seated_players_present());
  EXPECT_FALSE(restored->expire(kT0 + 64'999, config));
  EXPECT_TRUE(restored->expire(kT0 + 65'000, config));
}

TEST(Match, RestoreRebuildsTheSameMatch) {
  games::tictactoe_game game;
  auto m = started(game, header());
  ASSERT_TRUE(m.play(kAda.user_id, "4", std::nullopt, kT0));
  auto restored = match::restore(game, m.record(), m.moves());
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->view_for(-1), "....X....");
  EXPECT_EQ(restored->record().to_move, 1);
  EXPECT_TRUE(restored->play(kBob.user_id, "0", 1, kT0));
  auto corrupt = m.record();
  corrupt.state = "XXXXXXXXX";
  EXPECT_FALSE(match::restore(game, corrupt, {}));
}

}  // namespace
}  // namespace guildhall::services
