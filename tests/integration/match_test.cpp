// Turn-based matches over real sockets, with tic-tac-toe: full games, every refusal class, the race for a turn,
// spectators, draws, resignation, abort, clocks, bots, ratings and leaderboards.
#include <gtest/gtest.h>

#include <thread>

#include "match_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

struct table {
  explicit table(std::vector<std::string> settings = {"turns.sweep_interval_ms=20"}) : server(std::move(settings)) {}
  server_process server;
  v1::AuthSession ada_session = register_user(server.http_port(), "ada", "long enough");
  v1::AuthSession bob_session = register_user(server.http_port(), "bob", "long enough");
  blocking_client ada = connect(transport::tcp, ada_session);
  blocking_client bob = connect(transport::ws_json, bob_session);

  blocking_client connect(transport kind, const v1::AuthSession& session) {
    blocking_client client(kind, kind == transport::tcp ? server.tcp_port() : server.http_port());
    EXPECT_TRUE(client.authenticate(session.token()).has_authenticated());
    return client;
  }

  // ada (X, seat 0) creates, bob joins; both have seen STARTED.
  std::uint64_t start(match_options options = {}) {
    while (next_event(ada, 50ms)) {}
    while (next_event(bob, 50ms)) {}
    const auto created = create_match(ada, options);
    EXPECT_TRUE(created.has_match_snapshot()) << created.DebugString();
    const auto id = created.match_snapshot().info().match_id();
    EXPECT_EQ(created.match_snapshot().info().status(), v1::MatchInfo::OPEN);
    const auto joined = join_match(bob, id);
    EXPECT_TRUE(joined.has_match_snapshot()) << joined.DebugString();
    EXPECT_EQ(joined.match_snapshot().your_seat(), 1);
    EXPECT_EQ(joined.match_snapshot().info().status(), v1::MatchInfo::ACTIVE);
    const auto started = next_event(ada);
    EXPECT_TRUE(started && started->kind() == v1::MatchEvent::STARTED);
    if (started) {
      EXPECT_EQ(started->legal_moves_size(), 9);  // ada is to move
    }
    const auto bob_started = next_event(bob);
    EXPECT_TRUE(bob_started && bob_started->kind() == v1::MatchEvent::STARTED && bob_started->legal_moves_size() == 0);
    return id;
  }
};

TEST(Matches, TwoPlayersPlayAGameToTheEndAndBothSeeEveryMoveInOrder) {
  table t;
  const auto id = t.start();
  const std::vector<std::pair<blocking_client*, std::string>> moves = {
      {&t.ada, "4"}, {&t.bob, "0"}, {&t.ada, "2"}, {&t.bob, "6"}, {&t.ada, "3"}, {&t.bob, "5"}, {&t.ada, "1"},
      {&t.bob, "7"}, {&t.ada, "8"}};
  std::uint32_t ply = 0;
  for (const auto& [player, move] : moves) {
    const auto accepted = play(*player, id, move, ply);
    ASSERT_TRUE(accepted.has_move_accepted()) << accepted.DebugString();
    EXPECT_EQ(accepted.move_accepted().move().ply(), ++ply);
    for (auto* watcher : {&t.ada, &t.bob}) {
      const auto event = next_event(*watcher);
      ASSERT_TRUE(event) << "no event for ply " << ply;
      EXPECT_EQ(event->kind(), v1::MatchEvent::MOVED);
      EXPECT_EQ(event->move().ply(), ply);
      EXPECT_EQ(event->move().move(), move);
    }
  }
  // O X X / X X O / O O X: a full board with no line.
  const auto final_state = open_match(t.bob, id);
  ASSERT_TRUE(final_state.has_match_snapshot());
  EXPECT_EQ(final_state.match_snapshot().info().status(), v1::MatchInfo::FINISHED);
  EXPECT_EQ(final_state.match_snapshot().info().result().winner(), -1);
  EXPECT_EQ(final_state.match_snapshot().view(), "OXXXXOOOX");
  EXPECT_EQ(final_state.match_snapshot().moves_size(), 9);
}

