// cli/match_render: the match screen's words and numbers - clocks, move numbering, results, whose turn - and
// its layout: the viewer at the bottom, the board turned for black, a move list that fits the screen.
#include "cli/match_render.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace guildhall::cli {
namespace {

using status = client::match_info::status;

client::move_record record(std::uint32_t ply, int seat, const std::string& move, const std::string& display) {
  return {.ply = ply, .seat = seat, .move = move, .display = display};
}

client::match_snapshot chess_snapshot(int your_seat) {
  client::match_snapshot snap;
  auto& info = snap.info;
  info.match_id = 42;
  info.game = "chess";
  info.state = status::active;
  info.ply = 2;
  info.to_move = 0;
  info.draw_offered_by = -1;
  info.initial_ms = 300'000;
  info.increment_ms = 3'000;
  info.clock_ms = {299'000, 301'500};
  info.clock_running = true;  // both have moved
  info.players.push_back({.user_id = 1, .username = "alice"});
  info.players.push_back({.user_id = 2, .username = "GuildhallBot", .bot = true});
  snap.your_seat = your_seat;
  snap.view = "rnbqkbnr/pppp1ppp/8/4p3/4P3/8/PPPP1PPP/RNBQKBNR w KQkq e6 0 2";
  snap.moves = {record(1, 0, "e2e4", "e4"), record(2, 1, "e7e5", "e5")};
  return snap;
}

match_state state_of(const client::match_snapshot& snap) {
  match_state state;
  state.apply(snap, 0);
  return state;
}

bool has_line(const std::vector<std::string>& lines, std::string_view text) {
  return std::ranges::any_of(lines, [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

TEST(MatchRender, ClocksShowWholeSecondsRoundedUp) {
  EXPECT_EQ(format_clock(0), "0:00");
  EXPECT_EQ(format_clock(-5), "0:00");
  EXPECT_EQ(format_clock(1), "0:01");
  EXPECT_EQ(format_clock(1'000), "0:01");
  EXPECT_EQ(format_clock(1'001), "0:02");
  EXPECT_EQ(format_clock(59'999), "1:00");
  EXPECT_EQ(format_clock(600'000), "10:00");
  EXPECT_EQ(format_clock(3'723'000), "1:02:03");
}

TEST(MatchRender, TimeControlsInTheirUsualNotation) {
  EXPECT_EQ(format_time_control({}), "no clock");
  EXPECT_EQ(format_time_control({.initial_ms = 300'000, .increment_ms = 3'000}), "5+3");
  EXPECT_EQ(format_time_control({.initial_ms = 30'000, .increment_ms = 0}), "0.5+0");
}

TEST(MatchRender, ChessMovesArePairedAndNumbered) {
  std::vector<client::move_record> moves{record(1, 0, "e2e4", "e4"), record(2, 1, "e7e5", "e5"),
                                    record(3, 0, "g1f3", "Nf3")};
  EXPECT_EQ(move_list_rows("chess", moves), (std::vector<std::string>{"  1. e4         e5", "  2. Nf3"}));
  EXPECT_EQ(move_label("chess", moves, 0), "1. e4");
  EXPECT_EQ(move_label("chess", moves, 1), "1... e5");
  EXPECT_EQ(move_label("chess", moves, 2), "2. Nf3");
}

TEST(MatchRender, GameStartingWithBlackToMoveLeavesWhitesFirstMoveEmpty) {
  std::vector<client::move_record> moves{record(1, 1, "e7e5", "e5"), record(2, 0, "g1f3", "Nf3")};
  EXPECT_EQ(move_list_rows("chess", moves), (std::vector<std::string>{"  1. ...        e5", "  2. Nf3"}));
  EXPECT_EQ(move_label("chess", moves, 0), "1... e5");
}

TEST(MatchRender, TicTacToeMovesReadAsTheGameDisplaysThem) {
  std::vector<client::move_record> moves{record(1, 0, "4", "X centre"), record(2, 1, "0", "O top left")};
  EXPECT_EQ(move_list_rows("tictactoe", moves), (std::vector<std::string>{"  1. X centre   O top left"}));
  EXPECT_EQ(move_label("tictactoe", moves, 1), "O top left");
  std::vector<client::move_record> bare{record(1, 0, "4", "")};  // a game without display text: seat label + move
  EXPECT_EQ(move_label("tictactoe", bare, 0), "X 4");
}

TEST(MatchRender, ResultsInWords) {
  auto snap = chess_snapshot(0);
  EXPECT_EQ(describe_result(state_of(snap)), "");
  snap.info.state = status::finished;
  snap.info.winner = 1;
  snap.info.result_reason = "checkmate";
  EXPECT_EQ(describe_result(state_of(snap)), "GuildhallBot (black) wins - checkmate");
  snap.info.winner = -1;
  snap.info.result_reason = "agreement";
  EXPECT_EQ(describe_result(state_of(snap)), "draw - agreement");
  snap.info.state = status::aborted;
  snap.info.result_reason = "aborted";
  EXPECT_EQ(describe_result(state_of(snap)), "aborted - aborted");
}

TEST(MatchRender, WhiteSeesTheBoardFromWhitesSideWithClocksAndTurn) {
  const auto lines = render_match(state_of(chess_snapshot(0)), 0, {});
  ASSERT_GE(lines.size(), 12u);
  EXPECT_EQ(lines[0], "chess  match 42  5+3  casual");
  EXPECT_EQ(lines[2].substr(0, 28), "     a  b  c  d  e  f  g  h ");
  // The opponent at the top, the viewer at the bottom, the seat to move marked.
  EXPECT_NE(lines[2].find("  black  GuildhallBot (bot)"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("5:02"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find("> white  alice (you)"), std::string::npos) << lines[3];
  EXPECT_NE(lines[3].find("4:59"), std::string::npos) << lines[3];
  EXPECT_TRUE(has_line(lines, "your move"));
  EXPECT_TRUE(has_line(lines, "last move: 1... e5"));
  EXPECT_TRUE(has_line(lines, "1. e4         e5"));
  EXPECT_TRUE(has_line(lines, "  5  .  .  .  . [p] .  .  .  5"));
}

TEST(MatchRender, BlackSeesTheBoardTurnedAndWaits) {
  const auto lines = render_match(state_of(chess_snapshot(1)), 0, {});
  EXPECT_EQ(lines[2].substr(0, 28), "     h  g  f  e  d  c  b  a ");
  EXPECT_NE(lines[2].find("> white  alice"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find("  black  GuildhallBot (you) (bot)"), std::string::npos) << lines[3];
  EXPECT_TRUE(has_line(lines, "waiting for alice to move"));
}

TEST(MatchRender, ClockRunsDownForTheSeatToMove) {
  const auto lines = render_match(state_of(chess_snapshot(0)), 10'000, {});
  EXPECT_NE(lines[3].find("4:49"), std::string::npos) << lines[3];
  EXPECT_NE(lines[2].find("5:02"), std::string::npos) << lines[2];
}

TEST(MatchRender, SpectatorSeesSeatZeroAtTheBottomAndWhoIsToMove) {
  const auto lines = render_match(state_of(chess_snapshot(-1)), 0, {});
  EXPECT_NE(lines[0].find("(watching)"), std::string::npos);
  EXPECT_NE(lines[3].find("white  alice"), std::string::npos) << lines[3];
  EXPECT_TRUE(has_line(lines, "white to move"));
}

TEST(MatchRender, DrawOfferIsShownWithWhatToType) {
  auto snap = chess_snapshot(0);
  snap.info.draw_offered_by = 1;
  EXPECT_TRUE(has_line(render_match(state_of(snap), 0, {}), "GuildhallBot (bot) offers a draw: /draw or /decline"));
  snap.info.draw_offered_by = 0;
  EXPECT_TRUE(has_line(render_match(state_of(snap), 0, {}), "you offered a draw"));
}

TEST(MatchRender, OpenMatchWaitsForAnOpponentOrTheInvitedPlayer) {
  auto snap = chess_snapshot(0);
  snap.info.state = status::open;
  snap.info.to_move = -1;
  snap.info.ply = 0;
  snap.moves.clear();
  auto& free_seat = snap.info.players[1];
  free_seat = {};
  EXPECT_TRUE(has_line(render_match(state_of(snap), 0, {}), "waiting for an opponent to join"));
  free_seat.invited.push_back("bobby");
  EXPECT_TRUE(has_line(render_match(state_of(snap), 0, {}), "waiting for bobby (invited) to join"));
}

TEST(MatchRender, FinishedGameSaysWhoWonAndToWhom) {
  auto snap = chess_snapshot(0);
  snap.info.state = status::finished;
  snap.info.to_move = -1;
  snap.info.winner = 0;
  snap.info.result_reason = "resignation";
  const auto lines = render_match(state_of(snap), 0, {});
  EXPECT_TRUE(has_line(lines, "game over: alice (white) wins - resignation"));
  EXPECT_TRUE(has_line(lines, "you win!"));
  EXPECT_FALSE(has_line(lines, "> "));  // nobody is to move
}

TEST(MatchRender, LongMoveListShowsItsLatestRowsToFitTheScreen) {
  auto snap = chess_snapshot(0);
  snap.moves.clear();
  for (std::uint32_t ply = 1; ply <= 60; ++ply) {
    snap.moves.push_back(record(ply, static_cast<int>((ply + 1) % 2), "a1a2", "m" + std::to_string(ply)));
  }
  snap.info.ply = 60;
  const auto all = render_match(state_of(snap), 0, {});
  EXPECT_TRUE(has_line(all, "  1. m1"));
  const auto fitted = render_match(state_of(snap), 0, {.max_rows = 20});
  EXPECT_LE(fitted.size(), 20u);
  EXPECT_FALSE(has_line(fitted, "  1. m1"));
  EXPECT_TRUE(has_line(fitted, " 30. m59"));
}

TEST(MatchRender, ViewThatIsNotABoardIsShownAsAnError) {
  auto snap = chess_snapshot(0);
  snap.view = "garbage";
  EXPECT_TRUE(has_line(render_match(state_of(snap), 0, {}), "(not a chess position: 'garbage')"));
}

}  // namespace
}  // namespace guildhall::cli
