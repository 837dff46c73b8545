// cli/match_state: the client's picture of a match from snapshots and events - overlaps and late answers
// change nothing, a missed move is noticed, and clocks run down for the seat to move only.
#include "cli/match_state.hpp"

#include <gtest/gtest.h>

namespace guildhall::cli {
namespace {

constexpr std::uint64_t kMatch = 77;

using status = client::match_info::status;

client::match_info active_info(std::uint32_t ply, int to_move, std::int64_t clock0_ms = 60'000,
                               std::int64_t clock1_ms = 60'000) {
  client::match_info info{.match_id = kMatch, .game = "tictactoe", .state = status::active};
  info.ply = ply;
  info.to_move = to_move;
  info.initial_ms = 60'000;
  info.clock_ms = {clock0_ms, clock1_ms};
  info.clock_running = true;
  info.draw_offered_by = -1;
  for (const char* name : {"alice", "bobby"}) info.players.push_back({.username = name});
  return info;
}

client::move_record move(std::uint32_t ply, const std::string& cell) {
  return {.ply = ply, .seat = static_cast<int>((ply + 1) % 2), .move = cell, .display = cell};
}

client::match_snapshot snapshot(std::uint32_t ply, int your_seat, std::vector<client::move_record> moves) {
  return {.info = active_info(ply, static_cast<int>(ply % 2)), .your_seat = your_seat, .view = ".........",
          .moves = std::move(moves)};
}

client::match_event moved(std::uint32_t ply, const std::string& cell) {
  return {.what = client::match_event::kind::moved, .info = active_info(ply, static_cast<int>(ply % 2)),
          .move = move(ply, cell), .view = "view after " + std::to_string(ply)};
}

TEST(MatchState, SnapshotThenEventsBuildTheMoveList) {
  match_state state;
  EXPECT_TRUE(state.empty());
  ASSERT_TRUE(state.apply(snapshot(1, 1, {move(1, "4")}), 0));
  EXPECT_EQ(state.match_id(), kMatch);
  EXPECT_EQ(state.your_seat(), 1);
  EXPECT_TRUE(state.my_turn());
  ASSERT_TRUE(state.apply(moved(2, "0"), 10));
  EXPECT_FALSE(state.my_turn());
  ASSERT_EQ(state.moves().size(), 2u);
  EXPECT_EQ(state.moves()[1].move, "0");
  EXPECT_EQ(state.view(), "view after 2");
}

TEST(MatchState, EventsAlreadySeenAreNotAddedTwice) {
  match_state state;
  ASSERT_TRUE(state.apply(snapshot(2, 0, {move(1, "4"), move(2, "0")}), 0));
  ASSERT_TRUE(state.apply(moved(2, "0"), 5));  // also in the snapshot
  EXPECT_EQ(state.moves().size(), 2u);
}

TEST(MatchState, MissedMoveIsReportedAsAGap) {
  match_state state;
  ASSERT_TRUE(state.apply(snapshot(1, 0, {move(1, "4")}), 0));
  EXPECT_FALSE(state.apply(moved(3, "8"), 5));
  EXPECT_EQ(state.moves().size(), 1u);
  // open_match with after_ply = 1 fills it in.
  EXPECT_TRUE(state.apply(snapshot(3, 0, {move(2, "0"), move(3, "8")}), 6));
  EXPECT_EQ(state.moves().size(), 3u);
}

TEST(MatchState, SnapshotWithoutMovesAfterMovesWeNeverSawIsAGap) {
  match_state state;
  ASSERT_TRUE(state.apply(snapshot(0, 0, {}), 0));
  // An act answer carries no moves; it says two were made.
  EXPECT_FALSE(state.apply(snapshot(2, 0, {}), 1));
}

TEST(MatchState, LateAnswerDoesNotTurnTheClockBack) {
  match_state state;
  ASSERT_TRUE(state.apply(snapshot(2, 0, {move(1, "4"), move(2, "0")}), 0));
  ASSERT_TRUE(state.apply(moved(3, "8"), 5));
  EXPECT_TRUE(state.apply(snapshot(2, 0, {}), 6));
  EXPECT_EQ(state.info().ply, 3u);
  EXPECT_EQ(state.view(), "view after 3");
}

TEST(MatchState, EventsOfOtherMatchesAreIgnored) {
  match_state state;
  ASSERT_TRUE(state.apply(snapshot(0, 0, {}), 0));
  auto other = moved(1, "4");
  other.info.match_id = kMatch + 1;
  EXPECT_TRUE(state.apply(other, 1));
  EXPECT_TRUE(state.moves().empty());
}

TEST(MatchState, OnlyTheClockOfTheSeatToMoveRuns) {
  match_state state;
  auto snap = snapshot(0, 0, {});
  snap.info = active_info(0, 0, 60'000, 45'000);
  ASSERT_TRUE(state.apply(snap, 1'000));
  EXPECT_EQ(state.clock_ms(0, 1'000), 60'000);
  EXPECT_EQ(state.clock_ms(0, 3'500), 57'500);
  EXPECT_EQ(state.clock_ms(1, 3'500), 45'000);
  EXPECT_EQ(state.clock_ms(0, 100'000), 0);  // never below zero while the server has not flagged yet
}

TEST(MatchState, AClockTheServerHasNotStartedStandsStill) {
  match_state state;
  auto snap = snapshot(0, 0, {});
  snap.info = active_info(0, 0, 60'000, 60'000);
  snap.info.clock_running = false;  // white has not made a first move yet
  ASSERT_TRUE(state.apply(snap, 1'000));
  EXPECT_FALSE(state.clock_running());
  EXPECT_EQ(state.clock_ms(0, 30'000), 60'000);
}

TEST(MatchState, MatchWithoutClockHasNoClocks) {
  match_state state;
  auto snap = snapshot(0, 0, {});
  snap.info.initial_ms = 0;
  ASSERT_TRUE(state.apply(snap, 0));
  EXPECT_FALSE(state.clock_ms(0, 0).has_value());
  EXPECT_FALSE(state.clock_running());
  EXPECT_FALSE(state.next_tick_ms(0).has_value());
}

TEST(MatchState, NextTickIsWhenTheShownSecondChanges) {
  match_state state;
  auto snap = snapshot(0, 0, {});
  snap.info = active_info(0, 0, 10'250, 60'000);
  ASSERT_TRUE(state.apply(snap, 0));
  EXPECT_EQ(state.next_tick_ms(0), 250);    // 0:11 until 10.000 s are left
  EXPECT_EQ(state.next_tick_ms(250), 1000);  // 0:10 until 9.000 s
  EXPECT_FALSE(state.next_tick_ms(10'250).has_value());  // 0:00: nothing more to show
}

TEST(MatchState, FinishedMatchHasNoRunningClockAndNoTurn) {
  match_state state;
  auto snap = snapshot(5, 0, {move(1, "0"), move(2, "3"), move(3, "1"), move(4, "4"), move(5, "2")});
  snap.info.state = status::finished;
  snap.info.to_move = -1;
  ASSERT_TRUE(state.apply(snap, 0));
  EXPECT_TRUE(state.over());
  EXPECT_FALSE(state.my_turn());
  EXPECT_FALSE(state.clock_running());
  EXPECT_EQ(state.draw_offered_by(), -1);
}

}  // namespace
}  // namespace guildhall::cli