TEST(Matches, EveryRefusedMoveSaysWhyAndChangesNothing) {
  table t;
  const auto id = t.start();
  EXPECT_EQ(play(t.bob, id, "0").error().code(), v1::NOT_YOUR_TURN);        // out of turn
  EXPECT_EQ(play(t.ada, id, "9").error().code(), v1::ILLEGAL_MOVE);         // no such cell
  EXPECT_EQ(play(t.ada, id, "banana").error().code(), v1::ILLEGAL_MOVE);    // not a move at all
  ASSERT_TRUE(play(t.ada, id, "4").has_move_accepted());
  const auto taken = play(t.bob, id, "4");
  EXPECT_EQ(taken.error().code(), v1::ILLEGAL_MOVE);                        // illegal by the rules
  EXPECT_NE(taken.error().message().find("taken"), std::string::npos) << taken.error().message();
  EXPECT_EQ(play(t.bob, id, "0", 5).error().code(), v1::NOT_YOUR_TURN);     // made on a stale position
  auto carl = signed_in(transport::tcp, t.server.tcp_port(), t.server.http_port(), "carl");
  EXPECT_EQ(play(carl, id, "0").error().code(), v1::NOT_PLAYER);            // for another player
  EXPECT_EQ(play(t.ada, 987654321, "0").error().code(), v1::MATCH_CLOSED);  // no such match
  const auto after = open_match(t.ada, id);
  EXPECT_EQ(after.match_snapshot().view(), "....X....");
  EXPECT_EQ(after.match_snapshot().info().ply(), 1u);
}

TEST(Matches, TwoDevicesRacingForTheSameTurnLeaveExactlyOneMove) {
  table t;
  for (int round = 0; round < 10; ++round) {
    const auto id = t.start();
    auto phone = t.connect(transport::tcp, t.ada_session);
    auto laptop = t.connect(transport::ws_binary, t.ada_session);
    v1::Envelope first, second;
    first.set_cid(1);
    first.mutable_make_move()->set_match_id(id);
    first.mutable_make_move()->set_move("0");
    second = first;
    second.mutable_make_move()->set_move("8");
    phone.send(first);
    laptop.send(second);
    int accepted = 0, refused = 0;
    for (auto* device : {&phone, &laptop}) {
      // Pushes may come first: the GAME_OVER notifications of earlier rounds, pushed at each login until acknowledged.
      std::optional<v1::Envelope> answer;
      while ((answer = device->next(5s)) && answer->cid() != 1) {}
      ASSERT_TRUE(answer);
      if (answer->has_move_accepted()) ++accepted;
      if (answer->has_error() && answer->error().code() == v1::NOT_YOUR_TURN) ++refused;
    }
    EXPECT_EQ(accepted, 1);
    EXPECT_EQ(refused, 1);
    const auto state = open_match(t.bob, id).match_snapshot();
    EXPECT_EQ(state.info().ply(), 1u);
    EXPECT_TRUE(state.view() == "X........" || state.view() == "........X") << state.view();
    act(t.ada, id, v1::MatchAction::RESIGN);
    while (next_event(t.ada, 200ms)) {}
    while (next_event(t.bob, 200ms)) {}
  }
}

TEST(Matches, SpectatorsSeeTheMovesButCannotPlay) {
  table t;
  const auto id = t.start();
  auto carl = signed_in(transport::ws_json, t.server.tcp_port(), t.server.http_port(), "carl");
  const auto watching = open_match(carl, id);
  ASSERT_TRUE(watching.has_match_snapshot());
  EXPECT_EQ(watching.match_snapshot().your_seat(), -1);
  EXPECT_EQ(watching.match_snapshot().legal_moves_size(), 0);
  ASSERT_TRUE(play(t.ada, id, "4").has_move_accepted());
  const auto seen = next_event(carl);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->move().move(), "4");
  EXPECT_EQ(seen->legal_moves_size(), 0);  // only the player to move gets them
  EXPECT_EQ(play(carl, id, "0").error().code(), v1::NOT_PLAYER);
  EXPECT_EQ(act(carl, id, v1::MatchAction::RESIGN).error().code(), v1::NOT_PLAYER);
}

TEST(Matches, DrawByAgreementResignationAndAbort) {
  table t;
  auto id = t.start();
  EXPECT_EQ(act(t.bob, id, v1::MatchAction::ACCEPT_DRAW).error().code(), v1::INVALID_ARGUMENT);  // no offer yet
  ASSERT_TRUE(act(t.ada, id, v1::MatchAction::OFFER_DRAW).has_match_snapshot());
  const auto offered = next_event(t.bob);
  ASSERT_TRUE(offered);
  EXPECT_EQ(offered->kind(), v1::MatchEvent::DRAW_OFFERED);
  EXPECT_EQ(offered->info().draw_offered_by(), 0);
  const auto agreed = act(t.bob, id, v1::MatchAction::ACCEPT_DRAW);
  ASSERT_TRUE(agreed.has_match_snapshot()) << agreed.DebugString();
  EXPECT_EQ(agreed.match_snapshot().info().status(), v1::MatchInfo::FINISHED);
  EXPECT_EQ(agreed.match_snapshot().info().result().reason(), "agreement");
  EXPECT_EQ(agreed.match_snapshot().info().result().winner(), -1);

  id = t.start();
  ASSERT_TRUE(play(t.ada, id, "4").has_move_accepted());
  const auto resigned = act(t.bob, id, v1::MatchAction::RESIGN);
  EXPECT_EQ(resigned.match_snapshot().info().result().winner(), 0);
  EXPECT_EQ(resigned.match_snapshot().info().result().reason(), "resignation");
  EXPECT_EQ(play(t.bob, id, "0").error().code(), v1::MATCH_CLOSED);  // over

  id = t.start();
  ASSERT_TRUE(play(t.ada, id, "4").has_move_accepted());
  const auto aborted = act(t.bob, id, v1::MatchAction::ABORT);  // bob has not moved yet
  EXPECT_EQ(aborted.match_snapshot().info().status(), v1::MatchInfo::ABORTED);
  id = t.start();
  ASSERT_TRUE(play(t.ada, id, "4").has_move_accepted());
  ASSERT_TRUE(play(t.bob, id, "0").has_move_accepted());
  EXPECT_EQ(act(t.ada, id, v1::MatchAction::ABORT).error().code(), v1::MATCH_CLOSED);  // both have moved
}

TEST(Matches, ARunningClockLosesTheGameOnTime) {
  table t;
  match_options options;
  options.initial_ms = 600;
  const auto id = t.start(options);
  // Each clock starts after its side's first move, so these first moves cost nothing, however slow.
  ASSERT_TRUE(play(t.ada, id, "4").has_move_accepted());
  const auto answered = play(t.bob, id, "0");
  ASSERT_TRUE(answered.has_move_accepted());
  EXPECT_EQ(answered.move_accepted().move().clock_ms(), 600);
  // ada never moves again: her 600 ms run out and bob wins on time, told by the server without anyone asking.
  std::optional<v1::MatchEvent> ended;
  while (auto event = next_event(t.bob, 3s)) {
    if (event->kind() == v1::MatchEvent::ENDED) {
      ended = event;
      break;
    }
  }
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->info().result().winner(), 1);
  EXPECT_EQ(ended->info().result().reason(), "time");
  EXPECT_EQ(ended->info().clock_ms(0), 0);
  EXPECT_EQ(play(t.ada, id, "8").error().code(), v1::MATCH_CLOSED);
}

TEST(Matches, ABotTakesTheOtherSeatAndMovesByItself) {
  table t;
  match_options options;
  options.bot = true;
  const auto created = create_match(t.ada, options);
  ASSERT_TRUE(created.has_match_snapshot()) << created.DebugString();
  const auto id = created.match_snapshot().info().match_id();
  EXPECT_EQ(created.match_snapshot().info().status(), v1::MatchInfo::ACTIVE);
  EXPECT_TRUE(created.match_snapshot().info().players(1).bot());
  for (std::uint32_t ply = 1; ply < 9; ply += 2) {
    const auto state = open_match(t.ada, id).match_snapshot();
    if (state.info().status() != v1::MatchInfo::ACTIVE) break;
    ASSERT_GT(state.legal_moves_size(), 0);
    ASSERT_TRUE(play(t.ada, id, state.legal_moves(0), ply - 1).has_move_accepted());
    // The bot answers through the engine: a MOVED event for seat 1, or the end of the game.
    std::optional<v1::MatchEvent> answer;
    while ((answer = next_event(t.ada, 5s)) && !(answer->move().seat() == 1 || answer->info().status() != v1::MatchInfo::ACTIVE)) {}
    ASSERT_TRUE(answer) << "the bot did not answer";
    if (answer->info().status() != v1::MatchInfo::ACTIVE) break;
    EXPECT_EQ(answer->move().ply(), ply + 1);
  }
}

TEST(Matches, RatedGamesMoveRatingsAndFillTheLeaderboard) {
  table t;
  match_options options;
  options.rated = true;
  const auto id = t.start(options);
  for (const auto& [player, move] : std::vector<std::pair<blocking_client*, std::string>>{
           {&t.ada, "0"}, {&t.bob, "3"}, {&t.ada, "1"}, {&t.bob, "4"}, {&t.ada, "2"}}) {
    ASSERT_TRUE(play(*player, id, move).has_move_accepted());
  }
  v1::Envelope request;
  request.mutable_get_leaderboard()->set_game("tictactoe");
  const auto board = t.bob.call(request);
  ASSERT_TRUE(board.has_leaderboard_page()) << board.DebugString();
  ASSERT_EQ(board.leaderboard_page().entries_size(), 2);
  const auto& first = board.leaderboard_page().entries(0);
  const auto& second = board.leaderboard_page().entries(1);
  EXPECT_EQ(first.username(), "ada");
  EXPECT_EQ(first.rank(), 1u);
  EXPECT_GT(first.rating(), 1500);
  EXPECT_EQ(first.wins(), 1u);
  EXPECT_EQ(second.username(), "bob");
  EXPECT_LT(second.rating(), 1500);
  EXPECT_EQ(second.losses(), 1u);
  request.mutable_get_leaderboard()->set_around_username("bob");
  request.mutable_get_leaderboard()->set_limit(1);
  const auto around = t.ada.call(request);
  ASSERT_EQ(around.leaderboard_page().entries_size(), 1);
  EXPECT_EQ(around.leaderboard_page().entries(0).rank(), 2u);
  // The same board over HTTP.
  const auto page = http_get(t.server.http_port(), "/v1/leaderboards/tictactoe?around=bob&limit=1");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("\"username\":\"bob\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("\"rank\":2"), std::string::npos) << page.body;
  EXPECT_EQ(http_get(t.server.http_port(), "/v1/leaderboards/checkers").status, 404);
  EXPECT_EQ(http_get(t.server.http_port(), "/v1/leaderboards/tictactoe?limit=1000").status, 400);
}

TEST(Matches, OpenMatchesAreListedAndInvitationsAreHonoured) {
  table t;
  const auto carl_session = register_user(t.server.http_port(), "carl", "long enough");
  auto created = create_match(t.ada);
  const auto open_id = created.match_snapshot().info().match_id();
  match_options invite_only;
  invite_only.invite = {"carl"};
  const auto invited = create_match(t.ada, invite_only);
  ASSERT_TRUE(invited.has_match_snapshot()) << invited.DebugString();
  const auto invited_id = invited.match_snapshot().info().match_id();
  v1::Envelope list;
  list.mutable_list_open_matches()->set_game("tictactoe");
  const auto listed = t.bob.call(list);
  ASSERT_TRUE(listed.has_match_list());
  ASSERT_EQ(listed.match_list().matches_size(), 1);  // the invite-only one is carl's to see
  EXPECT_EQ(listed.match_list().matches(0).match_id(), open_id);
  auto carl = t.connect(transport::tcp, carl_session);
  EXPECT_EQ(carl.call(list).match_list().matches_size(), 2);   // the guest sees both
  EXPECT_EQ(t.ada.call(list).match_list().matches_size(), 2);  // and so does the creator
  EXPECT_EQ(join_match(t.bob, invited_id).error().code(), v1::MATCH_CLOSED);  // not invited
  EXPECT_TRUE(join_match(t.bob, open_id).has_match_snapshot());
  match_options nobody;
  nobody.invite = {"nobody_here"};
  EXPECT_EQ(create_match(t.ada, nobody).error().code(), v1::NOT_FOUND);
}

}  // namespace
}  // namespace guildhall::testing

namespace guildhall::testing {
namespace {

TEST(Matches, AFloodOfMatchRequestsIsRateLimitedAndHurtsNobodyElse) {
  table t;
  const auto id = t.start();
  for (std::uint32_t cid = 1; cid <= 40; ++cid) {
    v1::Envelope request;
    request.set_cid(cid);
    request.mutable_open_match()->set_match_id(id + cid);
    t.bob.send(request);
  }
  int limited = 0;
  for (int answered = 0; answered < 40;) {
    const auto answer = t.bob.next(5s);
    ASSERT_TRUE(answer);
    if (answer->cid() == 0) continue;
    ++answered;
    if (answer->has_error() && answer->error().code() == v1::RATE_LIMITED) ++limited;
  }
  EXPECT_GE(limited, 15);  // a burst of 20, then 10 a second
  EXPECT_TRUE(play(t.ada, id, "4").has_move_accepted());  // the match and the other player are unaffected
}

}  // namespace
}  // namespace guildhall::testing
